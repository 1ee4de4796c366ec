"""Declarative base, naming convention and the column types every feature shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Engine, Enum, Integer, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraint names follow NAMING_CONVENTION so migrations are stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware.

    SQLite keeps no time zone, so values are normalised to UTC on the way in.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Timestamped:
    """When a row was created and last changed (UTC); mixed into the models that keep both."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


TENTH = Decimal("0.1")


def table_of(model: type[Base]) -> Table:
    """A model's table, for hot read paths that return plain rows.

    A statement over table columns (not ORM attributes) runs without the ORM's per-execution
    work, about half the cost for a small query; prebuild such statements at import time.
    """
    return model.__table__


def to_tenths(value: Decimal | int | float | str) -> Decimal:
    """A decimal rounded to one place (half up), the precision of hours and scores."""
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


class Tenths(TypeDecorator):
    """A decimal with one place (hours, scores), stored as an integer count of tenths.

    Integers are exact on both SQLite and PostgreSQL and sum without rounding; SQL that reads
    the raw column divides by 10.
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int(to_tenths(value) * 10)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(value) / 10


class LabelledEnum(StrEnum):
    """A choice stored as a short English string, shown to users by its Vietnamese label.

    Members are declared as ``NAME = "value", "Nhãn tiếng Việt"``.
    """

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a select field, in declaration order."""
        return [(member.value, member.label) for member in cls]


def enum_type(enum_class: type[LabelledEnum], length: int = 20) -> Enum:
    """A column type storing a LabelledEnum's values, with a CHECK constraint listing them."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        name=enum_class.__name__.lower(),
    )


#: Bytes of an SQLite database file mapped into memory (shared with the OS page cache).
SQLITE_MMAP_BYTES = 4 * 1024**3


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Read the file through the OS page cache instead of copying pages into each connection.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def configure_engine(engine: Engine) -> None:
    """SQLite: foreign keys enforced, WAL so readers never wait for the writer, real SAVEPOINTs.

    See SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" for pysqlite.
    """
    if engine.dialect.name == "sqlite" and not event.contains(
        engine, "connect", _sqlite_pragmas
    ):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)

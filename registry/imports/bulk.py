"""Straight to the driver for the hot bulk inserts (tokens, participations, audit).

SQLAlchemy's Core executemany runs every value through the column type's bind processor in
Python, which costs more than the insert itself for hundreds of thousands of rows. Here the
few value types these tables use are converted once per distinct value for the dialect (SQLite
stores dates and timestamps as ISO text and booleans as 0/1, exactly as SQLAlchemy writes
them; PostgreSQL takes them natively) and handed to the DBAPI: the sqlite3 cursor's
executemany, or on PostgreSQL psycopg's COPY … FROM STDIN, in the session's transaction.

reserve_ids gives the primary keys of rows about to be inserted, so that nothing has to be read
back to link them (audit entries, employments) and COPY can be used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from enum import Enum

from sqlalchemy import JSON, Boolean, Date, Table
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Session

from registry.db import Tenths, UTCDateTime, to_tenths
from registry.plans.cache import WATCHED, mark_changed

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}"}


class JsonText(str):
    """A value of a JSON column already encoded (as json.dumps would), written as it is."""


def _memo(convert):
    """convert applied once per distinct value (None stays None)."""
    seen: dict = {}

    def converted(v):
        if v is None:
            return None
        try:
            return seen[v]
        except KeyError:
            if len(seen) >= 4096:
                seen.clear()
            seen[v] = result = convert(v)
            return result

    return converted


def _converter(column, sqlite: bool):
    kind = column.type
    if isinstance(kind, Tenths):
        return _memo(lambda v: int(to_tenths(v) * 10))
    if isinstance(kind, UTCDateTime):
        # Bulk rows share one timestamp: convert each distinct value once.
        seen: dict[dt.datetime, object] = {}

        def stamp(v):
            if v is None:
                return None
            if v not in seen:
                utc = v.astimezone(dt.UTC)
                seen[v] = utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else utc.replace(
                    tzinfo=None)
            return seen[v]

        return stamp
    if isinstance(kind, JSON):
        return lambda v: v if v.__class__ is JsonText else json.dumps(v, ensure_ascii=False)
    if isinstance(kind, Boolean):
        return (lambda v: None if v is None else int(v)) if sqlite else None
    if isinstance(kind, Date):
        return _memo(dt.date.isoformat) if sqlite else None
    if isinstance(kind, SAEnum):
        return lambda v: v.value if isinstance(v, Enum) else v
    return None


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[object]]) -> None:
    """INSERT rows (tuples in columns' order) into table in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    sqlite = dialect.name == "sqlite"
    if dialect.name == "postgresql":
        _copy_rows(connection, table, columns, rows)
        return
    marker = _PLACEHOLDERS[dialect.paramstyle]
    placeholders = []
    for i, name in enumerate(columns, 1):
        mark = marker.format(i)
        if not sqlite and isinstance(table.c[name].type, JSON):
            mark += "::json"
        placeholders.append(mark)
    converters = [_converter(table.c[name], sqlite) for name in columns]
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join(placeholders)})")
    active = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    if active:
        payload = []
        for row in rows:
            values = list(row)
            for i, convert in active:
                values[i] = convert(values[i])
            payload.append(tuple(values))
    else:
        payload = [tuple(row) for row in rows]
    connection.exec_driver_sql(sql, payload)


def insert_dicts(session: Session, table: Table, rows: Sequence[dict]) -> None:
    """INSERT rows given as dicts with the same keys (see insert_rows)."""
    if rows:
        columns = list(rows[0])
        insert_rows(session, table, columns, [tuple(row[c] for c in columns) for row in rows])


def _copy_rows(connection, table: Table, columns: Sequence[str],
               rows: Sequence[Sequence[object]]) -> None:
    """COPY rows into a PostgreSQL table through the session's own psycopg connection.

    COPY is no SQL statement the dashboard cache sees, so the change is marked here.
    """
    if table.name in WATCHED:
        mark_changed(connection)
    converters = [_converter(table.c[name], False) for name in columns]
    active = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    raw = connection.connection.driver_connection
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        if not active:
            for row in rows:
                copy.write_row(row)
            return
        for row in rows:
            values = list(row)
            for i, convert in active:
                values[i] = convert(values[i])
            copy.write_row(values)


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """Primary keys for count rows about to be inserted into table in this transaction.

    PostgreSQL: taken from the id column's sequence, so concurrent writers never collide.
    SQLite: the ids after the largest one, as SQLite itself would assign them; the transaction
    already holds the database's write lock (an import writes its record first), so no one
    else can take them before the insert.
    """
    if count <= 0:
        return []
    connection = session.connection()
    name = table.name
    if connection.dialect.name == "postgresql":
        return list(connection.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) "
            "FROM generate_series(1, %(count)s)", {"count": count}).scalars())
    top = connection.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar() or 0
    return list(range(top + 1, top + 1 + count))

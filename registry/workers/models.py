"""Workers (công nhân lao động) and their periods of employment in enterprises."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import LabelledEnum, Timestamped, UTCDateTime, enum_type, utcnow
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.text import fold, join_name, person_sort_key


class Sex(LabelledEnum):
    """Sex as recorded on the citizen ID."""

    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class Worker(Timestamped, db.Model):
    """One person, kept as one record across the enterprises they work for."""

    __tablename__ = "workers"
    __audited__ = True
    __table_args__ = (
        Index("ix_workers_enterprise_sort", "current_enterprise_id", "sort_key", "id"),
        Index("ix_workers_sort", "sort_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(50), default="")
    middle_name: Mapped[str] = mapped_column(String(80), default="")
    given_name: Mapped[str] = mapped_column(String(50))
    #: Derived from the three parts by set_name(); stored for lists, exports and documents.
    full_name: Mapped[str] = mapped_column(String(200))
    #: full_name lower case without diacritics, for accent-insensitive search.
    search_name: Mapped[str] = mapped_column(String(200))
    #: ICU Vietnamese collation key of (given, family, middle): lists are ordered by it.
    sort_key: Mapped[bytes] = mapped_column(LargeBinary)
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, length=1))
    birth_date: Mapped[date] = mapped_column(Date)
    #: Only the year of birth is known; birth_date is then 1 January of that year.
    birth_year_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: 12-digit CCCD, or a 9-digit CMND when citizen_id_legacy is set.
    citizen_id: Mapped[str] = mapped_column(String(12), unique=True)
    citizen_id_legacy: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    phone: Mapped[str] = mapped_column(String(15), default="")
    union_member: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Enterprise of the open employment period, kept in step by the services for fast lists.
    current_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    #: Set instead of deleting: decisions and certificates may refer to the worker.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Shown beside every worker in lists: loaded in the same query.
    current_enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")
    employments: Mapped[list[Employment]] = relationship(
        back_populates="worker", order_by="Employment.start_date"
    )
    name_tokens: Mapped[list[WorkerNameToken]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    def set_name(self, family: str, middle: str, given: str) -> None:
        """Set the three name parts and everything derived from them."""
        full_name = join_name(family, middle, given)
        wanted = set(tokens_of(family, middle, given))
        # Load the current tokens before changing anything, so that the lazy load's autoflush
        # has nothing to write and the change lands in one flush (and one audit entry).
        sort_key = person_sort_key(family, middle, given)
        kept = [t for t in self.name_tokens if t.token in wanted and t.sort_key == sort_key]
        have = {t.token for t in kept}
        self.name_tokens = kept + [
            WorkerNameToken(token=t, sort_key=sort_key) for t in sorted(wanted - have)
        ]
        self.family_name, self.middle_name, self.given_name = family, middle, given
        self.full_name = full_name
        self.search_name = fold(full_name)
        self.sort_key = sort_key

    @property
    def birth_year(self) -> int:
        """Year of birth."""
        return self.birth_date.year

    def __repr__(self) -> str:
        return f"<Worker {self.id} {self.full_name}>"


#: Phrase tokens start with a space, so that a word prefix ("ngu") never matches a phrase.
PHRASE = " "


def tokens_of(family: str, middle: str, given: str) -> list[str]:
    """The search tokens of a name: each folded word, and the phrases officers type whole.

    For Nguyễn Thị Thu Hằng: nguyen, thi, thu, hang, and the phrases "nguyen thi thu hang"
    (full name), "nguyen hang" (family and given name) and "thu hang" (how colleagues call
    her), each prefixed by PHRASE.
    """
    full = fold(join_name(family, middle, given))
    given_folded = fold(given)
    phrases = {full, f"{fold(family)} {given_folded}".strip()}
    if middle:
        phrases.add(f"{fold(middle).split()[-1]} {given_folded}")
    return sorted(set(full.split())) + sorted(PHRASE + p for p in phrases if " " in p)


class WorkerNameToken(db.Model):
    """A folded word or phrase of a worker's name (see tokens_of): the search index.

    The primary key (token, sort_key, worker_id) lists the workers having a token in name
    order, so "hang" or "nguyen thi hang" pages through its workers in list order without
    sorting, and the (worker_id, token) index checks further words per candidate.  sort_key is
    the worker's, copied here and rewritten whenever the name changes (Worker.set_name).
    """

    __tablename__ = "worker_name_tokens"
    __table_args__ = (
        Index("ix_worker_name_tokens_worker_token", "worker_id", "token"),
        {"sqlite_with_rowid": False},
    )

    #: Binary ("C") collation on PostgreSQL so that prefix ranges follow byte order.  Long enough
    #: for the full-name phrase: the three name parts (50 + 80 + 50) with spaces and PHRASE.
    token: Mapped[str] = mapped_column(
        String(200).with_variant(String(200, collation="C"), "postgresql"), primary_key=True
    )
    sort_key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True
    )

    def __repr__(self) -> str:
        return f"<WorkerNameToken {self.token} worker={self.worker_id}>"


class Employment(db.Model):
    """A period during which a worker works for an enterprise; end_date empty while it lasts."""

    __tablename__ = "employments"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period_order"),
        Index("ix_employments_enterprise_worker", "enterprise_id", "worker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    #: Job or position in the enterprise (vị trí việc làm), optional.
    position: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Worker] = relationship(back_populates="employments")
    enterprise: Mapped[Enterprise] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Employment worker={self.worker_id} enterprise={self.enterprise_id}>"

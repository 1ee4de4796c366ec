"""Commendation rounds and their entries: exemplary workers and studious children of workers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.auth.models import User
from registry.db import LabelledEnum, Timestamped, UTCDateTime, enum_type
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.units.models import Commune
from registry.workers.models import Worker


class RoundStatus(LabelledEnum):
    """Whether a round still takes proposals."""

    OPEN = "open", "Đang nhận đề nghị"
    APPROVED = "approved", "Đã phê duyệt"


class EntryKind(LabelledEnum):
    """Who is commended."""

    WORKER = "worker", "Công nhân lao động"
    CHILD = "child", "Con công nhân lao động"


class EntryStatus(LabelledEnum):
    """Where an entry stands: proposed by an enterprise, then approved or not by the commune."""

    PROPOSED = "proposed", "Chờ duyệt"
    APPROVED = "approved", "Được duyệt"
    REJECTED = "rejected", "Không duyệt"


class CommendationRound(Timestamped, db.Model):
    """One commendation list of a commune for a year, attached to a decision."""

    __tablename__ = "commendation_rounds"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer)
    #: As printed on the decision, e.g. "UBND xã Hoằng Hóa".
    issuing_body: Mapped[str] = mapped_column(String(255))
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[RoundStatus] = mapped_column(enum_type(RoundStatus), default=RoundStatus.OPEN)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()
    entries: Mapped[list[CommendationEntry]] = relationship(
        back_populates="round", order_by="CommendationEntry.id"
    )

    def __repr__(self) -> str:
        return f"<CommendationRound {self.id} {self.year} {self.title}>"


class CommendationEntry(Timestamped, db.Model):
    """A commended worker, or a child of a worker (the parent is always recorded)."""

    __tablename__ = "commendation_entries"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("round_id", "kind", "worker_id", "child_name"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        CheckConstraint(
            "kind != 'child' OR (child_name != '' AND child_birth_year IS NOT NULL)",
            name="child_details",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("commendation_rounds.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind))
    #: The commended worker, or the parent of the commended child.
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    #: The enterprise that proposed the entry (the worker's employer at the time).
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    child_name: Mapped[str] = mapped_column(String(200), default="")
    child_birth_year: Mapped[int | None] = mapped_column(Integer)
    #: School admitted to or achievement of the child.
    achievement: Mapped[str] = mapped_column(String(255), default="")
    #: Award in whole đồng; empty when the commendation carries no money.
    amount: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[EntryStatus] = mapped_column(
        enum_type(EntryStatus), default=EntryStatus.PROPOSED
    )
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[CommendationRound] = relationship(back_populates="entries")
    worker: Mapped[Worker] = relationship(lazy="joined")
    enterprise: Mapped[Enterprise] = relationship(lazy="joined")
    proposed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CommendationEntry {self.id} {self.kind} worker={self.worker_id}>"

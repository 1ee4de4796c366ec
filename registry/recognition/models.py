"""Recognition decisions, their frozen lists (entries) and the certificates issued from them.

A decision is drafted from the eligibility table of a year, then issued.  Issuing freezes it:
the entries keep each person's name, birth year and enterprise as they were, and the criteria
set version, so later edits to a worker never change a printed document.  Certificates are
never deleted: a correction supersedes one with a new serial, a withdrawal revokes it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.auth.models import User
from registry.db import LabelledEnum, Tenths, Timestamped, UTCDateTime, enum_type, utcnow
from registry.extensions import db
from registry.units.models import Commune
from registry.workers.models import Worker


class DecisionStatus(LabelledEnum):
    """Where a decision stands."""

    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class CertificateStatus(LabelledEnum):
    """What the public verification page says about a certificate."""

    VALID = "valid", "Còn hiệu lực"
    SUPERSEDED = "superseded", "Đã được cấp lại"
    REVOKED = "revoked", "Đã thu hồi"


class Decision(Timestamped, db.Model):
    """A decision recognising workers with the "Công dân học tập" title for one year."""

    __tablename__ = "decisions"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        Index("ix_decisions_commune_year", "commune_id", "year"),
        # Two issued decisions of one body may not share a number in the same calendar year.
        Index(
            "uq_decisions_issued_number",
            "commune_id",
            "number_year",
            "number",
            "symbol",
            unique=True,
            sqlite_where=text("status = 'issued'"),
            postgresql_where=text("status = 'issued'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The commune whose People's Committee issues the decision (its workers are listed).
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: The year assessed: the title is "Công dân học tập năm <year>".
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[DecisionStatus] = mapped_column(
        enum_type(DecisionStatus), default=DecisionStatus.DRAFT
    )
    parent_body: Mapped[str] = mapped_column(String(200), default="")
    issuing_body: Mapped[str] = mapped_column(String(200))
    #: Registry number ("05"); with the symbol it prints as "05/QĐ-UBND".
    number: Mapped[str] = mapped_column(String(10), default="")
    symbol: Mapped[str] = mapped_column(String(40))
    #: Calendar year of the signing date: numbers restart every year.
    number_year: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(100))
    signed_on: Mapped[date | None] = mapped_column(Date)
    #: The bold line between the subject and the preamble ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …").
    authority: Mapped[str] = mapped_column(String(200), default="")
    #: Authority line of the signature block ("KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"), or "".
    signer_authority: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(100))
    #: One "Căn cứ …" line per line of text.
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    #: One "Nơi nhận" item per line.
    recipients: Mapped[str] = mapped_column(Text, default="")
    #: Who carries the decision out (Điều 3).
    executors: Mapped[str] = mapped_column(Text, default="")
    #: The criteria set the list was assessed under, frozen at issue with its label.
    criteria_set_id: Mapped[int | None] = mapped_column(ForeignKey("criteria_sets.id"))
    criteria_set_label: Mapped[str] = mapped_column(String(300), default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: A draft given up is archived; an issued decision is never archived or deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship(lazy="joined")
    issued_by: Mapped[User | None] = relationship()

    @property
    def is_issued(self) -> bool:
        """Issued decisions are frozen."""
        return self.status == DecisionStatus.ISSUED

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.number}/{self.symbol} {self.year} {self.status}>"


class DecisionEntry(db.Model):
    """One person on a decision's list, with the snapshot printed on the documents."""

    __tablename__ = "decision_entries"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("decision_id", "worker_id"),
        # A worker holds the title of a year once: set on issue for the people kept on the list.
        UniqueConstraint("worker_id", "recognised_year"),
        Index("ix_decision_entries_decision_sort", "decision_id", "sort_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    #: The assessment that made the worker eligible, and the criteria set it was made under.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    criteria_set_id: Mapped[int | None] = mapped_column(ForeignKey("criteria_sets.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    #: ICU Vietnamese key of (given, family, middle): the list's order.
    sort_key: Mapped[bytes] = mapped_column(LargeBinary)
    birth_year: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    enterprise_name: Mapped[str] = mapped_column(String(255), default="")
    total: Mapped[Decimal | None] = mapped_column(Tenths)
    lowest: Mapped[Decimal | None] = mapped_column(Tenths)
    #: The decision's year once it is issued and the person is on it; empty otherwise.
    recognised_year: Mapped[int | None] = mapped_column(Integer)
    #: Taken off the list before issuing, with the reason.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str] = mapped_column(String(500), default="")
    #: The title withdrawn after issuing (its certificate revoked).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()
    worker: Mapped[Worker] = relationship()

    def __repr__(self) -> str:
        return f"<DecisionEntry decision={self.decision_id} worker={self.worker_id}>"


class CertificateCounter(db.Model):
    """The last serial number given by an issuing body (commune) in a year."""

    __tablename__ = "certificate_counters"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<CertificateCounter {self.commune_id} {self.year} {self.last_number}>"


class Certificate(db.Model):
    """A printed certificate of one entry; re-issuing makes a new one, the old is superseded."""

    __tablename__ = "certificates"
    __audited__ = True
    __table_args__ = (
        Index("ix_certificates_decision_serial", "decision_id", "serial"),
        Index("ix_certificates_entry", "entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("decision_entries.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    #: Human-readable, sequential per issuing body and year: "CDHT-2025-15865-000123".
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    #: Random, unguessable: the QR code's verification URL ends with it.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: The verification URL the stored QR drawing encodes, and that drawing (zlib-compressed
    #: PDF operators), made at issue so that batch printing encodes no QR code.
    qr_url: Mapped[str] = mapped_column(String(300), default="")
    qr_path: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[CertificateStatus] = mapped_column(
        enum_type(CertificateStatus), default=CertificateStatus.VALID
    )
    #: What this certificate prints (a re-issue may correct the spelling of the name).
    full_name: Mapped[str] = mapped_column(String(200))
    birth_year: Mapped[int] = mapped_column(Integer)
    enterprise_name: Mapped[str] = mapped_column(String(255), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The certificate this one replaces, and the one that replaced this one.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    reissue_reason: Mapped[str] = mapped_column(String(500), default="")
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Kept for officers; the public page shows only the date.
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decision: Mapped[Decision] = relationship()
    entry: Mapped[DecisionEntry] = relationship()
    replaces: Mapped[Certificate | None] = relationship(
        foreign_keys=[replaces_id], remote_side=[id]
    )
    replaced_by: Mapped[Certificate | None] = relationship(
        foreign_keys=[replaced_by_id], remote_side=[id]
    )

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.status}>"

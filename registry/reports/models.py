"""What a commune did for the programme and reports on: communication items, events, directive
documents, spending, and the prose sections of its periodic report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import LabelledEnum, Timestamped, UTCDateTime, enum_type, utcnow
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.units.models import Commune


class Channel(LabelledEnum):
    """Where a communication item was published or broadcast."""

    RADIO = "radio", "Đài truyền thanh xã"
    FACEBOOK = "facebook", "Facebook"
    ZALO = "zalo", "Zalo"
    WEBSITE = "website", "Trang thông tin điện tử"
    OTHER = "other", "Khác"


class FundingSource(LabelledEnum):
    """Who paid for something."""

    COMMUNE = "commune", "Ngân sách xã"
    UNION = "union", "Công đoàn"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    OTHER = "other", "Nguồn khác"


class CommunicationItem(Timestamped, db.Model):
    """News items, posts or articles about lifelong learning on one channel."""

    __tablename__ = "communication_items"
    __audited__ = True
    __table_args__ = (CheckConstraint("count >= 1", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    published_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    title: Mapped[str] = mapped_column(String(255))
    #: How many items (tin, bài, lượt) this line stands for.
    count: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()

    def __repr__(self) -> str:
        return f"<CommunicationItem {self.id} {self.channel} x{self.count}>"


class Event(Timestamped, db.Model):
    """An event of the programme, e.g. the lifelong-learning week."""

    __tablename__ = "report_events"
    __audited__ = True
    __table_args__ = (CheckConstraint("end_date >= start_date", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title}>"


class Directive(Timestamped, db.Model):
    """A directive document (plan, dispatch, decision) the commune issued for the programme."""

    __tablename__ = "directives"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    #: Number and symbol, e.g. "107/KH-UBND".
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()

    def __repr__(self) -> str:
        return f"<Directive {self.id} {self.number}>"


class Spending(Timestamped, db.Model):
    """Money spent on the programme, by source (whole đồng)."""

    __tablename__ = "spendings"
    __audited__ = True
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    spent_on: Mapped[date] = mapped_column(Date)
    source: Mapped[FundingSource] = mapped_column(enum_type(FundingSource))
    amount: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(500))
    #: The enterprise that spent it, for source "doanh nghiệp" (optional).
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    def __repr__(self) -> str:
        return f"<Spending {self.id} {self.amount}>"


class ReportText(db.Model):
    """A prose section of a unit's periodic report, kept for the next report: of a commune
    (commune_id) or of a province (province_id), never both."""

    __tablename__ = "report_texts"
    __table_args__ = (
        UniqueConstraint("commune_id", "key"),
        UniqueConstraint("province_id", "key"),
        CheckConstraint("(commune_id IS NULL) <> (province_id IS NULL)", name="one_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    #: Which section: see registry.reports.services.SECTIONS.
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        unit = f"commune={self.commune_id}" if self.commune_id else f"province={self.province_id}"
        return f"<ReportText {unit} {self.key}>"

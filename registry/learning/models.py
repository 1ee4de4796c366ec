"""Learning activities and the participation of workers in them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import LabelledEnum, Tenths, Timestamped, UTCDateTime, enum_type
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.units.models import Commune
from registry.workers.models import Worker


class Area(LabelledEnum):
    """The four programme areas (indicators a–d of the plans)."""

    LAW = "law", "Chính trị, pháp luật"
    SKILL = "skill", "Kỹ năng nghề nghiệp"
    LIFE = "life", "Kỹ năng sống"
    DIGITAL = "digital", "Công nghệ thông tin, công nghệ số"

    @property
    def letter(self) -> str:
        """The indicator letter used by plans: a, b, c or d."""
        return _AREA_LETTERS[self]


_AREA_LETTERS = dict(zip(Area, "abcd", strict=True))


class ActivityForm(LabelledEnum):
    """How an activity is delivered."""

    COURSE = "course", "Lớp học, khóa đào tạo"
    SEMINAR = "seminar", "Hội thảo, buổi sinh hoạt, tuyên truyền"
    COMPETITION = "competition", "Hội thi"
    READING = "reading", "Đọc sách, tìm hiểu"
    ONLINE = "online", "Học trực tuyến"
    EVENT = "event", "Sự kiện, tuần lễ hưởng ứng"


class OrganiserKind(LabelledEnum):
    """Who organises an activity."""

    ENTERPRISE = "enterprise", "Doanh nghiệp"
    UNION = "union", "Công đoàn"
    COMMUNE = "commune", "UBND xã, phường"
    SCHOOL = "school", "Cơ sở giáo dục nghề nghiệp"
    OTHER = "other", "Khác"


class Activity(Timestamped, db.Model):
    """Something workers take part in: a course, talk, competition, reading campaign, …"""

    __tablename__ = "activities"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period_order"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_activities_commune_start", "commune_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    area: Mapped[Area] = mapped_column(enum_type(Area))
    form: Mapped[ActivityForm] = mapped_column(enum_type(ActivityForm))
    organiser_kind: Mapped[OrganiserKind] = mapped_column(enum_type(OrganiserKind))
    #: Name of the organising body, e.g. "Công đoàn xã Hoằng Hóa".
    organiser: Mapped[str] = mapped_column(String(255))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: The enterprise running it; empty for a commune-wide activity open to every enterprise.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    #: Planned length in hours; a participant's hours cannot exceed it.
    hours: Mapped[Decimal] = mapped_column(Tenths)
    location: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    search_title: Mapped[str] = mapped_column(String(255))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.title}>"


class Participation(Timestamped, db.Model):
    """A worker's attendance of one activity."""

    __tablename__ = "participations"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("activity_id", "worker_id"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_participations_worker_date", "worker_id", "attended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    #: Day the worker took part (the first day for a course); inside the activity's dates.
    attended_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Tenths)
    completed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Result of a competition or course, e.g. "Giải Nhất", "Giỏi".
    result: Mapped[str] = mapped_column(String(120), default="")
    #: Evidence (minh chứng) or a note.
    note: Mapped[str] = mapped_column(String(500), default="")
    #: A participation recorded by mistake is archived, never deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[Activity] = relationship()
    worker: Mapped[Worker] = relationship()

    def __repr__(self) -> str:
        return f"<Participation activity={self.activity_id} worker={self.worker_id}>"

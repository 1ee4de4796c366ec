"""Plans (kế hoạch) and their targets for the five indicators a–e at milestone years."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import LabelledEnum, Tenths, Timestamped, UTCDateTime, enum_type
from registry.extensions import db
from registry.learning.models import Area
from registry.units.models import Commune, Province


class PlanLevel(LabelledEnum):
    """Who issued a plan: the Prime Minister, a province or a commune."""

    NATIONAL = "national", "Trung ương"
    PROVINCE = "province", "Tỉnh, thành phố"
    COMMUNE = "commune", "Xã, phường, đặc khu"


class CountingWindow(LabelledEnum):
    """Which participations count towards a year's rates a–d."""

    YEAR = "year", "Theo từng năm dương lịch"
    CUMULATIVE = "cumulative", "Cộng dồn từ năm bắt đầu kế hoạch"


class Indicator(LabelledEnum):
    """The five target indicators of Decision 1268/QĐ-TTg."""

    A = "a", "Chính trị, pháp luật"
    B = "b", "Kỹ năng nghề nghiệp"
    C = "c", "Kỹ năng sống"
    D = "d", "Công nghệ thông tin, công nghệ số"
    E = "e", "Mô hình học tập (danh hiệu «Công dân học tập»)"

    @property
    def area(self) -> Area | None:
        """The programme area counted by indicators a–d; None for e (the title)."""
        return None if self is Indicator.E else list(Area)[list(Indicator).index(self)]

    @property
    def what(self) -> str:
        """What the indicator counts, as the plans word it."""
        return INDICATOR_TEXTS[self]


INDICATOR_TEXTS = {
    Indicator.A: "CNLĐ được tuyên truyền, phổ biến, học tập chủ trương của Đảng, chính sách "
    "pháp luật của Nhà nước",
    Indicator.B: "CNLĐ tham gia học tập nâng cao trình độ tay nghề, kỹ năng nghề",
    Indicator.C: "CNLĐ tham gia học tập các nội dung giáo dục kỹ năng sống",
    Indicator.D: "CNLĐ được phổ biến về công nghệ thông tin, công nghệ số",
    Indicator.E: "CNLĐ đạt danh hiệu «Công dân học tập»",
}


class Plan(Timestamped, db.Model):
    """A plan issued by a national, provincial or commune body, with its targets."""

    __tablename__ = "plans"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("end_year >= start_year", name="period_order"),
        CheckConstraint(
            "(level != 'province' OR province_id IS NOT NULL)"
            " AND (level != 'commune' OR commune_id IS NOT NULL)",
            name="level_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[PlanLevel] = mapped_column(enum_type(PlanLevel))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    #: As printed, e.g. "Thủ tướng Chính phủ", "UBND xã Hoằng Hợp".
    issuing_body: Mapped[str] = mapped_column(String(255))
    #: Number and symbol, e.g. "1268/QĐ-TTg", "107/KH-UBND".
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    counting_window: Mapped[CountingWindow] = mapped_column(enum_type(CountingWindow))
    #: Superseded plans are archived, never deleted: reports cite them.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    province: Mapped[Province | None] = relationship()
    commune: Mapped[Commune | None] = relationship()
    targets: Mapped[list[Target]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by=lambda: (Target.year, Target.indicator),
    )

    @property
    def reference(self) -> str:
        """ "Kế hoạch số 107/KH-UBND ngày 11/4/2023 của UBND xã Hoằng Hợp" style reference."""
        kind = "Quyết định" if "/QĐ" in self.number else "Kế hoạch"
        return (f"{kind} số {self.number} ngày {self.issued_on:%d/%m/%Y} "
                f"của {self.issuing_body}")

    def milestones(self) -> list[int]:
        """The years that have targets, in order."""
        return sorted({t.year for t in self.targets})

    def target(self, indicator: Indicator, year: int) -> Decimal | None:
        """The target percentage of an indicator for a milestone year."""
        for t in self.targets:
            if t.indicator == indicator and t.year == year:
                return t.percent
        return None

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.number}>"


class Target(db.Model):
    """The share (percent, one decimal) of workers an indicator should reach by a year."""

    __tablename__ = "plan_targets"
    __table_args__ = (
        UniqueConstraint("plan_id", "indicator", "year"),
        # Stored in tenths of a percent (Tenths): 0–100 %.
        CheckConstraint("percent >= 0 AND percent <= 1000", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[Indicator] = mapped_column(enum_type(Indicator, length=1))
    year: Mapped[int] = mapped_column(Integer)
    percent: Mapped[Decimal] = mapped_column(Tenths)

    plan: Mapped[Plan] = relationship(back_populates="targets")

    def __repr__(self) -> str:
        return f"<Target plan={self.plan_id} {self.indicator} {self.year} {self.percent}%>"


class DataVersion(db.Model):
    """A change mark: a row named "dashboard/<time>/<random>" that a transaction writing data
    the dashboard counts inserts (and re-numbers on each further write) in the same transaction.

    Cached dashboard figures are kept under the version read from the marks (registry.plans.
    cache.current_token); each writing transaction has a row of its own, so writers never wait
    for one another.  The "dashboard" row of the first migration is no longer read.
    """

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))

    def __repr__(self) -> str:
        return f"<DataVersion {self.name} {self.token}>"

"""Criteria sets (versioned rules of the title) and the yearly assessments of workers.

A criteria set is data: its indicators, thresholds and local conditions are rows, so a new
version is a new set (cloned from the previous one), and an assessment keeps the set it was
made under.  A set used by a recognition decision is locked (`locked_at`): it can no longer
be edited, only superseded by a clone.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.assessment.evidence import EvidenceRule
from registry.assessment.rules import Indicator, LocalConditions, RuleSet
from registry.auth.models import User
from registry.db import LabelledEnum, Tenths, Timestamped, UTCDateTime, enum_type, utcnow
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.workers.models import Worker


class CriteriaSet(Timestamped, db.Model):
    """One version of the "Công dân học tập" criteria for a target group and a span of years."""

    __tablename__ = "criteria_sets"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("pass_total >= 0 AND min_per_indicator >= 0", name="thresholds"),
        CheckConstraint("min_hours IS NULL OR min_hours >= 0", name="min_hours"),
        CheckConstraint("min_age IS NULL OR min_age BETWEEN 0 AND 100", name="min_age"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: The issuing document, e.g. "Quyết định số 244/QĐ-KHVN ngày 28/7/2022 …" (editable).
    reference: Mapped[str] = mapped_column(String(255))
    #: Why the reference is uncertain, or any other note for officers.
    reference_note: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(String(255))
    #: The set applies to assessments of the years period_start … period_end.
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    pass_total: Mapped[Decimal] = mapped_column(Tenths)
    min_per_indicator: Mapped[Decimal] = mapped_column(Tenths)
    #: Local condition: programme areas (Area values) each needing a participation in the year.
    required_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Local condition: minimum learning hours in the year.
    min_hours: Mapped[Decimal | None] = mapped_column(Tenths)
    #: Local condition: minimum age at the end of the year assessed.
    min_age: Mapped[int | None] = mapped_column(Integer)
    #: Local condition: employed in an enterprise of the commune on this day and month.
    employed_in_commune_on: Mapped[date | None] = mapped_column(Date)
    #: New assessments of the set's years are made under the active set.
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The set this one was cloned from.
    derived_from_id: Mapped[int | None] = mapped_column(ForeignKey("criteria_sets.id"))
    #: Set when a recognition decision used the set: no edit after that, only a new version.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competences: Mapped[list[Competence]] = relationship(
        order_by="Competence.code", cascade="all, delete-orphan", back_populates="criteria_set"
    )
    indicators: Mapped[list[CriteriaIndicator]] = relationship(
        order_by="CriteriaIndicator.code",
        cascade="all, delete-orphan",
        back_populates="criteria_set",
    )
    evidence_rules: Mapped[list[CriteriaEvidenceRule]] = relationship(
        order_by="CriteriaEvidenceRule.id",
        cascade="all, delete-orphan",
        back_populates="criteria_set",
    )
    derived_from: Mapped[CriteriaSet | None] = relationship(remote_side=[id])

    @property
    def is_locked(self) -> bool:
        """True once a decision used the set."""
        return self.locked_at is not None

    @property
    def years_label(self) -> str:
        """The years the set applies to, e.g. "2021–2030"."""
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    def conditions(self) -> LocalConditions:
        """The local conditions of the set, for the rule module."""
        return LocalConditions(
            required_areas=frozenset(self.required_areas or ()),
            min_hours=self.min_hours,
            min_age=self.min_age,
            employed_in_commune_on=self.employed_in_commune_on,
        )

    def rule_set(self) -> RuleSet:
        """The pure rule this set applies."""
        return RuleSet(
            indicators=tuple(indicator.as_rule() for indicator in self.indicators),
            pass_total=self.pass_total,
            min_per_indicator=self.min_per_indicator,
            conditions=self.conditions(),
        )

    def __repr__(self) -> str:
        return f"<CriteriaSet {self.id} {self.years_label} active={self.is_active}>"


class Competence(db.Model):
    """A competence of a criteria set; indicators are grouped under it."""

    __tablename__ = "criteria_competences"
    __table_args__ = (UniqueConstraint("criteria_set_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_sets.id", ondelete="CASCADE")
    )
    code: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="competences")

    def __repr__(self) -> str:
        return f"<Competence {self.criteria_set_id}:{self.code}>"


class CriteriaIndicator(db.Model):
    """An indicator of a criteria set: number, competence, wording and maximum points."""

    __tablename__ = "criteria_indicators"
    __table_args__ = (
        UniqueConstraint("criteria_set_id", "code"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_sets.id", ondelete="CASCADE")
    )
    #: Number of the indicator in the set, 1 … 10 for the workers' set.
    code: Mapped[int] = mapped_column(Integer)
    #: Code of the competence it belongs to.
    competence: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: A few words naming the indicator in reasons: "Chỉ số 6 (ngoại ngữ) …".
    short_label: Mapped[str] = mapped_column(String(120))
    max_points: Mapped[Decimal] = mapped_column(Tenths)

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="indicators")

    def as_rule(self) -> Indicator:
        """The indicator for the rule module."""
        return Indicator(self.code, self.competence, self.text, self.short_label, self.max_points)

    def __repr__(self) -> str:
        return f"<CriteriaIndicator {self.criteria_set_id}:{self.code}>"


class CriteriaEvidenceRule(db.Model):
    """One line of a set's evidence mapping: activities of an area and form support an indicator.

    An area or form left empty matches every area or form.  `suggest_points` is the base of the
    suggested score (registry.assessment.evidence); None: evidence shown, no score suggested.
    """

    __tablename__ = "criteria_evidence_rules"
    __table_args__ = (
        CheckConstraint(
            "suggest_points IS NULL OR suggest_points >= 0", name="suggest_points_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_sets.id", ondelete="CASCADE"), index=True
    )
    #: Programme area (an Area value) of the activities; None: any area.
    area: Mapped[str | None] = mapped_column(String(20))
    #: Form (an ActivityForm value) of the activities; None: any form.
    form: Mapped[str | None] = mapped_column(String(20))
    #: Number of the indicator of the set the activities support.
    indicator_code: Mapped[int] = mapped_column(Integer)
    suggest_points: Mapped[Decimal | None] = mapped_column(Tenths)

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="evidence_rules")

    def as_rule(self) -> EvidenceRule:
        """The line for the evidence module."""
        return EvidenceRule(self.area, self.form, (self.indicator_code,), self.suggest_points)

    def __repr__(self) -> str:
        return (f"<CriteriaEvidenceRule {self.criteria_set_id}: {self.area}/{self.form} → "
                f"{self.indicator_code}>")


class CommuneConditions(Timestamped, db.Model):
    """Local conditions a commune adds, for its workers, on top of the criteria set's rule.

    They apply to the years first_year … last_year (None: every year from first_year on); the
    rows of one commune never overlap.  The conditions of a year with a recognition decision of
    the commune are fixed (registry.assessment.conditions refuses to change them).
    """

    __tablename__ = "commune_conditions"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("first_year BETWEEN 2000 AND 2100", name="first_year_range"),
        CheckConstraint("last_year IS NULL OR last_year >= first_year", name="year_order"),
        CheckConstraint("min_hours IS NULL OR min_hours >= 0", name="min_hours"),
        CheckConstraint("min_age IS NULL OR min_age BETWEEN 15 AND 100", name="min_age"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    first_year: Mapped[int] = mapped_column(Integer)
    #: The last year the conditions apply to; None: every later year.
    last_year: Mapped[int | None] = mapped_column(Integer)
    #: Programme areas (Area values) each needing a participation in the year.
    required_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Minimum learning hours in the year.
    min_hours: Mapped[Decimal | None] = mapped_column(Tenths)
    #: Minimum age at the end of the year assessed.
    min_age: Mapped[int | None] = mapped_column(Integer)
    #: Employed in an enterprise of the commune on this date (a date of first_year; later years
    #: use its day and month).
    employed_on: Mapped[date | None] = mapped_column(Date)

    def conditions(self) -> LocalConditions:
        """The conditions, for the rule module."""
        return LocalConditions(
            required_areas=frozenset(self.required_areas or ()),
            min_hours=self.min_hours,
            min_age=self.min_age,
            employed_in_commune_on=self.employed_on,
        )

    @property
    def years_label(self) -> str:
        """The years covered, e.g. "2025", "2025–2026" or "từ 2025"."""
        if self.last_year is None:
            return f"từ {self.first_year}"
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def __repr__(self) -> str:
        return f"<CommuneConditions {self.commune_id} {self.years_label}>"


class AssessmentStatus(LabelledEnum):
    """Where an assessment stands: draft → submitted → reviewed → approved (or returned)."""

    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã nộp, chờ thẩm định"
    REVIEWED = "reviewed", "Đã thẩm định, chờ phê duyệt"
    APPROVED = "approved", "Đã phê duyệt"
    RETURNED = "returned", "Bị trả lại"

    @property
    def badge(self) -> str:
        """Bootstrap colour of the status badge."""
        return {
            "draft": "secondary",
            "submitted": "info",
            "reviewed": "primary",
            "approved": "success",
            "returned": "warning",
        }[self.value]


class Assessment(Timestamped, db.Model):
    """The assessment of one worker for one calendar year, under one criteria set.

    `version` is SQLAlchemy's version counter: a save based on an older version is refused,
    so two officers editing at once never overwrite each other silently.
    """

    __tablename__ = "assessments"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("worker_id", "year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        Index("ix_assessments_year_enterprise", "year", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    year: Mapped[int] = mapped_column(Integer)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id"), index=True)
    #: The enterprise whose officers manage the assessment (the worker's, when it was made).
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_type(AssessmentStatus), default=AssessmentStatus.DRAFT
    )
    #: The worker's own comment on the self-assessment, or the officer's summary.
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    worker: Mapped[Worker] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    criteria_set: Mapped[CriteriaSet] = relationship()
    scores: Mapped[list[AssessmentScore]] = relationship(
        order_by="AssessmentScore.indicator_code",
        cascade="all, delete-orphan",
        back_populates="assessment",
    )
    transitions: Mapped[list[AssessmentTransition]] = relationship(
        order_by="AssessmentTransition.id", cascade="all, delete-orphan"
    )
    score_changes: Mapped[list[ScoreChange]] = relationship(
        order_by="ScoreChange.id", cascade="all, delete-orphan"
    )

    def score_map(self) -> dict[int, Decimal]:
        """Scores by indicator number."""
        return {score.indicator_code: score.score for score in self.scores}

    def __repr__(self) -> str:
        return f"<Assessment {self.id} worker={self.worker_id} {self.year} {self.status}>"


class AssessmentScore(db.Model):
    """The score of one indicator of an assessment, with the evidence note (minh chứng)."""

    __tablename__ = "assessment_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_code"),
        CheckConstraint("score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    indicator_code: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column(Tenths)
    evidence_note: Mapped[str] = mapped_column(String(500), default="")

    assessment: Mapped[Assessment] = relationship(back_populates="scores")

    def __repr__(self) -> str:
        return f"<AssessmentScore {self.assessment_id}:{self.indicator_code}={self.score}>"


class AssessmentTransition(db.Model):
    """A change of status of an assessment: who moved it, when, and why."""

    __tablename__ = "assessment_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[AssessmentStatus | None] = mapped_column(
        Enum(
            AssessmentStatus,
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [member.value for member in members],
            # Two status columns in one table need two constraint names.
            name="from_status",
        )
    )
    to_status: Mapped[AssessmentStatus] = mapped_column(enum_type(AssessmentStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who acted as shown (username, or "cli:…" for a command).
    actor: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AssessmentTransition {self.assessment_id} {self.from_status}→{self.to_status}>"


class ScoreChange(db.Model):
    """A score changed after the self-assessment was submitted, with the reviewer's reason."""

    __tablename__ = "assessment_score_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[int] = mapped_column(Integer)
    old_score: Mapped[Decimal | None] = mapped_column(Tenths)
    new_score: Mapped[Decimal] = mapped_column(Tenths)
    reason: Mapped[str] = mapped_column(String(500))
    #: The status the assessment had when the score was changed.
    status: Mapped[AssessmentStatus] = mapped_column(enum_type(AssessmentStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120))

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ScoreChange {self.assessment_id}:{self.indicator_code}>"

"""The rule of the "Công dân học tập" title for one worker and one year, as pure Python.

A criteria set (Hội Khuyến học Việt Nam, 2021–2030) has indicators scored from 0 to their
maximum, one decimal place at most.  A worker is recognised when the total reaches the pass
total, no indicator is below the minimum per indicator, and every local condition the commune
added (areas covered that year, hours, age, working in the commune) is met.

The caller gathers the facts (scores of the assessment, areas and hours of the year's
participations, age, employment) and passes them as a `Facts`; `evaluate` decides and says why,
in Vietnamese, listing every reason at once so an officer can fix everything in one pass.
Nothing here touches Flask or the database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

#: The four programme areas every learning activity is classified under, in report order.
AREA_LABELS: dict[str, str] = {
    "law": "Chính trị, pháp luật",
    "skill": "Kỹ năng nghề nghiệp",
    "life": "Kỹ năng sống",
    "digital": "Công nghệ thông tin, công nghệ số",
}

Status = Literal["eligible", "not_eligible", "not_assessed"]

#: Display labels of the outcome statuses.
STATUS_LABELS: dict[str, str] = {
    "eligible": "Đủ điều kiện công nhận",
    "not_eligible": "Chưa đủ điều kiện công nhận",
    "not_assessed": "Chưa đánh giá",
}

_ONE_PLACE = Decimal("0.1")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class ScoreError(ValueError):
    """A score that cannot be accepted; str() is the Vietnamese message naming the indicator."""

    def __init__(self, code: int, problem: str) -> None:
        self.code = code
        super().__init__(f"Chỉ số {code}: {problem}")


def _decimal(value: Decimal | int | float | str) -> Decimal:
    """A Decimal from a setting that may arrive as int, float or text (floats via their repr)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Indicator:
    """One indicator of a criteria set: its number, competence, wording and maximum points."""

    code: int
    competence: int
    text: str
    short_label: str
    max_points: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_points", _decimal(self.max_points))
        if self.max_points <= 0:
            raise ValueError(f"Indicator {self.code}: max_points must be positive")


@dataclass(frozen=True)
class LocalConditions:
    """Conditions a commune adds to the criteria set; each is off when left at its default.

    `employed_in_commune_on` is the reference date of the employment condition.  Only its day
    and month are used: the year is the year assessed, so one rule version serves every year
    (29 February falls back to 28 February in other years).
    """

    required_areas: frozenset[str] = frozenset()
    min_hours: Decimal | None = None
    min_age: int | None = None
    employed_in_commune_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "required_areas", frozenset(self.required_areas))
        unknown = self.required_areas - AREA_LABELS.keys()
        if unknown:
            raise ValueError(f"Unknown programme areas: {sorted(unknown)}")
        if self.min_hours is not None:
            object.__setattr__(self, "min_hours", _decimal(self.min_hours))

    @property
    def is_empty(self) -> bool:
        """True when no condition is set."""
        return not self.required_areas and self.min_hours is None and self.min_age is None and (
            self.employed_in_commune_on is None
        )

    def adding(self, commune: LocalConditions) -> LocalConditions:
        """These conditions (a criteria set's) with a commune's own added on top.

        Both must hold: the areas add up, the higher minimum of hours and of age counts; the
        commune's reference date, when it has one, takes the place of the set's (one day a year).
        """

        def higher(a, b):
            return b if a is None else a if b is None else max(a, b)

        return LocalConditions(
            required_areas=self.required_areas | commune.required_areas,
            min_hours=higher(self.min_hours, commune.min_hours),
            min_age=higher(self.min_age, commune.min_age),
            employed_in_commune_on=commune.employed_in_commune_on or self.employed_in_commune_on,
        )

    def reference_date(self, year: int) -> date | None:
        """The day on which the worker must work in the commune, for the year assessed."""
        ref = self.employed_in_commune_on
        if ref is None:
            return None
        try:
            return ref.replace(year=year)
        except ValueError:
            return date(year, 2, 28)


@dataclass(frozen=True)
class RuleSet:
    """The rule of one criteria-set version: its indicators, thresholds and local conditions."""

    indicators: tuple[Indicator, ...]
    pass_total: Decimal = Decimal(80)
    min_per_indicator: Decimal = Decimal(5)
    conditions: LocalConditions = field(default_factory=LocalConditions)

    def with_commune(self, commune: LocalConditions) -> RuleSet:
        """The same rule with a commune's own local conditions added (LocalConditions.adding)."""
        if commune.is_empty:
            return self
        return replace(self, conditions=self.conditions.adding(commune))

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "pass_total", _decimal(self.pass_total))
        object.__setattr__(self, "min_per_indicator", _decimal(self.min_per_indicator))
        codes = [indicator.code for indicator in self.indicators]
        if not codes:
            raise ValueError("A rule set needs at least one indicator")
        if len(set(codes)) != len(codes):
            raise ValueError(f"Indicator codes repeat: {codes}")

    @property
    def max_total(self) -> Decimal:
        """The highest total the indicators allow."""
        return sum((indicator.max_points for indicator in self.indicators), Decimal(0))

    def indicator(self, code: int) -> Indicator:
        """The indicator with this number; KeyError when the set has none."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


@dataclass(frozen=True)
class Facts:
    """What is known about one worker for one year.

    `scores` maps indicator numbers to scores (missing or None: not scored).  `areas_covered`
    and `hours` cover all the worker's participations of the year, across every enterprise the
    worker belonged to (see `covered_areas`).  `age_at_year_end` and
    `employed_in_commune_on_ref_date` are None when unknown; an unknown fact fails the
    condition that needs it.
    """

    year: int
    scores: Mapping[int, Decimal | None]
    areas_covered: frozenset[str] = frozenset()
    hours: Decimal = Decimal(0)
    age_at_year_end: int | None = None
    employed_in_commune_on_ref_date: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "areas_covered", frozenset(self.areas_covered))
        object.__setattr__(self, "hours", _decimal(self.hours))
        unknown = self.areas_covered - AREA_LABELS.keys()
        if unknown:
            raise ValueError(f"Unknown programme areas: {sorted(unknown)}")
        if self.hours < 0:
            raise ValueError("hours must not be negative")


@dataclass(frozen=True)
class Outcome:
    """The decision for one worker and year, with every reason it is not (yet) positive.

    `total` and `lowest` (indicator number, score) are None unless every indicator is scored.
    `conditions_met` tells whether the local conditions alone are met, whatever the scores.
    """

    status: Status
    total: Decimal | None
    lowest: tuple[int, Decimal] | None
    reasons: tuple[str, ...]
    conditions_met: bool

    @property
    def eligible(self) -> bool:
        """True when the worker meets the title's rule."""
        return self.status == "eligible"

    @property
    def status_label(self) -> str:
        """The status in Vietnamese."""
        return STATUS_LABELS[self.status]


@functools.lru_cache(maxsize=4096)
def format_decimal(value: Decimal | int) -> str:
    """A number as Vietnamese text: "79,9", "80" (no trailing ",0"), "1.250" (dot thousands)."""
    number = Decimal(value)
    if -1000 < number < 1000:  # scores, totals and hours: no thousands to group
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f").replace(".", ",")
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    whole, _, fraction = f"{abs(number):f}".partition(".")
    sign = "-" if number < 0 else ""
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def validate_score(indicator: Indicator, raw: object) -> Decimal:
    """A checked score with one decimal place, from a Decimal, int or text ("7,5", "7.5", " 8 ").

    Raises ScoreError with a Vietnamese message naming the indicator.
    """
    code = indicator.code
    if raw is None or isinstance(raw, bool):
        raise ScoreError(code, "điểm không hợp lệ")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text:
            raise ScoreError(code, "chưa nhập điểm")
        if not _NUMBER.fullmatch(text):
            raise ScoreError(code, f"«{text}» không phải là số")
        value = Decimal(text.replace(",", "."))
    else:
        raise ScoreError(code, "điểm không hợp lệ")
    if not value.is_finite():
        raise ScoreError(code, "điểm không hợp lệ")
    if value < 0 or value > indicator.max_points:
        raise ScoreError(code, f"điểm phải từ 0 đến {format_decimal(indicator.max_points)}")
    if value != value.quantize(_ONE_PLACE):
        raise ScoreError(code, "chỉ được một chữ số thập phân")
    return value.copy_abs().quantize(_ONE_PLACE)


def age_at(birth_date: date, on_date: date) -> int:
    """Completed years of age on a date (someone born on 29 February ages on 1 March)."""
    if on_date < birth_date:
        raise ValueError("Ngày sinh sau ngày tính tuổi.")
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - before_birthday


def covered_areas(*sources: Iterable[str]) -> frozenset[str]:
    """The programme areas covered by several sources together (e.g. two enterprises in a year)."""
    areas = frozenset(area for source in sources for area in source)
    unknown = areas - AREA_LABELS.keys()
    if unknown:
        raise ValueError(f"Unknown programme areas: {sorted(unknown)}")
    return areas


def check_conditions(conditions: LocalConditions, facts: Facts) -> tuple[str, ...]:
    """The reasons, in Vietnamese, why the local conditions are not met; empty when they are."""
    year = facts.year
    reasons = [
        f"Chưa tham gia lĩnh vực {label} năm {year}"
        for area, label in AREA_LABELS.items()
        if area in conditions.required_areas and area not in facts.areas_covered
    ]
    if conditions.min_hours is not None and facts.hours < conditions.min_hours:
        reasons.append(
            f"Tổng số giờ học năm {year} là {format_decimal(facts.hours)} "
            f"< {format_decimal(conditions.min_hours)} giờ"
        )
    if conditions.min_age is not None:
        age = facts.age_at_year_end
        if age is None:
            reasons.append(f"Chưa có ngày sinh để xét điều kiện đủ {conditions.min_age} tuổi")
        elif age < conditions.min_age:
            reasons.append(f"Chưa đủ {conditions.min_age} tuổi ({age} tuổi vào cuối năm {year})")
    ref_date = conditions.reference_date(year)
    if ref_date is not None:
        on = ref_date.strftime("%d/%m/%Y")
        if facts.employed_in_commune_on_ref_date is None:
            reasons.append(
                f"Chưa có thông tin làm việc tại doanh nghiệp trên địa bàn xã vào ngày {on}"
            )
        elif not facts.employed_in_commune_on_ref_date:
            reasons.append(f"Không làm việc tại doanh nghiệp trên địa bàn xã vào ngày {on}")
    return tuple(reasons)


def score_reasons(
    rules: RuleSet, total: Decimal, scores: Mapping[int, Decimal]
) -> tuple[str, ...]:
    """Why complete scores fail: the total below the pass total, each indicator below the minimum.

    `scores` may hold only the indicators below the minimum (as the eligibility query gives
    them); indicators are listed in the set's order.
    """
    reasons: list[str] = []
    if total < rules.pass_total:
        reasons.append(f"Tổng điểm {format_decimal(total)} < {format_decimal(rules.pass_total)}")
    if not scores:
        return tuple(reasons)
    for indicator in rules.indicators:
        score = scores.get(indicator.code)
        if score is not None and score < rules.min_per_indicator:
            reasons.append(
                f"Chỉ số {indicator.code} ({indicator.short_label}) {format_decimal(score)} điểm "
                f"< {format_decimal(rules.min_per_indicator)}"
            )
    return tuple(reasons)


def missing_reason(missing: Iterable[int], any_scored: bool) -> str:
    """The reason an assessment is not complete: "Chưa chấm chỉ số 3, 7" or "Chưa chấm điểm"."""
    if any_scored:
        return "Chưa chấm chỉ số " + ", ".join(str(code) for code in missing)
    return "Chưa chấm điểm"


def evaluate(rules: RuleSet, facts: Facts) -> Outcome:
    """Decide whether a worker meets the title's rule for a year, with every reason if not.

    Not assessed while any indicator is unscored (the local conditions are still checked and
    their reasons follow the missing indicators).  Raises ScoreError for an invalid score or
    a score for an indicator the set does not have.
    """
    unknown = sorted(set(facts.scores) - {indicator.code for indicator in rules.indicators})
    if unknown:
        raise ScoreError(unknown[0], "không có trong bộ tiêu chí")
    scores: dict[int, Decimal] = {}
    for indicator in rules.indicators:
        raw = facts.scores.get(indicator.code)
        if raw is not None:
            scores[indicator.code] = validate_score(indicator, raw)

    condition_reasons = check_conditions(rules.conditions, facts)
    conditions_met = not condition_reasons

    missing = [indicator.code for indicator in rules.indicators if indicator.code not in scores]
    if missing:
        first = missing_reason(missing, bool(scores))
        return Outcome("not_assessed", None, None, (first, *condition_reasons), conditions_met)

    total = sum(scores.values(), Decimal(0))
    lowest = min(scores.items(), key=lambda item: item[1])
    reasons = list(score_reasons(rules, total, scores))
    reasons.extend(condition_reasons)
    status: Status = "not_eligible" if reasons else "eligible"
    return Outcome(status, total, lowest, tuple(reasons), conditions_met)

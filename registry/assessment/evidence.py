"""Which participations support which indicators, and the score an officer may be offered.

A worker's participations of the year are evidence (*minh chứng*) for some indicators of the
"Công dân học tập" criteria.  The link is data: a tuple of `EvidenceRule`, each saying that
activities of a programme area and/or form support some indicators.  A rule with area None
matches every area, with form None every form; a participation supports the union of the
indicators of all rules it matches.  Each criteria set holds its own mapping as rows
(`CriteriaEvidenceRule`, one indicator a row), which an administrator edits on the set's page
while the set is not locked and which a clone copies; the evidence panel reads those rows.

Mapping shipped with the workers' set (`DEFAULT_EVIDENCE_RULES`, inserted for every existing set
by migration 0006), indicator numbers as in the 2021–2030 criteria:

    area       form          indicators  suggestion   why
    any        reading       1           5            reading keeps knowledge up to date
    law        any           1           5            keeping up with policy and law
    law        any           8           none         critical thinking needs the officer's view
    any        course        2, 3        5            a course follows a learning plan, in a group
    any        seminar       2, 3        5            seminars and talks are community learning
    any        online        2, 5        5            an online course is planned and uses IT
    any        event         3           5            e.g. the lifelong-learning week
    digital    any           5           5            IT and digital-technology learning
    skill      any           7           5            vocational skill makes work more productive
    life       any           9, 10       5            life skills: relations, cooperation
    any        competition   7, 10       5            contests ("Thợ giỏi") test skill and teamwork

Indicators 4 (encouraging family and colleagues) and 6 (foreign language) have no rule: no
activity record shows them, so they rest on the worker's self-assessment alone.

Suggested score (`suggest_scores`) for an indicator, from the participations that match a rule
giving a suggestion for it:

    base + 1 × (n − 1) + 1 × ⌊h / 10⌋, capped at the indicator's maximum

where base is the highest `suggest_points` among those rules (5 by default: the minimum per
indicator, since attending shows the indicator at its lowest passing level), n the number of
those participations and h their hours.  The weights live in `SuggestionFormula`.  The result
is shown to officers marked as a suggestion and is never saved as a score by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from registry.assessment.rules import AREA_LABELS, Indicator

#: Forms of learning activity, with their display labels.
FORM_LABELS: dict[str, str] = {
    "course": "Lớp học",
    "seminar": "Hội thảo, buổi sinh hoạt, tuyên truyền",
    "competition": "Hội thi",
    "reading": "Đọc sách, hưởng ứng văn hóa đọc",
    "online": "Học trực tuyến",
    "event": "Sự kiện, ngày hội học tập",
}

_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class EvidenceItem:
    """One participation seen as evidence: its activity's area and form, and hours attended."""

    area: str | None
    form: str | None
    hours: Decimal = Decimal(0)
    participation_id: int | None = None
    activity_name: str = ""


@dataclass(frozen=True)
class EvidenceRule:
    """Activities of an area and/or form (None: any) support these indicators.

    `suggest_points` is the base of the suggested score for those indicators; None means the
    activities count as evidence but no score is suggested.
    """

    area: str | None
    form: str | None
    indicators: tuple[int, ...]
    suggest_points: Decimal | None = None

    def __post_init__(self) -> None:
        if self.area is not None and self.area not in AREA_LABELS:
            raise ValueError(f"Unknown programme area: {self.area!r}")
        if self.form is not None and self.form not in FORM_LABELS:
            raise ValueError(f"Unknown activity form: {self.form!r}")
        if not self.indicators:
            raise ValueError("An evidence rule needs at least one indicator")
        if self.suggest_points is not None and self.suggest_points < 0:
            raise ValueError("suggest_points must not be negative")

    def matches(self, item: EvidenceItem) -> bool:
        """True when the participation's area and form fit this rule."""
        return (self.area is None or self.area == item.area) and (
            self.form is None or self.form == item.form
        )


@dataclass(frozen=True)
class SuggestionFormula:
    """Weights of the suggested score beyond the base (see the module docstring)."""

    per_extra_participation: Decimal = Decimal(1)
    hours_block: Decimal = Decimal(10)
    per_hours_block: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.hours_block <= 0:
            raise ValueError("hours_block must be positive")


_BASE = Decimal(5)

DEFAULT_EVIDENCE_RULES: tuple[EvidenceRule, ...] = (
    EvidenceRule(None, "reading", (1,), _BASE),
    EvidenceRule("law", None, (1,), _BASE),
    EvidenceRule("law", None, (8,), None),
    EvidenceRule(None, "course", (2, 3), _BASE),
    EvidenceRule(None, "seminar", (2, 3), _BASE),
    EvidenceRule(None, "online", (2, 5), _BASE),
    EvidenceRule(None, "event", (3,), _BASE),
    EvidenceRule("digital", None, (5,), _BASE),
    EvidenceRule("skill", None, (7,), _BASE),
    EvidenceRule("life", None, (9, 10), _BASE),
    EvidenceRule(None, "competition", (7, 10), _BASE),
)

DEFAULT_FORMULA = SuggestionFormula()


def supported_indicators(
    item: EvidenceItem, rules: Iterable[EvidenceRule] = DEFAULT_EVIDENCE_RULES
) -> tuple[int, ...]:
    """The indicators a participation supports, in ascending order."""
    return tuple(sorted({code for rule in rules if rule.matches(item) for code in rule.indicators}))


def group_evidence(
    participations: Iterable[EvidenceItem],
    rules: Iterable[EvidenceRule] = DEFAULT_EVIDENCE_RULES,
) -> dict[int, list[EvidenceItem]]:
    """Participations by the indicators they support; each listed once per indicator."""
    rules = tuple(rules)
    grouped: dict[int, list[EvidenceItem]] = {}
    for item in participations:
        for code in supported_indicators(item, rules):
            grouped.setdefault(code, []).append(item)
    return dict(sorted(grouped.items()))


def suggest_scores(
    grouped: Mapping[int, Iterable[EvidenceItem]],
    rules: Iterable[EvidenceRule],
    indicators: Iterable[Indicator],
    formula: SuggestionFormula = DEFAULT_FORMULA,
) -> dict[int, Decimal]:
    """A suggested score per indicator where the mapping allows one (never saved by itself)."""
    rules = tuple(rules)
    suggestions: dict[int, Decimal] = {}
    for indicator in indicators:
        giving = [
            rule
            for rule in rules
            if indicator.code in rule.indicators and rule.suggest_points is not None
        ]
        base: Decimal | None = None
        count = 0
        hours = Decimal(0)
        for item in grouped.get(indicator.code, ()):
            matched = [rule.suggest_points for rule in giving if rule.matches(item)]
            if not matched:
                continue
            best = max(p for p in matched if p is not None)
            base = best if base is None else max(base, best)
            count += 1
            hours += item.hours
        if base is None:
            continue
        blocks = (hours / formula.hours_block).to_integral_value(rounding=ROUND_DOWN)
        score = (
            base + formula.per_extra_participation * (count - 1) + formula.per_hours_block * blocks
        )
        suggestions[indicator.code] = min(score, indicator.max_points).quantize(_ONE_PLACE)
    return suggestions

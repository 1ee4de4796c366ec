"""Evidence mapping: which participations support which indicators, and suggested scores."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest

from registry.assessment.criteria_data import WORKERS_2021_2030
from registry.assessment.evidence import (
    DEFAULT_EVIDENCE_RULES,
    FORM_LABELS,
    EvidenceItem,
    EvidenceRule,
    SuggestionFormula,
    group_evidence,
    suggest_scores,
    supported_indicators,
)
from registry.assessment.rules import AREA_LABELS, Indicator

INDICATORS = WORKERS_2021_2030.indicators


def item(area: str | None, form: str | None, hours: int | str = 0, pid: int = 0) -> EvidenceItem:
    """A participation of an activity of this area and form."""
    return EvidenceItem(area, form, Decimal(str(hours)), participation_id=pid)


@pytest.mark.parametrize(
    ("area", "form", "expected"),
    [
        ("digital", "online", (2, 5)),
        ("digital", "course", (2, 3, 5)),
        ("law", "seminar", (1, 2, 3, 8)),
        ("life", "event", (3, 9, 10)),
        ("skill", "competition", (7, 10)),
        (None, "reading", (1,)),
        ("skill", None, (7,)),
    ],
)
def test_supported_indicators_by_default(
    area: str | None, form: str | None, expected: tuple[int, ...]
) -> None:
    """Each area and form supports the indicators of every default rule it matches."""
    assert supported_indicators(item(area, form)) == expected


def test_indicators_4_and_6_rest_on_self_assessment_only() -> None:
    """No activity supports indicator 4 (encouraging others) or 6 (foreign language) by default."""
    supported = {
        code
        for area, form in product([*AREA_LABELS, None], [*FORM_LABELS, None])
        for code in supported_indicators(item(area, form))
    }
    assert supported == {1, 2, 3, 5, 7, 8, 9, 10}


def test_group_evidence_lists_each_participation_once_per_indicator() -> None:
    """A participation matching two rules for one indicator appears once under it."""
    online_it = item("digital", "online", 6, pid=1)
    law_talk = item("law", "seminar", 2, pid=2)
    grouped = group_evidence([online_it, law_talk])
    assert grouped == {
        1: [law_talk],
        2: [online_it, law_talk],
        3: [law_talk],
        5: [online_it],
        8: [law_talk],
    }


def test_group_evidence_of_nothing_is_empty() -> None:
    """No participations give no evidence."""
    assert group_evidence([]) == {}


def test_one_supporting_participation_suggests_the_base() -> None:
    """A single short IT participation suggests 5 for indicator 5 and 2 (online course)."""
    grouped = group_evidence([item("digital", "online", 4)])
    assert suggest_scores(grouped, DEFAULT_EVIDENCE_RULES, INDICATORS) == {
        2: Decimal("5.0"),
        5: Decimal("5.0"),
    }


def test_more_participations_and_hours_raise_the_suggestion() -> None:
    """Three IT activities of 25 hours in all suggest 5 + 2 (extra) + 2 (full 10 hours) = 9."""
    participations = [
        item("digital", "seminar", 5, pid=1),
        item("digital", "seminar", 8, pid=2),
        item("digital", "seminar", 12, pid=3),
    ]
    suggested = suggest_scores(group_evidence(participations), DEFAULT_EVIDENCE_RULES, INDICATORS)
    assert suggested[5] == Decimal("9.0")


def test_suggestion_is_capped_at_the_indicator_maximum() -> None:
    """Many hours never suggest more than the indicator's maximum points."""
    participations = [item("life", "course", 40, pid=n) for n in range(4)]
    suggested = suggest_scores(group_evidence(participations), DEFAULT_EVIDENCE_RULES, INDICATORS)
    assert suggested[9] == Decimal("10.0")
    small = (Indicator(9, 3, "Quan hệ", "quan hệ", Decimal(6)),)
    assert suggest_scores(group_evidence(participations), DEFAULT_EVIDENCE_RULES, small) == {
        9: Decimal("6.0")
    }


def test_evidence_only_rule_gives_no_suggestion() -> None:
    """Law activities support indicator 8 as evidence but no score is suggested for it."""
    grouped = group_evidence([item("law", "seminar", 3)])
    assert 8 in grouped
    suggested = suggest_scores(grouped, DEFAULT_EVIDENCE_RULES, INDICATORS)
    assert 8 not in suggested
    assert suggested[1] == Decimal("5.0")


def test_custom_rules_and_formula() -> None:
    """A commune's own mapping and weights drive grouping and suggestion."""
    rules = (EvidenceRule("skill", "course", (6,), Decimal(6)),)
    formula = SuggestionFormula(
        per_extra_participation=Decimal("0.5"), hours_block=Decimal(4), per_hours_block=Decimal(1)
    )
    participations = [item("skill", "course", 3, pid=1), item("skill", "course", 6, pid=2)]
    grouped = group_evidence(participations, rules)
    assert list(grouped) == [6]
    # 6 + 0.5 × (2 − 1) + 1 × ⌊9 / 4⌋ = 8.5
    assert suggest_scores(grouped, rules, INDICATORS, formula) == {6: Decimal("8.5")}


def test_rule_for_an_indicator_outside_the_set_is_ignored() -> None:
    """A suggestion is only made for indicators of the criteria set passed in."""
    rules = (EvidenceRule("law", None, (11,), Decimal(5)),)
    grouped = group_evidence([item("law", "course")], rules)
    assert grouped == {11: [item("law", "course")]}
    assert suggest_scores(grouped, rules, INDICATORS) == {}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"area": "sport", "form": None, "indicators": (1,)}, "area"),
        ({"area": None, "form": "webinar", "indicators": (1,)}, "form"),
        ({"area": "law", "form": None, "indicators": ()}, "indicator"),
        ({"area": "law", "form": None, "indicators": (1,), "suggest_points": Decimal(-1)}, "neg"),
    ],
)
def test_invalid_evidence_rules_are_refused(kwargs: dict[str, object], message: str) -> None:
    """Unknown areas or forms, empty indicators and negative points are refused."""
    with pytest.raises(ValueError, match=message):
        EvidenceRule(**kwargs)  # type: ignore[arg-type]

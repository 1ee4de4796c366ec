"""The "Công dân học tập" rule: totals, minimum per indicator, local conditions, scores."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from registry.assessment.criteria_data import WORKERS_2021_2030
from registry.assessment.rules import (
    Facts,
    LocalConditions,
    RuleSet,
    ScoreError,
    age_at,
    covered_areas,
    evaluate,
    format_decimal,
    validate_score,
)

RULES = WORKERS_2021_2030.rule_set()
ALL_AREAS = frozenset({"law", "skill", "life", "digital"})


def scores(*values: str | int) -> dict[int, Decimal]:
    """Scores of indicators 1, 2, … in order, from text or int values."""
    return {code: Decimal(str(value)) for code, value in enumerate(values, start=1)}


def with_conditions(**conditions: object) -> RuleSet:
    """The workers' rule with some local conditions switched on."""
    return replace(RULES, conditions=LocalConditions(**conditions))


def test_exactly_80_with_every_indicator_at_least_5_is_eligible() -> None:
    """A total of exactly 80 with no indicator below 5 is recognised."""
    outcome = evaluate(RULES, Facts(2025, scores(10, 10, 10, 10, 10, 5, 5, 5, 5, 10)))
    assert outcome.status == "eligible"
    assert outcome.eligible
    assert outcome.total == Decimal(80)
    assert outcome.lowest == (6, Decimal(5))
    assert outcome.reasons == ()


def test_80_with_one_indicator_at_4_9_is_not_eligible_and_names_it() -> None:
    """A total of 80 with one indicator at 4.9 fails, naming the indicator and its score."""
    outcome = evaluate(RULES, Facts(2025, scores(10, 10, 10, 10, 10, "4.9", "5.1", 5, 5, 10)))
    assert outcome.status == "not_eligible"
    assert outcome.total == Decimal(80)
    assert outcome.lowest == (6, Decimal("4.9"))
    assert outcome.reasons == ("Chỉ số 6 (ngoại ngữ) 4,9 điểm < 5",)


def test_total_79_9_is_not_eligible() -> None:
    """A total of 79.9 is below 80 even with every indicator at least 5."""
    outcome = evaluate(RULES, Facts(2025, scores(8, 8, 8, 8, 8, 8, 8, 8, 8, "7.9")))
    assert outcome.status == "not_eligible"
    assert outcome.total == Decimal("79.9")
    assert outcome.reasons == ("Tổng điểm 79,9 < 80",)


def test_all_tens_is_eligible() -> None:
    """The full 100 points are recognised."""
    outcome = evaluate(RULES, Facts(2025, scores(*[10] * 10)))
    assert outcome.status == "eligible"
    assert outcome.total == Decimal(100)


def test_a_missing_indicator_means_not_assessed() -> None:
    """Indicators left unscored (absent or None) make the outcome not assessed, naming them."""
    partial: dict[int, Decimal | None] = dict(scores(*[10] * 10))
    del partial[3]
    partial[7] = None
    outcome = evaluate(RULES, Facts(2025, partial))
    assert outcome.status == "not_assessed"
    assert outcome.total is None
    assert outcome.lowest is None
    assert outcome.reasons == ("Chưa chấm chỉ số 3, 7",)


def test_no_score_at_all_means_not_assessed() -> None:
    """An assessment without any score is not assessed."""
    outcome = evaluate(RULES, Facts(2025, {}))
    assert outcome.status == "not_assessed"
    assert outcome.reasons == ("Chưa chấm điểm",)


def test_not_assessed_still_reports_unmet_conditions() -> None:
    """While scores are missing, unmet local conditions are listed after the missing ones."""
    rules = with_conditions(min_hours=Decimal(20))
    outcome = evaluate(rules, Facts(2025, {1: Decimal(9)}, hours=Decimal(3)))
    assert outcome.status == "not_assessed"
    assert outcome.conditions_met is False
    assert outcome.reasons == (
        "Chưa chấm chỉ số 2, 3, 4, 5, 6, 7, 8, 9, 10",
        "Tổng số giờ học năm 2025 là 3 < 20 giờ",
    )


def test_required_area_not_covered_is_named_with_the_year() -> None:
    """A required programme area without participation that year fails, naming area and year."""
    rules = with_conditions(required_areas=frozenset({"law", "life"}))
    facts = Facts(2025, scores(*[9] * 10), areas_covered=frozenset({"law", "skill"}))
    outcome = evaluate(rules, facts)
    assert outcome.status == "not_eligible"
    assert outcome.conditions_met is False
    assert outcome.reasons == ("Chưa tham gia lĩnh vực Kỹ năng sống năm 2025",)


def test_all_required_areas_covered_is_eligible() -> None:
    """Covering every required area meets the area condition."""
    rules = with_conditions(required_areas=ALL_AREAS)
    outcome = evaluate(rules, Facts(2025, scores(*[9] * 10), areas_covered=ALL_AREAS))
    assert outcome.status == "eligible"
    assert outcome.conditions_met is True


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (Decimal(12), ("Tổng số giờ học năm 2025 là 12 < 20 giờ",)),
        (Decimal("19.5"), ("Tổng số giờ học năm 2025 là 19,5 < 20 giờ",)),
        (Decimal(20), ()),
    ],
)
def test_minimum_hours(hours: Decimal, expected: tuple[str, ...]) -> None:
    """Fewer hours than the minimum fail with the year's hours shown; exactly the minimum passes."""
    outcome = evaluate(with_conditions(min_hours=20), Facts(2025, scores(*[9] * 10), hours=hours))
    assert outcome.reasons == expected
    assert outcome.eligible is (expected == ())


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (17, ("Chưa đủ 18 tuổi (17 tuổi vào cuối năm 2025)",)),
        (18, ()),
        (None, ("Chưa có ngày sinh để xét điều kiện đủ 18 tuổi",)),
    ],
)
def test_minimum_age_at_year_end(age: int | None, expected: tuple[str, ...]) -> None:
    """17 at the end of the year fails the 18-year condition, 18 passes, unknown fails."""
    outcome = evaluate(
        with_conditions(min_age=18), Facts(2025, scores(*[9] * 10), age_at_year_end=age)
    )
    assert outcome.reasons == expected
    assert outcome.conditions_met is (expected == ())


@pytest.mark.parametrize(
    ("employed", "expected"),
    [
        (True, ()),
        (False, ("Không làm việc tại doanh nghiệp trên địa bàn xã vào ngày 31/12/2025",)),
        (
            None,
            ("Chưa có thông tin làm việc tại doanh nghiệp trên địa bàn xã vào ngày 31/12/2025",),
        ),
    ],
)
def test_employment_in_commune_on_reference_date(
    employed: bool | None, expected: tuple[str, ...]
) -> None:
    """Working in an enterprise of the commune on the reference date is required when set."""
    rules = with_conditions(employed_in_commune_on=date(2025, 12, 31))
    facts = Facts(2025, scores(*[9] * 10), employed_in_commune_on_ref_date=employed)
    assert evaluate(rules, facts).reasons == expected


def test_employment_reference_date_follows_the_year_assessed() -> None:
    """One rule version serves every year: the reference day and month apply to that year."""
    rules = with_conditions(employed_in_commune_on=date(2025, 12, 31))
    facts = Facts(2026, scores(*[9] * 10), employed_in_commune_on_ref_date=False)
    assert evaluate(rules, facts).reasons == (
        "Không làm việc tại doanh nghiệp trên địa bàn xã vào ngày 31/12/2026",
    )
    leap = LocalConditions(employed_in_commune_on=date(2024, 2, 29))
    assert leap.reference_date(2025) == date(2025, 2, 28)


def test_worker_who_changed_enterprise_counts_areas_of_both() -> None:
    """Areas covered at two enterprises in the same year together meet the area condition."""
    rules = with_conditions(required_areas=ALL_AREAS)
    first_enterprise = ["law", "skill"]
    second_enterprise = ["life", "digital", "skill"]
    for alone in (first_enterprise, second_enterprise):
        facts = Facts(2025, scores(*[9] * 10), areas_covered=covered_areas(alone))
        assert evaluate(rules, facts).status == "not_eligible"
    both = Facts(
        2025, scores(*[9] * 10), areas_covered=covered_areas(first_enterprise, second_enterprise)
    )
    assert evaluate(rules, both).status == "eligible"


def test_covered_areas_rejects_an_unknown_area() -> None:
    """An area code outside the four programme areas is refused."""
    with pytest.raises(ValueError, match="sport"):
        covered_areas(["law"], ["sport"])


def test_every_failing_reason_is_listed_in_order() -> None:
    """Total, low indicators and every unmet condition are all listed at once, in a fixed order."""
    rules = with_conditions(
        required_areas=ALL_AREAS,
        min_hours=Decimal(20),
        min_age=18,
        employed_in_commune_on=date(2025, 12, 31),
    )
    facts = Facts(
        2025,
        scores(10, 10, 4, 10, 10, 4, 10, 10, 5, 5),
        areas_covered=frozenset({"law", "digital"}),
        hours=Decimal(12),
        age_at_year_end=17,
        employed_in_commune_on_ref_date=False,
    )
    outcome = evaluate(rules, facts)
    assert outcome.status == "not_eligible"
    assert outcome.total == Decimal(78)
    assert outcome.lowest == (3, Decimal(4))
    assert outcome.reasons == (
        "Tổng điểm 78 < 80",
        "Chỉ số 3 (học tập tại cộng đồng) 4 điểm < 5",
        "Chỉ số 6 (ngoại ngữ) 4 điểm < 5",
        "Chưa tham gia lĩnh vực Kỹ năng nghề nghiệp năm 2025",
        "Chưa tham gia lĩnh vực Kỹ năng sống năm 2025",
        "Tổng số giờ học năm 2025 là 12 < 20 giờ",
        "Chưa đủ 18 tuổi (17 tuổi vào cuối năm 2025)",
        "Không làm việc tại doanh nghiệp trên địa bàn xã vào ngày 31/12/2025",
    )


def test_thresholds_are_data_of_the_rule_set() -> None:
    """A rule set with a lower pass total recognises a total the default set refuses."""
    facts = Facts(2025, scores(*["7.5"] * 10))
    assert evaluate(RULES, facts).status == "not_eligible"
    assert evaluate(replace(RULES, pass_total=Decimal(75)), facts).status == "eligible"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (11, "Chỉ số 4: điểm phải từ 0 đến 10"),
        (-1, "Chỉ số 4: điểm phải từ 0 đến 10"),
        ("10,5", "Chỉ số 4: điểm phải từ 0 đến 10"),
        (Decimal("7.25"), "Chỉ số 4: chỉ được một chữ số thập phân"),
        ("7,25", "Chỉ số 4: chỉ được một chữ số thập phân"),
        ("abc", "Chỉ số 4: «abc» không phải là số"),
        ("7,5,1", "Chỉ số 4: «7,5,1» không phải là số"),
        ("  ", "Chỉ số 4: chưa nhập điểm"),
        (True, "Chỉ số 4: điểm không hợp lệ"),
        (Decimal("NaN"), "Chỉ số 4: điểm không hợp lệ"),
    ],
)
def test_invalid_scores_are_refused_naming_the_indicator(raw: object, message: str) -> None:
    """Out-of-range, over-precise and non-numeric scores raise ScoreError with the message."""
    with pytest.raises(ScoreError) as caught:
        validate_score(RULES.indicator(4), raw)
    assert str(caught.value) == message
    assert caught.value.code == 4
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7,5", Decimal("7.5")),
        ("7.5", Decimal("7.5")),
        (" 8 ", Decimal("8.0")),
        (Decimal("7.50"), Decimal("7.5")),
        (10, Decimal("10.0")),
        (0, Decimal("0.0")),
        ("-0", Decimal("0.0")),
    ],
)
def test_valid_scores_are_parsed_to_one_decimal_place(raw: object, expected: Decimal) -> None:
    """Comma or dot decimals, spaces and trailing zeros are accepted and give one place."""
    value = validate_score(RULES.indicator(4), raw)
    assert value == expected
    assert value.as_tuple().exponent == -1
    assert not value.is_signed()


def test_evaluate_refuses_invalid_and_unknown_scores() -> None:
    """evaluate() validates scores and refuses an indicator the criteria set does not have."""
    bad = scores(*[9] * 10)
    bad[5] = Decimal("7.25")
    with pytest.raises(ScoreError, match="Chỉ số 5: chỉ được một chữ số thập phân"):
        evaluate(RULES, Facts(2025, bad))
    extra = scores(*[9] * 11)
    with pytest.raises(ScoreError, match="Chỉ số 11: không có trong bộ tiêu chí"):
        evaluate(RULES, Facts(2025, extra))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(78), "78"),
        (Decimal("80.0"), "80"),
        (Decimal("79.9"), "79,9"),
        (Decimal("4.90"), "4,9"),
        (Decimal("1250.5"), "1.250,5"),
        (Decimal(100), "100"),
    ],
)
def test_format_decimal(value: Decimal, text: str) -> None:
    """Numbers print with a decimal comma, no trailing ",0" and dot thousands."""
    assert format_decimal(value) == text


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2008, 1, 1), date(2025, 12, 31), 17),
        (date(2007, 12, 31), date(2025, 12, 31), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2025, 6, 1), date(2025, 6, 1), 0),
    ],
)
def test_age_at(birth: date, on: date, age: int) -> None:
    """Age counts completed years; a birthday not yet reached that year does not count."""
    assert age_at(birth, on) == age


def test_age_at_refuses_a_date_before_birth() -> None:
    """Asking the age before the birth date is an error."""
    with pytest.raises(ValueError, match="Ngày sinh sau ngày tính tuổi"):
        age_at(date(2025, 6, 2), date(2025, 6, 1))


def test_rule_set_refuses_repeated_indicator_codes() -> None:
    """A criteria set with two indicators of the same number is refused."""
    first = RULES.indicators[0]
    with pytest.raises(ValueError, match="repeat"):
        RuleSet(indicators=(first, first))


def test_criteria_data_has_ten_indicators_worth_100_in_three_competences() -> None:
    """The workers' criteria set: indicators 1–10 of 10 points, 3 competences, 80 and 5."""
    data = WORKERS_2021_2030
    assert [indicator.code for indicator in data.indicators] == list(range(1, 11))
    assert all(indicator.max_points == Decimal(10) for indicator in data.indicators)
    assert sum(indicator.max_points for indicator in data.indicators) == Decimal(100)
    assert [competence.code for competence in data.competences] == [1, 2, 3]
    assert [competence.name for competence in data.competences] == [
        "Năng lực tự học và học tập suốt đời",
        "Năng lực sử dụng các công cụ tương tác",
        "Năng lực quan hệ xã hội",
    ]
    by_competence = [indicator.competence for indicator in data.indicators]
    assert by_competence == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3]
    assert (data.pass_total, data.min_per_indicator) == (Decimal(80), Decimal(5))
    assert data.conditions == LocalConditions()
    assert data.rule_set().max_total == Decimal(100)


def test_criteria_data_reference_and_note() -> None:
    """The reference cites decision 244 of 28/7/2022 and the note records the 324 variant."""
    data = WORKERS_2021_2030
    assert data.reference == (
        "Quyết định số 244/QĐ-KHVN ngày 28/7/2022 của Hội Khuyến học Việt Nam"
    )
    assert "324/QĐ-KHVN" in data.reference_note
    assert (data.period_start, data.period_end) == (2021, 2030)
    assert data.name.startswith("Tiêu chí đánh giá, công nhận danh hiệu Công dân học tập")


def test_criteria_data_text_is_nfc() -> None:
    """Every Vietnamese text of the criteria set is stored in Unicode NFC."""
    row = WORKERS_2021_2030.as_dict()
    texts = [row["name"], row["reference"], row["reference_note"], row["target_group"]]
    texts += [competence["name"] for competence in row["competences"]]
    texts += [ind["text"] for ind in row["indicators"]] + [
        ind["short_label"] for ind in row["indicators"]
    ]
    assert len(row["indicators"]) == 10
    for text in texts:
        assert text == unicodedata.normalize("NFC", text), text

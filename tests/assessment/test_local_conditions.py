"""A commune's own local conditions: the pure rule, setting them, decided years, the eligibility
table against a brute force, and who may see or change them."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from registry.assessment.conditions import (
    ConditionsEdit,
    commune_conditions,
    conditions_for_year,
    conditions_of,
    set_commune_conditions,
)
from registry.assessment.criteria_data import WORKERS_2021_2030
from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.assessment.models import Assessment, CommuneConditions
from registry.assessment.rules import Facts, LocalConditions, RuleSet, evaluate
from registry.assessment.services import clone_criteria_set
from registry.auth.models import Role
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.learning.models import Area
from registry.recognition.models import Decision, DecisionEntry, DecisionStatus
from registry.recognition.services import create_decision, default_data
from registry.workers.models import Employment
from tests.assessment.test_eligibility import active_set, assess, brute_force, build_commune
from tests.conftest import OTHER_COMMUNE, field_errors, flashes

INDICATORS = WORKERS_2021_2030.indicators


# --- the pure rule --------------------------------------------------------------------------


def facts(**values) -> Facts:
    """A worker with 9 in every indicator (total 90), and the given facts."""
    return Facts(2025, dict.fromkeys(range(1, 11), Decimal(9)), **values)


SET_RULE = RuleSet(
    INDICATORS,
    conditions=LocalConditions(required_areas=frozenset({"law"}), min_hours=Decimal(5),
                               min_age=18, employed_in_commune_on=date(2025, 12, 31)),
)
COMMUNE = LocalConditions(required_areas=frozenset({"life"}), min_hours=Decimal(10),
                          min_age=16, employed_in_commune_on=date(2025, 7, 1))


def test_commune_conditions_add_to_the_sets():
    """Areas add up, the higher hours and age count, the commune's reference date replaces
    the set's."""
    merged = SET_RULE.with_commune(COMMUNE).conditions
    assert merged.required_areas == {"law", "life"}
    assert merged.min_hours == Decimal(10)
    assert merged.min_age == 18
    assert merged.reference_date(2026) == date(2026, 7, 1)


def test_a_worker_meeting_the_set_but_not_the_commune_is_not_eligible():
    """Law covered, 8 hours, employed on 1 July: the set alone passes, the commune's
    life-skills area and 10 hours fail, each with its reason."""
    worker = facts(areas_covered=frozenset({"law"}), hours=Decimal(8), age_at_year_end=30,
                   employed_in_commune_on_ref_date=True)
    assert evaluate(SET_RULE, worker).eligible
    outcome = evaluate(SET_RULE.with_commune(COMMUNE), worker)
    assert outcome.status == "not_eligible" and not outcome.conditions_met
    assert outcome.reasons == (
        "Chưa tham gia lĩnh vực Kỹ năng sống năm 2025",
        "Tổng số giờ học năm 2025 là 8 < 10 giờ",
    )


def test_exactly_meeting_the_commune_conditions_is_eligible():
    """Both areas, exactly 10 hours and exactly 18 at year end pass."""
    worker = facts(areas_covered=frozenset({"law", "life"}), hours=Decimal(10),
                   age_at_year_end=18, employed_in_commune_on_ref_date=True)
    assert evaluate(SET_RULE.with_commune(COMMUNE), worker).eligible


def test_the_commune_age_counts_when_higher_than_the_sets():
    """A commune asking 25 years refuses a worker of 24 whom the set (18) accepts."""
    older = LocalConditions(min_age=25)
    worker = facts(areas_covered=frozenset({"law"}), hours=Decimal(5), age_at_year_end=24,
                   employed_in_commune_on_ref_date=True)
    assert evaluate(SET_RULE, worker).eligible
    assert evaluate(SET_RULE.with_commune(older), worker).reasons == (
        "Chưa đủ 25 tuổi (24 tuổi vào cuối năm 2025)",
    )


def test_no_commune_conditions_keep_the_set_rule():
    """Empty commune conditions leave the rule as it is."""
    assert SET_RULE.with_commune(LocalConditions()) is SET_RULE


# --- setting them ---------------------------------------------------------------------------


@pytest.fixture
def home(make):
    return make.commune()


def edit(year, onwards=False, **values) -> ConditionsEdit:
    return ConditionsEdit(first_year=year, onwards=onwards, **values)


def spans(db, commune) -> list[tuple[int, int | None, Decimal | None]]:
    return [(r.first_year, r.last_year, r.min_hours) for r in conditions_of(db, commune.id)]


def test_a_year_inside_conditions_from_a_year_on_splits_them(db, make, home):
    """Conditions from 2022 on, then other ones for 2024 only: 2022–2023 and from 2025 keep the
    first; clearing from 2025 on leaves 2022–2023 and 2024."""
    officer = make.scope(Role.COMMUNE)
    set_commune_conditions(db, officer, home, edit(2022, True, min_hours="4"))
    set_commune_conditions(db, officer, home, edit(2024, min_hours="12,5"))
    assert spans(db, home) == [(2022, 2023, Decimal(4)), (2024, 2024, Decimal("12.5")),
                               (2025, None, Decimal(4))]
    assert commune_conditions(db, home.id, 2030).min_hours == Decimal(4)
    assert conditions_for_year(db, 2024) == {home.id: LocalConditions(min_hours=Decimal("12.5"))}
    assert set_commune_conditions(db, officer, home, edit(2025, True)) is None
    assert spans(db, home) == [(2022, 2023, Decimal(4)), (2024, 2024, Decimal("12.5"))]
    assert conditions_for_year(db, 2025) == {}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"min_hours": "-1"}, "min_hours", "Số giờ học tối thiểu không được âm."),
        ({"min_hours": "2,55"}, "min_hours", "Số giờ học tối thiểu chỉ được một chữ số thập phân."),
        ({"min_age": 14}, "min_age", "Tuổi tối thiểu phải từ 15 đến 100."),
        ({"min_age": 101}, "min_age", "Tuổi tối thiểu phải từ 15 đến 100."),
        ({"employed_on": date(2024, 12, 31)}, "employed_on", "phải là một ngày của năm 2025"),
        ({"required_areas": ["sport"]}, "required_areas", "Hãy chọn lĩnh vực trong danh sách."),
        ({"first_year": 2019}, "first_year", "Năm áp dụng phải từ 2021 đến 2100."),
        ({"first_year": None}, "first_year", "Năm áp dụng phải từ 2021 đến 2100."),
    ],
)
def test_invalid_conditions_are_refused_and_nothing_is_saved(db, make, home, values, field,
                                                             message):
    """Each invalid field gets its Vietnamese message; no row is written."""
    data = {"first_year": 2025, "min_age": 18, **values}
    with pytest.raises(DomainError) as caught:
        set_commune_conditions(db, make.scope(Role.COMMUNE), home, ConditionsEdit(**data))
    assert message in caught.value.fields[field]
    assert conditions_of(db, home.id) == []


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PROVINCE])
def test_only_the_communes_officers_and_admins_set_them(db, make, home, role):
    """Enterprise officers and provincial viewers are refused by the service too; an officer
    of another commune as well."""
    for scope in (make.scope(role), make.scope(Role.COMMUNE, commune=OTHER_COMMUNE)):
        with pytest.raises(DomainError):
            set_commune_conditions(db, scope, home, edit(2025, min_age=18))
    set_commune_conditions(db, make.scope(Role.ADMIN), home, edit(2025, min_age=18))
    assert spans(db, home) == [(2025, 2025, None)]


def decision(db, commune, year=2025, status=DecisionStatus.ISSUED) -> Decision:
    row = Decision(
        commune_id=commune.id, year=year, status=status, issuing_body="ỦY BAN NHÂN DÂN\nXÃ THỬ",
        number="7", symbol="QĐ-UBND", number_year=year + 1, place="Thử",
        signed_on=date(year + 1, 1, 15), authority="CHỦ TỊCH", signer_title="CHỦ TỊCH",
        signer_name="Lê Văn Phượng", legal_bases="", recipients="",
    )
    db.add(row)
    db.flush()
    return row


def test_a_decided_years_conditions_cannot_change(db, make, home):
    """With a decision of 2025, conditions for 2025 or from 2024 on are refused; from 2026 on
    they are saved and 2025 keeps its own."""
    officer = make.scope(Role.COMMUNE)
    set_commune_conditions(db, officer, home, edit(2024, True, min_hours="5"))
    decision(db, home, status=DecisionStatus.DRAFT)
    for attempt in (edit(2025, min_hours="20"), edit(2024, True), edit(2021, True, min_age=30)):
        with pytest.raises(DomainError) as caught:
            set_commune_conditions(db, officer, home, attempt)
        assert "Năm 2025 đã có quyết định công nhận" in caught.value.fields["first_year"]
    set_commune_conditions(db, officer, home, edit(2026, True, min_hours="20"))
    assert commune_conditions(db, home.id, 2025).min_hours == Decimal(5)
    assert commune_conditions(db, home.id, 2026).min_hours == Decimal(20)


def test_a_decision_listing_a_worker_of_the_commune_fixes_the_year(db, make, home):
    """A decision made elsewhere that lists a worker assessed in an enterprise of the commune
    fixes that year for the commune too; an archived draft does not."""
    worker = make.worker(make.enterprise())
    assessment = assess(db, worker, [9] * 10)
    elsewhere = decision(db, make.commune(OTHER_COMMUNE), status=DecisionStatus.DRAFT)
    elsewhere.archived_at = utcnow()
    db.add(DecisionEntry(decision_id=elsewhere.id, worker_id=worker.id,
                         assessment_id=assessment.id, full_name=worker.full_name,
                         sort_key=worker.sort_key, birth_year=1995))
    db.flush()
    officer = make.scope(Role.COMMUNE)
    set_commune_conditions(db, officer, home, edit(2025, min_age=20))
    elsewhere.archived_at = None
    elsewhere.status = DecisionStatus.ISSUED
    db.flush()
    with pytest.raises(DomainError):
        set_commune_conditions(db, officer, home, edit(2025, min_age=40))
    assert commune_conditions(db, home.id, 2025).min_age == 20


def test_the_decided_year_keeps_its_result(db, make, home):
    """A worker eligible and recognised for 2025 stays eligible for 2025 whatever the commune
    tries; the same stricter conditions from 2026 on do change 2026."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    for year in (2025, 2026):
        assess(db, worker, [9] * 10, year=year)
    officer = make.scope(Role.COMMUNE)
    decision(db, home)
    with pytest.raises(DomainError):
        set_commune_conditions(db, officer, home, edit(2025, True, min_hours="100"))
    set_commune_conditions(db, officer, home, edit(2026, True, min_hours="100"))

    def result(year):
        (row,) = compute_eligibility(db, year=year, commune_ids=[home.id])
        return row.status, row.reasons

    assert result(2025) == (EligibilityStatus.ELIGIBLE, ())
    assert result(2026) == (EligibilityStatus.NOT_ELIGIBLE,
                            ("Tổng số giờ học năm 2026 là 0 < 100 giờ",))


# --- the eligibility table against a brute force -------------------------------------------


def test_seeded_commune_with_its_own_conditions_matches_brute_force(db, make):
    """Commune conditions on top of two criteria sets (one with conditions of its own), on a
    seeded commune with leavers and a worker assessed in another commune: every row equals the
    brute force; the other commune's conditions reach only the row shown under its enterprise."""
    build_commune(db, make, random.Random(11))
    strict = clone_criteria_set(db, active_set(db))
    strict.required_areas = ["law"]
    strict.min_hours = Decimal(6)
    strict.min_age = 25
    strict.employed_in_commune_on = date(2025, 12, 31)
    db.flush()
    assessments = db.scalars(select(Assessment).where(Assessment.year == 2025)
                             .order_by(Assessment.id)).all()
    for assessment in assessments[::2]:
        assessment.criteria_set_id = strict.id
    enterprises = db.scalars(select(Enterprise).order_by(Enterprise.id)).all()
    # Leavers: one left the commune in March (not employed on 1 July), one in September.
    for given, end in (("Rời tháng ba", date(2025, 3, 31)), ("Rời tháng chín", date(2025, 9, 30))):
        leaver = make.worker(enterprises[0], given=given, start=date(2019, 1, 1), end=end)
        leaver.current_enterprise_id = None
        make.participation(make.activity(enterprises[0], area=Area.LIFE,
                                         start=date(2025, 2, 3)), leaver, hours=Decimal(12))
        done = assess(db, leaver, [9] * 10)
        done.enterprise_id = enterprises[0].id
    # A worker of another commune who also worked here in 2025.
    far = make.enterprise(name="Xa", commune=OTHER_COMMUNE)
    visitor = make.worker(far, given="Khách")
    db.add(Employment(worker_id=visitor.id, enterprise_id=enterprises[2].id,
                      start_date=date(2025, 1, 1), end_date=date(2025, 2, 28)))
    assess(db, visitor, [10] * 10).enterprise_id = far.id
    db.flush()
    admin = make.scope(Role.ADMIN)
    home = make.commune()
    set_commune_conditions(db, admin, home, edit(
        2024, True, required_areas=["life", "digital"], min_hours="10", min_age=30,
        employed_on=date(2024, 7, 1)))
    set_commune_conditions(db, admin, make.commune(OTHER_COMMUNE), edit(2025, min_age=99))
    db.expire_all()
    rows = compute_eligibility(db, year=2025, commune_ids=[home.id])
    own = conditions_for_year(db, 2025)
    expected = brute_force(db, 2025, home.id, own)
    assert {row.worker_id for row in rows} == set(expected)
    for row in rows:
        assert (row.status, row.reasons, row.total, row.lowest, row.enterprise_id,
                row.conditions_met) == expected[row.worker_id], row
    everything = [reason for row in rows for reason in row.reasons]
    assert any("Chưa tham gia lĩnh vực Công nghệ thông tin" in r for r in everything)
    assert any("Chưa đủ 30 tuổi" in r for r in everything)
    assert any("< 10 giờ" in r for r in everything)
    assert any("vào ngày 01/07/2025" in r for r in everything)
    ninety_nine = {row.worker_id for row in rows if "Chưa đủ 99 tuổi (30 tuổi vào cuối năm "
                   "2025)" in row.reasons}
    assert ninety_nine == {visitor.id}
    assert any(row.status == EligibilityStatus.ELIGIBLE for row in rows)
    assert {row.conditions_met for row in rows} == {True, False, None}


# --- pages and permissions -----------------------------------------------------------------


def page_url(commune) -> str:
    return f"/xet-cong-nhan/dieu-kien-xa/{commune.id}"


VALID = {"first_year": "2025", "min_hours": "12,5", "min_age": "20",
         "required_areas": ["life"], "employed_on": "2025-06-30"}


def test_commune_officer_sets_conditions_and_the_table_uses_them(client, db, make, login_as,
                                                                 home):
    """The officer saves conditions for 2025; the page lists them and the eligibility table
    gives the reasons."""
    worker = make.worker(make.enterprise())
    assess(db, worker, [9] * 10)
    login_as(Role.COMMUNE)
    response = client.post(page_url(home), data=VALID, follow_redirects=True)
    assert "Đã lưu điều kiện riêng của" in " ".join(flashes(response))
    page = response.get_data(as_text=True)
    assert "Học tối thiểu 12,5 giờ trong năm" in page and "Đủ 20 tuổi" in page
    (row,) = db.scalars(select(CommuneConditions)).all()
    assert (row.first_year, row.last_year, row.employed_on) == (2025, 2025, date(2025, 6, 30))
    table = client.get("/xet-cong-nhan", query_string={"nam": 2025}).get_data(as_text=True)
    assert "Chưa tham gia lĩnh vực Kỹ năng sống năm 2025" in table
    assert "Tổng số giờ học năm 2025 là 0 &lt; 12,5 giờ" in table
    assert '<span class="text-danger">Chưa đạt</span>' in table


def test_field_errors_are_shown_in_vietnamese(client, db, login_as, home):
    """An age of 14 and a date of another year are shown under their fields; nothing saved."""
    login_as(Role.COMMUNE)
    response = client.post(page_url(home), data={**VALID, "min_age": "14",
                                                 "employed_on": "2024-06-30"})
    assert response.status_code == 200
    assert field_errors(response, "min_age") == ["Tuổi tối thiểu phải từ 15 đến 100."]
    assert "phải là một ngày của năm 2025" in field_errors(response, "employed_on")[0]
    assert db.scalars(select(CommuneConditions)).all() == []


def test_enterprise_officer_sees_but_cannot_change(client, db, make, login_as, home):
    """The enterprise officer sees the commune's conditions, no form, and a POST is refused."""
    set_commune_conditions(db, make.scope(Role.ADMIN), home, edit(2025, min_age=20))
    login_as(Role.ENTERPRISE, enterprise=make.enterprise())
    page = client.get(page_url(home), query_string={"nam": 2025})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Đủ 20 tuổi" in text and "Lưu điều kiện" not in text
    assert client.post(page_url(home), data={**VALID, "min_age": "60"}).status_code == 403
    assert commune_conditions(db, home.id, 2025).min_age == 20


def test_another_communes_officer_neither_sees_nor_changes(client, db, make, login_as, home):
    """An officer of another commune gets 404 for the page and the POST."""
    login_as(Role.COMMUNE, commune=OTHER_COMMUNE)
    assert client.get(page_url(home)).status_code == 404
    assert client.post(page_url(home), data=VALID).status_code == 404
    assert db.scalars(select(CommuneConditions)).all() == []


# --- the CLI and the decision step ----------------------------------------------------------


def test_the_cli_gives_the_communes_reasons(runner, db, make, home):
    """`flask eligibility compute` applies the commune's conditions."""
    worker = make.worker(make.enterprise())
    assess(db, worker, [9] * 10)
    set_commune_conditions(db, make.scope(Role.ADMIN), home, edit(2025, min_hours="3"))
    result = runner.invoke(args=["eligibility", "compute", "--year", "2025", "--commune",
                                 home.code, "--all"])
    assert result.exit_code == 0, result.output
    assert "Tổng số giờ học năm 2025 là 0 < 3 giờ" in result.output
    assert "Đủ điều kiện: 0, Chưa đủ điều kiện: 1" in result.output


def test_the_decision_step_uses_them_and_then_fixes_the_year(db, make, home):
    """A draft decision lists only the workers meeting the commune's conditions; after it the
    conditions of 2025 can no longer change."""
    enterprise = make.enterprise()
    learner, other = make.worker(enterprise, given="Học"), make.worker(enterprise, given="Khác")
    make.participation(make.activity(enterprise, area=Area.LIFE), learner, hours=Decimal(6))
    for worker in (learner, other):
        assess(db, worker, [9] * 10)
    officer = make.scope(Role.COMMUNE)
    set_commune_conditions(db, officer, home, edit(2025, required_areas=["life"]))
    rows = compute_eligibility(db, year=2025, commune_ids=[home.id])
    created = create_decision(db, officer, home, 2025, default_data(home, 2025), rows)
    listed = db.scalars(select(DecisionEntry.worker_id).where(
        DecisionEntry.decision_id == created.decision.id)).all()
    assert listed == [learner.id]
    with pytest.raises(DomainError, match="Năm 2025 đã có quyết định công nhận"):
        set_commune_conditions(db, officer, home, edit(2025))

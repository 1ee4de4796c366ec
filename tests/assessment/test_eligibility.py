"""The eligibility table: set-based results checked against the pure rule, case by case."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from registry.assessment.demo import seed_assessments
from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.assessment.models import Assessment, AssessmentScore, AssessmentStatus, CriteriaSet
from registry.assessment.rules import Facts, age_at, covered_areas, evaluate
from registry.assessment.services import activate_criteria_set, clone_criteria_set
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.learning.models import Area, Participation
from registry.workers.models import Employment, Worker


def active_set(db) -> CriteriaSet:
    return db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))


def assess(db, worker, values, status=AssessmentStatus.APPROVED, year=2025, criteria_set=None):
    """An assessment with scores of indicators 1, 2, … in order."""
    criteria_set = criteria_set or active_set(db)
    assessment = Assessment(worker_id=worker.id, year=year, criteria_set_id=criteria_set.id,
                            enterprise_id=worker.current_enterprise_id, status=status)
    assessment.scores = [AssessmentScore(indicator_code=code, score=Decimal(str(v)))
                         for code, v in enumerate(values, start=1) if v is not None]
    db.add(assessment)
    db.flush()
    return assessment


def test_basic_statuses_and_reasons(db, make):
    """Approved 80 is eligible; 78 and a 4 are named; missing, unapproved and none are said."""
    enterprise = make.enterprise()
    commune = enterprise.commune_id
    good = make.worker(enterprise, given="An")
    low = make.worker(enterprise, given="Bình")
    partial = make.worker(enterprise, given="Cúc")
    pending = make.worker(enterprise, given="Dung")
    nobody = make.worker(enterprise, given="Em")
    assess(db, good, [10, 10, 10, 10, 10, 5, 5, 5, 5, 10])
    assess(db, low, [10, 10, 10, 10, 10, 4, 5, 5, 5, 9])
    assess(db, partial, [10, 10, None, 10, 10, 10, None, 10, 10, 10])
    assess(db, pending, [9] * 10, status=AssessmentStatus.REVIEWED)
    rows = {r.worker_id: r for r in compute_eligibility(db, year=2025, commune_ids=[commune])}
    assert rows[good.id].status == EligibilityStatus.ELIGIBLE
    assert rows[good.id].total == Decimal(80) and rows[good.id].lowest == Decimal(5)
    assert rows[good.id].reasons == ()
    assert rows[low.id].status == EligibilityStatus.NOT_ELIGIBLE
    assert rows[low.id].reasons == ("Tổng điểm 78 < 80", "Chỉ số 6 (ngoại ngữ) 4 điểm < 5")
    assert rows[partial.id].status == EligibilityStatus.NOT_ASSESSED
    assert rows[partial.id].reasons[0] == "Chưa chấm chỉ số 3, 7"
    assert rows[pending.id].status == EligibilityStatus.NOT_ELIGIBLE
    assert "chưa được phê duyệt" in rows[pending.id].reasons[-1]
    assert rows[nobody.id].status == EligibilityStatus.NOT_ASSESSED
    assert rows[nobody.id].reasons == ("Chưa có phiếu đánh giá năm 2025",)
    assert rows[nobody.id].enterprise_name == enterprise.name


# --- the seeded commune against a brute-force computation ---------------------------------


def brute_force(db, year: int, commune_id: int, own=None) -> dict[int, tuple]:
    """The expected result per worker, computed object by object with the pure rule.

    own: {commune id: LocalConditions} of the communes' own conditions; those of the commune of
    the assessment's enterprise are added to the criteria set's.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_commune = {e.id: e for e in db.scalars(select(Enterprise))}
    expected = {}
    for worker in db.scalars(select(Worker)):
        periods = [e for e in worker.employments
                   if e.start_date <= last and (e.end_date is None or e.end_date >= first)
                   and in_commune[e.enterprise_id].commune_id == commune_id]
        if not periods:
            continue
        assessment = db.scalar(select(Assessment).where(Assessment.worker_id == worker.id,
                                                        Assessment.year == year))
        if worker.archived_at is not None and assessment is None:
            continue
        if assessment is None:
            expected[worker.id] = (EligibilityStatus.NOT_ASSESSED,
                                   (f"Chưa có phiếu đánh giá năm {year}",), None, None,
                                   max(p.enterprise_id for p in periods), None)
            continue
        enterprise_id = assessment.enterprise_id
        rules = assessment.criteria_set.rule_set()
        if own and in_commune[enterprise_id].commune_id in own:
            rules = rules.with_commune(own[in_commune[enterprise_id].commune_id])
        participations = [
            p for p in db.scalars(select(Participation).where(
                Participation.worker_id == worker.id))
            if first <= p.attended_on <= last and p.archived_at is None
            and p.activity.archived_at is None
        ]
        ref = rules.conditions.reference_date(year)
        employed = None
        if ref is not None:
            commune = in_commune[enterprise_id].commune_id
            employed = any(
                e.start_date <= ref and (e.end_date is None or e.end_date >= ref)
                and in_commune[e.enterprise_id].commune_id == commune
                for e in worker.employments
            )
        facts = Facts(
            year, assessment.score_map(),
            areas_covered=covered_areas(p.activity.area.value for p in participations),
            hours=sum((p.hours for p in participations), Decimal(0)),
            age_at_year_end=age_at(worker.birth_date, last),
            employed_in_commune_on_ref_date=employed,
        )
        outcome = evaluate(rules, facts)
        reasons = outcome.reasons
        if assessment.status != AssessmentStatus.APPROVED:
            reasons += (f"Phiếu đánh giá chưa được phê duyệt (đang ở bước "
                        f"«{assessment.status.label}»)",)
        if outcome.status == "not_assessed":
            status = EligibilityStatus.NOT_ASSESSED
        else:
            status = EligibilityStatus.NOT_ELIGIBLE if reasons else EligibilityStatus.ELIGIBLE
        scores = assessment.score_map().values()
        conditions = rules.conditions
        has_conditions = bool(conditions.required_areas) or conditions.min_hours is not None or (
            conditions.min_age is not None or ref is not None)
        expected[worker.id] = (status, reasons, outcome.total,
                               min(scores) if scores else None, enterprise_id,
                               outcome.conditions_met if has_conditions else None)
    return expected


def build_commune(db, make, rng: random.Random) -> None:
    """Three enterprises, 90 workers of various ages, activities of every area in 2024 and
    2025 with random attendance, and demo assessments of 2025 for most workers."""
    enterprises = [make.enterprise(name=f"Công ty {n}") for n in "ABC"]
    workers = [
        make.worker(enterprises[n % 3], given=f"Người {n}",
                    birth=date(rng.randint(1970, 2003), rng.randint(1, 12), rng.randint(1, 28)))
        for n in range(90)
    ]
    for enterprise in enterprises:
        for year in (2024, 2025):
            for area in Area:
                activity = make.activity(enterprise, area=area, start=date(year, 5, 2),
                                         hours=Decimal(8), title=f"{area.label} {year}")
                for worker in workers:
                    if worker.current_enterprise_id == enterprise.id and rng.random() < 0.6:
                        make.participation(activity, worker, hours=Decimal(rng.randint(1, 8)))
    seed_assessments(db, rng, shares={2025: 0.8}, commune_ids=[enterprises[0].commune_id])


def test_seeded_commune_matches_brute_force(db, make):
    """On a seeded commune (assessments at every step, a second criteria set with local
    conditions, a mid-year transfer, an archived worker) every row equals the brute force."""
    build_commune(db, make, random.Random(7))
    shipped = active_set(db)
    strict = clone_criteria_set(db, shipped)
    strict.required_areas = ["law", "life"]
    strict.min_hours = Decimal(10)
    strict.min_age = 30
    strict.employed_in_commune_on = date(2025, 12, 31)
    db.flush()
    assessments = db.scalars(select(Assessment).where(Assessment.year == 2025)
                             .order_by(Assessment.id)).all()
    for assessment in assessments[::3]:
        assessment.criteria_set_id = strict.id
    # A worker moving mid-year between two enterprises of the commune, learning at both.
    enterprises = db.scalars(select(Enterprise).order_by(Enterprise.id)).all()
    mover = make.worker(enterprises[0], given="Chuyển", start=date(2020, 1, 1),
                        end=date(2025, 6, 30))
    db.add(Employment(worker_id=mover.id, enterprise_id=enterprises[1].id,
                      start_date=date(2025, 7, 1)))
    mover.current_enterprise_id = enterprises[1].id
    make.participation(make.activity(enterprises[0], area=Area.LAW, start=date(2025, 3, 1)),
                       mover, hours=Decimal(6))
    make.participation(make.activity(enterprises[1], area=Area.LIFE, start=date(2025, 9, 1)),
                       mover, hours=Decimal(6))
    moved = assess(db, mover, [9] * 10, criteria_set=strict)
    moved.enterprise_id = enterprises[1].id
    archived = make.worker(enterprises[0], given="Lưu")
    archived.archived_at = utcnow()
    db.flush()
    db.expire_all()
    commune = enterprises[0].commune_id
    rows = compute_eligibility(db, year=2025, commune_ids=[commune])
    expected = brute_force(db, 2025, commune)
    assert {row.worker_id for row in rows} == set(expected)
    assert archived.id not in expected
    for row in rows:
        assert (row.status, row.reasons, row.total, row.lowest, row.enterprise_id,
                row.conditions_met) == expected[row.worker_id], row
    assert rows[[r.worker_id for r in rows].index(mover.id)].status == EligibilityStatus.ELIGIBLE
    counts = {status: sum(r.status == status for r in rows) for status in EligibilityStatus}
    assert all(counts.values()), counts
    assert any("Chưa tham gia lĩnh vực" in r for row in rows for r in row.reasons)
    assert any("Chưa đủ 30 tuổi" in r for row in rows for r in row.reasons)
    assert any(r.startswith("Tổng số giờ học năm 2025") for row in rows for r in row.reasons)


def test_enterprise_scope_and_past_year_keep_their_set(db, make):
    """One enterprise's table holds its workers only; a past year's approved result stays
    when a stricter set is activated afterwards."""
    a, b = make.enterprise(name="A"), make.enterprise(name="B")
    mine, theirs = make.worker(a, given="Mình"), make.worker(b, given="Họ")
    assess(db, mine, [8] * 10, year=2024)
    assess(db, theirs, [8] * 10, year=2024)
    stricter = clone_criteria_set(db, active_set(db))
    stricter.pass_total = Decimal(90)
    activate_criteria_set(db, stricter)
    rows = compute_eligibility(db, year=2024, enterprise_id=a.id)
    assert [(r.worker_id, r.status) for r in rows] == [(mine.id, EligibilityStatus.ELIGIBLE)]


def test_cli_prints_the_eligible_and_the_counts(runner, db, make):
    """`flask eligibility compute` lists eligible workers and counts every result."""
    enterprise = make.enterprise()
    good, other = make.worker(enterprise, given="Giỏi"), make.worker(enterprise, given="Khác")
    assess(db, good, [9] * 10)
    result = runner.invoke(args=["eligibility", "compute", "--year", "2025", "--commune",
                                 "15865"])
    assert result.exit_code == 0, result.output
    assert good.full_name in result.output and other.full_name not in result.output
    assert "Đủ điều kiện: 1, Chưa đủ điều kiện: 0, Chưa đánh giá: 1" in result.output
    result = runner.invoke(args=["eligibility", "compute", "--year", "2025", "--commune",
                                 "15865", "--all"])
    assert "Chưa có phiếu đánh giá năm 2025" in result.output
    result = runner.invoke(args=["eligibility", "compute", "--year", "2025", "--commune",
                                 "99999"])
    assert result.exit_code != 0 and "Không có xã, phường mã 99999" in result.output

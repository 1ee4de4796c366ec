"""The eligibility table: set-based results checked against the pure rule, case by case."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.assessment.models import Assessment, AssessmentScore, AssessmentStatus, CriteriaSet


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

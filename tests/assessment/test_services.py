"""Criteria-set versions and the assessment flow: status steps, scores, reasons, bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.assessment import services
from registry.assessment.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    CriteriaSet,
    ScoreChange,
)
from registry.assessment.services import CriteriaSetEdit, ScoreEntry
from registry.audit.services import set_actor
from registry.auth.models import Role
from registry.db import utcnow
from registry.errors import DomainError


def entries(*values, notes: dict[int, str] | None = None, reasons: dict[int, str] | None = None):
    """Score entries of indicators 1, 2, … in order."""
    notes, reasons = notes or {}, reasons or {}
    return {code: ScoreEntry(value, notes.get(code, ""), reasons.get(code, ""))
            for code, value in enumerate(values, start=1)}


@pytest.fixture
def setup(db, make):
    """An enterprise, its worker, an enterprise officer and a commune officer's scopes."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    officer = make.scope(Role.ENTERPRISE, enterprise=enterprise)
    commune = make.scope(Role.COMMUNE)
    set_actor(db, None, "tester")
    return enterprise, worker, officer, commune


def submitted(db, worker, officer, values=("9",) * 10) -> Assessment:
    assessment = services.create_assessment(db, officer, worker, 2025)
    services.save_scores(db, officer, assessment, entries(*values), assessment.version)
    services.submit_assessment(db, officer, assessment, assessment.version)
    return assessment


def test_the_whole_flow_records_every_transition(db, setup):
    """Draft → submitted → reviewed → approved, each step recorded with who and when."""
    _enterprise, worker, officer, commune = setup
    assessment = submitted(db, worker, officer)
    services.review_assessment(db, officer, assessment, assessment.version, "Đúng minh chứng")
    services.approve_assessment(db, commune, assessment, assessment.version)
    assert assessment.status == AssessmentStatus.APPROVED
    steps = [(t.from_status, t.to_status, t.actor) for t in assessment.transitions]
    assert steps == [
        (None, AssessmentStatus.DRAFT, "tester"),
        (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, "tester"),
        (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED, "tester"),
        (AssessmentStatus.REVIEWED, AssessmentStatus.APPROVED, "tester"),
    ]
    assert assessment.transitions[2].note == "Đúng minh chứng"
    assert all(t.at is not None for t in assessment.transitions)


def test_assessment_keeps_the_set_it_was_made_under(db, setup):
    """Activating a new set changes new assessments only."""
    _enterprise, worker, officer, _commune = setup
    first = services.create_assessment(db, officer, worker, 2025)
    old_set = first.criteria_set
    new_set = services.clone_criteria_set(db, old_set)
    services.activate_criteria_set(db, new_set)
    other = services.create_assessment(db, officer, worker, 2024)
    assert first.criteria_set_id == old_set.id
    assert other.criteria_set_id == new_set.id
    assert not old_set.is_active and new_set.is_active


def test_enterprise_officer_cannot_approve_or_return(db, setup):
    """Only commune officers approve or return."""
    _enterprise, worker, officer, _commune = setup
    assessment = submitted(db, worker, officer)
    services.review_assessment(db, officer, assessment, assessment.version)
    with pytest.raises(DomainError, match="Chỉ cán bộ Công đoàn xã"):
        services.approve_assessment(db, officer, assessment, assessment.version)
    with pytest.raises(DomainError, match="Chỉ cán bộ Công đoàn xã"):
        services.return_assessment(db, officer, assessment, assessment.version, "Sai")
    assert assessment.status == AssessmentStatus.REVIEWED


def test_approving_an_unsubmitted_or_unreviewed_assessment_is_refused(db, setup):
    """A draft, and a submitted assessment not yet reviewed, cannot be approved."""
    _enterprise, worker, officer, commune = setup
    draft = services.create_assessment(db, officer, worker, 2025)
    with pytest.raises(DomainError, match="Phiếu chưa được nộp"):
        services.approve_assessment(db, commune, draft, draft.version)
    services.save_scores(db, officer, draft, entries(*["9"] * 10), draft.version)
    services.submit_assessment(db, officer, draft, draft.version)
    with pytest.raises(DomainError, match="chưa được thẩm định"):
        services.approve_assessment(db, commune, draft, draft.version)
    assert draft.status == AssessmentStatus.SUBMITTED


def test_submitting_needs_every_indicator_scored(db, setup):
    """A self-assessment with unscored indicators cannot be submitted; they are named."""
    _enterprise, worker, officer, _commune = setup
    assessment = services.create_assessment(db, officer, worker, 2025)
    services.save_scores(db, officer, assessment,
                         entries("9", "9", "", "9", "9", "9", "", "9", "9", "9"),
                         assessment.version)
    with pytest.raises(DomainError, match="Chưa chấm chỉ số 3, 7"):
        services.submit_assessment(db, officer, assessment, assessment.version)


def test_returned_assessment_is_corrected_and_submitted_again(db, setup):
    """A returned assessment needs a reason, then is editable and can be submitted again."""
    _enterprise, worker, officer, commune = setup
    assessment = submitted(db, worker, officer)
    with pytest.raises(DomainError) as error:
        services.return_assessment(db, commune, assessment, assessment.version, "  ")
    assert error.value.fields == {"note": "Chưa nhập lý do trả lại."}
    services.return_assessment(db, commune, assessment, assessment.version, "Thiếu minh chứng")
    assert assessment.status == AssessmentStatus.RETURNED
    services.save_scores(db, officer, assessment, {6: ScoreEntry("7")}, assessment.version)
    assert not assessment.score_changes
    services.submit_assessment(db, officer, assessment, assessment.version)
    assert assessment.status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "Chỉ số 4: điểm phải từ 0 đến 10."),
        ("-1", "Chỉ số 4: điểm phải từ 0 đến 10."),
        ("7,25", "Chỉ số 4: chỉ được một chữ số thập phân."),
        ("bảy", "Chỉ số 4: «bảy» không phải là số."),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(db, setup, raw, message):
    """Scores outside 0–10 or with two decimals are refused naming the indicator; the valid
    scores of the same save are not written either."""
    _enterprise, worker, officer, _commune = setup
    assessment = services.create_assessment(db, officer, worker, 2025)
    values = ["9"] * 10
    values[3] = raw
    with pytest.raises(DomainError) as error:
        services.save_scores(db, officer, assessment, entries(*values), assessment.version)
    assert error.value.fields == {"score_4": message}
    assert db.scalar(select(func.count()).select_from(AssessmentScore)
                     .where(AssessmentScore.assessment_id == assessment.id)) == 0


def test_reviewer_change_needs_a_reason_and_is_kept(db, setup):
    """Under review a changed score needs a reason; with one, old and new score are kept."""
    _enterprise, worker, officer, _commune = setup
    assessment = submitted(db, worker, officer)
    with pytest.raises(DomainError) as error:
        services.save_scores(db, officer, assessment, {3: ScoreEntry("6,5")},
                             assessment.version)
    assert error.value.fields == {"reason_3": "Chỉ số 3: cần ghi lý do khi đổi điểm 9 → 6,5."}
    assert assessment.score_map()[3] == Decimal(9)
    changes = services.save_scores(
        db, officer, assessment, {3: ScoreEntry("6,5", reason="Ít tham gia sinh hoạt")},
        assessment.version,
    )
    assert [(c.indicator_code, c.old_score, c.new_score, c.reason, c.status, c.actor)
            for c in changes] == [
        (3, Decimal(9), Decimal("6.5"), "Ít tham gia sinh hoạt", AssessmentStatus.SUBMITTED,
         "tester"),
    ]
    assert assessment.score_map()[3] == Decimal("6.5")
    assert db.scalar(select(func.count()).select_from(ScoreChange)) == 1


def test_unchanged_scores_need_no_reason_under_review(db, setup):
    """Re-saving the same scores while reviewing records no change."""
    _enterprise, worker, officer, _commune = setup
    assessment = submitted(db, worker, officer)
    assert services.save_scores(db, officer, assessment, entries(*["9,0"] * 10),
                                assessment.version) == []


def test_approved_assessment_cannot_be_changed(db, setup):
    """Scores of an approved assessment are final."""
    _enterprise, worker, officer, commune = setup
    assessment = submitted(db, worker, officer)
    services.review_assessment(db, officer, assessment, assessment.version)
    services.approve_assessment(db, commune, assessment, assessment.version)
    with pytest.raises(DomainError, match="đã được phê duyệt"):
        services.save_scores(db, commune, assessment, {1: ScoreEntry("5", reason="x")},
                             assessment.version)


def test_stale_version_is_refused(db, setup):
    """A save based on an older version (another officer saved meanwhile) is refused."""
    _enterprise, worker, officer, _commune = setup
    assessment = services.create_assessment(db, officer, worker, 2025)
    seen = assessment.version
    services.save_scores(db, officer, assessment, {1: ScoreEntry("8")}, seen)
    assert assessment.version == seen + 1
    with pytest.raises(DomainError, match="vừa được người khác lưu"):
        services.save_scores(db, officer, assessment, {1: ScoreEntry("6")}, seen)
    with pytest.raises(DomainError, match="vừa được người khác lưu"):
        services.submit_assessment(db, officer, assessment, seen)
    assert assessment.score_map() == {1: Decimal(8)}


def test_archived_worker_cannot_be_assessed(db, make, setup):
    """An archived worker gets no new assessment."""
    enterprise, _worker, officer, _commune = setup
    worker = make.worker(enterprise, given="Lưu")
    worker.archived_at = utcnow()
    with pytest.raises(DomainError, match="đã được lưu trữ"):
        services.create_assessment(db, officer, worker, 2025)
    assert db.scalar(select(func.count()).select_from(Assessment)) == 0


def test_year_without_an_active_set_cannot_be_assessed(db, setup):
    """No active criteria set covering the year: refused with the year named."""
    _enterprise, worker, officer, _commune = setup
    for criteria_set in db.scalars(select(CriteriaSet)):
        criteria_set.is_active = False
    with pytest.raises(DomainError) as error:
        services.create_assessment(db, officer, worker, 2025)
    assert "Chưa có bộ tiêu chí đang áp dụng cho năm 2025" in error.value.fields["year"]


def test_one_assessment_per_worker_and_year(db, setup):
    """A second assessment of the same year is refused."""
    _enterprise, worker, officer, _commune = setup
    services.create_assessment(db, officer, worker, 2025)
    with pytest.raises(DomainError, match="đã có phiếu đánh giá năm 2025"):
        services.create_assessment(db, officer, worker, 2025)


def test_enterprise_officer_cannot_assess_another_enterprise(db, make, setup):
    """Workers of another enterprise are out of an enterprise officer's reach."""
    _enterprise, _worker, officer, _commune = setup
    stranger = make.worker(make.enterprise(name="Công ty Khác"), given="Lạ")
    with pytest.raises(DomainError, match="không thuộc phạm vi"):
        services.create_assessment(db, officer, stranger, 2025)


def test_provincial_viewer_only_reads(db, make, setup):
    """A provincial viewer cannot open or score an assessment."""
    _enterprise, worker, officer, _commune = setup
    viewer = make.scope(Role.PROVINCE)
    with pytest.raises(DomainError, match="chỉ được xem"):
        services.create_assessment(db, viewer, worker, 2025)
    assessment = services.create_assessment(db, officer, worker, 2025)
    with pytest.raises(DomainError, match="chỉ được xem"):
        services.save_scores(db, viewer, assessment, {1: ScoreEntry("5")}, None)


def test_lock_criteria_set_stops_edits(db):
    """A locked set refuses every edit; locking twice keeps the first time."""
    criteria_set = db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))
    locked = services.lock_criteria_set(db, criteria_set.id)
    first = locked.locked_at
    assert locked.is_locked and first is not None
    assert services.lock_criteria_set(db, criteria_set.id).locked_at == first
    with pytest.raises(DomainError, match="quyết định công nhận"):
        services.update_criteria_set(db, criteria_set, edit_of(criteria_set))
    with pytest.raises(DomainError, match="Không có bộ tiêu chí"):
        services.lock_criteria_set(db, 999_999)


def edit_of(criteria_set: CriteriaSet, **changes) -> CriteriaSetEdit:
    """The set's current values as an edit, with some changed."""
    values = {
        "name": criteria_set.name, "reference": criteria_set.reference,
        "reference_note": criteria_set.reference_note,
        "target_group": criteria_set.target_group,
        "period_start": criteria_set.period_start, "period_end": criteria_set.period_end,
        "pass_total": criteria_set.pass_total,
        "min_per_indicator": criteria_set.min_per_indicator,
        "required_areas": list(criteria_set.required_areas),
        "min_hours": criteria_set.min_hours, "min_age": criteria_set.min_age,
        "employed_in_commune_on": criteria_set.employed_in_commune_on,
        "indicators": [services.IndicatorEdit(i.code, i.text, i.short_label, i.max_points)
                       for i in criteria_set.indicators],
    }
    values.update(changes)
    return CriteriaSetEdit(**values)


def test_clone_edit_and_activate_a_new_version(db):
    """A clone copies indicators and conditions, takes new thresholds and conditions, and its
    activation retires the overlapping active set."""
    shipped = db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))
    clone = services.clone_criteria_set(db, shipped)
    assert [i.text for i in clone.indicators] == [i.text for i in shipped.indicators]
    assert clone.derived_from_id == shipped.id and not clone.is_active
    services.update_criteria_set(db, clone, edit_of(
        clone, name="Bộ tiêu chí 2026", period_start=2026, period_end=2030, pass_total="85",
        required_areas=["law", "life"], min_age=18, employed_in_commune_on=date(2026, 12, 31),
    ))
    services.activate_criteria_set(db, clone)
    assert clone.pass_total == Decimal(85) and clone.required_areas == ["law", "life"]
    assert clone.rule_set().conditions.min_age == 18
    assert not shipped.is_active
    assert services.active_criteria_set(db, 2026).id == clone.id
    assert services.active_criteria_set(db, 2025) is None


def test_rule_of_a_set_in_use_is_fixed_but_reference_is_editable(db, setup):
    """Once assessments use a set, its thresholds are fixed; its reference text is not."""
    _enterprise, worker, officer, _commune = setup
    services.create_assessment(db, officer, worker, 2025)
    criteria_set = db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))
    with pytest.raises(DomainError, match="hãy sao chép"):
        services.update_criteria_set(db, criteria_set, edit_of(criteria_set, pass_total="70"))
    services.update_criteria_set(db, criteria_set, edit_of(
        criteria_set, reference="Quyết định số 324/QĐ-KHVN ngày 28/7/2022"))
    assert criteria_set.reference == "Quyết định số 324/QĐ-KHVN ngày 28/7/2022"
    assert criteria_set.pass_total == Decimal(80)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pass_total": "120"}, "pass_total", "lớn hơn tổng điểm tối đa 100"),
        ({"min_per_indicator": "11"}, "min_per_indicator", "lớn hơn điểm tối đa"),
        ({"period_end": 2019}, "period_end", "Năm kết thúc"),
        ({"pass_total": "80,55"}, "pass_total", "một chữ số thập phân"),
        ({"name": " "}, "name", "Chưa nhập tên bộ tiêu chí"),
    ],
)
def test_invalid_criteria_set_edits_are_refused(db, changes, field, message):
    """Impossible thresholds, periods and missing names are refused on their field."""
    clone = services.clone_criteria_set(
        db, db.scalar(select(CriteriaSet).where(CriteriaSet.is_active)))
    with pytest.raises(DomainError) as error:
        services.update_criteria_set(db, clone, edit_of(clone, **changes))
    assert message in error.value.fields[field]

"""The evidence mapping as data of a criteria set: seeded, cloned, edited by an administrator
on the set's page (not once the set is locked), and read by the evidence panel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from registry.assessment.evidence import DEFAULT_EVIDENCE_RULES
from registry.assessment.models import CriteriaEvidenceRule
from registry.assessment.services import (
    add_evidence_rule,
    clone_criteria_set,
    create_assessment,
    delete_evidence_rule,
    evidence_for,
    lock_criteria_set,
)
from registry.auth.models import Role
from registry.errors import DomainError
from registry.learning.models import ActivityForm, Area
from tests.assessment.test_eligibility import active_set
from tests.conftest import flashes


def lines(criteria_set) -> set[tuple]:
    return {(r.area, r.form, r.indicator_code, r.suggest_points)
            for r in criteria_set.evidence_rules}


def test_the_shipped_set_holds_the_default_mapping(db):
    """The migration gave the shipped set one row per indicator of each default rule."""
    expected = {(rule.area, rule.form, code, rule.suggest_points)
                for rule in DEFAULT_EVIDENCE_RULES for code in rule.indicators}
    assert len(expected) == 16
    assert lines(active_set(db)) == expected


def test_a_clone_copies_the_mapping_and_is_edited_on_its_own(db):
    """The clone starts with the same lines; removing one from it leaves the original whole."""
    shipped = active_set(db)
    clone = clone_criteria_set(db, shipped)
    assert lines(clone) == lines(shipped)
    before = lines(shipped)
    delete_evidence_rule(db, clone, clone.evidence_rules[0])
    assert len(clone.evidence_rules) == 15
    db.expire_all()
    assert lines(shipped) == before


@pytest.fixture
def skilled(db, make):
    """A worker with one 4-hour vocational course in 2025, and their draft assessment."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    course = make.activity(enterprise, area=Area.SKILL, form=ActivityForm.COURSE,
                           title="Lớp vận hành máy may", start=date(2025, 4, 1))
    make.participation(course, worker, hours=Decimal(4))
    return create_assessment(db, make.scope(Role.ADMIN), worker, 2025)


def test_mapping_edits_change_evidence_and_suggestions(db, skilled):
    """By default the course supports 2, 3 (course) and 7 (skill), each suggested 5; adding
    "skill course → 6 at 6" and removing "skill → 7" moves the evidence and the suggestions."""
    evidence = evidence_for(db, skilled)
    assert sorted(evidence.by_indicator) == [2, 3, 7]
    assert evidence.suggestions == {2: Decimal(5), 3: Decimal(5), 7: Decimal(5)}
    criteria_set = skilled.criteria_set
    add_evidence_rule(db, criteria_set, "skill", "course", 6, "6")
    skill_7 = next(r for r in criteria_set.evidence_rules
                   if (r.area, r.form, r.indicator_code) == ("skill", None, 7))
    delete_evidence_rule(db, criteria_set, skill_7)
    evidence = evidence_for(db, skilled)
    assert sorted(evidence.by_indicator) == [2, 3, 6]
    assert evidence.suggestions == {2: Decimal(5), 3: Decimal(5), 6: Decimal(6)}


def test_a_line_without_points_shows_evidence_but_suggests_nothing(db, skilled):
    """A line with no suggested points adds the indicator to the evidence only."""
    add_evidence_rule(db, skilled.criteria_set, None, "course", 4, "")
    evidence = evidence_for(db, skilled)
    assert 4 in evidence.by_indicator and 4 not in evidence.suggestions


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (("skill", "course", 11, "5"), "indicator_code", "Hãy chọn một chỉ số của bộ tiêu chí."),
        (("skill", "course", 6, "10,5"), "suggest_points", "lớn hơn điểm tối đa của chỉ số 6"),
        (("skill", "course", 6, "-1"), "suggest_points", "Điểm gợi ý không được âm."),
        (("sport", "course", 6, "5"), "area", "Hãy chọn lĩnh vực trong danh sách."),
        (("skill", "webinar", 6, "5"), "form", "Hãy chọn hình thức trong danh sách."),
        (("skill", None, 7, "6"), "indicator_code", "Bảng đã có dòng này cho chỉ số 7"),
    ],
)
def test_invalid_lines_are_refused(db, args, field, message):
    """Unknown indicators, areas and forms, points out of range and repeated lines are refused
    with a Vietnamese message and nothing is added."""
    criteria_set = active_set(db)
    with pytest.raises(DomainError) as caught:
        add_evidence_rule(db, criteria_set, *args)
    assert message in caught.value.fields[field]
    db.expire_all()
    assert len(active_set(db).evidence_rules) == 16


def test_a_locked_sets_mapping_cannot_be_edited(db):
    """Once a decision used the set, adding and removing lines are refused."""
    criteria_set = lock_criteria_set(db, active_set(db).id)
    with pytest.raises(DomainError, match="không sửa được"):
        add_evidence_rule(db, criteria_set, "skill", "course", 6, "6")
    with pytest.raises(DomainError, match="không sửa được"):
        delete_evidence_rule(db, criteria_set, criteria_set.evidence_rules[0])
    db.expire_all()
    assert len(active_set(db).evidence_rules) == 16


def test_admin_edits_the_mapping_on_the_sets_page(client, db, login_as):
    """The admin adds a line with the form and removes one with its button."""
    criteria_set = active_set(db)
    login_as(Role.ADMIN)
    page = client.get(f"/bo-tieu-chi/{criteria_set.id}").get_data(as_text=True)
    assert "Bảng minh chứng từ sổ theo dõi" in page and "Thêm" in page
    response = client.post(f"/bo-tieu-chi/{criteria_set.id}/minh-chung", data={
        "area": "digital", "activity_form": "online", "indicator_code": "6",
        "suggest_points": "6,5"}, follow_redirects=True)
    assert any("Đã thêm vào bảng minh chứng" in m for m in flashes(response))
    added = db.scalar(select(CriteriaEvidenceRule).where(
        CriteriaEvidenceRule.criteria_set_id == criteria_set.id,
        CriteriaEvidenceRule.indicator_code == 6))
    assert (added.area, added.form, added.suggest_points) == ("digital", "online",
                                                              Decimal("6.5"))
    added_id = added.id
    response = client.post(f"/bo-tieu-chi/{criteria_set.id}/minh-chung/{added_id}/xoa",
                           follow_redirects=True)
    assert any("Đã xóa khỏi bảng minh chứng" in m for m in flashes(response))
    db.expire_all()
    assert db.scalar(select(CriteriaEvidenceRule).where(
        CriteriaEvidenceRule.id == added_id)) is None


def test_a_locked_sets_page_offers_no_editing_and_refuses_a_post(client, db, login_as):
    """On a locked set the page has no add form or delete buttons; a posted line is refused."""
    criteria_set = lock_criteria_set(db, active_set(db).id)
    login_as(Role.ADMIN)
    page = client.get(f"/bo-tieu-chi/{criteria_set.id}").get_data(as_text=True)
    assert "bảng minh chứng không sửa được" in page
    assert "/minh-chung/" not in page and f"/bo-tieu-chi/{criteria_set.id}/minh-chung" not in page
    response = client.post(f"/bo-tieu-chi/{criteria_set.id}/minh-chung", data={
        "area": "", "activity_form": "course", "indicator_code": "6", "suggest_points": "6"},
        follow_redirects=True)
    assert any("không sửa được" in m for m in flashes(response))
    assert len(criteria_set.evidence_rules) == 16


def test_the_assessment_form_shows_the_sets_own_suggestion(client, db, make, login_as):
    """A line added for indicator 6 appears as a marked suggestion on the assessment form."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    activity = make.activity(enterprise, area=Area.DIGITAL, form=ActivityForm.ONLINE,
                             title="Tiếng Anh giao tiếp trực tuyến", start=date(2025, 4, 2))
    make.participation(activity, worker, hours=Decimal(2))
    add_evidence_rule(db, active_set(db), "digital", "online", 6, "7")
    assessment = create_assessment(db, make.scope(Role.ADMIN), worker, 2025)
    login_as(Role.ENTERPRISE, enterprise=enterprise)
    page = client.get(f"/danh-gia/{assessment.id}").get_data(as_text=True)
    assert "Gợi ý: 7" in page

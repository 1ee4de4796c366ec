"""Assessment pages: the form with evidence, status steps and permissions, the grid, the
eligibility table and its export, criteria-set administration."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from registry.assessment.models import Assessment, AssessmentStatus, CriteriaSet, ScoreChange
from registry.assessment.services import lock_criteria_set
from registry.auth.models import Role
from registry.learning.models import ActivityForm, Area
from tests.assessment.test_eligibility import assess
from tests.conftest import field_errors, flashes


def active_set(db) -> CriteriaSet:
    return db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))


def form_data(assessment: Assessment, scores, reasons=None, notes=None) -> dict[str, str]:
    """The posted assessment form: scores of indicators 1, 2, … in order."""
    data = {"version": str(assessment.version), "note": ""}
    for index, value in enumerate(scores):
        code = index + 1
        data[f"indicators-{index}-code"] = str(code)
        data[f"indicators-{index}-score"] = value
        data[f"indicators-{index}-note"] = (notes or {}).get(code, "")
        data[f"indicators-{index}-reason"] = (reasons or {}).get(code, "")
    return data


@pytest.fixture
def world(db, make):
    """Enterprise A with a worker, enterprise B with another, in the home commune."""
    a, b = make.enterprise(name="Công ty A"), make.enterprise(name="Công ty B")
    return a, b, make.worker(a, given="An"), make.worker(b, given="Bình")


def open_assessment(client, worker, year=2025) -> Assessment:
    response = client.post("/danh-gia/lap", data={"worker_id": worker.id, "year": year})
    assert response.status_code == 302, flashes(client.get("/danh-gia"))
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return assessment_id


def test_form_shows_indicators_evidence_and_a_marked_suggestion(client, db, make, login_as,
                                                                world):
    """The form lists the ten indicators and, beside them, the year's participations grouped by
    indicator with a suggested score labelled as a suggestion."""
    a, _b, worker, _other = world
    login_as(Role.ENTERPRISE, enterprise=a)
    activity = make.activity(a, area=Area.DIGITAL, form=ActivityForm.ONLINE,
                             title="Học trực tuyến kỹ năng số", start=date(2025, 4, 2))
    make.participation(activity, worker)
    old = make.activity(a, area=Area.DIGITAL, title="Tin học 2024", start=date(2024, 4, 2))
    make.participation(old, worker)
    assessment_id = open_assessment(client, worker)
    page = client.get(f"/danh-gia/{assessment_id}").get_data(as_text=True)
    for indicator in active_set(db).indicators:
        assert indicator.text in page
    assert page.count("Học trực tuyến kỹ năng số") == 2  # indicators 2 and 5
    assert "Tin học 2024" not in page
    assert "Gợi ý: 5" in page and "chỉ để tham khảo" in page
    # The suggestion is never saved as a score by itself.
    assert db.get(Assessment, assessment_id).scores == []


def test_saving_scores_and_field_errors(client, db, login_as, world):
    """Valid scores are saved; a bad one is shown under its field and nothing is saved."""
    a, _b, worker, _other = world
    login_as(Role.ENTERPRISE, enterprise=a)
    assessment_id = open_assessment(client, worker)
    assessment = db.get(Assessment, assessment_id)
    bad = form_data(assessment, ["9"] * 9 + ["10,5"])
    response = client.post(f"/danh-gia/{assessment_id}", data=bad)
    assert response.status_code == 200
    assert field_errors(response, "indicators-9-score") == [
        "Chỉ số 10: điểm phải từ 0 đến 10."]
    db.expire_all()
    assert db.get(Assessment, assessment_id).scores == []
    good = form_data(assessment, ["9"] * 9 + ["8,5"], notes={1: "Đọc báo Lao động hằng ngày"})
    response = client.post(f"/danh-gia/{assessment_id}", data=good)
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(Assessment, assessment_id)
    assert saved.score_map()[10] == Decimal("8.5")
    assert saved.scores[0].evidence_note == "Đọc báo Lao động hằng ngày"


def test_second_concurrent_save_is_refused(client, app, db, login_as, world):
    """Two officers open the same form; the second save is refused, not merged."""
    a, _b, worker, _other = world
    login_as(Role.ENTERPRISE, enterprise=a)
    assessment_id = open_assessment(client, worker)
    assessment = db.get(Assessment, assessment_id)
    first = form_data(assessment, ["9"] * 10)
    second = form_data(assessment, ["6"] * 10)
    other = app.test_client()
    login_as(Role.COMMUNE, on=other)
    assert client.post(f"/danh-gia/{assessment_id}", data=first).status_code == 302
    response = other.post(f"/danh-gia/{assessment_id}", data=second)
    assert response.status_code == 200
    assert any("vừa được người khác lưu" in message for message in flashes(response))
    db.expire_all()
    assert set(db.get(Assessment, assessment_id).score_map().values()) == {Decimal(9)}


def test_flow_through_the_pages_and_permissions(client, app, db, login_as, world):
    """Enterprise officer fills, submits and reviews (with a reasoned change) but may not
    approve; the commune officer approves; the worker becomes eligible."""
    a, _b, worker, _other = world
    login_as(Role.ENTERPRISE, enterprise=a)
    assessment_id = open_assessment(client, worker)
    assessment = db.get(Assessment, assessment_id)
    client.post(f"/danh-gia/{assessment_id}", data=form_data(assessment, ["9"] * 10))
    db.expire_all()
    version = db.get(Assessment, assessment_id).version
    assert client.post(f"/danh-gia/{assessment_id}/nop",
                       data={"version": version}).status_code == 302
    db.expire_all()
    assessment = db.get(Assessment, assessment_id)
    assert assessment.status == AssessmentStatus.SUBMITTED
    changed = form_data(assessment, ["9"] * 5 + ["7"] + ["9"] * 4)
    response = client.post(f"/danh-gia/{assessment_id}", data=changed)
    assert field_errors(response, "indicators-5-reason") == [
        "Chỉ số 6: cần ghi lý do khi đổi điểm 9 → 7."]
    changed = form_data(assessment, ["9"] * 5 + ["7"] + ["9"] * 4,
                        reasons={6: "Chưa có chứng chỉ ngoại ngữ"})
    assert client.post(f"/danh-gia/{assessment_id}", data=changed).status_code == 302
    db.expire_all()
    assessment = db.get(Assessment, assessment_id)
    client.post(f"/danh-gia/{assessment_id}/tham-dinh", data={"version": assessment.version})
    db.expire_all()
    assessment = db.get(Assessment, assessment_id)
    assert assessment.status == AssessmentStatus.REVIEWED
    assert client.post(f"/danh-gia/{assessment_id}/phe-duyet",
                       data={"version": assessment.version}).status_code == 403
    commune = app.test_client()
    login_as(Role.COMMUNE, on=commune)
    table = commune.get("/xet-cong-nhan?nam=2025").get_data(as_text=True)
    assert "chưa được phê duyệt" in table
    response = commune.post(f"/danh-gia/{assessment_id}/phe-duyet",
                            data={"version": assessment.version})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Assessment, assessment_id).status == AssessmentStatus.APPROVED
    row = re.search(rf'<tr data-worker="{worker.id}">(.*?)</tr>',
                    commune.get("/xet-cong-nhan?nam=2025").get_data(as_text=True), re.S)
    assert "Đủ điều kiện" in row.group(1) and "88" in row.group(1)
    page = commune.get(f"/danh-gia/{assessment_id}").get_data(as_text=True)
    assert "Chưa có chứng chỉ ngoại ngữ" in page
    assert db.scalar(select(ScoreChange.reason)) == "Chưa có chứng chỉ ngoại ngữ"


def test_approving_a_draft_through_the_page_is_refused(client, db, login_as, world):
    """The commune officer approving a draft gets the Vietnamese refusal and nothing changes."""
    _a, _b, worker, _other = world
    login_as(Role.COMMUNE)
    assessment_id = open_assessment(client, worker)
    response = client.post(f"/danh-gia/{assessment_id}/phe-duyet", follow_redirects=True)
    assert "Phiếu chưa được nộp (người lao động chưa tự đánh giá xong); không thể phê duyệt." \
        in flashes(response)
    db.expire_all()
    assert db.get(Assessment, assessment_id).status == AssessmentStatus.DRAFT


def test_enterprise_officer_sees_only_own_assessments(client, db, login_as, make, world):
    """Another enterprise's assessment answers 404 and is not listed."""
    a, _b, worker, other = world
    login_as(Role.COMMUNE)
    theirs = open_assessment(client, other)
    officer = make.user(Role.ENTERPRISE, enterprise=a)
    with client.session_transaction() as session:
        session["_user_id"] = officer.session_token
    assert client.get(f"/danh-gia/{theirs}").status_code == 404
    listing = client.get("/danh-gia?nam=2025").get_data(as_text=True)
    assert worker.full_name in listing and other.full_name not in listing
    table = client.get("/xet-cong-nhan?nam=2025").get_data(as_text=True)
    assert worker.full_name in table and other.full_name not in table


def grid_post(workers, codes, values, versions=None, reasons=None, submit=False):
    data = {}
    for index, worker in enumerate(workers):
        data[f"rows-{index}-worker_id"] = str(worker.id)
        data[f"rows-{index}-version"] = str((versions or {}).get(worker.id, ""))
        data[f"rows-{index}-reason"] = (reasons or {}).get(worker.id, "")
        for position, _code in enumerate(codes):
            data[f"rows-{index}-scores-{position}"] = values[worker.id][position]
    if submit:
        data["nop"] = "1"
    return data


def test_grid_saves_many_workers_and_refuses_all_on_one_error(client, db, make, login_as,
                                                               world):
    """The grid opens drafts and saves scores for many workers; one bad cell saves nothing."""
    a, _b, worker, _other = world
    second = make.worker(a, given="Cường")
    login_as(Role.ENTERPRISE, enterprise=a)
    codes = [i.code for i in active_set(db).indicators]
    page = client.get("/danh-gia/bang-diem?nam=2025").get_data(as_text=True)
    assert 'data-col="0"' in page and "Enter" in page
    assert "readonly" not in page  # no approved assessment: every cell is editable
    bad = grid_post([worker, second], codes,
                    {worker.id: ["9"] * 10, second.id: ["9"] * 9 + ["12"]})
    response = client.post("/danh-gia/bang-diem?nam=2025", data=bad)
    assert response.status_code == 200
    assert "Chỉ số 10: điểm phải từ 0 đến 10." in response.get_data(as_text=True)
    assert db.scalar(select(Assessment.id)) is None
    good = grid_post([worker, second], codes,
                     {worker.id: ["9"] * 10, second.id: ["8"] * 9 + [""]}, submit=True)
    response = client.post("/danh-gia/bang-diem?nam=2025", data=good)
    assert response.status_code == 302
    assert "Đã nộp 1 phiếu chấm đủ điểm" in " ".join(flashes(client.get(
        response.headers["Location"])))
    saved = {a.worker_id: a for a in db.scalars(select(Assessment))}
    assert saved[worker.id].status == AssessmentStatus.SUBMITTED
    assert saved[second.id].status == AssessmentStatus.DRAFT
    assert len(saved[second.id].scores) == 9
    # Under review a change in the grid needs the row's reason.
    changed = grid_post([worker], codes, {worker.id: ["9"] * 9 + ["5"]},
                        versions={worker.id: saved[worker.id].version})
    response = client.post("/danh-gia/bang-diem?nam=2025", data=changed)
    assert "cần ghi lý do" in response.get_data(as_text=True)
    changed = grid_post([worker], codes, {worker.id: ["9"] * 9 + ["5"]},
                        versions={worker.id: saved[worker.id].version},
                        reasons={worker.id: "Thẩm định lại"})
    assert client.post("/danh-gia/bang-diem?nam=2025", data=changed).status_code == 302
    db.expire_all()
    assert db.get(Assessment, saved[worker.id].id).score_map()[10] == Decimal(5)


def test_eligibility_export_keeps_ids_as_text(client, db, login_as, world):
    """The .xlsx export lists the same rows with IDs as text and Vietnamese reasons."""
    _a, _b, worker, other = world
    login_as(Role.COMMUNE)
    response = client.get("/xet-cong-nhan/tai-xuong?nam=2025")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "DANH SÁCH XÉT CÔNG NHẬN DANH HIỆU CÔNG DÂN HỌC TẬP NĂM 2025"
    body = {row[2]: row for row in rows[4:]}
    assert body[worker.full_name][1] == str(worker.id)
    assert body[other.full_name][8] == "Chưa đánh giá"
    assert body[other.full_name][9] == "Chưa có phiếu đánh giá năm 2025"


def test_eligibility_filter_and_sort(client, db, login_as, make, world):
    """Filtering by result and sorting by total work on the table."""
    a, _b, worker, other = world
    third = make.worker(a, given="Dũng")
    assess(db, worker, ["9"] * 10)
    assess(db, third, ["8"] * 10)
    login_as(Role.COMMUNE)
    page = client.get("/xet-cong-nhan?nam=2025&ket_qua=eligible&sap_xep=tong").get_data(
        as_text=True)
    assert other.full_name not in page
    assert page.index(third.full_name) < page.index(worker.full_name)
    page = client.get("/xet-cong-nhan?nam=2025&ket_qua=eligible&sap_xep=tong&giam=1").get_data(
        as_text=True)
    assert page.index(worker.full_name) < page.index(third.full_name)


def test_admin_edits_a_criteria_set_through_the_form(client, db, login_as):
    """The administrator clones the set, edits the copy's threshold and activates it."""
    login_as(Role.ADMIN)
    shipped = active_set(db)
    response = client.post(f"/bo-tieu-chi/{shipped.id}/sao-chep")
    clone_id = int(response.headers["Location"].split("/")[-2])
    form = client.get(f"/bo-tieu-chi/{clone_id}/sua").get_data(as_text=True)
    assert "Có thói quen đọc sách" in form
    data = {
        "name": "Bộ tiêu chí 2026", "reference": shipped.reference, "reference_note": "",
        "target_group": shipped.target_group, "period_start": "2026", "period_end": "2030",
        "pass_total": "85", "min_per_indicator": "5", "required_areas": ["law", "life"],
        "min_hours": "", "min_age": "18", "employed_in_commune_on": "",
    }
    for index, indicator in enumerate(shipped.indicators):
        data[f"indicators-{index}-code"] = str(indicator.code)
        data[f"indicators-{index}-text"] = indicator.text
        data[f"indicators-{index}-short_label"] = indicator.short_label
        data[f"indicators-{index}-max_points"] = "10"
    bad = dict(data, pass_total="150")
    response = client.post(f"/bo-tieu-chi/{clone_id}/sua", data=bad)
    assert field_errors(response, "pass_total") == [
        "Tổng điểm đạt 150 lớn hơn tổng điểm tối đa 100."]
    assert client.post(f"/bo-tieu-chi/{clone_id}/sua", data=data).status_code == 302
    assert client.post(f"/bo-tieu-chi/{clone_id}/ap-dung").status_code == 302
    db.expire_all()
    clone = db.get(CriteriaSet, clone_id)
    assert clone.is_active and clone.pass_total == Decimal(85)
    assert clone.required_areas == ["law", "life"] and clone.min_age == 18
    page = client.get(f"/bo-tieu-chi/{clone_id}").get_data(as_text=True)
    assert "Chính trị, pháp luật; Kỹ năng sống" in page and "Đủ 18 tuổi" in page


def test_locked_set_has_no_edit_button(client, db, login_as):
    """A set locked by a decision shows it and cannot be edited."""
    login_as(Role.ADMIN)
    shipped = active_set(db)
    lock_criteria_set(db, shipped.id)
    db.flush()
    page = client.get(f"/bo-tieu-chi/{shipped.id}").get_data(as_text=True)
    assert "Đã khóa từ" in page
    assert f"/bo-tieu-chi/{shipped.id}/sua" not in page
    response = client.get(f"/bo-tieu-chi/{shipped.id}/sua", follow_redirects=True)
    assert any("không sửa được" in message for message in flashes(response))


def test_pages_open_on_the_latest_assessed_year(client, db, login_as, world):
    """Without ?nam the table shows the latest year having assessments; a provincial viewer
    sees no birth years."""
    _a, _b, worker, _other = world
    assess(db, worker, ["9"] * 10, year=2024)
    login_as(Role.COMMUNE)
    assert "năm 2024" in client.get("/xet-cong-nhan").get_data(as_text=True)
    login_as(Role.PROVINCE)
    page = client.get("/xet-cong-nhan").get_data(as_text=True)
    assert worker.full_name in page and "Năm sinh" not in page
    assert str(worker.birth_date.year) not in page

"""Commendation rounds: who proposes and approves, bad entries, suggestions, documents."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.commendations import services
from registry.commendations.documents import round_file
from registry.commendations.models import CommendationEntry, EntryStatus, RoundStatus
from registry.commendations.services import EntryData, RoundData
from registry.errors import DomainError
from registry.learning.models import ActivityForm, Area
from tests.conftest import field_errors
from tests.plans.test_rates import recognise


@pytest.fixture
def setup(make, db):
    """A round of the home commune, enterprises A and B with a worker each."""
    a, b = make.enterprise(name="Công ty May A"), make.enterprise(name="Công ty Giày B")
    lan = make.worker(a, given="Lan", birth=date(1980, 5, 1))
    minh = make.worker(b, family="Trần", middle="Văn", given="Minh", birth=date(1978, 1, 1))
    officer = make.scope(Role.COMMUNE)
    round_ = services.save_round(db, officer, RoundData(
        title="Biểu dương, khen thưởng công nhân lao động và con công nhân lao động hiếu học",
        year=2025, issuing_body="UBND xã Hoằng Hóa"))
    return {"a": a, "b": b, "lan": lan, "minh": minh, "officer": officer, "round": round_}


def test_enterprise_proposes_and_commune_approves(db, make, setup):
    """An enterprise's proposal waits for the commune, which approves it; then the round
    is approved once numbered, and takes no more proposals."""
    round_ = setup["round"]
    enterprise = make.scope(Role.ENTERPRISE, enterprise=setup["a"])
    entry = services.propose_entry(db, enterprise, round_, EntryData(
        "worker", str(setup["lan"].id), "Đạt danh hiệu Công dân học tập 3 năm liền",
        amount=500_000))
    assert entry.status == EntryStatus.PROPOSED
    with pytest.raises(DomainError, match="Chỉ cán bộ xã xét duyệt"):
        services.decide_entry(db, enterprise, entry, True)
    with pytest.raises(DomainError, match="Còn 1 đề nghị chưa được xét duyệt"):
        services.approve_round(db, setup["officer"], round_)
    services.decide_entry(db, setup["officer"], entry, True)
    with pytest.raises(DomainError, match="số và ngày của quyết định"):
        services.approve_round(db, setup["officer"], round_)
    round_.decision_number, round_.decision_date = "05/QĐ-UBND", date(2025, 12, 20)
    services.approve_round(db, setup["officer"], round_)
    assert round_.status == RoundStatus.APPROVED
    with pytest.raises(DomainError, match="không nhận thêm"):
        services.propose_entry(db, setup["officer"], round_, EntryData(
            "worker", str(setup["minh"].id), "Giải Nhất hội thi Bàn tay vàng"))


def test_enterprise_cannot_propose_another_enterprises_worker(db, make, setup):
    """A worker of B is not found for A's officer."""
    enterprise = make.scope(Role.ENTERPRISE, enterprise=setup["a"])
    with pytest.raises(DomainError) as error:
        services.propose_entry(db, enterprise, setup["round"], EntryData(
            "worker", setup["minh"].citizen_id, "Gương tốt"))
    assert "Không tìm thấy người lao động" in error.value.fields["worker_ref"]


def test_child_entry_needs_a_parent_worker(client, login_as, db, setup):
    """A child without a parent worker is refused on the form and nothing is saved."""
    login_as(Role.COMMUNE)
    response = client.post(f"/bieu-duong/{setup['round'].id}/de-nghi", data={
        "kind": "child", "worker_ref": "", "reason": "Con CNLĐ hiếu học",
        "child_name": "Lê Minh Anh", "child_birth_year": "2007",
        "achievement": "Đỗ Đại học Bách khoa Hà Nội"})
    assert response.status_code == 200
    errors = field_errors(response, "worker_ref")
    assert errors and ("Trường này bắt buộc phải nhập." in errors
                       or "Chưa chọn cha hoặc mẹ của cháu (người lao động)." in errors)
    with pytest.raises(DomainError) as error:
        services.propose_entry(db, setup["officer"], setup["round"], EntryData(
            "child", "", "Con CNLĐ hiếu học", child_name="Lê Minh Anh", child_birth_year=2007,
            achievement="Đỗ Đại học"))
    assert error.value.fields == {
        "worker_ref": "Chưa chọn cha hoặc mẹ của cháu (người lao động)."}
    assert db.scalar(select(func.count()).select_from(CommendationEntry)) == 0


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"child_birth_year": 1975}, "child_birth_year",
     "Năm sinh của cháu phải từ 1992 (cha, mẹ sinh năm 1980) đến 2025."),
    ({"child_name": ""}, "child_name", "Chưa nhập họ và tên của cháu."),
    ({"amount": -500_000}, "amount", "Số tiền thưởng không được âm."),
])
def test_child_entry_checks(db, setup, values, field, message):
    """Child details and amounts are checked with Vietnamese messages."""
    data = {"kind": "child", "worker_ref": str(setup["lan"].id), "reason": "Hiếu học",
            "child_name": "Lê Minh Anh", "child_birth_year": 2007, "achievement": "Đỗ Đại học",
            **values}
    with pytest.raises(DomainError) as error:
        services.propose_entry(db, setup["officer"], setup["round"], EntryData(**data))
    assert error.value.fields[field] == message


def test_duplicate_entry_is_refused(db, setup):
    """The same worker twice in a round is refused."""
    data = EntryData("worker", str(setup["lan"].id), "Gương tốt")
    services.propose_entry(db, setup["officer"], setup["round"], data)
    with pytest.raises(DomainError, match="Nguyễn Thị Lan đã có trong danh sách này"):
        services.propose_entry(db, setup["officer"], setup["round"], data)


def test_documents_carry_amounts_and_total_in_words(db, setup, tmp_path):
    """PDF, DOCX and XLSX list the approved people with "500.000 đồng" and the total in
    words; children are listed with their parent."""
    officer, round_ = setup["officer"], setup["round"]
    services.propose_entry(db, officer, round_, EntryData(
        "worker", str(setup["lan"].id), "Giải Nhất hội thi Bàn tay vàng", amount=500_000))
    services.propose_entry(db, officer, round_, EntryData(
        "child", str(setup["minh"].id), "Con CNLĐ hiếu học", child_name="Trần Bảo Ngọc",
        child_birth_year=2007, achievement="Đỗ Đại học Y Hà Nội", amount=700_000))
    round_.decision_number, round_.decision_date = "05/QĐ-UBND", date(2025, 12, 20)
    entries = db.scalars(services.entries_query(officer, round_, EntryStatus.APPROVED)).all()
    document = docx.Document(io.BytesIO(round_file(round_, entries, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "500.000 đồng" in cells and "700.000 đồng" in cells
    assert "Một triệu hai trăm nghìn đồng" in text
    assert "Trần Văn Minh (Công ty Giày B)" in cells and "Trần Bảo Ngọc" in cells
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(round_file(round_, entries, "pdf"))
    flat = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "500.000 đồng" in flat and "Năm trăm nghìn đồng" in flat
    assert "DANH SÁCH CON CÔNG NHÂN LAO ĐỘNG HIẾU HỌC" in flat
    assert "Kèm theo Quyết định số 05/QĐ-UBND ngày 20/12/2025" in flat
    book = openpyxl.load_workbook(io.BytesIO(round_file(round_, entries, "xlsx")))
    sheet = book["Công nhân lao động"]
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert str(setup["lan"].id) in values and 500_000 in values
    assert "Năm trăm nghìn đồng" in values


def test_provincial_viewer_sees_no_children(client, login_as, db, setup):
    """Children of workers are personal data: a provincial viewer sees only worker entries."""
    services.propose_entry(db, setup["officer"], setup["round"], EntryData(
        "child", str(setup["minh"].id), "Hiếu học", child_name="Trần Bảo Ngọc",
        child_birth_year=2007, achievement="Đỗ Đại học"))
    services.propose_entry(db, setup["officer"], setup["round"], EntryData(
        "worker", str(setup["lan"].id), "Gương tốt"))
    login_as(Role.PROVINCE)
    page = client.get(f"/bieu-duong/{setup['round'].id}").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Trần Bảo Ngọc" not in page


def test_suggestions_follow_the_rules(db, make, setup):
    """Recognised three years in a row; most hours; prize winners."""
    officer, round_, lan, minh = setup["officer"], setup["round"], setup["lan"], setup["minh"]
    for year in (2023, 2024, 2025):
        recognise(make, lan, year)
    recognise(make, minh, 2025)
    found = services.suggestions(db, officer, round_, "lien-tiep", years=3)
    assert [s.worker for s in found] == [lan]
    assert found[0].reason == "Đạt danh hiệu «Công dân học tập» 3 năm liền (2023–2025)"
    course = make.activity(setup["b"], area=Area.SKILL, start=date(2025, 4, 1),
                           hours=Decimal(40), title="Nâng bậc thợ")
    make.participation(course, minh, hours=Decimal("37.5"))
    top = services.suggestions(db, officer, round_, "nhieu-gio", top=1)
    assert [(s.worker, s.reason) for s in top] == [
        (minh, "Tham gia 37,5 giờ học tập trong năm 2025")]
    contest = make.activity(area=Area.SKILL, form=ActivityForm.COMPETITION,
                            start=date(2025, 5, 15), title="Hội thi Bàn tay vàng")
    make.participation(contest, lan, result="Giải Nhì")
    make.participation(contest, minh, result="Giải Khuyến khích")
    winners = services.suggestions(db, officer, round_, "dat-giai")
    assert [(s.worker, s.reason) for s in winners] == [(lan, "Giải Nhì Hội thi Bàn tay vàng")]
    services.propose_entry(db, officer, round_, EntryData("worker", str(lan.id), "x"))
    assert services.suggestions(db, officer, round_, "dat-giai") == []


def test_suggestion_page_adds_the_picked_workers(client, login_as, db, make, setup):
    """Ticking suggested workers adds them with the rule's reason."""
    for year in (2024, 2025):
        recognise(make, setup["lan"], year)
    login_as(Role.COMMUNE)
    url = f"/bieu-duong/{setup['round'].id}/goi-y"
    page = client.get(url, query_string={"quy_tac": "lien-tiep", "so_nam": 2})
    assert "Nguyễn Thị Lan" in page.get_data(as_text=True)
    response = client.post(url, data={"quy_tac": "lien-tiep", "so_nam": "2",
                                      "worker_id": str(setup["lan"].id)})
    assert response.status_code == 302
    entry = db.scalar(select(CommendationEntry))
    assert entry.reason == "Đạt danh hiệu «Công dân học tập» 2 năm liền (2024–2025)"
    assert entry.status == EntryStatus.APPROVED

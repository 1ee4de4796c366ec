"""The activity log's rules and the periodic report's DOCX, PDF and command."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
)
from registry.errors import DomainError
from registry.learning.models import ActivityForm, Area
from registry.plans.services import commune_unit
from registry.reports import services
from registry.reports.documents import communication_sentence, report_document, report_file
from registry.reports.models import Channel, Spending
from tests.conftest import OTHER_COMMUNE, field_errors


@pytest.fixture
def officer(make):
    """A commune officer's scope."""
    return make.scope(Role.COMMUNE)


def seed_log(db, make, officer):
    """The 2023 report of seed 000 as data: 5 radio items, 8 fb/zalo posts, 1 website article,
    a directive, the learning week, 5.600.000 đồng from the commune budget, a contest, and a
    commendation round of 2 workers and 2 children."""
    save = services.save_entry
    save(db, officer, "truyen-thong", {"published_on": date(2023, 3, 1), "channel": "radio",
                                       "title": "Tin phát thanh", "count": 5})
    save(db, officer, "truyen-thong", {"published_on": date(2023, 4, 1),
                                       "channel": "facebook", "title": "Bài đăng", "count": 5})
    save(db, officer, "truyen-thong", {"published_on": date(2023, 4, 2), "channel": "zalo",
                                       "title": "Tin nhóm Zalo", "count": 3})
    save(db, officer, "truyen-thong", {"published_on": date(2023, 5, 2), "channel": "website",
                                       "title": "Bài trang xã", "count": 1})
    save(db, officer, "van-ban", {"number": "107/KH-UBND", "issued_on": date(2023, 4, 11),
                                  "title": "Kế hoạch đẩy mạnh học tập suốt đời năm 2023"})
    save(db, officer, "su-kien", {"start_date": date(2023, 10, 1), "end_date": date(2023, 10, 7),
                                  "title": "Tuần lễ hưởng ứng học tập suốt đời"})
    save(db, officer, "kinh-phi", {"spent_on": date(2023, 10, 5), "source": "commune",
                                   "amount": 5_600_000, "purpose": "Tổ chức Tuần lễ học tập "
                                   "suốt đời"})
    enterprise = make.enterprise()
    workers = [make.worker(enterprise, given=name) for name in ("An", "Bình", "Chi")]
    contest = make.activity(title="Hội thi Bàn tay vàng", area=Area.SKILL,
                            form=ActivityForm.COMPETITION, start=date(2023, 5, 15))
    make.participation(contest, workers[0], result="Giải Nhất")
    make.participation(contest, workers[1], result="Giải Khuyến khích")
    round_ = CommendationRound(commune_id=make.commune().id, title="Biểu dương 2023",
                               year=2023, issuing_body="UBND xã", decision_date=date(2023, 12, 1))
    db.add(round_)
    db.flush()
    for worker, kind, child in ((workers[0], EntryKind.WORKER, ""),
                                (workers[1], EntryKind.WORKER, ""),
                                (workers[2], EntryKind.CHILD, "Lê Minh Anh"),
                                (workers[0], EntryKind.CHILD, "Lê Bảo Ngọc")):
        db.add(CommendationEntry(round_id=round_.id, kind=kind, worker_id=worker.id,
                                 enterprise_id=enterprise.id, reason="Gương học tập",
                                 child_name=child, child_birth_year=2005 if child else None,
                                 amount=500_000, status=EntryStatus.APPROVED))
    db.flush()
    return workers


def test_communication_counts_read_as_in_the_commune_reports():
    """5 radio items, 5 Facebook + 3 Zalo posts and 1 article read as in seed 000."""
    sentence = communication_sentence({Channel.RADIO: 5, Channel.FACEBOOK: 5, Channel.ZALO: 3,
                                       Channel.WEBSITE: 1, Channel.OTHER: 0})
    assert sentence == ("đài truyền thanh xã: 05 tin, bài; fb, zalo: 8 lượt; "
                        "trang thông tin điện tử: 01 bài")


def test_report_docx_holds_the_figures(db, make, officer):
    """The DOCX paragraphs and table cells carry the counts, the spending and the rates."""
    seed_log(db, make, officer)
    data = services.collect(db, commune_unit(make.commune()), date(2023, 1, 1), date(2023, 12, 31))
    document = docx.Document(io.BytesIO(report_file(data, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "BÁO CÁO" in text
    assert "I. Công tác triển khai thực hiện" in text and "III. Kiến nghị, đề xuất" in text
    assert ("đài truyền thanh xã: 05 tin, bài; fb, zalo: 8 lượt; trang thông tin điện tử: "
            "01 bài") in text
    assert "107/KH-UBND" in text and "Tuần lễ hưởng ứng học tập suốt đời" in text
    assert "5.600.000 đồng" in text
    assert "Năm triệu sáu trăm nghìn đồng" in text
    assert "biểu dương 02 công nhân và 02 cháu là con công nhân lao động" in text
    assert "Giải Nhất" in text and "Giải Khuyến khích" not in text
    assert "a) Chính trị, pháp luật" in cells
    assert "70,0%" in cells  # the national 2025 target of indicator a
    assert document.inline_shapes, "the rates chart is embedded as a picture"


def test_report_pdf_text_has_the_spending_exactly(db, make, officer, tmp_path):
    """pdftotext of the PDF finds "5.600.000 đồng" and the Vietnamese headings intact."""
    seed_log(db, make, officer)
    data = services.collect(db, commune_unit(make.commune()), date(2023, 1, 1), date(2023, 12, 31))
    path = tmp_path / "report.pdf"
    path.write_bytes(report_file(data, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "5.600.000 đồng" in flat
    assert "Kết quả đạt được" in flat and "Tồn tại, hạn chế" in flat
    assert "Công tác biểu dương khen thưởng" in flat


def test_period_without_data_gives_zeros_and_says_so(db, make):
    """A period with nothing recorded still makes a report, with zeros and a note."""
    data = services.collect(db, commune_unit(make.commune()), date(2019, 1, 1), date(2019, 12, 31))
    assert data.is_empty
    blocks = report_document(data).blocks
    text = " ".join(getattr(b, "text", "") for b in blocks)
    assert "chưa có số liệu nào" in text
    assert "0 đồng" in text
    assert data.spending_total == 0 and data.communication_items == 0


def test_negative_spending_is_refused_and_nothing_saved(db, officer):
    """A negative amount gets a Vietnamese message on the amount field."""
    before = db.scalar(select(func.count()).select_from(Spending))
    with pytest.raises(DomainError) as error:
        services.save_entry(db, officer, "kinh-phi", {"spent_on": date(2025, 1, 2),
                                                      "source": "commune", "amount": -5,
                                                      "purpose": "Sai"})
    assert error.value.fields == {"amount": "Số tiền không được âm."}
    assert db.scalar(select(func.count()).select_from(Spending)) == before


@pytest.mark.parametrize(("kind", "values", "field", "message"), [
    ("su-kien", {"start_date": date(2025, 5, 2), "end_date": date(2025, 5, 1), "title": "X"},
     "end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
    ("truyen-thong", {"published_on": date(2025, 5, 2), "channel": "radio", "title": "X",
                      "count": 0}, "count", "Số tin, bài, lượt phải từ 1 trở lên."),
    ("truyen-thong", {"published_on": date(2025, 5, 2), "channel": "tivi", "title": "X",
                      "count": 1}, "channel", "Hãy chọn kênh trong danh sách."),
    ("van-ban", {"number": "", "issued_on": date(2025, 5, 2), "title": "X"},
     "number", "Chưa nhập số, ký hiệu."),
])
def test_log_entries_refuse_bad_values(db, officer, kind, values, field, message):
    """Each wrong value is named in Vietnamese."""
    with pytest.raises(DomainError) as error:
        services.save_entry(db, officer, kind, values)
    assert error.value.fields[field] == message


def test_spending_form_takes_dotted_amounts_and_refuses_negative(client, login_as, db):
    """"5.600.000" is read as 5600000 đồng; "-1" shows the message and saves nothing."""
    login_as(Role.COMMUNE)
    form = {"spent_on": "2025-10-05", "source": "commune", "enterprise_id": "0",
            "purpose": "Tuần lễ học tập suốt đời"}
    bad = client.post("/nhat-ky/kinh-phi/moi", data={**form, "amount": "-1"})
    assert field_errors(bad, "amount") == ["Số tiền không được âm."]
    assert db.scalar(select(func.count()).select_from(Spending)) == 0
    good = client.post("/nhat-ky/kinh-phi/moi", data={**form, "amount": "5.600.000"})
    assert good.status_code == 302
    assert db.scalar(select(Spending.amount)) == 5_600_000
    page = client.get("/nhat-ky", query_string={"tu": "2025-01-01", "den": "2025-12-31"})
    assert "5.600.000 đồng" in page.get_data(as_text=True)


def test_report_texts_are_kept_for_next_time(client, login_as, make, db):
    """Texts saved on the report page come back the next time and go into the document."""
    login_as(Role.COMMUNE)
    response = client.post("/bao-cao", data={"shortcomings": "- Kinh phí còn hạn hẹp",
                                             "recipients": "Huyện ủy (b/c)\r\nLưu: VT",
                                             "signer_name": "Đỗ Hùng Sơn",
                                             "signer_title": "Phó Chủ tịch"})
    assert response.status_code == 302
    page = client.get("/bao-cao").get_data(as_text=True)
    assert "Kinh phí còn hạn hẹp" in page
    docx_file = client.get("/bao-cao/tai-ve", query_string={"dinh_dang": "docx"})
    document = docx.Document(io.BytesIO(docx_file.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Kinh phí còn hạn hẹp" in text
    assert "Đỗ Hùng Sơn" in cells and "PHÓ CHỦ TỊCH" in cells
    # The recipients typed on two lines stay two items of «Nơi nhận».
    assert "- Huyện ủy (b/c);\n- Lưu: VT." in cells


def test_officer_of_another_commune_cannot_open_this_log_entry(client, login_as, make, db):
    """A spending line of the home commune answers 404 to the other commune's officer."""
    spending = services.save_entry(db, make.scope(Role.COMMUNE), "kinh-phi", {
        "spent_on": date(2025, 1, 2), "source": "union", "amount": 100_000, "purpose": "Sách"})
    login_as(Role.COMMUNE, commune=OTHER_COMMUNE)
    assert client.get(f"/nhat-ky/kinh-phi/{spending.id}/sua").status_code == 404
    assert "Sách" not in client.get("/nhat-ky").get_data(as_text=True)


def test_cli_generates_docx_and_pdf(runner, make, db, tmp_path):
    """flask report generate writes the report and refuses a wrong extension or unit."""
    out = tmp_path / "bc.docx"
    result = runner.invoke(args=["report", "generate", "--unit", "15865", "--from",
                                 "2019-01-01", "--to", "2019-12-31", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "chưa có số liệu" in result.output
    assert docx.Document(str(out)).paragraphs
    pdf = tmp_path / "bc.pdf"
    result = runner.invoke(args=["report", "generate", "--unit", "15865", "--from",
                                 "2025-01-01", "--to", "2025-12-31", "-o", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    wrong = runner.invoke(args=["report", "generate", "--unit", "99999", "--from",
                                "2025-01-01", "--to", "2025-12-31", "-o", str(pdf)])
    assert wrong.exit_code != 0 and "Không có xã, phường mã 99999" in wrong.output
    backwards = runner.invoke(args=["report", "generate", "--unit", "15865", "--from",
                                    "2025-12-31", "--to", "2025-01-01", "-o", str(pdf)])
    assert backwards.exit_code != 0 and "Ngày cuối kỳ" in backwards.output

"""The officer's pages: drafting from the eligibility table, taking people off, issuing,
downloads, printing (inline and as a background job), re-issue, revoke, the learning record."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from docx import Document
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.db import utcnow
from registry.jobs import runner
from registry.jobs.models import Job, JobState
from registry.recognition.models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionEntry,
)
from tests.conftest import field_errors, flashes
from tests.documents.pdftools import flat, page_texts

NAMES = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", "Thị", "Ánh")]


def form(rec, **changes) -> dict:
    """The new-decision form as the officer submits it."""
    data = rec.data()
    values = {
        "year": "2025", "parent_body": data.parent_body, "issuing_body": data.issuing_body,
        "number": "05", "symbol": data.symbol, "place": data.place, "signed_on": "2026-01-15",
        "authority": data.authority, "signer_authority": "", "signer_title": "CHỦ TỊCH",
        "signer_name": "Lê Văn Phượng", "legal_bases": data.legal_bases,
        "executors": data.executors, "recipients": data.recipients,
    }
    values.update(changes)
    return values


def decisions(db) -> list[Decision]:
    return db.scalars(select(Decision).order_by(Decision.id)).all()


def test_new_decision_page_offers_defaults_and_the_eligible_count(client, login_as, rec):
    """The form is filled with the commune's texts and says how many are eligible."""
    rec.eligible(*NAMES)
    login_as(Role.COMMUNE)
    page = client.get("/quyet-dinh/moi?nam=2025").get_data(as_text=True)
    assert "Có <strong>3</strong> người lao động đủ điều kiện công nhận năm 2025" in page
    assert "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HÓA" in page
    assert "Căn cứ Quyết định số 1268/QĐ-TTg" in page
    assert ("Căn cứ Quyết định số 244/QĐ-KHVN ngày 28/7/2022 của Hội Khuyến học Việt Nam ban "
            "hành tiêu chí đánh giá, công nhận danh hiệu") in page


def test_officer_drafts_removes_and_issues(client, login_as, rec, db):
    """Create the draft, take one person off with a reason, issue: certificates exist."""
    rec.eligible(*NAMES)
    login_as(Role.COMMUNE)
    typed = form(rec, issuing_body="ỦY BAN NHÂN DÂN\r\nXÃ HOẰNG HÓA",
                 legal_bases="Căn cứ Luật Giáo dục;\r\n  Căn cứ  Quyết định số 1268/QĐ-TTg;")
    response = client.post("/quyet-dinh/moi", data=typed, follow_redirects=True)
    assert "Đã lập dự thảo quyết định năm 2025 với 3 người đủ điều kiện." in flashes(response)
    (decision,) = decisions(db)
    # Boxes of several lines keep one line per line typed, each cleaned.
    assert decision.issuing_body == "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HÓA"
    assert decision.legal_bases == ("Căn cứ Luật Giáo dục;\n"
                                    "Căn cứ Quyết định số 1268/QĐ-TTg;")
    page = response.get_data(as_text=True)
    assert page.index("Nguyễn Thị An") < page.index("Lê Thị Ánh") < page.index("Trần Văn Bình")
    entry = db.scalar(select(DecisionEntry).where(DecisionEntry.full_name == "Lê Thị Ánh"))
    refused = client.post(f"/quyet-dinh/{decision.id}/danh-sach/{entry.id}/bo-ra",
                          data={"reason": ""}, follow_redirects=True)
    assert "Hãy nhập lý do bỏ người này khỏi danh sách." in flashes(refused)
    removed = client.post(f"/quyet-dinh/{decision.id}/danh-sach/{entry.id}/bo-ra",
                          data={"reason": "Nghỉ việc tháng 12"}, follow_redirects=True)
    assert "Đã bỏ Lê Thị Ánh khỏi danh sách." in flashes(removed)
    issued = client.post(f"/quyet-dinh/{decision.id}/ban-hanh", follow_redirects=True)
    assert "Đã ban hành quyết định 05/QĐ-UBND và cấp 2 giấy chứng nhận." in flashes(issued)
    serials = db.scalars(select(Certificate.full_name).where(
        Certificate.decision_id == decision.id).order_by(Certificate.serial)).all()
    assert serials == ["Nguyễn Thị An", "Trần Văn Bình"]
    again = client.post(f"/quyet-dinh/{decision.id}/ban-hanh", follow_redirects=True)
    assert any("đã ban hành, không sửa được" in f for f in flashes(again))
    assert client.get(f"/quyet-dinh/{decision.id}/sua").status_code == 403


def test_empty_eligibility_writes_nothing(client, login_as, db):
    """Nobody eligible: a clear message, no decision."""
    login_as(Role.COMMUNE)
    response = client.post("/quyet-dinh/moi", data=form_without_rec())
    assert response.status_code == 200
    assert any("danh sách trống" in f for f in flashes(response))
    assert decisions(db) == []


def form_without_rec() -> dict:
    return {"year": "2025", "issuing_body": "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HÓA", "number": "05",
            "symbol": "QĐ-UBND", "place": "Hoằng Hóa", "signed_on": "2026-01-15",
            "signer_title": "CHỦ TỊCH", "signer_name": "Lê Văn Phượng"}


def test_bad_fields_are_named_on_the_form(client, login_as, rec, db):
    """Duplicate number, early date, bad symbol and authority show under their fields."""
    rec.eligible(*NAMES[:1])
    rec.issued(number="05")
    rec.eligible(("Phạm", "Văn", "Cường"))
    login_as(Role.COMMUNE)
    response = client.post("/quyet-dinh/moi", data=form(rec))
    assert field_errors(response, "number") == [
        "Số 05/QĐ-UBND năm 2026 đã dùng cho quyết định đã ban hành (năm công nhận 2025)."]
    response = client.post("/quyet-dinh/moi", data=form(rec, number="6", signed_on="2025-11-30"))
    assert field_errors(response, "signed_on") == [
        "Ngày ký 30/11/2025 trước khi năm 2025 kết thúc. Nếu đúng, hãy đánh dấu xác nhận rồi "
        "lưu lại."]
    response = client.post("/quyet-dinh/moi", data=form(rec, number="6", symbol="QĐ/UBND"))
    assert field_errors(response, "symbol") == [
        "Ký hiệu gồm chữ và số nối bằng dấu gạch ngang, ví dụ QĐ-UBND."]
    response = client.post("/quyet-dinh/moi", data=form(rec, number="6",
                                                        signer_authority="Phó chủ tịch"))
    assert field_errors(response, "signer_authority")[0].startswith(
        "Dòng thẩm quyền ký bắt đầu bằng TM., KT.")
    assert len(decisions(db)) == 1
    response = client.post("/quyet-dinh/moi", data=form(rec, number="6", signed_on="2025-11-30",
                                                        confirm_early="y"))
    assert response.status_code == 302
    assert len(decisions(db)) == 2


def test_issue_with_an_early_date_needs_the_checkbox(client, login_as, rec, db):
    """The issue button refuses an early date until the officer confirms it."""
    rec.eligible(*NAMES[:1])
    decision = rec.draft(signed_on=date(2025, 12, 30),
                         confirm_early=True)
    login_as(Role.COMMUNE)
    page = client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)
    assert "trước khi năm 2025 kết thúc — tôi xác nhận" in page
    refused = client.post(f"/quyet-dinh/{decision.id}/ban-hanh", follow_redirects=True)
    assert any("trước khi năm 2025 kết thúc" in f for f in flashes(refused))
    assert not db.get(Decision, decision.id).is_issued
    client.post(f"/quyet-dinh/{decision.id}/ban-hanh", data={"confirm_early": "y"})
    db.expire_all()
    assert db.get(Decision, decision.id).is_issued


def test_downloads_are_pdf_and_docx(client, login_as, rec):
    """The decision downloads as PDF and DOCX with the list attached."""
    rec.eligible(*NAMES)
    decision = rec.issued()
    login_as(Role.COMMUNE)
    pdf = client.get(f"/quyet-dinh/{decision.id}.pdf")
    assert pdf.mimetype == "application/pdf"
    assert "quyet-dinh-05-QD-UBND-2025.pdf" in pdf.headers["Content-Disposition"]
    assert "Nguyễn Thị An" in flat(" ".join(page_texts(pdf.data)))
    docx = client.get(f"/quyet-dinh/{decision.id}.docx")
    cells = [row.cells[1].text for row in Document(io.BytesIO(docx.data)).tables[-1].rows[1:]]
    assert cells == ["Nguyễn Thị An", "Lê Thị Ánh", "Trần Văn Bình"]


def test_enterprise_officer_sees_and_prints_only_their_people(client, login_as, rec, make):
    """An enterprise officer's decision page and batch hold their own workers only."""
    rec.eligible(*NAMES[:2])
    other = make.enterprise(name="Công ty Giày Đông Á")
    rec.eligible(("Đặng", "Thị", "Đào"), enterprise=other)
    decision = rec.issued()
    login_as(Role.ENTERPRISE, enterprise=other)
    page = client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)
    assert "Đặng Thị Đào" in page and "Nguyễn Thị An" not in page
    response = client.post(f"/quyet-dinh/{decision.id}/in-giay-chung-nhan",
                           data={"kind": "pdf", "enterprise_id": str(other.id)})
    texts = page_texts(response.data)
    assert len(texts) == 1 and "Đặng Thị Đào" in flat(texts[0])


def test_inline_batch_as_pdf_and_zip(client, login_as, rec, make):
    """A small batch downloads at once; one enterprise's subset on request."""
    rec.eligible(*NAMES)
    other = make.enterprise(name="Công ty Giày Đông Á")
    rec.eligible(("Đặng", "Thị", "Đào"), enterprise=other)
    decision = rec.issued()
    login_as(Role.COMMUNE)
    url = f"/quyet-dinh/{decision.id}/in-giay-chung-nhan"
    assert "4 giấy chứng nhận còn hiệu lực" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"kind": "pdf", "enterprise_id": "0"})
    assert response.mimetype == "application/pdf" and len(page_texts(response.data)) == 4
    response = client.post(url, data={"kind": "zip", "enterprise_id": str(other.id)})
    assert response.mimetype == "application/zip"
    assert "Cong_ty_Giay_Dong_A" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert [n.split("_", 1)[1] for n in names] == ["Dang_Thi_Dao.pdf"]


def _batch_job(app_with, login_as, rec, db, tmp_path, kind: str):
    """Three eligible people issued, a commune officer asking for a batch of kind above the
    inline limit (a job, run at once): (client, the POST's response, the job)."""
    rec.eligible(*NAMES)
    decision = rec.issued()
    application = app_with(RECOGNITION_BATCH_INLINE=2, REGISTRY_JOBS_INLINE=True)
    application.instance_path = str(tmp_path)
    client = application.test_client()
    login_as(Role.COMMUNE, on=client)
    response = client.post(f"/quyet-dinh/{decision.id}/in-giay-chung-nhan",
                           data={"kind": kind, "enterprise_id": "0"})
    job = db.scalar(select(Job).where(Job.parameters["decision_id"].as_integer() == decision.id))
    return client, response, job


def test_long_batch_runs_as_a_job_with_progress(app_with, login_as, rec, db, tmp_path):
    """Above the inline limit the batch becomes a job; its status reaches 100% and downloads."""
    client, response, job = _batch_job(app_with, login_as, rec, db, tmp_path, "pdf")
    assert job.kind == "certificates-pdf"
    assert response.headers["Location"] == f"/in-giay-chung-nhan/{job.id}"
    page = client.get(f"/in-giay-chung-nhan/{job.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page and "Hoàn thành" in page
    status = client.get(f"/in-giay-chung-nhan/{job.id}.json").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["done"] == status["total"] == 3
    download = client.get(status["download"])
    assert len(page_texts(download.data)) == 3
    download.close()
    db.expire_all()
    job = db.get(Job, job.id)
    assert job.state == JobState.DONE and job.result_file == f"job-{job.id}.pdf"
    assert (tmp_path / "print_jobs" / job.result_file).is_file()
    assert f"Lần in #{job.id}</a> · PDF · 3 giấy · Hoàn thành" in client.get(
        f"/quyet-dinh/{job.parameters['decision_id']}/in-giay-chung-nhan").get_data(as_text=True)


def test_long_zip_batch_reports_each_certificate(app_with, login_as, rec, db, tmp_path,
                                                monkeypatch):
    """A ZIP job reports its progress certificate by certificate and downloads as a ZIP."""
    written = []
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(runner, "write_progress", lambda *figures: written.append(figures))
    client, _, job = _batch_job(app_with, login_as, rec, db, tmp_path, "zip")
    assert job.kind == "certificates-zip"
    assert written == [(job.id, 1, 3), (job.id, 2, 3), (job.id, 3, 3)]
    page = client.get(f"/in-giay-chung-nhan/{job.id}").get_data(as_text=True)
    assert f"Lần in #{job.id} · ZIP · 3 giấy chứng nhận" in page
    download = client.get(f"/in-giay-chung-nhan/{job.id}/tai-ve")
    assert download.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(download.data)).namelist()) == 3
    download.close()


def test_failed_batch_says_so_and_leaves_no_file(app_with, login_as, rec, db, tmp_path,
                                                 monkeypatch):
    """A batch that breaks midway is failed with a Vietnamese message; no file is left."""

    def broken(session, decision, kind, out, base_url, enterprise_id=None, progress=None):
        out.write(b"%PDF-1.4 half")
        raise RuntimeError("disk full")

    monkeypatch.setattr("registry.recognition.printing.write_batch", broken)
    client, _, job = _batch_job(app_with, login_as, rec, db, tmp_path, "pdf")
    status = client.get(f"/in-giay-chung-nhan/{job.id}.json").get_json()
    assert (status["status"], status["label"]) == ("failed", "Lỗi")
    assert status["error"] == "Không in được: RuntimeError." and status["download"] is None
    page = client.get(f"/in-giay-chung-nhan/{job.id}").get_data(as_text=True)
    assert "Lỗi: 0/3 — Không in được: RuntimeError." in page
    assert client.get(f"/in-giay-chung-nhan/{job.id}/tai-ve").status_code == 404
    assert list((tmp_path / "print_jobs").iterdir()) == []


def test_reissue_and_revoke_through_the_forms(client, login_as, rec, db):
    """Re-issue with a corrected name; revoke needs a reason; a revoked one will not print."""
    rec.eligible(*NAMES[:2])
    decision = rec.issued()
    first, second = db.scalars(select(Certificate).where(
        Certificate.decision_id == decision.id).order_by(Certificate.serial)).all()
    login_as(Role.COMMUNE)
    response = client.post(f"/giay-chung-nhan/{first.id}/cap-lai",
                           data={"full_name": "Nguyễn Thị Ân", "enterprise_name":
                                 first.enterprise_name, "reason": "Sai dấu trong tên"},
                           follow_redirects=True)
    replacement = db.scalar(select(Certificate).where(Certificate.replaces_id == first.id))
    assert f"Đã cấp lại: giấy {replacement.serial} thay cho {first.serial}." in flashes(response)
    page = client.get(f"/giay-chung-nhan/{first.id}").get_data(as_text=True)
    assert "Đã được cấp lại" in page and replacement.serial in page
    refused = client.post(f"/giay-chung-nhan/{second.id}/thu-hoi", data={"reason": ""})
    assert field_errors(refused, "reason") == ["Trường này bắt buộc phải nhập."]
    client.post(f"/giay-chung-nhan/{second.id}/thu-hoi", data={"reason": "Khai man minh chứng"})
    db.expire_all()
    assert db.get(Certificate, second.id).status == CertificateStatus.REVOKED
    printed = client.get(f"/giay-chung-nhan/{second.id}.pdf", follow_redirects=True)
    assert any("đã bị thu hồi, không in được" in f for f in flashes(printed))
    pdf = client.get(f"/giay-chung-nhan/{replacement.id}.pdf")
    assert "Nguyễn Thị Ân" in flat(page_texts(pdf.data)[0])
    assert db.scalar(select(func.count()).select_from(Certificate)) == 3


def test_learning_book_page_and_pdf(client, login_as, rec):
    """The record is shown on screen and downloads as a PDF for the enterprise officer."""
    (worker,) = rec.eligible(NAMES[1])
    rec.issued()
    login_as(Role.ENTERPRISE, enterprise=rec.enterprise)
    page = client.get(f"/nguoi-lao-dong/{worker.id}/so-hoc-tap").get_data(as_text=True)
    assert "Sổ học tập suốt đời · Nguyễn Thị An" in page
    assert "Công dân học tập năm 2025 — Quyết định số 05/QĐ-UBND" in page
    pdf = client.get(f"/nguoi-lao-dong/{worker.id}/so-hoc-tap.pdf")
    assert "so-hoc-tap-Nguyen_Thi_An.pdf" in pdf.headers["Content-Disposition"]
    assert "SỔ HỌC TẬP SUỐT ĐỜI" in flat(page_texts(pdf.data)[0])


def test_job_left_unfinished_by_a_restart_is_reported_failed(client, login_as, rec, db):
    """A job left running without a heartbeat for an hour lost its process: it says so."""
    rec.eligible(*NAMES[:1])
    decision = rec.issued()
    job = Job(kind="certificates-pdf", total=1, state=JobState.RUNNING,
              parameters={"decision_id": decision.id, "enterprise_id": None,
                          "base_url": "http://localhost/"},
              created_at=utcnow() - timedelta(hours=2), started_at=utcnow() - timedelta(hours=2),
              heartbeat_at=utcnow() - timedelta(hours=1))
    db.add(job)
    db.flush()
    login_as(Role.COMMUNE)
    status = client.get(f"/in-giay-chung-nhan/{job.id}.json").get_json()
    assert status["status"] == "failed"
    assert status["error"] == "Việc in bị dừng giữa chừng (máy chủ khởi động lại?). Hãy in lại."
    assert client.get(f"/in-giay-chung-nhan/{job.id}/tai-ve").status_code == 404

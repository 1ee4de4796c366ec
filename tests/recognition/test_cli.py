"""`flask decisions create|issue|list` and `flask certificates print` (PDF and ZIP)."""

from __future__ import annotations

import zipfile

from sqlalchemy import select

from registry.recognition.models import Certificate, Decision, DecisionStatus
from tests.documents.pdftools import flat, page_texts

NAMES = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An")]


def test_create_issue_and_print_from_the_command_line(runner, rec, db, tmp_path):
    """The three commands of the issue, end to end, with Vietnamese output."""
    rec.eligible(*NAMES)
    code = rec.commune.code
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", code,
                                 "--number", "05/QĐ-UBND", "--date", "2026-01-15",
                                 "--signer", "Lê Văn Phượng"])
    assert result.exit_code == 0, result.output
    decision = db.scalar(select(Decision))
    assert f"Đã lập dự thảo quyết định #{decision.id} (05/QĐ-UBND) năm 2025: 2 người." in (
        result.output)
    result = runner.invoke(args=["decisions", "issue", str(decision.id)])
    assert result.exit_code == 0, result.output
    assert "Đã ban hành quyết định 05/QĐ-UBND và cấp 2 giấy chứng nhận." in result.output
    db.expire_all()
    assert db.get(Decision, decision.id).status == DecisionStatus.ISSUED
    listing = runner.invoke(args=["decisions", "list", "--year", "2025"]).output
    assert f"#{decision.id}\t2025\t05/QĐ-UBND\tĐã ban hành\t2 người" in listing
    target = tmp_path / "giay.pdf"
    result = runner.invoke(args=["certificates", "print", "--decision", str(decision.id),
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Đã in 2 giấy chứng nhận vào {target}" in result.output
    texts = [flat(t) for t in page_texts(target.read_bytes())]
    assert "Nguyễn Thị An" in texts[0] and "Trần Văn Bình" in texts[1]
    archive = tmp_path / "giay.zip"
    result = runner.invoke(args=["certificates", "print", "--decision", str(decision.id),
                                 "-o", str(archive), "--zip"])
    assert result.exit_code == 0, result.output
    serials = db.scalars(select(Certificate.serial).order_by(Certificate.serial)).all()
    assert zipfile.ZipFile(archive).namelist() == [f"{serials[0]}_Nguyen_Thi_An.pdf",
                                                   f"{serials[1]}_Tran_Van_Binh.pdf"]


def test_commands_refuse_bad_input_in_vietnamese(runner, rec, db, tmp_path):
    """Empty list, unknown commune, bad date, unissued decision: exit 1 and a clear message."""
    code = rec.commune.code
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", code])
    assert result.exit_code == 1 and "danh sách trống" in result.output
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", "99999"])
    assert result.exit_code == 1 and "Không có xã, phường mã 99999." in result.output
    rec.eligible(*NAMES)
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", code,
                                 "--date", "15/01/2026"])
    assert result.exit_code == 2 and "dạng YYYY-MM-DD" in result.output
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", code,
                                 "--date", "2025-12-01", "--number", "7/QĐ-UBND"])
    assert result.exit_code == 1 and "trước khi năm 2025 kết thúc" in result.output
    result = runner.invoke(args=["decisions", "create", "--year", "2025", "--commune", code])
    decision = db.scalar(select(Decision))
    result = runner.invoke(args=["decisions", "issue", str(decision.id)])
    assert result.exit_code == 1 and "Chưa ban hành được" in result.output
    result = runner.invoke(args=["certificates", "print", "--decision", str(decision.id),
                                 "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "Quyết định chưa ban hành" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = runner.invoke(args=["decisions", "issue", "424242"])
    assert result.exit_code == 1 and "Không có quyết định số 424242" in result.output

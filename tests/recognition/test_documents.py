"""Documents of a decision read back: the PDF's text, the DOCX's paragraphs and cells, the
certificate's QR code decoded and followed, batches as one PDF and as a ZIP, the learning
record."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import zxingcpp
from docx import Document
from PIL import Image
from sqlalchemy import select

from registry.documents.book import build_book_pdf
from registry.documents.docx_layout import build_docx
from registry.documents.layout import build_pdf
from registry.learning.models import Area
from registry.recognition import printing, services
from registry.recognition.documents import certificate_items, decision_document, learning_book
from registry.recognition.models import Certificate
from tests.documents.pdftools import flat, page_texts, render_png
from tests.recognition.conftest import ADMIN, assess

NAMES = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", "Thị", "Ánh"),
         ("Phạm", "Đức", "Đạt"), ("Hoàng", "Minh", "Dũng"), ("Đỗ", "Thị", "Anh")]
#: Given name first (a < á < â … d < đ), then family name.
SORTED = ["Nguyễn Thị An", "Đỗ Thị Anh", "Lê Thị Ánh", "Trần Văn Bình", "Hoàng Minh Dũng",
          "Phạm Đức Đạt"]
BASE = "http://localhost/"


def issued(rec):
    rec.eligible(*NAMES)
    return rec.issued(signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH")


def test_decision_pdf_has_the_decree_30_texts_and_the_sorted_list(db, rec):
    """Header, date line with leading zeros, articles, signature, list in Vietnamese order."""
    decision = issued(rec)
    pages = [flat(text) for text in page_texts(build_pdf(decision_document(db, decision)))]
    first = pages[0]
    for expected in ("ỦY BAN NHÂN DÂN XÃ HOẰNG HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 05/QĐ-UBND",
                     "Hoằng Hóa, ngày 15 tháng 01 năm 2026", "QUYẾT ĐỊNH",
                     "Về việc công nhận danh hiệu “Công dân học tập” năm 2025",
                     "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HOẰNG HÓA",
                     "Căn cứ Quyết định số 1268/QĐ-TTg ngày 19 tháng 10 năm 2022",
                     "Điều 1. Công nhận danh hiệu “Công dân học tập” năm 2025 cho 6 công nhân "
                     "lao động", "Điều 3.", "Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH",
                     "PHÓ CHỦ TỊCH", "Lê Văn Phượng"):
        assert expected in " ".join(pages[:2]), expected
    assert "Số: 05/QĐ-UBND" in first
    attached = " ".join(pages[1:])
    assert ("(Kèm theo Quyết định số 05/QĐ-UBND ngày 15/01/2026 của Chủ tịch UBND xã "
            "Hoằng Hóa)") in attached
    positions = [attached.index(name) for name in SORTED]
    assert positions == sorted(positions)
    assert "Danh sách có 6 người./." in attached


def test_decision_docx_has_the_same_texts_and_list_cells(db, rec):
    """The Word file: header cells, articles as paragraphs, the list table sorted."""
    decision = issued(rec)
    document = Document(io.BytesIO(build_docx(decision_document(db, decision))))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Về việc công nhận danh hiệu “Công dân học tập” năm 2025" in paragraphs
    assert any(p.startswith("Điều 1. Công nhận danh hiệu") for p in paragraphs)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: 05/QĐ-UBND"
    assert header.cell(1, 1).text == "Hoằng Hóa, ngày 15 tháng 01 năm 2026"
    listing = document.tables[-1]
    assert [c.text for c in listing.rows[0].cells] == ["STT", "Họ và tên", "Năm sinh",
                                                       "Đơn vị công tác", "Tổng điểm"]
    assert [row.cells[1].text for row in listing.rows[1:]] == SORTED
    assert listing.rows[1].cells[3].text == "Công ty TNHH May Sao Vàng"
    assert listing.rows[1].cells[4].text == "80"


def test_issued_documents_do_not_follow_later_edits(db, rec):
    """The decision prints the snapshot: a later name change does not reach the document."""
    decision = issued(rec)
    before = build_docx(decision_document(db, decision))
    worker = db.scalar(select(Certificate.worker_id).where(
        Certificate.decision_id == decision.id, Certificate.full_name == "Nguyễn Thị An"))
    from registry.workers.models import Worker
    db.get(Worker, worker).set_name("Nguyễn", "Thị", "Ân")
    db.flush()
    after = Document(io.BytesIO(build_docx(decision_document(db, decision))))
    assert [row.cells[1].text for row in after.tables[-1].rows[1:]] == SORTED
    assert Document(io.BytesIO(before)).tables[-1].rows[1].cells[1].text == "Nguyễn Thị An"


def test_certificate_qr_decodes_to_the_verification_page(db, rec, client):
    """The printed QR code decodes to /xac-minh/<token>, and that page names the holder."""
    decision = issued(rec)
    buffer = io.BytesIO()
    printing.write_batch(db, decision, "pdf", buffer, BASE)
    texts = [flat(t) for t in page_texts(buffer.getvalue())]
    assert len(texts) == 6
    assert "Nguyễn Thị An" in texts[0] and "Phạm Đức Đạt" in texts[5]
    code = rec.commune.code
    assert f"Số: CDHT-2025-{code}-000001" in texts[0]
    assert "Công dân học tập năm 2025" in texts[0]
    assert ("theo Quyết định số 05/QĐ-UBND ngày 15/01/2026 của Chủ tịch UBND xã Hoằng Hóa"
            in texts[0])
    first_page = render_png(buffer.getvalue(), dpi=150)[0]
    (result,) = zxingcpp.read_barcodes(Image.open(first_page))
    certificate = db.scalar(select(Certificate).where(
        Certificate.serial == f"CDHT-2025-{code}-000001"))
    assert result.text == f"{BASE}xac-minh/{certificate.token}"
    page = client.get(result.text.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ" in page and "Nguyễn Thị An" in page


def test_batch_of_one_enterprise_and_zip_names(db, rec, make):
    """An enterprise's subset only; the ZIP holds one PDF per worker named serial + name."""
    rec.eligible(*NAMES[:2])
    other = make.enterprise(name="Công ty Giày Đông Á")
    rec.eligible(("Đặng", "Thị", "Đào"), enterprise=other)
    decision = rec.issued()
    items = list(certificate_items(db, decision, BASE, enterprise_id=other.id))
    assert [i.full_name for i in items] == ["Đặng Thị Đào"]
    buffer = io.BytesIO()
    assert printing.write_batch(db, decision, "zip", buffer, BASE) == 3
    names = zipfile.ZipFile(buffer).namelist()
    code = rec.commune.code
    assert names == [f"CDHT-2025-{code}-000001_Nguyen_Thi_An.pdf",
                     f"CDHT-2025-{code}-000002_Tran_Van_Binh.pdf",
                     f"CDHT-2025-{code}-000003_Dang_Thi_Dao.pdf"]
    pdf = zipfile.ZipFile(buffer).read(names[2])
    assert "Đặng Thị Đào" in flat(page_texts(pdf)[0])


def test_revoked_and_superseded_are_not_printed(db, rec):
    """Batches hold valid certificates only: the replacement, not the replaced one."""
    rec.eligible(*NAMES[:3])
    decision = rec.issued()
    one, two, three = db.scalars(select(Certificate).where(
        Certificate.decision_id == decision.id).order_by(Certificate.serial)).all()
    services.revoke_certificate(db, ADMIN, one, "Khai sai")
    new = services.reissue_certificate(db, ADMIN, two, "Trần Văn Bính", two.enterprise_name,
                                       "Sai tên")
    serials = [i.serial for i in certificate_items(db, decision, BASE)]
    assert serials == [new.serial, three.serial]


def test_learning_book_pdf(db, rec, make):
    """Identity, learning by year and area with hours, scores and result, titles."""
    (worker,) = rec.eligible(("Nguyễn", "Thị", "Lan"))
    law = make.activity(rec.enterprise, area=Area.LAW, start=date(2025, 3, 10),
                        title="Tuyên truyền Bộ luật Lao động")
    skill = make.activity(rec.enterprise, area=Area.SKILL, start=date(2025, 6, 2),
                          title="Huấn luyện an toàn lao động", hours=16)
    make.participation(law, worker)
    make.participation(skill, worker, hours=12, result="Giỏi")
    assess(db, worker, [9] * 10, year=2024)
    rec.issued()
    book = learning_book(db, worker, date(2026, 2, 1))
    text = flat(" ".join(page_texts(build_book_pdf(book))))
    for expected in ("SỔ HỌC TẬP SUỐT ĐỜI", "Họ và tên: Nguyễn Thị Lan", "Ngày sinh: 08/03/1995",
                     f"Số định danh cá nhân: {worker.citizen_id}",
                     "Đơn vị công tác: Công ty TNHH May Sao Vàng",
                     "Năm 2025: 16 giờ học tập (a) 4 giờ; b) 12 giờ)",
                     "Tuyên truyền Bộ luật Lao động", "Huấn luyện an toàn lao động", "Giỏi",
                     "Công dân học tập năm 2025 — Quyết định số 05/QĐ-UBND ngày 15/01/2026",
                     f"CDHT-2025-{rec.commune.code}-000001", "Còn hiệu lực", "In ngày 01/02/2026"):
        assert expected in text, expected
    assert "2025 1: 10 · 2: 10" in text and "Đạt" in text
    assert "2024 1: 9 · 2: 9" in text and "90" in text

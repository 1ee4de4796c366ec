"""The "Công dân học tập" certificate: texts, QR code, streaming, fonts, staying in the frame."""

from __future__ import annotations

import dataclasses
import io

import pytest
import zxingcpp
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from registry.documents.certificate import (
    PAGE,
    CertificateData,
    certificate_pdf,
    draw_certificate,
    write_certificates,
)
from tests.documents.pdftools import (
    BASE14,
    flat,
    fonts_and_images,
    page_texts,
    reader,
    render_png,
    word_boxes,
)

URL = "https://cdht.thanhhoa.vn/xac-minh/CDHT-2025-0001234"


def sample(**changes) -> CertificateData:
    """A certificate of the Hoằng Hợp decision."""
    data = CertificateData(
        issuer="Ủy ban nhân dân xã Hoằng Hợp",
        title="Công dân học tập năm 2025",
        full_name="Nguyễn Thị Thu Hà",
        birth_year="1990",
        enterprise="Công ty TNHH May Hoằng Hóa",
        decision="Đã đạt danh hiệu “Công dân học tập” năm 2025 theo Quyết định số 05/QĐ-UBND "
                 "ngày 05/02/2025 của Chủ tịch UBND xã Hoằng Hợp",
        date_line="Hoằng Hợp, ngày 05 tháng 02 năm 2025",
        signer_title_lines=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        signer_name="Lê Văn Phượng",
        serial="CDHT-2025-0001234",
        verify_url=URL,
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture(scope="module")
def one_pdf() -> bytes:
    """The sample certificate as PDF bytes."""
    return certificate_pdf(sample())


def test_certificate_prints_all_its_texts(one_pdf):
    """National name, issuer in capitals, heading, title, name, year, enterprise, decision…"""
    text = flat(page_texts(one_pdf)[0])
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP", "GIẤY CHỨNG NHẬN",
                     "Công dân học tập năm 2025", "Nguyễn Thị Thu Hà", "Năm sinh: 1990",
                     "Đơn vị công tác: Công ty TNHH May Hoằng Hóa",
                     "theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng "
                     "Hợp", "Hoằng Hợp, ngày 05 tháng 02 năm 2025", "KT. CHỦ TỊCH",
                     "PHÓ CHỦ TỊCH", "Lê Văn Phượng", "Số: CDHT-2025-0001234"):
        assert expected in text


def test_certificate_is_one_a4_landscape_page(one_pdf):
    """A single A4 landscape page."""
    pages = reader(one_pdf).pages
    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (
        842, 595)


def test_qr_code_decodes_to_the_verification_url(one_pdf):
    """The QR code rendered at 150 dpi decodes back to the verification URL."""
    (png,) = render_png(one_pdf, dpi=150)
    results = zxingcpp.read_barcodes(Image.open(png))
    assert [result.text for result in results] == [URL]


def test_qr_code_is_vector_not_an_image(one_pdf):
    """The page holds no raster image: the QR code and the border are vector drawings."""
    assert fonts_and_images(one_pdf)[2] == 0


def test_fonts_are_embedded_and_not_base14(one_pdf):
    """Noto Serif and Be Vietnam Pro are embedded (also inside forms); no base-14 font."""
    names, embedded, _ = fonts_and_images(one_pdf)
    assert any("NotoSerif" in name for name in names)
    assert any("BeVietnamPro" in name for name in names)
    assert not any(base in name for name in names for base in BASE14)
    assert embedded == {True}


def test_batch_streams_one_page_per_certificate_with_progress():
    """write_certificates makes one page per item in order, calling progress with the count."""
    names = ["Nguyễn Văn An", "Lê Thị Bình", "Trần Đức Chí", "Phạm Ngọc Dũng", "Đỗ Thu Hà"]
    items = (sample(full_name=name, serial=f"CDHT-2025-{n:07d}",
                    verify_url=f"https://cdht.thanhhoa.vn/v/{n}")
             for n, name in enumerate(names, start=1))
    seen: list[int] = []
    out = io.BytesIO()
    assert write_certificates(items, out, progress=seen.append) == 5
    assert seen == [1, 2, 3, 4, 5]
    texts = page_texts(out.getvalue())
    assert len(texts) == 5
    for n, (name, text) in enumerate(zip(names, texts, strict=True), start=1):
        assert name in text
        assert f"Số: CDHT-2025-{n:07d}" in text


def test_batch_reuses_forms_for_the_shared_parts():
    """Pages of one decision share the border and static-text forms instead of copying them."""
    out = io.BytesIO()
    write_certificates((sample(full_name=f"Người {n}") for n in range(3)), out)
    forms = set()
    for page in reader(out.getvalue()).pages:
        xobjects = page["/Resources"]["/XObject"]
        forms.add(tuple(sorted(ref.idnum for ref in xobjects.values())))
        assert len(page.get_contents().get_data()) < 12_000
    assert len(forms) == 1


def test_empty_batch_is_an_error():
    """An empty batch raises instead of writing a PDF with no page."""
    with pytest.raises(ValueError):
        write_certificates([], io.BytesIO())


def test_long_texts_stay_inside_the_frame():
    """A very long name and enterprise shrink to fit inside the inner frame."""
    data = certificate_pdf(sample(
        full_name="Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Huyền Trang Khánh Linh",
        enterprise="Chi nhánh Công ty Trách nhiệm hữu hạn Một thành viên Sản xuất Thương mại "
                   "Dịch vụ May mặc Xuất khẩu Hoằng Hóa tại Khu công nghiệp Hoằng Long",
    ))
    inner = 18 * 72 / 25.4
    words = word_boxes(data)
    assert any(word == "Linh" for word, *_ in words)
    for word, x_min, y_min, x_max, y_max in words:
        assert inner < x_min and x_max < PAGE[0] - inner, word
        assert inner < y_min and y_max < PAGE[1] - inner, word


def test_draw_certificate_on_a_callers_canvas():
    """draw_certificate draws one page on a canvas the caller owns."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE)
    draw_certificate(canvas, sample())
    draw_certificate(canvas, sample(full_name="Lê Văn Nam"))
    canvas.save()
    texts = page_texts(out.getvalue())
    assert len(texts) == 2
    assert "Nguyễn Thị Thu Hà" in texts[0] and "Lê Văn Nam" in texts[1]


def test_long_decision_reference_keeps_every_word():
    """A decision reference too long for two lines at full size shrinks instead of being cut."""
    decision = ("Đã đạt danh hiệu “Công dân học tập” năm 2025 theo Quyết định số 125/QĐ-UBND "
                "ngày 05/02/2025 của Chủ tịch Ủy ban nhân dân phường Hạc Thành, tỉnh Thanh Hóa "
                "về việc công nhận danh hiệu “Công dân học tập” cho công nhân lao động tại các "
                "doanh nghiệp trên địa bàn phường")
    text = flat(page_texts(certificate_pdf(sample(decision=decision)))[0])
    assert decision in text

"""The Decree 30 PDF layout: header, body, closing, page numbers, attached lists, fonts."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from reportlab.graphics.shapes import Drawing, Rect

from registry.documents.layout import (
    AdminDocument,
    Column,
    Figure,
    Header,
    Paragraph,
    Signature,
    Table,
    build_pdf,
)
from tests.documents import samples
from tests.documents.pdftools import BASE14, flat, fonts_and_images, page_texts, reader, top_texts

A4_SHORT, A4_LONG = 595.28, 841.89


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    """A decision with 120 workers in its attached list (several pages)."""
    return build_pdf(samples.decision(120))


@pytest.fixture(scope="module")
def decision_texts(decision_pdf) -> list[str]:
    """The text of each page of the sample decision."""
    return page_texts(decision_pdf)


def long_report(paragraphs: int) -> AdminDocument:
    """The sample report with its body repeated to the given number of paragraphs."""
    base = samples.report()
    text = ("Tăng cường công tác thông tin tuyên truyền, phổ biến để nâng cao nhận thức, trách "
            "nhiệm của các cấp, các ngành, người sử dụng lao động và công nhân lao động về học "
            "tập suốt đời, xây dựng xã hội học tập.")
    blocks = [Paragraph(f"{index + 1}. {text}") for index in range(paragraphs)]
    return dataclasses.replace(base, blocks=blocks)


def test_first_page_has_the_decree_30_header(decision_texts):
    """Page 1 carries both header columns, the number and the date line with leading zeros."""
    first = decision_texts[0]
    for expected in ("ỦY BAN NHÂN DÂN", "XÃ HOẰNG HỢP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 05/QĐ-UBND",
                     "Hoằng Hợp, ngày 05 tháng 02 năm 2025"):
        assert expected in first


def test_kind_subject_authority_and_articles_are_printed(decision_texts):
    """The kind, subject, the chair's authority line, the preamble and "Điều 1." follow."""
    first = flat(decision_texts[0])
    assert "QUYẾT ĐỊNH Về việc công nhận danh hiệu “Công dân học tập” năm 2024" in first
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP" in first
    assert "Căn cứ Luật Tổ chức chính quyền địa phương" in first
    assert "Điều 1. Công nhận danh hiệu" in first
    assert "Điều 3." in first


def test_closing_has_recipients_and_signature(decision_texts):
    """"Nơi nhận:" lists "- …;" items ending with "." and the signature shows KT., title, name."""
    first = decision_texts[0]
    for expected in ("Nơi nhận:", "- Như Điều 3;", "- Liên đoàn Lao động tỉnh (b/c);",
                     "- Lưu: VT, VHXH.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Phượng"):
        assert expected in first


def test_extracted_text_is_nfc(decision_texts):
    """Every page's text comes back in Unicode NFC."""
    for text in decision_texts:
        assert unicodedata.is_normalized("NFC", text)


def test_blank_number_and_blank_day_leave_space_for_the_clerk():
    """Without a number "Số:" is followed by blanks and the symbol; without a date, blanks."""
    text = page_texts(build_pdf(samples.report()))[0]
    assert re.search(r"Số:\s+/BC-UBND", text)
    assert re.search(r"Hoằng Trung, ngày\s+tháng\s+năm 2023", text.replace("\u00a0", " "))


def test_page_numbers_from_page_two_only():
    """Page 1 has no number at the top; later pages show their number centred at the top."""
    data = build_pdf(long_report(40))
    tops = top_texts(data)
    assert len(tops) >= 3
    assert tops[0] == []
    for index, found in enumerate(tops[1:], start=2):
        assert found == [str(index)]
    page = reader(data).pages[1]
    # The number sits in the middle of the text area (left margin 30 mm, right 15 mm).
    positions = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: positions.append(cm[4] + tm[4])
                      if text.strip() == "2" else None)
    centre = (30 + (210 - 15)) / 2 * 72 / 25.4
    assert positions and abs(positions[0] + 3.5 - centre) < 6


def test_attached_list_starts_a_new_page_with_its_own_numbering(decision_pdf, decision_texts):
    """The list begins on a fresh page, titled and "(Kèm theo …)", numbered from its 2nd page."""
    assert "DANH SÁCH" not in decision_texts[0]
    second = flat(decision_texts[1])
    assert second.startswith("DANH SÁCH CÔNG NHÂN LAO ĐỘNG ĐẠT DANH HIỆU")
    assert ("(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng "
            "Hợp)") in second
    tops = top_texts(decision_pdf)
    assert tops[0] == [] and tops[1] == []
    assert [found for found in tops[2:]] == [[str(n)] for n in range(2, len(tops))]


def test_attached_list_repeats_its_header_and_keeps_every_row(decision_texts):
    """Each list page starts with the header row; rows 1..120 appear once, in order."""
    list_pages = decision_texts[1:]
    assert len(list_pages) >= 3
    numbers: list[int] = []
    for text in list_pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        start = lines.index("STT")
        assert lines[start + 1] == "Họ và tên"
        # An STT cell is always followed by the name; the page number, drawn last, is not.
        numbers += [int(line) for line in lines[start:-1] if re.fullmatch(r"\d{1,3}", line)]
    assert numbers == list(range(1, 121))
    assert "Danh sách có 120 người./." in list_pages[-1]
    names = [row[0] for row in samples.worker_rows(120)]
    joined = "\n".join(list_pages)
    for name in (names[0], names[59], names[119]):
        assert name in joined


def test_rows_split_cleanly_between_pages(decision_pdf):
    """Every worker row is printed exactly once across the list pages."""
    texts = page_texts(decision_pdf)[1:]
    rows = samples.worker_rows(120)
    joined = flat("\n".join(texts))
    position = 0
    for row in rows:
        found = joined.find(row[0], position)
        assert found >= 0, row[0]
        position = found + len(row[0])


def test_landscape_list_pages_are_landscape():
    """An attached list marked landscape is printed on A4 landscape pages after a portrait body."""
    data = build_pdf(samples.decision(60, landscape=True))
    boxes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in reader(data).pages]
    assert boxes[0] == (round(A4_SHORT), round(A4_LONG))
    assert all(box == (round(A4_LONG), round(A4_SHORT)) for box in boxes[1:])
    assert "Ghi chú" in page_texts(data)[1]


@pytest.mark.parametrize("paragraphs", range(8, 30, 3))
def test_recipients_and_signature_stay_on_one_page(paragraphs):
    """Whatever the body length, the last paragraph, "Nơi nhận" and the signature share a page."""
    texts = page_texts(build_pdf(long_report(paragraphs)))
    pages_with = {
        key: [index for index, text in enumerate(texts) if key in text]
        for key in ("Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Hùng Sơn", "- Lưu: VT.",
                    f"{paragraphs}. Tăng cường")
    }
    assert all(len(found) == 1 for found in pages_with.values()), pages_with
    assert len({found[0] for found in pages_with.values()}) == 1, pages_with


def test_fonts_are_embedded_noto_serif_only(decision_pdf):
    """Only embedded Noto Serif subsets are used, never a base-14 font."""
    names, embedded, _ = fonts_and_images(decision_pdf)
    assert names and all("NotoSerif" in name for name in names)
    assert not any(base in name for name in names for base in BASE14)
    assert embedded == {True}


def test_body_table_and_figure_are_laid_out():
    """A table in the body gets its STT column and a vector drawing adds no raster image."""
    drawing = Drawing(200, 100)
    drawing.add(Rect(10, 10, 180, 80))
    doc = dataclasses.replace(samples.report(), blocks=[
        Paragraph("Kết quả theo chỉ tiêu:"),
        Table([Column("Chỉ tiêu", 3), Column("Tỷ lệ", 1, "right")],
              [["Kỹ năng sống", "70,1%"], ["Công nghệ số", "66,0%"]]),
        Figure(width_mm=80, drawing=drawing, caption="Biểu đồ 1. Tỷ lệ theo chỉ tiêu"),
    ])
    data = build_pdf(doc)
    text = page_texts(data)[0]
    assert "STT" in text and "Kỹ năng sống" in text and "70,1%" in text
    assert "Biểu đồ 1. Tỷ lệ theo chỉ tiêu" in text
    assert fonts_and_images(data)[2] == 0


def test_parent_body_and_plain_signature():
    """A union document prints its parent body; a signature without prefix has one title line."""
    doc = AdminDocument(
        header=Header(parent_body="LĐLĐ TỈNH THANH HÓA", issuing_body="CÔNG ĐOÀN XÃ HOẰNG HỢP",
                      number="12", symbol="KH-CĐ", place="Hoằng Hợp", date=None, year=2025),
        kind="KẾ HOẠCH",
        subject="Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2025",
        blocks=[Paragraph("Nội dung kế hoạch./.")],
        recipients=["Lưu: VP"],
        signature=Signature("Nguyễn Thị Mai", "CHỦ TỊCH", "TM. BAN CHẤP HÀNH"),
    )
    text = page_texts(build_pdf(doc))[0]
    assert "LĐLĐ TỈNH THANH HÓA" in text
    assert "CÔNG ĐOÀN XÃ HOẰNG HỢP" in text
    assert "Số: 12/KH-CĐ" in text
    assert "TM. BAN CHẤP HÀNH" in text and "Nguyễn Thị Mai" in text
    assert "- Lưu: VP." in text


def test_numbers_below_ten_get_a_leading_zero():
    """Header number "5" prints as "Số: 05/…", as Decree 30 asks; "125" stays as is."""
    assert Header(issuing_body="X", number="5", symbol="QĐ-UBND", place="P").number_symbol == (
        "05/QĐ-UBND")
    assert Header(issuing_body="X", number="125", symbol="QĐ-UBND",
                  place="P").number_symbol == "125/QĐ-UBND"


def test_document_without_recipients_or_signature_still_builds():
    """A draft with no "Nơi nhận" and no signer yet is laid out without them."""
    doc = AdminDocument(header=Header(issuing_body="ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP",
                                      symbol="BC-UBND", place="Hoằng Hợp", year=2025),
                        kind="BÁO CÁO", subject="Dự thảo", blocks=[Paragraph("Nội dung.")])
    text = page_texts(build_pdf(doc))[0]
    assert "Dự thảo" in text and "Nơi nhận" not in text

"""The Word version of the Decree 30 layout: texts, header table, fields, sections, list tables."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from PIL import Image

from registry.documents.docx_layout import build_docx
from registry.documents.model import Column, Figure, Table
from tests.documents import samples
from tests.documents.pdftools import flat, page_texts, top_texts


@pytest.fixture(scope="module")
def decision_docx() -> bytes:
    """The sample decision with 120 workers, as Word bytes."""
    return build_docx(samples.decision(120))


@pytest.fixture(scope="module")
def document(decision_docx):
    """The sample decision read back with python-docx."""
    return Document(io.BytesIO(decision_docx))


def mm(*lengths) -> tuple[float, ...]:
    """Lengths in whole millimetres (Word stores twips, so exact EMU values do not survive)."""
    return tuple(round(length.mm) for length in lengths)


def body_texts(document) -> list[str]:
    """Texts of the paragraphs outside tables."""
    return [paragraph.text for paragraph in document.paragraphs]


def test_header_table_holds_bodies_number_national_name_and_date(document):
    """The first table is the two-column header with its four texts, no borders."""
    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HỢP" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    number, when = header.rows[1].cells
    assert number.text == "Số: 05/QĐ-UBND"
    assert when.text == "Hoằng Hợp, ngày 05 tháng 02 năm 2025"
    assert all(run.italic for run in when.paragraphs[0].runs)
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"nil"}


def test_header_rules_are_paragraph_borders(document):
    """The rules under the issuing body and the motto are bottom borders of short paragraphs."""
    left, right = document.tables[0].rows[0].cells
    for cell, widest in ((left, 65), (right, 100)):
        ruled = [p for p in cell.paragraphs
                 if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]
        assert len(ruled) == 1
        indent = ruled[0].paragraph_format.left_indent
        assert indent is not None and 0 < indent.mm < widest / 2


def test_body_has_kind_subject_and_bold_article_leads(document):
    """Kind, subject and articles appear; "Điều 1." is a bold run before normal text."""
    texts = body_texts(document)
    assert "QUYẾT ĐỊNH" in texts
    assert "Về việc công nhận danh hiệu “Công dân học tập” năm 2024" in texts
    article = next(p for p in document.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].text.strip() == "Điều 1." and article.runs[0].bold
    assert not article.runs[1].bold
    preamble = next(p for p in document.paragraphs if p.text.startswith("Căn cứ Luật"))
    assert all(run.italic for run in preamble.runs)


def test_closing_table_has_recipients_and_signature(document):
    """"Nơi nhận:" in bold italic with "- …;" items, and the signature block, share one row."""
    closing = document.tables[1]
    assert len(closing.rows) == 1
    left, right = closing.rows[0].cells
    lead = left.paragraphs[0]
    assert lead.text == "Nơi nhận:" and lead.runs[0].bold and lead.runs[0].italic
    assert [p.text for p in left.paragraphs[1:]] == [
        "- Như Điều 3;", "- Liên đoàn Lao động tỉnh (b/c);", "- Lưu: VT, VHXH."]
    lines = [p.text for p in right.paragraphs if p.text]
    assert lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Phượng"]
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_attached_list_table_repeats_its_header_row(document):
    """The list table's first row is marked tblHeader; rows carry STT 1..120 and the names."""
    table = document.tables[2]
    head = table.rows[0]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in head.cells] == [
        "STT", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Tổng điểm"]
    assert len(table.rows) == 121
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 121)]
    expected = samples.worker_rows(120)
    assert [cell.text for cell in table.rows[120].cells[1:]] == expected[119]
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
               for row in table.rows[1:])


def test_list_is_its_own_section_with_title_and_restarted_numbering(document):
    """The list starts a new section (new page), page numbers restart at 1, first page bare."""
    assert len(document.sections) == 2
    section = document.sections[1]
    numbering = section._sectPr.find(qn("w:pgNumType"))
    assert numbering is not None and numbering.get(qn("w:start")) == "1"
    assert section.different_first_page_header_footer
    texts = body_texts(document)
    assert "DANH SÁCH CÔNG NHÂN LAO ĐỘNG ĐẠT DANH HIỆU “CÔNG DÂN HỌC TẬP” NĂM 2024" in texts
    assert ("(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng "
            "Hợp)") in texts
    assert "Danh sách có 120 người./." in texts


def test_page_number_field_from_page_two(document):
    """The header holds a centred PAGE field; the first page has its own, empty header."""
    section = document.sections[0]
    assert section.different_first_page_header_footer
    instructions = [node.text for node in section.header._element.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_page_setup_and_fonts(document):
    """A4 portrait with margins 20/20/30/15 mm; Times New Roman 14 pt as the normal style."""
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert mm(section.left_margin, section.right_margin) == (30, 15)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    r_fonts = normal.element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_landscape_section_when_asked():
    """A list marked landscape gets a landscape A4 section; the body stays portrait."""
    document = Document(io.BytesIO(build_docx(samples.decision(30, landscape=True))))
    body, listing = document.sections
    assert body.orientation == WD_ORIENT.PORTRAIT
    assert listing.orientation == WD_ORIENT.LANDSCAPE
    assert mm(listing.page_width, listing.page_height) == (297, 210)
    assert mm(listing.top_margin, listing.left_margin) == (30, 20)
    assert document.tables[2].rows[0].cells[-1].text == "Ghi chú"


def test_blank_number_keeps_the_symbol():
    """Without a number the header keeps blanks before the symbol for the clerk."""
    document = Document(io.BytesIO(build_docx(samples.report())))
    number = document.tables[0].rows[1].cells[0].text
    assert number.startswith("Số:") and number.endswith("/BC-UBND")
    assert number.replace("\u00a0", " ").split() == ["Số:", "/BC-UBND"]


def test_figure_with_png_becomes_an_inline_picture():
    """A figure given as PNG bytes is embedded as a picture of the requested width."""
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buffer, format="PNG")
    doc = dataclasses.replace(samples.report(), blocks=[
        Figure(width_mm=80, image=buffer.getvalue(), caption="Biểu đồ 1")])
    document = Document(io.BytesIO(build_docx(doc)))
    (shape,) = document.inline_shapes
    assert round(shape.width.mm) == 80 and round(shape.height.mm) == 40
    assert "Biểu đồ 1" in body_texts(document)


def test_figure_needs_image_bytes_for_word():
    """A chart given only as a reportlab drawing cannot go into Word and says so."""
    broken = dataclasses.replace(samples.report(), blocks=[Figure(width_mm=80)])
    with pytest.raises(ValueError, match="PNG or JPEG"):
        build_docx(broken)


@pytest.mark.slow
def test_libreoffice_renders_repeated_header_and_page_numbers(tmp_path, decision_docx):
    """LibreOffice repeats the list header on every page and numbers pages from the second."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "decision.docx"
    source.write_bytes(decision_docx)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=180)
    pdf = Path(tmp_path / "decision.pdf").read_bytes()
    texts = page_texts(pdf)
    assert len(texts) >= 4
    assert "Hoằng Hợp, ngày 05 tháng 02 năm 2025" in flat(texts[0])
    for text in texts[1:]:
        assert "Họ và tên" in text and "Đơn vị công tác" in text
    tops = top_texts(pdf)
    assert tops[0] == [] and tops[1] == []
    assert tops[2] == ["2"]


def test_table_cells_keep_line_breaks_and_spaces():
    """A cell value with a line break becomes two lines in one cell, not a lost character."""
    doc = dataclasses.replace(samples.report(), blocks=[
        Table([Column("Nội dung", 3), Column("Ghi chú", 1)],
              [["Dòng một\nDòng hai", " có khoảng trắng "]])])
    document = Document(io.BytesIO(build_docx(doc)))
    cells = [cell.text for cell in document.tables[1].rows[1].cells]
    assert cells == ["1", "Dòng một\nDòng hai", " có khoảng trắng "]

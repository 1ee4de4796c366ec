"""The Decree 30/2020/NĐ-CP layout of an administrative document as an editable Word file.

:func:`build_docx` renders the same :class:`~registry.documents.model.AdminDocument` as the PDF
builder, for officers who edit a document before it is signed: Times New Roman, A4 with margins
20/20/30/15 mm, the header as a borderless two-column table whose rules are bottom borders of
short indented paragraphs, a PAGE field centred in the page header from the second page (a
different first page), attached lists in their own sections (landscape when asked, page numbers
restarting) with table header rows that repeat on every page.
"""

from __future__ import annotations

import copy
import io
import unicodedata
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from registry.documents.model import (
    AdminDocument,
    Article,
    AttachedList,
    Column,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    column_widths,
    recipient_lines,
    table_cells,
)

FONT = "Times New Roman"
BODY_SIZE = 14
TABLE_SIZE = 12
#: Margins in mm (top, bottom, left, right), the same as the PDF's.
PORTRAIT_MARGINS = (20, 20, 30, 15)
LANDSCAPE_MARGINS = (30, 15, 20, 20)
LEFT_HEADER_MM = 65.0

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
_POINT_MM = 25.4 / 72


def _text_mm(text: str, size: float, bold: bool = False) -> float:
    """Approximate width of text in Times New Roman, from the Times metrics reportlab ships.

    The accents of Vietnamese letters do not change their advance width, so the base letters
    are measured.
    """
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    return stringWidth(base, "Times-Bold" if bold else "Times-Roman", size) * _POINT_MM


def _set_font(run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic


def _spacing(paragraph: DocxParagraph, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _add_paragraph(container, text: str = "", *, size: float = BODY_SIZE, bold: bool = False,
                   italic: bool = False, align: str = "justify", indent: bool = False,
                   before: float = 0, after: float = 0, lead: str = "",
                   keep_with_next: bool = False) -> DocxParagraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    _spacing(paragraph, before, after)
    fmt = paragraph.paragraph_format
    if indent and align != "center":
        fmt.first_line_indent = Mm(10)
    fmt.keep_with_next = keep_with_next
    if lead:
        _set_font(paragraph.add_run(lead + (" " if text else "")), size, bold=True, italic=italic)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_font(run, size, bold=bold, italic=italic)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def _rule(container, width_mm: float, box_mm: float, before: float = 0) -> DocxParagraph:
    """A centred horizontal rule: the bottom border of an empty paragraph narrowed by indents."""
    paragraph = container.add_paragraph()
    _spacing(paragraph, before + 2, 4)
    fmt = paragraph.paragraph_format
    side = max((box_mm - width_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _borderless(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _fixed_widths(table: DocxTable, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _first_paragraph(cell) -> DocxParagraph:
    """The cell's initial empty paragraph, reused so that cells hold no blank line."""
    return cell.paragraphs[0]


def _cell_text(cell, text: str, *, size: float, bold: bool = False, italic: bool = False,
               align: str = "center", before: float = 0) -> None:
    paragraph = _first_paragraph(cell)
    if paragraph.runs or paragraph.text:
        paragraph = cell.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    _spacing(paragraph, before, 0)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_font(run, size, bold=bold, italic=italic)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _header(document, doc: AdminDocument, width_mm: float) -> None:
    header = doc.header
    right_mm = width_mm - LEFT_HEADER_MM
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    _fixed_widths(table, [LEFT_HEADER_MM, right_mm])
    left, right = table.rows[0].cells
    if header.parent_body:
        _cell_text(left, header.parent_body.upper(), size=13)
    body = header.issuing_body.upper()
    _cell_text(left, body, size=13, bold=True)
    body_mm = min(max(_text_mm(line, 13, True) for line in body.split("\n")), LEFT_HEADER_MM)
    _rule(left, max(body_mm * 0.45, 20), LEFT_HEADER_MM)
    motto = "Độc lập - Tự do - Hạnh phúc"
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    _cell_text(right, motto, size=14, bold=True)
    _rule(right, _text_mm(motto, 14, True), right_mm)
    number, when = table.rows[1].cells
    _cell_text(number, f"Số: {header.number_symbol}", size=13)
    _cell_text(when, header.date_line, size=14, italic=True)


def _title(document, doc: AdminDocument, width_mm: float) -> None:
    _add_paragraph(document, doc.kind.upper(), size=14, bold=True, align="center", before=18)
    if doc.subject:
        _add_paragraph(document, doc.subject, size=14, bold=True, align="center")
        longest = min(max(_text_mm(line, 14, True) for line in doc.subject.split("\n")), width_mm)
        _rule(document, min(max(longest * 0.35, 30), 60), width_mm)
    if doc.authority:
        _add_paragraph(document, doc.authority.upper(), size=14, bold=True, align="center",
                       before=6, after=6)


def _repeat_header(row) -> None:
    """Mark a table row as a header row repeated at the top of each page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        tr_pr.append(element)


def _set_run_text(text_element, value: str) -> None:
    """Put value into a run's w:t, with w:br elements for line breaks."""
    run = text_element.getparent()
    lines = value.split("\n")
    for index, line in enumerate(lines):
        if index:
            run.append(OxmlElement("w:br"))
            text_element = OxmlElement("w:t")
            run.append(text_element)
        text_element.text = line
        if line != line.strip():
            text_element.set(qn("xml:space"), "preserve")


def _grid_table(document, columns: Sequence[Column], rows: Sequence[Sequence[object]],
                numbered: bool, width_mm: float, size: float | None) -> DocxTable:
    size = size or TABLE_SIZE
    cols, cells = table_cells(columns, rows, numbered)
    widths = column_widths(cols, width_mm, 1.0)
    table = document.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    head = table.rows[0]
    _repeat_header(head)
    for cell, col in zip(head.cells, cols, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, col.title, size=size, bold=True)
    if not cells:
        return table
    # One formatted row is built with python-docx and then copied: building thousands of rows
    # through the object API is far slower than cloning the XML.
    first = table.add_row()
    first_tr_pr = first._tr.get_or_add_trPr()
    first_tr_pr.append(OxmlElement("w:cantSplit"))
    for cell, col, width in zip(first.cells, cols, widths, strict=True):
        cell.width = Mm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, "\u200b", size=size, align=col.align)
    template = copy.deepcopy(first._tr)
    table._tbl.remove(first._tr)
    for row in cells:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.iterchildren(qn("w:tc")), row, strict=False):
            _set_run_text(tc.find(".//" + qn("w:t")), value)
        table._tbl.append(tr)
    return table


def _figure(document, block: Figure, width_mm: float) -> None:
    if block.image is None:
        raise ValueError("a Figure in a Word document needs PNG or JPEG image bytes")
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, 6, 0)
    paragraph.add_run().add_picture(io.BytesIO(block.image),
                                    width=Mm(min(block.width_mm, width_mm)))
    if block.caption:
        _add_paragraph(document, block.caption, size=13, italic=True, align="center")


def _blocks(document, blocks: Sequence[object], width_mm: float) -> DocxParagraph | None:
    last: DocxParagraph | None = None
    for block in blocks:
        last = None
        if isinstance(block, Paragraph):
            last = _add_paragraph(document, block.text, bold=block.bold, italic=block.italic,
                                  align=block.align, indent=block.indent, before=6,
                                  lead=block.lead)
        elif isinstance(block, Heading):
            last = _add_paragraph(document, block.text, bold=True, italic=block.level >= 3,
                                  indent=True, before=8, keep_with_next=True)
        elif isinstance(block, Article):
            last = _add_paragraph(document, block.text, lead=block.lead, indent=True, before=6)
            for text in block.paragraphs:
                last = _add_paragraph(document, text, indent=True, before=6)
        elif isinstance(block, Table):
            _add_paragraph(document, "").paragraph_format.line_spacing = Pt(6)
            _grid_table(document, block.columns, block.rows, block.numbered, width_mm,
                        block.font_size)
        elif isinstance(block, Figure):
            _figure(document, block, width_mm)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise TypeError(f"not a document block: {block!r}")
    return last


def _closing(document, recipients: Sequence[str], signature: Signature | None,
             width_mm: float) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _fixed_widths(table, [width_mm * 0.45, width_mm * 0.55])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    if recipients:
        _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=6)
        for line in recipient_lines(recipients):
            _cell_text(left, line, size=11, align="left")
    if signature is not None:
        first = True
        for line in signature.lines:
            _cell_text(right, line.upper(), size=14, bold=True, before=6 if first else 0)
            first = False
        for _ in range(4):
            _cell_text(right, "", size=14)
        _cell_text(right, signature.name, size=14, bold=True)


def _page_number_header(section) -> None:
    """A centred PAGE field in the section's header; the first page's header stays empty."""
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"),
                       ("end", None)):
        run = paragraph.add_run()
        _set_font(run, 13)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
            run._r.append(element)
        else:
            run.text = text


def _restart_numbering(section) -> None:
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect_pr.append(numbering)
    numbering.set(qn("w:start"), "1")


def _page_setup(section, landscape: bool) -> float:
    """Size, orientation and margins of a section; returns the text width in mm."""
    top, bottom, left, right = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    width, height = (297, 210) if landscape else (210, 297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(width)
    section.page_height = Mm(height)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    return width - left - right


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(key), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.1
    fmt.widow_control = True


def _appendix(document, item: AttachedList) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width_mm = _page_setup(section, item.landscape)
    _restart_numbering(section)
    section.different_first_page_header_footer = True
    _add_paragraph(document, item.title.upper(), size=14, bold=True, align="center")
    if item.subtitle:
        _add_paragraph(document, item.subtitle, size=14, italic=True, align="center")
    _rule(document, 40, width_mm)
    _grid_table(document, item.columns, item.rows, item.numbered, width_mm, item.font_size)
    if item.closing:
        _add_paragraph(document, item.closing, before=8, align="left")


def build_docx(doc: AdminDocument) -> bytes:
    """The document as a Word (.docx) file in the Decree 30 layout."""
    document = Document()
    _styles(document)
    properties = document.core_properties
    properties.title = doc.title or f"{doc.kind.capitalize()} {doc.subject}".strip()
    properties.author = doc.header.issuing_body.replace("\n", " ")
    section = document.sections[0]
    width_mm = _page_setup(section, landscape=False)
    _page_number_header(section)
    # The default document starts with no paragraph; the header table comes first.
    _header(document, doc, width_mm)
    _title(document, doc, width_mm)
    last = _blocks(document, doc.blocks, width_mm)
    if last is not None:
        last.paragraph_format.keep_with_next = True
    _closing(document, doc.recipients, doc.signature, width_mm)
    for item in doc.appendices:
        _appendix(document, item)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


__all__ = ["build_docx"]

"""The Decree 30/2020/NĐ-CP layout of an administrative document, rendered to PDF with platypus.

One function, :func:`build_pdf`, turns an :class:`~registry.documents.model.AdminDocument` into
PDF bytes: A4 portrait (landscape pages for wide attached lists), margins 20/20/30/15 mm, Noto
Serif 13 pt body, the two-column header with its rules, the kind and subject, the body blocks,
"Nơi nhận" and the signature block kept together, then each attached list from a new page.  Page
numbers are centred at the top from the second page of the document and, as Decree 30 asks, of
each attached list, which is numbered on its own.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from registry.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from registry.documents.model import (
    AdminDocument,
    Article,
    AttachedList,
    Column,
    Figure,
    Header,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    column_widths,
    recipient_lines,
    table_cells,
)

# Re-exported so callers build documents from one module.
__all__ = [
    "AdminDocument",
    "Article",
    "AttachedList",
    "Column",
    "Figure",
    "Header",
    "Heading",
    "PageBreak",
    "Paragraph",
    "Signature",
    "Table",
    "build_pdf",
]

#: Margins (top, bottom, left, right) of portrait pages, Decree 30 appendix I.
PORTRAIT_MARGINS = (20 * mm, 20 * mm, 30 * mm, 15 * mm)
#: Landscape pages are bound along their top edge, so the wide binding margin moves there.
LANDSCAPE_MARGINS = (30 * mm, 15 * mm, 20 * mm, 20 * mm)

BODY_SIZE = 13
TABLE_SIZE = 11.5
LEFT_HEADER_WIDTH = 68 * mm  # the rest of the text width goes to the national name

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_FONTS = {(False, False): SERIF, (True, False): SERIF_BOLD, (False, True): SERIF_ITALIC,
          (True, True): SERIF_BOLD_ITALIC}


# Borderless tables that only place blocks side by side.  The font is set although the cells
# hold Paragraphs: otherwise the table selects reportlab's default Helvetica into the page.
_LAYOUT_TABLE = [
    ("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
]


def _style(size: float = BODY_SIZE, *, bold: bool = False, italic: bool = False,
           align: str = "justify", indent: bool = False, before: float = 0, after: float = 0,
           leading: float | None = None, keep: bool = False) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}{bold:d}{italic:d}{align}{indent:d}",
        fontName=_FONTS[bold, italic],
        fontSize=size,
        leading=leading or round(size * 1.32, 1),
        alignment=_ALIGN[align],
        firstLineIndent=10 * mm if indent and align != "center" else 0,
        spaceBefore=before,
        spaceAfter=after,
        keepWithNext=keep,
        allowWidows=0,
        allowOrphans=0,
    )


def _text(value: str) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


class _Rule(Flowable):
    """A centred horizontal line of a given width (the rules of the header and subject)."""

    def __init__(self, width: float, before: float = 4, after: float = 3, thickness: float = 0.7):
        super().__init__()
        self.rule_width = width
        self.before = before
        self.after = after
        self.thickness = thickness
        self._avail = width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        return avail_width, self.before + self.after

    def draw(self) -> None:
        left = (self._avail - self.rule_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(left, self.after, left + self.rule_width, self.after)


class _SectionStart(Flowable):
    """Marks the page where a numbered section (the document, an attached list) begins."""

    def __init__(self, state: dict[str, int]):
        super().__init__()
        self.state = state

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state["start"] = self.canv.getPageNumber()


def _widest(lines: Sequence[str], font: str, size: float) -> float:
    return max((stringWidth(line, font, size) for line in lines), default=0.0)


def _header(header: Header, width: float) -> RLTable:
    right_width = width - LEFT_HEADER_WIDTH
    left: list[Flowable] = []
    if header.parent_body:
        left.append(RLParagraph(_text(header.parent_body.upper()), _style(12, align="center")))
    body = header.issuing_body.upper()
    left.append(RLParagraph(_text(body), _style(12, bold=True, align="center")))
    body_width = min(_widest(body.split("\n"), SERIF_BOLD, 12), LEFT_HEADER_WIDTH)
    left.append(_Rule(max(body_width * 0.45, 20 * mm)))
    motto = "Độc lập - Tự do - Hạnh phúc"
    right = [
        RLParagraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _style(12, bold=True, align="center")),
        RLParagraph(motto, _style(13, bold=True, align="center")),
        _Rule(stringWidth(motto, SERIF_BOLD, 13)),
    ]
    number = RLParagraph(f"Số: {_text(header.number_symbol)}", _style(13, align="center"))
    when = RLParagraph(_text(header.date_line), _style(13, italic=True, align="center"))
    table = RLTable([[left, right], [number, when]],
                    colWidths=[LEFT_HEADER_WIDTH, right_width])
    table.setStyle(TableStyle([
        *_LAYOUT_TABLE,
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 3),
    ]))
    return table


def _title(doc: AdminDocument, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        RLParagraph(_text(doc.kind.upper()), _style(14, bold=True, align="center", before=20)),
    ]
    if doc.subject:
        flow.append(RLParagraph(_text(doc.subject), _style(13, bold=True, align="center")))
        longest = min(_widest(doc.subject.split("\n"), SERIF_BOLD, 13), width)
        flow.append(_Rule(min(max(longest * 0.35, 30 * mm), 60 * mm), before=5, after=6))
    if doc.authority:
        flow.append(RLParagraph(_text(doc.authority.upper()),
                                _style(13.5, bold=True, align="center", before=6, after=6)))
    return flow


def _paragraph(block: Paragraph) -> RLParagraph:
    text = _text(block.text)
    if block.lead:
        text = f"<b>{_text(block.lead)}</b> {text}" if text else f"<b>{_text(block.lead)}</b>"
    style = _style(bold=block.bold, italic=block.italic, align=block.align,
                   indent=block.indent, before=6)
    return RLParagraph(text, style)


def _heading(block: Heading) -> RLParagraph:
    italic = block.level >= 3
    return RLParagraph(_text(block.text),
                       _style(bold=True, italic=italic, indent=True, before=8, keep=True))


def _article(block: Article) -> list[Flowable]:
    flow: list[Flowable] = [_paragraph(Paragraph(block.text, lead=block.lead))]
    flow += [_paragraph(Paragraph(text)) for text in block.paragraphs]
    return flow


def _table(columns: Sequence[Column], rows: Sequence[Sequence[object]], numbered: bool,
           width: float, size: float | None) -> LongTable:
    """A gridded table whose header row repeats on every page it spans."""
    size = size or TABLE_SIZE
    cols, cells = table_cells(columns, rows, numbered)
    widths = column_widths(cols, width, mm)
    head_style = _style(size, bold=True, align="center", leading=size * 1.25)
    cell_styles = [_style(size, align=col.align, leading=size * 1.25) for col in cols]
    data: list[list[object]] = [[RLParagraph(_text(col.title), head_style) for col in cols]]
    for row in cells:
        line = []
        for value, col_width, style in zip(row, widths, cell_styles, strict=False):
            # Plain strings are laid out far faster than Paragraphs; wrap only what must wrap.
            if "\n" not in value and stringWidth(value, SERIF, size) <= col_width - 6:
                line.append(value)
            else:
                line.append(RLParagraph(_text(value), style))
        data.append(line)
    # LongTable measures only the rows that fit when it splits, instead of the whole rest.
    table = LongTable(data, colWidths=widths, repeatRows=1)
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), SERIF, size, size * 1.25),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, col in enumerate(cols):
        commands.append(("ALIGN", (index, 1), (index, -1), col.align.upper()))
    table.setStyle(TableStyle(commands))
    return table


def _figure(block: Figure, width: float) -> list[Flowable]:
    target = min(block.width_mm * mm, width)
    flow: list[Flowable] = []
    if block.drawing is not None:
        drawing: Drawing = block.drawing
        scale = target / drawing.width
        scaled = Drawing(target, drawing.height * scale)
        scaled.add(drawing, name="content")
        scaled.scale(scale, scale)
        scaled.hAlign = "CENTER"
        flow.append(scaled)
    elif block.image is not None:
        image = Image(io.BytesIO(block.image))
        image.drawHeight = image.imageHeight * target / image.imageWidth
        image.drawWidth = target
        image.hAlign = "CENTER"
        flow.append(image)
    else:
        raise ValueError("a Figure needs a drawing or an image")
    if block.caption:
        flow.append(RLParagraph(_text(block.caption), _style(12, italic=True, align="center")))
    return [Spacer(0, 6), *flow]


def _blocks(doc: AdminDocument, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            flow.append(_paragraph(block))
        elif isinstance(block, Heading):
            flow.append(_heading(block))
        elif isinstance(block, Article):
            flow += _article(block)
        elif isinstance(block, Table):
            flow += [Spacer(0, 6),
                     _table(block.columns, block.rows, block.numbered, width, block.font_size)]
        elif isinstance(block, Figure):
            flow += _figure(block, width)
        elif isinstance(block, PageBreak):
            flow.append(RLPageBreak())
        else:
            raise TypeError(f"not a document block: {block!r}")
    return flow


def _closing(recipients: Sequence[str], signature: Signature | None, width: float) -> RLTable:
    """ "Nơi nhận" bottom left and the signature block bottom right, as one unbreakable row."""
    left: list[Flowable] = []
    if recipients:
        left.append(RLParagraph("Nơi nhận:", _style(12, bold=True, italic=True, align="left")))
        item = _style(11, align="left", leading=13.5)
        left += [RLParagraph(_text(line), item) for line in recipient_lines(recipients)]
    right: list[Flowable] = []
    if signature is not None:
        title = _style(13, bold=True, align="center", leading=17)
        right += [RLParagraph(_text(line.upper()), title) for line in signature.lines]
        right.append(Spacer(0, 26 * mm))
        right.append(RLParagraph(_text(signature.name), title))
    table = RLTable([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle(_LAYOUT_TABLE))
    return table


def _appendix(item: AttachedList, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        RLParagraph(_text(item.title.upper()), _style(13.5, bold=True, align="center")),
    ]
    if item.subtitle:
        flow.append(RLParagraph(_text(item.subtitle), _style(13, italic=True, align="center")))
    flow.append(_Rule(40 * mm, before=5, after=8))
    flow.append(_table(item.columns, item.rows, item.numbered, width, item.font_size))
    if item.closing:
        flow.append(RLParagraph(_text(item.closing), _style(before=8, align="left")))
    return flow


class _Document(BaseDocTemplate):
    """Portrait and landscape templates; page numbers counted per section from its 2nd page."""

    def __init__(self, buffer: io.BytesIO, doc: AdminDocument):
        top, bottom, left, right = PORTRAIT_MARGINS
        super().__init__(
            buffer, pagesize=A4, topMargin=top, bottomMargin=bottom, leftMargin=left,
            rightMargin=right, initialFontName=SERIF,
            title=doc.title or f"{doc.kind.capitalize()} {doc.subject}".strip(),
            author=doc.header.issuing_body.replace("\n", " "), creator="registry",
        )
        self.section: dict[str, int] = {"start": 1}
        templates = []
        for name, size, (top, bottom, left, right) in (
            ("portrait", A4, PORTRAIT_MARGINS),
            ("landscape", landscape(A4), LANDSCAPE_MARGINS),
        ):
            frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
            templates.append(PageTemplate(id=name, frames=[frame], pagesize=size,
                                          onPageEnd=self._number_page))
        self.addPageTemplates(templates)

    def _number_page(self, canvas, doc) -> None:
        number = canvas.getPageNumber() - self.section["start"] + 1
        if number < 2:
            return
        height = self.pageTemplate.pagesize[1]
        frame = self.pageTemplate.frames[0]
        canvas.saveState()
        canvas.setFont(SERIF, 13)
        canvas.drawCentredString(frame._x1 + frame._width / 2, height - 13 * mm, str(number))
        canvas.restoreState()


def build_pdf(doc: AdminDocument) -> bytes:
    """The document as PDF bytes in the Decree 30 layout."""
    register_fonts()
    buffer = io.BytesIO()
    template = _Document(buffer, doc)
    width = A4[0] - PORTRAIT_MARGINS[2] - PORTRAIT_MARGINS[3]
    landscape_width = A4[1] - LANDSCAPE_MARGINS[2] - LANDSCAPE_MARGINS[3]
    story: list[Flowable] = [_SectionStart(template.section), _header(doc.header, width)]
    story += _title(doc, width)
    body = _blocks(doc, width)
    closing = _closing(doc.recipients, doc.signature, width)
    if body and isinstance(body[-1], RLParagraph):
        # The signature never stands alone on a page: it keeps the last paragraph with it.
        story += body[:-1]
        story.append(KeepTogether([body[-1], Spacer(0, 10), closing]))
    else:
        story += [*body, CondPageBreak(70 * mm), Spacer(0, 10), closing]
    for item in doc.appendices:
        story.append(NextPageTemplate("landscape" if item.landscape else "portrait"))
        story.append(RLPageBreak())
        story.append(_SectionStart(template.section))
        story += _appendix(item, landscape_width if item.landscape else width)
    template.build(story)
    return buffer.getvalue()

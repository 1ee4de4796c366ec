"""The worker's learning record (Sổ học tập) as a PDF: identity, learning by year, results.

Plain data in (:class:`LearningBook`), PDF bytes out (:func:`build_book_pdf`), with the fonts,
margins, table style and page numbers of the administrative documents in ``layout``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from registry.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from registry.documents.layout import (
    _LAYOUT_TABLE,
    PORTRAIT_MARGINS,
    _Rule,
    _style,
    _table,
    _text,
)
from registry.documents.model import Column

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class BookSection:
    """A heading and a table under it (or a line saying there is nothing yet)."""

    heading: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    empty: str = ""


@dataclass(frozen=True)
class LearningBook:
    """Everything printed in one worker's learning record."""

    title: str
    subtitle: str
    identity: Sequence[tuple[str, str]]
    learning: Sequence[BookSection] = ()
    learning_empty: str = ""
    assessments: BookSection | None = None
    titles: BookSection | None = None
    printed: str = ""  #: "In ngày 02/12/2026", bottom of the last page
    issuer: str = ""  #: the unit keeping the record, top left
    parts: Sequence[str] = ("I. QUÁ TRÌNH HỌC TẬP",
                            "II. KẾT QUẢ ĐÁNH GIÁ “CÔNG DÂN HỌC TẬP” THEO NĂM",
                            "III. DANH HIỆU VÀ GIẤY CHỨNG NHẬN")


def _heading(text: str, before: float = 10) -> RLParagraph:
    return RLParagraph(_text(text), _style(13, bold=True, align="left", before=before,
                                           after=3, keep=True))


def _section(section: BookSection, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    if section.heading:
        flow.append(RLParagraph(_text(section.heading), _style(12, bold=True, italic=True,
                                                               align="left", before=6, after=3,
                                                               keep=True)))
    if section.rows:
        flow.append(_table(section.columns, section.rows, False, width, 10.5))
    elif section.empty:
        flow.append(RLParagraph(_text(section.empty), _style(12, italic=True, align="left")))
    return flow


def _identity(rows: Sequence[tuple[str, str]], width: float) -> RLTable:
    label = _style(12, bold=True, align="left")
    value = _style(12, align="left")
    table = RLTable([[RLParagraph(_text(k + ":"), label), RLParagraph(_text(v), value)]
                     for k, v in rows], colWidths=[54 * mm, width - 54 * mm])
    table.setStyle(TableStyle([*_LAYOUT_TABLE, ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


class _Book(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, book: LearningBook):
        top, bottom, left, right = PORTRAIT_MARGINS
        super().__init__(buffer, pagesize=A4, topMargin=top, bottomMargin=bottom,
                         leftMargin=left, rightMargin=right, initialFontName=SERIF,
                         title=f"{book.title.capitalize()} – {book.identity[0][1]}",
                         creator="registry")
        frame = Frame(left, bottom, A4[0] - left - right, A4[1] - top - bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(frames=[frame], onPageEnd=self._number)])

    def _number(self, canvas, doc) -> None:
        number = canvas.getPageNumber()
        if number < 2:
            return
        canvas.saveState()
        canvas.setFont(SERIF, 12)
        canvas.drawCentredString(A4[0] / 2 + (PORTRAIT_MARGINS[2] - PORTRAIT_MARGINS[3]) / 2,
                                 A4[1] - 13 * mm, str(number))
        canvas.restoreState()


def build_book_pdf(book: LearningBook) -> bytes:
    """The learning record as PDF bytes (A4 portrait)."""
    register_fonts()
    buffer = io.BytesIO()
    template = _Book(buffer, book)
    width = A4[0] - PORTRAIT_MARGINS[2] - PORTRAIT_MARGINS[3]
    story: list[Flowable] = []
    if book.issuer:
        story.append(RLParagraph(_text(book.issuer.upper()), _style(11, bold=True,
                                                                     align="left")))
    story += [
        RLParagraph(NATIONAL_NAME, _style(12, bold=True, align="center")),
        RLParagraph(MOTTO, _style(13, bold=True, align="center")),
        _Rule(stringWidth(MOTTO, SERIF_BOLD, 13)),
        RLParagraph(_text(book.title), _style(18, bold=True, align="center", before=14)),
        RLParagraph(_text(book.subtitle), _style(13, italic=True, align="center", after=10)),
        _identity(book.identity, width),
        _heading(book.parts[0], before=14),
    ]
    for section in book.learning:
        story += _section(section, width)
    if not book.learning and book.learning_empty:
        story.append(RLParagraph(_text(book.learning_empty),
                                 _style(12, italic=True, align="left")))
    if book.assessments is not None:
        story.append(_heading(book.parts[1]))
        story += _section(book.assessments, width)
    if book.titles is not None:
        story.append(_heading(book.parts[2]))
        story += _section(book.titles, width)
    if book.printed:
        story += [Spacer(0, 10), RLParagraph(_text(book.printed),
                                             _style(11, italic=True, align="right"))]
    template.build(story)
    return buffer.getvalue()

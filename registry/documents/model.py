"""The plain-data model of an administrative document (Decree 30/2020/NĐ-CP), for PDF and DOCX.

A document is a header (bodies, number, place and date), a kind ("QUYẾT ĐỊNH"), a subject, a list
of body blocks, the recipients, the signature and any attached lists.  Builders in ``layout``
(PDF) and ``docx_layout`` (DOCX) render the same data; nothing here knows about either format.
All texts are plain text (no markup); the builders escape and style them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from registry.documents.vn_format import BLANK, date_line, date_table

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Header:
    """The top of the first page: bodies on the left, national name and date line on the right.

    ``issuing_body`` and ``parent_body`` may contain "\\n" to break lines where the office wants
    ("ỦY BAN NHÂN DÂN\\nXÃ HOẰNG HỢP"); longer lines also wrap by themselves.  ``number`` is the
    registry number ("05") or "" while it is still to be written by hand; ``symbol`` is the rest
    ("QĐ-UBND").  Without a date the date line keeps blanks for day and month.
    """

    issuing_body: str
    symbol: str
    place: str
    number: str = ""
    date: date | None = None
    year: int | None = None  #: printed on the date line when ``date`` is still blank
    parent_body: str = ""

    @property
    def number_symbol(self) -> str:
        """ "05/QĐ-UBND", or "/QĐ-UBND" preceded by blanks when the number is not yet given."""
        number = self.number.strip()
        if not number:
            return f"{BLANK}/{self.symbol}"
        # Decree 30: registry numbers below 10 are written with a leading zero.
        if number.isdigit() and int(number) < 10:
            number = f"{int(number):02d}"
        return f"{number}/{self.symbol}"

    @property
    def date_line(self) -> str:
        """The italic place-and-date line."""
        return date_line(self.place, self.date, self.year)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text; ``lead`` is printed in bold before the text."""

    text: str
    lead: str = ""
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True  #: first-line indent (off automatically for centred text)


@dataclass(frozen=True)
class Heading:
    """A section heading: level 1 "I. MỤC TIÊU", level 2 "1. Mục tiêu chung", level 3 "a) …"."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Article:
    """An article of a decision: "Điều 1." in bold, an optional bold title, then the text."""

    number: int
    text: str = ""
    title: str = ""
    paragraphs: tuple[str, ...] = ()  #: further paragraphs ("1. …", "a) …") under the article

    @property
    def lead(self) -> str:
        """ "Điều 1." with the title when there is one."""
        return f"Điều {self.number}." + (f" {self.title}" if self.title else "")


@dataclass(frozen=True)
class Column:
    """A table column: header text, relative width and alignment of the cells."""

    title: str
    width: float = 1.0  #: share of the width left after fixed columns
    align: Literal["left", "center", "right"] = "left"
    fixed_mm: float | None = None  #: an absolute width instead of a share


@dataclass(frozen=True)
class Table:
    """A table inside the body; with ``numbered`` an "STT" column is added in front."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    numbered: bool = True
    font_size: float | None = None  #: points; the builders' table size when None


@dataclass(frozen=True)
class Figure:
    """A chart or picture: a reportlab Drawing (vector, used in PDF) and/or PNG/JPEG bytes.

    The PDF uses the drawing when there is one, else the image; the DOCX needs the image.
    """

    width_mm: float
    drawing: Any = None
    image: bytes | None = None
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Paragraph | Heading | Article | Table | Figure | PageBreak


@dataclass(frozen=True)
class Signature:
    """The signature block: optional authority line ("KT. CHỦ TỊCH"), title, space, name.

    Decree 30 prefixes: TM. (on behalf of a collective), KT. (deputy signing for the head),
    TL., TUQ., Q.  Example: ``Signature("Lê Văn Phượng", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH")``.
    """

    name: str
    title: str
    authority: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The capitalised lines above the space for signature and seal."""
        return (self.authority, self.title) if self.authority else (self.title,)


@dataclass(frozen=True)
class AttachedList:
    """A list attached to the document ("DANH SÁCH …"), printed from a new page."""

    title: str
    subtitle: str  #: "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của …)"
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    numbered: bool = True
    landscape: bool = False
    closing: str = ""  #: a line under the table, e.g. "Danh sách có 125 người."
    font_size: float | None = None


@dataclass(frozen=True)
class AdminDocument:
    """A whole administrative document."""

    header: Header
    kind: str  #: "QUYẾT ĐỊNH", "BÁO CÁO", "KẾ HOẠCH", …
    subject: str
    blocks: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    signature: Signature | None = None
    appendices: Sequence[AttachedList] = field(default_factory=tuple)
    #: the authority line printed bold between the subject and the preamble of a decision,
    #: e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP"
    authority: str = ""
    title: str = ""  #: document title for the PDF/DOCX metadata; defaults to kind and subject


def attachment_subtitle(kind: str, header: Header, issuer: str) -> str:
    """ "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng Hợp)"."""
    when = f" ngày {date_table(header.date)}" if header.date else ""
    return f"(Kèm theo {kind} số {header.number_symbol}{when} của {issuer})"


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The "Nơi nhận" items as printed: "- Như Điều 3;" … with a full stop after the last one."""
    lines = []
    for index, item in enumerate(recipients):
        text = item.strip().removeprefix("-").strip().rstrip(";.").rstrip()
        end = "." if index == len(recipients) - 1 else ";"
        lines.append(f"- {text}{end}")
    return lines


def column_widths(columns: Sequence[Column], total: float, mm: float) -> list[float]:
    """Widths of the columns in the builder's unit: fixed ones first, the rest shared by weight."""
    fixed = sum(col.fixed_mm * mm for col in columns if col.fixed_mm is not None)
    weights = sum(col.width for col in columns if col.fixed_mm is None) or 1.0
    free = max(total - fixed, 0.0)
    return [col.fixed_mm * mm if col.fixed_mm is not None else free * col.width / weights
            for col in columns]


def table_cells(columns: Sequence[Column], rows: Sequence[Sequence[Any]], numbered: bool
                ) -> tuple[list[Column], list[list[str]]]:
    """The columns and cell texts of a table as printed, with the "STT" column when numbered."""
    cols = list(columns)
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    if numbered:
        cols.insert(0, Column("STT", align="center", fixed_mm=12))
        cells = [[str(index), *row] for index, row in enumerate(cells, start=1)]
    return cols, cells

"""The "Công dân học tập" certificate: one A4 landscape page per worker, drawn on a canvas.

Everything that is the same on every page is drawn once into PDF form XObjects and placed by
reference: the decorative border, and the texts shared by a batch (national name, issuer, title,
decision, date line, signer), cached by their values.  A page then only adds the worker's name,
birth year, enterprise, serial and the QR code, which is drawn as one vector path of
horizontal runs of dark modules.  :func:`write_certificates` streams any number of certificates
into one PDF; :func:`certificate_pdf` makes a single one.
"""

from __future__ import annotations

import functools
import io
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from registry.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    TITLE_BOLD,
    TITLE_SEMIBOLD,
    register_fonts,
)
from registry.documents.qr import qr_runs

PAGE = landscape(A4)
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

RED = Color(0.60, 0.09, 0.11)
GOLD = Color(0.72, 0.56, 0.20)
BROWN = Color(0.55, 0.40, 0.08)  #: the title line, a darker gold that prints legibly
INK = Color(0.10, 0.10, 0.12)

_CENTRE = PAGE[0] / 2
_TEXT_WIDTH = PAGE[0] - 2 * 34 * mm  # inside the border with some air
_BORDER_FORM = "cdhtBorder"
# The QR code sits bottom left, with its quiet zone clear of the border and the texts.
_QR_X, _QR_Y, _QR_SIZE = 34 * mm, 32 * mm, 28 * mm


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, as final strings."""

    issuer: str  #: "ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP"
    title: str  #: "Công dân học tập năm 2025"
    full_name: str
    birth_year: str
    enterprise: str
    decision: str  #: "theo Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã …"
    date_line: str  #: "Hoằng Hợp, ngày 05 tháng 02 năm 2025"
    signer_title_lines: tuple[str, ...]  #: ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer_name: str
    serial: str  #: "CDHT-2025-0001234"
    verify_url: str
    heading: str = "GIẤY CHỨNG NHẬN"
    parent_issuer: str = ""  #: an optional line above the issuer
    #: The QR code of verify_url already drawn (qr_path(verify_url)); computed when empty.
    qr_path: str = ""


def _fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest size not above size (and not below smallest) at which text fits width."""
    actual = stringWidth(text, font, size)
    if actual <= width:
        return size
    return max(smallest, size * width / actual)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap by measured width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _two_lines(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """The largest size (down to 60 %) at which text wraps into two lines, and the lines."""
    current = size
    while True:
        lines = _wrap(text, font, current, width)
        if len(lines) <= 2 or current <= size * 0.6:
            break
        current -= 0.5
    if len(lines) > 2:  # beyond any real decision reference; squeeze rather than lose words
        half = len(text.split()) // 2
        words = text.split()
        lines = [" ".join(words[:half]), " ".join(words[half:])]
        widest = max(stringWidth(line, font, current) for line in lines)
        current = min(current, current * width / widest)
    return current, lines


def _corner(canvas: Canvas) -> None:
    """One corner ornament, drawn for the lower-left corner at the origin."""
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(1.1)
    # Two scrolls running along the edges from a diamond at the corner.
    for flip in (False, True):
        canvas.saveState()
        if flip:
            canvas.transform(0, 1, 1, 0, 0, 0)  # mirror on the diagonal
        path = canvas.beginPath()
        path.moveTo(9 * mm, 3 * mm)
        path.curveTo(16 * mm, 3 * mm, 20 * mm, 7.5 * mm, 26 * mm, 4.5 * mm)
        path.curveTo(30 * mm, 2.5 * mm, 33 * mm, 5.5 * mm, 31 * mm, 7.5 * mm)
        path.curveTo(29.5 * mm, 9 * mm, 27 * mm, 7.8 * mm, 28 * mm, 6.2 * mm)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.circle(36 * mm, 3 * mm, 0.8 * mm, stroke=0, fill=1)
        canvas.circle(40 * mm, 3 * mm, 0.5 * mm, stroke=0, fill=1)
        canvas.restoreState()
    diamond = canvas.beginPath()
    diamond.moveTo(5 * mm, 0)
    diamond.lineTo(10 * mm, 5 * mm)
    diamond.lineTo(5 * mm, 10 * mm)
    diamond.lineTo(0, 5 * mm)
    diamond.close()
    canvas.drawPath(diamond, stroke=0, fill=1)
    inner = canvas.beginPath()
    inner.moveTo(5 * mm, 2.2 * mm)
    inner.lineTo(7.8 * mm, 5 * mm)
    inner.lineTo(5 * mm, 7.8 * mm)
    inner.lineTo(2.2 * mm, 5 * mm)
    inner.close()
    canvas.setFillColor(RED)
    canvas.drawPath(inner, stroke=0, fill=1)


def _draw_border(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.4)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    canvas.setLineWidth(0.5)
    canvas.rect(17.5 * mm, 17.5 * mm, width - 35 * mm, height - 35 * mm)
    # A row of small gold lozenges in the band between the red and the gold frames.
    canvas.setFillColor(GOLD)
    step = 6 * mm
    path = canvas.beginPath()
    for start, end, fixed, horizontal in (
        (30 * mm, width - 30 * mm, 14 * mm, True),
        (30 * mm, width - 30 * mm, height - 14 * mm, True),
        (30 * mm, height - 30 * mm, 14 * mm, False),
        (30 * mm, height - 30 * mm, width - 14 * mm, False),
    ):
        count = int((end - start) // step)
        offset = start + ((end - start) - count * step) / 2
        for index in range(count + 1):
            along = offset + index * step
            x, y = (along, fixed) if horizontal else (fixed, along)
            path.moveTo(x - 0.9 * mm, y)
            path.lineTo(x, y + 0.6 * mm)
            path.lineTo(x + 0.9 * mm, y)
            path.lineTo(x, y - 0.6 * mm)
            path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    for x, y, sx, sy in ((16 * mm, 16 * mm, 1, 1), (width - 16 * mm, 16 * mm, -1, 1),
                         (16 * mm, height - 16 * mm, 1, -1),
                         (width - 16 * mm, height - 16 * mm, -1, -1)):
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(sx, sy)
        canvas.translate(-3 * mm, -3 * mm)
        _corner(canvas)
        canvas.restoreState()


@functools.cache
def _border_operators() -> str:
    """The border's PDF operators, generated once per process (it uses no font or image)."""
    scratch = Canvas(io.BytesIO(), pagesize=PAGE)
    _draw_border(scratch)
    return "\n".join(scratch._code)


def _paste_border(canvas: Canvas) -> None:
    # A one-certificate PDF (the ZIP of a batch) would otherwise rebuild every ornament.
    canvas.addLiteral(_border_operators())


def _centred(canvas: Canvas, text: str, y: float, font: str, size: float,
             smallest: float | None = None, width: float = _TEXT_WIDTH) -> None:
    size = _fit_size(text, font, size, width, smallest or size * 0.7)
    canvas.setFont(font, size)
    canvas.drawCentredString(_CENTRE, y, text)


def _centred_block(canvas: Canvas, text: str, y: float, font: str, size: float) -> None:
    """One centred line, shrunk down to 80 %; beyond that two smaller lines around y."""
    # The slot between the birth year and the decision text holds two lines of 3/4 size.
    if stringWidth(text, font, size * 0.8) <= _TEXT_WIDTH:
        _centred(canvas, text, y, font, size, smallest=size * 0.8)
        return
    small = size * 0.75
    # Two lines of about equal length read better than a full line and a short one.
    balanced = min(_TEXT_WIDTH, stringWidth(text, font, small) / 2 + 15 * mm)
    lines = _wrap(text, font, small, balanced)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    for index, line in enumerate(lines):
        _centred(canvas, line, y + (2.2 - 4.4 * index) * mm, font, small, smallest=small * 0.5)


def _draw_static(canvas: Canvas, data: CertificateData) -> None:
    """The texts shared by a batch of certificates."""
    height = PAGE[1]
    canvas.setFillColor(INK)
    _centred(canvas, NATIONAL_NAME, height - 32 * mm, SERIF_BOLD, 14)
    _centred(canvas, MOTTO, height - 39 * mm, SERIF_BOLD, 15)
    rule = stringWidth(MOTTO, SERIF_BOLD, 15)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.7)
    canvas.line(_CENTRE - rule / 2, height - 41 * mm, _CENTRE + rule / 2, height - 41 * mm)
    y = height - 50 * mm
    if data.parent_issuer:
        _centred(canvas, data.parent_issuer.upper(), y, SERIF, 13)
        y -= 6 * mm
    _centred(canvas, data.issuer.upper(), y, SERIF_BOLD, 14)
    canvas.setFillColor(RED)
    _centred(canvas, data.heading.upper(), height - 71 * mm, TITLE_BOLD, 40)
    canvas.setFillColor(BROWN)
    _centred(canvas, data.title, height - 83 * mm, TITLE_SEMIBOLD, 21)
    canvas.setFillColor(INK)
    _centred(canvas, "Chứng nhận ông (bà):", height - 95 * mm, SERIF_ITALIC, 14)
    size, lines = _two_lines(data.decision, SERIF_ITALIC, 13.5, _TEXT_WIDTH - 20 * mm)
    canvas.setFont(SERIF_ITALIC, size)
    for index, line in enumerate(lines):
        canvas.drawCentredString(_CENTRE, height - (134 + 6.5 * size / 13.5 * index) * mm, line)
    right = PAGE[0] - 85 * mm
    canvas.setFont(SERIF_ITALIC, 13)
    canvas.drawCentredString(right, 57 * mm, data.date_line)
    canvas.setFont(SERIF_BOLD, 13)
    y = 50 * mm
    for line in data.signer_title_lines:
        canvas.drawCentredString(right, y, line.upper())
        y -= 6 * mm
    canvas.setFont(SERIF_BOLD, 14)
    canvas.drawCentredString(right, 23 * mm, data.signer_name)
    canvas.setFont(SERIF_ITALIC, 9)
    canvas.drawCentredString(_QR_X + _QR_SIZE / 2, _QR_Y - 5 * mm, "Quét mã để kiểm tra")


def _static_key(data: CertificateData) -> tuple[str, ...]:
    return (data.issuer, data.parent_issuer, data.heading, data.title, data.decision,
            data.date_line, *data.signer_title_lines, data.signer_name)


class Writer:
    """Per-PDF state: the forms already drawn, keyed by what they show."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.forms: dict[tuple[str, ...], str] = {}

    def _form(self, key: tuple[str, ...], draw: Callable[[Canvas], None]) -> str:
        name = self.forms.get(key)
        if name is None:
            name = f"cdht{len(self.forms)}"
            self.canvas.beginForm(name, 0, 0, PAGE[0], PAGE[1])
            draw(self.canvas)
            self.canvas.endForm()
            self.forms[key] = name
        return name

    def page(self, data: CertificateData) -> None:
        """Draw one certificate and end the page."""
        canvas = self.canvas
        canvas.doForm(self._form((_BORDER_FORM,), _paste_border))
        canvas.doForm(self._form(_static_key(data), lambda c: _draw_static(c, data)))
        height = PAGE[1]
        canvas.setFillColor(RED)
        _centred(canvas, data.full_name, height - 110 * mm, SERIF_BOLD, 30, smallest=18)
        canvas.setFillColor(INK)
        _centred(canvas, f"Năm sinh: {data.birth_year}", height - 119.5 * mm, SERIF, 14)
        _centred_block(canvas, f"Đơn vị công tác: {data.enterprise}", height - 126.5 * mm,
                       SERIF, 14)
        canvas.setFont(SERIF, 10)
        canvas.drawCentredString(_QR_X + _QR_SIZE / 2, _QR_Y - 9.5 * mm, f"Số: {data.serial}")
        canvas.addLiteral(data.qr_path or qr_path(data.verify_url))
        canvas.showPage()


# The forms a caller's canvas already holds, for draw_certificate; forgotten with the canvas.
_writers: weakref.WeakKeyDictionary[Canvas, Writer] = weakref.WeakKeyDictionary()


def new_canvas(out: BinaryIO) -> Canvas:
    """An A4 landscape canvas writing to out, fonts registered."""
    register_fonts()
    canvas = Canvas(out, pagesize=PAGE, initialFontName=SERIF, pageCompression=1)
    canvas.setTitle("Giấy chứng nhận Công dân học tập")
    canvas.setCreator("registry")
    return canvas


def draw_certificate(canvas: Canvas, data: CertificateData) -> None:
    """Draw one certificate on the current page of canvas (made A4 landscape) and end the page."""
    register_fonts()
    canvas.setPageSize(PAGE)
    writer = _writers.get(canvas)
    if writer is None:
        writer = _writers[canvas] = Writer(canvas)
    writer.page(data)


def write_certificates(items: Iterable[CertificateData], out: BinaryIO,
                       progress: Callable[[int], None] | None = None) -> int:
    """Write one page per certificate into a single PDF on out; return the number of pages."""
    canvas = new_canvas(out)
    writer = Writer(canvas)
    count = 0
    for data in items:
        writer.page(data)
        count += 1
        if progress is not None:
            progress(count)
    if count == 0:
        raise ValueError("no certificates to write")
    canvas.save()
    return count


def qr_path(url: str) -> str:
    """The PDF operators drawing the QR code of url where the certificate page places it.

    Computed once when a certificate is issued and stored, so printing a batch encodes nothing.
    """
    return qr_runs(url, x=_QR_X, y=_QR_Y, size=_QR_SIZE)


def certificate_pdf(data: CertificateData) -> bytes:
    """One certificate as PDF bytes."""
    buffer = io.BytesIO()
    write_certificates([data], buffer)
    return buffer.getvalue()

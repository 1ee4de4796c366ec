"""Charts of the rates: one definition, drawn as SVG (pages), a reportlab Drawing (PDF) and PNG
(Word documents, which cannot hold vector drawings portably).

A chart is laid out once into a list of shapes in points, origin top left; each renderer only
translates those shapes.  Two charts exist: the rates of the five indicators beside their
targets (bars and target marks), and the trend of the rates by year (one line per indicator).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics import shapes
from reportlab.lib import colors

from registry.documents.fonts import SERIF, SERIF_BOLD, register_fonts, static_serif_files
from registry.plans.models import Indicator

#: One colour per indicator a–e, distinguishable in print.
PALETTE = ("#1f5fa8", "#2e8b57", "#d2691e", "#7b4fa0", "#b22222")
TARGET_COLOUR = "#222222"
GRID_COLOUR = "#d0d0d0"
TEXT_COLOUR = "#222222"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  #: baseline
    text: str
    size: float = 9
    anchor: str = "middle"  #: "start", "middle" or "end"
    bold: bool = False
    fill: str = TEXT_COLOUR


Shape = Rect | Line | Dot | Text


@dataclass
class Chart:
    """Shapes on a canvas of width × height points, and a title for screen readers."""

    width: float
    height: float
    title: str
    shapes: list[Shape] = field(default_factory=list)


def _percent_text(value: Decimal | float) -> str:
    text = f"{float(value):.1f}".replace(".", ",")
    return text.removesuffix(",0") + "%"


def _axes(chart: Chart, left: float, top: float, right: float, bottom: float) -> None:
    for tick in range(0, 101, 20):
        y = bottom - (bottom - top) * tick / 100
        chart.shapes.append(Line(((left, y), (right, y)), GRID_COLOUR, 0.5))
        chart.shapes.append(Text(left - 4, y + 3, f"{tick}%", 8, "end"))
    chart.shapes.append(Line(((left, bottom), (right, bottom)), TEXT_COLOUR, 0.8))


def rates_chart(labels: Sequence[str], rates: Sequence[Decimal | None],
                targets: Sequence[Decimal | None], title: str,
                target_label: str = "Chỉ tiêu") -> Chart:
    """Bars of the rates with a mark at each target (percent, 0–100)."""
    chart = Chart(480, 250, title)
    left, top, right, bottom = 40.0, 28.0, 470.0, 205.0
    chart.shapes.append(Text(left, 14, title, 10, "start", bold=True))
    _axes(chart, left, top, right, bottom)
    slot = (right - left) / max(len(labels), 1)
    bar = slot * 0.5
    for index, (label, rate, target) in enumerate(zip(labels, rates, targets, strict=True)):
        centre = left + slot * (index + 0.5)
        if rate is not None:
            h = (bottom - top) * float(rate) / 100
            chart.shapes.append(Rect(centre - bar / 2, bottom - h, bar, h,
                                     PALETTE[index % len(PALETTE)]))
            chart.shapes.append(Text(centre, bottom - h - 3, _percent_text(rate), 8, bold=True))
        if target is not None:
            y = bottom - (bottom - top) * float(target) / 100
            chart.shapes.append(Line(((centre - bar * 0.8, y), (centre + bar * 0.8, y)),
                                     TARGET_COLOUR, 2, dashed=True))
        chart.shapes.append(Text(centre, bottom + 13, label, 9))
    legend_y = 238.0
    chart.shapes.append(Rect(left, legend_y - 7, 12, 8, PALETTE[0]))
    chart.shapes.append(Text(left + 16, legend_y, "Tỷ lệ đạt được", 8, "start"))
    chart.shapes.append(Line(((left + 110, legend_y - 3), (left + 130, legend_y - 3)),
                             TARGET_COLOUR, 2, dashed=True))
    chart.shapes.append(Text(left + 134, legend_y, target_label, 8, "start"))
    return chart


def trend_chart(years: Sequence[int], series: Sequence[tuple[str, Sequence[Decimal | None]]],
                title: str) -> Chart:
    """One line per indicator across the years (percent, 0–100)."""
    chart = Chart(480, 250, title)
    left, top, right, bottom = 40.0, 28.0, 470.0, 200.0
    chart.shapes.append(Text(left, 14, title, 10, "start", bold=True))
    _axes(chart, left, top, right, bottom)
    slot = (right - left) / max(len(years), 1)
    xs = [left + slot * (i + 0.5) for i in range(len(years))]
    for x, year in zip(xs, years, strict=True):
        chart.shapes.append(Text(x, bottom + 13, str(year), 9))
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x, bottom - (bottom - top) * float(v) / 100)
                  for x, v in zip(xs, values, strict=True) if v is not None]
        if len(points) > 1:
            chart.shapes.append(Line(tuple(points), colour, 1.8))
        chart.shapes += [Dot(x, y, 2.6, colour) for x, y in points]
        lx = left + index * 86
        chart.shapes.append(Rect(lx, 229, 10, 8, colour))
        chart.shapes.append(Text(lx + 13, 236, name, 8, "start"))
    return chart


#: Short names of the indicators a–e in the trend chart's legend.
SHORT_NAMES = ("Pháp luật", "Nghề nghiệp", "Kỹ năng sống", "CNTT, số", "CDHT")


def indicator_trend(years: Sequence[int], counts: dict, title: str) -> Chart:
    """The trend of the five rates from counts by year (registry.plans.services.Counts)."""
    series = [(f"{indicator.value}) {SHORT_NAMES[index]}",
               [counts[year].rate(indicator) for year in years])
              for index, indicator in enumerate(Indicator)]
    return trend_chart(years, series, title)


# --- renderers -------------------------------------------------------------------------------


def to_svg(chart: Chart) -> str:
    """The chart as an inline, scalable SVG element."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'role="img" aria-label="{escape(chart.title)}" class="chart" '
        'font-family="\'Noto Serif\', \'Times New Roman\', serif">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for s in chart.shapes:
        if isinstance(s, Rect):
            parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" '
                         f'height="{s.h:.1f}" fill="{s.fill}"/>')
        elif isinstance(s, Line):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            dash = ' stroke-dasharray="4 2"' if s.dashed else ""
            parts.append(f'<polyline points="{points}" fill="none" stroke="{s.stroke}" '
                         f'stroke-width="{s.width:g}"{dash}/>')
        elif isinstance(s, Dot):
            parts.append(f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r:g}" fill="{s.fill}"/>')
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:g}" '
                         f'text-anchor="{s.anchor}" fill="{s.fill}"{weight}>'
                         f"{escape(s.text)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def to_drawing(chart: Chart) -> shapes.Drawing:
    """The chart as a reportlab Drawing (vector, for PDF documents)."""
    register_fonts()
    drawing = shapes.Drawing(chart.width, chart.height)
    flip = chart.height
    for s in chart.shapes:
        if isinstance(s, Rect):
            drawing.add(shapes.Rect(s.x, flip - s.y - s.h, s.w, s.h, strokeColor=None,
                                    fillColor=colors.HexColor(s.fill)))
        elif isinstance(s, Line):
            flat = [v for x, y in s.points for v in (x, flip - y)]
            drawing.add(shapes.PolyLine(flat, strokeColor=colors.HexColor(s.stroke),
                                        strokeWidth=s.width,
                                        strokeDashArray=[4, 2] if s.dashed else None))
        elif isinstance(s, Dot):
            drawing.add(shapes.Circle(s.x, flip - s.y, s.r, strokeColor=None,
                                      fillColor=colors.HexColor(s.fill)))
        else:
            drawing.add(shapes.String(s.x, flip - s.y, s.text, fontSize=s.size,
                                      fontName=SERIF_BOLD if s.bold else SERIF,
                                      textAnchor=s.anchor, fillColor=colors.HexColor(s.fill)))
    return drawing


def to_png(chart: Chart, scale: float = 4.0) -> bytes:
    """The chart as PNG bytes, scale pixels per point."""
    paths, _ = static_serif_files()
    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(paths[SERIF_BOLD if bold else SERIF]),
                                            round(size * scale))
        return fonts[key]

    def px(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for s in chart.shapes:
        if isinstance(s, Rect):
            draw.rectangle((*px(s.x, s.y), *px(s.x + s.w, s.y + s.h)), fill=s.fill)
        elif isinstance(s, Line):
            points = [px(x, y) for x, y in s.points]
            width = max(1, round(s.width * scale))
            if s.dashed:
                for (x1, y1), (x2, y2) in pairwise(points):
                    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
                    step = 6 * scale
                    count = max(1, int(length // step))
                    for i in range(count):
                        a, b = i / count, min(1.0, (i + 0.66) / count)
                        draw.line((x1 + (x2 - x1) * a, y1 + (y2 - y1) * a,
                                   x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                                  fill=s.stroke, width=width)
            else:
                draw.line(points, fill=s.stroke, width=width, joint="curve")
        elif isinstance(s, Dot):
            x, y = px(s.x, s.y)
            r = s.r * scale
            draw.ellipse((x - r, y - r, x + r, y + r), fill=s.fill)
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text(px(s.x, s.y), s.text, font=font(s.size, s.bold), fill=s.fill,
                      anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

"""Reading PDFs back in tests: text per page, text near the top edge, fonts and images used."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def reader(data: bytes) -> PdfReader:
    """A pypdf reader over PDF bytes."""
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in reader(data).pages]


def flat(text: str) -> str:
    """Text with every run of white space (line breaks from wrapping too) as one space."""
    return " ".join(text.replace("\u00a0", " ").split())


def top_texts(data: bytes, band_mm: float = 18) -> list[list[str]]:
    """For each page, the non-blank strings drawn within band_mm of the top edge."""
    result = []
    for page in reader(data).pages:
        height = float(page.mediabox.height)
        found: list[str] = []

        def visit(text, cm, tm, font_dict, font_size, found=found, height=height):
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if text.strip() and y > height - band_mm * 72 / 25.4:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        result.append(found)
    return result


def _resources(resources: DictionaryObject | None, seen: set[int]):
    if resources is None:
        return
    yield resources
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if obj.get("/Subtype") == "/Form":
            yield from _resources(obj.get("/Resources"), seen)


def fonts_and_images(data: bytes) -> tuple[set[str], set[bool], int]:
    """Base font names used by pages and forms, whether each has an embedded file, image count."""
    names: set[str] = set()
    embedded: set[bool] = set()
    images = 0
    seen: set[int] = set()
    for page in reader(data).pages:
        for resources in _resources(page.get("/Resources"), seen):
            resources = resources.get_object()
            for ref in resources.get("/Font", {}).values():
                font = ref.get_object()
                names.add(str(font["/BaseFont"]))
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get_object().get("/FontDescriptor")
                    embedded.add(descriptor is not None
                                 and "/FontFile2" in descriptor.get_object())
            for ref in resources.get("/XObject", {}).values():
                if ref.get_object().get("/Subtype") == "/Image":
                    images += 1
    return names, embedded, images


def require(tool: str) -> str:
    """The path of an external tool, or a skip when it is not installed."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def render_png(data: bytes, dpi: int = 150) -> list[Path]:
    """Render every page with pdftoppm and return the PNG files (in a fresh temp folder)."""
    tool = require("pdftoppm")
    folder = Path(tempfile.mkdtemp(prefix="registry-pdf-"))
    source = folder / "in.pdf"
    source.write_bytes(data)
    subprocess.run([tool, "-r", str(dpi), "-png", str(source), str(folder / "page")],
                   check=True, capture_output=True, timeout=120)
    return sorted(folder.glob("page*.png"))


def word_boxes(data: bytes) -> list[tuple[str, float, float, float, float]]:
    """Words of the first page with their boxes in points (xMin, yMin, xMax, yMax, from top)."""
    tool = require("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        html = subprocess.run([tool, "-bbox", "-f", "1", "-l", "1", str(source), "-"],
                              check=True, capture_output=True, timeout=60, text=True).stdout
    root = ElementTree.fromstring(html)
    words = []
    for element in root.iter():
        if element.tag.endswith("word"):
            box = tuple(float(element.get(key)) for key in ("xMin", "yMin", "xMax", "yMax"))
            words.append((element.text or "", *box))
    return words

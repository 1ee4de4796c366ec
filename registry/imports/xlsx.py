"""Streaming reader of .xlsx worksheets with flat memory.

python-calamine loads a whole worksheet into memory before its iter_rows() starts (measured:
about 1 KB per 10-cell row, so a million rows need a gigabyte), so .xlsx sheets are read here
with expat straight from the zip member, a few hundred rows at a time. Only the shared-string
table (one entry per distinct text) is held in memory, as Excel itself does.

Values follow python-calamine's conventions: text as str, numbers as int or float, booleans,
and date-formatted numbers as date, datetime or time.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

from registry.imports.cells import excel_serial_to_datetime

_CHUNK = 1 << 16
_WORKSHEET_TYPE = "/worksheet"
#: Built-in number formats that show a date or a time (ECMA-376 18.8.30, plus East Asian ids).
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f(?:\s[^>]*?)?(?:/>|>([^<]{0,12}))")
_CONSTANT_FORMULAS = {b"TRUE()", b"FALSE()"}
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]+[0-9]+)"')
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_COLUMN = re.compile(r"[A-Z]+")


@dataclass(frozen=True)
class XlsxSheet:
    """A worksheet listed in workbook.xml."""

    name: str
    hidden: bool
    path: str


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(element: ElementTree.Element, local: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value
    return None


def is_date_format(code: str) -> bool:
    """Whether an Excel number format code shows a date or time (d, m, y, h or s outside quotes)."""
    stripped = _FORMAT_NOISE.sub("", code.split(";")[0]).lower()
    elapsed = re.search(r"\[(h+|m+|s+)\]", code.lower())
    return bool(elapsed) or any(ch in stripped for ch in "dmyhs")


def column_index(ref: str) -> int:
    """Zero-based column of a cell reference: "A1" gives 0, "AB7" gives 27."""
    index = 0
    for ch in _COLUMN.match(ref).group():  # type: ignore[union-attr]
        index = index * 26 + ord(ch) - 64
    return index - 1


def _unescape(text: str) -> str:
    if "_x" in text:
        return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


class XlsxBook:
    """The sheets of an .xlsx package and a streaming reader for each."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        names = set(archive.namelist())
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = self._relationships("xl/_rels/workbook.xml.rels", names)
        self.date1904 = any(
            _local(e.tag) == "workbookPr" and e.get("date1904") in ("1", "true")
            for e in workbook.iter()
        )
        self.sheets: list[XlsxSheet] = []
        for element in workbook.iter():
            if _local(element.tag) != "sheet":
                continue
            target, kind = rels.get(_attr(element, "id") or "", ("", ""))
            if kind.endswith(_WORKSHEET_TYPE) and target in names:
                hidden = element.get("state", "visible") != "visible"
                self.sheets.append(XlsxSheet(element.get("name", ""), hidden, target))
        by_type = {kind.rpartition("/")[2]: target for target, kind in rels.values()}
        shared_path = by_type.get("sharedStrings")
        self._shared_path = shared_path if shared_path in names else None
        styles_path = by_type.get("styles")
        self.date_styles = self._date_styles(styles_path) if styles_path in names else set()
        self._shared: list[str] | None = None

    def _relationships(self, path: str, names: set[str]) -> dict[str, tuple[str, str]]:
        if path not in names:
            return {}
        base = posixpath.dirname(posixpath.dirname(path))
        result = {}
        for element in ElementTree.fromstring(self.archive.read(path)):
            target = element.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(base, target))
            result[element.get("Id", "")] = (target, element.get("Type", ""))
        return result

    def _date_styles(self, path: str) -> set[int]:
        root = ElementTree.fromstring(self.archive.read(path))
        custom: dict[int, str] = {}
        formats: list[int] = []
        for element in root:
            if _local(element.tag) == "numFmts":
                for fmt in element:
                    custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
            elif _local(element.tag) == "cellXfs":
                formats = [int(xf.get("numFmtId", "0")) for xf in element]
        return {
            index
            for index, number in enumerate(formats)
            if (number in custom and is_date_format(custom[number]))
            or (number not in custom and number in _BUILTIN_DATE_FORMATS)
        }

    def shared_strings(self) -> list[str]:
        """The shared-string table, read once."""
        if self._shared is None:
            self._shared = [] if self._shared_path is None else _read_shared(
                self.archive, self._shared_path
            )
        return self._shared

    def find_formula(self, sheet: XlsxSheet) -> str | None:
        """The reference of the first cell with a formula ("" if unknown), or None if none."""
        tail = b""
        with self.archive.open(sheet.path) as stream:
            while chunk := stream.read(_CHUNK):
                data = tail + chunk
                # Cell formulas live in sheetData; <xm:f> after it belongs to data validation
                # or conditional formatting in extLst and is not a cell formula.
                end = _SHEET_DATA_END.search(data)
                for match in _FORMULA.finditer(data, 0, end.start() if end else len(data)):
                    if match.group(1) in _CONSTANT_FORMULAS:
                        continue  # LibreOffice stores TRUE and FALSE cells as TRUE()/FALSE()
                    refs = _CELL_REF.findall(data, 0, match.start())
                    return refs[-1].decode() if refs else ""
                if end:
                    return None
                tail = data[-512:]
        return None

    def iter_rows(self, sheet: XlsxSheet) -> Iterator[tuple[int, list]]:
        """(row number, cell values) for each row element, in sheet order; values untrimmed."""
        shared = self.shared_strings()
        with self.archive.open(sheet.path) as stream:
            first = stream.read(_CHUNK)
            match = _ROOT_PREFIX.search(first)
            prefix = match.group(1).decode() if match and match.group(1) else ""
            reader = _SheetParser(prefix, shared, self.date_styles, self.date1904)
            chunk = first
            while chunk:
                reader.parser.Parse(chunk, False)
                if reader.done:
                    yield from reader.done
                    reader.done = []
                chunk = stream.read(_CHUNK)
            reader.parser.Parse(b"", True)
            yield from reader.done


def _read_shared(archive: zipfile.ZipFile, path: str) -> list[str]:
    strings: list[str] = []
    parts: list[str] = []
    depth = {"rph": 0, "t": False}

    def start(name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "t":
            depth["t"] = True
        elif local == "si":
            parts.clear()
        elif local == "rPh":
            depth["rph"] += 1

    def end(name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "t":
            depth["t"] = False
        elif local == "si":
            strings.append(_unescape("".join(parts)))
        elif local == "rPh":
            depth["rph"] -= 1

    def data(text: str) -> None:
        if depth["t"] and not depth["rph"]:
            parts.append(text)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    with archive.open(path) as stream:
        parser.ParseFile(stream)
    return strings


class _SheetParser:
    """expat callbacks turning <row>/<c> elements into lists of values."""

    def __init__(self, prefix: str, shared: list[str], date_styles: set[int],
                 date1904: bool) -> None:
        self.done: list[tuple[int, list]] = []
        self.shared = shared
        self.date_styles = date_styles
        self.date1904 = date1904
        self.names = {prefix + n: n for n in ("row", "c", "v", "t", "is", "rPh")}
        self.row: list = []
        self.row_number = 0
        self.column = -1
        self.kind: str | None = None
        self.style = -1
        self.text: list[str] = []
        self.collecting = False
        self.phonetic = False
        self.value: object = ""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        self.parser = parser

    def start(self, name: str, attrs: dict) -> None:
        local = self.names.get(name)
        if local == "c":
            ref = attrs.get("r")
            self.column = column_index(ref) if ref else self.column + 1
            self.kind = attrs.get("t")
            style = attrs.get("s")
            self.style = int(style) if style else 0
            self.value = ""
        elif local == "v" or (local == "t" and not self.phonetic):
            self.collecting = True
        elif local == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.row = []
            self.column = -1
        elif local == "is":
            self.text = []
        elif local == "rPh":
            self.phonetic = True

    def end(self, name: str) -> None:
        local = self.names.get(name)
        if local == "c":
            row = self.row
            if self.value != "":
                gap = self.column - len(row)
                if gap > 0:
                    row.extend([""] * gap)
                row.append(self.value)
        elif local == "v":
            self.collecting = False
            self.value = self._convert("".join(self.text))
            self.text = []
        elif local == "t":
            self.collecting = False
        elif local == "is":
            self.value = _unescape("".join(self.text))
            self.text = []
        elif local == "row":
            self.done.append((self.row_number, self.row))
        elif local == "rPh":
            self.phonetic = False

    def data(self, text: str) -> None:
        if self.collecting:
            self.text.append(text)

    def _convert(self, raw: str) -> object:
        kind = self.kind
        if kind is None or kind == "n":
            if not raw:
                return ""
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
            if self.style in self.date_styles:
                return _date_value(number, self.date1904)
            return number
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            return _iso_value(raw)
        return _unescape(raw)


def _date_value(number: float, date1904: bool) -> object:
    moment = excel_serial_to_datetime(number, date1904)
    if moment is None:
        return number
    if number < 1:
        return moment.time()
    if moment.time() == dt.time(0):
        return moment.date()
    return moment


def _iso_value(raw: str) -> object:
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return moment.date() if moment.time() == dt.time(0) and "T" not in raw else moment

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
_SHEET_DATA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?:\s[^>]*)?/?>")
_ROOT_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?worksheet)[\s>][^>]*>")
#: A cell as Excel, LibreOffice, openpyxl and xlsxwriter write it: reference, style and type in
#: this order, then a <v> or an inline string of one <t> (groups: column letters, style, type,
#: value, inline text).
_CELL = (r'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
         r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)')
#: A row of such cells (groups: row number, cells).
_ROW = r'<row r="([0-9]+)"[^>]*?(?:/>|>((?:{})*)</row>)'.format(_CELL.replace("(", "(?:").replace(
    "(?:?:", "(?:"))
#: A batch made only of such rows is read with regular expressions; any other form (namespace
#: prefixes, rich text, phonetic guides, white space between tags…) goes through expat.
_SIMPLE_ROWS = re.compile(f"(?:{_ROW})*")
_ROWS = re.compile(_ROW)
_CELLS = re.compile(_CELL)
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
        """(row number, cell values) for each row element, in sheet order; values untrimmed.

        The sheet's XML is cut after a «</row>» into batches of a few hundred rows. A batch in
        the plain form every common writer uses (_SIMPLE_ROWS) is read with two regular
        expressions, a step per cell instead of five expat callbacks; any other batch goes,
        wrapped in the sheet's own root tag (for its namespaces), through expat (_SheetParser).
        """
        shared = self.shared_strings()
        cells = _CellReader(shared, self.date_styles, self.date1904)
        with self.archive.open(sheet.path) as stream:
            data = b""
            while not (opened := _SHEET_DATA_START.search(data)):
                chunk = stream.read(_CHUNK)
                if not chunk:
                    return
                data += chunk
            root = _ROOT_TAG.search(data, 0, opened.start())
            if root is None or opened.group(0).endswith(b"/>"):
                return
            head, tail = root.group(0), b"</" + root.group(1) + b">"
            row_end = b"</" + root.group(1)[: -len(b"worksheet")] + b"row>"
            prefix = root.group(1)[: -len(b"worksheet")].decode()
            data = data[opened.end():]
            finished = False
            while not finished:
                closed = _SHEET_DATA_END.search(data)
                if closed is not None:
                    batch, finished = data[:closed.start()], True
                elif chunk := stream.read(_CHUNK):
                    data += chunk
                    cut = data.rfind(row_end)
                    if cut < 0:
                        continue  # no whole row yet: read on
                    cut += len(row_end)
                    batch, data = data[:cut], data[cut:]
                else:
                    batch, finished = data, True
                if not batch.strip():
                    continue
                if not prefix:
                    try:
                        text = batch.decode("utf-8")  # a batch ends after «</row>»
                    except UnicodeDecodeError:
                        text = ""
                    if _SIMPLE_ROWS.fullmatch(text):
                        yield from cells.simple_rows(text)
                        continue
                parser = _SheetParser(prefix, cells)
                parser.row_number = cells.row_number
                try:
                    parser.parser.Parse(head + batch + tail, True)
                except expat.ExpatError:
                    if finished:
                        raise
                    # A «</row>» inside a comment cut a row in two: parse it with what follows.
                    data = batch + data
                    continue
                cells.row_number = parser.row_number
                yield from parser.done


_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _reference(match: re.Match) -> str:
    hexadecimal, decimal, name = match.groups()
    if hexadecimal:
        return chr(int(hexadecimal, 16))
    return chr(int(decimal)) if decimal else _ENTITIES[name]


def _xml_text(raw: str) -> str:
    """Character data with its XML entity and character references resolved."""
    return _ENTITY.sub(_reference, raw) if "&" in raw else raw


class _CellReader:
    """The rows of a batch in the plain form, as lists of values."""

    def __init__(self, shared: list[str], date_styles: set[int], date1904: bool) -> None:
        self.shared, self.date_styles, self.date1904 = shared, date_styles, date1904
        self.row_number = 0
        self.columns: dict[str, int] = {}

    def simple_rows(self, text: str) -> Iterator[tuple[int, list]]:
        """The rows of a batch written in the plain form (_SIMPLE_ROWS)."""
        columns, convert = self.columns, self.convert
        for number, cells in _ROWS.findall(text):
            values: list = []
            for letters, style, kind, raw, inline in _CELLS.findall(cells):
                if inline:
                    value: object = _unescape(_xml_text(inline))
                elif raw:
                    value = convert(kind or None, style, _xml_text(raw))
                    if value == "":
                        continue
                else:
                    continue
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index(letters)
                gap = column - len(values)
                if gap > 0:
                    values.extend([""] * gap)
                values.append(value)
            self.row_number = int(number)
            yield self.row_number, values

    def convert(self, kind: str | None, style: str | None, raw: str) -> object:
        if kind is None or kind == "n":
            if not raw:
                return ""
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
            if style and int(style) in self.date_styles:
                return _date_value(number, self.date1904)
            return number
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            return _iso_value(raw)
        return _unescape(raw)


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

    def __init__(self, prefix: str, cells: _CellReader) -> None:
        self.done: list[tuple[int, list]] = []
        self.cells = cells
        self.names = {prefix + n: n for n in ("row", "c", "v", "t", "is", "rPh")}
        self.row: list = []
        self.row_number = 0
        self.column = -1
        self.kind: str | None = None
        self.style: str | None = None
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
            self.style = attrs.get("s")
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
            self.value = self.cells.convert(self.kind, self.style, "".join(self.text))
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

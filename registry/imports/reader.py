"""Opening an uploaded spreadsheet: its real type, the checks that refuse it, its sheets, its rows.

The type comes from the file's first bytes, never from its name: an .xlsx or .xlsm is a zip with
xl/workbook.xml, an .ods a zip whose first member "mimetype" says so, an .xls an OLE2 compound
file with a Workbook stream, and anything else that reads as delimited text is CSV. Refused,
each with a Vietnamese message in SheetError: a file that is empty, too large, not a
spreadsheet, password-encrypted (Excel stores an encrypted .xlsx as an OLE2 file holding
EncryptionInfo and EncryptedPackage; an encrypted .xls has a FILEPASS record), holding macros,
or, when a sheet is read, holding formulas (their results are only a cache the importer cannot
trust, and files written by other programs often have none).

Rows stream with flat memory: .xlsx through registry.imports.xlsx, CSV through the csv module.
.xls (at most 65,536 rows) and .ods go through python-calamine, which loads the chosen sheet
whole. Formulas in .xls are found by walking the BIFF records of the Workbook stream
(python-calamine does not expose them), in .ods by scanning content.xml for table:formula.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum
from python_calamine import SheetVisibleEnum as Visible

from registry.imports import ole
from registry.imports.xlsx import XlsxBook

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
FORMAT_LABELS = {
    XLSX: "Excel (.xlsx)",
    XLS: "Excel 97–2003 (.xls)",
    ODS: "OpenDocument (.ods)",
    CSV: "CSV",
}
CSV_SHEET_NAME = "CSV"
NOTICE_CP1258 = "Tệp CSV mã hóa Windows-1258, đã chuyển sang Unicode."
NOTICE_MOJIBAKE = (
    "Tệp CSV có chữ tiếng Việt bị lỗi mã hóa (kiểu «Nguyá»…n VÄƒn»: chữ UTF-8 bị đọc nhầm "
    "theo Windows-1252 rồi lưu lại), đã sửa lại thành chữ đúng."
)
NOTICE_UTF16 = "Tệp văn bản Unicode (UTF-16) do Excel xuất, đã đọc theo dạng bảng phân cách tab."

MSG_EMPTY = "Tệp rỗng, không có dữ liệu."
MSG_NOT_SHEET = (
    "Tệp không phải là bảng tính. Hãy tải lên tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
    "hoặc CSV."
)
MSG_ENCRYPTED = (
    "Tệp được đặt mật khẩu (mã hóa) nên không đọc được. Hãy mở tệp bằng Excel, gỡ mật khẩu "
    "(Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu → xóa mật khẩu), lưu rồi "
    "tải lên lại."
)
MSG_MACROS = (
    "Tệp có macro (VBA). Vì lý do an toàn, hệ thống không nhận tệp có macro: hãy «Lưu thành» "
    "Sổ làm việc Excel (.xlsx) rồi tải lên lại."
)
MSG_HTML = (
    "Tệp này là trang web (HTML) mang đuôi Excel, không phải bảng tính thật. Hãy mở bằng Excel, "
    "«Lưu thành» Sổ làm việc Excel (.xlsx) rồi tải lên lại."
)
MSG_XML2003 = (
    "Tệp là bảng tính XML 2003 của Excel, định dạng cũ không được hỗ trợ. Hãy mở bằng Excel, "
    "«Lưu thành» Sổ làm việc Excel (.xlsx) rồi tải lên lại."
)
MSG_XLSB = (
    "Tệp Excel nhị phân (.xlsb) chưa được hỗ trợ. Hãy mở bằng Excel, «Lưu thành» Sổ làm việc "
    "Excel (.xlsx) rồi tải lên lại."
)
MSG_NO_DELIMITER = (
    "Tệp văn bản này không phải bảng tính CSV: không thấy dấu phân cách cột (dấu phẩy, dấu "
    "chấm phẩy hoặc tab)."
)
MSG_NO_SHEETS = "Tệp không có trang tính nào chứa dữ liệu dạng bảng."
_PASTE_VALUES = (
    "Hệ thống chỉ nhận giá trị, không tính công thức: hãy chọn cả trang, Sao chép rồi Dán đặc "
    "biệt → Chỉ dán giá trị (Paste Special → Values), lưu và tải lên lại."
)
_MAGIC_NAMES = (
    (b"\x89PNG", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF8", "ảnh GIF"),
    (b"%PDF", "tài liệu PDF"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf", "tệp nén 7-Zip"),
    (b"\x1f\x8b", "tệp nén gzip"),
)
_XLSX_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_SAMPLE = 1 << 16
_CHUNK = 1 << 20


class SheetError(Exception):
    """A file or sheet the importer refuses; message is the Vietnamese text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Row(NamedTuple):
    """A non-empty row: its 1-based number in the sheet and its cell values.

    Values are indexed by column from column A; trailing empty cells are dropped and an empty
    cell is "".
    """

    number: int
    values: list


@dataclass(frozen=True)
class SheetInfo:
    """A sheet the user can pick."""

    index: int
    name: str
    hidden: bool


def megabytes(size: int) -> str:
    """A size for messages, "12,5 MB"."""
    return f"{size / 1_000_000:.1f}".replace(".", ",") + " MB"


def tidy_row(values: list) -> list | None:
    """Values with whitespace-only text emptied and trailing empty cells dropped; None if empty."""
    end = len(values)
    try:
        spaces = any(map(str.isspace, values))  # the common case: all text (CSV), no blanks
    except TypeError:
        spaces = True  # numbers or dates among the values: look at each
    if spaces:
        for i, value in enumerate(values):
            if value.__class__ is str and value and value.isspace():
                values[i] = ""
    while end and (values[end - 1] == "" or values[end - 1] is None):
        end -= 1
    if not end:
        return None
    if end < len(values):
        del values[end:]
    return values


@dataclass
class Workbook:
    """An opened upload: format, sheets and notices; rows(sheet) streams a sheet's rows."""

    format: str
    sheets: list[SheetInfo]
    notices: list[str] = field(default_factory=list)
    _backend: _Backend | None = None
    _file: BinaryIO | None = None

    @property
    def default_sheet(self) -> SheetInfo:
        """The first visible sheet (the first sheet if all are hidden)."""
        return next((s for s in self.sheets if not s.hidden), self.sheets[0])

    def sheet(self, which: SheetInfo | int | str | None = None) -> SheetInfo:
        """A sheet by SheetInfo, index or name; None gives the default sheet."""
        if which is None:
            return self.default_sheet
        if isinstance(which, SheetInfo):
            which = which.index
        for sheet in self.sheets:
            if which == (sheet.index if isinstance(which, int) else sheet.name):
                return sheet
        raise SheetError(f"Không có trang tính «{which}» trong tệp.")

    def rows(self, which: SheetInfo | int | str | None = None) -> Iterator[Row]:
        """Stream the non-empty rows of a sheet, refusing a sheet with formulas first."""
        sheet = self.sheet(which)
        assert self._backend is not None
        self._backend.check(sheet)
        for number, values in self._backend.rows(sheet):
            tidy = tidy_row(values)
            if tidy is not None:
                yield Row(number, tidy)

    def row_estimate(self, which: SheetInfo | int | str | None = None) -> int | None:
        """About how many rows the sheet has (empty rows included), for progress bars."""
        assert self._backend is not None
        return self._backend.row_estimate(self.sheet(which))

    def close(self) -> None:
        """Release the file (only when this object opened it)."""
        if self._backend is not None:
            self._backend.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Backend(ABC):
    """One file format's way to check and stream a sheet."""

    def check(self, sheet: SheetInfo) -> None:  # noqa: B027 (optional hook, nothing by default)
        """Raise SheetError if the sheet cannot be imported."""

    @abstractmethod
    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list]]:
        """(row number, values) for the sheet's rows."""

    def row_estimate(self, sheet: SheetInfo) -> int | None:
        """About how many rows the sheet has, or None if unknown."""
        return None

    def close(self) -> None:  # noqa: B027 (optional hook, nothing by default)
        """Free what the backend holds."""


def open_workbook(source: str | os.PathLike | BinaryIO, *, max_bytes: int) -> Workbook:
    """Open an upload from a path or a binary file, refusing it with SheetError if need be."""
    owned = isinstance(source, str | os.PathLike)
    file: BinaryIO = open(source, "rb") if owned else source  # noqa: SIM115
    if not owned and not file.seekable():
        file = _spool(file, max_bytes)
        owned = True
    try:
        workbook = _open(file, max_bytes)
    except BaseException:
        if owned:
            file.close()
        raise
    if owned:
        workbook._file = file
    return workbook


def _spool(stream: BinaryIO, max_bytes: int) -> BinaryIO:
    copy = tempfile.TemporaryFile()  # noqa: SIM115
    shutil.copyfileobj(io.BufferedReader(_Limited(stream, max_bytes + 1)), copy)
    copy.seek(0)
    return copy


class _Limited(io.RawIOBase):
    """A stream that stops after a number of bytes (to copy an upload up to the limit + 1)."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.stream.read(min(len(buffer), self.left)) if self.left else b""
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


def _open(file: BinaryIO, max_bytes: int) -> Workbook:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size == 0:
        raise SheetError(MSG_EMPTY)
    if size > max_bytes:
        raise SheetError(
            f"Tệp quá lớn ({megabytes(size)}); giới hạn là {megabytes(max_bytes)}. Hãy chia "
            "thành nhiều tệp nhỏ hơn."
        )
    head = file.read(_SAMPLE)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _open_zip(file)
    if head.startswith(ole.MAGIC):
        return _open_ole(file)
    for magic, name in _MAGIC_NAMES:
        if head.startswith(magic):
            raise SheetError(f"{MSG_NOT_SHEET} (Tệp đã chọn là {name}.)")
    return _open_text(file, head)


# --- zip: xlsx, xlsm, ods ---------------------------------------------------------------------


def _open_zip(file: BinaryIO) -> Workbook:
    try:
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
        if "mimetype" in names:
            mime = archive.read("mimetype").strip()
            if mime == _ODS_MIME:
                if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                    raise SheetError(MSG_MACROS)
                return _open_calamine(file, ODS, archive)
            raise SheetError(MSG_NOT_SHEET)
        if "xl/workbook.bin" in names:
            raise SheetError(MSG_XLSB)
        if "xl/workbook.xml" not in names:
            raise SheetError(MSG_NOT_SHEET)
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names \
            else b""
        if any(n.lower().endswith("vbaproject.bin") for n in names) \
                or b"macroEnabled" in content_types:
            raise SheetError(MSG_MACROS)
        book = XlsxBook(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise SheetError(_damaged(XLSX)) from exc
    sheets = [SheetInfo(i, s.name, s.hidden) for i, s in enumerate(book.sheets)]
    if not sheets:
        raise SheetError(MSG_NO_SHEETS)
    return Workbook(XLSX, sheets, _backend=_XlsxBackend(book))


def _damaged(fmt: str) -> str:
    return f"Tệp bị hỏng hoặc không đọc được như tệp {FORMAT_LABELS[fmt]}."


def _formula_message(sheet: SheetInfo, ref: str = "") -> str:
    where = f" ở ô {ref}" if ref else ""
    return f"Trang «{sheet.name}» có công thức{where}. {_PASTE_VALUES}"


class _XlsxBackend(_Backend):
    def __init__(self, book: XlsxBook) -> None:
        self.book = book
        self.checked: set[int] = set()

    def check(self, sheet: SheetInfo) -> None:
        if sheet.index in self.checked:
            return
        ref = self.book.find_formula(self.book.sheets[sheet.index])
        if ref is not None:
            raise SheetError(_formula_message(sheet, ref))
        self.checked.add(sheet.index)

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list]]:
        return self.book.iter_rows(self.book.sheets[sheet.index])

    def row_estimate(self, sheet: SheetInfo) -> int | None:
        count, tail = 0, b""
        with self.book.archive.open(self.book.sheets[sheet.index].path) as stream:
            while chunk := stream.read(_CHUNK):
                data = tail + chunk
                count += len(_XLSX_ROW.findall(data, 0, len(data) - 8))
                tail = data[-8:]
        return count

    def close(self) -> None:
        self.book.archive.close()


# --- OLE2: xls, encrypted Office files --------------------------------------------------------


def _open_ole(file: BinaryIO) -> Workbook:
    try:
        compound = ole.OleFile(file)
    except ole.OleError as exc:
        raise SheetError(_damaged(XLS)) from exc
    names = {name.lower() for name in compound.names()}
    if {"encryptioninfo", "encryptedpackage"} & names:
        raise SheetError(MSG_ENCRYPTED)
    if any(name.startswith("_vba_project_cur") for name in names):
        raise SheetError(MSG_MACROS)
    stream = compound.find("Workbook", "Book")
    if stream is None:
        raise SheetError(MSG_NOT_SHEET)
    try:
        summary = ole.scan_biff(compound.iter_stream(stream))
    except ole.OleError as exc:
        raise SheetError(_damaged(XLS)) from exc
    if summary.encrypted:
        raise SheetError(MSG_ENCRYPTED)
    file.seek(0)
    return _open_calamine(file, XLS, None, summary)


def _open_calamine(
    file: BinaryIO, fmt: str, archive: zipfile.ZipFile | None,
    summary: ole.BiffSummary | None = None,
) -> Workbook:
    file.seek(0)
    try:
        book = CalamineWorkbook.from_filelike(file)
    except PasswordError as exc:
        raise SheetError(MSG_ENCRYPTED) from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise SheetError(_damaged(fmt)) from exc
    positions = []
    sheets = []
    for position, meta in enumerate(book.sheets_metadata):
        if meta.typ == SheetTypeEnum.WorkSheet:
            sheets.append(SheetInfo(len(sheets), meta.name, meta.visible != Visible.Visible))
            positions.append(position)
    if not sheets:
        book.close()
        raise SheetError(MSG_NO_SHEETS)
    backend = _CalamineBackend(book, fmt, positions, archive, summary)
    return Workbook(fmt, sheets, _backend=backend)


_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_FORMULA = re.compile(rb'\btable:formula="([^"]{0,40})')
_ODS_CONSTANTS = {b"of:=TRUE()", b"of:=FALSE()"}


class _CalamineBackend(_Backend):
    def __init__(
        self, book: CalamineWorkbook, fmt: str, positions: list[int],
        archive: zipfile.ZipFile | None, summary: ole.BiffSummary | None,
    ) -> None:
        self.book, self.fmt, self.positions = book, fmt, positions
        self.archive, self.summary = archive, summary
        self._ods_formula_sheets: set[str] | None = None

    def check(self, sheet: SheetInfo) -> None:
        if self.summary is not None:
            formulas = self.summary.formula_sheets
            if self.positions[sheet.index] in formulas or (
                -1 in formulas and self.summary.sheet_count != len(self.book.sheets_metadata)
            ):
                raise SheetError(_formula_message(sheet))
        if self.archive is not None:
            if self._ods_formula_sheets is None:
                self._ods_formula_sheets = self._scan_ods()
            if sheet.name in self._ods_formula_sheets:
                raise SheetError(_formula_message(sheet))

    def _scan_ods(self) -> set[str]:
        """Names of the sheets whose cells carry table:formula (TRUE() and FALSE() aside)."""
        assert self.archive is not None
        found: set[str] = set()
        current = ""
        tail = b""
        with self.archive.open("content.xml") as stream:
            while True:
                chunk = stream.read(_CHUNK)
                data = tail + chunk
                # A tag cut by the chunk's end is found again in the next round.
                cut = max(0, len(data) - 1024) if chunk else len(data)
                events = sorted(
                    [(m.start(), m, True) for m in _ODS_TABLE.finditer(data, 0, cut)]
                    + [(m.start(), m, False) for m in _ODS_FORMULA.finditer(data, 0, cut)],
                    key=lambda event: event[0],
                )
                for _, match, is_table in events:
                    if is_table:
                        current = html.unescape(match.group(1).decode("utf-8", "replace"))
                    elif match.group(1) not in _ODS_CONSTANTS:
                        found.add(current)
                if not chunk:
                    return found
                tail = data[cut:]

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list]]:
        data = self.book.get_sheet_by_index(self.positions[sheet.index])
        start, end = data.start, data.end
        if start is None or end is None:
            return
        # iter_rows() starts at row 1 but at the first used column (checked with 0.9.1); put
        # the columns back where they are so indexes match the letters users see.
        padding = [""] * start[1]
        for offset, values in enumerate(data.iter_rows()):
            yield offset + 1, padding + values

    def row_estimate(self, sheet: SheetInfo) -> int | None:
        return self.book.get_sheet_by_index(self.positions[sheet.index]).height

    def close(self) -> None:
        self.book.close()
        if self.archive is not None:
            self.archive.close()


# --- text: CSV ----------------------------------------------------------------------------------

_CP1252_BACK = {
    ord(ch): byte
    for byte in range(0x80, 0xA0)
    if (ch := bytes([byte]).decode("cp1252", errors="ignore"))
}


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Windows-1252 ("Nguyá»…n" → "Nguyễn"); other text is returned."""
    if text.isascii():
        return text
    try:
        return text.translate(_CP1252_BACK).encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _open_text(file: BinaryIO, head: bytes) -> Workbook:
    notices: list[str] = []
    repair = False
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        notices.append(NOTICE_UTF16)
    elif b"\0" in head:
        raise SheetError(MSG_NOT_SHEET)
    elif _is_utf8(file):
        encoding = "utf-8"
    else:
        encoding = "cp1258"
        notices.append(NOTICE_CP1258)
    sample = codecs.getincrementaldecoder(encoding)("replace").decode(head)
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n\f\x1a") or ch == "\ufffd")
    if controls > len(sample) // 200:
        raise SheetError(MSG_NOT_SHEET)
    lowered = sample[:2048].lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta")):
        raise SheetError(MSG_HTML)
    if lowered.startswith("<?xml"):
        raise SheetError(MSG_XML2003 if "urn:schemas-microsoft-com:office:spreadsheet"
                         in sample else MSG_NOT_SHEET)
    lines = sample.splitlines(keepends=True)
    if len(head) == _SAMPLE and len(lines) > 1:
        lines.pop()  # the sample may cut the last line
    if encoding.startswith("utf-8") and any(repair_mojibake(line) != line for line in lines):
        repair = True
        notices.append(NOTICE_MOJIBAKE)
        lines = [repair_mojibake(line) for line in lines]
    delimiter = _detect_delimiter(lines)
    if delimiter is None:
        raise SheetError(MSG_NO_DELIMITER)
    backend = _CsvBackend(file, encoding, delimiter, repair)
    return Workbook(CSV, [SheetInfo(0, CSV_SHEET_NAME, False)], notices, _backend=backend)


def _is_utf8(file: BinaryIO) -> bool:
    """Whether the whole file decodes as UTF-8 (read in chunks, so memory stays flat)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def _detect_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits most sample rows into the same number (above one) of fields."""
    best, best_score = None, (0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        width, rows = Counter(counts).most_common(1)[0]
        score = (rows, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _CsvBackend(_Backend):
    def __init__(self, file: BinaryIO, encoding: str, delimiter: str, repair: bool) -> None:
        self.file, self.encoding, self.delimiter, self.repair = file, encoding, delimiter, repair

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list]]:
        text = io.TextIOWrapper(
            io.BufferedReader(_Cursor(self.file), _CHUNK),
            encoding=self.encoding, errors="replace", newline="",
        )
        lines: Iterator[str] = text
        if self.encoding == "cp1258":
            lines = (unicodedata.normalize("NFC", line) for line in text)
        elif self.repair:
            lines = (repair_mojibake(line) for line in text)
        try:
            yield from enumerate(csv.reader(lines, delimiter=self.delimiter), 1)
        except csv.Error as exc:
            raise SheetError(f"Tệp CSV bị lỗi cấu trúc: {exc}.") from exc


    def row_estimate(self, sheet: SheetInfo) -> int | None:
        count = 0
        cursor = _Cursor(self.file)
        buffer = bytearray(_CHUNK)
        while size := cursor.readinto(buffer):
            count += buffer.count(b"\n", 0, size)
        return count


class _Cursor(io.RawIOBase):
    """A read position of its own in the shared upload, so several row streams can be open at
    once (records and the rejected-rows file); closing it leaves the upload open."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        self.file.seek(self.position)
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

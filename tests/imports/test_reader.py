"""Opening uploads: type by content, refusals with Vietnamese messages, sheets, streamed rows."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import re
import tempfile
import zipfile

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from registry.imports import reader, xlsx
from registry.imports.reader import Row, SheetError, open_workbook, repair_mojibake
from tests.imports.builders import (
    cp1258_bytes,
    ods_bytes,
    ole_bytes,
    with_filepass,
    xls_bytes,
    xls_workbook_stream,
    xlsx_bytes,
)

LIMIT = 5_000_000
HEADER = ["Họ và tên", "Số CCCD", "Ngày sinh"]


def open_bytes(data: bytes, limit: int = LIMIT) -> reader.Workbook:
    """Open bytes as an upload would arrive (a binary file object)."""
    return open_workbook(io.BytesIO(data), max_bytes=limit)


def refusal(data: bytes, limit: int = LIMIT) -> str:
    """The message an upload is refused with."""
    with pytest.raises(SheetError) as caught:
        open_bytes(data, limit)
    return caught.value.message


def rows_of(data: bytes, sheet: object = None) -> list[Row]:
    """All rows of a sheet."""
    with open_bytes(data) as book:
        return list(book.rows(sheet))


# --- type detection and refusals --------------------------------------------------------------


def test_png_is_refused_and_named():
    """PNG bytes are refused as not a spreadsheet, saying it is an image."""
    message = refusal(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    assert "không phải là bảng tính" in message and "ảnh PNG" in message


def test_random_bytes_are_refused():
    """Random binary data is refused as not a spreadsheet."""
    assert "không phải là bảng tính" in refusal(os.urandom(4000))


def test_prose_text_is_refused():
    """Plain text without column delimiters is refused as not CSV."""
    text = "Kính gửi Công đoàn xã\nĐây là một lá thư\nkhông phải bảng tính\n" * 5
    assert "không thấy dấu phân cách cột" in refusal(text.encode())


def test_empty_file_is_refused():
    """A zero-byte upload is refused as empty."""
    assert refusal(b"") == reader.MSG_EMPTY


def test_file_over_the_limit_is_refused_with_sizes():
    """A file larger than max_bytes is refused, naming its size and the limit."""
    message = refusal(xlsx_bytes([HEADER]), limit=1000)
    assert message.startswith("Tệp quá lớn (") and "giới hạn là 0,0 MB" in message


def test_non_seekable_stream_over_the_limit_is_refused():
    """An unseekable upload is spooled only up to the limit and then refused."""

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = io.BytesIO(b"a;b\n" * 10_000)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    with pytest.raises(SheetError, match="Tệp quá lớn"):
        open_workbook(Pipe(), max_bytes=1000)
    with open_workbook(Pipe(), max_bytes=LIMIT) as book:
        assert sum(1 for _ in book.rows()) == 10_000


def test_encrypted_ooxml_container_is_refused():
    """An OLE2 file with EncryptionInfo and EncryptedPackage (encrypted .xlsx) is refused."""
    data = ole_bytes({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 8})
    assert refusal(data) == reader.MSG_ENCRYPTED


def test_xls_with_filepass_is_refused_as_encrypted():
    """An .xls whose Workbook stream has a FILEPASS record is refused as encrypted."""
    stream = with_filepass(xls_workbook_stream(xls_bytes([HEADER])))
    assert refusal(ole_bytes({"Workbook": stream})) == reader.MSG_ENCRYPTED


def test_xls_with_vba_storage_is_refused():
    """An .xls holding a _VBA_PROJECT_CUR storage is refused for its macros."""
    stream = xls_workbook_stream(xls_bytes([HEADER]))
    data = ole_bytes({"Workbook": stream, "_VBA_PROJECT_CUR/VBA/dir": b"\x01",
                      "_VBA_PROJECT_CUR/PROJECT": b"ID=1"})
    assert refusal(data) == reader.MSG_MACROS


def test_ole_without_workbook_is_not_a_spreadsheet():
    """An OLE2 file without a Workbook stream (e.g. an old Word file) is refused."""
    assert refusal(ole_bytes({"WordDocument": b"\x00" * 10})) == reader.MSG_NOT_SHEET


def _xlsm(with_vba_part: bool) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml" and not with_vba_part:
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                )
            target.writestr(item, data)
        if with_vba_part:
            target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return output.getvalue()


@pytest.mark.parametrize("with_vba_part", [True, False], ids=["vbaProject.bin", "content-type"])
def test_xlsm_is_refused(with_vba_part):
    """A macro-enabled workbook is refused, found by its VBA part or its content type."""
    assert refusal(_xlsm(with_vba_part)) == reader.MSG_MACROS


def test_ods_with_basic_macros_is_refused():
    """An .ods carrying a Basic/ library is refused for its macros."""
    assert refusal(ods_bytes([("A", [HEADER], False)], macros=True)) == reader.MSG_MACROS


def test_docx_like_zip_is_not_a_spreadsheet():
    """A zip that is not a workbook (a Word document) is refused."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(output.getvalue()) == reader.MSG_NOT_SHEET


def test_damaged_xlsx_is_refused():
    """A truncated .xlsx is refused as damaged."""
    data = xlsx_bytes([HEADER])
    assert refusal(data[: len(data) // 2]) == reader._damaged(reader.XLSX)


def test_html_disguised_as_xls_is_explained():
    """An HTML table saved with an .xls name gets a message telling how to fix it."""
    data = b"<html><body><table><tr><td>H\xe1\xbb\x8d t\xc3\xaan</td></tr></table></body></html>"
    assert refusal(data) == reader.MSG_HTML


def test_xlsb_is_refused_with_advice():
    """A binary .xlsb workbook is refused with the advice to save as .xlsx."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x00")
    assert refusal(output.getvalue()) == reader.MSG_XLSB


def test_type_comes_from_content_not_name(tmp_path):
    """An .xlsx saved under a .csv name is read as xlsx."""
    path = tmp_path / "danh_sach.csv"
    path.write_bytes(xlsx_bytes([HEADER, ["An", "038090000001", "1990"]]))
    with open_workbook(path, max_bytes=LIMIT) as book:
        assert book.format == reader.XLSX
        assert [r.values for r in book.rows()][1] == ["An", "038090000001", "1990"]


# --- formulas ---------------------------------------------------------------------------------


def test_xlsx_formula_is_refused_naming_the_cell():
    """A formula in the chosen .xlsx sheet is refused, naming the sheet and the cell."""
    data = xlsx_bytes([HEADER, ["An", "038090000001", "=1+2"]])
    with open_bytes(data) as book, pytest.raises(SheetError) as caught:
        next(book.rows())
    assert caught.value.message.startswith("Trang «Danh sách» có công thức ở ô C2.")


def test_xlsx_formula_in_another_sheet_does_not_block_this_one():
    """Only the chosen sheet is checked for formulas."""
    data = xlsx_bytes([HEADER], extra={"Tổng hợp": [["=SUM(1,2)"]]})
    with open_bytes(data) as book:
        assert [r.values for r in book.rows("Danh sách")] == [HEADER]
        with pytest.raises(SheetError, match="Trang «Tổng hợp» có công thức"):
            list(book.rows("Tổng hợp"))


def test_xlsx_text_that_looks_like_a_formula_tag_is_not_one():
    """Text such as "<f>" inside a cell (escaped in the XML) is not taken for a formula."""
    data = xlsx_bytes([HEADER, ["<f>", "<f x>", "038090000001"]])
    assert rows_of(data)[1].values == ["<f>", "<f x>", "038090000001"]


def test_xls_formula_is_refused():
    """A FORMULA record in an .xls sheet is found by walking its BIFF records."""
    data = xls_bytes([HEADER, ["An", "038090000001"]], formula_at=(1, 2))
    with open_bytes(data) as book, pytest.raises(SheetError, match="có công thức"):
        list(book.rows())


def test_ods_formula_is_refused():
    """A table:formula attribute in the chosen .ods sheet is refused."""
    data = ods_bytes([("Danh sách", [HEADER], False), ("Khác", [["x"]], False)], formula=True)
    with open_bytes(data) as book:
        with pytest.raises(SheetError, match="Trang «Danh sách» có công thức"):
            list(book.rows(0))
        assert [r.values for r in book.rows(1)] == [["x"]]


# --- sheets and rows --------------------------------------------------------------------------


def test_xlsx_hidden_sheets_are_listed_as_hidden_and_default_is_first_visible():
    """Hidden sheets are listed with hidden=True; the default sheet is the first visible one."""
    book = openpyxl.Workbook()
    book.active.title = "Ẩn trước"
    book.active.sheet_state = "hidden"
    book.create_sheet("Rất ẩn").sheet_state = "veryHidden"
    book.create_sheet("Dữ liệu").append(HEADER)
    output = io.BytesIO()
    book.save(output)
    with open_bytes(output.getvalue()) as opened:
        assert [(s.name, s.hidden) for s in opened.sheets] == [
            ("Ẩn trước", True), ("Rất ẩn", True), ("Dữ liệu", False)]
        assert opened.default_sheet.name == "Dữ liệu"
        expected = CalamineWorkbook.from_filelike(io.BytesIO(output.getvalue())).sheet_names
        assert [s.name for s in opened.sheets] == expected


def test_xls_hidden_sheet_is_listed_as_hidden():
    """An .xls hidden sheet is listed as hidden."""
    with open_bytes(xls_bytes([HEADER], hidden={"Ẩn": [["a"]]})) as book:
        assert [(s.name, s.hidden) for s in book.sheets] == [("Danh sách", False), ("Ẩn", True)]
        assert [r.values for r in book.rows("Ẩn")] == [["a"]]


def test_ods_hidden_sheet_is_listed_as_hidden():
    """An .ods sheet with table:display="false" is listed as hidden."""
    data = ods_bytes([("Ẩn", [["a"]], True), ("Dữ liệu", [HEADER], False)])
    with open_bytes(data) as book:
        assert [(s.name, s.hidden) for s in book.sheets] == [("Ẩn", True), ("Dữ liệu", False)]
        assert book.default_sheet.name == "Dữ liệu"


def test_unknown_sheet_is_refused():
    """Asking for a sheet the file does not have gives a Vietnamese message."""
    with open_bytes(xlsx_bytes([HEADER])) as book, pytest.raises(SheetError, match="Không có"):
        book.sheet("Không tồn tại")


def _trailing_layout() -> list[list]:
    return [
        [None, None, None],
        [None, "Họ và tên", "Số CCCD", None, None],
        [None, "An", "038090000001", "", "   "],
        [None, None, None],
        [None, "Bình", 38090000002, None],
        ["", "", "", "", ""],
        [None, None, "  ", None],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods", "csv"])
def test_rows_keep_numbers_and_columns_and_drop_trailing_empties(fmt):
    """Rows keep their sheet numbers and column positions; empty rows and cells are dropped."""
    layout = _trailing_layout()
    if fmt == "xlsx":
        data = xlsx_bytes(layout)
    elif fmt == "xls":
        data = xls_bytes(layout)
    elif fmt == "ods":
        data = ods_bytes([("A", layout, False)])
    else:
        data = "\n".join(",".join("" if v is None else str(v) for v in row)
                         for row in layout).encode()
    rows = rows_of(data)
    assert [r.number for r in rows] == [2, 3, 5]
    assert rows[0].values == ["", "Họ và tên", "Số CCCD"]
    assert rows[1].values == ["", "An", "038090000001"]
    assert rows[2].values[:2] == ["", "Bình"]
    assert str(rows[2].values[2]).removesuffix(".0") == "38090000002"


def test_xlsx_values_match_calamine():
    """The streaming .xlsx reader gives the values python-calamine gives, types included."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Dữ liệu")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    time_format = book.add_format({"num_format": "hh:mm"})
    stamp_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["Họ và tên", "Số", "Ngày", "Giờ", "Lúc", "Có", "Ghi chú"])
    sheet.write_row(1, 0, ["Nguyễn Thị Ánh", 38190012345, None, None, None, True, "a & b <c>"])
    sheet.write_datetime(1, 2, dt.datetime(1990, 3, 12), date_format)
    sheet.write_datetime(1, 3, dt.datetime(1899, 12, 31, 8, 30), time_format)
    sheet.write_datetime(1, 4, dt.datetime(2024, 1, 2, 13, 30), stamp_format)
    sheet.write_number(2, 1, 1.5)
    sheet.write_string(2, 6, "dòng\nhai")
    sheet.write_number(3, 8, 7)
    book.close()
    data = output.getvalue()
    expected = [
        [v for v in row]
        for row in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        .iter_rows()
    ]
    got = rows_of(data)
    assert [r.number for r in got] == [1, 2, 3, 4]
    for row, want in zip(got, expected, strict=True):
        assert row.values == reader.tidy_row(list(want))
        assert [type(v) for v in row.values if not isinstance(v, int | float)] == [
            type(v) for v in reader.tidy_row(list(want)) if not isinstance(v, int | float)]
    assert got[1].values[2] == dt.date(1990, 3, 12)
    assert got[1].values[3] == dt.time(8, 30)


def test_xlsx_shared_and_inline_strings_read_alike():
    """Shared strings (openpyxl) and inline strings (xlsxwriter constant_memory) both read."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True})
    book.add_worksheet("A").write_row(0, 0, HEADER)
    book.close()
    assert rows_of(output.getvalue())[0].values == HEADER
    assert rows_of(xlsx_bytes([HEADER]))[0].values == HEADER


# --- CSV --------------------------------------------------------------------------------------

CSV_TEXT = "Họ và tên;Số CCCD;Số giờ\nNguyễn Văn Ễ;038090000001;1,5\nTrần Thị Ưng;038190000002;2\n"


def _csv_rows(data: bytes) -> tuple[list[list], list[str]]:
    with open_bytes(data) as book:
        assert book.format == reader.CSV
        return [r.values for r in book.rows()], book.notices


@pytest.mark.parametrize("encoded", [
    CSV_TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"),
], ids=["utf-8", "utf-8-bom"])
def test_csv_utf8_with_or_without_bom(encoded):
    """UTF-8 CSV reads the same with and without a BOM, with no notice."""
    rows, notices = _csv_rows(encoded)
    assert rows[0] == ["Họ và tên", "Số CCCD", "Số giờ"]
    assert rows[1] == ["Nguyễn Văn Ễ", "038090000001", "1,5"]
    assert notices == []


def test_csv_cp1258_is_decoded_to_nfc_with_notice():
    """Bytes that are not UTF-8 are read as Windows-1258, composed to NFC, and a notice says so."""
    encoded = cp1258_bytes("Họ và tên,Số CCCD\nNguyễn Văn Ễ,038090000001\n")
    assert encoded.decode("cp1258") != "Họ và tên,Số CCCD\nNguyễn Văn Ễ,038090000001\n"
    rows, notices = _csv_rows(encoded)
    assert rows == [["Họ và tên", "Số CCCD"], ["Nguyễn Văn Ễ", "038090000001"]]
    assert notices == [reader.NOTICE_CP1258]


def test_csv_mojibake_is_repaired_with_notice():
    """UTF-8 text once mis-decoded as CP1252 and saved again is repaired, with a notice."""
    garbled = CSV_TEXT.encode("utf-8").decode("cp1252", errors="ignore")
    assert "Nguyá»…n VÄƒn" in garbled
    rows, notices = _csv_rows(garbled.encode("utf-8"))
    assert rows[1][0] == "Nguyễn Văn Ễ" and rows[2][0] == "Trần Thị Ưng"
    assert notices == [reader.NOTICE_MOJIBAKE]


def test_mojibake_repair_keeps_undefined_cp1252_bytes():
    """Letters whose UTF-8 bytes hit CP1252's holes (ề is E1 BB 81) are repaired too."""
    garbled = "Nguyễn Thị Huyền".encode().decode("latin-1").translate(
        {b: bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xA0)})
    assert repair_mojibake(garbled) == "Nguyễn Thị Huyền"
    assert repair_mojibake("Nguyễn Thị Huyền") == "Nguyễn Thị Huyền"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_detected(delimiter):
    """Comma, semicolon and tab delimiters are detected, even with decimal commas in cells."""
    lines = [["DANH SÁCH NGƯỜI LAO ĐỘNG"], ["Họ và tên", "Số giờ", "Ghi chú"],
             ["An", "1,5", "a"], ["Bình", "2", "b"], ["Chi", "3", "c"]]
    text = "\n".join(delimiter.join(f'"{v}"' if delimiter in v else v for v in row)
                     for row in lines)
    rows, _ = _csv_rows(text.encode())
    assert rows == lines


def test_excel_unicode_text_utf16_is_read():
    """Excel's "Unicode Text" export (UTF-16 with BOM, tab-delimited) is read."""
    rows, notices = _csv_rows(("Họ và tên\tSố CCCD\r\nAn\t038090000001\r\n").encode("utf-16"))
    assert rows == [["Họ và tên", "Số CCCD"], ["An", "038090000001"]]
    assert notices == [reader.NOTICE_UTF16]


def test_csv_quoted_newline_stays_in_one_row():
    """A quoted field with a line break stays one row."""
    rows, _ = _csv_rows(b'Ho ten,Ghi chu\nAn,"dong 1\ndong 2"\nBinh,x\n')
    assert rows == [["Ho ten", "Ghi chu"], ["An", "dong 1\ndong 2"], ["Binh", "x"]]


def test_xlsx_validation_formula_in_extlst_is_not_a_cell_formula():
    """<xm:f> of a cross-sheet drop-down list (extLst, after sheetData) is not a formula."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, ["An", "038090000001", "1990"]])))
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list"><x14:formula1><xm:f>Khác!$A$1:$A$2</xm:f>'
        "</x14:formula1><xm:sqref>B2</xm:sqref></x14:dataValidation></x14:dataValidations>"
        "</ext></extLst></worksheet>"
    ).encode()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext)
                assert b"<xm:f>" in data
            target.writestr(item, data)
    assert [r.values for r in rows_of(output.getvalue())][1] == ["An", "038090000001", "1990"]


@pytest.mark.parametrize("fmt, count", [("csv", 60_000), ("xlsx", 3000)])
def test_two_row_streams_of_one_upload_do_not_disturb_each_other(fmt, count):
    """Two interleaved row streams of the same upload each see every row in order."""
    lines = [HEADER] + [[f"Người {i}", f"038090{i:06d}", "1990"] for i in range(count)]
    data = xlsx_bytes(lines) if fmt == "xlsx" else "\n".join(
        ",".join(row) for row in lines).encode()
    with open_bytes(data) as book:
        first, second = book.rows(), book.rows()
        pairs = [(a.number, b.number) for a, b in zip(first, second, strict=True)]
    assert pairs == [(n, n) for n in range(1, count + 2)]


def test_libreoffice_true_false_formulas_are_values():
    """LibreOffice's TRUE()/FALSE() formulas on boolean cells are taken as values."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Họ và tên", "Đoàn viên"], ["An", True]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B2" t="b"><v>1</v>',
                                    b'<c r="B2" t="b"><f aca="false">TRUE()</f><v>1</v>')
                assert b"TRUE()" in data
            target.writestr(item, data)
    assert rows_of(output.getvalue())[1].values == ["An", True]


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The .xlsx data with its first sheet's XML passed through change(bytes) -> bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                changed = change(content)
                assert changed != content
                content = changed
            target.writestr(item, content)
    return output.getvalue()


def _many_rows_xlsx(count: int, constant_memory: bool) -> bytes:
    """count rows of mixed values; constant_memory writes inline strings, as for big files."""
    folder = tempfile.TemporaryDirectory()
    path = os.path.join(folder.name, "many.xlsx")
    book = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    sheet = book.add_worksheet("Danh sách")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["STT", "Họ và tên", "Số CCCD", "Ngày", "Số giờ", "Đạt", "Ghi chú"])
    for i in range(1, count + 1):
        sheet.write_row(i, 0, [i, f"Người số {i} & <b>", f"038190{i:06d}"])
        sheet.write_datetime(i, 3, dt.datetime(2025, 1 + i % 12, 1 + i % 28), date_format)
        sheet.write_row(i, 4, [1.5 if i % 2 else 4, bool(i % 3)])
        if i % 5 == 0:
            sheet.write_string(i, 6, "dòng\nhai")
    book.close()
    with folder, open(path, "rb") as file:
        return file.read()


def _calamine_rows(data: bytes) -> list[list]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return [reader.tidy_row(list(row)) for row in sheet.iter_rows()]


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared", "inline"])
def test_big_xlsx_read_in_batches_matches_calamine(constant_memory):
    """Thousands of rows (many batches of the sheet's XML) read as python-calamine reads them."""
    data = _many_rows_xlsx(4000, constant_memory)
    got = rows_of(data)
    assert [r.number for r in got] == list(range(1, 4002))
    assert [r.values for r in got] == _calamine_rows(data)
    assert got[5].values[1:4] == ["Người số 5 & <b>", "038190000005", dt.date(2025, 6, 6)]


def _prefixed(xml: bytes) -> bytes:
    xml = xml.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="', 1)
    return re.sub(rb"<(/?)(?!x:)([A-Za-z]+)([\s>/])", rb"<\1x:\2\3", xml)


def _rich_text(xml: bytes) -> bytes:
    return xml.replace(
        "<is><t>Người số 7 &amp; &lt;b&gt;</t></is>".encode(),
        "<is><r><t>Người số 7 </t></r><r><rPr><b/></rPr><t>&amp; &lt;b&gt;</t></r>"
        '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></is>'.encode(), 1)


@pytest.mark.parametrize("change", [
    _prefixed,
    lambda xml: xml.replace(b"><", b">\n  <"),
    _rich_text,
    lambda xml: xml.replace(b"</c></row>", b"</c><!-- </row> --></row>"),
], ids=["prefixed tags", "indented", "rich text", "row end in a comment"])
@pytest.mark.parametrize("chunk", [97, 1 << 16])
def test_xlsx_rows_in_other_forms_read_like_plain_ones(monkeypatch, change, chunk):
    """Sheet XML in a form other than the plain one (read by expat) gives the same rows, whatever
    the size of the pieces the sheet is read in."""
    data = _many_rows_xlsx(300, constant_memory=True)
    plain = [(r.number, r.values) for r in rows_of(data)]
    monkeypatch.setattr(xlsx, "_CHUNK", chunk)
    assert [(r.number, r.values) for r in rows_of(_rewrite_sheet(data, change))] == plain

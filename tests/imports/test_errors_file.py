"""The rejected-rows file: original layout, only bad rows, a «Lỗi» column, IDs as text."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from registry.imports.errors_file import ERROR_HEADER, errors_xlsx, write_errors_file
from registry.imports.reader import Row, open_workbook


def test_only_rejected_rows_with_error_column():
    """Header plus rejected rows in order, each with its row number and message in «Lỗi»."""
    header = [["STT", "Họ và tên", "Số CCCD", "Ngày sinh"]]
    rows = [
        Row(5, [1, "Nguyễn Văn An", 38090012345.0, dt.date(1990, 3, 15)]),
        Row(6, [2, "Trần Thị Bình", "038190012346", "31/02/1990"]),
        Row(7, [3, "Lê Văn Cường", "038090012347", "1990", "", "ghi chú lạc"]),
    ]
    errors = {5: "Số CCCD cho biết năm sinh 1990.", 7: "Thiếu ngày sinh."}
    data = errors_xlsx(header, iter(rows), errors, text_columns={2})
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", ERROR_HEADER]
    assert values[1][:5] == [1, "Nguyễn Văn An", "38090012345", dt.datetime(1990, 3, 15),
                             "Dòng 5: Số CCCD cho biết năm sinh 1990."]
    assert values[2][:5] == [3, "Lê Văn Cường", "038090012347", "1990",
                             "Dòng 7: Thiếu ngày sinh."]
    assert values[2][6] == "ghi chú lạc"
    assert len(values) == 3
    assert sheet.cell(2, 3).number_format == "@"
    assert sheet.cell(2, 4).number_format == "dd/mm/yyyy"


def test_errors_file_reads_back_through_the_importer(tmp_path):
    """The file written for the user opens again as an upload, the CCCD still text."""
    path = tmp_path / "loi.xlsx"
    count = write_errors_file(path, [["Họ và tên", "Số CCCD"]],
                              (Row(n, ["An", "038090012345"]) for n in range(2, 2002)),
                              {n: "Lỗi thử." for n in range(2, 2002, 2)}, text_columns={1})
    assert count == 1000
    with open_workbook(path, max_bytes=10**8) as book:
        rows = list(book.rows())
    assert len(rows) == 1001
    assert rows[1].values == ["An", "038090012345", "Dòng 2: Lỗi thử."]


def test_two_row_header_is_kept():
    """A two-row header is written as two rows with «Lỗi» on the first."""
    data = errors_xlsx([["Họ và tên", "Giới tính", ""], ["", "Nam", "Nữ"]],
                       [Row(3, ["An", "x"])], {3: "Sai."})
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Họ và tên", "Giới tính", None, ERROR_HEADER]
    assert [c.value for c in sheet[2]][:3] == [None, "Nam", "Nữ"]
    assert sheet.freeze_panes == "A3"

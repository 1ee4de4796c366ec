"""The file of rejected rows: the original layout with an added «Lỗi» column.

Only the header rows and the rows that have an error are written, in sheet order, with
xlsxwriter's constant_memory mode so a million-row upload streams through in flat memory.
Identifier columns are written as text, so a CCCD keeps its leading zero when the user fixes
the rows and uploads the file again.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter

from registry.imports.reader import Row

ERROR_HEADER = "Lỗi"
SHEET_NAME = "Dòng bị lỗi"


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def write_errors_file(
    output: str | os.PathLike | BinaryIO,
    header_rows: Sequence[Sequence[object]],
    rows: Iterable[Row],
    errors: Mapping[int, str],
    *,
    text_columns: Collection[int] = (),
) -> int:
    """Write the rejected rows (row number in errors) under the header; return how many.

    The «Lỗi» column goes right of the widest header row; its text starts with the row's
    number in the uploaded file. Cells right of the header move one column further right.
    """
    book = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = book.add_worksheet(SHEET_NAME)
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "border": 1, "bg_color": "#DDEBF7"})
    error_header = book.add_format({"bold": True, "border": 1, "bg_color": "#F8CBAD"})
    error_cell = book.add_format({"font_color": "#C00000", "text_wrap": True})
    text_cell = book.add_format({"num_format": "@"})
    date_cell = book.add_format({"num_format": "dd/mm/yyyy"})
    width = max((len(r) for r in header_rows), default=0)
    text_columns = set(text_columns)
    for column in range(width):
        sheet.set_column(column, column, 16, text_cell if column in text_columns else None)
    sheet.set_column(width, width, 60)
    for index, values in enumerate(header_rows):
        for column, value in enumerate(values):
            if value not in (None, ""):
                sheet.write_string(index, column, _as_text(value), header)
        if index == 0:
            sheet.write_string(0, width, ERROR_HEADER, error_header)
    sheet.freeze_panes(len(header_rows), 0)
    out_row = len(header_rows)
    written = 0
    for row in rows:
        message = errors.get(row.number)
        if message is None:
            continue
        for column, value in enumerate(row.values):
            target = column if column < width else column + 1
            if value is None or value == "":
                continue
            if column in text_columns or isinstance(value, str):
                sheet.write_string(out_row, target, _as_text(value), text_cell)
            elif isinstance(value, bool):
                sheet.write_boolean(out_row, target, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(out_row, target, float(value))
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                sheet.write_datetime(out_row, target, dt.datetime.combine(value, dt.time()),
                                     date_cell)
            else:
                sheet.write_string(out_row, target, _as_text(value))
        sheet.write_string(out_row, width, f"Dòng {row.number}: {message}", error_cell)
        out_row += 1
        written += 1
    book.close()
    return written


def errors_xlsx(
    header_rows: Sequence[Sequence[object]],
    rows: Iterable[Row],
    errors: Mapping[int, str],
    *,
    text_columns: Collection[int] = (),
) -> bytes:
    """The rejected-rows workbook as bytes (see write_errors_file)."""
    output = io.BytesIO()
    write_errors_file(output, header_rows, rows, errors, text_columns=text_columns)
    return output.getvalue()

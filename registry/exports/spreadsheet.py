"""Writing a list as .xlsx or CSV from plain rows, in flat memory.

The .xlsx is written by xlsxwriter in constant_memory mode (each row goes to disk as it
comes), with the header in bold, frozen, under an auto filter; identifier columns are text
cells so a CCCD keeps its leading zero, dates are real dates shown dd/mm/yyyy. CSV is UTF-8
with a byte-order mark, which Excel needs to read Vietnamese text correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")
TEXT, ID, NUMBER, HOURS, DATE, FLAG = "text", "id", "number", "hours", "date", "flag"


@dataclass(frozen=True)
class Column:
    """A column of an export: its Vietnamese header, how its values are written, its width."""

    label: str
    kind: str = TEXT
    width: int = 16


def _hours_text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def write_xlsx(output: str | BinaryIO, sheet_name: str, columns: Sequence[Column],
               rows: Iterable[Sequence[object]]) -> int:
    """Write the rows under the header; returns how many rows were written."""
    book = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = book.add_worksheet(_SHEET_NAME_BAD.sub(" ", sheet_name).strip()[:31] or "Danh sách")
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "border": 1, "bg_color": "#DDEBF7"})
    formats = {
        ID: book.add_format({"num_format": "@"}),
        DATE: book.add_format({"num_format": "dd/mm/yyyy"}),
        HOURS: book.add_format({"num_format": "0.0"}),
    }
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, formats.get(column.kind))
        sheet.write_string(0, index, column.label, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, 1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            if value is None or value == "":
                continue
            kind = column.kind
            if kind == FLAG:
                sheet.write_string(count, index, "x" if value else "")
            elif kind == DATE and isinstance(value, dt.date):
                sheet.write_datetime(count, index, dt.datetime.combine(value, dt.time()),
                                     formats[DATE])
            elif kind in (NUMBER, HOURS) and isinstance(value, int | float | Decimal):
                sheet.write_number(count, index, float(value), formats.get(kind))
            elif kind == ID:
                sheet.write_string(count, index, str(value), formats[ID])
            else:
                sheet.write_string(count, index, str(value))
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    book.close()
    return count


def _csv_value(column: Column, value: object) -> str:
    if value is None:
        return ""
    if column.kind == FLAG:
        return "x" if value else ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return _hours_text(value)
    return str(value)


class _Line(io.StringIO):
    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[object]],
               per_chunk: int = 1000) -> Iterator[str]:
    """The CSV text in pieces (BOM and header first), for a streamed response."""
    buffer = _Line()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in columns])
    yield "\ufeff" + buffer.take()
    for index, row in enumerate(rows, 1):
        writer.writerow([_csv_value(c, v) for c, v in zip(columns, row, strict=True)])
        if index % per_chunk == 0:
            yield buffer.take()
    yield buffer.take()

"""The workers behind a dashboard figure as an .xlsx sheet (IDs written as text)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter

from registry.workers.models import Worker


def figure_workbook(title: str, rows: Iterable[tuple[Worker, bool, Decimal]],
                    personal: bool) -> bytes:
    """A sheet: title line, header, one row per worker (streamed in constant memory).

    rows yields (worker, counted, hours); personal adds the citizen ID and birth year.
    """
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    hours = book.add_format({"num_format": "0.0"})
    columns = ["STT", "Mã người lao động", "Họ và tên", "Giới tính"]
    if personal:
        columns += ["Năm sinh", "Số CCCD"]
    columns += ["Doanh nghiệp hiện tại", "Được tính", "Số giờ"]
    widths = {"Họ và tên": 28, "Doanh nghiệp hiện tại": 40, "Số CCCD": 15,
              "Mã người lao động": 12}
    for index, name in enumerate(columns):
        sheet.set_column(index, index, widths.get(name, 10))
    sheet.write(0, 0, title, bold)
    for index, name in enumerate(columns):
        sheet.write(2, index, name, head)
    line = 3
    for number, (worker, counted, worker_hours) in enumerate(rows, start=1):
        values: list[object] = [number, str(worker.id), worker.full_name, worker.sex.label]
        if personal:
            values += [worker.birth_year, worker.citizen_id]
        values += [
            worker.current_enterprise.name if worker.current_enterprise else "",
            "Có" if counted else "Không",
            float(worker_hours),
        ]
        for col, value in enumerate(values):
            name = columns[col]
            if name in ("Mã người lao động", "Số CCCD"):
                sheet.write_string(line, col, str(value), text)
            elif name == "Số giờ":
                sheet.write_number(line, col, value, hours)
            else:
                sheet.write(line, col, value)
        line += 1
    book.close()
    return output.getvalue()

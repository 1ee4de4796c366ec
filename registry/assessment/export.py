"""The eligibility table as an .xlsx workbook (xlsxwriter): plain rows in, bytes out.

Identifiers (worker, assessment) are written as text so that a spreadsheet never reformats
them; totals are numbers with one decimal place.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

import xlsxwriter

from registry.assessment.eligibility import EligibilityRow

HEADERS = (
    ("STT", 6),
    ("Mã NLĐ", 10),
    ("Họ và tên", 28),
    ("Năm sinh", 9),
    ("Doanh nghiệp", 36),
    ("Mã phiếu", 10),
    ("Tổng điểm", 10),
    ("Điểm thấp nhất", 12),
    ("Kết quả", 18),
    ("Lý do", 70),
    ("Điều kiện địa phương", 14),
)


#: The local-conditions column: met, not met, none to check.
CONDITIONS_LABELS = {True: "Đạt", False: "Chưa đạt", None: ""}


def eligibility_workbook(rows: Iterable[EligibilityRow], year: int, unit: str) -> BytesIO:
    """A workbook with one sheet listing the rows, titled with the unit and the year."""
    output = BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(f"Xét công nhận {year}")
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"num_format": "@", "border": 1, "valign": "top"})
    wrap = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = book.add_format({"num_format": "0.0", "border": 1, "valign": "top"})
    plain = book.add_format({"border": 1, "valign": "top"})
    sheet.write(0, 0, f"DANH SÁCH XÉT CÔNG NHẬN DANH HIỆU CÔNG DÂN HỌC TẬP NĂM {year}", title)
    sheet.write(1, 0, unit)
    for col, (label, width) in enumerate(HEADERS):
        sheet.write(3, col, label, header)
        sheet.set_column(col, col, width)
    line = 4
    for index, row in enumerate(rows, start=1):
        sheet.write_number(line, 0, index, plain)
        sheet.write_string(line, 1, str(row.worker_id), text)
        sheet.write_string(line, 2, row.full_name, wrap)
        sheet.write_number(line, 3, row.birth_year, plain)
        sheet.write_string(line, 4, row.enterprise_name, wrap)
        sheet.write_string(line, 5, "" if row.assessment_id is None else str(row.assessment_id),
                           text)
        for col, value in ((6, row.total), (7, row.lowest)):
            if value is None:
                sheet.write_blank(line, col, None, plain)
            else:
                sheet.write_number(line, col, float(value), number)
        sheet.write_string(line, 8, row.status.label, wrap)
        sheet.write_string(line, 9, "; ".join(row.reasons), wrap)
        sheet.write_string(line, 10, CONDITIONS_LABELS[row.conditions_met], plain)
        line += 1
    # Printed on A4 landscape, one page wide, the header row repeated on every page.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    sheet.freeze_panes(4, 3)
    sheet.autofilter(3, 0, max(line - 1, 3), len(HEADERS) - 1)
    book.close()
    output.seek(0)
    return output

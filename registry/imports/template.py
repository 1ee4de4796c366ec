"""Downloadable .xlsx templates, one per import kind, built from the kind's field definitions.

The data sheet has the Vietnamese header (required columns marked «(*)», which the header
detection ignores), identifier and date columns formatted as text so Excel keeps leading zeros
and does not turn 05/02 into 2 May, a frozen header, one example row, drop-down lists and
input hints. A second sheet «Hướng dẫn» explains each column.
"""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from registry.imports.kinds import Field, get_kind

DATA_SHEET = "Dữ liệu"
GUIDE_SHEET = "Hướng dẫn"
REQUIRED_MARK = " (*)"
_LAST_ROW = 1_048_575
_GENERAL_NOTES = (
    "Giữ nguyên dòng tiêu đề; có thể thêm tiêu đề, tên đơn vị ở các dòng phía trên.",
    "Cột có dấu (*) là bắt buộc.",
    "Dòng thứ hai là dòng ví dụ (chữ nghiêng): hãy xóa hoặc ghi đè trước khi tải lên.",
    "Cột số CCCD, số điện thoại, mã số và ngày tháng đã định dạng Văn bản để giữ số 0 ở đầu; "
    "khi dán dữ liệu từ tệp khác, hãy dùng Dán đặc biệt → Chỉ dán giá trị.",
    "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 05/02/1990.",
    "Không dùng công thức: hệ thống chỉ nhận giá trị.",
    "Có thể lưu tệp dạng .xlsx, .xls, .ods hoặc CSV (UTF-8).",
)


def template_fields(kind: str) -> list[Field]:
    """The fields shown as template columns, in order."""
    return [f for f in get_kind(kind).fields if f.in_template]


def template_xlsx(kind: str) -> bytes:
    """The template workbook for an import kind, as .xlsx bytes."""
    definition = get_kind(kind)
    fields = template_fields(kind)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    header = book.add_format({
        "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
        "border": 1, "bg_color": "#DDEBF7", "font_name": "Times New Roman", "font_size": 12,
    })
    plain = book.add_format({"font_name": "Times New Roman", "font_size": 12})
    as_text = book.add_format({"num_format": "@", "font_name": "Times New Roman",
                               "font_size": 12})
    example_plain = book.add_format({"italic": True, "font_color": "#7F7F7F",
                                     "font_name": "Times New Roman", "font_size": 12})
    example_text = book.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@",
                                    "font_name": "Times New Roman", "font_size": 12})
    bold = book.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
    title = book.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "font_name": "Times New Roman",
                            "font_size": 12})

    sheet = book.add_worksheet(DATA_SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)
    sheet.set_row(0, 36)
    sheet.freeze_panes(1, 0)
    choice_ranges = _write_guide(guide, definition.label, definition.notes, fields,
                                 title, bold, wrap)
    for column, item in enumerate(fields):
        sheet.set_column(column, column, item.width, as_text if item.as_text else plain)
        label = item.label + (REQUIRED_MARK if item.required else "")
        sheet.write_string(0, column, label, header)
        example = item.example
        if isinstance(example, str):
            sheet.write_string(1, column, example, example_text if item.as_text
                               else example_plain)
        elif example is not None:
            sheet.write_number(1, column, example, example_plain)
        if item.name in choice_ranges:
            sheet.data_validation(1, column, _LAST_ROW, column, {
                "validate": "list", "source": choice_ranges[item.name],
                "error_type": "warning",
                "input_title": item.label[:32],
                "input_message": (item.hint or "Chọn trong danh sách.")[:255],
                "error_title": item.label[:32],
                "error_message": "Giá trị không có trong danh sách; vẫn ghi?",
            })
        elif item.hint:
            sheet.data_validation(1, column, _LAST_ROW, column, {
                "validate": "any", "input_title": item.label[:32],
                "input_message": item.hint[:255],
            })
    book.close()
    return output.getvalue()


def _write_guide(guide: Worksheet, label: str, notes: tuple[str, ...], fields: list[Field],
                 title: Format, bold: Format, wrap: Format) -> dict[str, str]:
    """Fill the «Hướng dẫn» sheet; return each choice list's range for data validation."""
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 2, 80)
    guide.write_string(0, 0, f"HƯỚNG DẪN NHẬP: {label.upper()}", title)
    row = 2
    for note in (*notes, *_GENERAL_NOTES):
        guide.write_string(row, 0, "• " + note, wrap)
        row += 1
    row += 1
    guide.write_row(row, 0, ["Cột", "Bắt buộc", "Cách ghi"], bold)
    row += 1
    for item in fields:
        guide.write_row(row, 0, [item.label, "Có" if item.required else "", item.hint], wrap)
        row += 1
    ranges = {}
    for item in fields:
        if not item.choices:
            continue
        row += 1
        guide.write_string(row, 0, f"Danh sách «{item.label}»:", bold)
        first = row + 1
        for choice in item.choices:
            row += 1
            guide.write_string(row, 1, choice)
        column = xl_col_to_name(1)
        ranges[item.name] = f"='{GUIDE_SHEET}'!${column}${first + 1}:${column}${row + 1}"
    return ranges

"""Downloadable templates: they read back through the importer and keep IDs as text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from registry.imports.headers import detect_header
from registry.imports.kinds import KINDS
from registry.imports.reader import open_workbook
from registry.imports.records import read_records
from registry.imports.template import GUIDE_SHEET, template_fields, template_xlsx


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_reads_back_with_full_confidence(kind):
    """Each template's header is found with every template field mapped and nothing missing."""
    with open_workbook(io.BytesIO(template_xlsx(kind)), max_bytes=10**7) as book:
        assert [(s.name, s.hidden) for s in book.sheets][1] == (GUIDE_SHEET, False)
        match = detect_header(book.rows(), kind)
        assert match.missing == [] and match.confidence == 1.0
        assert set(match.mapping) == {f.name for f in template_fields(kind)}
        records = list(read_records(book.rows(), match))
    assert len(records) == 1
    assert any("dòng ví dụ" in message for message in records[0].errors.values())


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_layout(kind):
    """ID and date columns are text-formatted, the header is frozen, lists are offered."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    fields = template_fields(kind)
    widths = {c: d.width for d in sheet.column_dimensions.values()
              for c in range(d.min, d.max + 1)}
    for column, field in enumerate(fields, 1):
        assert sheet.cell(1, column).value.startswith(field.label)
        assert widths[column] >= field.width
        if field.as_text:
            assert sheet.cell(2, column).number_format == "@", field.name
            assert isinstance(sheet.cell(2, column).value, str)
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == sum(1 for f in fields if f.choices)
    guide = book[GUIDE_SHEET]
    texts = [c.value for row in guide.iter_rows() for c in row if c.value]
    assert any("Không dùng công thức" in str(t) for t in texts)


def test_worker_template_cccd_example_keeps_leading_zero():
    """The example CCCD is stored as text with its leading zero."""
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx("workers"))).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("Số CCCD (*)") + 1).value == "038090000001"


def test_area_list_points_at_the_guide_sheet():
    """The area drop-down lists the four programme areas from the guide sheet."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("activities")))
    (area_list,) = [v for v in book.worksheets[0].data_validations.dataValidation
                    if v.type == "list"]
    sheet_name, cells = area_list.formula1.split("!")
    assert sheet_name.strip("='") == GUIDE_SHEET
    first, last = (int("".join(filter(str.isdigit, part))) for part in cells.split(":"))
    values = [book[GUIDE_SHEET].cell(r, 2).value for r in range(first, last + 1)]
    assert values == ["Chính trị, pháp luật", "Kỹ năng nghề nghiệp", "Kỹ năng sống",
                      "Công nghệ thông tin, công nghệ số"]

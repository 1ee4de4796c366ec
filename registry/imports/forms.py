"""Forms of the import pages: the upload, the sheet and column mapping, the commit choice."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from registry.forms import Form, labelled_choices
from registry.imports.kinds import get_kind
from registry.imports.models import ImportMode

#: The value of the enterprise box for a commune-wide import (activities of the commune).
NO_ENTERPRISE = 0


class UploadForm(Form):
    """Choose what the file holds, for which enterprise, and the file."""

    kind = SelectField("Loại dữ liệu", validators=[DataRequired()])
    enterprise_id = SelectField("Doanh nghiệp", coerce=int, validators=[Optional()])
    file = FileField(
        "Tệp bảng tính",
        validators=[FileRequired("Hãy chọn tệp để tải lên.")],
        description="Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV; dòng tiêu đề và các cột "
        "được tự nhận ra, bạn sẽ xác nhận trước khi ghi.",
    )


class CommitForm(Form):
    """Write the previewed import."""

    mode = RadioField("Khi có dòng lỗi", choices=labelled_choices(ImportMode),
                      default=ImportMode.ALL_OR_NOTHING.value, validators=[DataRequired()])


def column_label(index: int, header: str) -> str:
    """A column as the user sees it: «C – Số CCCD»."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} – {header}" if header else letters


def mapping_form(kind: str, columns: list[str], sheets: list[tuple[int, str]],
                 formdata=None, **data) -> Form:
    """The mapping form of an import kind: the sheet, the header row, one box per field.

    The field boxes are named map_<field>; their value is the column index, "" for none.
    """
    choices = [SelectChoice("", "— không dùng —")] + [
        SelectChoice(str(i), column_label(i, text)) for i, text in enumerate(columns)
    ]
    fields = {
        "sheet": SelectField("Trang tính", coerce=int,
                             choices=[SelectChoice(index, name) for index, name in sheets]),
        "header_row": IntegerField("Dòng tiêu đề", validators=[Optional(), NumberRange(1)]),
    }
    for item in get_kind(kind).fields:
        label = item.label + (" (*)" if item.required else "")
        fields[f"map_{item.name}"] = SelectField(label, choices=choices, validators=[Optional()])
    form_class = type("MappingForm", (Form,), fields)
    return form_class(formdata=formdata, **data)


def mapping_of(form: Form, kind: str) -> dict[str, int | None]:
    """{field: column index or None} from a submitted mapping form."""
    mapping: dict[str, int | None] = {}
    for item in get_kind(kind).fields:
        value = form[f"map_{item.name}"].data
        mapping[item.name] = int(value) if value not in (None, "") else None
    return mapping


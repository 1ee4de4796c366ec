"""The base form: CSRF on, messages of the built-in validators in Vietnamese."""

from __future__ import annotations

import wtforms
from flask import flash
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    HiddenField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.widgets import TextInput

from registry.db import LabelledEnum
from registry.errors import CSRF_MESSAGES, DomainError
from registry.text import clean, clean_lines

#: WTForms and Flask-WTF messages (English msgid) in Vietnamese.
MESSAGES = {
    "This field is required.": "Trường này bắt buộc phải nhập.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Not a valid integer value.": "Phải là một số nguyên.",
    "Not a valid decimal value.": "Phải là một số (dùng dấu chấm hoặc phẩy cho phần thập phân).",
    "Not a valid float value.": "Phải là một số.",
    "Not a valid date value.": "Ngày không hợp lệ (dạng ngày/tháng/năm).",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Phải trùng với trường %(other_name)s.",
    "Field must be at least %(min)d character long.": "Phải có ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Phải có ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Phải có đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Phải có đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Phải dài từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Phải lớn hơn hoặc bằng %(min)s.",
    "Number must be at most %(max)s.": "Phải nhỏ hơn hoặc bằng %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Phải nằm trong khoảng %(min)s đến %(max)s.",
    "'%(value)s' is not a valid choice for this field.":
        "«%(value)s» không phải lựa chọn hợp lệ.",
    "'%(value)s' are not valid choices for this field.":
        "«%(value)s» không phải lựa chọn hợp lệ.",
}


MESSAGES.update(CSRF_MESSAGES)


class VietnameseTranslations:
    """The gettext interface WTForms asks for, answering from MESSAGES."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural)


_TRANSLATIONS = VietnameseTranslations()


class VietnameseMeta:
    """Form options shared by every form: Vietnamese messages, typed text cleaned."""

    def get_translations(self, form):
        return _TRANSLATIONS

    def bind_field(self, form, unbound_field, options):
        """Typed text is cleaned (NFC, trimmed) before its length and other checks.

        Otherwise decomposed or padded input that fits once cleaned would be refused. A box
        of several lines (TextAreaField) keeps its line breaks (registry.text.clean_lines).
        """
        kind = unbound_field.field_class
        if issubclass(kind, StringField) and not issubclass(kind, PasswordField | HiddenField):
            cleaner = clean_lines if issubclass(kind, TextAreaField) else clean
            filters = (cleaner, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, filters=filters, **options)
        return unbound_field.bind(form=form, **options)


class SubForm(wtforms.Form):
    """A form repeated inside another (FormField, FieldList); CSRF is on the enclosing form."""

    class Meta(VietnameseMeta):
        pass


class Form(FlaskForm):
    """Base of every form in the registry."""

    class Meta(VietnameseMeta):
        pass

    def apply_error(self, error: DomainError) -> None:
        """Show a service's refusal: field messages on the fields, the rest as a flash."""
        for name, message in error.fields.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            else:
                flash(message, "danger")
        if error.message:
            flash(error.message, "danger")


def labelled_choices(enum_class: type[LabelledEnum]) -> list[SelectChoice]:
    """The options of a select box for a LabelledEnum, shown by their Vietnamese labels."""
    return [SelectChoice(value, label) for value, label in enum_class.choices()]


class ConfirmForm(Form):
    """A button that changes state (archive, restore): only the CSRF token is checked."""


class DecimalCommaField(DecimalField):
    """A decimal typed the Vietnamese way ("1,5") or with a dot, in a plain text box."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(",", ".")]
        super().process_formdata(valuelist)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = format(self.data.normalize(), "f") if self.data == self.data else str(self.data)
        return text.replace(".", ",")

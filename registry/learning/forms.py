"""Forms for activities, attendance sheets and single participations."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import DecimalCommaField, Form, SubForm, labelled_choices
from registry.learning.models import ActivityForm as Kind
from registry.learning.models import Area, OrganiserKind


class ActivityEditForm(Form):
    """Create or edit an activity."""

    title = StringField("Tên hoạt động", validators=[DataRequired(), Length(max=255)])
    area = SelectField("Lĩnh vực", choices=labelled_choices(Area), validators=[DataRequired()])
    form = SelectField("Hình thức", choices=labelled_choices(Kind), validators=[DataRequired()])
    organiser_kind = SelectField(
        "Loại đơn vị tổ chức", choices=labelled_choices(OrganiserKind), validators=[DataRequired()]
    )
    organiser = StringField("Đơn vị tổ chức", validators=[DataRequired(), Length(max=255)])
    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    enterprise_id = SelectField(
        "Doanh nghiệp",
        coerce=int,
        validators=[Optional()],
        description="Để trống nếu hoạt động chung của xã, mọi doanh nghiệp cùng tham gia.",
    )
    start_date = DateField("Ngày bắt đầu", validators=[InputRequired()])
    end_date = DateField("Ngày kết thúc", validators=[InputRequired()])
    hours = DecimalCommaField(
        "Số giờ", places=1, validators=[InputRequired(), NumberRange(min=0, max=2000)]
    )
    location = StringField("Địa điểm", validators=[Length(max=255)])
    description = TextAreaField("Nội dung", validators=[Length(max=5000)])


class AttendanceRow(SubForm):
    """One worker's line on the attendance sheet (CSRF is on the enclosing form)."""

    worker_id = HiddenField(validators=[DataRequired()])
    selected = BooleanField("Có mặt")
    hours = DecimalCommaField("Số giờ", places=1, validators=[Optional(), NumberRange(min=0)])
    completed = BooleanField("Hoàn thành", default=True)
    result = StringField("Kết quả", validators=[Length(max=120)])


class AttendanceForm(Form):
    """Record many workers of one activity at once."""

    attended_on = DateField("Ngày tham gia", validators=[InputRequired()])
    rows = FieldList(FormField(AttendanceRow))


class ParticipationForm(Form):
    """Correct one participation."""

    attended_on = DateField("Ngày tham gia", validators=[InputRequired()])
    hours = DecimalCommaField("Số giờ", places=1, validators=[InputRequired(), NumberRange(min=0)])
    completed = BooleanField("Hoàn thành")
    result = StringField("Kết quả", validators=[Length(max=120)])
    note = StringField("Minh chứng, ghi chú", validators=[Length(max=500)])

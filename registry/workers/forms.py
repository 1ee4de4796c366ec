"""Forms for workers and their employment."""

from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import Form, labelled_choices
from registry.workers.models import Sex


class WorkerForm(Form):
    """A worker's personal details."""

    family_name = StringField("Họ", validators=[Length(max=50)])
    middle_name = StringField("Tên đệm", validators=[Length(max=80)])
    given_name = StringField("Tên", validators=[DataRequired(), Length(max=50)])
    sex = SelectField("Giới tính", choices=labelled_choices(Sex), validators=[DataRequired()])
    birth_date = DateField("Ngày sinh", validators=[Optional()])
    birth_year = IntegerField(
        "Năm sinh (khi không rõ ngày)",
        validators=[Optional(), NumberRange(min=1900, max=2100)],
    )
    citizen_id = StringField(
        "Số CCCD",
        validators=[DataRequired(), Length(max=20)],
        description="12 chữ số. Số CMND 9 chữ số chỉ nhận khi đánh dấu «CMND cũ».",
    )
    citizen_id_legacy = BooleanField("CMND cũ (9 chữ số)")
    phone = StringField("Số điện thoại", validators=[Length(max=20)])
    union_member = BooleanField("Đoàn viên công đoàn")

    def validate(self, extra_validators=None) -> bool:
        """Either the birth date or the birth year is needed.

        Checked here: Optional() on an empty birth year stops its own validators.
        """
        valid = super().validate(extra_validators)
        if not self.birth_date.data and not self.birth_year.data and not self.birth_date.errors:
            self.birth_year.errors.append("Hãy nhập ngày sinh, hoặc năm sinh nếu không rõ ngày.")
            return False
        return valid


class NewWorkerForm(WorkerForm):
    """A worker with the enterprise they start in."""

    enterprise_id = SelectField("Doanh nghiệp", coerce=int, validators=[DataRequired()])
    start_date = DateField("Ngày bắt đầu làm việc", validators=[InputRequired()])
    position = StringField("Vị trí việc làm", validators=[Length(max=120)])


class TransferForm(Form):
    """Move a worker to another enterprise (or take them into one)."""

    enterprise_id = SelectField("Doanh nghiệp mới", coerce=int, validators=[DataRequired()])
    start_date = DateField("Ngày bắt đầu làm việc", validators=[InputRequired()])
    position = StringField("Vị trí việc làm", validators=[Length(max=120)])


class ReceiveForm(TransferForm):
    """Take over an existing record, identified by CCCD and birth year."""

    citizen_id = StringField("Số CCCD", validators=[DataRequired(), Length(max=20)])
    birth_year = IntegerField(
        "Năm sinh", validators=[InputRequired(), NumberRange(min=1900, max=2100)]
    )


class EndEmploymentForm(Form):
    """The worker left their enterprise."""

    end_date = DateField("Ngày nghỉ việc", validators=[InputRequired()])

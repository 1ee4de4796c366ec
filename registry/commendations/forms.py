"""Forms of commendation rounds and entries."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from registry.commendations.models import EntryKind
from registry.forms import Form, labelled_choices
from registry.reports.forms import MoneyField


class RoundForm(Form):
    """The heading of a commendation round."""

    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    title = StringField("Tên đợt", validators=[DataRequired(), Length(max=255)],
                        default="Biểu dương, khen thưởng công nhân lao động và con công nhân "
                                "lao động hiếu học")
    year = IntegerField("Năm", validators=[InputRequired()])
    issuing_body = StringField("Cơ quan ban hành", validators=[DataRequired(), Length(max=255)])
    decision_number = StringField("Số quyết định", validators=[Length(max=50)],
                                  description="Ví dụ: 05/QĐ-UBND; nhập khi đã có số")
    decision_date = DateField("Ngày quyết định", validators=[Optional()])
    signer_name = StringField("Người ký", validators=[Length(max=120)])
    signer_title = StringField("Chức vụ người ký", validators=[Length(max=120)],
                               default="Phó Chủ tịch")


class EntryForm(Form):
    """A proposed worker or child of a worker."""

    kind = SelectField("Đối tượng", choices=labelled_choices(EntryKind),
                       validators=[DataRequired()])
    worker_ref = StringField("Người lao động (mã hoặc số CCCD)",
                             validators=[DataRequired(), Length(max=20)],
                             description="Với con CNLĐ: người lao động là cha hoặc mẹ của cháu.")
    reason = StringField("Thành tích, lý do", validators=[DataRequired(), Length(max=500)])
    child_name = StringField("Họ và tên của cháu", validators=[Length(max=200)])
    child_birth_year = IntegerField("Năm sinh của cháu", validators=[Optional()])
    achievement = StringField("Trường đỗ vào hoặc thành tích của cháu",
                              validators=[Length(max=255)])
    amount = MoneyField("Số tiền thưởng (đồng, nếu có)", validators=[Optional()])

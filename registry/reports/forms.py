"""Forms of the activity log and of the periodic report."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from registry.forms import Form, labelled_choices
from registry.reports.models import Channel, FundingSource
from registry.reports.services import SECTIONS


class MoneyField(IntegerField):
    """Whole đồng, typed with or without dots between thousands ("5.600.000")."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).replace(".", "").replace(" ", "").strip()]
        super().process_formdata(valuelist)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")


class CommunicationForm(Form):
    """A communication item."""

    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    published_on = DateField("Ngày đăng, phát", validators=[InputRequired()])
    channel = SelectField("Kênh", choices=labelled_choices(Channel), validators=[DataRequired()])
    title = StringField("Tiêu đề, nội dung", validators=[DataRequired(), Length(max=255)])
    count = IntegerField("Số tin, bài, lượt", default=1, validators=[InputRequired()])


class EventForm(Form):
    """An event of the programme."""

    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    title = StringField("Tên sự kiện", validators=[DataRequired(), Length(max=255)])
    start_date = DateField("Từ ngày", validators=[InputRequired()])
    end_date = DateField("Đến ngày", validators=[Optional()])
    description = TextAreaField("Nội dung", validators=[Length(max=5000)])


class DirectiveForm(Form):
    """A directive document."""

    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    number = StringField("Số, ký hiệu", validators=[DataRequired(), Length(max=50)],
                         description="Ví dụ: 107/KH-UBND")
    issued_on = DateField("Ngày ban hành", validators=[InputRequired()])
    title = StringField("Trích yếu", validators=[DataRequired(), Length(max=500)])


class SpendingForm(Form):
    """A spending line."""

    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    spent_on = DateField("Ngày chi", validators=[InputRequired()])
    source = SelectField("Nguồn kinh phí", choices=labelled_choices(FundingSource),
                         validators=[DataRequired()])
    enterprise_id = SelectField("Doanh nghiệp chi (nếu có)", coerce=int, validators=[Optional()])
    amount = MoneyField("Số tiền (đồng)", validators=[InputRequired()])
    purpose = StringField("Nội dung chi", validators=[DataRequired(), Length(max=500)])


FORMS = {"truyen-thong": CommunicationForm, "su-kien": EventForm, "van-ban": DirectiveForm,
         "kinh-phi": SpendingForm}


class ReportForm(Form):
    """The editable texts of the periodic report, kept for the next time."""


for _key, (_label, _default) in SECTIONS.items():
    field_class = StringField if _key.startswith("signer_") else TextAreaField
    setattr(ReportForm, _key, field_class(_label, validators=[Length(max=20_000)]))

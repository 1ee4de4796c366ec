"""Forms for decisions, their lists, certificates and the public serial lookup."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import Form


class DecisionForm(Form):
    """The texts of a decision (Decree 30 layout)."""

    parent_body = TextAreaField("Cơ quan chủ quản (nếu có)", validators=[Length(max=200)])
    issuing_body = TextAreaField("Cơ quan ban hành", validators=[DataRequired(), Length(max=200)],
                                 description="Mỗi dòng in thành một dòng ở góc trái.")
    number = StringField("Số", validators=[Length(max=10)],
                         description="Để trống khi chưa lấy số; bắt buộc khi ban hành.")
    symbol = StringField("Ký hiệu", validators=[DataRequired(), Length(max=40)])
    place = StringField("Địa danh", validators=[DataRequired(), Length(max=100)])
    signed_on = DateField("Ngày ký", validators=[Optional()])
    confirm_early = BooleanField("Tôi xác nhận ngày ký trước khi năm được công nhận kết thúc")
    authority = StringField("Thẩm quyền ban hành", validators=[Length(max=200)],
                            description="Dòng chữ in đậm trước phần căn cứ.")
    signer_authority = StringField("Dòng thẩm quyền ký", validators=[Length(max=100)],
                                   description="Ví dụ «KT. CHỦ TỊCH»; để trống nếu Chủ tịch ký.")
    signer_title = StringField("Chức vụ người ký", validators=[DataRequired(), Length(max=100)])
    signer_name = StringField("Họ tên người ký", validators=[Length(max=100)])
    legal_bases = TextAreaField("Căn cứ", validators=[Length(max=5000)],
                                description="Mỗi dòng một căn cứ.")
    executors = TextAreaField("Tổ chức thi hành (Điều 3)", validators=[Length(max=1000)])
    recipients = TextAreaField("Nơi nhận", validators=[Length(max=2000)],
                               description="Mỗi dòng một nơi nhận.")


class NewDecisionForm(DecisionForm):
    """A new decision: its year and commune, then the texts."""

    year = IntegerField("Năm công nhận", validators=[InputRequired(),
                                                      NumberRange(min=2000, max=2100)])
    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])


class ReasonForm(Form):
    """A reason (taking someone off a list, revoking)."""

    reason = StringField("Lý do", validators=[DataRequired(), Length(max=500)])


class IssueForm(Form):
    """Issue a decision."""

    confirm_early = BooleanField("Tôi xác nhận ngày ký trước khi năm được công nhận kết thúc")


class ReissueForm(Form):
    """Re-issue a certificate with corrected texts."""

    full_name = StringField("Họ và tên in trên giấy", validators=[DataRequired(),
                                                                  Length(max=200)])
    enterprise_name = StringField("Đơn vị công tác", validators=[Length(max=255)])
    reason = StringField("Lý do cấp lại", validators=[DataRequired(), Length(max=500)])


class PrintForm(Form):
    """Print the certificates of a decision."""

    enterprise_id = SelectField("Doanh nghiệp", coerce=int, validators=[Optional()])
    kind = RadioField("Định dạng", choices=[SelectChoice("pdf", "Một tệp PDF"),
                                            SelectChoice("zip", "Tệp ZIP, mỗi người một PDF")],
                      default="pdf", validators=[DataRequired()])

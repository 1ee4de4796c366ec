"""Forms for enterprises."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from registry.enterprises.models import Sector
from registry.forms import Form, labelled_choices


class EnterpriseForm(Form):
    """Create or edit an enterprise."""

    name = StringField("Tên doanh nghiệp", validators=[DataRequired(), Length(max=255)])
    tax_code = StringField(
        "Mã số thuế",
        validators=[DataRequired(), Length(max=20)],
        description="10 chữ số, hoặc 13 chữ số với chi nhánh (0101234567-001).",
    )
    commune_id = SelectField("Xã, phường", coerce=int, validators=[DataRequired()])
    sector = SelectField(
        "Ngành nghề", choices=labelled_choices(Sector), validators=[DataRequired()]
    )
    address = StringField("Địa chỉ", validators=[Length(max=255)])
    union_branch = StringField("Công đoàn cơ sở", validators=[Length(max=255)])
    is_active = BooleanField("Đang hoạt động", default=True)

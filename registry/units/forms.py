"""Forms for choosing the communes served."""

from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Regexp

from registry.forms import Form


class ServeForm(Form):
    """Start or stop serving one commune, given by its five-digit code."""

    code = StringField("Mã xã, phường", validators=[DataRequired(), Regexp(r"^\d{1,5}$")])
    served = BooleanField("Phục vụ")

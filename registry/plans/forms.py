"""Forms for plans and their targets."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from registry.forms import Form, labelled_choices
from registry.plans.models import CountingWindow, Indicator, PlanLevel

#: Milestone rows on the plan form.
MILESTONE_ROWS = 2


class PlanForm(Form):
    """A plan: who issued it, its period and counting window, targets for two milestones."""

    level = SelectField("Cấp ban hành", choices=labelled_choices(PlanLevel),
                        validators=[DataRequired()])
    province_id = SelectField("Tỉnh, thành phố", coerce=int, validators=[Optional()])
    commune_id = SelectField("Xã, phường", coerce=int, validators=[Optional()])
    issuing_body = StringField("Cơ quan ban hành", validators=[DataRequired(), Length(max=255)],
                               description="Ví dụ: UBND xã Hoằng Hợp")
    number = StringField("Số, ký hiệu", validators=[DataRequired(), Length(max=50)],
                         description="Ví dụ: 107/KH-UBND")
    issued_on = DateField("Ngày ban hành", validators=[InputRequired()])
    title = StringField("Trích yếu", validators=[DataRequired(), Length(max=500)])
    start_year = IntegerField("Từ năm", validators=[InputRequired()])
    end_year = IntegerField("Đến năm", validators=[InputRequired()])
    counting_window = SelectField("Cách tính tỷ lệ a–d", choices=labelled_choices(CountingWindow),
                                  validators=[DataRequired()])


def _add_target_fields() -> None:
    defaults = (2025, 2030)
    for row in range(1, MILESTONE_ROWS + 1):
        setattr(PlanForm, f"year_{row}", IntegerField(
            f"Năm mốc {row}", default=defaults[row - 1] if row <= len(defaults) else None,
            validators=[Optional()]))
        for indicator in Indicator:
            setattr(PlanForm, f"t{row}_{indicator.value}", StringField(
                f"{indicator.value}) {indicator.label} (%)", validators=[Length(max=10)]))


_add_target_fields()

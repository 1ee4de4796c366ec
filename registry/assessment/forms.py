"""Forms for criteria sets, assessments, their status steps and the score grid.

Scores are typed as text and checked by the rule module (registry.assessment.rules), which
accepts "7,5" and "7.5" and names the indicator in its message, so that the web form, the grid
and the import refuse the same things with the same words.
"""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from registry.forms import DecimalCommaField, Form, SubForm, labelled_choices
from registry.learning.models import ActivityForm, Area


class IndicatorEditRow(SubForm):
    """One indicator of a criteria set being edited."""

    code = HiddenField()
    text = TextAreaField("Nội dung chỉ số", validators=[DataRequired(), Length(max=2000)])
    short_label = StringField("Tên ngắn", validators=[DataRequired(), Length(max=120)])
    max_points = DecimalCommaField("Điểm tối đa", places=1, validators=[InputRequired()])


class CriteriaSetForm(Form):
    """Edit a criteria set (its rule only while no assessment uses it)."""

    name = StringField("Tên bộ tiêu chí", validators=[DataRequired(), Length(max=255)])
    reference = StringField(
        "Văn bản ban hành",
        validators=[DataRequired(), Length(max=255)],
        description="Số, ngày và cơ quan ban hành, như ghi trên quyết định công nhận.",
    )
    reference_note = TextAreaField("Ghi chú về văn bản", validators=[Length(max=5000)])
    target_group = StringField("Đối tượng áp dụng", validators=[DataRequired(), Length(max=255)])
    period_start = IntegerField("Áp dụng từ năm", validators=[InputRequired()])
    period_end = IntegerField("đến năm", validators=[InputRequired()])
    pass_total = DecimalCommaField("Tổng điểm đạt (từ)", places=1, validators=[InputRequired()])
    min_per_indicator = DecimalCommaField(
        "Điểm tối thiểu mỗi chỉ số", places=1, validators=[InputRequired()]
    )
    required_areas = SelectMultipleField(
        "Điều kiện: có tham gia mỗi lĩnh vực trong năm",
        choices=labelled_choices(Area),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[Optional()],
    )
    min_hours = DecimalCommaField(
        "Điều kiện: số giờ học tối thiểu trong năm",
        places=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    min_age = IntegerField(
        "Điều kiện: tuổi tối thiểu vào cuối năm",
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    employed_in_commune_on = DateField(
        "Điều kiện: đang làm việc tại doanh nghiệp trên địa bàn xã vào ngày",
        validators=[Optional()],
        description="Chỉ dùng ngày và tháng; năm là năm đánh giá.",
    )
    indicators = FieldList(FormField(IndicatorEditRow))


class IndicatorScoreRow(SubForm):
    """One indicator on the assessment form."""

    code = HiddenField()
    score = StringField("Điểm", validators=[Length(max=10)])
    note = StringField("Minh chứng", validators=[Length(max=500)])
    reason = StringField("Lý do thay đổi điểm", validators=[Length(max=500)])


class AssessmentForm(Form):
    """The scores of an assessment, with the version the officer started from."""

    version = HiddenField()
    note = TextAreaField("Nhận xét chung", validators=[Length(max=2000)])
    indicators = FieldList(FormField(IndicatorScoreRow))


class StepForm(Form):
    """A status step (submit, review, approve, return) with an optional note."""

    version = HiddenField()
    note = StringField("Ý kiến", validators=[Length(max=500)])


class CreateAssessmentForm(Form):
    """Open the assessment of a worker for a year."""

    worker_id = IntegerField(validators=[InputRequired()])
    year = IntegerField("Năm", validators=[InputRequired()])


class GridRowForm(SubForm):
    """One worker's line of the score grid."""

    worker_id = HiddenField()
    version = HiddenField()
    scores = FieldList(StringField(validators=[Length(max=10)]))
    reason = StringField("Lý do thay đổi", validators=[Length(max=500)])


class GridForm(Form):
    """Scores of many workers at once."""

    rows = FieldList(FormField(GridRowForm))


class EvidenceRuleForm(Form):
    """Add a line to a criteria set's evidence mapping."""

    area = SelectField(
        "Lĩnh vực", choices=[SelectChoice("", "Mọi lĩnh vực"), *labelled_choices(Area)],
        validators=[Optional()],
    )
    activity_form = SelectField(
        "Hình thức", choices=[SelectChoice("", "Mọi hình thức"), *labelled_choices(ActivityForm)],
        validators=[Optional()],
    )
    indicator_code = SelectField("Chỉ số được minh chứng", coerce=int,
                                 validators=[InputRequired()])
    suggest_points = DecimalCommaField(
        "Điểm gợi ý (nền)", places=1, validators=[Optional()],
        description="Để trống: chỉ hiện là minh chứng, không gợi ý điểm.",
    )


class CommuneConditionsForm(Form):
    """A commune's own local conditions for a year, or from a year on."""

    first_year = IntegerField("Năm áp dụng", validators=[InputRequired()])
    onwards = BooleanField(
        "Áp dụng cả các năm sau",
        description="Thay mọi điều kiện riêng đã đặt cho các năm từ năm này trở đi.",
    )
    required_areas = SelectMultipleField(
        "Có tham gia ít nhất một hoạt động mỗi lĩnh vực trong năm",
        choices=labelled_choices(Area),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[Optional()],
    )
    min_hours = DecimalCommaField(
        "Số giờ học tối thiểu trong năm", places=1, validators=[Optional()]
    )
    min_age = IntegerField("Tuổi tối thiểu vào cuối năm", validators=[Optional()])
    employed_on = DateField(
        "Đang làm việc tại doanh nghiệp trên địa bàn xã vào ngày",
        validators=[Optional()],
        description="Một ngày của năm áp dụng; các năm sau dùng cùng ngày và tháng.",
    )

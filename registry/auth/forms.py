"""Forms for signing in and managing accounts."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from registry.auth.models import Role
from registry.forms import Form, labelled_choices


class LoginForm(Form):
    """Sign in with a username and password."""

    username = StringField("Tên đăng nhập", validators=[DataRequired(), Length(max=60)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Ghi nhớ đăng nhập trên máy này")


class PasswordChangeForm(Form):
    """A user changes their own password."""

    current_password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired()])
    password = PasswordField("Mật khẩu mới", validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[DataRequired(), EqualTo("password", message="Hai mật khẩu không khớp.")],
    )


class UserForm(Form):
    """Create or edit an account; unit_code is the code of the province, commune or enterprise."""

    username = StringField("Tên đăng nhập", validators=[DataRequired(), Length(max=60)])
    full_name = StringField("Họ và tên", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Vai trò", choices=labelled_choices(Role), validators=[DataRequired()])
    unit_code = SelectField("Đơn vị", choices=[], validate_choice=False)
    password = PasswordField(
        "Mật khẩu",
        validators=[Optional(), Length(max=200)],
        description="Ít nhất 10 ký tự, có cả chữ và số. Để trống khi sửa nếu không đổi.",
    )
    is_enabled = BooleanField("Đang hoạt động", default=True)

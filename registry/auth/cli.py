"""`flask users …`: create the first administrator and other accounts from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from registry.auth import services
from registry.auth.models import Role, User
from registry.cli import command_transaction
from registry.extensions import db


@click.group("users", help="Quản lý tài khoản người dùng.")
def users_cli() -> None:
    """Group of account commands."""


@users_cli.command("create")
@click.option("--username", required=True, help="Tên đăng nhập.")
@click.option("--name", "full_name", default="", help="Họ và tên.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="Vai trò."
)
@click.option("--enterprise", help="Mã số thuế doanh nghiệp (vai trò enterprise).")
@click.option("--commune", help="Mã xã, phường (vai trò commune).")
@click.option("--province", help="Mã tỉnh (vai trò province).")
@click.password_option("--password", help="Mật khẩu (hỏi nếu không nhập).")
@with_appcontext
def create(username, full_name, role, enterprise, commune, province, password) -> None:
    """Create an account bound to its unit."""
    with command_transaction():
        user = services.create_user(
            db.session,
            username=username,
            full_name=full_name,
            password=password,
            role=Role(role),
            unit_code=enterprise or commune or province,
        )
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role.label}).")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """Print every account with its role and unit."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "" if user.is_enabled else " [đã khóa]"
        click.echo(f"{user.username}\t{user.role.label}\t{user.unit_label}{state}")

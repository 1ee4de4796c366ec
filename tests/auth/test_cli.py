"""`flask users …` commands."""

from sqlalchemy import func, select

from registry.auth.models import Role, User

PASSWORD = "matkhau2025cli"


def test_create_enterprise_account(runner, db, make):
    """`flask users create --role enterprise --enterprise <tax code>` binds the account."""
    enterprise = make.enterprise()
    result = runner.invoke(args=[
        "users", "create", "--username", "dn.thu", "--name", "Lê Thị Thu", "--role",
        "enterprise", "--enterprise", enterprise.tax_code, "--password", PASSWORD,
    ])
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản dn.thu (Cán bộ doanh nghiệp / CĐCS)." in result.output
    user = db.scalar(select(User).where(User.username == "dn.thu"))
    assert (user.role, user.enterprise_id, user.full_name) == (
        Role.ENTERPRISE, enterprise.id, "Lê Thị Thu"
    )
    assert user.check_password(PASSWORD)


def test_create_first_administrator(runner, db):
    """An administrator needs no unit."""
    result = runner.invoke(args=["users", "create", "--username", "quantri", "--role", "admin",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(User.role).where(User.username == "quantri")) == Role.ADMIN


def test_unknown_tax_code_is_refused_and_nothing_written(runner, db):
    """An unknown enterprise code gives a Vietnamese error and creates no account."""
    result = runner.invoke(args=[
        "users", "create", "--username", "dn.khong", "--role", "enterprise",
        "--enterprise", "0100109106", "--password", PASSWORD,
    ])
    assert result.exit_code == 1
    assert "Không có doanh nghiệp mã số thuế 0100109106." in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_weak_password_is_refused(runner, db):
    """The command applies the same password rule as the pages."""
    result = runner.invoke(args=["users", "create", "--username", "quantri", "--role", "admin",
                                 "--password", "ngan"])
    assert result.exit_code == 1
    assert "Mật khẩu phải có ít nhất 10 ký tự." in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_list_users(runner, make):
    """`flask users list` prints each account with its role and unit."""
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    make.user(Role.ENTERPRISE, enterprise=enterprise, username="dn.saovang")
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    assert "dn.saovang\tCán bộ doanh nghiệp / CĐCS\tCông ty May Sao Vàng" in result.output

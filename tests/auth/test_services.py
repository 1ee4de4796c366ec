"""Accounts: creating, binding to a unit, passwords, who may manage whom."""

import pytest
from sqlalchemy import func, select

from registry.auth import services
from registry.auth.models import Role, User
from registry.errors import DomainError
from tests.conftest import HOME_COMMUNE, OTHER_COMMUNE, PASSWORD

STRONG = "matkhau2025moi"


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(User))


def create(db, **values) -> User:
    fields = {"username": "canbo.dn", "full_name": "Trần Văn Bình", "password": STRONG,
              "role": Role.ENTERPRISE}
    fields.update(values)
    return services.create_user(db, **fields)


def test_enterprise_account_is_bound_by_tax_code(db, make):
    """An enterprise officer's account is bound to the enterprise with that tax code."""
    enterprise = make.enterprise()
    user = create(db, username=" CanBo.DN ", unit_code=enterprise.tax_code)
    assert (user.username, user.enterprise_id) == ("canbo.dn", enterprise.id)
    assert user.check_password(STRONG)
    assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("role", "code", "column"),
    [(Role.COMMUNE, HOME_COMMUNE, "commune_id"), (Role.PROVINCE, "38", "province_id")],
)
def test_commune_and_province_accounts_are_bound_by_code(db, make, role, code, column):
    """Commune and provincial accounts are bound by the unit's official code."""
    user = create(db, role=role, unit_code=code)
    expected = make.commune().id if role == Role.COMMUNE else make.commune().province_id
    assert getattr(user, column) == expected


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit_code": "0100109106"}, "unit_code", "Không có doanh nghiệp mã số thuế 0100109106."),
        ({"unit_code": ""}, "unit_code", "Vai trò này cần chọn đơn vị."),
        ({"role": Role.COMMUNE, "unit_code": "99999"}, "unit_code",
         "Không có xã, phường mã 99999."),
        ({"role": Role.PROVINCE, "unit_code": "99"}, "unit_code",
         "Không có tỉnh, thành phố mã 99."),
        ({"username": "ab"}, "username", "Tên đăng nhập gồm 3–60 ký tự"),
        ({"username": "cán bộ"}, "username", "Tên đăng nhập gồm 3–60 ký tự"),
        ({"password": "ngan1"}, "password", "Mật khẩu phải có ít nhất 10 ký tự."),
        ({"password": "chicochuthoi"}, "password", "Mật khẩu phải có cả chữ và số."),
        ({"password": "1234567890"}, "password", "Mật khẩu phải có cả chữ và số."),
    ],
)
def test_bad_accounts_are_refused(db, values, field, message):
    """Unknown units, bad usernames and weak passwords are refused on their field."""
    values.setdefault("role", Role.ADMIN if "unit_code" not in values else Role.ENTERPRISE)
    with pytest.raises(DomainError) as error:
        create(db, **values)
    assert error.value.fields[field].startswith(message)
    assert count(db) == 0


def test_duplicate_username_is_refused(db, make):
    """A username is used by one account only, whatever its case."""
    make.user(Role.ADMIN, username="quantri")
    with pytest.raises(DomainError, match="«quantri» đã có người dùng"):
        create(db, username="QuanTri", role=Role.ADMIN)


def test_archived_enterprise_takes_no_account(db, make):
    """No new account is bound to an archived enterprise."""
    enterprise = make.enterprise()
    enterprise.archived_at = enterprise.created_at
    with pytest.raises(DomainError, match="Không có doanh nghiệp"):
        create(db, unit_code=enterprise.tax_code)


def test_commune_officer_manages_only_their_enterprise_officers(db, make):
    """A commune officer creates enterprise accounts of their commune, nothing else."""
    officer = make.scope(Role.COMMUNE)
    own, far = make.enterprise(), make.enterprise(commune=OTHER_COMMUNE)
    assert create(db, unit_code=own.tax_code, actor=officer).enterprise_id == own.id
    with pytest.raises(DomainError, match="chỉ tạo được tài khoản cán bộ doanh nghiệp"):
        create(db, username="khac.xa", unit_code=far.tax_code, actor=officer)
    with pytest.raises(DomainError, match="chỉ tạo được"):
        create(db, username="quantri2", role=Role.ADMIN, actor=officer)
    assert count(db) == 2  # the officer and the one account allowed


def test_enterprise_officer_manages_nobody(db, make):
    """An enterprise officer cannot create accounts."""
    enterprise = make.enterprise()
    scope = make.scope(Role.ENTERPRISE, enterprise=enterprise)
    with pytest.raises(DomainError, match="không có quyền quản lý tài khoản"):
        create(db, unit_code=enterprise.tax_code, actor=scope)


def test_authenticate(db, make):
    """Right credentials sign in (case-insensitive username); wrong or disabled ones do not."""
    user = make.user(Role.COMMUNE, username="canbo.xa")
    assert services.authenticate(db, " CANBO.XA ", PASSWORD) is user
    assert user.last_login_at is not None
    assert services.authenticate(db, "canbo.xa", "sai-mat-khau-9") is None
    assert services.authenticate(db, "khong.co", PASSWORD) is None
    user.is_enabled = False
    assert services.authenticate(db, "canbo.xa", PASSWORD) is None


def test_disabling_an_account_revokes_its_sessions(db, make):
    """A disabled account's session token changes, signing it out everywhere."""
    enterprise = make.enterprise()
    user = make.user(Role.ENTERPRISE, enterprise=enterprise)
    token = user.session_token
    services.update_user(db, user, full_name="Cán bộ", role=Role.ENTERPRISE,
                         unit_code=enterprise.tax_code, is_enabled=False)
    assert user.session_token != token
    assert not user.is_active


def test_refused_update_leaves_the_account_unchanged(db, make):
    """A commune officer's refused promotion of an account changes nothing."""
    officer = make.scope(Role.COMMUNE)
    enterprise = make.enterprise()
    user = make.user(Role.ENTERPRISE, enterprise=enterprise)
    with pytest.raises(DomainError):
        services.update_user(db, user, full_name="Quản trị mới", role=Role.ADMIN, unit_code="",
                             is_enabled=True, actor=officer)
    row = db.execute(select(User.role, User.full_name, User.enterprise_id)
                     .where(User.id == user.id)).one()
    assert tuple(row) == (Role.ENTERPRISE, "Cán bộ thử", enterprise.id)


def test_refused_password_leaves_the_account_unchanged(db, make):
    """A weak new password refuses the whole edit, name and role included."""
    user = make.user(Role.ADMIN)
    with pytest.raises(DomainError) as error:
        services.update_user(db, user, full_name="Tên mới", role=Role.ADMIN, unit_code="",
                             is_enabled=True, password="yeu")
    assert set(error.value.fields) == {"password"}
    assert db.scalar(select(User.full_name).where(User.id == user.id)) == "Cán bộ thử"


def test_change_own_password_needs_the_current_one(db, make):
    """Changing one's password requires the current password and signs out other sessions."""
    user = make.user(Role.COMMUNE)
    token = user.session_token
    with pytest.raises(DomainError) as error:
        services.change_own_password(user, "sai-mat-khau-1", STRONG)
    assert error.value.fields == {"current_password": "Mật khẩu hiện tại không đúng."}
    services.change_own_password(user, PASSWORD, STRONG)
    assert user.check_password(STRONG)
    assert user.session_token != token

"""Sign-in, sign-out, own password and account pages."""

import pytest
from sqlalchemy import select

from registry.auth.models import Role, User
from tests.conftest import OTHER_COMMUNE, PASSWORD, field_errors, flashes

NEW_PASSWORD = "matkhaumoi2026"


def test_login_page_is_vietnamese(client, db):
    """The sign-in page asks for a username and password in Vietnamese."""
    page = client.get("/dang-nhap").get_data(as_text=True)
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    assert 'lang="vi"' in page


def test_pages_need_sign_in(client, db):
    """Anonymous visitors are sent to the sign-in page, coming back afterwards."""
    response = client.get("/nguoi-lao-dong")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dang-nhap?next=%2Fnguoi-lao-dong"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hãy đăng nhập để tiếp tục." in page


@pytest.mark.parametrize(
    ("target", "location"),
    [("/doanh-nghiep", "/doanh-nghiep"), ("//evil.example/x", "/"),
     ("https://evil.example/", "/")],
)
def test_login_returns_only_to_pages_of_this_site(client, make, target, location):
    """After sign-in the user goes back to ?next= only when it is a path on this site."""
    user = make.user(Role.COMMUNE)
    response = client.post("/dang-nhap", query_string={"next": target},
                           data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_disabled_account_cannot_sign_in(client, make):
    """A disabled account is refused like a wrong password."""
    user = make.user(Role.COMMUNE)
    user.is_enabled = False
    make.session.flush()
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert field_errors(response, "password") == ["Tên đăng nhập hoặc mật khẩu không đúng."]


def test_signed_in_user_skips_the_login_page(client, login_as):
    """A signed-in user asking for the sign-in page is sent home."""
    login_as(Role.COMMUNE)
    response = client.get("/dang-nhap")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_logout_signs_out(client, login_as):
    """After signing out, pages ask for sign-in again."""
    login_as(Role.COMMUNE)
    assert client.get("/").status_code == 200
    response = client.post("/dang-xuat", follow_redirects=True)
    assert "Bạn đã đăng xuất." in flashes(response)
    assert client.get("/").status_code == 302


def test_disabled_account_loses_its_session(client, db, login_as):
    """Disabling an account signs it out of the sessions it had."""
    user = login_as(Role.COMMUNE)
    assert client.get("/").status_code == 200
    user.is_enabled = False
    user.revoke_sessions()
    db.flush()
    assert client.get("/").status_code == 302


# --- own password ---------------------------------------------------------------------------


def test_change_password(client, db, login_as):
    """A user changes their password knowing the current one and stays signed in."""
    user = login_as(Role.COMMUNE)
    assert client.get("/tai-khoan/mat-khau").status_code == 200
    response = client.post("/tai-khoan/mat-khau", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    db.expire_all()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"current_password": "sai-mat-khau-1"}, "current_password",
         "Mật khẩu hiện tại không đúng."),
        ({"confirm": "khac-mat-khau-2"}, "confirm", "Hai mật khẩu không khớp."),
        ({"password": "ngan1", "confirm": "ngan1"}, "password",
         "Mật khẩu phải có ít nhất 10 ký tự."),
    ],
)
def test_bad_password_change(client, db, login_as, values, field, message):
    """Wrong current password, mismatch or weak password are shown on their field."""
    user = login_as(Role.COMMUNE)
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    data.update(values)
    response = client.post("/tai-khoan/mat-khau", data=data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    db.expire_all()
    assert user.check_password(PASSWORD)


# --- accounts -------------------------------------------------------------------------------


def test_commune_officer_lists_their_enterprise_accounts(client, login_as, make):
    """A commune officer sees the enterprise accounts of their commune only."""
    login_as(Role.COMMUNE)
    make.user(Role.ENTERPRISE, enterprise=make.enterprise(), username="dn.trongxa")
    make.user(Role.ENTERPRISE, enterprise=make.enterprise(commune=OTHER_COMMUNE),
              username="dn.xakhac")
    make.user(Role.ADMIN, username="quantri")
    page = client.get("/nguoi-dung").get_data(as_text=True)
    assert "dn.trongxa" in page
    assert "dn.xakhac" not in page and "quantri" not in page


def test_commune_officer_creates_an_enterprise_account(client, db, login_as, make):
    """A commune officer creates an account for an enterprise of their commune."""
    login_as(Role.COMMUNE)
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    page = client.get("/nguoi-dung/moi").get_data(as_text=True)
    assert f'value="{enterprise.tax_code}"' in page
    assert 'value="admin"' not in page
    response = client.post("/nguoi-dung/moi", data={
        "username": "dn.saovang", "full_name": "Lê Văn Tâm", "role": "enterprise",
        "unit_code": enterprise.tax_code, "password": NEW_PASSWORD, "is_enabled": "y",
    })
    assert response.status_code == 302
    user = db.scalar(select(User).where(User.username == "dn.saovang"))
    assert (user.role, user.enterprise_id) == (Role.ENTERPRISE, enterprise.id)


def test_commune_officer_cannot_bind_another_commune(client, db, login_as, make):
    """An enterprise of another commune is refused on the unit field; nothing saved."""
    login_as(Role.COMMUNE)
    far = make.enterprise(commune=OTHER_COMMUNE)
    response = client.post("/nguoi-dung/moi", data={
        "username": "dn.xakhac", "full_name": "Lê Văn Tâm", "role": "enterprise",
        "unit_code": far.tax_code, "password": NEW_PASSWORD,
    })
    assert response.status_code == 200
    assert field_errors(response, "role") == [
        "Cán bộ xã chỉ tạo được tài khoản cán bộ doanh nghiệp trong xã của mình."
    ]
    assert db.scalar(select(User).where(User.username == "dn.xakhac")) is None


def test_admin_edits_a_commune_account(client, db, login_as, make):
    """An administrator renames a commune officer's account and moves it to another commune."""
    login_as(Role.ADMIN)
    user = make.user(Role.COMMUNE)
    page = client.get(f"/nguoi-dung/{user.id}/sua").get_data(as_text=True)
    assert 'value="Cán bộ thử"' in page
    response = client.post(f"/nguoi-dung/{user.id}/sua", data={
        "full_name": "Nguyễn Thị Hồng", "role": "commune", "unit_code": OTHER_COMMUNE,
        "is_enabled": "y",
    })
    assert response.status_code == 302, field_errors(response, "unit_code")
    db.expire_all()
    assert (user.full_name, user.commune_id) == ("Nguyễn Thị Hồng",
                                                 make.commune(OTHER_COMMUNE).id)


def test_admin_cannot_demote_themselves(client, db, login_as):
    """An administrator cannot change their own role."""
    admin = login_as(Role.ADMIN)
    response = client.post(f"/nguoi-dung/{admin.id}/sua", data={
        "full_name": "Quản trị", "role": "commune", "unit_code": "", "is_enabled": "y",
    })
    assert field_errors(response, "role") == [
        "Bạn không thể tự đổi vai trò hoặc khóa tài khoản của mình."
    ]
    db.expire_all()
    assert admin.role == Role.ADMIN

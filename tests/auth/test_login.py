"""Signing in and out."""

from registry.auth.models import Role
from tests.conftest import PASSWORD


def test_login_with_right_password_reaches_home(client, make):
    """A user with the right password is signed in and sent to the home page."""
    user = make.user(Role.COMMUNE, username="canbo.thu")
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_wrong_password_is_refused_in_vietnamese(client, make):
    """A wrong password keeps the user out with a Vietnamese message."""
    user = make.user(Role.COMMUNE)
    response = client.post(
        "/dang-nhap", data={"username": user.username, "password": "sai-mat-khau-1"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302

"""CSRF protection, the sign-in rate limit and the session cookie's flags."""

import re

from sqlalchemy import func, select

from registry.auth.models import Role
from registry.enterprises.models import Enterprise
from tests.conftest import PASSWORD


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Enterprise))


def test_post_without_csrf_token_is_refused(app_with, db, login_as, make):
    """With CSRF on, a form posted without its token answers 400 and writes nothing."""
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    login_as(Role.COMMUNE, on=client)
    data = {"name": "Công ty Giày Mới", "tax_code": "0100109106",
            "commune_id": make.commune().id, "sector": "footwear"}
    refused = client.post("/doanh-nghiep/moi", data=data)
    assert refused.status_code == 400
    assert "Yêu cầu không hợp lệ" in refused.get_data(as_text=True)
    assert count(db) == 0

    page = client.get("/doanh-nghiep/moi").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post("/doanh-nghiep/moi", data={**data, "csrf_token": token})
    assert accepted.status_code == 302
    assert count(db) == 1


def test_archive_button_without_token_is_refused(app_with, db, login_as, make):
    """A state change by button (archive) also needs the token."""
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    login_as(Role.COMMUNE, on=client)
    worker = make.worker(make.enterprise())
    assert client.post(f"/nguoi-lao-dong/{worker.id}/luu-tru").status_code == 400
    db.expire_all()
    assert worker.archived_at is None


def test_login_rate_limit(app_with, make):
    """After the allowed sign-in attempts, the next one answers 429 in Vietnamese."""
    client = app_with(LOGIN_RATE_LIMIT="3 per minute").test_client()
    user = make.user(Role.COMMUNE)
    for _ in range(3):
        response = client.post("/dang-nhap", data={"username": user.username,
                                                   "password": "sai-mat-khau-1"})
        assert response.status_code == 200
    blocked = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Quá nhiều yêu cầu" in blocked.get_data(as_text=True)
    assert client.get("/dang-nhap").status_code == 200  # reading the page is not limited


def test_session_cookie_flags(client, make):
    """The session cookie is HttpOnly and SameSite=Lax; so is the remember-me cookie."""
    user = make.user(Role.COMMUNE)
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD,
                                               "remember": "y"})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "httponly" in flags, name
        assert "samesite=lax" in flags, name


def test_secure_cookies_when_served_over_https(app_with, make):
    """With secure cookies configured, the session cookie is sent over HTTPS only."""
    client = app_with(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True).test_client()
    user = make.user(Role.COMMUNE)
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie")
                          if c.startswith("session="))
    assert "secure" in [part.strip().lower() for part in session_cookie.split(";")]


def test_passwords_are_stored_hashed(make):
    """Passwords are stored as scrypt hashes, never as given."""
    user = make.user(Role.COMMUNE)
    user.set_password("matkhau2025moi")
    assert user.password_hash.startswith("scrypt:")
    assert "matkhau2025moi" not in user.password_hash

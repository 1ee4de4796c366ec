"""The administrator's page of communes served."""

import pytest
from sqlalchemy import select

from registry.auth.models import Role
from registry.units.models import Commune
from tests.conftest import HOME_COMMUNE, flashes


@pytest.fixture
def admin(login_as):
    """The client signed in as an administrator."""
    return login_as(Role.ADMIN)


def served(db, code) -> bool:
    return db.scalar(select(Commune.is_served).where(Commune.code == code))


def test_page_lists_served_communes_and_candidates(client, admin):
    """The page lists the communes served and, for a chosen province, the others."""
    page = client.get("/don-vi").get_data(as_text=True)
    assert "Xã Hoằng Hóa" in page and "Xã Hoằng Tiến" in page
    candidates = client.get("/don-vi?tinh=38").get_data(as_text=True)
    assert "Phường Hạc Thành" in candidates
    assert f'<option value="{HOME_COMMUNE}">' not in candidates


def test_serve_and_stop_serving(client, db, admin):
    """An administrator starts and stops serving a commune."""
    added = client.post("/don-vi/phuc-vu", data={"code": "14797", "served": "y"},
                        follow_redirects=True)
    assert any(m.startswith("Đã thêm") for m in flashes(added))
    assert served(db, "14797")
    stopped = client.post("/don-vi/phuc-vu", data={"code": "14797"}, follow_redirects=True)
    assert any(m.startswith("Đã thôi phục vụ") for m in flashes(stopped))
    assert not served(db, "14797")


@pytest.mark.parametrize(("code", "message"), [
    ("abc", "Mã xã, phường không hợp lệ."),
    ("99999", "Không có xã, phường mã 99999 trong danh mục (chạy flask units load)."),
])
def test_bad_codes_are_refused(client, admin, code, message):
    """A malformed or unknown code is refused with a Vietnamese message."""
    response = client.post("/don-vi/phuc-vu", data={"code": code, "served": "y"},
                           follow_redirects=True)
    assert message in flashes(response)

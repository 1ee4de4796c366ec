"""Vietnamese error pages, and a rollback before an unexpected error is shown."""

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.enterprises import services as enterprise_services
from registry.enterprises.models import Enterprise, Sector
from registry.text import fold


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Enterprise))


@pytest.mark.parametrize("signed_in", [False, True])
def test_unknown_url_is_a_vietnamese_404(client, login_as, signed_in):
    """An unknown address answers 404 with the Vietnamese page, signed in or not."""
    if signed_in:
        login_as(Role.COMMUNE)
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "404 · Không tìm thấy trang" in page
    assert "Trang hoặc hồ sơ bạn tìm không tồn tại" in page


@pytest.mark.parametrize(
    "url", ["/nguoi-lao-dong/999999", "/doanh-nghiep/999999", "/hoat-dong/999999",
            "/tham-gia/999999/sua"]
)
def test_missing_record_is_a_vietnamese_404(client, login_as, url):
    """A record that does not exist answers the Vietnamese 404 page."""
    login_as(Role.ADMIN)
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_wrong_method_is_a_vietnamese_405(client, login_as):
    """GET on a POST-only address answers 405 in Vietnamese."""
    login_as(Role.COMMUNE)
    response = client.get("/dang-xuat")
    assert response.status_code == 405
    assert "Thao tác không được phép" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app_with, login_as):
    """An app that shows the 500 page instead of raising, with a signed-in commune officer."""
    application = app_with(PROPAGATE_UNEXPECTED=False)
    client = application.test_client()
    login_as(Role.COMMUNE, on=client)
    return client


def form(make) -> dict:
    return {"name": "Công ty Giày Mới", "tax_code": "0100109106",
            "commune_id": make.commune().id, "sector": "footwear"}


def test_error_after_writing_shows_500_and_saves_nothing(failing_app, db, make, monkeypatch):
    """An exception after a service wrote shows the Vietnamese 500 page; nothing is kept."""
    real = enterprise_services.save_enterprise

    def save_then_fail(session, *args, **kwargs):
        real(session, *args, **kwargs)
        raise RuntimeError("lỗi bất ngờ sau khi ghi")

    monkeypatch.setattr(enterprise_services, "save_enterprise", save_then_fail)
    response = failing_app.post("/doanh-nghiep/moi", data=form(make))
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "500 · Lỗi hệ thống" in page
    assert "Dữ liệu chưa được lưu" in page
    assert count(db) == 0


def test_database_error_is_rolled_back_before_the_500_page(failing_app, db, make, monkeypatch):
    """After a failed flush the session is rolled back, so the 500 page (which reads the
    signed-in user's unit) still renders, and nothing is kept."""
    existing = make.enterprise(name="Công ty Đã Có")

    def clash(session, *args, **kwargs):
        session.add(Enterprise(name="Trùng", tax_code=existing.tax_code,
                               commune_id=existing.commune_id, sector=Sector.OTHER,
                               search_name=fold("Trùng")))
        session.flush()

    monkeypatch.setattr(enterprise_services, "save_enterprise", clash)
    response = failing_app.post("/doanh-nghiep/moi", data=form(make))
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "500 · Lỗi hệ thống" in page
    assert "Xã Hoằng Hóa" in page  # the user's unit in the menu, loaded after the rollback
    assert count(db) == 1


def test_unexpected_errors_propagate_in_tests_by_default(client, login_as, make, monkeypatch):
    """In the test app unexpected errors are raised, so no test hides one behind a 500 page."""
    login_as(Role.COMMUNE)

    def fail(*args, **kwargs):
        raise RuntimeError("lỗi bất ngờ")

    monkeypatch.setattr(enterprise_services, "save_enterprise", fail)
    with pytest.raises(RuntimeError, match="lỗi bất ngờ"):
        client.post("/doanh-nghiep/moi", data=form(make))

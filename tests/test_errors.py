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


#: Query strings officers' bookmarks, typos or probes send; none may cause an error page.
HOSTILE_QUERIES = ["?page=99999999999999999999", "?page=-3", "?page=abc", "?nam=99999",
                   "?nam=-5", "?nam=abc", "?fmt=zzz", "?dn=abc", "?q=%00%ff", "?xa=abc",
                   "?trang_thai=%3Cscript%3E"]


def _list_pages(app) -> list[str]:
    """Every GET page whose address takes no argument (lists, forms, dashboards)."""
    return sorted(
        rule.rule for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
        and rule.endpoint not in {"static", "bootstrap.static", "auth.logout"}
    )


@pytest.mark.parametrize("role", list(Role))
def test_hostile_query_strings_never_cause_a_server_error(app, client, login_as, make, role):
    login_as(role, enterprise=make.enterprise())
    pages = _list_pages(app)
    assert "/nguoi-lao-dong" in pages and "/hoat-dong" in pages
    failures = [
        (page + query, status)
        for page in pages for query in HOSTILE_QUERIES
        if (status := client.get(page + query).status_code) >= 500
    ]
    assert failures == []


def test_a_page_number_past_any_list_is_an_empty_page(client, login_as):
    login_as(Role.COMMUNE)
    response = client.get("/nguoi-lao-dong?page=99999999999999999999")
    assert response.status_code == 200
    assert "Không có người lao động nào" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/?nam=99999", "/hoat-dong?nam=-5", "/quyet-dinh?nam=10000"])
def test_a_year_no_date_can_hold_is_not_found(client, login_as, url):
    login_as(Role.COMMUNE)
    assert client.get(url).status_code == 404


def test_export_buttons_do_not_repeat_the_format(client, login_as):
    """A list opened with ?fmt= (e.g. from a copied export link) still renders its buttons."""
    login_as(Role.COMMUNE)
    response = client.get("/nguoi-lao-dong?fmt=csv&q=lan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "fmt=csv&amp;fmt" not in page and "q=lan" in page


@pytest.mark.parametrize("url", ["/nguoi-lao-dong?q=%00an", "/doanh-nghiep?q=a%00"])
def test_a_nul_byte_in_a_search_is_refused_with_a_vietnamese_400(client, login_as, url):
    """PostgreSQL refuses NUL in text parameters; the registry says so before any query."""
    login_as(Role.COMMUNE)
    response = client.get(url)
    assert response.status_code == 400
    assert "ký tự NUL" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_writes_nothing(client, login_as, db):
    login_as(Role.COMMUNE)
    before = count(db)
    response = client.post("/doanh-nghiep/moi", data={"name": "Công ty\x00 X"})
    assert response.status_code == 400
    assert count(db) == before

"""The navigation bar: each role's menus, the active page, and the signed-in user's unit.

The menus are rendered once per (role, page) and reused, so these tests switch roles and pages
in one process: a menu cached for one role must never be served to another.
"""

import re

import pytest

from registry.auth.models import Role

#: Links only some roles may see, by label.
RESTRICTED = {
    "Nhập dữ liệu từ Excel": {Role.ADMIN, Role.COMMUNE, Role.ENTERPRISE},
    "Nhật ký hoạt động": {Role.ADMIN, Role.PROVINCE, Role.COMMUNE},
    "Báo cáo định kỳ": {Role.ADMIN, Role.PROVINCE, Role.COMMUNE},
    "Tài khoản": {Role.ADMIN, Role.COMMUNE},
    "Đơn vị": {Role.ADMIN},
}
EVERYONE = ["Tổng quan", "Doanh nghiệp", "Người lao động", "Hoạt động học tập", "Phiếu đánh giá",
            "Xét công nhận", "Quyết định công nhận", "Biểu dương, khen thưởng", "Bộ tiêu chí",
            "Tiến độ chỉ tiêu", "Kế hoạch, chỉ tiêu"]


def _bar(html: str) -> str:
    return html[html.index('<ul class="navbar-nav me-auto">'):html.index('<div class="dropdown">')]


def nav_labels(html: str) -> list[str]:
    """The labels of the links in the bar's menus."""
    bar = _bar(html)
    return re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="/[^"]*">([^<]+)</a>', bar)


def active_labels(html: str) -> list[str]:
    """The labels of the links marked active."""
    bar = _bar(html)
    return re.findall(r'class="(?:nav-link|dropdown-item|nav-link dropdown-toggle) active"'
                      r'[^>]*>([^<]+)</a>', bar)


def test_each_role_sees_its_menus_whatever_was_rendered_before(client, login_as, make):
    enterprise = make.enterprise()
    seen = {}
    # Twice round, so the second pass is served from the cache the first pass filled.
    for _ in range(2):
        for role in Role:
            login_as(role, enterprise=enterprise)
            response = client.get("/")
            assert response.status_code == 200
            labels = nav_labels(response.get_data(as_text=True))
            seen.setdefault(role, labels)
            assert labels == seen[role]
            for label in EVERYONE:
                assert label in labels, (role, label)
            for label, roles in RESTRICTED.items():
                assert (label in labels) == (role in roles), (role, label)


@pytest.mark.parametrize(("path", "menu", "entry"), [
    ("/nguoi-lao-dong", "Hồ sơ", "Người lao động"),
    ("/doanh-nghiep", "Hồ sơ", "Doanh nghiệp"),
    ("/", "Tổng quan", None),
])
def test_the_current_page_is_marked_in_its_menu(client, login_as, path, menu, entry):
    login_as(Role.COMMUNE)
    active = active_labels(client.get(path).get_data(as_text=True))
    assert active == [menu] + ([entry] if entry else [])


def test_the_bar_names_the_signed_in_user_and_their_unit(client, login_as, make):
    enterprise = make.enterprise(name="Công ty TNHH Giày Thử")
    login_as(Role.ENTERPRISE, enterprise=enterprise)
    html = client.get("/").get_data(as_text=True)
    assert "Cán bộ thử · <span class=\"small\">Công ty TNHH Giày Thử</span>" in html
    login_as(Role.ADMIN)
    html = client.get("/").get_data(as_text=True)
    assert "Cán bộ thử · <span class=\"small\">Toàn hệ thống</span>" in html

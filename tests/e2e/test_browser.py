"""End to end in a real browser: Debian's chromium driven by Playwright against a live server
(tests/browser.py)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry.auth.models import Role
from registry.extensions import db as _db
from registry.learning.models import Participation
from tests.browser import chromium, live_server
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _world(make) -> dict:
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    officer = make.user(Role.COMMUNE, username="canbo.xa")
    return {"enterprise_id": enterprise.id, "username": officer.username}


@pytest.fixture(scope="module")
def live(database) -> Iterator[dict]:
    """The app served on 127.0.0.1 with a commune officer and an enterprise."""
    with live_server(database, "e2e", _world) as world:
        yield world


@pytest.fixture
def page(live):
    """A fresh browser page."""
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")


def test_sign_in_create_worker_record_attendance_and_see_the_record(live, page, tmp_path):
    """An officer signs in, adds a worker, creates an activity, ticks the worker on its
    attendance sheet and finds the activity in the worker's learning record."""
    base = live["url"]
    # Nothing on the way fails to load (stylesheets, scripts, the icon) or logs an error.
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/dang-nhap"))
    page.fill("#username", live["username"])
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    expect(page.locator("h1")).to_contain_text("Tổng quan năm")

    page.goto(f"{base}/nguoi-lao-dong/moi")
    page.fill("#family_name", "Lê")
    page.fill("#middle_name", "Thị")
    page.fill("#given_name", "Hoa")
    page.select_option("#sex", "F")
    page.fill("#birth_date", "1995-04-02")
    page.fill("#citizen_id", "038195000777")
    page.select_option("#enterprise_id", str(live["enterprise_id"]))
    page.fill("#start_date", "2024-01-02")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm người lao động Lê Thị Hoa.")
    worker_url = page.url
    assert re.search(r"/nguoi-lao-dong/\d+$", worker_url)

    page.goto(f"{base}/hoat-dong/moi")
    page.fill("#title", "Tuyên truyền Bộ luật Lao động")
    page.select_option("#area", "law")
    page.select_option("#form", "seminar")
    page.select_option("#organiser_kind", "union")
    page.fill("#organiser", "Công đoàn xã Hoằng Hóa")
    page.select_option("#enterprise_id", str(live["enterprise_id"]))
    page.fill("#start_date", "2025-03-10")
    page.fill("#end_date", "2025-03-10")
    page.fill("#hours", "2,5")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã tạo hoạt động Tuyên truyền Bộ luật Lao động.")

    page.click("text=Điểm danh người tham gia")
    page.fill("#sheet-filter", "le thi hoa")
    page.check("[aria-label='Có mặt: Lê Thị Hoa']")
    expect(page.locator("#selected-count")).to_have_text("1")
    page.click("button:has-text('Ghi nhận người tham gia')")
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận 1 người tham gia.")

    page.click("a:has-text('Lê Thị Hoa')")
    expect(page).to_have_url(worker_url)
    record = page.locator("table[data-year='2025']")
    expect(record).to_contain_text("Tuyên truyền Bộ luật Lao động")
    expect(record).to_contain_text("Chính trị, pháp luật")
    expect(record).to_contain_text("10/03/2025")
    expect(page.locator("h3:has-text('Năm 2025')")).to_contain_text("2,5 giờ")
    page.screenshot(path=str(tmp_path / "worker-record.png"), full_page=True)
    assert (tmp_path / "worker-record.png").stat().st_size > 0
    assert problems == []

    with live["app"].app_context():
        participations = _db.session.scalars(select(Participation)).all()
        assert [(p.worker.full_name, str(p.hours)) for p in participations] == [
            ("Lê Thị Hoa", "2.5")
        ]
        _db.session.remove()

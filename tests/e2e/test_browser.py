"""End to end in a real browser: Debian's chromium driven by Playwright against a live server.

The server runs in a background thread on a free local port, on a database of its own (the
rolled-back test transaction is invisible to another thread), with CSRF protection on.
"""

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from registry.auth.models import Role
from registry.extensions import db as _db
from registry.learning.models import Participation
from tests.conftest import PASSWORD, Builder, fresh_app, prepare

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which(
    "chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def live(database) -> Iterator[dict]:
    """The app served on 127.0.0.1 with a commune officer and an enterprise."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (no /usr/bin/chromium, none on PATH): "
                    "apt-get install -y chromium to run the browser tests")
    with fresh_app(database, "e2e", SERVER_NAME=None, WTF_CSRF_ENABLED=True) as app:
        prepare(app)
        with app.app_context():
            make = Builder(_db.session)
            enterprise = make.enterprise(name="Công ty May Sao Vàng")
            officer = make.user(Role.COMMUNE, username="canbo.xa")
            _db.session.commit()
            world = {"enterprise_id": enterprise.id, "username": officer.username}
            _db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"app": app, "url": f"http://127.0.0.1:{server.server_port}", **world}
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


@pytest.fixture
def page(live):
    """A fresh browser page."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        finally:
            browser.close()


def test_sign_in_create_worker_record_attendance_and_see_the_record(live, page, tmp_path):
    """An officer signs in, adds a worker, creates an activity, ticks the worker on its
    attendance sheet and finds the activity in the worker's learning record."""
    base = live["url"]
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

    with live["app"].app_context():
        participations = _db.session.scalars(select(Participation)).all()
        assert [(p.worker.full_name, str(p.hours)) for p in participations] == [
            ("Lê Thị Hoa", "2.5")
        ]
        _db.session.remove()

"""In a real browser: a self-assessment is filled, reviewed and approved, and the worker
becomes eligible (Debian's chromium driven by Playwright against a live server)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from registry.auth.models import Role
from tests.browser import chromium, live_server
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _world(make) -> dict:
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    worker = make.worker(enterprise, family="Trần", middle="Thị", given="Huệ")
    make.worker(enterprise, family="Lê", middle="Văn", given="Minh")
    officer = make.user(Role.ENTERPRISE, enterprise=enterprise, username="dn.saovang")
    commune = make.user(Role.COMMUNE, username="canbo.xa")
    return {"worker": worker.full_name, "worker_id": worker.id,
            "officer": officer.username, "commune": commune.username}


@pytest.fixture(scope="module")
def live(database) -> Iterator[dict]:
    """The app on 127.0.0.1 with CSRF on: an enterprise, its worker and officer, and a
    commune officer."""
    with live_server(database, "assessment_e2e", _world) as world:
        yield world


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def sign_in(browser, base: str, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page.goto(f"{base}/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    expect(page.locator("h1")).to_be_visible()
    return page


def test_self_assessment_review_approval_makes_the_worker_eligible(live, browser, tmp_path):
    """Fill the ten scores, submit, review with a reasoned change, approve; the eligibility
    table then shows the worker as eligible with the reviewed total."""
    base = live["url"]
    page = sign_in(browser, base, live["officer"])
    page.goto(f"{base}/danh-gia?nam=2025")
    row = page.locator("tr", has_text=live["worker"])
    row.get_by_role("button", name="Lập phiếu").click()
    expect(page.locator("h1")).to_contain_text("Phiếu đánh giá “Công dân học tập” năm 2025")
    for code in range(1, 11):
        page.get_by_label(f"Điểm chỉ số {code}", exact=True).fill("9" if code != 6 else "8,5")
    page.get_by_label("Minh chứng chỉ số 1", exact=True).fill("Đọc báo Lao động hằng ngày")
    page.click("button:has-text('Lưu điểm')")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu phiếu đánh giá")
    expect(page.locator("#total")).to_have_text("89,5")
    page.click("button:has-text('Nộp phiếu tự đánh giá')")
    expect(page.locator("#status")).to_have_text("Đã nộp, chờ thẩm định")

    # The union branch reviews: lowering a score without a reason is refused, then given.
    page.get_by_label("Điểm chỉ số 6", exact=True).fill("7")
    page.click("button:has-text('Lưu điểm')")
    expect(page.locator(".invalid-feedback")).to_contain_text("cần ghi lý do khi đổi điểm")
    page.get_by_label("Lý do đổi điểm chỉ số 6", exact=True).fill("Chưa có chứng chỉ")
    page.click("button:has-text('Lưu điểm')")
    expect(page.locator(".alert-success")).to_contain_text("1 điểm thay đổi có ghi lý do")
    page.click("button:has-text('Xác nhận đã thẩm định')")
    expect(page.locator("#status")).to_have_text("Đã thẩm định, chờ phê duyệt")
    expect(page.locator("button:has-text('Phê duyệt')")).to_have_count(0)
    page.close()

    page = sign_in(browser, base, live["commune"])
    page.goto(f"{base}/xet-cong-nhan?nam=2025")
    worker_row = page.locator(f"tr[data-worker='{live['worker_id']}']")
    expect(worker_row).to_contain_text("Chưa đủ điều kiện")
    expect(worker_row).to_contain_text("chưa được phê duyệt")
    worker_row.get_by_role("link", name=live["worker"]).click()
    page.click("button:has-text('Phê duyệt')")
    expect(page.locator("#status")).to_have_text("Đã phê duyệt")
    page.goto(f"{base}/xet-cong-nhan?nam=2025")
    worker_row = page.locator(f"tr[data-worker='{live['worker_id']}']")
    expect(worker_row).to_contain_text("Đủ điều kiện")
    expect(worker_row).to_contain_text("88")
    page.screenshot(path=str(tmp_path / "eligibility.png"))
    with page.expect_download() as download:
        page.click("a:has-text('Tải về .xlsx')")
    assert re.fullmatch(r"xet-cong-nhan-cdht-2025-\d{5}\.xlsx", download.value.suggested_filename)


def test_grid_moves_down_with_enter_and_totals_the_row(live, browser):
    """In the score grid Enter moves to the same indicator of the next worker, ↑ back up, and
    a complete row shows its total."""
    page = sign_in(browser, live["url"], live["officer"])
    page.goto(f"{live['url']}/danh-gia/bang-diem?nam=2024")
    first = page.locator("input[name='rows-0-scores-2']")
    first.click()
    first.fill("7")
    page.keyboard.press("Enter")
    expect(page.locator("input[name='rows-1-scores-2']")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    for index in range(10):
        page.locator(f"input[name='rows-1-scores-{index}']").fill("8,5")
    expect(page.locator("tr[data-row='1'] .total")).to_have_text("85")
    page.close()

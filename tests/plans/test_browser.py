"""In a real browser: open the progress dashboard, follow a figure to its workers, download the
periodic report (the pattern of tests/e2e/test_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import docx
import pytest
from playwright.sync_api import expect

from registry.auth.models import Role
from registry.learning.models import Area
from registry.reports.models import FundingSource, Spending
from tests.browser import chromium, live_server
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
YEAR = date.today().year


def _world(make) -> dict:
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    lan = make.worker(enterprise, given="Lan")
    make.worker(enterprise, given="Hoa")
    make.participation(make.activity(enterprise, area=Area.LAW, start=date(YEAR, 1, 5)), lan)
    make.session.add(Spending(commune_id=make.commune().id, spent_on=date(YEAR, 1, 6),
                              source=FundingSource.COMMUNE, amount=5_600_000,
                              purpose="Tổ chức Tuần lễ học tập suốt đời"))
    officer = make.user(Role.COMMUNE, username="canbo.tiendo")
    return {"username": officer.username}


@pytest.fixture(scope="module")
def live(database) -> Iterator[dict]:
    """The app on 127.0.0.1 with a commune officer, two workers (one took part in a law
    talk this year) and a spending line of 5.600.000 đồng."""
    with live_server(database, "plans_e2e", _world) as world:
        yield world


def test_dashboard_figure_to_list_and_report_download(live, tmp_path):
    """The officer opens the dashboard, clicks the 1 worker reached in a), sees Lan (and not
    Hoa), then downloads the report whose DOCX holds the spending."""
    base = live["url"]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                accept_downloads=True)
        page.goto(f"{base}/dang-nhap")
        page.fill("#username", live["username"])
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Đăng nhập')")
        page.click("nav >> text=Tiến độ, báo cáo")
        page.click("nav >> text=Tiến độ chỉ tiêu")
        expect(page.locator("h1")).to_contain_text(f"Tiến độ thực hiện chỉ tiêu năm {YEAR}")
        card = page.locator("[data-indicator='a']")
        expect(card).to_contain_text("50,0%")
        expect(page.locator("svg.chart")).to_be_visible()
        card.locator("a.figure-link").click()
        table = page.locator("#figure-workers")
        expect(table).to_contain_text("Nguyễn Thị Lan")
        expect(table).not_to_contain_text("Nguyễn Thị Hoa")
        with page.expect_download() as sheet:
            page.click("text=Tải Excel (.xlsx)")
        assert sheet.value.suggested_filename.endswith(".xlsx")

        page.click("nav >> text=Tiến độ, báo cáo")
        page.click("nav >> text=Báo cáo định kỳ")
        expect(page.locator("h1")).to_contain_text("Báo cáo kết quả thực hiện")
        with page.expect_download() as report:
            page.click("#download-docx")
        path = tmp_path / report.value.suggested_filename
        report.value.save_as(path)
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert "5.600.000 đồng" in text

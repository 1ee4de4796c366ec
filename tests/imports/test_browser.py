"""In a real browser: upload a sheet, fix a column the importer did not recognise, watch the
background preview, commit, and find the workers in the list.

The live server (tests/browser.py) runs on a database of its own with CSRF on; every upload goes
to the background worker thread (inline size 0), so the progress page and its polling run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry.auth.models import Role
from registry.extensions import db as _db
from registry.imports.models import ImportRecord, ImportStatus
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Worker
from tests.browser import chromium, live_server
from tests.conftest import PASSWORD
from tests.imports.builders import xlsx_bytes

pytestmark = pytest.mark.browser


def _world(make) -> dict:
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    officer = make.user(Role.COMMUNE, username="canbo.nhap")
    return {"enterprise_id": enterprise.id, "username": officer.username}


@pytest.fixture(scope="module")
def live(database, tmp_path_factory) -> Iterator[dict]:
    """The app served on 127.0.0.1 with a commune officer and an enterprise."""
    folder = tmp_path_factory.mktemp("uploads")
    with live_server(database, "imports_e2e", _world, REGISTRY_IMPORT_INLINE_BYTES=0,
                     REGISTRY_IMPORT_FOLDER=str(folder)) as world:
        yield world


@pytest.fixture
def page(live):
    """A fresh browser page."""
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")


def test_upload_adjust_mapping_preview_and_commit(live, page, tmp_path):
    """The officer uploads a sheet whose birth column has an unusual header, maps it by hand,
    sees the preview counts, commits, and finds the workers."""
    an = make_citizen_id("038", 1990, MALE, 501)
    hoa = make_citizen_id("038", 1994, FEMALE, 502)
    file = tmp_path / "danh-sach.xlsx"
    file.write_bytes(xlsx_bytes([
        ["CÔNG TY MAY SAO VÀNG"], ["DANH SÁCH CÔNG NHÂN"], [],
        ["STT", "Họ và tên", "Số CCCD", "Sinh (dd/mm/yyyy)", "Giới tính"],
        [1, "Nguyễn Văn An", an, "15/03/1990", "Nam"],
        [2, "LÊ THỊ HOA", int(hoa), "1994", "Nữ"],
    ]))
    base = live["url"]
    page.goto(f"{base}/dang-nhap")
    page.fill("#username", live["username"])
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")

    page.click("nav >> text=Hồ sơ")
    page.click("nav >> text=Nhập dữ liệu từ Excel")
    page.click("text=Tải tệp lên")
    page.select_option("#kind", "workers")
    page.select_option("#enterprise_id", str(live["enterprise_id"]))
    page.set_input_files("#file", str(file))
    page.click("button:has-text('Tải lên và nhận cột')")

    expect(page.locator("h1")).to_contain_text("Xác nhận cột: danh-sach.xlsx")
    expect(page.locator(".alert-warning")).to_contain_text(
        "Không tìm thấy cột bắt buộc: Ngày sinh.")
    expect(page.locator("#map_citizen_id")).to_have_value("2")
    page.select_option("#map_birth_date", "3")
    page.click("button:has-text('Kiểm tra dữ liệu')")

    counts = page.locator("#counts")
    expect(counts).to_contain_text("Thêm mới", timeout=30_000)
    expect(counts.locator(".card").first).to_contain_text("2")
    expect(page.locator("h2")).to_contain_text("Xem trước (2 dòng dữ liệu)")
    page.check("input[value='all']")
    page.click("button:has-text('Ghi vào sổ')")
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm 2", timeout=30_000)
    page.screenshot(path=str(tmp_path / "import-done.png"), full_page=True)

    page.click("nav >> text=Hồ sơ")
    page.click("nav >> text=Người lao động")
    expect(page.locator("table")).to_contain_text("Lê Thị Hoa")
    expect(page.locator("table")).to_contain_text("Nguyễn Văn An")
    page.click("nav >> text=Hồ sơ")
    page.click("nav >> text=Nhập dữ liệu từ Excel")
    expect(page.locator("table")).to_contain_text("danh-sach.xlsx")
    expect(page.locator("table")).to_contain_text("Đã nhập")

    with live["app"].app_context():
        record = _db.session.scalar(select(ImportRecord))
        assert record.status == ImportStatus.DONE and record.mapping["birth_date"] == 3
        assert re.fullmatch(r"[0-9a-f]{64}", record.sha256)
        born = {w.citizen_id: w.birth_date.year for w in _db.session.scalars(select(Worker))}
        assert born == {an: 1990, hoa: 1994}
        _db.session.remove()

"""Dashboard pages, the worker lists behind figures and their export, and the plan forms."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.learning.models import Area
from registry.plans.models import Plan
from tests.conftest import field_errors


@pytest.fixture
def staff(make):
    """Enterprise A with two workers (one took part in a law talk in 2025) and enterprise B
    with one worker."""
    a, b = make.enterprise(name="Công ty May A"), make.enterprise(name="Công ty Giày B")
    lan = make.worker(a, given="Lan", phone="0912345678")
    hoa = make.worker(a, given="Hoa")
    minh = make.worker(b, family="Trần", middle="Văn", given="Minh")
    make.participation(make.activity(a, area=Area.LAW, start=date(2025, 3, 10)), lan)
    return {"a": a, "b": b, "lan": lan, "hoa": hoa, "minh": minh}


def rate_card(page: str, letter: str) -> str:
    found = re.search(rf'data-indicator="{letter}".*?</div>\s*</div>\s*</div>', page, re.S)
    assert found, letter
    return found.group(0)


def test_dashboard_shows_rates_targets_and_links(client, login_as, staff):
    """The commune dashboard shows 1/3 for indicator a against the national 70% target,
    coloured as behind, and links each figure to its workers."""
    login_as(Role.COMMUNE)
    page = client.get("/bang-dieu-khien", query_string={"nam": 2025}).get_data(as_text=True)
    card = rate_card(page, "a")
    assert "33,3%" in card and ">1</a>" in card and ">3</a>" in card
    assert "Chỉ tiêu 2025: 70,0%" in card and 'data-status="behind"' in card
    assert "<svg" in page and "Tỷ lệ năm 2025 so với chỉ tiêu" in page
    assert "Công ty May A" in page and "Công ty Giày B" in page
    listing = client.get("/bang-dieu-khien/nguoi-lao-dong",
                         query_string={"nam": 2025, "chi_so": "a", "nhom": "dat"})
    text = listing.get_data(as_text=True)
    assert "Nguyễn Thị Lan" in text and "Nguyễn Thị Hoa" not in text
    assert '<td class="text-end">4</td>' in text  # her 4 hours of law talks
    missing = client.get("/bang-dieu-khien/nguoi-lao-dong",
                         query_string={"nam": 2025, "chi_so": "a", "nhom": "chua"})
    assert "Nguyễn Thị Hoa" in missing.get_data(as_text=True)
    assert "Trần Văn Minh" in missing.get_data(as_text=True)
    trend = client.get("/bang-dieu-khien/xu-huong.svg", query_string={"nam": 2025})
    assert trend.mimetype == "image/svg+xml" and b"<polyline" in trend.data


def test_export_writes_ids_and_citizen_ids_as_text(client, login_as, staff):
    """The .xlsx of a figure keeps IDs as text (leading zeros) and marks who was counted."""
    login_as(Role.COMMUNE)
    response = client.get("/bang-dieu-khien/nguoi-lao-dong.xlsx",
                          query_string={"nam": 2025, "chi_so": "a", "nhom": "tat-ca"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    by_name = {row[header.index("Họ và tên")]: row for row in rows}
    lan = by_name["Nguyễn Thị Lan"]
    assert lan[header.index("Số CCCD")] == staff["lan"].citizen_id
    assert lan[header.index("Số CCCD")].startswith("038")
    assert lan[header.index("Mã người lao động")] == str(staff["lan"].id)
    assert lan[header.index("Được tính")] == "Có"
    assert lan[header.index("Số giờ")] == 4
    assert by_name["Nguyễn Thị Hoa"][header.index("Được tính")] == "Không"
    assert len(rows) == 3


def test_provincial_viewer_export_has_no_personal_data(client, login_as, staff):
    """A provincial viewer's export and list carry no citizen ID or birth year."""
    login_as(Role.PROVINCE)
    response = client.get("/bang-dieu-khien/nguoi-lao-dong.xlsx",
                          query_string={"don_vi": "tinh-38", "nam": 2025})
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert staff["lan"].citizen_id not in values and "Số CCCD" not in values
    page = client.get("/bang-dieu-khien/nguoi-lao-dong",
                      query_string={"don_vi": "tinh-38", "nam": 2025}).get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Năm sinh" not in page


def test_enterprise_officer_sees_only_their_enterprise(client, login_as, staff):
    """An enterprise officer's dashboard is their enterprise; other units answer 404."""
    login_as(Role.ENTERPRISE, enterprise=staff["a"])
    page = client.get("/bang-dieu-khien", query_string={"nam": 2025}).get_data(as_text=True)
    assert "Công ty May A" in page and "Công ty Giày B" not in page
    assert ">2</a>" in rate_card(page, "a")
    for key in ("xa-15865", f"dn-{staff['b'].id}", "tinh-38"):
        response = client.get("/bang-dieu-khien", query_string={"don_vi": key})
        assert response.status_code == 404, key
    listing = client.get("/bang-dieu-khien/nguoi-lao-dong", query_string={"nam": 2025})
    assert "Trần Văn Minh" not in listing.get_data(as_text=True)


def plan_form(**overrides) -> dict:
    form = {"level": "commune", "issuing_body": "UBND xã Hoằng Hóa", "number": "107/KH-UBND",
            "issued_on": "2023-12-11", "title": "Triển khai Chương trình học tập suốt đời",
            "start_year": "2023", "end_year": "2030", "counting_window": "year",
            "year_1": "2025", "year_2": "2030"}
    for row, values in ((1, (90, 72, 65, 65, 35)), (2, (95, 85, 85, 80, 60))):
        for letter, value in zip("abcde", values, strict=True):
            form[f"t{row}_{letter}"] = str(value)
    form.update(overrides)
    return form


def test_commune_enters_its_plan_and_the_dashboard_uses_it(client, login_as, db, staff):
    """The Hoằng Hợp targets entered on the form become the dashboard's targets."""
    login_as(Role.COMMUNE)
    response = client.post("/ke-hoach/moi", data=plan_form(t1_a="90,5"))
    assert response.status_code == 302
    plan = db.scalar(select(Plan).where(Plan.number == "107/KH-UBND"))
    assert [t.percent for t in plan.targets][:2] == [Decimal("90.5"), Decimal(72)]
    page = client.get("/bang-dieu-khien", query_string={"nam": 2025}).get_data(as_text=True)
    assert "Chỉ tiêu 2025: 90,5%" in rate_card(page, "a")
    assert "107/KH-UBND" in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"t1_b": "120"}, "t1_b", "Chỉ tiêu b) năm 2025: 120% nằm ngoài khoảng 0–100%."),
    ({"t2_e": "-5"}, "t2_e", "Chỉ tiêu e) năm 2030: -5% nằm ngoài khoảng 0–100%."),
    ({"t1_a": "chín mươi"}, "t1_a", "Chỉ tiêu a) năm 2025: phải là một số phần trăm."),
    ({"start_year": "2030", "end_year": "2023"}, "end_year",
     "Năm kết thúc (2023) không được trước năm bắt đầu (2030)."),
    ({"year_2": "2035"}, "t2_a", "Năm mốc 2035 nằm ngoài thời gian kế hoạch 2023–2030."),
])
def test_plan_form_refuses_bad_values_and_saves_nothing(client, login_as, db, overrides, field,
                                                       message):
    """Targets outside 0–100, an end before the start, a milestone outside the period."""
    login_as(Role.COMMUNE)
    before = db.scalar(select(func.count()).select_from(Plan))
    response = client.post("/ke-hoach/moi", data=plan_form(**overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert db.scalar(select(func.count()).select_from(Plan)) == before


def test_commune_cannot_edit_the_national_plan(client, login_as):
    """The national plan is read-only to a commune officer."""
    login_as(Role.COMMUNE)
    page = client.get("/ke-hoach/1").get_data(as_text=True)
    assert "1268/QĐ-TTg" in page and "Sửa kế hoạch" not in page
    assert client.post("/ke-hoach/1/sua", data=plan_form()).status_code == 403

"""Exports of the lists: .xlsx with text IDs, frozen header and filter; CSV with a BOM;
the page's filters honoured; no personal data for provincial viewers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from registry.auth.models import Role
from registry.imports.writers import activity_code


def sheet_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    return rows


def csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def world(make):
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    lan = make.worker(enterprise, birth=date(1990, 5, 17), phone="0912345678",
                      union_member=True)
    hoa = make.worker(enterprise, given="Hoa")
    activity = make.activity(enterprise, title="Tập huấn an toàn", hours=Decimal("3.5"))
    make.participation(activity, lan)
    return {"enterprise": enterprise, "lan": lan, "hoa": hoa, "activity": activity}


def test_workers_xlsx_keeps_ids_as_text_with_frozen_filtered_header(client, login_as, world):
    """The workers list as .xlsx: Vietnamese headers, CCCD as text, frozen, auto filter."""
    login_as(Role.COMMUNE)
    response = client.get("/xuat/nguoi-lao-dong.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="danh-sach-nguoi-lao-dong-')
    rows = sheet_rows(response)
    assert rows[0][:3] == ("STT", "Họ và tên", "Họ") and "Số CCCD" in rows[0]
    lan = world["lan"]
    line = next(r for r in rows if r[1] == lan.full_name)
    assert line[rows[0].index("Số CCCD")] == lan.citizen_id  # a string, leading 0 kept
    assert line[rows[0].index("Ngày sinh")].date() == date(1990, 5, 17)
    assert line[rows[0].index("Đoàn viên công đoàn")] == "x"
    xml = zipfile.ZipFile(io.BytesIO(response.data)).read("xl/worksheets/sheet1.xml")
    assert b'<pane ySplit="1"' in xml and b"<autoFilter" in xml


def test_workers_export_honours_the_search(client, login_as, world):
    """The export holds the rows the filtered list shows."""
    login_as(Role.COMMUNE)
    rows = csv_rows(client.get("/xuat/nguoi-lao-dong.csv", query_string={"q": "hoa"}))
    assert [r[1] for r in rows[1:]] == [world["hoa"].full_name]


def test_province_viewer_gets_no_personal_data(client, login_as, world):
    """A provincial viewer's exports have no CCCD, birth date or phone column or value."""
    login_as(Role.PROVINCE)
    lan, activity = world["lan"], world["activity"]
    for url in ("/xuat/nguoi-lao-dong.csv", f"/xuat/hoat-dong/{activity.id}/tham-gia.csv"):
        text = client.get(url).data.decode("utf-8")
        assert lan.full_name in text
        for secret in (lan.citizen_id, "17/05/1990", "1990", "0912345678", "CCCD", "sinh"):
            assert secret not in text
    rows = sheet_rows(client.get("/xuat/nguoi-lao-dong.xlsx"))
    assert "Số CCCD" not in rows[0] and "Ngày sinh" not in rows[0]


def test_activities_and_participations_exports(client, login_as, world):
    """Activities with codes and head counts; an activity's participants in a layout the
    participation import reads back."""
    login_as(Role.ENTERPRISE, enterprise=world["enterprise"])
    activity = world["activity"]
    rows = csv_rows(client.get("/xuat/hoat-dong.csv"))
    assert rows[0][:2] == ["Mã hoạt động", "Tên hoạt động"]
    assert rows[1][0] == activity_code(activity.id) and rows[1][9] == "3,5"
    assert rows[1][-1] == "1"
    rows = sheet_rows(client.get(f"/xuat/hoat-dong/{activity.id}/tham-gia.xlsx"))
    header = rows[0]
    assert header[header.index("Mã hoạt động")] == "Mã hoạt động"
    line = rows[1]
    assert line[header.index("Số CCCD")] == world["lan"].citizen_id
    assert line[header.index("Số giờ")] == 3.5 and line[header.index("Hoàn thành")] == "Đạt"


def test_worker_record_export_and_scoping(client, login_as, make, world):
    """A worker's learning record exports; another enterprise's worker answers 404."""
    login_as(Role.ENTERPRISE, enterprise=world["enterprise"])
    rows = csv_rows(client.get(f"/xuat/nguoi-lao-dong/{world['lan'].id}/hoc-tap.csv"))
    assert rows[1][3] == "Tập huấn an toàn" and rows[1][0] == "2025"
    stranger = make.worker(make.enterprise(), given="Xa")
    assert client.get(f"/xuat/nguoi-lao-dong/{stranger.id}/hoc-tap.xlsx").status_code == 404
    other = make.activity(make.enterprise())
    assert client.get(f"/xuat/hoat-dong/{other.id}/tham-gia.csv").status_code == 404


def test_pages_offer_export_buttons(client, login_as, world):
    """The lists and the profile link to their exports."""
    login_as(Role.COMMUNE)
    assert "/xuat/nguoi-lao-dong.xlsx" in client.get("/nguoi-lao-dong").get_data(as_text=True)
    assert "/xuat/hoat-dong.csv" in client.get("/hoat-dong").get_data(as_text=True)
    page = client.get(f"/hoat-dong/{world['activity'].id}").get_data(as_text=True)
    assert f"/xuat/hoat-dong/{world['activity'].id}/tham-gia.xlsx" in page
    page = client.get(f"/nguoi-lao-dong/{world['lan'].id}").get_data(as_text=True)
    assert f"/xuat/nguoi-lao-dong/{world['lan'].id}/hoc-tap.xlsx" in page

"""From uploaded sheet to normalised records: the whole file-reading pipeline per import kind."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from registry.imports.headers import detect_header
from registry.imports.reader import Row, open_workbook
from registry.imports.records import read_records
from tests.imports.builders import xls_bytes, xlsx_bytes

TODAY = dt.date(2026, 6, 1)


def records_of(data: bytes, kind: str) -> list:
    """Open, detect the header and read all records of the default sheet."""
    with open_workbook(io.BytesIO(data), max_bytes=10**7) as book:
        match = detect_header(book.rows(), kind)
        return list(read_records(book.rows(), match, today=TODAY))


MESSY_WORKERS = [
    ["LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA"],
    ["DANH SÁCH CÔNG NHÂN LAO ĐỘNG"],
    [],
    ["STT", "HỌ VÀ TÊN", "Số CCCD/CMND", "Năm sinh", "Giới tính", "", "SĐT", "Đoàn viên"],
    ["", "", "", "", "Nam", "Nữ", "", ""],
    [1, "NGUYỄN  VĂN AN", 38090012345, 1990, "x", "", 912345678, "x"],
    [2, "trần thị bình", "038 195 012 346", "05/02/1995", "", "x", "+84 987 654 321", ""],
    [3, "Lê Văn Cường", "038090012347", "31/02/1990", "x", "", "", "Có"],
    [4, "Phạm Thị Dung", "038090012348", "1990", "", "x", "", ""],
    [None, None, None, None, None, None, None, None],
    ["", "Người lập biểu"],
]


def test_messy_workers_sheet_end_to_end():
    """A real-looking worker list reads into clean records with per-row errors."""
    found = records_of(xlsx_bytes(MESSY_WORKERS), "workers")
    assert [r.row for r in found] == [6, 7, 8, 9]
    an, binh, cuong, dung = found
    assert an.ok, an.errors
    assert an.values["full_name"] == "Nguyễn Văn An"
    assert (an.values["family_name"], an.values["middle_name"], an.values["given_name"]) == (
        "Nguyễn", "Văn", "An")
    assert an.values["citizen_id"] == "038090012345"
    assert an.values["birth_date"] == dt.date(1990, 1, 1) and an.values["birth_date_year_only"]
    assert an.values["sex"] == "M" and an.values["phone"] == "0912345678"
    assert an.values["union_member"] is True
    assert binh.ok and binh.values["sex"] == "F" and binh.values["full_name"] == "Trần Thị Bình"
    assert binh.values["birth_date"] == dt.date(1995, 2, 5)
    assert "birth_date_year_only" not in binh.values
    assert cuong.errors == {
        "birth_date": "Ngày sinh: ngày không đọc được: «31/02/1990» (không có ngày này)."}
    assert dung.errors["citizen_id"] == (
        "Số CCCD cho biết giới tính Nam, khác với giới tính đã ghi Nữ.")
    assert dung.error_text() == dung.errors["citizen_id"]


def test_same_sheet_as_xls_gives_the_same_records():
    """The .xls version of the sheet gives the same values as the .xlsx one."""
    from_xlsx = records_of(xlsx_bytes(MESSY_WORKERS), "workers")
    from_xls = records_of(xls_bytes(MESSY_WORKERS), "workers")
    assert [(r.row, r.values, r.errors) for r in from_xls] == [
        (r.row, r.values, r.errors) for r in from_xlsx]


def test_missing_required_value_and_legacy_cmnd():
    """A row without a required value says what is missing; a 9-digit CMND is a warning."""
    found = records_of(xlsx_bytes([
        ["Họ và tên", "Số CCCD", "Ngày sinh"],
        ["Nguyễn Văn An", "", "15/03/1990"],
        ["Nguyễn Văn Bình", "123456789", "15/03/1990"],
    ]), "workers")
    assert found[0].errors == {"citizen_id": "Chưa có Số CCCD."}
    assert found[1].ok and found[1].values["citizen_id_legacy"] is True
    assert "CMND 9 chữ số" in found[1].warnings[0]


def test_family_and_middle_in_one_column_with_given_name_apart():
    """"Họ và tên đệm" plus "Tên" columns split into family, middle and given name."""
    found = records_of(xlsx_bytes([
        ["Họ và tên đệm", "Tên", "Số CCCD", "Ngày sinh"],
        ["NGUYỄN THỊ THU", "HÀ", "038190012345", "1990"],
    ]), "workers")
    assert (found[0].values["family_name"], found[0].values["middle_name"],
            found[0].values["given_name"]) == ("Nguyễn", "Thị Thu", "Hà")


def test_repeated_header_and_template_example_row():
    """A header repeated on a printed page is skipped; the template's example row is refused."""
    found = records_of(xlsx_bytes([
        ["Họ và tên", "Số CCCD", "Ngày sinh"],
        ["Nguyễn Văn An", "038090000001", "15/03/1990"],
        ["Họ và tên", "Số CCCD", "Ngày sinh"],
        ["Lê Thị Hoa", "038190012345", "1990"],
    ]), "workers")
    assert [r.row for r in found] == [2, 4]
    assert "dòng ví dụ" in found[0].errors["citizen_id"]
    assert found[1].ok


def test_participations():
    """Participation rows read CCCD, activity, date, hours with a decimal comma and completion."""
    found = records_of(xlsx_bytes([
        ["Số CCCD", "Họ tên", "Tên hoạt động", "Ngày tham gia", "Số giờ", "Kết quả"],
        ["038090012345", "An", "Tập huấn pháp luật", "20/05/25", "1,5", "Đạt"],
        ["038090012345", "An", "", "20/05/2025", "2", "Không đạt"],
    ]), "participations")
    assert found[0].ok
    assert found[0].values["attended_on"] == dt.date(2025, 5, 20)
    assert found[0].values["hours"] == Decimal("1.5") and found[0].values["completed"] is True
    assert found[1].errors == {"activity_title": "Chưa có Mã hoạt động hoặc Tên hoạt động."}


def test_activities_check_area_and_date_order():
    """Activity rows read the area from its name or letter and refuse an end before the start."""
    found = records_of(xlsx_bytes([
        ["Tên hoạt động", "Lĩnh vực", "Ngày bắt đầu", "Ngày kết thúc", "Số giờ"],
        ["Tập huấn Bộ luật Lao động", "Chính trị, pháp luật", "20/05/2025", "21/05/2025", 8],
        ["Lớp tin học văn phòng", "d", "10/06/2025", "01/06/2025", 4],
        ["Hội thi", "Thể thao", "10/06/2025", "", 4],
    ]), "activities")
    assert found[0].ok and found[0].values["area"] == "a"
    assert found[1].errors == {
        "end_date": "Ngày kết thúc 01/06/2025 trước ngày bắt đầu 10/06/2025."}
    assert list(found[2].errors) == ["area"]


def test_assessments_scores_total_and_maximum():
    """Assessment rows collect ten scores, check each against the maximum and the total."""
    header = ["Số CCCD", *[f"TC{i}" for i in range(1, 11)], "Tổng điểm"]
    found = records_of(xlsx_bytes([
        header,
        ["038090012345", *[8] * 9, "8,5", "80,5"],
        ["038090012346", *[8] * 9, 12, 84],
        ["038090012347", *[8] * 10, 90],
        ["038090012348", *[8] * 9, ""],
    ]), "assessments")
    assert found[0].ok and found[0].values["scores"][-1] == Decimal("8.5")
    assert found[1].errors == {"score_10": "Chỉ số 10: điểm 12 lớn hơn mức tối đa 10."}
    assert found[2].errors == {"total": "Tổng điểm ghi 90 nhưng cộng 10 chỉ số được 80."}
    assert found[3].errors == {"score_10": "Chưa có Chỉ số 10."}


def test_records_stream_from_a_generator():
    """Records are produced lazily from any iterable of rows."""
    match = detect_header([Row(1, ["Họ và tên", "Số CCCD", "Ngày sinh"])], "workers")

    def endless():
        number = 1
        while True:
            number += 1
            yield Row(number, ["Lê Văn An", "038090012345", "1990"])

    stream = read_records(endless(), match, today=TODAY)
    assert [next(stream).row for _ in range(3)] == [2, 3, 4]

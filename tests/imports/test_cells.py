"""Cell normalisers: the values real spreadsheets hold, and the reasons given for bad ones."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from registry.imports import cells
from registry.imports.cells import CellError, DateValue

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("raw, expected", [
    ("038190012345", "038190012345"),
    (38190012345, "038190012345"),
    (38190012345.0, "038190012345"),
    (3.8190012345e10, "038190012345"),
    ("3.8190012345E+10", "038190012345"),
    ("038 190 012 345", "038190012345"),
    ("038.190.012.345", "038190012345"),
    (" 038-190-012-345 ", "038190012345"),
    ("38190012345", "038190012345"),
    ("123456789", "123456789"),
    ("", None),
    (None, None),
])
def test_citizen_id_restores_zero_and_drops_separators(raw, expected):
    """A CCCD typed as a number, float, exponent text or with spaces/dots gives 12 digits."""
    assert cells.citizen_id(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("3,81E+10", "số mũ"),
    ("0381900123", "12 chữ số"),
    ("999190012345", "Mã tỉnh «999»"),
    ("03819001234A", "chỉ được gồm chữ số"),
    (38190012345.5, "thập phân"),
])
def test_citizen_id_errors_name_the_problem(raw, reason):
    """Bad CCCD values are refused with a reason naming the problem."""
    with pytest.raises(CellError, match=reason):
        cells.citizen_id(raw)


def test_legacy_cmnd_can_be_refused():
    """A 9-digit CMND is refused when legacy numbers are not allowed."""
    with pytest.raises(CellError, match="CMND 9 chữ số"):
        cells.citizen_id("123456789", allow_legacy=False)


@pytest.mark.parametrize("raw, expected", [
    (dt.date(1990, 3, 12), DateValue(dt.date(1990, 3, 12))),
    (dt.datetime(1990, 3, 12, 0, 0), DateValue(dt.date(1990, 3, 12))),
    ("12/03/1990", DateValue(dt.date(1990, 3, 12))),
    ("1/2/1990", DateValue(dt.date(1990, 2, 1))),
    ("12-03-1990", DateValue(dt.date(1990, 3, 12))),
    ("12.03.1990", DateValue(dt.date(1990, 3, 12))),
    ("1990-03-12", DateValue(dt.date(1990, 3, 12))),
    ("1990-03-12 00:00:00", DateValue(dt.date(1990, 3, 12))),
    ("ngày 12 tháng 3 năm 1990", DateValue(dt.date(1990, 3, 12))),
    (32944, DateValue(dt.date(1990, 3, 12))),
    (32944.0, DateValue(dt.date(1990, 3, 12))),
    ("32944", DateValue(dt.date(1990, 3, 12))),
    (1990, DateValue(dt.date(1990, 1, 1), year_only=True)),
    (1990.0, DateValue(dt.date(1990, 1, 1), year_only=True)),
    ("1990", DateValue(dt.date(1990, 1, 1), year_only=True)),
    ("Năm 1990", DateValue(dt.date(1990, 1, 1), year_only=True)),
    ("", None),
])
def test_dates_in_every_form(raw, expected):
    """Dates from date cells, serials, dd/mm/yyyy, ISO, words or a bare year are read."""
    assert cells.parse_date(raw, birth=True, today=TODAY) == expected


@pytest.mark.parametrize("serial, expected", [
    (1, dt.date(1900, 1, 1)),
    (59, dt.date(1900, 2, 28)),
    (61, dt.date(1900, 3, 1)),
    (45658, dt.date(2025, 1, 1)),
])
def test_excel_serials_follow_the_1900_leap_bug(serial, expected):
    """Serials before 1 March 1900 are shifted for Excel's phantom 29/02/1900."""
    assert cells.excel_serial_to_datetime(serial).date() == expected


def test_serial_60_is_the_day_that_never_was():
    """Serial 60 (Excel's 29/02/1900) is refused as not a real date."""
    assert cells.excel_serial_to_datetime(60) is None
    with pytest.raises(CellError, match="29/02/1900 không có thật"):
        cells.parse_date(60.0)


def test_1904_date_system():
    """Serials of a 1904-based workbook count from 1 January 1904."""
    assert cells.excel_serial_to_datetime(0, date1904=True) == dt.datetime(1904, 1, 1)


@pytest.mark.parametrize("raw, birth, expected_year", [
    ("05/02/90", True, 1990),
    ("05/02/05", True, 2005),
    ("05/02/15", True, 1915),
    ("05/02/15", False, 2015),
    ("05/02/25", False, 2025),
])
def test_two_digit_year_pivot(raw, birth, expected_year):
    """Two-digit years: birth dates make the person at least 14; activity dates are 20xx."""
    assert cells.parse_date(raw, birth=birth, today=TODAY).value.year == expected_year


@pytest.mark.parametrize("raw, reason", [
    ("31/02/2024", "không có ngày này"),
    ("29/02/2023", "không có ngày này"),
    ("12/13/1990", "không có ngày này"),
    ("abc", "ngày/tháng/năm"),
    ("1990/13", "ngày/tháng/năm"),
    (dt.time(8, 30), "ngày/tháng/năm"),
    (True, "ngày/tháng/năm"),
    ("01/01/1850", "không hợp lý"),
])
def test_impossible_dates_are_refused(raw, reason):
    """Impossible or unreadable dates give "Ngày không đọc được" and why."""
    with pytest.raises(CellError) as caught:
        cells.parse_date(raw, today=TODAY)
    assert str(caught.value).startswith("Ngày không đọc được: «")
    assert reason in str(caught.value)


def test_birth_date_in_the_future_is_refused():
    """A birth date after today is refused."""
    with pytest.raises(CellError, match="ở tương lai"):
        cells.parse_date("02/06/2026", birth=True, today=TODAY)


@pytest.mark.parametrize("raw, expected", [
    ("Nam", "M"), ("nam", "M"), ("NAM", "M"), ("Nữ", "F"), ("nữ", "F"), ("NỮ", "F"),
    ("nu", "F"), ("NU", "F"), (unicodedata.normalize("NFD", "Nữ"), "F"), ("1", "M"), (1, "M"),
    (1.0, "M"), ("0", "F"), (0, "F"), ("2", "F"), ("Nam giới", "M"), ("", None),
])
def test_sex_values(raw, expected):
    """Sex from Nam/Nữ in any case, without diacritics, or 1 = Nam, 0 or 2 = Nữ."""
    assert cells.sex(raw) == expected


@pytest.mark.parametrize("raw", ["x", "Không rõ", True])
def test_unclear_sex_is_refused(raw):
    """A mark or word that does not say which sex is refused."""
    with pytest.raises(CellError, match="ghi Nam hoặc Nữ"):
        cells.sex(raw)


@pytest.mark.parametrize("male, female, expected", [
    ("x", "", "M"), ("", "X", "F"), (None, 1, "F"), ("", "", None), ("\u2713", None, "M"),
])
def test_sex_from_two_marked_columns(male, female, expected):
    """Two columns "Nam" and "Nữ" with an x in one give the sex."""
    assert cells.sex_from_marks(male, female) == expected


def test_sex_marked_twice_is_refused():
    """A mark in both the Nam and the Nữ column is refused."""
    with pytest.raises(CellError, match="cả hai cột"):
        cells.sex_from_marks("x", "x")


@pytest.mark.parametrize("raw, expected", [
    ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
    ("nguyễn  văn   an", "Nguyễn Văn An"),
    (unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "Nguyễn Thị Ánh"),
    ("  đỗ thị hồng  ", "Đỗ Thị Hồng"),
    ("H'Hen Niê", "H'hen Niê"),
])
def test_person_names_are_nfc_collapsed_and_name_cased(raw, expected):
    """Names in capitals, NFD or with double spaces come out NFC, collapsed and name-cased."""
    result = cells.person_name(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_full_name_is_split_into_parts():
    """A full name splits into family, middle and given name."""
    assert cells.name_parts("nguyễn  thị thu hà") == ("Nguyễn", "Thị Thu", "Hà")


@pytest.mark.parametrize("raw", ["Nguyễn Văn An 2", "An (tổ 3)", "Trần#Bình"])
def test_names_with_digits_or_symbols_are_refused(raw):
    """Names holding digits or symbols are refused."""
    with pytest.raises(CellError, match="không phải chữ cái"):
        cells.person_name(raw)


@pytest.mark.parametrize("raw, expected", [
    ("1,5", Decimal("1.5")), ("1.5", Decimal("1.5")), (1.5, Decimal("1.5")), (2, Decimal(2)),
    ("2 giờ", Decimal(2)), ("3h", Decimal(3)), ("90 phút", Decimal("1.50")), ("", None),
])
def test_hours_accept_decimal_commas_and_units(raw, expected):
    """Hours read "1,5", "1.5", numbers and "giờ"/"phút" units."""
    assert cells.hours(raw) == expected


@pytest.mark.parametrize("raw, reason", [("-2", "không được âm"), ("hai", "không phải là số")])
def test_bad_hours_are_refused(raw, reason):
    """Negative or non-numeric hours are refused."""
    with pytest.raises(CellError, match=reason):
        cells.hours(raw)


def test_scores_allow_one_decimal():
    """Scores take one decimal place at most."""
    assert cells.score("8,5") == Decimal("8.5")
    with pytest.raises(CellError, match="1 chữ số thập phân"):
        cells.score("8,25")


@pytest.mark.parametrize("raw, expected", [
    ("x", True), ("X", True), ("có", True), ("Có", True), ("1", True), (1, True),
    ("Đạt", True), ("Hoàn thành", True), ("hoan thanh", True), (True, True),
    ("", None), (None, None), ("không", False), ("Không", False), ("0", False),
    ("Không đạt", False), ("chưa hoàn thành", False), (False, False),
])
def test_booleans(raw, expected):
    """Yes/no cells: x, có, 1, Đạt, Hoàn thành against không, 0, Không đạt; empty is None."""
    assert cells.boolean(raw) == expected


def test_unknown_boolean_is_refused():
    """A yes/no cell with another word is refused."""
    with pytest.raises(CellError, match="Không hiểu «có lẽ»"):
        cells.boolean("có lẽ")


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", "0912345678"), (912345678, "0912345678"), (912345678.0, "0912345678"),
    ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"),
    ("0912.345.678", "0912345678"), ("(0237) 3852 123", "02373852123"), ("", None),
])
def test_phone_numbers(raw, expected):
    """Phones lose separators, +84 becomes 0 and a lost leading zero is restored."""
    assert cells.phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0112345678", "09123456789"])
def test_bad_phone_numbers_are_refused(raw):
    """Phones of the wrong length or prefix are refused."""
    with pytest.raises(CellError, match="Số điện thoại"):
        cells.phone(raw)


@pytest.mark.parametrize("raw, expected", [
    ("Chính trị pháp luật", "a"), ("Chính trị, pháp luật", "a"), ("chinh tri phap luat", "a"),
    ("Kỹ năng nghề nghiệp", "b"), ("Kỹ năng sống", "c"), ("KY NANG SONG", "c"),
    ("Công nghệ thông tin, công nghệ số", "d"), ("CNTT", "d"), ("a", "a"), ("B", "b"),
    ("c)", "c"), ("d.", "d"),
])
def test_programme_areas(raw, expected):
    """Areas from their names (any case, with or without diacritics) or letters a–d."""
    assert cells.area(raw) == expected


@pytest.mark.parametrize("raw", ["Kỹ năng", "e", "Thể thao"])
def test_unknown_area_is_refused(raw):
    """An area that is none of the four, or ambiguous, is refused listing the choices."""
    with pytest.raises(CellError, match="a\\) Chính trị, pháp luật"):
        cells.area(raw)


def test_tax_code_from_number_keeps_leading_zero():
    """A tax code that lost its leading zero in a number cell is restored and checked."""
    assert cells.tax_code(100109106.0) == "0100109106"
    with pytest.raises(CellError, match="chữ số kiểm tra"):
        cells.tax_code("0100109107")


def test_text_drops_float_tail_and_collapses_spaces():
    """Text cells: whole floats lose ".0", spaces collapse, dates print dd/mm/yyyy."""
    assert cells.text(12.0) == "12"
    assert cells.text("  Công  ty\nABC ") == "Công ty ABC"
    assert cells.text(dt.date(2025, 2, 5)) == "05/02/2025"

"""Citizen ID numbers: normalising what users and spreadsheets give, and checking the digits."""

from decimal import Decimal

import pytest

from registry.workers.cccd import (
    FEMALE,
    MALE,
    PROVINCE_CODES,
    CitizenIdError,
    check_citizen_id,
    make_citizen_id,
    normalise_citizen_id,
)


def test_province_table_has_the_63_codes():
    """The birth-registration table holds 63 provinces, from 001 Hà Nội to 096 Cà Mau."""
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["038"] == "Thanh Hóa"
    assert PROVINCE_CODES["096"] == "Cà Mau"


def test_twelve_digits_of_thanh_hoa_are_read():
    """038 1 95 …: Thanh Hóa, a woman born in 1995."""
    checked = check_citizen_id("038195012345", birth_year=1995, sex=FEMALE)
    assert checked.number == "038195012345"
    assert not checked.legacy
    assert (checked.province_code, checked.province_name) == ("038", "Thanh Hóa")
    assert (checked.sex, checked.birth_year) == (FEMALE, 1995)


@pytest.mark.parametrize(
    ("number", "province"),
    [("001099012345", "Hà Nội"), ("002088000001", "Hà Giang"), ("008190000002", "Tuyên Quang")],
)
def test_province_codes_with_two_leading_zeros_are_kept(number, province):
    """Codes 001–009 keep both leading zeros when typed as text."""
    checked = check_citizen_id(number)
    assert checked.number == number
    assert checked.province_name == province


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("038099000001", MALE, 1999),
        ("038199000001", FEMALE, 1999),
        ("038203000001", MALE, 2003),
        ("038305000001", FEMALE, 2005),
        ("038400000001", MALE, 2100),
        ("038501000001", FEMALE, 2101),
    ],
)
def test_century_and_sex_digit(number, sex, year):
    """The fourth digit gives sex (even male, odd female) and century (0/1 1900s, 2/3 2000s…)."""
    checked = check_citizen_id(number, birth_year=year, sex=sex)
    assert (checked.sex, checked.birth_year) == (sex, year)


@pytest.mark.parametrize("province", ["003", "097", "000", "039"])
def test_province_code_outside_the_table_is_refused(province):
    """A first three digits that are no province code are refused, naming the code."""
    with pytest.raises(CitizenIdError, match=f"Mã tỉnh «{province}»"):
        check_citizen_id(f"{province}195012345")


def test_inconsistent_birth_year_is_refused():
    """A CCCD saying 1995 for a worker recorded as born in 1996 is refused in Vietnamese."""
    with pytest.raises(CitizenIdError) as error:
        check_citizen_id("038195012345", birth_year=1996, sex=FEMALE)
    assert str(error.value) == (
        "Số CCCD cho biết năm sinh 1995, khác với năm sinh đã ghi 1996."
    )


def test_century_matters_for_the_birth_year():
    """038 0 05 … is a man born in 1905, not 2005."""
    with pytest.raises(CitizenIdError, match="năm sinh 1905"):
        check_citizen_id("038005012345", birth_year=2005, sex=MALE)


def test_inconsistent_sex_is_refused():
    """A male digit for a worker recorded as female is refused in Vietnamese."""
    with pytest.raises(CitizenIdError) as error:
        check_citizen_id("038095012345", birth_year=1995, sex=FEMALE)
    assert str(error.value) == (
        "Số CCCD cho biết giới tính Nam, khác với giới tính đã ghi Nữ."
    )


@pytest.mark.parametrize(
    "raw",
    [
        "38195012345",
        38195012345,
        38195012345.0,
        Decimal("38195012345"),
        "38195012345.0",
        "3.8195012345E+10",
        3.8195012345e10,
    ],
)
def test_number_that_lost_its_leading_zero_gets_it_back(raw):
    """An Excel number cell (11 digits, float, scientific text) becomes 038… again."""
    assert normalise_citizen_id(raw) == "038195012345"
    assert check_citizen_id(raw, birth_year=1995, sex=FEMALE).number == "038195012345"


def test_float_from_the_brief_is_restored():
    """3.8123456789e10 is 038123456789: Thanh Hóa, a woman born in 1923."""
    checked = check_citizen_id(3.8123456789e10)
    assert checked.number == "038123456789"
    assert (checked.province_code, checked.sex, checked.birth_year) == ("038", FEMALE, 1923)


@pytest.mark.parametrize(
    "raw", ["038 195 012 345", "038.195.012.345", " 038-195-012-345 ", "038\u00a0195012345"]
)
def test_spaces_dots_and_dashes_are_dropped(raw):
    """Separators typed for readability are ignored."""
    assert normalise_citizen_id(raw) == "038195012345"


def test_nine_digit_cmnd_is_refused_by_default():
    """An old 9-digit CMND is refused unless flagged as legacy, with the expiry date."""
    with pytest.raises(CitizenIdError, match="31/12/2024"):
        check_citizen_id("172345678")


@pytest.mark.parametrize(("raw", "number"), [("172345678", "172345678"), ("12345678", "012345678")])
def test_nine_digit_cmnd_is_accepted_as_legacy(raw, number):
    """With allow_legacy, a CMND (even one that lost its leading zero) is kept and flagged."""
    checked = check_citizen_id(raw, birth_year=1980, sex=MALE, allow_legacy=True)
    assert checked.number == number
    assert checked.legacy
    assert checked.province_code is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Chưa nhập số CCCD."),
        (None, "Chưa nhập số CCCD."),
        ("   ", "Chưa nhập số CCCD."),
        ("03819501234A", "Số CCCD chỉ được gồm chữ số."),
        ("không có", "Số CCCD chỉ được gồm chữ số."),
        ("0381950123", "Số CCCD phải gồm 12 chữ số (đang có 10 chữ số)."),
        ("0381950123456", "Số CCCD phải gồm 12 chữ số (đang có 13 chữ số)."),
        (True, "Số CCCD không hợp lệ."),
        (3.5, "Số CCCD phải là dãy chữ số, không có phần thập phân."),
        (-38195012345, "Số CCCD phải là dãy chữ số, không có phần thập phân."),
    ],
)
def test_garbage_is_refused_with_a_vietnamese_message(raw, message):
    """Empty, non-digit, wrong-length or non-integer values get a precise message."""
    with pytest.raises(CitizenIdError) as error:
        check_citizen_id(raw)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("year", "sex"), [(1968, MALE), (1999, FEMALE), (2006, MALE), (2007, FEMALE)]
)
def test_made_numbers_pass_the_check(year, sex):
    """make_citizen_id composes numbers that check_citizen_id accepts for that year and sex."""
    number = make_citizen_id("038", year, sex, 42)
    assert len(number) == 12
    assert check_citizen_id(number, birth_year=year, sex=sex).number == number

"""Vietnamese dates (Decree 30), money and money in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from registry.documents.vn_format import (
    BLANK,
    date_line,
    date_prose,
    date_table,
    money,
    money_in_words,
    number,
    number_in_words,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (date(2025, 1, 31), "ngày 31 tháng 01 năm 2025"),
        (date(2023, 3, 10), "ngày 10 tháng 3 năm 2023"),
        (date(2025, 11, 15), "ngày 15 tháng 11 năm 2025"),
        (date(2023, 12, 9), "ngày 09 tháng 12 năm 2023"),
        (date(2024, 10, 1), "ngày 01 tháng 10 năm 2024"),
    ],
)
def test_date_prose_pads_days_below_ten_and_months_one_and_two(day, expected):
    """Days below 10 and months 1–2 get a leading zero, other months do not."""
    assert date_prose(day) == expected


def test_date_line_joins_place_and_date():
    """The place-and-date line reads "Hoằng Hợp, ngày 05 tháng 02 năm 2025"."""
    assert date_line("Hoằng Hợp", date(2025, 2, 5)) == "Hoằng Hợp, ngày 05 tháng 02 năm 2025"


def test_date_line_without_date_leaves_blanks_and_keeps_year():
    """Without a date the day and month are left blank for the signer, the year printed."""
    line = date_line("Hoằng Trung", None, 2023)
    assert line == f"Hoằng Trung, ngày{BLANK}tháng{BLANK}năm 2023"
    assert line.replace("\u00a0", " ").split() == ["Hoằng", "Trung,", "ngày", "tháng", "năm",
                                                   "2023"]


def test_date_table_is_always_two_digit_day_and_month():
    """Tables use dd/mm/yyyy with zeros for every month; None prints nothing."""
    assert date_table(date(2023, 3, 10)) == "10/03/2023"
    assert date_table(date(2025, 2, 5)) == "05/02/2025"
    assert date_table(None) == ""


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (5_600_000, "5.600.000 đồng"),
        (0, "0 đồng"),
        (999, "999 đồng"),
        (1000, "1.000 đồng"),
        (1_234_567_890, "1.234.567.890 đồng"),
        (-25_000, "-25.000 đồng"),
        (Decimal("500000"), "500.000 đồng"),
    ],
)
def test_money_uses_dots_between_thousands(amount, expected):
    """Money prints with a dot as thousands separator and the word "đồng"."""
    assert money(amount) == expected


def test_money_refuses_fractions_of_a_dong():
    """Amounts are whole đồng; a fraction is an error rather than silently rounded."""
    with pytest.raises(ValueError):
        money(Decimal("10.5"))
    with pytest.raises(TypeError):
        number(True)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (4, "Bốn đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (55, "Năm mươi lăm đồng"),
        (100, "Một trăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (115, "Một trăm mười lăm đồng"),
        (1001, "Một nghìn không trăm linh một đồng"),
        (1010, "Một nghìn không trăm mười đồng"),
        (1100, "Một nghìn một trăm đồng"),
        (14_000, "Mười bốn nghìn đồng"),
        (500_000, "Năm trăm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_001, "Một triệu không trăm linh một đồng"),
        (2_000_500, "Hai triệu năm trăm đồng"),
        (5_600_000, "Năm triệu sáu trăm nghìn đồng"),
        (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_234_567_890,
         "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng"),
        (1_001_000_000_000, "Một nghìn không trăm linh một tỷ đồng"),
        (10**12, "Một nghìn tỷ đồng"),
        (10**15, "Một triệu tỷ đồng"),
        (2 * 10**15 + 21, "Hai triệu tỷ không trăm hai mươi mốt đồng"),
    ],
)
def test_money_in_words_reads_like_a_receipt(amount, expected):
    """Words follow Vietnamese reading: mốt, tư, lăm, linh, không trăm, nghìn, triệu, tỷ."""
    assert money_in_words(amount) == expected


def test_money_in_words_can_say_le_instead_of_linh():
    """The southern "lẻ" can replace "linh" for a zero tens digit."""
    assert money_in_words(105, zero_tens="lẻ") == "Một trăm lẻ năm đồng"
    with pytest.raises(ValueError):
        number_in_words(105, zero_tens="le")


def test_negative_amount_in_words_says_am():
    """A negative amount reads "Âm …"."""
    assert money_in_words(-21) == "Âm hai mươi mốt đồng"

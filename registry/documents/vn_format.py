"""Vietnamese formats for documents: dates (Decree 30/2020/NĐ-CP), money and money in words.

Dates in prose and on the place-and-date line give the day a leading zero below 10 and the
months January and February a leading zero ("ngày 05 tháng 02 năm 2025", "ngày 15 tháng 11 năm
2025", "ngày 10 tháng 3 năm 2023").  Tables use dd/mm/yyyy.  Money uses a dot as thousands
separator ("5.600.000 đồng") and is read out in words the way accountants write it on receipts
("Một triệu không trăm linh năm nghìn đồng").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from numbers import Integral

#: Printed where a day or month is left blank for the signer to fill in by hand.
BLANK = "\u00a0" * 6

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_ZERO_TENS = ("linh", "lẻ")


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # Decree 30: months 1 and 2 take a leading zero so "1" cannot be extended to "11" or "12".
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_prose(d: date | None, year: int | None = None) -> str:
    """The date in prose, "ngày 05 tháng 02 năm 2025"; None gives blanks (and the year if given)."""
    if d is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year if year else BLANK}"
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def date_line(place: str, d: date | None, year: int | None = None) -> str:
    """The place-and-date line of a document: "Hoằng Hợp, ngày 05 tháng 02 năm 2025"."""
    return f"{place}, {date_prose(d, year)}"


def date_table(d: date | None) -> str:
    """A date in a table or a reference: "05/02/2025"; None gives ''."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def _as_int(amount: int | Decimal) -> int:
    if isinstance(amount, bool):
        raise TypeError("a money amount cannot be a bool")
    if isinstance(amount, Integral):
        return int(amount)
    if isinstance(amount, Decimal) and amount == amount.to_integral_value():
        return int(amount)
    raise ValueError(f"money amounts are whole đồng, got {amount!r}")


def number(value: int | Decimal) -> str:
    """A whole number with dots between thousands: 5600000 gives "5.600.000"."""
    amount = _as_int(value)
    text = f"{abs(amount):,}".replace(",", ".")
    return f"-{text}" if amount < 0 else text


def money(amount: int | Decimal) -> str:
    """An amount in đồng: 5600000 gives "5.600.000 đồng"."""
    return f"{number(amount)} đồng"


def _read_units(units: int, tens: int) -> str:
    """The unit digit after a tens digit (tens > 0): mốt, tư, lăm where Vietnamese uses them."""
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 4 and tens >= 2:
        return "tư"
    if units == 5:
        return "lăm"
    return _DIGITS[units]


def _read_triple(value: int, full: bool, zero_tens: str) -> list[str]:
    """Words for 0 < value < 1000; full reads "không trăm" and "linh" as inside a larger number."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(_DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units:
        words.append(_read_units(units, tens))
    return words


def _read(value: int, leading: bool, zero_tens: str) -> list[str]:
    """Words for 0 < value; leading is False when larger groups have been read before it."""
    billions, rest = divmod(value, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [*_read(billions, leading, zero_tens), "tỷ"]
    groups = (rest // 1_000_000, rest // 1000 % 1000, rest % 1000)
    for group, scale in zip(groups, ("triệu", "nghìn", ""), strict=True):
        if group:
            words += _read_triple(group, full=bool(words) or not leading, zero_tens=zero_tens)
            if scale:
                words.append(scale)
    return words


def number_in_words(value: int | Decimal, zero_tens: str = "linh") -> str:
    """A whole number in lower-case words; zero_tens is "linh" (default) or "lẻ" as in 105."""
    if zero_tens not in _ZERO_TENS:
        raise ValueError(f"zero_tens must be one of {_ZERO_TENS}")
    amount = _as_int(value)
    if amount == 0:
        return "không"
    words = _read(abs(amount), leading=True, zero_tens=zero_tens)
    return " ".join(["âm", *words] if amount < 0 else words)


def money_in_words(amount: int | Decimal, zero_tens: str = "linh") -> str:
    """An amount in words with a capital first letter: 500000 gives "Năm trăm nghìn đồng"."""
    text = f"{number_in_words(amount, zero_tens)} đồng"
    return text[0].upper() + text[1:]

"""Vietnamese tax codes (mã số thuế): 10 digits with a check digit, plus 3 for a branch."""

from __future__ import annotations

import re

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


class TaxCodeError(ValueError):
    """A tax code that cannot be accepted; str() is the Vietnamese message."""


def check_digit(first_nine: str) -> int | None:
    """The tenth digit for nine leading digits, or None where no valid code exists."""
    digit = 10 - sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True)) % 11
    return None if digit == 10 else digit


def normalise_tax_code(raw: object) -> str:
    """A checked tax code as "0101234567" or "0101234567-001"."""
    text = re.sub(r"[\s.]", "", str(raw or ""))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        text = str(int(raw)).zfill(10)
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", text)
    if not match:
        raise TaxCodeError(
            "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số (10 chữ số và 3 chữ số của chi "
            "nhánh, ví dụ 0101234567-001)."
        )
    main, branch = match.groups()
    if check_digit(main[:9]) != int(main[9]):
        raise TaxCodeError(f"Mã số thuế {main} sai chữ số kiểm tra (chữ số thứ 10).")
    if branch == "000":
        raise TaxCodeError("Mã chi nhánh (3 chữ số cuối) phải từ 001 đến 999.")
    return f"{main}-{branch}" if branch else main


def make_tax_code(nine_digits: str) -> str | None:
    """A valid 10-digit tax code from nine digits, or None if those digits have none."""
    digit = check_digit(nine_digits)
    return None if digit is None else nine_digits + str(digit)

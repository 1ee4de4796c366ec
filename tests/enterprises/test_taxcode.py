"""Vietnamese tax codes: ten digits with a check digit, three more for a branch."""

import pytest

from registry.enterprises.taxcode import (
    TaxCodeError,
    check_digit,
    make_tax_code,
    normalise_tax_code,
)


@pytest.mark.parametrize("code", ["0100109106", "0300588569"])
def test_real_tax_codes_are_accepted(code):
    """Published codes of real enterprises (Viettel, Vinamilk) pass the check digit."""
    assert normalise_tax_code(code) == code


def test_check_digit_of_a_real_code():
    """The tenth digit of 0100109106 is computed from the first nine."""
    assert check_digit("010010910") == 6


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
        (" 0100 109 106-002 ", "0100109106-002"),
        ("0300.588.569", "0300588569"),
        (300588569, "0300588569"),
    ],
)
def test_branches_separators_and_lost_zero(raw, normalised):
    """A branch suffix is written with a dash; spaces and dots go; a number gets its zero."""
    assert normalise_tax_code(raw) == normalised


@pytest.mark.parametrize("code", ["0100109107", "0300588560", "0100109105-001"])
def test_wrong_check_digit_is_refused(code):
    """A wrong tenth digit is refused, naming the main code."""
    with pytest.raises(TaxCodeError, match=f"Mã số thuế {code[:10]} sai chữ số kiểm tra"):
        normalise_tax_code(code)


@pytest.mark.parametrize(
    "code", ["", "010010910", "01001091061", "0100109106-01", "0100109106-0001", "01001O9106", None]
)
def test_wrong_length_or_characters_are_refused(code):
    """Anything but 10 or 10+3 digits is refused with the expected format."""
    with pytest.raises(TaxCodeError, match="Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số"):
        normalise_tax_code(code)


def test_branch_000_is_refused():
    """Branch numbers run from 001 to 999."""
    with pytest.raises(TaxCodeError, match="từ 001 đến 999"):
        normalise_tax_code("0100109106-000")


def test_made_codes_are_valid_or_none():
    """make_tax_code completes nine digits with their check digit, or gives None."""
    made = [make_tax_code(f"28{n:07d}") for n in range(40)]
    assert all(normalise_tax_code(code) == code for code in made if code)
    assert None in made  # some nine-digit prefixes have no valid check digit (remainder 10)

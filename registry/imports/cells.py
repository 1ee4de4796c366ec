"""Normalisers for the cell values found in real spreadsheets.

Each takes what the reader gave (str, int, float, bool, date, datetime, time or "") and returns
the clean value, None for an empty cell, or raises CellError whose text is a short Vietnamese
reason naming the problem and the value. Ranges that depend on settings (hours, age, points)
are checked by the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from registry.enterprises.taxcode import TaxCodeError, normalise_tax_code
from registry.imports.kinds import AREAS
from registry.text import clean, fold, name_case, split_full_name
from registry.workers.cccd import FEMALE, MALE, CitizenIdError, check_citizen_id

#: Day 0 of Excel's 1900 date system; serials from 61 on count from here.
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MAX_SERIAL = 2958465  # 31/12/9999
MIN_YEAR = 1900


class CellError(ValueError):
    """A cell value that cannot be used; str() is the Vietnamese reason."""


def is_blank(value: object) -> bool:
    """Whether a cell is empty: None, "" or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    """The value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean(value)


def text(value: object) -> str | None:
    """Text of a cell, NFC with spaces collapsed; a whole number loses its ".0"."""
    if is_blank(value):
        return None
    return _shown(value)


def code(value: object) -> str | None:
    """An identifier such as an activity code: text without inner spaces."""
    shown = text(value)
    return None if shown is None else shown.replace(" ", "")


# --- dates --------------------------------------------------------------------------------


def excel_serial_to_datetime(serial: float, date1904: bool = False) -> dt.datetime | None:
    """The moment an Excel serial number stands for, or None if there is none.

    Excel's 1900 system counts 29/02/1900, a day that never existed (serial 60, kept for
    Lotus 1-2-3 compatibility), so serials 1–59 are one day later than a plain count.
    """
    if serial < 0 or serial > _MAX_SERIAL:
        return None
    if date1904:
        return _EPOCH_1904 + dt.timedelta(days=serial)
    if serial >= 61 or serial < 1:
        return _EPOCH_1900 + dt.timedelta(days=serial)
    if int(serial) == 60:
        return None
    return _EPOCH_1900 + dt.timedelta(days=serial + 1)


@dataclass(frozen=True)
class DateValue:
    """A parsed date; year_only when the cell held just a year (the date is then 1 January)."""

    value: dt.date
    year_only: bool = False


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})" + _TIME)
_WORDS = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})")
_YEAR = re.compile(r"(?:nam\s*)?(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_DATE_HINT = "hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/02/1990"


def _unreadable(value: object, why: str) -> CellError:
    return CellError(f"Ngày không đọc được: «{_shown(value)}» ({why}).")


def _full_year(two_digits: int, birth: bool, today: dt.date) -> int:
    """A two-digit year: birth dates pick the century that makes the person at least 14."""
    year = 2000 + two_digits
    limit = today.year - 14 if birth else today.year + 5
    return year if year <= limit else year - 100


def _make_date(value: object, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _unreadable(value, "không có ngày này") from None


def parse_date(
    value: object, *, birth: bool = False, today: dt.date | None = None
) -> DateValue | None:
    """A date from a date cell, an Excel serial, "dd/mm/yyyy", "d/m/yy", "yyyy-mm-dd" or a year.

    A bare year (a number or text from 1900 to 2100) gives 1 January of it with year_only set.
    birth=True rejects dates in the future and reads two-digit years as birth years.
    """
    if is_blank(value):
        return None
    today = today or dt.date.today()
    result: DateValue
    if isinstance(value, bool | dt.time):
        raise _unreadable(value, _DATE_HINT)
    if isinstance(value, dt.datetime):
        result = DateValue(value.date())
    elif isinstance(value, dt.date):
        result = DateValue(value)
    elif isinstance(value, int | float):
        result = _date_from_number(value, value)
    else:
        result = _date_from_text(value, birth, today)
    if result.value.year < MIN_YEAR:
        raise _unreadable(value, f"năm {result.value.year} không hợp lý")
    if birth and result.value > today:
        raise _unreadable(value, "ngày sinh ở tương lai")
    return result


def _date_from_number(number: float, shown: object) -> DateValue:
    if float(number).is_integer() and MIN_YEAR <= number <= 2100:
        return DateValue(dt.date(int(number), 1, 1), year_only=True)
    moment = excel_serial_to_datetime(float(number))
    if moment is None:
        why = "ngày 29/02/1900 không có thật" if int(number) == 60 else _DATE_HINT
        raise _unreadable(shown, why)
    return DateValue(moment.date())


def _date_from_text(value: object, birth: bool, today: dt.date) -> DateValue:
    raw = clean(value)
    if match := _ISO.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
        return DateValue(_make_date(value, year, month, day))
    if match := _DMY.fullmatch(raw):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        year = int(year_text) if len(year_text) == 4 else _full_year(int(year_text), birth, today)
        return DateValue(_make_date(value, year, month, day))
    folded = fold(raw)
    if match := _WORDS.fullmatch(folded):
        day, month, year = (int(g) for g in match.groups())
        return DateValue(_make_date(value, year, month, day))
    if match := _YEAR.fullmatch(folded):
        year = int(match.group(1))
        if MIN_YEAR <= year <= 2100:
            return DateValue(dt.date(year, 1, 1), year_only=True)
    if _SERIAL.fullmatch(raw):
        return _date_from_number(float(raw), value)
    raise _unreadable(value, _DATE_HINT)


def year(value: object) -> int | None:
    """A year such as 2025, from a number, text or a date cell."""
    if is_blank(value):
        return None
    if isinstance(value, dt.date):
        return value.year
    shown = _shown(value)
    if re.fullmatch(r"\d{4}", shown) and MIN_YEAR <= int(shown) <= 2100:
        return int(shown)
    raise CellError(f"Năm «{shown}» không hợp lệ (ghi 4 chữ số, ví dụ 2025).")


# --- identifiers --------------------------------------------------------------------------

_EXPONENT = re.compile(r"(\d)[.,](\d+)[eE]\+?(\d+)")
_ID_SEPARATORS = re.compile(r"[\s.\-_/]+")


def citizen_id(value: object, *, allow_legacy: bool = True) -> str | None:
    """The digits of a CCCD (12) or legacy CMND (9), restoring a leading zero Excel dropped.

    Accepts numbers (38190012345, 3.8123456789e10) and text with spaces, dots or dashes.
    Text in exponent form with too few digits ("3,81E+10") is refused: Excel already lost them.
    """
    if is_blank(value):
        return None
    if isinstance(value, str) and (match := _EXPONENT.fullmatch(value.strip())):
        digits = len(match.group(1) + match.group(2))
        if digits < int(match.group(3)) + 1:
            raise CellError(
                f"Số CCCD «{value.strip()}» đã bị Excel đổi sang dạng số mũ và mất chữ số; "
                "hãy định dạng cột là Văn bản (Text) và nhập lại."
            )
        value = value.strip().replace(",", ".")
    elif isinstance(value, str):
        # registry.workers.cccd reads digit-only text as a number, so "0381900123" (10 digits)
        # would lose its zero and pass as a 9-digit CMND: count the digits as typed first.
        digits = _ID_SEPARATORS.sub("", value)
        if digits.isdigit() and len(digits) not in (8, 9, 11, 12):
            raise CellError(f"Số CCCD phải gồm 12 chữ số (đang có {len(digits)} chữ số).")
    try:
        return check_citizen_id(value, allow_legacy=allow_legacy).number
    except CitizenIdError as exc:
        raise CellError(str(exc)) from None


def phone(value: object) -> str | None:
    """A phone number as 10 digits (mobile) or 11 digits starting 02 (landline).

    A number cell loses the leading zero; +84 / 84 is replaced by 0; spaces, dots, dashes and
    brackets are dropped.
    """
    if is_blank(value):
        return None
    shown = _shown(value)
    digits = re.sub(r"[\s.\-()]", "", shown)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        digits = "0" + digits
    if re.fullmatch(r"0[35789]\d{8}|02\d{9}", digits):
        return digits
    raise CellError(
        f"Số điện thoại «{shown}» không hợp lệ (cần 10 chữ số, ví dụ 0912 345 678)."
    )


def tax_code(value: object) -> str | None:
    """A checked tax code (mã số thuế), 10 digits or 10+3 for a branch."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return normalise_tax_code(value)
    except TaxCodeError as exc:
        raise CellError(str(exc)) from None


# --- people -------------------------------------------------------------------------------

_NAME_WORD = r"[^\W\d_]+(?:['’.\-][^\W\d_]*)*"
_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD})*")


def person_name(value: object) -> str | None:
    """A name in NFC, spaces collapsed, each word capitalised ("NGUYỄN  văn an" gives "Nguyễn
    Văn An"); digits and symbols are refused."""
    if is_blank(value):
        return None
    name = name_case(clean(value))
    if not _NAME.fullmatch(name):
        raise CellError(f"«{clean(value)}» có chữ số hoặc ký tự không phải chữ cái.")
    return name


def name_parts(value: object) -> tuple[str, str, str] | None:
    """A full name split into family, middle and given name ("Nguyễn", "Thị Thu", "Hà")."""
    name = person_name(value)
    return None if name is None else split_full_name(name)


_MALE_WORDS = {"nam", "nam gioi", "m", "male", "trai", "1"}
_FEMALE_WORDS = {"nu", "nu gioi", "f", "female", "gai", "0", "2"}
#: The spellings met most often, looked up before any folding (a fast path for big files).
_SEX_EXACT = {"Nam": MALE, "nam": MALE, "NAM": MALE, "Nữ": FEMALE, "nữ": FEMALE, "NỮ": FEMALE}


def sex(value: object) -> str | None:
    """"M" or "F" from "Nam"/"Nữ" in any case, with or without diacritics.

    Number codes follow the statistics office's convention extended to 0/1: 1 is Nam, 0 or 2
    is Nữ.
    """
    if is_blank(value):
        return None
    if value.__class__ is str and value in _SEX_EXACT:
        return _SEX_EXACT[value]
    if isinstance(value, bool):
        raise CellError(f"Giới tính «{_shown(value)}» không rõ: ghi Nam hoặc Nữ.")
    key = fold(_shown(value))
    if key in _MALE_WORDS:
        return MALE
    if key in _FEMALE_WORDS:
        return FEMALE
    raise CellError(f"Giới tính «{_shown(value)}» không rõ: ghi Nam hoặc Nữ.")


def sex_from_marks(male: object, female: object) -> str | None:
    """Sex from two columns "Nam" and "Nữ" with a mark (x, 1, ✓) in one of them."""
    is_male, is_female = boolean(male), boolean(female)
    if is_male and is_female:
        raise CellError("Đánh dấu cả hai cột Nam và Nữ; chỉ đánh dấu một cột.")
    if is_male:
        return MALE
    if is_female:
        return FEMALE
    return None


# --- yes/no, numbers, areas ----------------------------------------------------------------

_TRUE_WORDS = {
    "x", "co", "1", "dat", "hoan thanh", "da hoan thanh", "yes", "y", "true", "v", "ok",
    "\u2713", "\u2714", "+", "la doan vien", "xuat sac", "gioi", "kha", "trung binh", "tot",
}
_BOOL_EXACT = {"x": True, "X": True, "Có": True, "Đạt": True, "Không": False, "0": False,
               "1": True}
_FALSE_WORDS = {
    "khong", "0", "khong dat", "chua dat", "chua hoan thanh", "khong hoan thanh", "no", "n",
    "false", "-", "yeu", "kem", "chua",
}


def boolean(value: object) -> bool | None:
    """True for x, Có, 1, Đạt, Hoàn thành; False for Không, 0, Không đạt; None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if value.__class__ is str and value in _BOOL_EXACT:
        return _BOOL_EXACT[value]
    key = fold(_shown(value)).rstrip(".")
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    raise CellError(f"Không hiểu «{_shown(value)}»: ghi x (hoặc Có) / để trống (hoặc Không).")


_NUMBER = re.compile(r"(-?\d+(?:[.,]\d+)?)\s*(gio|tieng|h|phut|p)?")


def number(value: object, *, places: int | None = None, what: str = "Số") -> Decimal | None:
    """A non-negative decimal from 1.5, "1,5" or "1.5"; places limits the decimals allowed."""
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.time):
        raise CellError(f"{what} «{_shown(value)}» không phải là số.")
    if isinstance(value, int | float):
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        match = _NUMBER.fullmatch(fold(value))
        if not match:
            raise CellError(f"{what} «{_shown(value)}» không phải là số.")
        try:
            result = Decimal(match.group(1).replace(",", "."))
        except InvalidOperation:
            raise CellError(f"{what} «{_shown(value)}» không phải là số.") from None
        if match.group(2) in ("phut", "p"):
            result = (result / 60).quantize(Decimal("0.01"))
    if result < 0:
        raise CellError(f"{what} «{_shown(value)}» không được âm.")
    if places is not None and result != round(result, places):
        raise CellError(f"{what} «{_shown(value)}» chỉ được có {places} chữ số thập phân.")
    return result.to_integral_value() if result == result.to_integral_value() else result


def hours(value: object) -> Decimal | None:
    """Hours as a decimal: "1,5", "1.5", 2, "2 giờ", "90 phút"."""
    return number(value, what="Số giờ")


def score(value: object) -> Decimal | None:
    """An indicator score with at most one decimal ("8,5"); the maximum is the caller's."""
    return number(value, places=1, what="Điểm")


_AREA_WORDS = (
    ("a", ("chinh tri", "phap luat")),
    ("b", ("nghe nghiep", "ky nang nghe")),
    ("c", ("ky nang song",)),
    ("d", ("cong nghe", "cntt", "chuyen doi so", "tin hoc")),
)


def area(value: object) -> str | None:
    """The programme area key a–d from its letter or its name, with or without diacritics."""
    if is_blank(value):
        return None
    key = re.sub(r"[^a-z0-9]+", " ", fold(_shown(value))).strip()
    if len(key) == 1 and key in AREAS:
        return key
    found = {letter for letter, words in _AREA_WORDS if any(w in key for w in words)}
    if len(found) == 1:
        return found.pop()
    choices = "; ".join(f"{k}) {label}" for k, label in AREAS.items())
    raise CellError(f"Lĩnh vực «{_shown(value)}» không rõ; chọn một trong: {choices}.")

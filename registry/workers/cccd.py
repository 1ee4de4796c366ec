"""Citizen identity numbers (CCCD / số định danh cá nhân) and legacy CMND numbers.

A CCCD has 12 digits PPP G YY NNNNNN: PPP the province of birth registration (the 63-province
table, still valid after the 2025 merger), G the century and sex, YY the last two digits of the
birth year. There is no check digit. Old 9-digit CMND numbers are accepted only as legacy data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: Province codes of birth registration (Circular 07/2016/TT-BCA), 63 entries.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

MALE, FEMALE = "M", "F"
_SEX_LABELS = {MALE: "Nam", FEMALE: "Nữ"}
_SEPARATORS = re.compile(r"[\s.\-_/]+")


class CitizenIdError(ValueError):
    """A citizen ID that cannot be accepted; str() is the Vietnamese message for the user."""


@dataclass(frozen=True)
class CitizenId:
    """A checked citizen ID and what its digits say."""

    number: str
    legacy: bool
    province_code: str | None = None
    sex: str | None = None
    birth_year: int | None = None

    @property
    def province_name(self) -> str | None:
        """The province of birth registration, for a 12-digit number."""
        return PROVINCE_CODES.get(self.province_code or "")


def normalise_citizen_id(raw: object) -> str:
    """The digits of a citizen ID as typed or read from a spreadsheet cell.

    Spaces, dots and dashes are dropped.  A number cell loses the leading zero (038… becomes
    an 11-digit number, or a float such as 3.8123456789e10), so an 11-digit value gets its 0
    back; an 8-digit one (a CMND that lost its zero) likewise.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise CitizenIdError("Số CCCD không hợp lệ.")
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation as exc:
            raise CitizenIdError("Số CCCD không hợp lệ.") from exc
        if number != number.to_integral_value() or number < 0:
            raise CitizenIdError("Số CCCD phải là dãy chữ số, không có phần thập phân.")
        text = str(int(number))
    else:
        text = _SEPARATORS.sub("", str(raw).strip())
        if re.fullmatch(r"\d+\.0+|\d(\.\d+)?[eE]\+?\d+", str(raw).strip()):
            # "38123456789.0" or "3.8123456789E+10" as text: a number that went through Excel.
            text = str(int(Decimal(str(raw).strip())))
    if len(text) in (11, 8) and text.isdigit():
        text = "0" + text
    return text


def check_citizen_id(
    raw: object,
    birth_year: int | None = None,
    sex: str | None = None,
    allow_legacy: bool = False,
) -> CitizenId:
    """Validate a citizen ID against the 63-province table and the recorded birth year and sex.

    Raises CitizenIdError with a Vietnamese message naming what is wrong.
    """
    number = normalise_citizen_id(raw)
    if not number:
        raise CitizenIdError("Chưa nhập số CCCD.")
    if not number.isdigit():
        raise CitizenIdError("Số CCCD chỉ được gồm chữ số.")
    if len(number) == 9:
        if not allow_legacy:
            raise CitizenIdError(
                "Số CMND 9 chữ số đã hết hiệu lực từ 31/12/2024; hãy nhập số CCCD 12 chữ số "
                "hoặc đánh dấu «CMND cũ» nếu chỉ còn số này."
            )
        return CitizenId(number=number, legacy=True)
    if len(number) != 12:
        raise CitizenIdError(f"Số CCCD phải gồm 12 chữ số (đang có {len(number)} chữ số).")
    province = number[:3]
    if province not in PROVINCE_CODES:
        raise CitizenIdError(
            f"Mã tỉnh «{province}» ở 3 chữ số đầu của số CCCD không có trong bảng mã 63 "
            "tỉnh, thành phố."
        )
    digit = int(number[3])
    coded_sex = MALE if digit % 2 == 0 else FEMALE
    coded_year = 1900 + 100 * (digit // 2) + int(number[4:6])
    if birth_year is not None and coded_year != birth_year:
        raise CitizenIdError(
            f"Số CCCD cho biết năm sinh {coded_year}, khác với năm sinh đã ghi {birth_year}."
        )
    if sex in _SEX_LABELS and coded_sex != sex:
        raise CitizenIdError(
            f"Số CCCD cho biết giới tính {_SEX_LABELS[coded_sex]}, khác với giới tính đã ghi "
            f"{_SEX_LABELS[sex]}."
        )
    return CitizenId(
        number=number, legacy=False, province_code=province, sex=coded_sex, birth_year=coded_year
    )


def make_citizen_id(province_code: str, birth_year: int, sex: str, serial: int) -> str:
    """Compose a valid 12-digit CCCD (used by demo data and tests)."""
    century_digit = 2 * ((birth_year - 1900) // 100) + (1 if sex == FEMALE else 0)
    return f"{province_code}{century_digit}{birth_year % 100:02d}{serial:06d}"

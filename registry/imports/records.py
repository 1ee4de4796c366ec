"""Turning the data rows under a header into normalised records with per-row errors.

Each mapped cell goes through the normaliser its field names (registry.imports.cells); then the
kind's own rules join fields (a full name split into parts, sex from two marked columns, the
CCCD checked against birth year and sex, an end date not before the start, ten scores and their
total). Rows are streamed: nothing is kept between rows, so any file size runs in flat memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from registry.imports import cells
from registry.imports.headers import HeaderMatch
from registry.imports.kinds import (
    EXAMPLE_ACTIVITY_CODE,
    EXAMPLE_CITIZEN_ID,
    SCORE_COUNT,
    Field,
    Kind,
)
from registry.imports.reader import Row
from registry.text import fold, join_name, split_full_name
from registry.workers.cccd import CitizenIdError, check_citizen_id

_FOOTER = re.compile(
    r"^(tong cong|tong so|cong|nguoi lap|nguoi lap bieu|giam doc|chu tich|thu truong|"
    r"xac nhan|ky ten|ghi chu|.*ngay \d+ thang \d+ nam \d+)\b"
)


_EXAMPLE_ROW = "Đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này."


@dataclass
class Record:
    """One data row: its sheet row number, clean values by field, and what is wrong with it."""

    row: int
    values: dict[str, object]
    #: Field name (or "" for the whole row) → Vietnamese message.
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    raw: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the row can be imported."""
        return not self.errors

    def error_text(self) -> str:
        """All errors in one line, as written in the «Lỗi» column of the error file."""
        return " ".join(self.errors.values())


def _parsers(today: dt.date | None) -> dict[str, Callable[[object], object]]:
    return {
        "citizen_id": cells.citizen_id,
        "person_name": cells.person_name,
        "birth_date": partial(cells.parse_date, birth=True, today=today),
        "date": partial(cells.parse_date, today=today),
        "sex": cells.sex,
        "boolean": cells.boolean,
        "text": cells.text,
        "code": cells.code,
        "tax_code": cells.tax_code,
        "phone": cells.phone,
        "hours": cells.hours,
        "score": cells.score,
        "area": cells.area,
        "year": cells.year,
    }


def _message(label: str, reason: str) -> str:
    """The reason, prefixed with the column label unless it already names it."""
    reason = reason.rstrip()
    if not reason.endswith("."):
        reason += "."
    if fold(reason).startswith(fold(label)):
        return reason
    return f"{label}: {reason[0].lower()}{reason[1:]}"


#: Distinct cell values whose outcome a column remembers; past this the memo starts afresh,
#: so memory stays flat whatever the file holds.
MEMO_SIZE = 4096
_BLANK = object()


class _Column:
    """One mapped field: its normaliser, and the outcome of the cell values already seen.

    A big file repeats most of its values (dates, hours, codes, «Đạt», a worker's CCCD on each
    of his activities); every normaliser is a pure function of the cell, so each distinct value
    is normalised once. An outcome is (clean value or _BLANK, Vietnamese message or None,
    whether the text repeats the column's header).
    """

    __slots__ = ("headers", "index", "label", "memo", "name", "parse")

    def __init__(self, item: Field, index: int, parse: Callable[[object], object],
                 headers: frozenset[str]) -> None:
        self.name, self.index, self.label = item.name, index, item.label
        self.parse, self.headers = parse, headers
        self.memo: dict[object, tuple[object, str | None, bool]] = {}

    def outcome(self, value: object) -> tuple[object, str | None, bool]:
        """What the cell value gives (remembered by value and type: 1, 1.0 and True differ)."""
        key = value if value.__class__ is str else (value.__class__, value)
        try:
            found = self.memo.get(key)
        except TypeError:  # an unhashable value, which no reader gives today
            return self._work_out(value)
        if found is None:
            found = self._work_out(value)
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = found
        return found

    def _work_out(self, value: object) -> tuple[object, str | None, bool]:
        if cells.is_blank(value):
            return _BLANK, None, False
        header = isinstance(value, str) and value.strip() in self.headers
        try:
            return self.parse(value), None, header
        except cells.CellError as exc:
            return None, _message(self.label, str(exc)), header


def read_records(
    rows: Iterable[Row], match: HeaderMatch, *, today: dt.date | None = None,
    max_score: Decimal = Decimal(10),
) -> Iterator[Record]:
    """Normalised records for the data rows below the header, in sheet order.

    Blank rows, a repeated header (printed pages) and footer lines such as "Người lập biểu"
    are skipped. max_score is the criteria set's maximum per indicator.
    """
    kind = match.kind_def
    parsers = _parsers(today)
    header_texts = match.header_texts
    columns = []
    for name, column in match.mapping.items():
        item = kind.field(name)
        columns.append(_Column(item, column, parsers[item.parser],
                               header_texts.get(column, frozenset())))
    required = [(item.name, f"Chưa có {item.label}.") for item in kind.fields if item.required]
    finish = _FINISHERS.get(kind.name)
    data_start, skip_rows = match.data_start, match.skip_rows
    for row in rows:
        number = row.number
        if number < data_start or number in skip_rows:
            continue
        values = row.values
        width = len(values)
        found: dict[str, object] = {}
        errors: dict[str, str] = {}
        present = headers = 0
        for column in columns:
            index = column.index
            if index >= width:
                continue
            # column.outcome() inlined for a remembered text, the case of most cells.
            cell = values[index]
            known = column.memo.get(cell) if cell.__class__ is str else None
            value, message, header = known or column.outcome(cell)
            if value is _BLANK:
                continue
            present += 1
            headers += header
            if message is None:
                found[column.name] = value
            else:
                errors[column.name] = message
        if not present or headers >= 2 or (present == 1 and _is_footer(values)):
            continue
        for name, message in required:
            if name not in found and name not in errors:
                errors[name] = message
        record = Record(number, found, errors, raw=values)
        if finish is not None:
            finish(record, kind, max_score)
        yield record


def _is_footer(values: list) -> bool:
    """Whether a row with one mapped cell is a footer line such as «Người lập biểu»."""
    filled = [v for v in values if not cells.is_blank(v)]
    return len(filled) <= 2 and bool(_FOOTER.match(fold(filled[0])))


def _date_value(record: Record, name: str) -> dt.date | None:
    value = record.values.get(name)
    return value.value if isinstance(value, cells.DateValue) else None


def _unwrap_dates(record: Record) -> None:
    for name, value in list(record.values.items()):
        if isinstance(value, cells.DateValue):
            record.values[name] = value.value
            if value.year_only:
                record.values[f"{name}_year_only"] = True


def _finish_worker(record: Record, kind: Kind, max_score: Decimal) -> None:
    values, errors = record.values, record.errors
    full = values.pop("full_name", None)
    family = values.pop("family_name", None)
    middle = values.pop("middle_name", None)
    given = values.pop("given_name", None)
    if full:
        family, middle, given = split_full_name(str(full))
    elif family and not middle and " " in str(family):
        # "Họ và tên đệm" in one column, "Tên" in the next.
        family, _, middle = str(family).partition(" ")
    if given:
        values.update(family_name=family or "", middle_name=middle or "", given_name=given)
        values["full_name"] = join_name(family or "", middle or "", given)
    elif not {"full_name", "family_name", "given_name"} & errors.keys():
        errors["full_name"] = "Chưa có họ tên (hoặc thiếu tên)."
    male, female = values.pop("sex_male", None), values.pop("sex_female", None)
    errors.pop("sex_male", None)
    errors.pop("sex_female", None)
    if values.get("sex") is None and "sex" not in errors:
        try:
            marked = cells.sex_from_marks(male, female)
        except cells.CellError as exc:
            errors["sex"] = str(exc)
        else:
            if marked:
                values["sex"] = marked
    birth = _date_value(record, "birth_date")
    number = values.get("citizen_id")
    if isinstance(number, str) and "citizen_id" not in errors:
        if number == EXAMPLE_CITIZEN_ID:
            errors["citizen_id"] = _EXAMPLE_ROW
        else:
            _cross_check(record, number, birth.year if birth else None, values.get("sex"))
    _unwrap_dates(record)


def _cross_check(record: Record, number: str, birth_year: int | None, sex: object) -> None:
    try:
        checked = check_citizen_id(number, birth_year, sex if isinstance(sex, str) else None,
                                   allow_legacy=True)
    except CitizenIdError as exc:
        record.errors["citizen_id"] = str(exc)
        return
    if checked.legacy:
        record.values["citizen_id_legacy"] = True
        record.warnings.append(
            f"Số CMND 9 chữ số {number} là giấy tờ cũ (hết hiệu lực từ 31/12/2024); nên bổ "
            "sung số CCCD."
        )


def _finish_simple(record: Record, kind: Kind, max_score: Decimal) -> None:
    number = record.values.get("citizen_id")
    if number == EXAMPLE_CITIZEN_ID:
        record.errors["citizen_id"] = _EXAMPLE_ROW
    _unwrap_dates(record)


def _finish_participation(record: Record, kind: Kind, max_score: Decimal) -> None:
    _finish_simple(record, kind, max_score)
    if not {"activity_code", "activity_title"} & (record.values.keys() | record.errors.keys()):
        record.errors["activity_title"] = "Chưa có Mã hoạt động hoặc Tên hoạt động."


def _finish_activity(record: Record, kind: Kind, max_score: Decimal) -> None:
    if record.values.get("code") == EXAMPLE_ACTIVITY_CODE:
        record.errors["code"] = _EXAMPLE_ROW
    start, end = _date_value(record, "start_date"), _date_value(record, "end_date")
    if start and end and end < start:
        record.errors["end_date"] = (
            f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}."
        )
    _unwrap_dates(record)


def _finish_assessment(record: Record, kind: Kind, max_score: Decimal) -> None:
    _finish_simple(record, kind, max_score)
    scores = []
    for i in range(1, SCORE_COUNT + 1):
        value = record.values.pop(f"score_{i}", None)
        if isinstance(value, Decimal) and value > max_score:
            record.errors[f"score_{i}"] = (
                f"Chỉ số {i}: điểm {value} lớn hơn mức tối đa {max_score}."
            )
        scores.append(value)
    if any(s is not None for s in scores):
        record.values["scores"] = scores
    total = record.values.get("total")
    if isinstance(total, Decimal) and all(isinstance(s, Decimal) for s in scores):
        added = sum(scores, Decimal(0))
        if added != total:
            record.errors["total"] = (
                f"Tổng điểm ghi {total} nhưng cộng 10 chỉ số được {added}."
            )


_FINISHERS: dict[str, Callable[[Record, Kind, Decimal], None]] = {
    "workers": _finish_worker,
    "participations": _finish_participation,
    "activities": _finish_activity,
    "assessments": _finish_assessment,
}

"""Finding the header row of a sheet and proposing which column holds which field.

Sheets rarely start with their header: a title, the unit's name, merged cells and blank rows
come first, and a header may take two rows (a merged group such as "Điểm" or "Giới tính" above
sub-headers "1"…"10" or "Nam"/"Nữ"). The first rows are scored as one-row and two-row headers
against the synonyms of the import kind (registry.imports.kinds); the best wins. Headers match
with or without diacritics, in any case, ignoring punctuation, line breaks and notes in
brackets. The caller can override the proposed mapping (the user corrects it in the UI).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from registry.imports.kinds import KINDS, Kind, get_kind
from registry.imports.reader import Row, SheetError
from registry.text import clean, fold

HEADER_SCAN_ROWS = 30
MATCH_THRESHOLD = 0.5
_REQUIRED_BONUS = 1.0
_NON_WORD = re.compile(r"[\W_]+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NUMBERING_CELL = re.compile(r"\(?\d{1,2}\)?|\(?[A-Za-z]\)?")

#: Match scores: same words with diacritics; same words typed without diacritics; same words
#: once diacritics are dropped although the header has some (e.g. old tone placement "Khoá");
#: a synonym of two or more words found inside a longer header.
_EXACT, _FOLDED_PLAIN, _FOLDED_MIXED, _INSIDE, _INSIDE_FOLDED = 1.0, 0.9, 0.75, 0.6, 0.5


class HeaderError(SheetError):
    """No usable header was found, or a mapping override is wrong; message is Vietnamese."""


def header_keys(text: object) -> list[tuple[str, str]]:
    """(accented key, folded key) for a header text, plain and without bracketed notes."""
    base = clean(text).lower()
    variants = [base]
    stripped = _BRACKETS.sub(" ", base)
    if stripped != base:
        variants.append(stripped)
    keys = []
    for variant in variants:
        accented = _NON_WORD.sub(" ", variant).strip()
        if accented:
            keys.append((accented, _NON_WORD.sub(" ", fold(variant)).strip()))
    return keys


@dataclass(frozen=True)
class _Synonyms:
    exact: dict[str, set[str]]
    folded: dict[str, set[str]]
    phrases: list[tuple[tuple[str, ...], tuple[str, ...], str]]


@cache
def _synonyms(kind_name: str) -> _Synonyms:
    kind = get_kind(kind_name)
    exact: dict[str, set[str]] = {}
    folded: dict[str, set[str]] = {}
    phrases = []
    for item in kind.fields:
        for synonym in (item.label, *item.synonyms):
            for accented, plain in header_keys(synonym):
                exact.setdefault(accented, set()).add(item.name)
                folded.setdefault(plain, set()).add(item.name)
                if " " in accented:
                    phrases.append((tuple(accented.split()), tuple(plain.split()), item.name))
    return _Synonyms(exact, folded, phrases)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i:i + size] == phrase for i in range(len(words) - size + 1))


def score_label(kind_name: str, text: object) -> dict[str, float]:
    """How well a header text matches each field of a kind (only scores above zero)."""
    return dict(_score_label(kind_name, _text(text)))


@lru_cache(maxsize=8192)
def _score_label(kind_name: str, text: str) -> tuple[tuple[str, float], ...]:
    synonyms = _synonyms(kind_name)
    scores: dict[str, float] = {}

    def offer(name: str, value: float) -> None:
        if value > scores.get(name, 0.0):
            scores[name] = value

    for accented, plain in header_keys(text):
        has_marks = accented != plain
        for name in synonyms.exact.get(accented, ()):
            offer(name, _EXACT)
        for name in synonyms.folded.get(plain, ()):
            offer(name, _FOLDED_MIXED if has_marks else _FOLDED_PLAIN)
        words, plain_words = tuple(accented.split()), tuple(plain.split())
        if len(words) < 2:
            continue
        for phrase, plain_phrase, name in synonyms.phrases:
            if len(phrase) < len(words):
                if _contains(words, phrase):
                    offer(name, _INSIDE)
                elif _contains(plain_words, plain_phrase):
                    offer(name, _INSIDE_FOLDED)
    return tuple(scores.items())


@dataclass(frozen=True)
class HeaderMatch:
    """The header found for an import kind and the proposed field → column mapping."""

    kind: str
    #: Sheet row numbers (1-based) of the header: one, or two for a grouped header.
    header_rows: tuple[int, ...]
    #: Column labels as shown to the user (a two-row header gives "Điểm / 1").
    columns: tuple[str, ...]
    mapping: dict[str, int]
    #: Match score of each mapped field, 0–1 (1 for a mapping chosen by the user).
    scores: dict[str, float]
    #: Rows below the header to skip, such as a row numbering the columns (1), (2), (3)…
    skip_rows: frozenset[int] = field(default_factory=frozenset)
    #: The header rows' cells as read, for the rejected-rows file.
    header_values: tuple[tuple[object, ...], ...] = ()

    @property
    def header_texts(self) -> dict[int, frozenset[str]]:
        """Per column, the trimmed texts of its header cells (to spot a repeated header)."""
        texts: dict[int, set[str]] = {}
        for values in self.header_values:
            for column, value in enumerate(values):
                if isinstance(value, str) and value.strip():
                    texts.setdefault(column, set()).add(value.strip())
        return {column: frozenset(found) for column, found in texts.items()}

    @property
    def kind_def(self) -> Kind:
        """The import kind's definition."""
        return get_kind(self.kind)

    @property
    def data_start(self) -> int:
        """The first sheet row number that may hold data."""
        return max(self.header_rows) + 1

    @property
    def missing(self) -> list[str]:
        """Labels of required fields (or groups of alternatives) that no column maps."""
        kind = self.kind_def
        result = [f.label for f in kind.fields if f.required and f.name not in self.mapping]
        for group in kind.one_of:
            if not any(all(name in self.mapping for name in option) for option in group):
                result.append(" hoặc ".join(
                    " + ".join(kind.field(name).label for name in option) for option in group
                ))
        return result

    @property
    def confidence(self) -> float:
        """0–1: the mean score of the mapped fields, 0 while a required field is missing."""
        if self.missing or not self.scores:
            return 0.0
        return round(sum(self.scores.values()) / len(self.scores), 2)

    @property
    def problems(self) -> list[str]:
        """Vietnamese messages to show before the import can go on."""
        if not self.missing:
            return []
        return ["Không tìm thấy cột bắt buộc: " + ", ".join(self.missing) + "."]

    def with_mapping(self, overrides: Mapping[str, int | None]) -> HeaderMatch:
        """A copy where the user's choices replace the proposal (None unmaps a field)."""
        kind = self.kind_def
        mapping = dict(self.mapping)
        scores = dict(self.scores)
        for name, column in overrides.items():
            kind.field(name)  # KeyError for a field the kind does not have
            mapping.pop(name, None)
            scores.pop(name, None)
            if column is None:
                continue
            if not 0 <= column < len(self.columns):
                raise HeaderError(f"Không có cột số {column + 1} trong bảng.")
            mapping[name] = column
            scores[name] = 1.0
        for name, column in overrides.items():
            if column is None:
                continue
            for other, other_column in list(mapping.items()):
                if other != name and other_column == column:
                    if other in overrides:
                        raise HeaderError(
                            f"Cột «{self.columns[column]}» được chọn cho hai trường: "
                            f"{kind.field(name).label} và {kind.field(other).label}."
                        )
                    del mapping[other], scores[other]
        return replace(self, mapping=mapping, scores=scores)


def _text(value: object) -> str:
    return "" if value is None or value == "" else clean(value)


@dataclass
class _Layout:
    rows: tuple[Row, ...]
    #: Per column, candidate labels with whether each uses the upper and the lower row.
    labels: list[list[tuple[str, bool, bool]]]
    display: list[str]
    mapping: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    uses_upper: bool = False
    uses_lower: bool = False

    @property
    def valid(self) -> bool:
        """Two fields at least; a two-row header must draw on both of its rows."""
        if len(self.mapping) < 2:
            return False
        return len(self.rows) == 1 or (self.uses_upper and self.uses_lower)


def _single(row: Row) -> _Layout:
    texts = [_text(v) for v in row.values]
    return _Layout((row,), [[(t, True, False)] if t else [] for t in texts], texts)


def _double(upper: Row, lower: Row) -> _Layout:
    width = max(len(upper.values), len(lower.values))
    ups = [_text(v) for v in upper.values] + [""] * (width - len(upper.values))
    lows = [_text(v) for v in lower.values] + [""] * (width - len(lower.values))
    labels: list[list[tuple[str, bool, bool]]] = []
    display, group = [], ""
    for up, low in zip(ups, lows, strict=True):
        if up:
            group = up
        elif not low:
            group = ""
        if not low:
            labels.append([(up, True, False)] if up else [])
            display.append(up)
            continue
        candidates = [(low, False, True)]
        if group:
            candidates += [(f"{group} {low}", True, True),
                           (f"{group.split(' ')[0]} {low}", True, True)]
        labels.append(candidates)
        display.append(f"{group} / {low}" if group else low)
    return _Layout((upper, lower), labels, display)


def _assign(kind: Kind, layout: _Layout) -> _Layout:
    offers = []
    for column, candidates in enumerate(layout.labels):
        best: dict[str, tuple[float, bool, bool]] = {}
        for text, upper, lower in candidates:
            for name, value in score_label(kind.name, text).items():
                if value > best.get(name, (0.0, False, False))[0]:
                    best[name] = (value, upper, lower)
        offers += [(value, -column, name, upper, lower)
                   for name, (value, upper, lower) in best.items() if value >= MATCH_THRESHOLD]
    taken: set[int] = set()
    for value, negative_column, name, upper, lower in sorted(offers, reverse=True):
        column = -negative_column
        if name in layout.mapping or column in taken:
            continue
        layout.mapping[name] = column
        layout.scores[name] = value
        layout.uses_upper |= upper
        layout.uses_lower |= lower
        taken.add(column)
    required = {f.name for f in kind.fields if f.required}
    for group in kind.one_of:
        required |= {name for option in group for name in option}
    layout.total = sum(
        value + (_REQUIRED_BONUS if name in required else 0.0)
        for name, value in layout.scores.items()
    )
    return layout


def _is_numbering(row: Row) -> bool:
    cells = [_text(v) for v in row.values if _text(v)]
    return len(cells) >= 3 and all(_NUMBERING_CELL.fullmatch(c) for c in cells)


def _best_layout(kind: Kind, rows: list[Row], header_row: int | None) -> _Layout | None:
    best: _Layout | None = None
    for i, row in enumerate(rows):
        if header_row is not None and row.number != header_row:
            continue
        candidates = [_single(row)]
        if i + 1 < len(rows) and rows[i + 1].number == row.number + 1:
            candidates.append(_double(row, rows[i + 1]))
        for layout in candidates:
            _assign(kind, layout)
            if layout.valid and (best is None or layout.total > best.total):
                best = layout
    return best


def detect_header(
    rows: Iterable[Row], kind: str, *, header_row: int | None = None,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> HeaderMatch:
    """Find the header among the first rows and propose a mapping for the import kind.

    header_row forces the (first) header row, as chosen by the user.
    """
    definition = get_kind(kind)
    sample = _take(rows, scan_rows + 2)
    if not sample:
        raise HeaderError("Trang tính không có dữ liệu.")
    layout = _best_layout(definition, sample[: scan_rows + 1], header_row)
    if layout is None:
        expected = ", ".join(f.label for f in definition.fields if f.required)
        where = f"ở dòng {header_row}" if header_row else f"trong {scan_rows} dòng đầu"
        raise HeaderError(
            f"Không tìm thấy dòng tiêu đề của bảng «{definition.label}» {where} của trang tính. "
            f"Dòng tiêu đề cần có các cột như: {expected}."
        )
    last = layout.rows[-1].number
    skip = frozenset(
        r.number for r in sample if r.number == last + 1 and _is_numbering(r)
    )
    return HeaderMatch(
        kind=kind,
        header_rows=tuple(r.number for r in layout.rows),
        columns=tuple(layout.display),
        mapping=dict(sorted(layout.mapping.items(), key=lambda item: item[1])),
        scores=layout.scores,
        skip_rows=skip,
        header_values=tuple(tuple(r.values) for r in layout.rows),
    )


def guess_kind(rows: Iterable[Row], scan_rows: int = HEADER_SCAN_ROWS) -> str | None:
    """The import kind whose headers the first rows match best, or None if none matches."""
    sample = _take(rows, scan_rows + 1)
    best, best_total = None, 0.0
    for name, kind in KINDS.items():
        layout = _best_layout(kind, sample, None)
        if layout is not None and layout.total > best_total:
            best, best_total = name, layout.total
    return best


def _take(rows: Iterable[Row], count: int) -> list[Row]:
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= count:
            break
    return sample

"""Vietnamese text: normalising input, accent-insensitive search keys and collation order."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu

T = TypeVar("T")

_SPACES = re.compile(r"\s+")
_local = threading.local()


def clean(value: object) -> str:
    """Unicode NFC, trimmed, internal runs of white space folded to one space; None gives ''."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def clean_lines(value: object) -> str:
    """Text typed in a box of several lines: each line cleaned as clean() does, blank lines
    dropped, lines joined by "\n" (Windows and old Mac line ends read as line ends)."""
    lines = (clean(line) for line in str(value or "").splitlines())
    return "\n".join(line for line in lines if line)


def fold(value: object) -> str:
    """A search key: lower case without diacritics ("Nguyễn Đức" gives "nguyen duc")."""
    text = clean(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_case(value: object) -> str:
    """A person's name with each word capitalised, as names are written on documents.

    Input typed in all capitals or all lower case ("NGUYỄN VĂN AN") is common in spreadsheets.
    """
    return " ".join(word[:1].upper() + word[1:].lower() for word in clean(value).split(" "))


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Thị Thu Hà" into family "Nguyễn", middle "Thị Thu" and given "Hà"."""
    words = clean(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def join_name(family: str, middle: str, given: str) -> str:
    """The full name from its three parts, skipping empty ones."""
    return " ".join(part for part in (family, middle, given) if part)


def _collator() -> icu.Collator:
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = icu.Collator.createInstance(icu.Locale("vi"))
        _local.collator = collator
    return collator


def sort_key(*parts: str) -> bytes:
    """A byte key that orders like ICU's Vietnamese collation, part by part.

    ICU sort keys contain no zero byte except their terminator, so joining the parts' keys with
    a zero byte compares the first part fully before the next one.  Stored in the database,
    the key lets lists be ordered by an index in Vietnamese order.
    """
    collator = _collator()
    return b"\x00".join(collator.getSortKey(clean(part))[:-1] for part in parts)


def person_sort_key(family: str, middle: str, given: str) -> bytes:
    """Order of Vietnamese name lists: given name, then family name, then middle name."""
    return sort_key(given, family, middle)


def vi_sorted(items: Iterable[T], key: Callable[[T], str | tuple[str, ...]]) -> list[T]:
    """Items sorted in Vietnamese alphabetical order of key(item) (a string or tuple of strings)."""

    def full_key(item: T) -> bytes:
        value = key(item)
        return sort_key(*value) if isinstance(value, tuple) else sort_key(value)

    return sorted(items, key=full_key)

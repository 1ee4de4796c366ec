"""Checks services apply to values from any source (web form, import, command line)."""

from __future__ import annotations

from registry.errors import DomainError
from registry.text import clean, clean_lines


def text_value(value: object, field: str, label: str, max_len: int, required: bool = False,
               multiline: bool = False) -> str:
    """Cleaned text (NFC, trimmed), refused when missing or longer than the column allows.

    multiline keeps the line breaks of a box of several lines (registry.text.clean_lines);
    otherwise every run of white space, line breaks included, becomes one space.
    """
    text = clean_lines(value) if multiline else clean(value)
    if required and not text:
        raise DomainError(**{field: f"Chưa nhập {label}."})
    if len(text) > max_len:
        named = label[:1].upper() + label[1:]
        raise DomainError(**{field: f"{named} dài {len(text)} ký tự, tối đa {max_len} ký tự."})
    return text

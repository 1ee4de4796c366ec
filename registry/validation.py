"""Checks services apply to values from any source (web form, import, command line)."""

from __future__ import annotations

from registry.errors import DomainError
from registry.text import clean


def text_value(value: object, field: str, label: str, max_len: int, required: bool = False) -> str:
    """Cleaned text (NFC, trimmed), refused when missing or longer than the column allows."""
    text = clean(value)
    if required and not text:
        raise DomainError(**{field: f"Chưa nhập {label}."})
    if len(text) > max_len:
        named = label[:1].upper() + label[1:]
        raise DomainError(**{field: f"{named} dài {len(text)} ký tự, tối đa {max_len} ký tự."})
    return text

"""The keys already met in an import file, with the row each was first met on, in flat memory.

A million-row file has a million keys (a CCCD, or worker and activity). In a dict each entry
costs about a hundred bytes (two int objects and the slot); here whole-number keys live in two
flat arrays of 64-bit integers (open addressing), 16 bytes a slot, about 32 MB for a million
keys. Other keys (tuples, text) go to a plain dict.
"""

from __future__ import annotations

from array import array

_EMPTY = -1
_LIMIT = 1 << 63
#: Fibonacci hashing: the golden ratio in 64 bits spreads keys that differ only in their high
#: bits (worker << 32 | activity) over the whole table.
_GOLDEN = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1


class FirstRows:
    """Key → the row number it was first met on."""

    def __init__(self, bits: int = 12) -> None:
        self._others: dict[object, int] = {}
        self._allocate(bits)

    def _allocate(self, bits: int) -> None:
        self._bits = bits
        self._keys = array("q", [_EMPTY]) * (1 << bits)
        self._rows = array("q", [0]) * (1 << bits)
        self._count = 0

    def __len__(self) -> int:
        return self._count + len(self._others)

    def first(self, key: object, row: int) -> int:
        """The row key was first met on; row (and key is remembered) if it is new."""
        if key.__class__ is not int or not 0 <= key < _LIMIT:  # type: ignore[operator]
            return self._others.setdefault(key, row)
        keys = self._keys
        mask = len(keys) - 1
        slot = ((key * _GOLDEN) & _MASK64) >> (64 - self._bits)
        while True:
            found = keys[slot]
            if found == key:
                return self._rows[slot]
            if found == _EMPTY:
                break
            slot = (slot + 1) & mask
        keys[slot] = key
        self._rows[slot] = row
        self._count += 1
        if self._count * 2 > len(keys):
            self._grow()
        return row

    def _grow(self) -> None:
        keys, rows = self._keys, self._rows
        self._allocate(self._bits + 1)
        for key, row in zip(keys, rows, strict=True):
            if key != _EMPTY:
                self.first(key, row)

"""A small reader of OLE2 compound files (the container of .xls and of encrypted Office files).

Only what the importer needs: the names of the streams and storages (to recognise an encrypted
package or a VBA project) and the bytes of one stream, read sector by sector. The format is
[MS-CFB]; a damaged file raises OleError instead of looping or reading past its end.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA
_NO_STREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5


class OleError(ValueError):
    """The compound file is damaged or is not one."""


@dataclass(frozen=True)
class Entry:
    """One stream or storage; path holds the names from the root down."""

    path: tuple[str, ...]
    is_stream: bool
    start: int
    size: int


class OleFile:
    """An open compound file: its directory entries and a way to read a stream."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        file.seek(0, 2)
        self._file_size = file.tell()
        header = self._read_at(0, 512)
        if len(header) < 512 or header[:8] != MAGIC:
            raise OleError("not a compound file")
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise OleError("unsupported sector size")
        self.sector_size = 1 << shift
        self.mini_size = 1 << mini_shift
        (fat_count, dir_start, _, self.mini_cutoff, minifat_start, _, difat_start,
         difat_count) = struct.unpack_from("<IIIIIIII", header, 0x2C)
        self._max_sectors = self._file_size // self.sector_size + 1
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s <= _MAX_REGULAR]
        per_sector = self.sector_size // 4
        sector, seen = difat_start, 0
        while sector <= _MAX_REGULAR and seen < difat_count:
            values = struct.unpack(f"<{per_sector}I", self._sector(sector))
            fat_sectors.extend(s for s in values[:-1] if s <= _MAX_REGULAR)
            sector, seen = values[-1], seen + 1
        self._fat = array("I")
        for sector in fat_sectors[:fat_count]:
            self._fat.frombytes(self._sector(sector))
        if sys.byteorder == "big":
            self._fat.byteswap()
        self.entries = self._read_directory(dir_start)
        self._minifat_start = minifat_start
        self._minifat: array | None = None
        self._ministream: bytes | None = None

    def _read_at(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        return self._file.read(size)

    def _sector(self, number: int) -> bytes:
        data = self._read_at((number + 1) * self.sector_size, self.sector_size)
        if len(data) < self.sector_size:
            data += b"\0" * (self.sector_size - len(data))
        return data

    def _chain(self, start: int, table: array | None = None) -> Iterator[int]:
        table = self._fat if table is None else table
        sector, steps = start, 0
        while sector != _END_OF_CHAIN:
            if sector >= len(table) or steps > self._max_sectors * 64:
                raise OleError("broken sector chain")
            yield sector
            sector, steps = table[sector], steps + 1

    def _read_directory(self, start: int) -> list[Entry]:
        raw = b"".join(self._sector(s) for s in self._chain(start))
        records = []
        for offset in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, offset + 64)
            left, right, child = struct.unpack_from("<III", raw, offset + 68)
            first, size = struct.unpack_from("<IQ", raw, offset + 116)
            name = raw[offset:offset + max(0, name_len - 2)].decode("utf-16-le", "replace")
            records.append((name, kind, left, right, child, first, size))
        if not records or records[0][1] != _ROOT:
            raise OleError("no root entry")
        if self.sector_size == 512:
            records = [(*r[:6], r[6] & 0xFFFFFFFF) for r in records]
        entries: list[Entry] = []
        self._root = Entry((), False, records[0][5], records[0][6])
        stack = [(records[0][4], ())]
        visited: set[int] = set()
        while stack:
            index, parent = stack.pop()
            if index == _NO_STREAM or index >= len(records) or index in visited:
                continue
            visited.add(index)
            name, kind, left, right, child, first, size = records[index]
            stack.extend(((left, parent), (right, parent)))
            if kind in (_STORAGE, _STREAM):
                path = (*parent, name)
                entries.append(Entry(path, kind == _STREAM, first, size))
                if kind == _STORAGE:
                    stack.append((child, path))
        return entries

    def names(self) -> set[str]:
        """Every entry's path joined with "/", e.g. "_VBA_PROJECT_CUR/VBA"."""
        return {"/".join(e.path) for e in self.entries}

    def find(self, *names: str) -> Entry | None:
        """The top-level stream with one of these names (compared case-insensitively)."""
        wanted = {n.lower() for n in names}
        for entry in self.entries:
            if entry.is_stream and len(entry.path) == 1 and entry.path[0].lower() in wanted:
                return entry
        return None

    def iter_stream(self, entry: Entry) -> Iterator[bytes]:
        """The bytes of a stream, one sector at a time."""
        left = entry.size
        if left < self.mini_cutoff:
            yield self._mini_stream_bytes(entry)
            return
        for sector in self._chain(entry.start):
            if left <= 0:
                break
            data = self._sector(sector)[:left]
            left -= len(data)
            yield data

    def _mini_stream_bytes(self, entry: Entry) -> bytes:
        if self._minifat is None:
            self._minifat = array("I")
            for sector in self._chain(self._minifat_start):
                self._minifat.frombytes(self._sector(sector))
            root = b"".join(self._sector(s) for s in self._chain(self._root.start))
            self._ministream = root[: self._root.size]
        assert self._ministream is not None
        parts = []
        for mini in self._chain(entry.start, self._minifat):
            offset = mini * self.mini_size
            parts.append(self._ministream[offset: offset + self.mini_size])
        return b"".join(parts)[: entry.size]


@dataclass
class BiffSummary:
    """What a scan of an .xls Workbook stream found."""

    encrypted: bool = False
    sheet_count: int = 0
    #: Sheet indices (workbook order) holding a formula; -1 when the sheet is unknown.
    formula_sheets: set[int] = field(default_factory=set)


_BOF_TYPES = {0x0809, 0x0009, 0x0209, 0x0409}
_FORMULA_TYPES = {0x0006, 0x0206, 0x0406, 0x04BC, 0x0221, 0x0021, 0x0236}
_BOUNDSHEET, _FILEPASS = 0x0085, 0x002F


def scan_biff(chunks: Iterator[bytes]) -> BiffSummary:
    """Walk the BIFF records of a Workbook stream for FILEPASS (encryption) and formulas.

    BOUNDSHEET records give each sheet's BOF offset in the stream, so a FORMULA, SHRFMLA,
    ARRAY or TABLE record is attributed to the sheet whose BOF came last.
    """
    summary = BiffSummary()
    sheet_at: dict[int, int] = {}
    current = -1
    buffer = bytearray()
    base = 0
    for chunk in chunks:
        buffer += chunk
        i = 0
        while i + 4 <= len(buffer):
            kind, length = struct.unpack_from("<HH", buffer, i)
            if i + 4 + length > len(buffer):
                break
            if kind in _BOF_TYPES:
                current = sheet_at.get(base + i, -1)
            elif kind == _BOUNDSHEET and length >= 4:
                (position,) = struct.unpack_from("<I", buffer, i + 4)
                sheet_at[position] = len(sheet_at)
            elif kind == _FILEPASS:
                summary.encrypted = True
                return summary
            elif kind in _FORMULA_TYPES:
                summary.formula_sheets.add(current)
            i += 4 + length
        del buffer[:i]
        base += i
    summary.sheet_count = len(sheet_at)
    return summary

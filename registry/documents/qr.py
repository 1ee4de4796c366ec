"""QR codes for PDFs: segno's encoding, drawn as one vector path of horizontal runs of modules.

A certificate page may cost about 1 ms in all, and ``segno.make_qr`` takes 5–10 ms for the URL
printed on it: most of that is writing bits one by one, the Reed–Solomon division, placing the
codewords and trying the eight data masks module by module in pure Python.  Here segno still
chooses the segments, version and error level, but URLs (byte mode) are turned into codewords
with integer operations, the error correction is an LFSR over Python integers with one table per
generator polynomial, the placement in the matrix is a permutation computed once per version,
and the eight masked candidates are scored with the rules of ISO/IEC 18004:2015 §7.8.3 (as
segno implements them; ties go to the lower mask) on rows and columns packed into Python
integers, a few dozen big-integer operations per mask.  Format and version information is
copied from a cached symbol of the same version, error level and mask.  The tests check that
every symbol equals ``segno.make_qr``'s, module for module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from operator import itemgetter

import segno
from segno import consts as _consts
from segno import encoder as _encoder

#: Light bits around each packed line; they also stand for the light area outside the symbol.
_GUARD = 4
_TO_TEXT = bytes.maketrans(b"\x00\x01", b"01")
_RUN = re.compile(r"1+")
_ERRORS = {"l": _consts.ERROR_LEVEL_L, "m": _consts.ERROR_LEVEL_M,
           "q": _consts.ERROR_LEVEL_Q, "h": _consts.ERROR_LEVEL_H}
_ERROR_NAMES = {value: key for key, value in _ERRORS.items()}


def _bit(i: int, j: int, size: int) -> int:
    """The bit of module (row i, column j) in a packed matrix."""
    return _GUARD + i * (size + _GUARD) + j


def _total_bits(size: int) -> int:
    return _GUARD + size * (size + _GUARD)


def _pack(lines: list[str], size: int) -> int:
    """Lines of "0"/"1" packed so that character j of line i is bit _bit(i, j)."""
    guard = "0" * _GUARD
    return int((guard + "".join(line + guard for line in lines))[::-1], 2)


def _unpack(value: int, size: int) -> list[str]:
    stride = size + _GUARD
    text = format(value, f"0{_total_bits(size)}b")[::-1]
    return [text[_GUARD + i * stride:_GUARD + i * stride + size] for i in range(size)]


@dataclass(frozen=True)
class _Tables:
    """Everything about a symbol size that does not depend on the content."""

    size: int
    valid: int  #: module bits
    guards: int  #: guard bits (light for the finder-like pattern rule)
    data_rows: int  #: modules of the encoding region, by rows
    data_cols: int  #: the same, transposed
    fixed_rows: int  #: dark function modules, as during mask evaluation
    fixed_cols: int
    mask_rows: tuple[int, ...]  #: each mask pattern restricted to the encoding region
    mask_cols: tuple[int, ...]
    block_starts: int  #: bits (i, j) with i, j < size - 1 (2×2 blocks)
    pattern_starts: int  #: bits (i, j) with j <= size - 7 (1:1:3:1:1 patterns)
    place_rows: itemgetter  #: codeword bits (plus a trailing "0") → packed rows, reversed text
    place_cols: itemgetter
    modules: int  #: modules of the encoding region


def _placement(function: tuple[bytearray, ...], size: int) -> list[tuple[int, int]]:
    """Modules in the order codeword bits fill them (ISO/IEC 18004:2015 §7.7.3)."""
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1  # skip the vertical timing pattern
        for vertical in range(size):
            for z in (0, 1):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = size - 1 - vertical if upwards else vertical
                if function[i][j] == 0x2:
                    order.append((i, j))
    return order


@functools.lru_cache(maxsize=40)
def _tables(size: int) -> _Tables:
    function = _encoder.make_matrix(size, size)
    _encoder.add_finder_patterns(function, size, size)
    _encoder.add_alignment_patterns(function, size, size)
    data = [["1" if value > 1 else "0" for value in row] for row in function]
    fixed = [["1" if value == 1 else "0" for value in row] for row in function]

    def both(cells: list[list[str]]) -> tuple[int, int]:
        rows = ["".join(row) for row in cells]
        cols = ["".join(col) for col in zip(*cells, strict=True)]
        return _pack(rows, size), _pack(cols, size)

    data_rows, data_cols = both(data)
    fixed_rows, fixed_cols = both(fixed)
    mask_rows, mask_cols = [], []
    for mask in _encoder.get_data_mask_functions(False):
        rows, cols = both([["1" if data[i][j] == "1" and mask(i, j) else "0"
                            for j in range(size)] for i in range(size)])
        mask_rows.append(rows)
        mask_cols.append(cols)
    order = _placement(function, size)
    total = _total_bits(size)
    sentinel = len(order)  # index of the "0" appended to the codeword bits
    source_rows = [sentinel] * total
    source_cols = [sentinel] * total
    for index, (i, j) in enumerate(order):
        source_rows[_bit(i, j, size)] = index
        source_cols[_bit(j, i, size)] = index
    ones = "1" * size
    valid = _pack([ones] * size, size)
    return _Tables(
        size=size,
        valid=valid,
        guards=((1 << total) - 1) & ~valid,
        data_rows=data_rows,
        data_cols=data_cols,
        fixed_rows=fixed_rows,
        fixed_cols=fixed_cols,
        mask_rows=tuple(mask_rows),
        mask_cols=tuple(mask_cols),
        block_starts=_pack(["1" * (size - 1) + "0"] * (size - 1) + ["0" * size], size),
        pattern_starts=_pack(["1" * (size - 6) + "0" * 6] * size, size),
        # Highest bit first, so that int(text, 2) reads the packed value directly.
        place_rows=itemgetter(*reversed(source_rows)),
        place_cols=itemgetter(*reversed(source_cols)),
        modules=len(order),
    )


def _runs_penalty(lines: int, valid: int) -> int:
    """N1: 3 + (length - 5) for each run of five or more modules of one colour."""
    total = 0
    for bits in (lines, ~lines & valid):
        fives = bits & (bits >> 1) & (bits >> 2) & (bits >> 3) & (bits >> 4)
        # A run of length L has L - 4 windows of five; add 2 per run to make L - 2.
        total += fives.bit_count() + 2 * (fives & ~(fives << 1)).bit_count()
    return total


def _finder_penalty(lines: int, t: _Tables) -> int:
    """N3: 40 for each dark-light-dark×3-light-dark pattern with four light modules beside it."""
    x = lines
    found = (x & (~x >> 1) & (x >> 2) & (x >> 3) & (x >> 4) & (~x >> 5) & (x >> 6)
             & t.pattern_starts)
    if not found:
        return 0
    light = (~x & t.valid) | t.guards
    before = (light << 1) & (light << 2) & (light << 3) & (light << 4)
    after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10)
    counted = found & (before | after)
    if not found & ((found << 4) | (found << 6)):
        return 40 * counted.bit_count()
    # Overlapping patterns: segno resumes its search after a counted pattern, so a pattern
    # overlapping a counted one is not seen; replay that order.
    total = 0
    resume = -1
    while found:
        low = found & -found
        found ^= low
        index = low.bit_length() - 1
        if index >= resume and counted & low:
            total += 40
            resume = index + 7
    return total


def _penalty(rows: int, cols: int, t: _Tables) -> int:
    """The penalty score of a masked symbol (without format information), as segno computes it."""
    stride = t.size + _GUARD
    vertical = ~(rows ^ (rows >> stride))
    blocks = vertical & (vertical >> 1) & ~(rows ^ (rows >> 1)) & t.block_starts
    percent = float(rows.bit_count()) / (t.size ** 2)
    return (_runs_penalty(rows, t.valid) + _runs_penalty(cols, t.valid)
            + 3 * blocks.bit_count()
            + _finder_penalty(rows, t) + _finder_penalty(cols, t)
            + 10 * int(abs(percent * 100 - 50) / 5))


@functools.lru_cache(maxsize=320)
def _template(version: int, error: int, mask: int) -> int:
    """Packed rows of a symbol with this version, error level and mask (its function modules)."""
    code = segno.make_qr("1", version=version, error=_ERROR_NAMES[error], mask=mask,
                         boost_error=False)
    rows = [bytes(row).translate(_TO_TEXT).decode() for row in code.matrix]
    return _pack(rows, len(rows))


def _version_and_level(segments, error: str) -> tuple[int, int]:
    """The version and (boosted) error level segno chooses for these segments."""
    level = _ERRORS[error.lower()]
    version = _encoder.find_version(segments, level, eci=False, micro=False)
    return version, _encoder.boost_error_level(version, level, segments, False)


@functools.lru_cache(maxsize=512)
def _byte_version(length: int, error: str) -> tuple[int, int]:
    """Version and level of a single byte-mode segment: they depend on its length only."""
    return _version_and_level(_encoder.prepare_data("a" * length, None, None), error)


def _byte_codewords(raw: bytes, version: int, level: int) -> bytes:
    """Mode, count, data, terminator, padding and pad codewords of one byte segment (§7.4)."""
    count_bits = 8 if version < 10 else 16
    data_bits = 8 * len(raw)
    length = 4 + count_bits + data_bits
    capacity = _consts.SYMBOL_CAPACITY[version][level]
    tail = min(capacity - length, 4)
    tail += 8 - (length + tail) % 8  # as segno pads: a whole zero byte when already aligned
    value = ((_consts.MODE_BYTE << count_bits | len(raw)) << data_bits
             | int.from_bytes(raw, "big")) << tail
    words = value.to_bytes((length + tail) // 8, "big")
    pads = capacity // 8 - len(words)
    return words + (b"\xec\x11" * (pads // 2 + 1))[:max(pads, 0)]


def _codeword_bits(data: str, error: str) -> tuple[int, int, str]:
    """Version, error level and the final message bits, as ``segno.make_qr`` would make them.

    URLs (ASCII text needing byte mode) take a short path that builds the data codewords with
    integer operations; anything else goes through segno's segment writer.
    """
    if data.isascii():
        raw = data.encode("ascii")
        if raw and _encoder.find_mode(raw) == _consts.MODE_BYTE:
            version, level = _byte_version(len(raw), error)
            return version, level, _final_message(version, level,
                                                  _byte_codewords(raw, version, level))
    segments = _encoder.prepare_data(data, None, None)
    version, level = _version_and_level(segments, error)
    buffer = _encoder.Buffer()
    version_range = _encoder.version_range(version)
    for segment in segments:
        _encoder.write_segment(buffer, segment, None, version_range, False)
    capacity = _consts.SYMBOL_CAPACITY[version][level]
    _encoder.write_terminator(buffer, capacity, None, len(buffer))
    _encoder.write_padding_bits(buffer, version, len(buffer))
    _encoder.write_pad_codewords(buffer, version, capacity, len(buffer))
    return version, level, _final_message(version, level, bytes(buffer.toints()))


@functools.lru_cache(maxsize=80)
def _products(error_words: int) -> tuple[int, ...]:
    """For each byte c, c times the generator polynomial (without its leading 1) as an integer."""
    gen = _consts.GEN_POLY[error_words]
    log, exp = _consts.GALIOS_LOG, _consts.GALIOS_EXP
    table = [0]
    for c in range(1, 256):
        table.append(int.from_bytes(bytes(exp[log[c] + g] for g in gen), "big"))
    return tuple(table)


def _error_words(block: bytes, error_words: int) -> bytes:
    """The Reed–Solomon error correction codewords of a block (the remainder of the division)."""
    table = _products(error_words)
    shift = 8 * (error_words - 1)
    mask = (1 << (8 * error_words)) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & mask) ^ table[byte ^ (remainder >> shift)]
    return remainder.to_bytes(error_words, "big")


def _interleave(blocks: list[bytes]) -> bytes:
    longest = max(len(block) for block in blocks)
    return bytes(block[i] for i in range(longest) for block in blocks if i < len(block))


#: Remainder bits after the codewords, by version (ISO/IEC 18004:2015 table 1).
_REMAINDER = {**dict.fromkeys(range(2, 7), 7), **dict.fromkeys(range(14, 21), 3),
              **dict.fromkeys(range(21, 28), 4), **dict.fromkeys(range(28, 35), 3)}


def _final_message(version: int, level: int, codewords: bytes) -> str:
    """Data and error codewords split in blocks, interleaved, as "0"/"1" text (§7.6).

    The same sequence as segno's make_final_message, with the division done on integers.
    """
    data_blocks, error_blocks = [], []
    start = 0
    for info in _consts.ECC[version][level]:
        words = info.num_total - info.num_data
        for _ in range(info.num_blocks):
            block = codewords[start:start + info.num_data]
            start += info.num_data
            data_blocks.append(block)
            error_blocks.append(_error_words(block, words))
    message = _interleave(data_blocks) + _interleave(error_blocks)
    bits = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")
    return bits + "0" * _REMAINDER.get(version, 0)


def qr_rows(data: str, error: str = "m") -> list[str]:
    """The modules of the QR code for data, row by row as "0"/"1" strings (no quiet zone)."""
    version, level, bits = _codeword_bits(data, error)
    size = version * 4 + 17
    t = _tables(size)
    text = bits.ljust(t.modules, "0") + "0"
    data_rows = int("".join(t.place_rows(text)), 2)
    data_cols = int("".join(t.place_cols(text)), 2)
    best, best_score = 0, -1
    for mask in range(8):
        score = _penalty(t.fixed_rows | (data_rows ^ t.mask_rows[mask]),
                         t.fixed_cols | (data_cols ^ t.mask_cols[mask]), t)
        if best_score < 0 or score < best_score:
            best, best_score = mask, score
    template = _template(version, level, best)
    return _unpack((template & ~t.data_rows) | (data_rows ^ t.mask_rows[best]), size)


#: Rows are drawn in chunks of this many modules, each chunk's rectangles formatted once.
_CHUNK = 11
_LINE = "\x00"  # stands for the row number in a cached chunk


@functools.lru_cache(maxsize=16384)
def _chunk_ops(offset: int, bits: str) -> str:
    """The rectangles of the dark runs of one chunk of a row, with _LINE for the row number."""
    return "".join(f"{offset + m.start()} {_LINE} {m.end() - m.start()} 1 re\n"
                   for m in _RUN.finditer(bits))


def runs_path(rows: list[str], x: float, y: float, size: float) -> str:
    """PDF operators filling the dark modules of rows as one path, in a size×size square at x, y.

    A run crossing a chunk boundary is drawn as two abutting rectangles of the same path.
    """
    count = len(rows)
    module = size / count
    parts = [f"q 0 g {module:.4f} 0 0 {module:.4f} {x:.3f} {y:.3f} cm\n"]
    offsets = range(0, count, _CHUNK)
    for index, row in enumerate(rows):
        ops = "".join([_chunk_ops(o, row[o:o + _CHUNK]) for o in offsets])
        parts.append(ops.replace(_LINE, str(count - 1 - index)))
    parts.append("f Q")
    return "".join(parts)


def qr_runs(data: str, x: float, y: float, size: float, error: str = "m") -> str:
    """PDF operators drawing the QR code of data as vector runs (the caller keeps a quiet zone)."""
    return runs_path(qr_rows(data, error), x, y, size)

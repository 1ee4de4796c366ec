"""The fast QR path: the same symbols as segno, drawn as runs covering exactly the dark modules."""

from __future__ import annotations

import random
import re
import string

import pytest
import segno

from registry.documents.qr import qr_rows, runs_path

_TEXT = bytes.maketrans(b"\x00\x01", b"01")


def segno_rows(data: str, error: str = "m") -> list[str]:
    """The reference symbol, made by segno's public API with its own mask choice."""
    code = segno.make_qr(data, error=error)
    return [bytes(row).translate(_TEXT).decode() for row in code.matrix]


def payloads() -> list[str]:
    """URLs of many lengths (so many versions and masks), numeric, alphanumeric and UTF-8 data."""
    rng = random.Random(20250205)
    alphabet = string.ascii_letters + string.digits + "-_/"
    items = [f"https://cdht.thanhhoa.vn/v/CDHT-2025-{n:07d}" for n in range(0, 400, 7)]
    for length in (1, 5, 17, 40, 80, 150, 260, 400):
        for _ in range(8):
            items.append("https://x.vn/" + "".join(rng.choice(alphabet) for _ in range(length)))
    items += ["0123456789" * 9, "CDHT-2025-0001234 HOANG HOP", "Nguyễn Thị Thu Hà — Hoằng Hợp"]
    return items


def test_symbols_equal_segno_for_many_payloads():
    """Every symbol equals segno.make_qr's module for module, whichever mask segno picks."""
    masks = set()
    for data in payloads():
        assert qr_rows(data) == segno_rows(data), data
        masks.add(segno.make_qr(data, error="m").mask)
    assert masks == set(range(8))  # the sample exercises every mask choice


@pytest.mark.parametrize("error", ["l", "q", "h"])
def test_other_error_levels_equal_segno(error):
    """The error level is honoured (and boosted as segno does)."""
    for data in payloads()[::9]:
        assert qr_rows(data, error) == segno_rows(data, error), data


def test_runs_path_fills_exactly_the_dark_modules():
    """The path's rectangles are one module high and cover the dark modules, nothing else."""
    rows = qr_rows("https://cdht.thanhhoa.vn/v/CDHT-2025-0001234")
    ops = runs_path(rows, x=10, y=20, size=100)
    assert ops.startswith("q 0 g ") and ops.endswith("f Q")
    assert ops.splitlines().count("f Q") == 1  # one fill: a single path
    size = len(rows)
    painted = set()
    for x, y, width, height in re.findall(r"^(\d+) (\d+) (\d+) (\d+) re$", ops, re.MULTILINE):
        assert height == "1"
        for column in range(int(x), int(x) + int(width)):
            cell = (size - 1 - int(y), column)
            assert cell not in painted
            painted.add(cell)
    dark = {(i, j) for i, row in enumerate(rows) for j, ch in enumerate(row) if ch == "1"}
    assert painted == dark

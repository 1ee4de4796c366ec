"""The keys met in an import file: the first row of each, through the table's growth."""

from __future__ import annotations

from registry.imports.keys import FirstRows


def test_a_repeated_key_gives_the_row_it_was_first_met_on():
    """A new key gives its own row; the same key later gives the first row."""
    seen = FirstRows()
    assert seen.first(38190012345, 5) == 5
    assert seen.first(38190012346, 6) == 6
    assert seen.first(38190012345, 9) == 5
    assert len(seen) == 2


def test_first_rows_survive_the_table_growing():
    """Keys that differ only in their high bits (worker << 32 | activity) all keep their row."""
    seen = FirstRows(bits=4)
    keys = [worker << 32 | activity for worker in range(1, 2001) for activity in (7, 8, 9)]
    for row, key in enumerate(keys, 3):
        assert seen.first(key, row) == row
    assert len(seen) == len(keys)
    for row, key in enumerate(keys, 3):
        assert seen.first(key, row + 100_000) == row


def test_other_keys_are_kept_too():
    """Tuples, text, zero, negative and very large numbers are keys like any other."""
    seen = FirstRows()
    others = [("activity", 12), "HĐ-12", 0, -4, 1 << 70]
    for row, key in enumerate(others, 10):
        assert seen.first(key, row) == row
    for row, key in enumerate(others, 10):
        assert seen.first(key, 99) == row

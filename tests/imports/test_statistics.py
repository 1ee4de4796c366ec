"""After a big import the planner statistics of the filled tables are refreshed (PostgreSQL),
so that the next import's per-chunk queries do not plan as if the tables were empty."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from registry.auth.models import Role
from registry.imports import services
from tests.imports.test_import_workers import GOOD, run, sheet, write_file

WORKER_TABLES = ['"workers"', '"employments"', '"worker_name_tokens"', '"audit_entries"']


@pytest.fixture
def analysed(db):
    """The tables named by the ANALYZE statements the session runs."""
    seen: list[str] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("ANALYZE "):
            seen.append(statement.removeprefix("ANALYZE "))

    engine = db.get_bind().engine
    event.listen(engine, "before_cursor_execute", spy)
    yield seen
    event.remove(engine, "before_cursor_execute", spy)


def test_a_big_commit_analyses_the_tables_it_filled(db, make, folder, analysed, monkeypatch):
    """A committed import of at least ANALYZE_AFTER_ROWS rows analyses the workers' tables and
    the audit log on PostgreSQL, whose statistics then count the new rows; SQLite has none."""
    monkeypatch.setattr(services, "ANALYZE_AFTER_ROWS", len(GOOD))
    record = run(db, make.scope(Role.COMMUNE), write_file(folder, "ds.xlsx", sheet(*GOOD)),
                 enterprise=make.enterprise(), write=True)
    assert record.created_count == len(GOOD)
    if db.get_bind().dialect.name != "postgresql":
        assert analysed == []
        return
    assert analysed == WORKER_TABLES
    tuples = db.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'workers'::regclass"))
    assert tuples >= len(GOOD)


def test_small_commits_and_previews_analyse_nothing(db, make, folder, analysed, monkeypatch):
    """Below the threshold, and for a preview whatever its size, no ANALYZE runs."""
    monkeypatch.setattr(services, "ANALYZE_AFTER_ROWS", len(GOOD))
    path = write_file(folder, "ds.xlsx", sheet(*GOOD))
    enterprise = make.enterprise()
    run(db, make.scope(Role.COMMUNE), path, enterprise=enterprise, write=False)
    run(db, make.scope(Role.COMMUNE), write_file(folder, "hai.xlsx", sheet(*GOOD[:2])),
        enterprise=enterprise, write=True)
    assert analysed == []

"""Migration 0008: the rows of import_jobs and certificate_print_jobs become jobs (print jobs
keep their ids and files, import jobs their import) and come back on the downgrade."""

from __future__ import annotations

from datetime import datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from registry.extensions import db
from registry.jobs.models import Job, JobState
from tests.conftest import fresh_app

CREATED = datetime(2026, 11, 30, 8, 0)
FINISHED = datetime(2026, 11, 30, 8, 5)

WORLD = [
    "INSERT INTO provinces (id, code, name, division_type) VALUES (1, '38', 'Thanh Hóa', 'tỉnh')",
    "INSERT INTO communes (id, code, name, division_type, province_id, is_served)"
    " VALUES (1, '15865', 'Hoằng Hóa', 'xã', 1, true)",
    "INSERT INTO users (id, username, full_name, password_hash, role, commune_id, is_enabled,"
    " session_token, created_at) VALUES (7, 'canbo', 'Cán bộ', 'x', 'commune', 1, true, 't',"
    " :created)",
    "INSERT INTO decisions (id, commune_id, year, status, parent_body, issuing_body, number,"
    " symbol, place, authority, signer_authority, signer_title, signer_name, legal_bases,"
    " recipients, executors, criteria_set_label, created_at, updated_at) VALUES (3, 1, 2025,"
    " 'issued', '', 'UBND', '05', 'QĐ-UBND', 'Thử', '', '', '', '', '', '', '', '', :created,"
    " :created)",
    "INSERT INTO imports (id, kind, user_id, actor, created_at, file_name, sha256, size,"
    " file_format, stored_path, sheet_name, sheet_index, mapping, mode, status, rows_read,"
    " created_count, updated_count, unchanged_count, rejected_count, message, report) VALUES"
    " (11, 'workers', 7, 'canbo', :created, 'ds.xlsx', 'ab', 10, 'xlsx', '', 'DS', 0, '{}',"
    " 'all', 'done', 30, 30, 0, 0, 0, 'Đã thêm 30.', '{}')",
    "INSERT INTO import_jobs (id, import_id, action, state, done, total, message, created_at,"
    " started_at, finished_at, heartbeat_at) VALUES"
    " (1, 11, 'preview', 'done', 30, 30, 'Sẽ thêm 30.', :created, :created, :finished,"
    " :finished), (2, 11, 'commit', 'done', 30, 30, 'Đã thêm 30.', :created, :created,"
    " :finished, :finished)",
    "INSERT INTO certificate_print_jobs (id, decision_id, enterprise_id, kind, status, total,"
    " done, base_url, file_name, error, created_by_id, created_at, finished_at) VALUES"
    " (1, 3, NULL, 'zip', 'done', 400, 400, 'https://cdht.vn/', 'job-1.zip', '', 7, :created,"
    " :finished), (2, 3, NULL, 'pdf', 'failed', 400, 200, 'https://cdht.vn/', 'job-2.pdf',"
    " 'Không in được: OSError.', 7, :created, :finished)",
]


def _plain(value):
    """A timestamp as a datetime whether the driver gives one or SQLite's text (which differs
    in its microseconds between the raw inserts here and SQLAlchemy's)."""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == " ":
        return datetime.fromisoformat(value)
    return value


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(_plain(v) for v in row) for row in connection.execute(text(sql))]


def test_jobs_are_moved_into_one_table_and_back(database):
    """Upgrade: each old row is a job of its kind, print ids and finished files kept, import
    jobs linked to their import; a new job is numbered after them. Downgrade: rows back."""
    with fresh_app(database, "jobs_migration") as app, app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            for statement in WORLD:
                connection.execute(text(statement), {"created": CREATED, "finished": FINISHED})
        old_prints = _rows("SELECT * FROM certificate_print_jobs ORDER BY id")
        old_imports = _rows("SELECT * FROM import_jobs ORDER BY id")
        upgrade()
        jobs = {job.id: job for job in db.session.scalars(select(Job))}
        assert sorted(jobs) == [1, 2, 3, 4]
        done, failed, preview, commit = (jobs[i] for i in (1, 2, 3, 4))
        assert (done.kind, done.state, done.result_file, done.created_by_id) == (
            "certificates-zip", JobState.DONE, "job-1.zip", 7)
        assert done.parameters == {"decision_id": 3, "enterprise_id": None,
                                   "base_url": "https://cdht.vn/"}
        assert (failed.kind, failed.state, failed.message, failed.result_file) == (
            "certificates-pdf", JobState.FAILED, "Không in được: OSError.", "")
        assert (preview.kind, preview.parameters, preview.message, preview.created_by_id) == (
            "import-preview", {"import_id": 11}, "Sẽ thêm 30.", 7)
        assert (commit.kind, commit.parameters, commit.done) == (
            "import-commit", {"import_id": 11}, 30)
        new = Job(kind="certificates-pdf", parameters={"decision_id": 3})
        db.session.add(new)
        db.session.flush()
        assert new.id == 5
        db.session.rollback()
        db.session.remove()

        downgrade(revision="0007")
        assert _rows("SELECT * FROM certificate_print_jobs ORDER BY id") == old_prints
        imports = _rows("SELECT import_id, action, state, done, total, message, created_at,"
                        " started_at, finished_at, heartbeat_at FROM import_jobs ORDER BY id")
        assert imports == [row[1:] for row in old_imports]
        upgrade()
        assert sorted(db.session.scalars(select(Job.kind))) == [
            "certificates-pdf", "certificates-zip", "import-commit", "import-preview"]
        db.session.remove()
        db.engine.dispose()

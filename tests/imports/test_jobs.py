"""Background imports: the worker claims a queued preview or commit, reports progress and
records the outcome; a job that breaks or whose process died fails, and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import utcnow
from registry.extensions import db as _db
from registry.imports import jobs, services
from registry.imports.models import ImportRecord, ImportStatus
from registry.jobs import runner
from registry.jobs.models import Job, JobState
from registry.workers.cccd import MALE, make_citizen_id
from registry.workers.models import Worker
from tests.conftest import Builder, fresh_app, prepare
from tests.imports.builders import xlsx_bytes

ROWS = [["Họ và tên", "Số CCCD", "Năm sinh", "Giới tính"]] + [
    [f"Nguyễn Văn An{'h' * (i % 3)}", make_citizen_id("038", 1990, MALE, 700 + i), 1990, "Nam"]
    for i in range(30)
]


def test_worker_thread_runs_preview_then_commit(database, tmp_path, monkeypatch):
    """A queued preview then a queued commit are run by the worker; counts land on the import
    and the job, and progress reaches the total."""
    reported = []
    write_progress = runner.write_progress
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(runner, "write_progress",
                        lambda *figures: reported.append(figures) or write_progress(*figures))
    with fresh_app(database, "jobs", REGISTRY_IMPORT_FOLDER=str(tmp_path)) as app:
        prepare(app)
        record_id, job_id = _queued(app, tmp_path, "preview", total=None)
        runner.work(app, idle_exit=True)
        with app.app_context():
            record = _db.session.get(ImportRecord, record_id)
            job = _db.session.get(Job, job_id)
            assert (job.kind, job.parameters) == ("import-preview", {"import_id": record_id})
            assert (job.state, job.done, job.total) == (JobState.DONE, 30, 30)
            assert record.status == ImportStatus.PREVIEWED and record.created_count == 30
            assert jobs.progress_of(job)["done"] == 30
            assert [done for reported_id, done, _ in reported if reported_id == job_id] == [30]
            stored = Path(record.stored_path)
            assert stored.exists()
            jobs.submit(_db.session, record, "commit", record.rows_read)
            _db.session.commit()
            _db.session.remove()
        runner.start_worker(app)
        runner.join_worker(app, timeout=60)
        with app.app_context():
            record = _db.session.get(ImportRecord, record_id)
            assert record.status == ImportStatus.DONE, record.message
            commit = jobs.latest_job(_db.session, record)
            assert (commit.kind, commit.state, commit.done) == ("import-commit", JobState.DONE, 30)
            assert [figures[1:] for figures in reported if figures[0] == commit.id] == [(30, 30)]
            assert _db.session.scalar(select(func.count()).select_from(Worker)) == 30
            assert not stored.exists()  # the stored upload is gone once imported
            _db.session.remove()


def test_stale_jobs_are_failed(database, tmp_path):
    """A running job without a heartbeat for STALE is failed with a clear message."""
    with fresh_app(database, "stale", REGISTRY_IMPORT_FOLDER=str(tmp_path)) as app:
        prepare(app)
        with app.app_context():
            make = Builder(_db.session)
            enterprise = make.enterprise()
            record = ImportRecord(kind="workers", actor="t", enterprise_id=enterprise.id,
                                  file_name="a.xlsx", sha256="0" * 64, size=1, file_format="xlsx",
                                  status=ImportStatus.COMMITTING, mapping={}, report={})
            _db.session.add(record)
            _db.session.flush()
            _db.session.add(Job(kind="import-commit", parameters={"import_id": record.id},
                                state=JobState.RUNNING,
                                heartbeat_at=utcnow() - runner.STALE - timedelta(minutes=1)))
            _db.session.commit()
            assert runner.mark_stale(_db.session) == 1
            record = _db.session.scalar(select(ImportRecord))
            assert record.status == ImportStatus.FAILED and record.message == jobs.INTERRUPTED
            job = _db.session.scalar(select(Job))
            assert (job.state, job.message) == (JobState.FAILED, jobs.INTERRUPTED)
            _db.session.remove()


def _queued(app, tmp_path, action: str, total: int | None = 30) -> tuple[int, int]:
    """An uploaded import of ROWS with a queued job of action (total rows expected, None when
    unknown); (import id, job id)."""
    with app.app_context():
        make = Builder(_db.session)
        enterprise = make.enterprise()
        user = make.user(Role.COMMUNE)
        path = tmp_path / "ds.xlsx"
        path.write_bytes(xlsx_bytes(ROWS))
        with path.open("rb") as stream:
            upload = services.store_upload(stream, "ds.xlsx")
        record = services.new_import(_db.session, Scope.of(user), user.id, user.username,
                                     "workers", enterprise, upload, "ds.xlsx")
        job = jobs.submit(_db.session, record, action, total)
        _db.session.commit()
        ids = record.id, job.id
        _db.session.remove()
        return ids


def test_a_commit_that_breaks_midway_writes_nothing(database, tmp_path, monkeypatch):
    """An error after the rows were written: the job and the import fail with the Vietnamese
    message and not one worker is kept."""
    real_pass = services._pass

    def breaking(*args, **kwargs):
        real_pass(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_pass", breaking)
    with fresh_app(database, "jobs_broken", REGISTRY_IMPORT_FOLDER=str(tmp_path)) as app:
        prepare(app)
        record_id, job_id = _queued(app, tmp_path, "commit")
        runner.work(app, idle_exit=True)
        with app.app_context():
            job = _db.session.get(Job, job_id)
            record = _db.session.get(ImportRecord, record_id)
            assert (job.state, job.message) == (JobState.FAILED, jobs.FAILED_MESSAGE)
            assert (record.status, record.message) == (ImportStatus.FAILED, jobs.FAILED_MESSAGE)
            assert _db.session.scalar(select(func.count()).select_from(Worker)) == 0
            _db.session.remove()


def test_a_refused_preview_goes_back_to_the_mapping_step(database, tmp_path):
    """A preview whose file is gone fails with the reason, and the import may be tried again
    (back to «uploaded») rather than failed for good."""
    with fresh_app(database, "jobs_refused", REGISTRY_IMPORT_FOLDER=str(tmp_path)) as app:
        prepare(app)
        record_id, job_id = _queued(app, tmp_path, "preview")
        with app.app_context():
            Path(_db.session.get(ImportRecord, record_id).stored_path).unlink()
            _db.session.remove()
        runner.work(app, idle_exit=True)
        with app.app_context():
            job = _db.session.get(Job, job_id)
            record = _db.session.get(ImportRecord, record_id)
            message = "Tệp tải lên không còn được lưu; hãy tải lên lại."
            assert (job.state, job.message) == (JobState.FAILED, message)
            assert (record.status, record.message) == (ImportStatus.UPLOADED, message)
            _db.session.remove()

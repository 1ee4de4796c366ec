"""Background jobs for large imports: rows of import_jobs run by a worker thread.

Why a thread in the web process: the registry is installed on one machine with SQLite and no
other server, so a job table plus a daemon thread that claims queued rows is the embedded
default that needs nothing more to run. The claim is an UPDATE … WHERE state = 'queued', so
with several web processes each job still runs once; `flask import work` runs the same loop as
a separate process for installations that prefer one (e.g. under systemd next to gunicorn).

Progress is kept in memory for the page that polls it and written to the job row through a
separate connection about once a second. On SQLite a commit holds the only write lock for its
whole transaction, so those writes are skipped (busy_timeout 0) until it ends; the poll then
reads the in-process figures. A job left "running" without a heartbeat for STALE (the process
died) is marked failed: its transaction was never committed, so the data is as before.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from registry.audit.services import set_actor
from registry.auth.models import Role, User
from registry.auth.scope import Scope
from registry.db import utcnow
from registry.errors import DomainError
from registry.extensions import db
from registry.imports import services
from registry.imports.models import ImportJob, ImportRecord, ImportStatus, JobState

log = logging.getLogger(__name__)

STALE = timedelta(minutes=15)
PROGRESS_EVERY = 1.0
FAILED_MESSAGE = ("Đã có lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy thử lại "
                  "hoặc báo quản trị viên.")
INTERRUPTED = ("Việc xử lý tệp bị dừng giữa chừng (máy chủ khởi động lại?); không có dữ liệu nào "
               "được ghi. Hãy chạy lại.")

#: Job id → (rows done, rows expected) for jobs running in this process.
LIVE: dict[int, tuple[int, int | None]] = {}
_wake = threading.Event()
_lock = threading.Lock()
_threads: dict[int, threading.Thread] = {}


def submit(session, record: ImportRecord, action: str, total: int | None = None) -> ImportJob:
    """Queue a preview or commit of an import; the caller commits, then calls start_worker()."""
    record.status = ImportStatus.PREVIEWING if action == "preview" else ImportStatus.COMMITTING
    job = ImportJob(import_id=record.id, action=action, total=total or 0)
    session.add(job)
    session.flush()
    return job


def start_worker(app: Flask) -> None:
    """Make sure this process has a worker thread, and wake it."""
    with _lock:
        thread = _threads.get(id(app))
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=work, args=(app,), kwargs={"idle_exit": True},
                                      name="import-worker", daemon=True)
            _threads[id(app)] = thread
            thread.start()
    _wake.set()


def work(app: Flask, idle_exit: bool = False, poll: float = 2.0) -> None:
    """Run queued jobs one after another; with idle_exit, return when none is left."""
    with app.app_context():
        mark_stale(db.session)
    while True:
        _wake.clear()
        with app.app_context():
            job_id = claim_next(db.session)
            if job_id is not None:
                run_job(job_id)
                continue
        if idle_exit:
            return
        _wake.wait(poll)


def mark_stale(session) -> int:
    """Fail jobs that stopped without finishing (their process died); returns how many."""
    limit = utcnow() - STALE
    stale = session.scalars(select(ImportJob).where(
        ImportJob.state == JobState.RUNNING, ImportJob.heartbeat_at < limit,
        ImportJob.id.not_in(list(LIVE) or [-1]),
    )).all()
    for job in stale:
        job.state, job.message, job.finished_at = JobState.FAILED, INTERRUPTED, utcnow()
        services.fail(job.import_record, INTERRUPTED)
    session.commit()
    return len(stale)


def claim_next(session) -> int | None:
    """Take the oldest queued job for this worker; None when there is none."""
    while True:
        job_id = session.scalar(select(ImportJob.id).where(ImportJob.state == JobState.QUEUED)
                                .order_by(ImportJob.id).limit(1))
        if job_id is None:
            session.rollback()
            return None
        now = utcnow()
        taken = session.execute(
            update(ImportJob).where(ImportJob.id == job_id, ImportJob.state == JobState.QUEUED)
            .values(state=JobState.RUNNING, started_at=now, heartbeat_at=now)
        ).rowcount
        session.commit()
        if taken:
            return job_id


def _scope_of(record: ImportRecord) -> Scope:
    user = db.session.get(User, record.user_id) if record.user_id else None
    return Scope.of(user) if user is not None else Scope(role=Role.ADMIN)


class _Reporter:
    """The progress callback of one job: memory always, the job row when the database allows."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        LIVE[self.job_id] = (done, total)
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            write_progress(self.job_id, done, total)


def write_progress(job_id: int, done: int, total: int | None) -> None:
    """Record progress on the job row on a connection of its own; skipped while locked."""
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        with db.engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                    done=done, total=total or 0, heartbeat_at=utcnow()))
                connection.commit()
            finally:
                if sqlite:
                    connection.rollback()
                    connection.exec_driver_sql("PRAGMA busy_timeout=10000")
    except OperationalError:
        pass  # SQLite: a commit holds the write lock; the poll reads LIVE meanwhile


def run_job(job_id: int) -> None:
    """Run one claimed job in the current app context and commit its outcome."""
    session = db.session
    job = session.get(ImportJob, job_id)
    record = job.import_record
    action = job.action
    set_actor(session, record.user_id, record.actor)
    reporter = _Reporter(job_id)
    commit = action == "commit"
    if commit and db.engine.dialect.name == "sqlite":
        # Take SQLite's write lock first: a read transaction that another connection wrote
        # behind could not write later. Progress then stays in memory (see write_progress).
        # Not the job row: on PostgreSQL that row lock would block write_progress for good.
        session.execute(update(ImportRecord).where(ImportRecord.id == record.id)
                        .values(status=ImportStatus.COMMITTING))
    try:
        outcome = services.run_import(
            session, _scope_of(record), record, write=commit, today=date.today(),
            min_age=current_app.config["REGISTRY_MIN_WORKER_AGE"], progress=reporter,
            total=job.total or None, record_now=False,
        )
        if not commit:
            session.rollback()
            job = session.get(ImportJob, job_id)
            record = job.import_record
            services.record_outcome(record, outcome)
        job.state, job.done, job.total = JobState.DONE, record.rows_read, record.rows_read
        job.message = record.message or services.summary_of(record)
    except DomainError as error:
        session.rollback()
        _failed(job_id, " ".join(error.messages))
        return
    except Exception:
        log.exception("Import job %s failed", job_id)
        session.rollback()
        _failed(job_id, FAILED_MESSAGE)
        return
    finally:
        LIVE.pop(job_id, None)
    job.finished_at = job.heartbeat_at = utcnow()
    session.commit()


def _failed(job_id: int, message: str) -> None:
    session = db.session
    job = session.get(ImportJob, job_id)
    job.state, job.message, job.finished_at = JobState.FAILED, message, utcnow()
    record = job.import_record
    if job.action == "preview" and not record.is_finished:
        # The file or the mapping is refused: the user may choose another sheet or mapping.
        record.status = ImportStatus.UPLOADED
        record.message = message
    else:
        services.fail(record, message)
    session.commit()


def latest_job(session, record: ImportRecord) -> ImportJob | None:
    """The import's most recent job."""
    return session.scalar(select(ImportJob).where(ImportJob.import_id == record.id)
                          .order_by(ImportJob.id.desc()).limit(1))


def progress_of(job: ImportJob | None) -> dict:
    """The figures the progress page shows: state, rows done and expected, message."""
    if job is None:
        return {"state": "none", "done": 0, "total": 0, "message": ""}
    done, total = LIVE.get(job.id, (job.done, job.total))
    return {"state": job.state.value, "label": job.state.label, "done": done,
            "total": total or 0, "message": job.message}

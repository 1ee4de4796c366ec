"""Queueing, claiming and running background jobs, with progress, heartbeat and stale jobs.

Why a thread in the web process: the registry is installed on one machine with SQLite and no
other server, so a job table plus a daemon thread that claims queued rows is the embedded
default that needs nothing more to run. The claim is an UPDATE … WHERE state = 'queued', so
with several web processes each job still runs once; `flask jobs work` (alias `flask import
work`) runs the same loop as a separate process for installations that prefer one (e.g. under
systemd next to gunicorn). Jobs run one after another: on SQLite a large import holds the only
write lock for its whole transaction, so two at once would only wait for each other.

A kind of job is a Handler registered under its name; the handler does the work in the
worker's session and returns a Result, the runner records it and commits once. Progress is
kept in memory for the page that polls it and written to the job row through a separate
connection about once a second, with the heartbeat. On SQLite a commit holds the only write
lock for its whole transaction, so those writes are skipped (busy_timeout 0) until it ends; the
poll then reads the in-process figures. A job left "running" without a heartbeat for STALE
(the process died) is marked failed: its transaction was never committed, so the data is as
before.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.errors import DomainError
from registry.extensions import db
from registry.jobs.models import Job, JobState

log = logging.getLogger(__name__)

#: A running job without a heartbeat for this long has lost its process.
STALE = timedelta(minutes=15)
#: Seconds between two writes of progress and heartbeat to the job row.
PROGRESS_EVERY = 1.0
FAILED_MESSAGE = ("Công việc nền gặp lỗi hệ thống; không có dữ liệu nào được ghi. Hãy thử lại "
                  "hoặc báo quản trị viên.")
INTERRUPTED = ("Công việc nền bị dừng giữa chừng (máy chủ khởi động lại?); không có dữ liệu nào "
               "được ghi. Hãy chạy lại.")
UNKNOWN_KIND = "Không có bộ xử lý cho loại công việc «{kind}»."

#: The progress callback a handler is given: (units done, units expected or None).
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Result:
    """What a finished job did: units done, the outcome in Vietnamese, the file it made."""

    done: int
    message: str = ""
    result_file: str = ""
    #: Whatever the handler's run() hands to its finish(), e.g. an import's counts.
    details: Any = None


class Handler(ABC):
    """What one kind of job does. Subclass, set kind, and register() an instance.

    run() works in db.session (the worker's) and only flushes. A handler that writes (writes
    = True) has its changes committed together with the job's outcome; any other handler's
    transaction is ended before the outcome is recorded, so that a long read never has to
    write (SQLite). finish() then records the outcome on the feature's own records, in the
    transaction that marks the job done. Whatever it raises rolls everything back: a
    DomainError's messages become the job's message, any other exception error_message().
    """

    #: The name jobs of this kind are queued under, e.g. "import-commit".
    kind: str = ""
    #: The Vietnamese names of the states as this kind's pages show them.
    labels: ClassVar[Mapping[JobState, str]] = {state: state.label for state in JobState}
    #: The failure message of a job of this kind whose process stopped midway.
    interrupted: ClassVar[str] = INTERRUPTED
    #: The failure message of a job of this kind that raised an unexpected error.
    system_error: ClassVar[str] = FAILED_MESSAGE
    #: Folder of the instance folder holding the result files of this kind.
    result_folder: ClassVar[str] = "jobs"
    #: Whether run() writes to the database (it then holds SQLite's write lock throughout).
    writes: bool = False

    @abstractmethod
    def run(self, job: Job, progress: Progress) -> Result:
        """Do the job's work, reporting progress; returns its outcome."""

    def finish(self, job: Job, result: Result) -> Result:
        """Record the outcome on the feature's records; returns the job's final outcome."""
        return result

    def error_message(self, error: Exception) -> str:
        """The Vietnamese message of a job that raised error."""
        if isinstance(error, DomainError):
            return " ".join(error.messages)
        return self.system_error

    def failed(self, job: Job, message: str, interrupted: bool) -> None:
        """Bring the feature's own records in line with a failed job (in the same transaction).

        interrupted: the job's process stopped midway (see STALE) rather than the job raising.
        By default a kind keeps no records of its own besides the job row.
        """
        return None


class _UnknownKind(Handler):
    """Stands for a kind no handler is registered for (e.g. a job left by an older version):
    running it fails the job with a Vietnamese message."""

    def run(self, job: Job, progress: Progress) -> Result:
        raise DomainError(UNKNOWN_KIND.format(kind=job.kind))


_UNKNOWN = _UnknownKind()
HANDLERS: dict[str, Handler] = {}


def register(handler: Handler) -> Handler:
    """Make handler run the jobs of its kind; returns it."""
    HANDLERS[handler.kind] = handler
    return handler


def handler_of(job: Job) -> Handler:
    """The handler of a job's kind; for an unknown kind, one that fails the job."""
    return HANDLERS.get(job.kind) or _UNKNOWN


# --- queueing and claiming ------------------------------------------------------------------


def submit(session: Session, kind: str, parameters: dict[str, Any] | None = None, *,
           total: int = 0, created_by_id: int | None = None) -> Job:
    """Queue a job; the caller commits, then calls start_worker()."""
    if kind not in HANDLERS:
        raise LookupError(f"no job handler registered for {kind!r}")
    job = Job(kind=kind, parameters=parameters or {}, total=total, created_by_id=created_by_id,
              state=JobState.QUEUED)
    session.add(job)
    session.flush()
    return job


def claim(session: Session, job_id: int) -> bool:
    """Take a queued job for this worker and commit; False when another worker was first."""
    now = utcnow()
    taken = session.execute(
        update(Job).where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=now, heartbeat_at=now)
    ).rowcount
    session.commit()
    return bool(taken)


def claim_next(session: Session) -> int | None:
    """Take the oldest queued job for this worker; None when there is none."""
    while True:
        job_id = session.scalar(select(Job.id).where(Job.state == JobState.QUEUED)
                                .order_by(Job.id).limit(1))
        # End the read transaction first: on SQLite, a write in a read transaction that
        # another worker's claim committed behind fails at once instead of waiting its turn.
        session.rollback()
        if job_id is None:
            return None
        if claim(session, job_id):
            return job_id


# --- progress -------------------------------------------------------------------------------


#: Job id → (units done, units expected) for jobs running in this process.
LIVE: dict[int, tuple[int, int | None]] = {}


class _Reporter:
    """The progress callback of one job: memory always, the job row when the database allows."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = time.monotonic()  # the claim has just written the first heartbeat

    def __call__(self, done: int, total: int | None) -> None:
        LIVE[self.job_id] = (done, total)
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            write_progress(self.job_id, done, total)


def write_progress(job_id: int, done: int, total: int | None) -> None:
    """Record progress and heartbeat on the job row on a connection of its own.

    Skipped while SQLite's write lock is held (by the job's own transaction, when it writes),
    and when the app is bound to a single connection rather than an engine (the tests' one
    rolled-back transaction): the figures then stay in LIVE.
    """
    engine = db.engine
    if not isinstance(engine, Engine):
        return
    sqlite = engine.dialect.name == "sqlite"
    values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
    if total is not None:
        values["total"] = total
    try:
        with engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                connection.execute(update(Job).where(Job.id == job_id).values(**values))
                connection.commit()
            finally:
                if sqlite:
                    connection.rollback()
                    connection.exec_driver_sql("PRAGMA busy_timeout=10000")
    except OperationalError:
        pass  # SQLite: a commit holds the write lock; the poll reads LIVE meanwhile


@dataclass(frozen=True)
class Status:
    """A job as its page shows it: state and its label, units done and expected, message."""

    state: JobState
    label: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        """Share done, 0–100."""
        if self.state == JobState.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0


def status_of(job: Job) -> Status:
    """The job's figures: this process's live ones while it runs here, else the row's."""
    done, total = LIVE.get(job.id, (job.done, job.total))
    return Status(job.state, handler_of(job).labels[job.state], done, total or job.total or 0,
                  job.message)


def result_path(app: Flask, job: Job) -> Path | None:
    """The file a finished job made, or None when it made none."""
    if not job.result_file:
        return None
    return result_folder(app, handler_of(job)) / job.result_file


def result_folder(app: Flask, handler: Handler) -> Path:
    """The folder of a kind's result files, inside the instance folder (made if missing)."""
    folder = Path(app.instance_path) / handler.result_folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- running --------------------------------------------------------------------------------


def run_job(job_id: int) -> None:
    """Run one claimed job in the current app context and commit its outcome.

    On SQLite a transaction that has read cannot write once another connection (the progress
    writes, a request) has committed behind it, so each step starts a transaction of its own:
    the handler's run (taking the write lock first when it writes), then the outcome, whose
    first statement is a write.
    """
    session = db.session
    job = session.get(Job, job_id)
    kind = job.kind
    handler = handler_of(job)
    session.rollback()
    try:
        if handler.writes and db.engine.dialect.name == "sqlite":
            # The job row is otherwise left alone until the end: on PostgreSQL a row lock held
            # by this transaction would block write_progress for good.
            _touch(session, job_id)
        result = handler.run(job, _Reporter(job_id))
        if not handler.writes:
            session.rollback()
        _touch(session, job_id)
        result = handler.finish(job, result)
    except Exception as error:
        if not isinstance(error, DomainError):
            log.exception("Job %s (%s) failed", job_id, kind)
        session.rollback()
        _fail(session, job_id, handler.error_message(error), interrupted=False)
        session.commit()
        return
    except BaseException:  # Ctrl-C of `flask jobs work`: nothing written, say so
        session.rollback()
        _fail(session, job_id, handler.interrupted, interrupted=True)
        session.commit()
        raise
    finally:
        LIVE.pop(job_id, None)
    job = session.get(Job, job_id)
    job.state, job.done, job.total = JobState.DONE, result.done, result.done
    job.message, job.result_file = result.message, result.result_file
    job.finished_at = job.heartbeat_at = utcnow()
    session.commit()


def _touch(session: Session, job_id: int) -> None:
    """Write the job's heartbeat in the session's transaction (which takes SQLite's lock)."""
    session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow()))


def _fail(session: Session, job_id: int, message: str, interrupted: bool) -> None:
    _touch(session, job_id)
    job = session.get(Job, job_id)
    job.state, job.message, job.finished_at = JobState.FAILED, message, utcnow()
    handler_of(job).failed(job, message, interrupted)
    session.flush()


def _last_sign_of_life():
    return func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)


def is_stale(job: Job, now: datetime | None = None) -> bool:
    """Whether a job is running without a sign of life for STALE, and not in this process."""
    if job.state != JobState.RUNNING or job.id in LIVE:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    return last < (now or utcnow()) - STALE


def mark_stale(session: Session) -> int:
    """Fail every stale job (its process died) and commit; returns how many."""
    stale = session.scalars(select(Job.id).where(
        Job.state == JobState.RUNNING, _last_sign_of_life() < utcnow() - STALE,
        Job.id.not_in(list(LIVE) or [-1]),
    )).all()
    session.rollback()
    marked = 0
    for job_id in stale:
        _touch(session, job_id)
        job = session.get(Job, job_id)
        if job.state == JobState.RUNNING:  # not finished meanwhile
            _fail(session, job_id, handler_of(job).interrupted, interrupted=True)
            marked += 1
        session.commit()
    return marked


def fail_if_stale(session: Session, job: Job) -> bool:
    """Fail this job if it is stale (only flushes); True when it was marked."""
    if not is_stale(job):
        return False
    _fail(session, job.id, handler_of(job).interrupted, interrupted=True)
    return True


# --- the worker -----------------------------------------------------------------------------


@dataclass
class _Worker:
    thread: threading.Thread
    wake: threading.Event


_lock = threading.Lock()
_workers: dict[int, _Worker] = {}


def start_worker(app: Flask) -> None:
    """Make sure this process has a worker thread for app, and wake it.

    With REGISTRY_JOBS_INLINE (tests) the queued jobs are run at once, in this thread.
    """
    if app.config.get("REGISTRY_JOBS_INLINE"):
        work(app, idle_exit=True)
        return
    with _lock:
        worker = _workers.get(id(app))
        if worker is None or not worker.thread.is_alive():
            wake = threading.Event()
            thread = threading.Thread(target=work, args=(app,),
                                      kwargs={"idle_exit": True, "wake": wake},
                                      name="job-worker", daemon=True)
            worker = _workers[id(app)] = _Worker(thread, wake)
            thread.start()
        worker.wake.set()


def join_worker(app: Flask, timeout: float | None = None) -> None:
    """Wait until app's worker thread has run out of jobs (for tests and shutdown)."""
    with _lock:
        worker = _workers.get(id(app))
    if worker is not None:
        worker.thread.join(timeout)


def work(app: Flask, idle_exit: bool = False, poll: float = 2.0,
         wake: threading.Event | None = None) -> None:
    """Run queued jobs one after another; with idle_exit, return when none is left."""
    wake = wake or threading.Event()
    with app.app_context():
        mark_stale(db.session)
        db.session.remove()
    while True:
        wake.clear()
        with app.app_context():
            try:
                job_id = claim_next(db.session)
                if job_id is not None:
                    run_job(job_id)
            finally:
                db.session.remove()
        if job_id is not None:
            continue
        if idle_exit:
            with _lock:
                # A job submitted since the last look has set wake: look again rather than
                # leave it queued with no thread to run it.
                if not wake.is_set():
                    worker = _workers.get(id(app))
                    if worker is not None and worker.wake is wake:
                        del _workers[id(app)]
                    return
            continue
        wake.wait(poll)

"""Large imports in the background: the preview and the commit as kinds of job.

The queue, the worker thread, progress, heartbeat and stale jobs are registry.jobs.runner's;
this module says what an "import-preview" or "import-commit" job does and how a failed one
leaves its import record. The job's parameters name the import ({"import_id": 12}).
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.services import set_actor
from registry.auth.models import Role, User
from registry.auth.scope import Scope
from registry.extensions import db
from registry.imports import services
from registry.imports.models import ImportRecord, ImportStatus
from registry.jobs import runner
from registry.jobs.models import Job

FAILED_MESSAGE = ("Đã có lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy thử lại "
                  "hoặc báo quản trị viên.")
INTERRUPTED = ("Việc xử lý tệp bị dừng giữa chừng (máy chủ khởi động lại?); không có dữ liệu nào "
               "được ghi. Hãy chạy lại.")
#: The job kind of each action.
KINDS = {"preview": "import-preview", "commit": "import-commit"}


def _scope_of(record: ImportRecord) -> Scope:
    user = db.session.get(User, record.user_id) if record.user_id else None
    return Scope.of(user) if user is not None else Scope(role=Role.ADMIN)


class ImportHandler(runner.Handler):
    """Runs the preview (write=False) or the commit of an import and records its outcome.

    A commit writes throughout (one transaction, SQLite's write lock taken first, progress in
    memory meanwhile); a preview only reads, and its outcome is recorded afterwards in the
    transaction that marks the job done.
    """

    interrupted = INTERRUPTED
    system_error = FAILED_MESSAGE

    def __init__(self, kind: str, write: bool) -> None:
        self.kind = kind
        self.writes = write

    def run(self, job: Job, progress: runner.Progress) -> runner.Result:
        """One pass over the import's file."""
        session = db.session
        record = session.get(ImportRecord, job.parameters["import_id"])
        set_actor(session, record.user_id, record.actor)
        outcome = services.run_import(
            session, _scope_of(record), record, write=self.writes, today=date.today(),
            min_age=current_app.config["REGISTRY_MIN_WORKER_AGE"], progress=progress,
            total=job.total or None, record_now=False,
        )
        return runner.Result(done=outcome.rows, message=record.message, details=outcome)

    def finish(self, job: Job, result: runner.Result) -> runner.Result:
        """Record a preview's counts on the import; the job's message is the summary."""
        record = db.session.get(ImportRecord, job.parameters["import_id"])
        if not self.writes:
            services.record_outcome(record, result.details)
        return runner.Result(done=record.rows_read,
                             message=record.message or services.summary_of(record))

    def failed(self, job: Job, message: str, interrupted: bool) -> None:
        """A refused preview goes back to the mapping step; anything else fails the import."""
        record = db.session.get(ImportRecord, job.parameters["import_id"])
        if not self.writes and not interrupted and not record.is_finished:
            # The file or the mapping is refused: the user may choose another sheet or mapping.
            record.status = ImportStatus.UPLOADED
            record.message = message
        else:
            services.fail(record, message)


runner.register(ImportHandler(KINDS["preview"], write=False))
runner.register(ImportHandler(KINDS["commit"], write=True))


def submit(session: Session, record: ImportRecord, action: str, total: int | None = None) -> Job:
    """Queue a preview or commit of an import; the caller commits, then calls
    runner.start_worker()."""
    record.status = ImportStatus.PREVIEWING if action == "preview" else ImportStatus.COMMITTING
    return runner.submit(session, KINDS[action], {"import_id": record.id}, total=total or 0,
                         created_by_id=record.user_id)


def latest_job(session: Session, record: ImportRecord) -> Job | None:
    """The import's most recent job."""
    return session.scalar(
        select(Job).where(Job.kind.in_(KINDS.values()),
                          Job.parameters["import_id"].as_integer() == record.id)
        .order_by(Job.id.desc()).limit(1))


def progress_of(job: Job | None) -> dict:
    """The figures the progress page shows: state, rows done and expected, message."""
    if job is None:
        return {"state": "none", "done": 0, "total": 0, "message": ""}
    status = runner.status_of(job)
    return {"state": status.state.value, "label": status.label, "done": status.done,
            "total": status.total, "message": status.message}

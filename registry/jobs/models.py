"""The background job: what to do (kind and parameters), where it stands and its progress.

Every kind of job (an import's preview or commit, a batch of certificates) is a row of jobs;
the handler registered for its kind (registry.jobs.runner) does the work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.auth.models import User
from registry.db import LabelledEnum, UTCDateTime, enum_type, utcnow
from registry.extensions import db


class JobState(LabelledEnum):
    """A background job's life."""

    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    FAILED = "failed", "Lỗi"


class Job(db.Model):
    """One piece of background work, run once by whichever worker claims it first."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The registered handler that runs it, e.g. "import-commit", "certificates-pdf".
    kind: Mapped[str] = mapped_column(String(30))
    #: What the handler needs, as plain JSON values (ids, a URL…).
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_type(JobState, length=10),
                                            default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    #: Units of work expected (rows, certificates); an estimate until the job is done.
    total: Mapped[int] = mapped_column(Integer, default=0)
    #: The outcome or the reason of the failure, in Vietnamese.
    message: Mapped[str] = mapped_column(Text, default="")
    #: Name of the file the job made, in its handler's folder of the instance; empty if none.
    result_file: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Last sign of life of the worker running it: a job running without one is stale.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()

    @property
    def is_finished(self) -> bool:
        """Whether the job is done or failed."""
        return self.state in (JobState.DONE, JobState.FAILED)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state} {self.done}/{self.total}>"

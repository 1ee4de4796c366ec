"""Batch printing of certificates: one PDF, or a ZIP of one PDF per worker, streamed to a file.

Small batches are written during the request; long ones run as a PrintJob in a background
thread of the web process (one at a time per process), which commits its progress every few
hundred pages so the job page can show a progress bar.  The import jobs (registry.imports)
belong to an import record and are not reusable here, hence this small runner of its own.
"""

from __future__ import annotations

import logging
import threading
import zipfile
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.documents.certificate import CertificateData, certificate_pdf, write_certificates
from registry.errors import DomainError
from registry.extensions import db
from registry.recognition.documents import ascii_name, certificate_items, printable_certificates
from registry.recognition.models import Decision, PrintJob, PrintJobStatus

log = logging.getLogger(__name__)

#: Batches above this many certificates go to the background (setting RECOGNITION_BATCH_INLINE).
INLINE_LIMIT = 300
#: Progress is committed every this many pages.
PROGRESS_STEP = 200
#: A job not finished this long after it was queued has lost its process (a restart).
STALE = timedelta(hours=1)
INTERRUPTED = "Việc in bị dừng giữa chừng (máy chủ khởi động lại?). Hãy in lại."
_run_lock = threading.Lock()


def public_base_url() -> str:
    """Where the public verification pages are served: RECOGNITION_PUBLIC_URL, else this host."""
    configured = current_app.config.get("RECOGNITION_PUBLIC_URL")
    if configured:
        return configured.rstrip("/") + "/"
    if has_request_context():
        return request.host_url
    return "http://localhost:5000/"


def count_printable(session: Session, decision: Decision, enterprise_id: int | None) -> int:
    """How many valid certificates a batch would hold."""
    stmt = printable_certificates(decision.id, enterprise_id).order_by(None)
    return session.scalar(select(func.count()).select_from(stmt.subquery()))


def write_pdf(items: Iterable[CertificateData], out: BinaryIO,
              progress: Callable[[int], None] | None = None) -> int:
    """All certificates into one PDF on out; returns the page count."""
    return write_certificates(items, out, progress)


def zip_name(data: CertificateData) -> str:
    """ "CDHT-2025-15865-000123_Nguyen_Thi_Ha.pdf"."""
    return f"{data.serial}_{ascii_name(data.full_name)}.pdf"


def write_zip(items: Iterable[CertificateData], out: BinaryIO,
              progress: Callable[[int], None] | None = None) -> int:
    """One PDF per certificate in a ZIP on out; returns how many."""
    count = 0
    # PDF streams are compressed already: storing them costs nothing and saves the CPU.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for data in items:
            archive.writestr(zip_name(data), certificate_pdf(data))
            count += 1
            if progress is not None:
                progress(count)
    if count == 0:
        raise ValueError("no certificates to write")
    return count


def write_batch(session: Session, decision: Decision, kind: str, out: BinaryIO, base_url: str,
                enterprise_id: int | None = None,
                progress: Callable[[int], None] | None = None) -> int:
    """The valid certificates of a decision (one enterprise's) as "pdf" or "zip" on out."""
    items = certificate_items(session, decision, base_url, enterprise_id)
    writer = write_zip if kind == "zip" else write_pdf
    return writer(items, out, progress)


def check_batch(session: Session, decision: Decision, enterprise_id: int | None) -> int:
    """The number of certificates to print; refuses an unissued decision or an empty batch."""
    if not decision.is_issued:
        raise DomainError("Quyết định chưa ban hành: chưa có giấy chứng nhận để in.")
    count = count_printable(session, decision, enterprise_id)
    if count == 0:
        raise DomainError("Không có giấy chứng nhận còn hiệu lực nào để in trong phạm vi đã "
                          "chọn.")
    return count


# --- background jobs -----------------------------------------------------------------------


def jobs_folder(app: Flask) -> Path:
    """The folder of finished batch files (instance/print_jobs)."""
    folder = Path(app.instance_path) / "print_jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_path(app: Flask, job: PrintJob) -> Path:
    """The file of a job."""
    return jobs_folder(app) / job.file_name


def create_job(session: Session, decision: Decision, kind: str, enterprise_id: int | None,
               total: int, base_url: str, user_id: int | None) -> PrintJob:
    """A queued job; start it with start_job after the commit."""
    job = PrintJob(decision_id=decision.id, enterprise_id=enterprise_id, kind=kind,
                   total=total, base_url=base_url, created_by_id=user_id,
                   status=PrintJobStatus.QUEUED)
    session.add(job)
    session.flush()
    job.file_name = f"job-{job.id}.{kind}"
    session.flush()
    return job


def run_job(app: Flask, job_id: int) -> None:
    """Run one queued job to the end, in its own app context and session."""
    with app.app_context(), _run_lock:
        session = db.session
        # Claimed by an UPDATE on the queued state, so a job never runs twice.
        taken = session.execute(
            update(PrintJob).where(PrintJob.id == job_id,
                                   PrintJob.status == PrintJobStatus.QUEUED)
            .values(status=PrintJobStatus.RUNNING)
        ).rowcount
        session.commit()
        if not taken:
            return
        job = session.get(PrintJob, job_id)
        target = job_path(app, job)
        partial = target.with_suffix(".part")

        def progress(done: int) -> None:
            if done % PROGRESS_STEP == 0:
                job.done = done
                session.commit()

        try:
            decision = session.get(Decision, job.decision_id)
            with partial.open("wb") as out:
                count = write_batch(session, decision, job.kind, out, job.base_url,
                                    job.enterprise_id, progress)
            partial.replace(target)
            job.done = count
            job.total = count
            job.status = PrintJobStatus.DONE
        except Exception as exc:  # the job page must say it failed rather than spin forever
            log.exception("Print job %s failed", job_id)
            session.rollback()
            job = session.get(PrintJob, job_id)
            job.status = PrintJobStatus.FAILED
            job.error = f"Không in được: {type(exc).__name__}."
            partial.unlink(missing_ok=True)
        job.finished_at = utcnow()
        session.commit()
        db.session.remove()


def mark_stale(session: Session, job: PrintJob) -> bool:
    """Fail a job unfinished after STALE (its process stopped); True when it was marked."""
    if job.status in (PrintJobStatus.QUEUED, PrintJobStatus.RUNNING) and (
            utcnow() - job.created_at > STALE):
        job.status = PrintJobStatus.FAILED
        job.error = INTERRUPTED
        job.finished_at = utcnow()
        session.flush()
        return True
    return False


def start_job(app: Flask, job_id: int) -> None:
    """Run the job in a background thread (RECOGNITION_JOBS_INLINE runs it at once, in tests)."""
    if app.config.get("RECOGNITION_JOBS_INLINE"):
        run_job(app, job_id)
        return
    threading.Thread(target=run_job, args=(app, job_id), name=f"print-job-{job_id}",
                     daemon=True).start()

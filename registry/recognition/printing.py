"""Batch printing of certificates: one PDF, or a ZIP of one PDF per worker, streamed to a file.

Small batches are written during the request; long ones are background jobs (registry.jobs)
of kind "certificates-pdf" or "certificates-zip", whose parameters name the decision, the
enterprise (or none) and the base of the verification URLs. The finished file is kept in
instance/print_jobs as job-<id>.pdf or .zip for the job page's download.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from typing import BinaryIO

from flask import current_app, has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.documents.certificate import CertificateData, certificate_pdf, write_certificates
from registry.errors import DomainError
from registry.extensions import db
from registry.jobs import runner
from registry.jobs.models import Job, JobState
from registry.recognition.documents import ascii_name, certificate_items, printable_certificates
from registry.recognition.models import Decision

#: Batches above this many certificates go to the background (setting RECOGNITION_BATCH_INLINE).
INLINE_LIMIT = 300
INTERRUPTED = "Việc in bị dừng giữa chừng (máy chủ khởi động lại?). Hãy in lại."
#: The job kind of each file format, and back.
KINDS = {"pdf": "certificates-pdf", "zip": "certificates-zip"}
FORMATS = {kind: file_format for file_format, kind in KINDS.items()}


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


class PrintHandler(runner.Handler):
    """Writes a batch to instance/print_jobs/job-<id>.<format>, through a .part file."""

    labels = {JobState.QUEUED: "Đang chờ", JobState.RUNNING: "Đang in",
              JobState.DONE: "Hoàn thành", JobState.FAILED: "Lỗi"}
    interrupted = INTERRUPTED
    result_folder = "print_jobs"

    def __init__(self, file_format: str) -> None:
        self.kind = KINDS[file_format]
        self.file_format = file_format

    def run(self, job: Job, progress: runner.Progress) -> runner.Result:
        """Print the batch; the file appears under its final name only once complete."""
        session = db.session
        parameters = job.parameters
        name = f"job-{job.id}.{self.file_format}"
        target = runner.result_folder(current_app, self) / name
        partial = target.with_suffix(".part")
        total = job.total
        decision = session.get(Decision, parameters["decision_id"])
        try:
            with partial.open("wb") as out:
                count = write_batch(session, decision, self.file_format, out,
                                    parameters["base_url"], parameters.get("enterprise_id"),
                                    lambda done: progress(done, total))
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return runner.Result(done=count, result_file=name)

    def error_message(self, error: Exception) -> str:
        """Which error stopped the printing, without details meant for the log."""
        return f"Không in được: {type(error).__name__}."


for _format in KINDS:
    runner.register(PrintHandler(_format))


def create_job(session: Session, decision: Decision, file_format: str,
               enterprise_id: int | None, total: int, base_url: str,
               user_id: int | None) -> Job:
    """A queued batch of "pdf" or "zip"; call runner.start_worker after the commit."""
    return runner.submit(session, KINDS[file_format],
                         {"decision_id": decision.id, "enterprise_id": enterprise_id,
                          "base_url": base_url},
                         total=total, created_by_id=user_id)


def decision_jobs(decision: Decision, user_id: int):
    """The user's print jobs of a decision, newest first (a statement)."""
    return (select(Job).where(Job.kind.in_(KINDS.values()), Job.created_by_id == user_id,
                              Job.parameters["decision_id"].as_integer() == decision.id)
            .order_by(Job.id.desc()))

"""The record of each spreadsheet import.

An import (ImportRecord) is kept for good: who uploaded which file (name and SHA-256), into
which enterprise, the sheet and column mapping used, the counts, and the file of rejected rows.
Audit entries written by an import point at it (AuditEntry.import_id).

Large imports are previewed and committed as background jobs (registry.jobs, kinds
"import-preview" and "import-commit"); see registry.imports.jobs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.auth.models import User
from registry.db import LabelledEnum, UTCDateTime, enum_type, utcnow
from registry.enterprises.models import Enterprise
from registry.extensions import db


class ImportMode(LabelledEnum):
    """What happens when some rows are rejected."""

    ALL_OR_NOTHING = "all", "Tất cả hoặc không gì cả"
    VALID_ONLY = "valid", "Chỉ nhập các dòng hợp lệ"


class ImportStatus(LabelledEnum):
    """Where an import stands."""

    UPLOADED = "uploaded", "Đã tải lên, chờ xác nhận cột"
    PREVIEWING = "previewing", "Đang kiểm tra"
    PREVIEWED = "previewed", "Đã kiểm tra, chờ ghi"
    COMMITTING = "committing", "Đang ghi dữ liệu"
    DONE = "done", "Đã nhập"
    REFUSED = "refused", "Không nhập (có dòng lỗi)"
    FAILED = "failed", "Thất bại"


class ImportRecord(db.Model):
    """One upload of a spreadsheet and what it did to the registry."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_enterprise_created", "enterprise_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: workers, participations, activities (registry.imports.kinds) or a registered kind.
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who ran it, as shown: a username, or "cli:<os user>" for the command.
    actor: Mapped[str] = mapped_column(String(120))
    #: The enterprise imported into; empty for commune-wide activities or several enterprises.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    #: The commune of the importing unit, for scoping the history of commune officers.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_name: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the uploaded bytes, hex.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    #: xlsx, xls, ods or csv, from the file's content.
    file_format: Mapped[str] = mapped_column(String(10))
    #: Where the upload waits between the steps (instance folder); emptied when finished.
    stored_path: Mapped[str] = mapped_column(String(500), default="")
    sheet_name: Mapped[str] = mapped_column(String(100), default="")
    sheet_index: Mapped[int] = mapped_column(Integer, default=0)
    #: First row of the header as found or chosen (1-based).
    header_row: Mapped[int | None] = mapped_column(Integer)
    #: {field name: column index} as confirmed by the user.
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    mode: Mapped[ImportMode] = mapped_column(
        enum_type(ImportMode, length=10), default=ImportMode.ALL_OR_NOTHING
    )
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus), default=ImportStatus.UPLOADED
    )
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Notices (encoding repaired, legacy ID numbers, …) and the outcome, in Vietnamese.
    message: Mapped[str] = mapped_column(Text, default="")
    #: {"notices": [...], "rejected": [[row, text]…], "updated": [[row, label, fields]…],
    #: "fields": {label: count}} — the first rows only; the error file has every rejected row.
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The rejected rows as .xlsx in the uploaded layout with a «Lỗi» column.
    error_file: Mapped[bytes | None] = mapped_column(LargeBinary)

    user: Mapped[User | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    @property
    def is_finished(self) -> bool:
        """Whether nothing more can happen to this import."""
        return self.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)

    def __repr__(self) -> str:
        return f"<ImportRecord {self.id} {self.kind} {self.status}>"

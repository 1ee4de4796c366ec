"""The audit log: who changed which record, when, and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.auth.models import User
from registry.db import LabelledEnum, UTCDateTime, enum_type, utcnow
from registry.extensions import db
from registry.imports.models import ImportRecord


class AuditAction(LabelledEnum):
    """Kinds of change recorded."""

    CREATE = "create", "Tạo mới"
    UPDATE = "update", "Sửa"
    ARCHIVE = "archive", "Lưu trữ"
    RESTORE = "restore", "Khôi phục"


class AuditEntry(db.Model):
    """One change to one record: the fields changed with their values before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_entity", "entity_type", "entity_id"),
        Index("ix_audit_entries_import_id", "import_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who acted, as shown: a username, or "cli:<os user>" for a command.
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction))
    #: Table name of the record, e.g. "workers".
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    #: {field: [before, after]} with values as JSON scalars.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The spreadsheet import that made this change, if one did.
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))

    user: Mapped[User | None] = relationship()
    import_record: Mapped[ImportRecord | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.entity_type}:{self.entity_id}>"

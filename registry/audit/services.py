"""Recording every create, update, archive and restore of audited records.

Models opt in with ``__audited__ = True``.  A session listener compares each flushed object
with its previous state and writes one audit row per object in the same transaction, so no
service can forget to audit and an audit row never outlives a rolled-back change.  Who acted
is taken from ``session.info["actor"]``, set once per request or command by set_actor().

A spreadsheet import links its entries to itself: set_import() marks the session so the
listener fills AuditEntry.import_id, and bulk writers that insert rows with Core statements
(bypassing the listener) write their entries with record_bulk() in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, event, func, insert, inspect, select
from sqlalchemy.orm import ColumnProperty, Session

from registry.audit.models import AuditAction, AuditEntry
from registry.auth.models import User
from registry.db import table_of, utcnow
from registry.imports.bulk import insert_rows

#: Columns derived from others or bookkeeping; not worth showing as changes.
SKIPPED = frozenset({"search_name", "search_title", "sort_key", "created_at", "updated_at"})
SYSTEM_ACTOR = (None, "hệ thống")


def set_actor(session: Session, user_id: int | None, label: str) -> None:
    """Attribute the changes flushed by this session to a user (or a named command)."""
    session.info["actor"] = (user_id, label)


def set_import(session: Session, import_id: int | None) -> None:
    """Link the audit entries this session writes from now on to an import (None to stop)."""
    if import_id is None:
        session.info.pop("import_id", None)
    else:
        session.info["import_id"] = import_id


def record_bulk(
    session: Session, entity_type: str, entries: list[tuple[AuditAction, int, dict[str, Any]]]
) -> None:
    """Write audit entries for rows changed with bulk statements: (action, id, changes) each.

    Values in changes must already be JSON scalars (see audit_value).
    """
    if not entries:
        return
    user_id, actor = session.info.get("actor", SYSTEM_ACTOR)
    import_id = session.info.get("import_id")
    now = utcnow()
    insert_rows(
        session, AuditEntry.__table__,
        ("at", "user_id", "actor", "action", "entity_type", "entity_id", "changes", "import_id"),
        [(now, user_id, actor, action, entity_type, entity_id, changes, import_id)
         for action, entity_id, changes in entries],
    )


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, bytes):
        return None
    return value


def _columns(obj: Any) -> list[str]:
    return [
        prop.key
        for prop in inspect(obj).mapper.iterate_properties
        if isinstance(prop, ColumnProperty) and prop.key not in SKIPPED
    ]


def _created(obj: Any) -> dict[str, list[Any]]:
    return {
        key: [None, _json(getattr(obj, key))]
        for key in _columns(obj)
        if getattr(obj, key) not in (None, "") and key != "id"
    }


def _updated(obj: Any) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if _json(before) != _json(after):
            changes[key] = [_json(before), _json(after)]
    return changes


def _action(changes: dict[str, list[Any]]) -> AuditAction:
    if "archived_at" in changes:
        before, after = changes["archived_at"]
        if before is None and after is not None:
            return AuditAction.ARCHIVE
        if before is not None and after is None:
            return AuditAction.RESTORE
    return AuditAction.UPDATE


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: Any) -> None:
    """Write audit rows for the audited objects of this flush (state is still pre-flush)."""
    user_id, actor = session.info.get("actor", SYSTEM_ACTOR)
    import_id = session.info.get("import_id")
    now = utcnow()
    rows = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append((obj, AuditAction.CREATE, _created(obj)))
    for obj in session.dirty:
        if getattr(obj, "__audited__", False):
            changes = _updated(obj)
            if changes:
                rows.append((obj, _action(changes), changes))
    if rows:
        session.connection().execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "user_id": user_id,
                    "actor": actor,
                    "action": action,
                    "entity_type": obj.__tablename__,
                    "entity_id": obj.id,
                    "changes": changes,
                    "import_id": import_id,
                }
                for obj, action, changes in rows
            ],
        )


#: The JSON form of a value as stored in AuditEntry.changes.
audit_value = _json


class HistoryLine(NamedTuple):
    """One audit entry as a record's page shows it."""

    id: int
    at: datetime
    #: The user's current full name, or the recorded actor label (commands, imports).
    who: str
    action: AuditAction
    changes: dict[str, Any]
    import_id: int | None


def _history() -> Select:
    a, u = table_of(AuditEntry), table_of(User)
    return (
        select(a.c.id, a.c.at, func.coalesce(u.c.full_name, a.c.actor), a.c.action,
               a.c.changes, a.c.import_id)
        .select_from(a)
        .outerjoin(u, u.c.id == a.c.user_id)
        .where(a.c.entity_type == bindparam("entity_type"),
               a.c.entity_id == bindparam("entity_id"))
        .order_by(a.c.at.desc(), a.c.id.desc())
        .limit(bindparam("limit"))
    )


_HISTORY = _history()


def history(session: Session, entity_type: str, entity_id: int, limit: int = 100) -> list:
    """The latest audit entries of one record, newest first (HistoryLine rows)."""
    rows = session.execute(
        _HISTORY, {"entity_type": entity_type, "entity_id": entity_id, "limit": limit}
    )
    return [HistoryLine(*row) for row in rows]

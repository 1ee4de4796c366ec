"""A cache of dashboard counts that a change to the counted data makes unreachable at once.

Every flush or ORM statement that writes to a table the rates read replaces the token in
``data_versions`` within the same transaction.  Counts are cached under the token read at the
start of the computation; a committed change gives a new token (so the next read misses), a
rolled-back one leaves the old token in place (its own token is never seen again).  Tokens are
random, never reused, so a rolled-back transaction can never make a stale entry look fresh.
All processes share the token through the database; each keeps its own entries.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from registry.plans.models import DataVersion

#: Tables whose changes alter the rates, the per-enterprise table or the worker lists.
WATCHED = frozenset({
    "workers", "employments", "enterprises", "activities", "participations", "decisions",
    "decision_entries", "certificates", "communes",
})
VERSION_NAME = "dashboard"
MAX_ENTRIES = 512
_installed = False
_install_lock = threading.Lock()


def _bump(session: Session) -> None:
    session.connection().execute(
        update(DataVersion).where(DataVersion.name == VERSION_NAME)
        .values(token=uuid.uuid4().hex)
    )


def _touches_watched(session: Session) -> bool:
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table in WATCHED:
            return True
    return False


def _after_flush(session: Session, flush_context) -> None:
    if session.info.pop("_dashboard_touched", False):
        _bump(session)


def _before_flush(session: Session, flush_context, instances) -> None:
    if _touches_watched(session):
        session.info["_dashboard_touched"] = True


def _orm_execute(state) -> None:
    statement = state.statement
    if isinstance(statement, UpdateBase):
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in WATCHED:
            _bump(state.session)


def install() -> None:
    """Listen to every session of the process (once)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _orm_execute)
        _installed = True


def current_token(session: Session) -> str | None:
    """The committed (or this transaction's own) data version."""
    return session.scalar(select(DataVersion.token).where(DataVersion.name == VERSION_NAME))


class CountCache:
    """A small LRU of computed values keyed by (token, key)."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, token: str | None, key: tuple, compute: Callable[[], Any]) -> Any:
        """The cached value for key under token, computing and keeping it on a miss."""
        if token is None:
            return compute()
        full = (token, *key)
        with self.lock:
            if full in self.entries:
                self.entries.move_to_end(full)
                self.hits += 1
                return self.entries[full]
        value = compute()
        with self.lock:
            self.misses += 1
            self.entries[full] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Drop every entry."""
        with self.lock:
            self.entries.clear()


def init_app(app: Flask) -> None:
    """Give the app its cache and start listening for changes."""
    app.extensions.setdefault("dashboard_cache", CountCache())
    install()


def cache() -> CountCache:
    """The current app's cache."""
    return current_app.extensions["dashboard_cache"]

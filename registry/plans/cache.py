"""A cache of dashboard counts that a change to the counted data makes unreachable at once.

Every SQL statement that writes to a table the rates read (ORM flush, Core statement or plain
SQL on a session's connection) leaves a *change mark* in ``data_versions`` within the same
transaction: the transaction's first such write inserts a row of its own
(``dashboard/<time>/<random>`` with a random number), later writes of the same transaction
give that row a new random number.  No two transactions ever write the same row, so writers do
not wait for one another (the single version row that every writer updated serialised them on
PostgreSQL).

The data version read before computing is the number of marks and the sum of their numbers,
with the largest ids of the tables that imports fill in bulk.  A committed change adds a mark
or changes one (so the next read misses); a rolled-back one leaves the marks as they were
(its own intermediate versions are random and never seen again).  Old marks are deleted now
and then; that changes the version too, which only costs one recomputation.

PostgreSQL ``COPY`` on the raw driver connection (registry.imports.bulk) is not an SQL
statement SQLAlchemy sees; the largest ids in the version catch the rows it adds (a new
import's rows get new ids), and a bulk writer can call :func:`mark_changed` to be explicit.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Connection, Engine, Pool, event, text
from sqlalchemy.orm import Session

#: Tables whose changes alter the rates, the per-enterprise table or the worker lists.
WATCHED = frozenset({
    "workers", "employments", "enterprises", "activities", "participations", "decisions",
    "decision_entries", "certificates", "communes",
})
#: Tables filled in bulk (COPY on PostgreSQL): their largest id is part of the version.
BULK_FILLED = ("participations", "workers", "employments")
PREFIX = "dashboard/"
#: Marks older than this are deleted by roughly one write in PRUNE_EVERY.
KEEP_MARKS_SECONDS = 600
PRUNE_EVERY = 200
MAX_ENTRIES = 512

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_MARK_KEY = "dashboard_mark"  #: Connection.info: this transaction's mark row, if any
_installed = False
_install_lock = threading.Lock()
_random = random.SystemRandom()


def _number() -> str:
    # 48 bits: the sum of many marks stays far inside a 64-bit integer on SQLite.
    return str(_random.getrandbits(48))


def _writes_watched(statement: str) -> bool:
    found = _WRITE.match(statement)
    return bool(found) and found.group(1).lower() in WATCHED


def _sql(connection: Connection, statement: str) -> str:
    """statement written with "?" markers, in the driver's own marker style."""
    return statement if connection.dialect.paramstyle == "qmark" else statement.replace("?", "%s")


def mark_changed(connection: Connection) -> None:
    """Record in the connection's transaction that counted data changed."""
    mark = connection.info.get(_MARK_KEY)
    if mark is not None:
        result = connection.exec_driver_sql(
            _sql(connection, "UPDATE data_versions SET token = ? WHERE name = ?"),
            (_number(), mark))
        if result.rowcount == 1:
            return
    mark = f"{PREFIX}{time.time_ns():019d}/{uuid.uuid4().hex[:10]}"
    connection.exec_driver_sql(
        _sql(connection, "INSERT INTO data_versions (name, token) VALUES (?, ?)"),
        (mark, _number()))
    connection.info[_MARK_KEY] = mark
    if _random.randrange(PRUNE_EVERY) == 0:
        cutoff = f"{PREFIX}{time.time_ns() - KEEP_MARKS_SECONDS * 10**9:019d}"
        connection.exec_driver_sql(
            _sql(connection, "DELETE FROM data_versions WHERE name LIKE ? AND name < ?"),
            (PREFIX + "%", cutoff))


def _after_cursor_execute(connection, cursor, statement, parameters, context, executemany):
    if _writes_watched(statement):
        mark_changed(connection)


def _transaction_ended(connection, *args) -> None:
    # After a commit the next transaction needs a mark of its own; after a rollback (of the
    # transaction or of a savepoint) the mark may be gone with the writes.
    connection.info.pop(_MARK_KEY, None)


def _returned_to_pool(dbapi_connection, connection_record) -> None:
    connection_record.info.pop(_MARK_KEY, None)


def install() -> None:
    """Listen to every engine and pool of the process (once)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        event.listen(Engine, "after_cursor_execute", _after_cursor_execute)
        for name in ("commit", "rollback", "rollback_savepoint"):
            event.listen(Engine, name, _transaction_ended)
        event.listen(Pool, "checkin", _returned_to_pool)
        _installed = True


#: The version: number of marks, sum of their numbers, the largest ids of the bulk tables.
_VERSION = text(
    "SELECT (SELECT count(*) FROM data_versions WHERE name LIKE :prefix), "
    "(SELECT coalesce(sum(CAST(token AS BIGINT)), 0) FROM data_versions WHERE name LIKE :prefix), "
    + ", ".join(f"(SELECT max(id) FROM {table})" for table in BULK_FILLED)
).bindparams(prefix=PREFIX + "%")


def current_token(session: Session) -> str:
    """The committed (or this transaction's own) data version, in one cheap statement."""
    return "/".join(str(value) for value in session.execute(_VERSION).one())


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

"""Fixtures of the job tests: an app on a database of its own (workers need real connections,
not the rolled-back one), and a counting handler registered for the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import delete, select

from registry.auth.models import Role, User
from registry.errors import DomainError
from registry.extensions import db as _db
from registry.jobs import runner
from registry.jobs.models import Job
from tests.conftest import fresh_app


@dataclass
class Counting(runner.Handler):
    """Counts to parameters["steps"], reporting each step; can write a user and then fail.

    Records what it saw at each step: the live figures and the job row's, read on a
    connection of its own (what another process polling the job would see).
    """

    kind = "test-count"
    runs: list[int] = field(default_factory=list)
    seen: list[tuple[int, int]] = field(default_factory=list)
    failures: list[tuple[int, str, bool]] = field(default_factory=list)

    def run(self, job: Job, progress: runner.Progress) -> runner.Result:
        self.runs.append(job.id)
        steps = job.parameters.get("steps", 0)
        for done in range(1, steps + 1):
            progress(done, steps)
            with _db.engine.connect() as connection:
                written = connection.scalar(select(Job.done).where(Job.id == job.id))
            self.seen.append((runner.status_of(job).done, written))
        failure = job.parameters.get("fail")
        if failure:
            _db.session.add(User(username="viet-do", full_name="Viết dở", role=Role.ADMIN,
                                 password_hash="x"))
            _db.session.flush()
            if failure == "domain":
                raise DomainError("Không đếm được: số bước sai.")
            raise RuntimeError("boom")
        return runner.Result(done=steps, message=f"Đã đếm {steps} bước.")

    def failed(self, job: Job, message: str, interrupted: bool) -> None:
        self.failures.append((job.id, message, interrupted))


class Writing(Counting):
    """Writes a user, then counts: its write is committed with the outcome."""

    kind = "test-write"
    writes = True

    def run(self, job: Job, progress: runner.Progress) -> runner.Result:
        _db.session.add(User(username=f"job-{job.id}", full_name="Ghi từ công việc nền",
                             role=Role.ADMIN, password_hash="x"))
        _db.session.flush()
        return super().run(job, progress)


@pytest.fixture(scope="module")
def worker_app(database, request) -> Iterator[Flask]:
    """An app on an empty database of this module's, upgraded to head."""
    with fresh_app(database, f"jobs_{request.module.__name__.rsplit('.', 1)[-1]}") as app:
        with app.app_context():
            upgrade()
        yield app


@pytest.fixture
def counting(worker_app, monkeypatch) -> Iterator[Counting]:
    """The counting handler, registered for this test; the jobs and users are gone after."""
    handler = Counting()
    monkeypatch.setitem(runner.HANDLERS, handler.kind, handler)
    monkeypatch.setitem(runner.HANDLERS, Writing.kind, Writing())
    yield handler
    with worker_app.app_context():
        _db.session.execute(delete(Job))
        _db.session.execute(delete(User))
        _db.session.commit()

"""The job runner: a queued job runs to done with progress and heartbeat, a failing one is
failed with its Vietnamese message and writes nothing, stale jobs are failed, a claim is
exclusive, and the worker thread and the command run the queue."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.auth.models import User
from registry.db import utcnow
from registry.extensions import db as _db
from registry.jobs import runner
from registry.jobs.models import Job, JobState


def _submit(app, **parameters) -> int:
    with app.app_context():
        job = runner.submit(_db.session, "test-count", parameters, total=parameters.get("steps", 0))
        _db.session.commit()
        return job.id


def _job(app, job_id: int) -> Job:
    with app.app_context():
        job = _db.session.get(Job, job_id)
        _db.session.expunge(job)
        return job


def _users(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(User))


def test_a_job_runs_to_done_with_progress_and_heartbeat(worker_app, counting, monkeypatch):
    """Each step is seen live and written to the row; the job ends done with its outcome."""
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0.0)
    job_id = _submit(worker_app, steps=3)
    assert _job(worker_app, job_id).state == JobState.QUEUED
    runner.work(worker_app, idle_exit=True)
    job = _job(worker_app, job_id)
    assert counting.runs == [job_id]
    assert counting.seen == [(1, 1), (2, 2), (3, 3)]
    assert (job.state, job.done, job.total, job.message) == (
        JobState.DONE, 3, 3, "Đã đếm 3 bước.")
    assert job.started_at <= job.heartbeat_at and job.finished_at is not None
    assert job_id not in runner.LIVE
    status = runner.status_of(job)
    assert (status.label, status.percent) == ("Xong", 100)


def test_a_writing_job_commits_its_writes_with_the_outcome(worker_app, counting):
    """A handler that writes keeps its rows once the job is done."""
    with worker_app.app_context():
        job = runner.submit(_db.session, "test-write", {"steps": 2}, total=2)
        _db.session.commit()
        job_id = job.id
    runner.work(worker_app, idle_exit=True)
    assert _job(worker_app, job_id).state == JobState.DONE
    with worker_app.app_context():
        assert _db.session.scalar(select(User.full_name)) == "Ghi từ công việc nền"


@pytest.mark.parametrize(("failure", "message"), [
    ("domain", "Không đếm được: số bước sai."),
    ("crash", runner.FAILED_MESSAGE),
])
def test_a_failing_handler_fails_the_job_and_writes_nothing(worker_app, counting, failure,
                                                            message):
    """A refusal keeps its Vietnamese message, a crash gets the general one; the user the
    handler wrote before failing is rolled back, and the handler hears of the failure."""
    job_id = _submit(worker_app, steps=2, fail=failure)
    runner.work(worker_app, idle_exit=True)
    job = _job(worker_app, job_id)
    assert (job.state, job.message) == (JobState.FAILED, message)
    assert job.finished_at is not None
    assert _users(worker_app) == 0
    assert counting.failures == [(job_id, message, False)]


def test_a_job_of_an_unknown_kind_fails(worker_app, counting):
    """A row whose kind has no handler (an older or newer version's) fails with a message."""
    with worker_app.app_context():
        job = Job(kind="khong-co", parameters={})
        _db.session.add(job)
        _db.session.commit()
        job_id = job.id
    runner.work(worker_app, idle_exit=True)
    job = _job(worker_app, job_id)
    assert (job.state, job.message) == (
        JobState.FAILED, "Không có bộ xử lý cho loại công việc «khong-co».")


def test_stale_running_jobs_are_failed(worker_app, counting):
    """Running without a heartbeat for STALE: failed with the kind's message, the handler told;
    a job with a recent heartbeat, or running in this process, is left alone."""
    old = utcnow() - runner.STALE - timedelta(minutes=1)
    with worker_app.app_context():
        stale, recent, live = (Job(kind="test-count", state=JobState.RUNNING, heartbeat_at=beat)
                               for beat in (old, utcnow(), old))
        _db.session.add_all([stale, recent, live])
        _db.session.commit()
        ids = stale.id, recent.id, live.id
        runner.LIVE[live.id] = (5, 10)
        try:
            assert runner.mark_stale(_db.session) == 1
        finally:
            runner.LIVE.pop(live.id)
    states = [(_job(worker_app, i).state, _job(worker_app, i).message) for i in ids]
    assert states == [(JobState.FAILED, runner.INTERRUPTED), (JobState.RUNNING, ""),
                      (JobState.RUNNING, "")]
    assert counting.failures == [(ids[0], runner.INTERRUPTED, True)]


def test_a_page_fails_the_stale_job_it_shows(worker_app, counting):
    """fail_if_stale marks one job (the caller commits); a fresh one is not touched."""
    with worker_app.app_context():
        job = Job(kind="test-count", state=JobState.RUNNING,
                  started_at=utcnow() - timedelta(hours=1))
        fresh = Job(kind="test-count", state=JobState.RUNNING, heartbeat_at=utcnow())
        _db.session.add_all([job, fresh])
        _db.session.flush()
        assert runner.fail_if_stale(_db.session, job) is True
        assert runner.fail_if_stale(_db.session, fresh) is False
        assert (job.state, fresh.state) == (JobState.FAILED, JobState.RUNNING)
        _db.session.rollback()


def test_a_claim_is_exclusive(worker_app, counting):
    """Two workers that both saw the job queued: the first claim wins, the second is refused."""
    job_id = _submit(worker_app)
    with worker_app.app_context():
        with Session(_db.engine) as first, Session(_db.engine) as second:
            assert first.get(Job, job_id).state == second.get(Job, job_id).state == "queued"
            first.rollback()
            second.rollback()
            assert runner.claim(first, job_id) is True
            assert runner.claim(second, job_id) is False
        assert _job(worker_app, job_id).state == JobState.RUNNING


def test_concurrent_claimers_take_each_job_once(worker_app, counting):
    """Four threads claim at the same moment: one gets the job, the others none, no error."""
    job_id = _submit(worker_app)
    barrier = threading.Barrier(4)
    results: list[int | Exception | None] = []

    def claimer() -> None:
        with worker_app.app_context():
            barrier.wait()
            try:
                results.append(runner.claim_next(_db.session))
            except Exception as error:  # reported below rather than lost in the thread
                results.append(error)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4 and results.count(job_id) == 1 and results.count(None) == 3, results


def test_the_worker_thread_runs_every_queued_job_once(worker_app, counting):
    """Jobs submitted while the thread runs are picked up; each runs exactly once."""
    first = _submit(worker_app, steps=1)
    runner.start_worker(worker_app)
    later = [_submit(worker_app, steps=1) for _ in range(3)]
    runner.start_worker(worker_app)
    runner.join_worker(worker_app, timeout=60)
    assert sorted(counting.runs) == [first, *later]
    assert {_job(worker_app, i).state for i in [first, *later]} == {JobState.DONE}


def test_a_queued_job_left_by_a_restart_runs_when_a_worker_starts(worker_app, counting):
    """The queue is in the database: an old queued job is run, not lost."""
    with worker_app.app_context():
        job = Job(kind="test-count", parameters={"steps": 2}, total=2,
                  created_at=utcnow() - timedelta(hours=3))
        _db.session.add(job)
        _db.session.commit()
        job_id = job.id
    runner.work(worker_app, idle_exit=True)
    assert _job(worker_app, job_id).state == JobState.DONE


@pytest.mark.parametrize("command", [["jobs", "work", "--once"], ["import", "work", "--once"]])
def test_the_work_command_runs_the_queue(worker_app, counting, command):
    """`flask jobs work --once` and its alias `flask import work --once` run queued jobs."""
    job_id = _submit(worker_app, steps=2)
    result = worker_app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 0, result.output
    assert _job(worker_app, job_id).state == JobState.DONE


def test_submit_refuses_an_unknown_kind(worker_app, counting):
    """A typo in a kind fails at once, not later in the worker."""
    with worker_app.app_context(), pytest.raises(LookupError):
        runner.submit(_db.session, "khong-co", {})

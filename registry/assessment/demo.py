"""Demo assessments: a share of the workers assessed in 2024 and 2025, at every step.

Called by the demo seed (registry.demo.services) and by bench/eligibility.py.  Rows are
bulk-inserted; scores follow a per-worker level so that some workers pass, some miss the total
and some have one indicator below the minimum.  Deterministic for a given random generator.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from registry.assessment.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    AssessmentTransition,
    CriteriaSet,
)
from registry.assessment.services import active_criteria_set
from registry.enterprises.models import Enterprise
from registry.workers.models import Employment, Worker

BATCH = 5000
ACTOR = "dữ liệu mẫu"
#: Share of each year's workers assessed, and the steps their assessments reached.
SHARES = {2024: 0.35, 2025: 0.45}
STEPS = {
    2024: [(AssessmentStatus.APPROVED, 0.85), (AssessmentStatus.RETURNED, 0.05),
           (AssessmentStatus.REVIEWED, 0.10)],
    2025: [(AssessmentStatus.DRAFT, 0.15), (AssessmentStatus.SUBMITTED, 0.20),
           (AssessmentStatus.REVIEWED, 0.20), (AssessmentStatus.APPROVED, 0.40),
           (AssessmentStatus.RETURNED, 0.05)],
}
_PATH = {
    AssessmentStatus.DRAFT: [AssessmentStatus.DRAFT],
    AssessmentStatus.SUBMITTED: [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED],
    AssessmentStatus.REVIEWED: [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED,
                                AssessmentStatus.REVIEWED],
    AssessmentStatus.APPROVED: [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED,
                                AssessmentStatus.REVIEWED, AssessmentStatus.APPROVED],
    AssessmentStatus.RETURNED: [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED,
                                AssessmentStatus.RETURNED],
}


@dataclass
class DemoAssessments:
    """How many assessments and scores were inserted."""

    assessments: int
    scores: int


def _workers_of_year(
    session: Session, year: int, commune_ids: Collection[int] | None
) -> list[tuple[int, int]]:
    """(worker id, enterprise id) of the non-archived workers employed during the year."""
    stmt = (
        select(Employment.worker_id, Employment.enterprise_id)
        .join(Worker, Worker.id == Employment.worker_id)
        .where(
            Worker.archived_at.is_(None),
            Employment.start_date <= date(year, 12, 31),
            or_(Employment.end_date.is_(None), Employment.end_date >= date(year, 1, 1)),
        )
        .order_by(Employment.worker_id, Employment.start_date)
    )
    if commune_ids is not None:
        stmt = stmt.join(Enterprise, Enterprise.id == Employment.enterprise_id).where(
            Enterprise.commune_id.in_(list(commune_ids))
        )
    latest: dict[int, int] = {}
    for worker_id, enterprise_id in session.execute(stmt):
        latest[worker_id] = enterprise_id
    return list(latest.items())


def _pick(rng: random.Random, table: list[tuple[AssessmentStatus, float]]) -> AssessmentStatus:
    roll = rng.random()
    for status, share in table:
        roll -= share
        if roll < 0:
            return status
    return table[-1][0]


def _scores(rng: random.Random, codes: list[int], complete: bool) -> list[tuple[int, int]]:
    """(indicator, score in tenths): a level per worker, noise per indicator, rare weak spots."""
    level = rng.gauss(8.2, 0.9)
    weak = rng.random() < 0.12
    chosen = codes if complete else rng.sample(codes, rng.randint(0, len(codes) - 1))
    result = []
    for code in sorted(chosen):
        value = min(10.0, max(0.0, rng.gauss(level, 0.8)))
        if weak and code == 6:  # the foreign language is the usual weak spot
            value = rng.uniform(3.0, 4.9)
        result.append((code, round(value * 10)))
    return result


def seed_assessments(
    session: Session,
    rng: random.Random,
    shares: dict[int, float] | None = None,
    commune_ids: Collection[int] | None = None,
) -> DemoAssessments:
    """Assess a share of each year's workers under the year's active criteria set."""
    shares = shares or SHARES
    inserted = DemoAssessments(0, 0)
    for year, share in sorted(shares.items()):
        criteria_set: CriteriaSet | None = active_criteria_set(session, year)
        if criteria_set is None:
            continue
        codes = [indicator.code for indicator in criteria_set.indicators]
        steps = STEPS.get(year, STEPS[max(STEPS)])
        chosen = [pair for pair in _workers_of_year(session, year, commune_ids)
                  if rng.random() < share]
        for batch in _chunks(chosen, BATCH):
            _insert_batch(session, rng, year, criteria_set.id, codes, steps, batch, inserted)
    session.flush()
    return inserted


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_batch(session, rng, year, criteria_set_id, codes, steps, batch, inserted) -> None:
    statuses = [_pick(rng, steps) for _ in batch]
    started = datetime(year + 1, 1, 5, 2, 0, tzinfo=UTC)
    rows = [
        {
            "worker_id": worker_id, "year": year, "criteria_set_id": criteria_set_id,
            "enterprise_id": enterprise_id, "status": status, "note": "", "version": 1,
            "created_at": started, "updated_at": started,
        }
        for (worker_id, enterprise_id), status in zip(batch, statuses, strict=True)
    ]
    ids = session.scalars(
        insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), rows
    ).all()
    scores, transitions = [], []
    for assessment_id, status in zip(ids, statuses, strict=True):
        complete = status != AssessmentStatus.DRAFT or rng.random() < 0.5
        for code, tenths in _scores(rng, codes, complete):
            scores.append({"assessment_id": assessment_id, "indicator_code": code,
                           "score": tenths / 10, "evidence_note": ""})
        previous = None
        for step, to in enumerate(_PATH[status]):
            transitions.append({
                "assessment_id": assessment_id, "from_status": previous, "to_status": to,
                "at": started + timedelta(days=3 * step), "user_id": None, "actor": ACTOR,
                "note": "Cần bổ sung minh chứng." if to == AssessmentStatus.RETURNED else "",
            })
            previous = to
    if scores:
        session.execute(insert(AssessmentScore.__table__), scores)
    session.execute(insert(AssessmentTransition.__table__), transitions)
    inserted.assessments += len(ids)
    inserted.scores += len(scores)

"""Builders for recognition tests: approved assessments, eligible workers, drafts and issued
decisions of the home commune."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from registry.assessment.eligibility import compute_eligibility
from registry.assessment.models import Assessment, AssessmentScore, AssessmentStatus, CriteriaSet
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.extensions import limiter
from registry.recognition import services
from registry.recognition.models import Decision

PASSING = [10, 10, 10, 10, 10, 5, 5, 5, 5, 10]  # 80, lowest 5
ADMIN = Scope(role=Role.ADMIN)


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Each test starts with the verification rate limit unused."""
    limiter.reset()
    yield
    limiter.reset()


def assess(db, worker, values=PASSING, year=2025, status=AssessmentStatus.APPROVED):
    """An assessment of worker for year with scores of indicators 1, 2, … in order."""
    criteria_set = db.scalar(select(CriteriaSet).where(CriteriaSet.is_active))
    assessment = Assessment(worker_id=worker.id, year=year, criteria_set_id=criteria_set.id,
                            enterprise_id=worker.current_enterprise_id, status=status)
    assessment.scores = [AssessmentScore(indicator_code=code, score=Decimal(str(v)))
                         for code, v in enumerate(values, start=1)]
    db.add(assessment)
    db.flush()
    return assessment


class Recognition:
    """Eligible workers of the home commune and decisions about them."""

    def __init__(self, db, make):
        self.db = db
        self.make = make
        self.enterprise = make.enterprise(name="Công ty TNHH May Sao Vàng")
        self.commune = make.commune()

    def eligible(self, *names: tuple[str, str, str], year: int = 2025, enterprise=None):
        """Workers (family, middle, given) with a passing approved assessment of year."""
        workers = []
        for family, middle, given in names:
            worker = self.make.worker(enterprise or self.enterprise, family=family,
                                      middle=middle, given=given)
            assess(self.db, worker, year=year)
            workers.append(worker)
        return workers

    def data(self, number: str = "05", signed_on: date | None = date(2026, 1, 15),
             year: int = 2025, **changes) -> services.DecisionData:
        data = services.default_data(self.commune, year)
        data.number = number
        data.signed_on = signed_on
        data.signer_name = "Lê Văn Phượng"
        for key, value in changes.items():
            setattr(data, key, value)
        return data

    def draft(self, year: int = 2025, confirm_early: bool = False, **changes) -> Decision:
        rows = compute_eligibility(self.db, year=year, commune_ids=[self.commune.id])
        created = services.create_decision(self.db, ADMIN, self.commune, year,
                                           self.data(year=year, **changes), rows,
                                           confirm_early=confirm_early)
        return created.decision

    def issued(self, year: int = 2025, **changes) -> Decision:
        decision = self.draft(year=year, **changes)
        services.issue_decision(self.db, ADMIN, decision)
        return decision


@pytest.fixture
def rec(db, make) -> Recognition:
    """The recognition builder."""
    return Recognition(db, make)

"""Headline figures of the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, Participation
from registry.learning.services import Coverage, coverage
from registry.workers.models import Employment, Worker


@dataclass
class Headline:
    """Counts for one unit and year."""

    year: int
    enterprises: int
    activities: int
    participations: int
    coverage: Coverage


def headline(
    session: Session,
    enterprise_filter: ColumnElement[bool],
    activity_filter: ColumnElement[bool],
    year: int,
) -> Headline:
    """Enterprises, workers, activities and participations of the year, and area coverage.

    Workers count where their current enterprise matches enterprise_filter; participations
    where the worker was employed by such an enterprise on the day (a worker who left since
    still took part that year).
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    enterprises = select(Enterprise.id).where(enterprise_filter, Enterprise.archived_at.is_(None))
    worker_filter = Worker.current_enterprise_id.in_(enterprises)
    employed_that_day = exists().where(
        Employment.worker_id == Participation.worker_id,
        Employment.enterprise_id.in_(select(Enterprise.id).where(enterprise_filter)),
        Employment.start_date <= Participation.attended_on,
        or_(Employment.end_date.is_(None), Employment.end_date >= Participation.attended_on),
    )
    activity_in_year = and_(
        activity_filter,
        Activity.archived_at.is_(None),
        Activity.start_date <= last,
        Activity.end_date >= first,
    )
    return Headline(
        year=year,
        enterprises=session.scalar(
            select(func.count()).select_from(Enterprise).where(
                enterprise_filter, Enterprise.archived_at.is_(None)
            )
        ),
        activities=session.scalar(
            select(func.count()).select_from(Activity).where(activity_in_year)
        ),
        participations=session.scalar(
            select(func.count())
            .select_from(Participation)
            .join(Activity, Activity.id == Participation.activity_id)
            .join(Worker, Worker.id == Participation.worker_id)
            .where(
                activity_filter,
                Activity.archived_at.is_(None),
                Participation.archived_at.is_(None),
                Participation.attended_on.between(first, last),
                Worker.archived_at.is_(None),
                employed_that_day,
            )
        ),
        coverage=coverage(session, worker_filter, year),
    )

"""The rules of recognition: drafting and issuing decisions, certificates, re-issue, revoke."""

from __future__ import annotations

from sqlalchemy import Select, select

from registry.recognition.models import Decision, DecisionEntry, DecisionStatus


def recognised_worker_ids(year: int) -> Select:
    """SELECT of the distinct ids of workers holding the title of year.

    A worker holds it when they are on the list of an issued decision of that year, were not
    taken off before issuing and their title was not withdrawn (certificate revoked) since.
    """
    return (
        select(DecisionEntry.worker_id)
        .join(Decision, Decision.id == DecisionEntry.decision_id)
        .where(
            Decision.status == DecisionStatus.ISSUED,
            Decision.year == year,
            DecisionEntry.removed_at.is_(None),
            DecisionEntry.revoked_at.is_(None),
        )
        .distinct()
    )

"""Who qualifies for the "Công dân học tập" title in a year, and why not: one set-based query.

`compute_eligibility` serves the eligibility page, the `flask eligibility compute` command and
the recognition decision step.  The database does the counting in one statement: the workers
employed in scope during the year (employments overlapping it), their assessment of the year,
the aggregates of its scores (total, lowest, number scored, the indicators below the minimum)
and of their participations of the year (hours, one flag per programme area, across every
enterprise the worker belonged to), and, where the criteria set asks, whether they worked in
an enterprise of the commune on the reference date.  Python then reads each result row once and
applies the pure rule (registry.assessment.rules) to write the Vietnamese reasons.

Each assessment is judged under the criteria set it was made under, so activating a new set
never changes a past year, together with the own conditions of the commune of the enterprise
shown on the row (registry.assessment.conditions), which a decided year cannot change.  Only an
approved assessment can make a worker eligible.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased, selectinload

from registry.assessment.conditions import conditions_for_year
from registry.assessment.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    CriteriaSet,
)
from registry.assessment.rules import (
    Facts,
    LocalConditions,
    RuleSet,
    age_at,
    check_conditions,
    missing_reason,
    score_reasons,
)
from registry.db import LabelledEnum
from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, Area, Participation
from registry.workers.models import Employment, Worker

#: Assessment ids per query when fetching the indicators scored on incomplete assessments.
_CHUNK = 500
_AREAS = [area.value for area in Area]
#: Positions of the columns in the rows of _statement (read as plain tuples).
(_ID, _NAME, _BIRTH, _ENTERPRISE, _ENTERPRISE_NAME, _ASSESSMENT, _SET, _STATUS, _TOTAL,
 _LOWEST, _SCORED, _LOW, _HOURS) = range(13)
_AREA_FLAGS = tuple(range(13, 13 + len(_AREAS)))
_EMPLOYED = 13 + len(_AREAS)
_BIRTH_DATE = _EMPLOYED + 1
_COMMUNE = _BIRTH_DATE + 1


class EligibilityStatus(LabelledEnum):
    """The result for one worker and year."""

    ELIGIBLE = "eligible", "Đủ điều kiện"
    NOT_ELIGIBLE = "not_eligible", "Chưa đủ điều kiện"
    NOT_ASSESSED = "not_assessed", "Chưa đánh giá"

    @property
    def badge(self) -> str:
        """Bootstrap colour of the result badge."""
        return {"eligible": "success", "not_eligible": "danger", "not_assessed": "secondary"}[
            self.value
        ]


@dataclass(frozen=True)
class EligibilityRow:
    """One worker in scope for the year, with the result and every reason it is not positive.

    `total` is None unless every indicator is scored; `lowest` is the lowest score given.
    `conditions_met` says whether the local conditions (the set's and the commune's) are met;
    None when there are none or the worker has no assessment.
    """

    worker_id: int
    full_name: str
    birth_year: int
    enterprise_id: int | None
    enterprise_name: str
    assessment_id: int | None
    criteria_set_id: int | None
    total: Decimal | None
    lowest: Decimal | None
    status: EligibilityStatus
    reasons: tuple[str, ...]
    conditions_met: bool | None = None


@dataclass(frozen=True)
class _SetRule:
    """A criteria set as the row builder needs it."""

    rules: RuleSet
    codes: tuple[int, ...]
    has_conditions: bool


def _set_rule(rules: RuleSet) -> _SetRule:
    return _SetRule(
        rules, tuple(indicator.code for indicator in rules.indicators),
        not rules.conditions.is_empty,
    )


def _load_sets(session: Session) -> dict[int, _SetRule]:
    """Every criteria set (there are a handful), with its rule."""
    return {
        criteria_set.id: _set_rule(criteria_set.rule_set())
        for criteria_set in session.scalars(
            select(CriteriaSet).options(selectinload(CriteriaSet.indicators))
        )
    }


class _Rules(dict):
    """The rule of each (criteria set, commune) pair met, the commune's conditions added."""

    def __init__(self, sets: dict[int, _SetRule], communes: dict[int, LocalConditions]):
        super().__init__()
        self.sets, self.communes = sets, communes

    def __missing__(self, key: tuple[int, int | None]) -> _SetRule:
        set_id, commune_id = key
        own = self.communes.get(commune_id)
        base = self.sets[set_id]
        value = self[key] = base if own is None else _set_rule(base.rules.with_commune(own))
        return value


def _statement(
    year: int,
    sets: dict[int, _SetRule],
    communes: dict[int, LocalConditions],
    commune_ids: Collection[int] | None,
    enterprise_id: int | None,
):
    """The one statement computing every worker's facts for the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)

    # Workers employed in scope at some time during the year.
    pool = select(
        Employment.worker_id.label("worker_id"),
        func.max(Employment.enterprise_id).label("enterprise_id"),
    ).where(
        Employment.start_date <= last,
        or_(Employment.end_date.is_(None), Employment.end_date >= first),
    )
    if enterprise_id is not None:
        pool = pool.where(Employment.enterprise_id == enterprise_id)
    if commune_ids is not None:
        pool = pool.join(Enterprise, Enterprise.id == Employment.enterprise_id).where(
            Enterprise.commune_id.in_(list(commune_ids))
        )
    pool = pool.group_by(Employment.worker_id).subquery("pool")

    # Scores of the year's assessments: total, lowest, how many, and those below the minimum.
    raw_score = type_coerce(AssessmentScore.score, Integer)
    low_item = case(
        (
            raw_score < type_coerce(CriteriaSet.min_per_indicator, Integer),
            cast(AssessmentScore.indicator_code, String) + literal(":") + cast(raw_score, String),
        )
    )
    scores = (
        select(
            AssessmentScore.assessment_id.label("assessment_id"),
            func.sum(raw_score).label("total"),
            func.min(raw_score).label("lowest"),
            func.count().label("scored"),
            func.aggregate_strings(low_item, ",").label("low"),
        )
        .join(Assessment, Assessment.id == AssessmentScore.assessment_id)
        .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
        .where(Assessment.year == year)
        .group_by(AssessmentScore.assessment_id)
        .subquery("scores")
    )

    # Participations of the year, at any enterprise: hours and the areas covered.
    learning = (
        select(
            Participation.worker_id.label("worker_id"),
            func.sum(type_coerce(Participation.hours, Integer)).label("hours"),
            *(
                func.max(case((Activity.area == area, 1), else_=0)).label(f"area_{area}")
                for area in _AREAS
            ),
        )
        .join(Activity, Activity.id == Participation.activity_id)
        .where(
            Participation.attended_on >= first,
            Participation.attended_on <= last,
            Participation.archived_at.is_(None),
            Activity.archived_at.is_(None),
        )
        .group_by(Participation.worker_id)
        .subquery("learning")
    )

    assessment = aliased(Assessment, name="assessment")
    shown_enterprise = func.coalesce(assessment.enterprise_id, pool.c.enterprise_id)
    enterprise = aliased(Enterprise, name="shown_enterprise")
    columns = [
        Worker.id,
        Worker.full_name,
        cast(extract("year", Worker.birth_date), Integer).label("birth_year"),
        enterprise.id.label("enterprise_id"),
        enterprise.name.label("enterprise_name"),
        assessment.id.label("assessment_id"),
        assessment.criteria_set_id,
        type_coerce(assessment.status, String).label("status"),
        scores.c.total,
        scores.c.lowest,
        scores.c.scored,
        scores.c.low,
        learning.c.hours,
        *(learning.c[f"area_{area}"] for area in _AREAS),
    ]

    # Employed in an enterprise of the shown enterprise's commune on the reference date: the
    # commune's own date when it has one (one branch per distinct date), else the set's.
    def employed_on(ref: date):
        other = aliased(Employment)
        other_enterprise = aliased(Enterprise)
        return exists().where(
            other.worker_id == Worker.id,
            other_enterprise.id == other.enterprise_id,
            other_enterprise.commune_id == enterprise.commune_id,
            other.start_date <= ref,
            or_(other.end_date.is_(None), other.end_date >= ref),
        )

    by_date: dict[date, list[int]] = {}
    for commune_id, conditions in communes.items():
        ref = conditions.reference_date(year)
        if ref is not None:
            by_date.setdefault(ref, []).append(commune_id)
    employment_checks = [
        (
            and_(assessment.id.is_not(None), enterprise.commune_id.in_(sorted(ids))),
            employed_on(ref),
        )
        for ref, ids in sorted(by_date.items())
    ]
    for set_id, set_rule in sets.items():
        ref = set_rule.rules.conditions.reference_date(year)
        if ref is not None:
            employment_checks.append((assessment.criteria_set_id == set_id, employed_on(ref)))
    if employment_checks:
        columns.append(case(*employment_checks, else_=None).label("employed"))
    else:
        columns.append(literal(None).label("employed"))
    # The birth date itself only when a set has an age condition (dates cost to read).
    if any(set_rule.rules.conditions.min_age is not None for set_rule in sets.values()) or any(
        conditions.min_age is not None for conditions in communes.values()
    ):
        columns.append(Worker.birth_date)
    else:
        columns.append(literal(None).label("birth_date"))
    columns.append(enterprise.commune_id.label("commune_id"))

    return (
        select(*columns)
        .select_from(pool)
        .join(Worker, Worker.id == pool.c.worker_id)
        .outerjoin(
            assessment, and_(assessment.worker_id == Worker.id, assessment.year == year)
        )
        .outerjoin(enterprise, enterprise.id == shown_enterprise)
        .outerjoin(scores, scores.c.assessment_id == assessment.id)
        .outerjoin(learning, learning.c.worker_id == Worker.id)
        .where(or_(Worker.archived_at.is_(None), assessment.id.is_not(None)))
        .order_by(Worker.sort_key, Worker.id)
    )


def _scored_codes(session: Session, assessment_ids: list[int]) -> dict[int, set[int]]:
    """The indicators scored on these (incomplete) assessments."""
    found: dict[int, set[int]] = {assessment_id: set() for assessment_id in assessment_ids}
    for start in range(0, len(assessment_ids), _CHUNK):
        chunk = assessment_ids[start : start + _CHUNK]
        rows = session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.indicator_code).where(
                AssessmentScore.assessment_id.in_(chunk)
            )
        )
        for assessment_id, code in rows:
            found[assessment_id].add(code)
    return found


class _Tenths(dict):
    """Decimal values of tenths, made once per distinct value (scores repeat a lot)."""

    def __missing__(self, tenths: int) -> Decimal:
        value = self[tenths] = Decimal(int(tenths)) / 10
        return value


def _low_scores(text: str | None, tenths: _Tenths) -> dict[int, Decimal]:
    """The "6:40,3:45" list of indicators below the minimum (scores in tenths)."""
    if not text:
        return {}
    result = {}
    for item in text.split(","):
        code, _, value = item.partition(":")
        result[int(code)] = tenths[int(value)]
    return result


def compute_eligibility(
    session: Session,
    *,
    year: int,
    commune_ids: Collection[int] | None = None,
    enterprise_id: int | None = None,
) -> list[EligibilityRow]:
    """Every worker employed during the year in the communes (or the enterprise), in name order,
    with total, lowest score, result and reasons.  None for communes means all of them."""
    sets = _load_sets(session)
    communes = conditions_for_year(session, year)
    rules_of = _Rules(sets, communes)
    # Plain tuples through the connection: the ORM's result machinery is not needed (the flush
    # makes the caller's pending changes visible, as autoflush would).
    session.flush()
    rows = session.connection().execute(
        _statement(year, sets, communes, commune_ids, enterprise_id)
    ).tuples().all()
    incomplete = [
        row[_ASSESSMENT]
        for row in rows
        if row[_ASSESSMENT] is not None and (row[_SCORED] or 0) < len(sets[row[_SET]].codes)
    ]
    scored_codes = _scored_codes(session, incomplete) if incomplete else {}
    year_end = date(year, 12, 31)
    not_assessed = (f"Chưa có phiếu đánh giá năm {year}",)
    unapproved = {
        status.value: (f"Phiếu đánh giá chưa được phê duyệt (đang ở bước «{status.label}»)",)
        for status in AssessmentStatus
        if status != AssessmentStatus.APPROVED
    }
    tenths = _Tenths()
    unscored = EligibilityStatus.NOT_ASSESSED
    result = []
    append = result.append
    for row in rows:
        assessment_id = row[_ASSESSMENT]
        if assessment_id is None:
            append(EligibilityRow(
                row[_ID], row[_NAME], row[_BIRTH], row[_ENTERPRISE],
                row[_ENTERPRISE_NAME] or "", None, None, None, None, unscored, not_assessed,
            ))
            continue
        set_rule = (
            rules_of[row[_SET], row[_COMMUNE]] if communes else sets[row[_SET]]
        )
        rules = set_rule.rules
        conditions: tuple[str, ...] = ()
        if set_rule.has_conditions:
            birth = row[_BIRTH_DATE]
            facts = Facts(
                year,
                {},
                areas_covered=frozenset(
                    area for area, flag in zip(_AREAS, _AREA_FLAGS, strict=True) if row[flag]
                ),
                hours=Decimal(int(row[_HOURS] or 0)) / 10,
                age_at_year_end=(
                    None if birth is None else age_at(birth, year_end) if birth <= year_end else 0
                ),
                employed_in_commune_on_ref_date=(
                    None if row[_EMPLOYED] is None else bool(row[_EMPLOYED])
                ),
            )
            conditions = check_conditions(rules.conditions, facts)
        approval = unapproved.get(row[_STATUS], ())
        lowest = None if row[_LOWEST] is None else tenths[row[_LOWEST]]
        if (row[_SCORED] or 0) < len(set_rule.codes):
            scored = scored_codes.get(assessment_id, set())
            missing = [code for code in set_rule.codes if code not in scored]
            reasons = (missing_reason(missing, bool(scored)), *conditions, *approval)
            status = unscored
            total = None
        else:
            total = Decimal(int(row[_TOTAL])) / 10
            reasons = (
                *score_reasons(rules, total, _low_scores(row[_LOW], tenths)),
                *conditions,
                *approval,
            )
            status = EligibilityStatus.NOT_ELIGIBLE if reasons else EligibilityStatus.ELIGIBLE
        append(EligibilityRow(
            row[_ID], row[_NAME], row[_BIRTH], row[_ENTERPRISE], row[_ENTERPRISE_NAME] or "",
            assessment_id, row[_SET], total, lowest, status, reasons,
            not conditions if set_rule.has_conditions else None,
        ))
    return result


def count_by_status(rows: Iterable[EligibilityRow]) -> dict[EligibilityStatus, int]:
    """How many rows have each result, in the enum's order."""
    counts = dict.fromkeys(EligibilityStatus, 0)
    for row in rows:
        counts[row.status] += 1
    return counts

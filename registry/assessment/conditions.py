"""A commune's own local conditions for the title, on top of the criteria set's rule.

A commune officer (or an administrator) sets, for the commune, conditions for one year or for
every year from a year on: a participation in each of some programme areas, a minimum of
learning hours, a minimum age, employment in an enterprise of the commune on a reference date.
They add to the conditions of the criteria set an assessment was made under
(`LocalConditions.adding`), and the eligibility table, the CLI and the decision step read them
through `conditions_for_year`.

Setting conditions for some years replaces what the commune had for those years (older rows are
cut around them).  A year for which a recognition decision exists — of the commune, or listing
a worker assessed in one of its enterprises — keeps the conditions it was decided with: a change
that would reach such a year is refused, so a decided year's result never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.assessment.models import Assessment, CommuneConditions
from registry.assessment.rules import AREA_LABELS, LocalConditions
from registry.assessment.services import FIRST_YEAR, _points
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.recognition.models import Decision, DecisionEntry
from registry.units.models import Commune

#: The youngest and oldest minimum age a commune may ask for.
MIN_AGE, MAX_AGE = 15, 100
LAST_YEAR = 2100


def can_set_conditions(scope: Scope, commune_id: int) -> bool:
    """Set a commune's conditions: its own commune officers and administrators."""
    return scope.role == Role.ADMIN or (
        scope.role == Role.COMMUNE and scope.commune_id == commune_id
    )


def conditions_of(session: Session, commune_id: int) -> list[CommuneConditions]:
    """The commune's condition rows, by year."""
    return list(
        session.scalars(
            select(CommuneConditions)
            .where(CommuneConditions.commune_id == commune_id)
            .order_by(CommuneConditions.first_year)
        )
    )


def _covering(year: int):
    return (
        CommuneConditions.first_year <= year,
        or_(CommuneConditions.last_year.is_(None), CommuneConditions.last_year >= year),
    )


def conditions_for_year(session: Session, year: int) -> dict[int, LocalConditions]:
    """{commune id: its own conditions for the year}, for the communes that have any."""
    rows = session.scalars(select(CommuneConditions).where(*_covering(year)))
    result = {}
    for row in rows:
        conditions = row.conditions()
        if not conditions.is_empty:
            result[row.commune_id] = conditions
    return result


def commune_conditions(session: Session, commune_id: int, year: int) -> LocalConditions:
    """The commune's own conditions for the year (empty when it has none)."""
    row = session.scalar(
        select(CommuneConditions).where(
            CommuneConditions.commune_id == commune_id, *_covering(year)
        )
    )
    return row.conditions() if row is not None else LocalConditions()


def decided_years(
    session: Session, commune_id: int, first: int, last: int | None = None
) -> list[int]:
    """Years first … last (None: on) with a recognition decision reaching the commune.

    A decision reaches it when the commune made it (draft or issued, not archived), or when its
    list holds a worker assessed in an enterprise of the commune.
    """
    years = Decision.year >= first
    if last is not None:
        years = years & (Decision.year <= last)
    own = select(Decision.year).where(
        years, Decision.commune_id == commune_id, Decision.archived_at.is_(None)
    )
    listed = (
        select(Decision.year)
        .join(DecisionEntry, DecisionEntry.decision_id == Decision.id)
        .join(Assessment, Assessment.id == DecisionEntry.assessment_id)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(years, Decision.archived_at.is_(None), Enterprise.commune_id == commune_id)
    )
    return sorted(set(session.scalars(own.union(listed))))


@dataclass
class ConditionsEdit:
    """A commune's conditions as entered: for first_year only, or from it on."""

    first_year: int | None
    onwards: bool = False
    required_areas: list[str] = field(default_factory=list)
    min_hours: object = None
    min_age: int | None = None
    employed_on: date | None = None


def _checked(data: ConditionsEdit) -> tuple[int, int | None, LocalConditions]:
    """The years and conditions of the edit; every invalid field is reported at once."""
    errors: dict[str, str] = {}
    year = data.first_year
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["first_year"] = f"Năm áp dụng phải từ {FIRST_YEAR} đến {LAST_YEAR}."
    if set(data.required_areas) - AREA_LABELS.keys():
        errors["required_areas"] = "Hãy chọn lĩnh vực trong danh sách."
    min_hours: Decimal | None = None
    if data.min_hours not in (None, ""):
        try:
            min_hours = _points(data.min_hours, "min_hours", "Số giờ học tối thiểu")
        except DomainError as error:
            errors.update(error.fields)
    if data.min_age is not None and not MIN_AGE <= data.min_age <= MAX_AGE:
        errors["min_age"] = f"Tuổi tối thiểu phải từ {MIN_AGE} đến {MAX_AGE}."
    if data.employed_on is not None and year is not None and data.employed_on.year != year:
        errors["employed_on"] = (
            f"Ngày xét việc làm phải là một ngày của năm {year} (năm bắt đầu áp dụng); "
            "các năm sau dùng cùng ngày và tháng."
        )
    if errors:
        raise DomainError("Chưa lưu: hãy sửa các ô báo lỗi.", **errors)
    conditions = LocalConditions(
        required_areas=frozenset(data.required_areas),
        min_hours=min_hours,
        min_age=data.min_age,
        employed_in_commune_on=data.employed_on,
    )
    return year, None if data.onwards else year, conditions


def set_commune_conditions(
    session: Session, scope: Scope, commune: Commune, data: ConditionsEdit
) -> CommuneConditions | None:
    """Give the commune these conditions for the years of the edit; returns the new row.

    What the commune had for those years is replaced (empty conditions remove it; None is
    returned).  Refused when one of the years has a recognition decision.
    """
    if not can_set_conditions(scope, commune.id):
        raise DomainError("Chỉ cán bộ Công đoàn xã, phường đặt điều kiện riêng của xã mình.")
    first, last, conditions = _checked(data)
    decided = decided_years(session, commune.id, first, last)
    if decided:
        listed = ", ".join(str(year) for year in decided)
        raise DomainError(
            first_year=f"Năm {listed} đã có quyết định công nhận nên giữ nguyên điều kiện đã "
            "dùng khi xét; hãy chọn năm áp dụng sau năm đó."
        )
    overlapping = session.scalars(
        select(CommuneConditions).where(
            CommuneConditions.commune_id == commune.id,
            or_(CommuneConditions.last_year.is_(None), CommuneConditions.last_year >= first),
            *(() if last is None else (CommuneConditions.first_year <= last,)),
        )
    ).all()
    for row in overlapping:
        parts = []
        if row.first_year < first:
            parts.append((row.first_year, first - 1))
        if last is not None and (row.last_year is None or row.last_year > last):
            parts.append((last + 1, row.last_year))
        if not parts:
            session.delete(row)
            continue
        row.first_year, row.last_year = parts[0]
        if len(parts) == 2:
            session.add(_copy(row, *parts[1]))
    session.flush()
    if conditions.is_empty:
        return None
    row = CommuneConditions(
        commune_id=commune.id,
        first_year=first,
        last_year=last,
        required_areas=sorted(conditions.required_areas),
        min_hours=conditions.min_hours,
        min_age=conditions.min_age,
        employed_on=conditions.employed_in_commune_on,
    )
    session.add(row)
    session.flush()
    return row


def _copy(row: CommuneConditions, first: int, last: int | None) -> CommuneConditions:
    return CommuneConditions(
        commune_id=row.commune_id,
        first_year=first,
        last_year=last,
        required_areas=list(row.required_areas or []),
        min_hours=row.min_hours,
        min_age=row.min_age,
        employed_on=row.employed_on,
    )

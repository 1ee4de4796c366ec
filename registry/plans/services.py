"""Plans and targets, the unit a dashboard is about, and the five rates computed in SQL.

Definition of the rates (the dashboard, the worker lists, the report and the benchmark all use
these functions):

* **Denominator** of a unit and year: distinct workers, not archived, with at least one
  employment period in an enterprise of the unit (enterprise not archived) that overlaps the
  calendar year (start ≤ 31/12 and end empty or ≥ 01/01).  A worker who changed enterprise
  during the year counts once for the commune or province, and in the row of each enterprise
  of the per-enterprise table they worked for that year.
* **Numerator a–d**: those workers with at least one participation (not withdrawn, activity not
  archived) in an activity of that programme area, attended inside the counting window: the
  calendar year, or — when the plan counts cumulatively — from 1 January of the plan's first
  year to 31 December of the year.  The participation counts wherever the worker took part
  (learning belongs to the person, not to the enterprise).
* **Numerator e**: those workers holding the "Công dân học tập" title of that year
  (registry.recognition.services.recognised_worker_ids): a title is valid for the year assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from registry.assessment.models import Assessment, AssessmentStatus
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import to_tenths, utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.learning.models import Activity, Area, Participation
from registry.plans.cache import cache, current_token
from registry.plans.models import CountingWindow, Indicator, Plan, PlanLevel, Target
from registry.recognition.services import recognised_worker_ids
from registry.text import vi_sorted
from registry.units.models import Commune, Province
from registry.validation import text_value
from registry.workers.models import Employment, Worker

#: Below the target by at most this many percentage points is shown as "nearly there".
NEAR_MARGIN = Decimal(10)
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- plans and targets -----------------------------------------------------------------------


@dataclass
class PlanData:
    """A plan as entered; targets are (indicator letter, year, percent as typed, form field)."""

    level: str
    issuing_body: str
    number: str
    issued_on: date | None
    title: str
    start_year: int | None
    end_year: int | None
    counting_window: str
    province_id: int | None = None
    commune_id: int | None = None
    targets: list[tuple[str, int | None, object, str]] = field(default_factory=list)


def _percent(value: object, label: str, field_name: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        percent = to_tenths(str(value).strip().replace(",", ".").rstrip("%"))
    except (ArithmeticError, ValueError) as exc:
        raise DomainError(**{field_name: f"Chỉ tiêu {label}: phải là một số phần trăm."}) from exc
    if not Decimal(0) <= percent <= Decimal(100):
        raise DomainError(
            **{field_name: f"Chỉ tiêu {label}: {format(percent.normalize(), 'f')}% nằm ngoài "
               "khoảng 0–100%."}
        )
    return percent


def save_plan(session: Session, scope: Scope, data: PlanData, plan: Plan | None = None) -> Plan:
    """Create or update a plan and its targets; any invalid value refuses the whole plan."""
    if not can_manage_plans(scope):
        raise DomainError("Tài khoản của bạn không được sửa kế hoạch.")
    issuing_body = text_value(data.issuing_body, "issuing_body", "cơ quan ban hành", 255,
                              required=True)
    number = text_value(data.number, "number", "số, ký hiệu", 50, required=True)
    title = text_value(data.title, "title", "tên kế hoạch", 500, required=True)
    if data.issued_on is None:
        raise DomainError(issued_on="Chưa nhập ngày ban hành.")
    try:
        window = CountingWindow(data.counting_window)
        level = PlanLevel(data.level)
    except ValueError as exc:
        raise DomainError(counting_window="Hãy chọn cách tính trong danh sách.") from exc
    start, end = data.start_year, data.end_year
    if start is None or not FIRST_YEAR <= start <= LAST_YEAR:
        raise DomainError(start_year=f"Năm bắt đầu phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
    if end is None or not FIRST_YEAR <= end <= LAST_YEAR:
        raise DomainError(end_year=f"Năm kết thúc phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
    if end < start:
        raise DomainError(end_year=f"Năm kết thúc ({end}) không được trước năm bắt đầu ({start}).")
    province_id, commune_id = _binding(session, scope, level, data)
    targets: dict[tuple[Indicator, int], Decimal] = {}
    for letter, year, value, name in data.targets:
        indicator = Indicator(letter)
        percent = _percent(value, f"{indicator.value}) năm {year}", name)
        if percent is None:
            continue
        if year is None:
            raise DomainError(**{name: "Chưa nhập năm mốc của chỉ tiêu này."})
        if not start <= year <= end:
            raise DomainError(**{name: f"Năm mốc {year} nằm ngoài thời gian kế hoạch "
                                 f"{start}–{end}."})
        if (indicator, year) in targets:
            raise DomainError(**{name: f"Năm mốc {year} được nhập hai lần."})
        targets[(indicator, year)] = percent
    if not targets:
        raise DomainError("Kế hoạch cần ít nhất một chỉ tiêu.")
    if plan is None:
        plan = Plan()
        session.add(plan)
    plan.level, plan.province_id, plan.commune_id = level, province_id, commune_id
    plan.issuing_body, plan.number, plan.title = issuing_body, number, title
    plan.issued_on, plan.start_year, plan.end_year = data.issued_on, start, end
    plan.counting_window = window
    existing = {(t.indicator, t.year): t for t in plan.targets}
    for key, target in existing.items():
        if key not in targets:
            plan.targets.remove(target)
    for (indicator, year), percent in targets.items():
        target = existing.get((indicator, year))
        if target is None:
            plan.targets.append(Target(indicator=indicator, year=year, percent=percent))
        else:
            target.percent = percent
    session.flush()
    return plan


def _binding(session: Session, scope: Scope, level: PlanLevel, data: PlanData
             ) -> tuple[int | None, int | None]:
    """The province or commune a plan belongs to, forced by the officer's own unit."""
    if scope.role == Role.COMMUNE:
        if level != PlanLevel.COMMUNE:
            raise DomainError(level="Cán bộ xã chỉ nhập kế hoạch của xã mình.")
        return None, scope.commune_id
    if level == PlanLevel.COMMUNE:
        commune = session.get(Commune, data.commune_id) if data.commune_id else None
        if commune is None:
            raise DomainError(commune_id="Hãy chọn xã, phường ban hành kế hoạch.")
        return None, commune.id
    if level == PlanLevel.PROVINCE:
        province = session.get(Province, data.province_id) if data.province_id else None
        if province is None:
            raise DomainError(province_id="Hãy chọn tỉnh, thành phố ban hành kế hoạch.")
        return province.id, None
    return None, None


def can_manage_plans(scope: Scope) -> bool:
    """Admins enter any plan; a commune officer their commune's plans."""
    return scope.role in (Role.ADMIN, Role.COMMUNE)


def can_edit_plan(scope: Scope, plan: Plan) -> bool:
    """Whether the user may change this plan."""
    if scope.role == Role.ADMIN:
        return True
    return scope.role == Role.COMMUNE and plan.commune_id == scope.commune_id


def plans_visible(scope: Scope) -> ColumnElement[bool]:
    """Filter on Plan: national plans, and the province and commune plans of the user's area."""
    if scope.role == Role.ADMIN:
        return true()
    communes = select(Commune.id).where(scope.communes())
    provinces = select(Commune.province_id).where(scope.communes())
    return or_(
        Plan.level == PlanLevel.NATIONAL,
        Plan.province_id.in_(provinces),
        Plan.commune_id.in_(communes),
    )


def plans_query(scope: Scope, archived: bool = False) -> Select:
    """Plans the user can see, newest first."""
    return (
        select(Plan)
        .where(plans_visible(scope),
               Plan.archived_at.is_not(None) if archived else Plan.archived_at.is_(None))
        .options(selectinload(Plan.targets))
        .order_by(Plan.issued_on.desc(), Plan.id.desc())
    )


def archive_plan(session: Session, plan: Plan) -> None:
    """Archive a superseded plan (kept: reports cite it)."""
    plan.archived_at = utcnow()
    session.flush()


def restore_plan(session: Session, plan: Plan) -> None:
    """Bring an archived plan back."""
    plan.archived_at = None
    session.flush()


# --- the unit of a dashboard or report -------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A province, commune or enterprise that figures are computed for."""

    kind: str  #: "province", "commune" or "enterprise"
    id: int
    name: str
    code: str  #: province or commune code, or the enterprise's tax code
    province_id: int
    commune_id: int | None = None

    @property
    def key(self) -> str:
        """How the unit is written in URLs: tinh-38, xa-15865, dn-12."""
        prefix = {"province": "tinh", "commune": "xa", "enterprise": "dn"}[self.kind]
        return f"{prefix}-{self.id if self.kind == 'enterprise' else self.code}"

    @property
    def kind_label(self) -> str:
        """Vietnamese name of the kind of unit."""
        return {"province": "Tỉnh", "commune": "Xã, phường", "enterprise": "Doanh nghiệp"}[
            self.kind]

    def enterprise_ids(self) -> Select:
        """The ids of the enterprises counted for this unit (not archived)."""
        stmt = select(Enterprise.id).where(Enterprise.archived_at.is_(None))
        if self.kind == "enterprise":
            return stmt.where(Enterprise.id == self.id)
        if self.kind == "commune":
            return stmt.where(Enterprise.commune_id == self.id)
        return stmt.where(
            Enterprise.commune_id.in_(select(Commune.id).where(Commune.province_id == self.id))
        )


def province_unit(province: Province) -> Unit:
    """The unit of a province."""
    return Unit("province", province.id, province.name, province.code, province.id)


def commune_unit(commune: Commune) -> Unit:
    """The unit of a commune."""
    return Unit("commune", commune.id, commune.name, commune.code, commune.province_id,
                commune.id)


def enterprise_unit(enterprise: Enterprise) -> Unit:
    """The unit of an enterprise."""
    return Unit("enterprise", enterprise.id, enterprise.name, enterprise.tax_code,
                enterprise.commune.province_id, enterprise.commune_id)


def resolve_unit(session: Session, scope: Scope, key: str | None) -> Unit | None:
    """The unit named by key if the user may see it (default: the user's own), else None."""
    if not key:
        return default_unit(session, scope)
    prefix, _, value = key.partition("-")
    if prefix == "tinh" and scope.role in (Role.ADMIN, Role.PROVINCE):
        province = session.scalar(select(Province).where(Province.code == value))
        if province and (scope.role == Role.ADMIN or province.id == scope.province_id):
            return province_unit(province)
    elif prefix == "xa":
        commune = session.scalar(
            select(Commune).where(Commune.code == value, Commune.is_served, scope.communes())
        )
        if commune and scope.role != Role.ENTERPRISE:
            return commune_unit(commune)
    elif prefix == "dn" and value.isdigit():
        enterprise = session.scalar(
            select(Enterprise).where(Enterprise.id == int(value), scope.enterprises(),
                                     Enterprise.archived_at.is_(None))
        )
        if enterprise:
            return enterprise_unit(enterprise)
    return None


def unit_by_code(session: Session, code: str) -> Unit | None:
    """A unit from a code typed on the command line: province (2 digits), commune (5 digits)
    or enterprise tax code."""
    code = code.strip()
    if len(code) == 2 and code.isdigit():
        province = session.scalar(select(Province).where(Province.code == code))
        return province_unit(province) if province else None
    if len(code) == 5 and code.isdigit():
        commune = session.scalar(select(Commune).where(Commune.code == code))
        return commune_unit(commune) if commune else None
    enterprise = session.scalar(select(Enterprise).where(Enterprise.tax_code == code))
    return enterprise_unit(enterprise) if enterprise else None


def default_unit(session: Session, scope: Scope) -> Unit | None:
    """The user's own unit: their province, commune or enterprise (admins: the first province
    with a served commune)."""
    match scope.role:
        case Role.ENTERPRISE:
            enterprise = session.get(Enterprise, scope.enterprise_id)
            return enterprise_unit(enterprise) if enterprise else None
        case Role.COMMUNE:
            return commune_unit(session.get(Commune, scope.commune_id))
        case Role.PROVINCE:
            return province_unit(session.get(Province, scope.province_id))
    province = session.scalar(
        select(Province).join(Commune, Commune.province_id == Province.id)
        .where(Commune.is_served).order_by(Province.code).limit(1)
    )
    return province_unit(province) if province else None


def unit_choices(session: Session, scope: Scope) -> list[Unit]:
    """The province and the served communes the user may pick on the dashboard."""
    units: list[Unit] = []
    if scope.role in (Role.ADMIN, Role.PROVINCE):
        provinces = select(Province).where(
            Province.id.in_(select(Commune.province_id).where(Commune.is_served,
                                                              scope.communes()))
        ).order_by(Province.code)
        units += [province_unit(p) for p in session.scalars(provinces)]
    if scope.role != Role.ENTERPRISE:
        communes = select(Commune).where(Commune.is_served, scope.communes()).order_by(
            Commune.name)
        units += [commune_unit(c) for c in session.scalars(communes)]
    return units


# --- the active plan and its targets ---------------------------------------------------------


def active_plan(session: Session, unit: Unit, year: int) -> Plan | None:
    """The plan whose targets apply: the unit's commune's own plan covering the year, else its
    province's, else the national plan (the most recently issued at each level)."""
    levels = []
    if unit.commune_id is not None:
        levels.append(and_(Plan.level == PlanLevel.COMMUNE, Plan.commune_id == unit.commune_id))
    levels.append(and_(Plan.level == PlanLevel.PROVINCE, Plan.province_id == unit.province_id))
    levels.append(Plan.level == PlanLevel.NATIONAL)
    for condition in levels:
        plan = session.scalar(
            select(Plan)
            .where(condition, Plan.archived_at.is_(None), Plan.start_year <= year,
                   Plan.end_year >= year)
            .options(selectinload(Plan.targets))
            .order_by(Plan.issued_on.desc(), Plan.id.desc())
            .limit(1)
        )
        if plan is not None:
            return plan
    return None


def next_milestone(plan: Plan, year: int) -> int | None:
    """The first milestone year from year on (the last one once all have passed)."""
    years = plan.milestones()
    if not years:
        return None
    return next((y for y in years if y >= year), years[-1])


def window_start(plan: Plan | None, year: int) -> date:
    """First day counted for year's rates a–d under the plan's counting window."""
    if plan is not None and plan.counting_window == CountingWindow.CUMULATIVE:
        return date(min(plan.start_year, year), 1, 1)
    return date(year, 1, 1)


# --- the rates -------------------------------------------------------------------------------


@dataclass
class Counts:
    """Workers counted for a unit (denominator) and how many meet each indicator."""

    workers: int = 0
    reached: dict[Indicator, int] = field(default_factory=dict)

    def rate(self, indicator: Indicator) -> Decimal | None:
        """Percentage with one decimal, None without workers."""
        if not self.workers:
            return None
        return to_tenths(Decimal(self.reached.get(indicator, 0)) * 100 / self.workers)


@dataclass
class RateTable:
    """The totals of a unit and the rows of its enterprises (with their names)."""

    total: Counts
    enterprises: dict[int, Counts]
    names: dict[int, str] = field(default_factory=dict)


_FLAG_AREAS = {Indicator.A: Area.LAW, Indicator.B: Area.SKILL, Indicator.C: Area.LIFE,
               Indicator.D: Area.DIGITAL}


def denominator(enterprise_ids: Select, year: int) -> Select:
    """(worker_id, enterprise_id) of workers employed in the enterprises during year."""
    return (
        select(Employment.worker_id, Employment.enterprise_id)
        .join(Worker, Worker.id == Employment.worker_id)
        .where(
            Employment.enterprise_id.in_(enterprise_ids),
            Employment.start_date <= date(year, 12, 31),
            or_(Employment.end_date.is_(None), Employment.end_date >= date(year, 1, 1)),
            Worker.archived_at.is_(None),
        )
        .distinct()
    )


def counted_participations(first: date, last: date) -> ColumnElement[bool]:
    """Filter on Participation joined with Activity: counted and attended between the dates."""
    return and_(
        Participation.archived_at.is_(None),
        Activity.archived_at.is_(None),
        Participation.attended_on >= first,
        Participation.attended_on <= last,
    )


def rate_table(session: Session, unit: Unit, year: int, first: date) -> RateTable:
    """The five counts of a unit and of each of its enterprises, in one SQL statement."""
    last = date(year, 12, 31)
    denom = denominator(unit.enterprise_ids(), year).cte("denom").prefix_with("MATERIALIZED")
    flags = (
        select(
            Participation.worker_id.label("worker_id"),
            *[func.max(case((Activity.area == area, 1), else_=0)).label(ind.value)
              for ind, area in _FLAG_AREAS.items()],
        )
        .join(Activity, Activity.id == Participation.activity_id)
        .where(counted_participations(first, last),
               Participation.worker_id.in_(select(denom.c.worker_id)))
        .group_by(Participation.worker_id)
        .cte("flags")
        .prefix_with("MATERIALIZED")
    )
    titled = recognised_worker_ids(year).cte("titled").prefix_with("MATERIALIZED")
    # One row per (worker, enterprise) of the denominator with the worker's five 0/1 flags,
    # joined once and kept: the per-enterprise rows sum it, the unit's total sums it once per
    # worker (a worker who moved has several rows with the same flags).
    letters = [indicator.value for indicator in Indicator]
    counted = (
        select(denom.c.worker_id, denom.c.enterprise_id,
               *[func.coalesce(flags.c[i.value], 0).label(i.value) for i in _FLAG_AREAS],
               case((titled.c.worker_id.is_not(None), 1), else_=0).label(Indicator.E.value))
        .select_from(denom.outerjoin(flags, flags.c.worker_id == denom.c.worker_id)
                     .outerjoin(titled, titled.c.worker_id == denom.c.worker_id))
        .cte("counted")
        .prefix_with("MATERIALIZED")
    )
    per_enterprise = (
        select(counted.c.enterprise_id, func.count(), *[func.sum(counted.c[x]) for x in letters])
        .group_by(counted.c.enterprise_id)
    )
    people = (
        select(*[func.max(counted.c[x]).label(x) for x in letters])
        .group_by(counted.c.worker_id)
        .subquery("people")
    )
    totals = select(null(), func.count(),
                    *[func.coalesce(func.sum(people.c[x]), 0) for x in letters])
    table = RateTable(Counts(), {})
    for row in session.execute(union_all(per_enterprise, totals)):
        enterprise_id, workers, *reached = row
        counts = Counts(int(workers), dict(zip(Indicator, map(int, reached), strict=True)))
        if enterprise_id is None:
            table.total = counts
        else:
            table.enterprises[enterprise_id] = counts
    table.names = enterprise_names(session, list(table.enterprises))
    return table


def indicator_condition(indicator: Indicator, year: int, first: date) -> ColumnElement[bool]:
    """Filter on Worker: meets the indicator (the numerator's condition)."""
    if indicator is Indicator.E:
        return Worker.id.in_(recognised_worker_ids(year))
    return exists().where(
        Participation.worker_id == Worker.id,
        Activity.id == Participation.activity_id,
        Activity.area == indicator.area,
        counted_participations(first, date(year, 12, 31)),
    )


def workers_behind(unit: Unit, year: int, first: date, indicator: Indicator | None,
                   counted: bool | None) -> Select:
    """Workers of a unit's denominator, those meeting the indicator or not, in list order."""
    denom = denominator(unit.enterprise_ids(), year).with_only_columns(Employment.worker_id)
    stmt = select(Worker).where(Worker.id.in_(denom))
    if indicator is not None and counted is not None:
        condition = indicator_condition(indicator, year, first)
        stmt = stmt.where(condition if counted else ~condition)
    return stmt.order_by(Worker.sort_key, Worker.id)


def area_hours(session: Session, worker_ids: list[int], indicator: Indicator | None,
               year: int, first: date) -> dict[int, Decimal]:
    """Counted hours in the window per worker (in the indicator's area, or all areas)."""
    if not worker_ids:
        return {}
    stmt = (
        select(Participation.worker_id, func.sum(Participation.hours))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Participation.worker_id.in_(worker_ids),
               counted_participations(first, date(year, 12, 31)))
        .group_by(Participation.worker_id)
    )
    if indicator is not None and indicator.area is not None:
        stmt = stmt.where(Activity.area == indicator.area)
    # The sum keeps the Tenths type of the column: it comes back as hours.
    return {wid: total or Decimal(0) for wid, total in session.execute(stmt)}


def enterprise_names(session: Session, ids: list[int]) -> dict[int, str]:
    """Names of enterprises by id."""
    if not ids:
        return {}
    rows = session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids)))
    return {eid: name for eid, name in rows}


def assessment_counts(session: Session, unit: Unit, year: int) -> dict[AssessmentStatus, int]:
    """Assessments of the year for the unit's enterprises, by status."""
    rows = session.execute(
        select(Assessment.status, func.count())
        .where(Assessment.year == year, Assessment.enterprise_id.in_(unit.enterprise_ids()))
        .group_by(Assessment.status)
    ).tuples()
    found = {AssessmentStatus(status): n for status, n in rows}
    return {status: found.get(status, 0) for status in AssessmentStatus}


# --- judging a rate against its target -------------------------------------------------------


@dataclass
class Standing:
    """A rate beside its target."""

    indicator: Indicator
    reached: int
    workers: int
    rate: Decimal | None
    target: Decimal | None

    @property
    def status(self) -> str:
        """ "on_track" (reached the target), "near" (within NEAR_MARGIN points), "behind",
        or "none" (no target or no workers)."""
        if self.rate is None or self.target is None:
            return "none"
        if self.rate >= self.target:
            return "on_track"
        return "near" if self.target - self.rate <= NEAR_MARGIN else "behind"

    @property
    def status_label(self) -> str:
        """The status in Vietnamese."""
        return {"on_track": "Đạt chỉ tiêu", "near": "Gần đạt", "behind": "Chưa đạt",
                "none": "Chưa có chỉ tiêu" if self.target is None else "Chưa có số liệu"}[
            self.status]

    @property
    def colour(self) -> str:
        """Bootstrap colour of the status."""
        return {"on_track": "success", "near": "warning", "behind": "danger",
                "none": "secondary"}[self.status]


def standings(counts: Counts, plan: Plan | None, milestone: int | None) -> list[Standing]:
    """The five indicators of a unit against the plan's targets for the milestone."""
    result = []
    for indicator in Indicator:
        target = plan.target(indicator, milestone) if plan and milestone else None
        result.append(Standing(indicator, counts.reached.get(indicator, 0), counts.workers,
                               counts.rate(indicator), target))
    return result


# --- the dashboard ---------------------------------------------------------------------------


def cached_rate_table(session: Session, unit: Unit, year: int, first: date) -> RateTable:
    """rate_table, kept until the counted data changes (see registry.plans.cache)."""
    return cache().get_or_compute(
        current_token(session), ("rates", unit.key, year, first.isoformat()),
        lambda: rate_table(session, unit, year, first),
    )


@dataclass
class EnterpriseRow:
    """One line of the per-enterprise table."""

    id: int
    name: str
    counts: Counts
    standings: list[Standing]


@dataclass
class Dashboard:
    """Everything the dashboard page shows for a unit and year."""

    unit: Unit
    year: int
    plan: Plan | None
    milestone: int | None
    first: date
    counts: Counts
    standings: list[Standing]
    enterprises: list[EnterpriseRow]
    assessments: dict[AssessmentStatus, int]

    @property
    def titles(self) -> int:
        """Workers of the unit holding the title of the year."""
        return self.counts.reached.get(Indicator.E, 0)


def _row_name(row: EnterpriseRow) -> str:
    return row.name


def dashboard(session: Session, unit: Unit, year: int) -> Dashboard:
    """The five rates of a unit against the active plan, its enterprises and assessments."""
    plan = active_plan(session, unit, year)
    milestone = next_milestone(plan, year) if plan else None
    first = window_start(plan, year)
    table = cached_rate_table(session, unit, year, first)
    # Standings of the rows are filled by the caller for the rows it shows (see with_standings).
    rows = [EnterpriseRow(eid, table.names.get(eid, ""), counts, [])
            for eid, counts in table.enterprises.items()]
    return Dashboard(unit, year, plan, milestone, first, table.total,
                     standings(table.total, plan, milestone), vi_sorted(rows, key=_row_name),
                     assessment_counts(session, unit, year))


def with_standings(board: Dashboard, rows: list[EnterpriseRow]) -> list[EnterpriseRow]:
    """The rows with their standings against the board's plan."""
    for row in rows:
        row.standings = standings(row.counts, board.plan, board.milestone)
    return rows


def trend(session: Session, unit: Unit, years: list[int]) -> dict[int, Counts]:
    """The unit's counts for each year (each year under the plan active that year)."""
    result = {}
    for year in years:
        plan = active_plan(session, unit, year)
        result[year] = cached_rate_table(session, unit, year, window_start(plan, year)).total
    return result

"""Rules for activities and attendance, the worker's learning record and coverage counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import table_of, to_tenths, utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind, Participation
from registry.text import fold
from registry.units.models import Commune
from registry.validation import text_value
from registry.workers.models import Employment, Worker

MAX_ACTIVITY_HOURS = Decimal(2000)


@dataclass
class ActivityData:
    """An activity as entered."""

    title: str
    area: str
    form: str
    organiser_kind: str
    organiser: str
    commune_id: int | None
    enterprise_id: int | None
    start_date: date
    end_date: date
    hours: Decimal
    location: str = ""
    description: str = ""


@dataclass
class AttendanceEntry:
    """One worker ticked on the attendance sheet."""

    worker_id: int
    hours: Decimal
    completed: bool = True
    result: str = ""
    note: str = ""


def _choice(enum_class, value: str, field_name: str, label: str):
    try:
        return enum_class(value)
    except ValueError as exc:
        raise DomainError(**{field_name: f"Hãy chọn {label} trong danh sách."}) from exc


def hours_text(value: Decimal) -> str:
    """Hours as written in Vietnamese messages: 4 or 1,5 (comma as decimal mark)."""
    return format(value.normalize(), "f").replace(".", ",")


def _hours(value: object, field_name: str, limit: Decimal, limit_text: str) -> Decimal:
    try:
        hours = to_tenths(value)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise DomainError(**{field_name: "Số giờ phải là một số."}) from exc
    if hours < 0:
        raise DomainError(**{field_name: "Số giờ không được âm."})
    if hours > limit:
        raise DomainError(**{field_name: f"Số giờ {hours_text(hours)} vượt quá {limit_text}."})
    return hours


def _place(session: Session, scope: Scope, data: ActivityData) -> tuple[int, int | None]:
    """The commune and enterprise of an activity, forced by an enterprise officer's scope."""
    if scope.role == Role.ENTERPRISE:
        return scope.enterprise_commune_id, scope.enterprise_id
    enterprise_id = data.enterprise_id or None
    if enterprise_id:
        enterprise = session.scalar(
            select(Enterprise).where(Enterprise.id == enterprise_id, scope.enterprises())
        )
        if enterprise is None:
            raise DomainError(enterprise_id="Hãy chọn doanh nghiệp trong phạm vi của bạn.")
        return enterprise.commune_id, enterprise.id
    commune_id = scope.commune_id if scope.role == Role.COMMUNE else data.commune_id
    commune = session.scalar(
        select(Commune).where(Commune.id == commune_id, Commune.is_served, scope.communes())
    )
    if commune is None:
        raise DomainError(commune_id="Hãy chọn xã, phường tổ chức hoạt động.")
    return commune.id, None


def save_activity(
    session: Session, scope: Scope, data: ActivityData, activity: Activity | None = None
) -> Activity:
    """Create or update an activity; changes may not strand recorded participations."""
    if scope.read_only:
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    title = text_value(data.title, "title", "tên hoạt động", 255, required=True)
    area = _choice(Area, data.area, "area", "lĩnh vực")
    form = _choice(ActivityForm, data.form, "form", "hình thức")
    kind = _choice(OrganiserKind, data.organiser_kind, "organiser_kind", "loại đơn vị tổ chức")
    organiser = text_value(data.organiser, "organiser", "đơn vị tổ chức", 255, required=True)
    if data.end_date < data.start_date:
        raise DomainError(end_date="Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    days = (data.end_date - data.start_date).days + 1
    limit = min(MAX_ACTIVITY_HOURS, Decimal(24 * days))
    hours = _hours(data.hours, "hours", limit, f"{hours_text(limit)} giờ cho {days} ngày")
    if hours == 0:
        raise DomainError(hours="Số giờ của hoạt động phải lớn hơn 0.")
    location = text_value(data.location, "location", "địa điểm", 255)
    description = text_value(data.description, "description", "nội dung", 5000, multiline=True)
    commune_id, enterprise_id = _place(session, scope, data)
    if activity is not None:
        _check_participations_fit(session, activity, data.start_date, data.end_date, hours)
    else:
        activity = Activity()
        session.add(activity)
    activity.title = title
    activity.search_title = fold(title)
    activity.area, activity.form, activity.organiser_kind = area, form, kind
    activity.organiser = organiser
    activity.commune_id, activity.enterprise_id = commune_id, enterprise_id
    activity.start_date, activity.end_date = data.start_date, data.end_date
    activity.hours = hours
    activity.location = location
    activity.description = description
    session.flush()
    return activity


def _check_participations_fit(
    session: Session, activity: Activity, start: date, end: date, hours: Decimal
) -> None:
    row = session.execute(
        select(
            func.min(Participation.attended_on),
            func.max(Participation.attended_on),
            func.max(Participation.hours),
        ).where(Participation.activity_id == activity.id, Participation.archived_at.is_(None))
    ).one()
    first, last, most = row
    if first is not None and (first < start or last > end):
        raise DomainError(
            start_date=f"Đã có người tham gia từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}; thời gian "
            "hoạt động phải bao gồm các ngày đó."
        )
    if most is not None and most > hours:
        raise DomainError(
            hours=f"Đã có người được ghi {hours_text(most)} giờ; số giờ của hoạt động không "
            "được nhỏ hơn."
        )


def archive_activity(session: Session, activity: Activity) -> None:
    """Archive an activity; its participations stop counting but are kept."""
    activity.archived_at = utcnow()
    session.flush()


def restore_activity(session: Session, activity: Activity) -> None:
    """Bring an archived activity back."""
    activity.archived_at = None
    session.flush()


def activities_query(
    scope: Scope,
    query: str = "",
    year: int | None = None,
    area: str = "",
    enterprise_id: int | None = None,
    archived: bool = False,
) -> Select:
    """Activities in scope, newest first, filtered by search, year, area and enterprise."""
    stmt = select(Activity).where(scope.activities())
    stmt = stmt.where(
        Activity.archived_at.is_not(None) if archived else Activity.archived_at.is_(None)
    )
    if year:
        stmt = stmt.where(
            Activity.start_date <= date(year, 12, 31), Activity.end_date >= date(year, 1, 1)
        )
    if area in {a.value for a in Area}:
        stmt = stmt.where(Activity.area == Area(area))
    if enterprise_id:
        stmt = stmt.where(Activity.enterprise_id == enterprise_id)
    term = fold(query)
    if term:
        stmt = stmt.where(Activity.search_title.contains(term, autoescape=True))
    return stmt.order_by(Activity.start_date.desc(), Activity.id.desc())


def eligible_workers_query(scope: Scope, activity: Activity) -> Select:
    """Workers who may be recorded for the activity: employed during it, in the user's scope.

    An enterprise activity takes that enterprise's workers; a commune-wide one takes workers of
    every enterprise of the commune (an enterprise officer sees only their own).
    """
    employed = and_(
        Employment.worker_id == Worker.id,
        Employment.start_date <= activity.end_date,
        or_(Employment.end_date.is_(None), Employment.end_date >= activity.start_date),
    )
    if activity.enterprise_id:
        employed = and_(employed, Employment.enterprise_id == activity.enterprise_id)
    else:
        employed = and_(
            employed,
            Employment.enterprise_id.in_(
                select(Enterprise.id).where(Enterprise.commune_id == activity.commune_id)
            ),
        )
    if scope.role != Role.ADMIN:
        employed = and_(employed, Employment.enterprise_id.in_(scope.enterprise_ids()))
    return (
        select(Worker)
        .where(Worker.archived_at.is_(None), select(Employment.id).where(employed).exists())
        .order_by(Worker.sort_key, Worker.id)
    )


def record_attendance(
    session: Session,
    scope: Scope,
    activity: Activity,
    entries: list[AttendanceEntry],
    attended_on: date,
) -> list[Participation]:
    """Record many workers at once; any invalid row refuses the whole sheet."""
    if not scope.can_record_attendance():
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    if activity.archived_at is not None:
        raise DomainError("Hoạt động đã lưu trữ, không ghi nhận thêm người tham gia.")
    if not entries:
        raise DomainError("Chưa chọn người lao động nào.")
    if not activity.start_date <= attended_on <= activity.end_date:
        raise DomainError(
            attended_on=f"Ngày tham gia phải trong thời gian hoạt động "
            f"({activity.start_date:%d/%m/%Y} – {activity.end_date:%d/%m/%Y})."
        )
    ids = [entry.worker_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise DomainError("Một người lao động được chọn hai lần.")
    allowed = dict(
        session.execute(
            eligible_workers_query(scope, activity)
            .with_only_columns(Worker.id, Worker.full_name)
            .where(Worker.id.in_(ids))
            .order_by(None)
        ).tuples().all()
    )
    already = dict(
        session.execute(
            select(Participation.worker_id, Worker.full_name)
            .join(Worker)
            .where(Participation.activity_id == activity.id, Participation.worker_id.in_(ids))
        ).tuples().all()
    )
    problems = []
    created = []
    for entry in entries:
        if entry.worker_id not in allowed:
            problems.append(
                f"Người lao động #{entry.worker_id} không làm việc tại đơn vị tham gia hoạt động "
                "trong thời gian diễn ra hoặc nằm ngoài phạm vi của bạn."
            )
            continue
        name = allowed[entry.worker_id]
        if entry.worker_id in already:
            problems.append(f"{name}: đã được ghi nhận tham gia hoạt động này.")
            continue
        try:
            hours = _hours(entry.hours, "hours", activity.hours,
                           f"số giờ của hoạt động ({hours_text(activity.hours)})")
        except DomainError as error:
            problems.append(f"{name}: {' '.join(error.messages)}")
            continue
        created.append(
            Participation(
                activity_id=activity.id,
                worker_id=entry.worker_id,
                attended_on=attended_on,
                hours=hours,
                completed=entry.completed,
                result=text_value(entry.result, "result", "kết quả", 120),
                note=text_value(entry.note, "note", "ghi chú", 500),
            )
        )
    if problems:
        raise DomainError(" ".join(problems))
    session.add_all(created)
    session.flush()
    return created


def update_participation(
    session: Session,
    participation: Participation,
    attended_on: date,
    hours: Decimal,
    completed: bool,
    result: str = "",
    note: str = "",
) -> None:
    """Correct one participation."""
    activity = participation.activity
    if not activity.start_date <= attended_on <= activity.end_date:
        raise DomainError(
            attended_on=f"Ngày tham gia phải trong thời gian hoạt động "
            f"({activity.start_date:%d/%m/%Y} – {activity.end_date:%d/%m/%Y})."
        )
    limit_text = f"số giờ của hoạt động ({hours_text(activity.hours)})"
    hours = _hours(hours, "hours", activity.hours, limit_text)
    result = text_value(result, "result", "kết quả", 120)
    note = text_value(note, "note", "ghi chú", 500)
    participation.attended_on = attended_on
    participation.hours = hours
    participation.completed = completed
    participation.result = result
    participation.note = note
    session.flush()


def archive_participation(session: Session, participation: Participation) -> None:
    """Withdraw a participation recorded by mistake (kept, no longer counted)."""
    participation.archived_at = utcnow()
    session.flush()


def restore_participation(session: Session, participation: Participation) -> None:
    """Count an archived participation again."""
    participation.archived_at = None
    session.flush()


# --- the worker's learning record ----------------------------------------------------------


class RecordLine(NamedTuple):
    """One participation as a worker's learning record shows it."""

    id: int
    title: str
    area: Area
    attended_on: date
    hours: Decimal
    completed: bool
    result: str


@dataclass
class YearRecord:
    """A worker's learning in one calendar year."""

    year: int
    by_area: dict[Area, list[RecordLine]] = field(default_factory=dict)

    @property
    def hours(self) -> Decimal:
        """Total hours of the year."""
        return sum((p.hours for ps in self.by_area.values() for p in ps), Decimal(0))

    def area_hours(self, area: Area) -> Decimal:
        """Hours in one area."""
        return sum((p.hours for p in self.by_area.get(area, [])), Decimal(0))

    @cached_property
    def areas_covered(self) -> list[Area]:
        """Areas with at least one participation, in programme order."""
        return [area for area in Area if self.by_area.get(area)]


def _record_lines() -> Select:
    p, a = table_of(Participation), table_of(Activity)
    return (
        select(p.c.id, a.c.title, a.c.area, p.c.attended_on, p.c.hours, p.c.completed,
               p.c.result)
        .select_from(p)
        .join(a, a.c.id == p.c.activity_id)
        .where(
            p.c.worker_id == bindparam("worker_id"),
            p.c.archived_at.is_(None),
            a.c.archived_at.is_(None),
        )
        .order_by(p.c.attended_on, p.c.id)
    )


_RECORD_LINES = _record_lines()


def learning_record(session: Session, worker: Worker) -> list[YearRecord]:
    """All counted participations of a worker grouped by year (newest first) and area."""
    rows = session.execute(_RECORD_LINES, {"worker_id": worker.id})
    years: dict[int, YearRecord] = {}
    for row in rows:
        line = RecordLine(*row)
        record = years.get(line.attended_on.year)
        if record is None:
            record = years[line.attended_on.year] = YearRecord(line.attended_on.year)
        record.by_area.setdefault(line.area, []).append(line)
    for record in years.values():
        record.by_area = {area: record.by_area[area] for area in Area if area in record.by_area}
    return [years[y] for y in sorted(years, reverse=True)]


# --- coverage of the programme areas -------------------------------------------------------


@dataclass
class Coverage:
    """Workers employed now in scope, and how many took part in each area in a year."""

    workers: int
    reached: dict[Area, int]

    def share(self, area: Area) -> float | None:
        """Share of workers reached in one area."""
        return self.reached.get(area, 0) / self.workers if self.workers else None


def coverage(session: Session, worker_filter, year: int) -> Coverage:
    """Distinct current workers (matching worker_filter) reached per area in a calendar year."""
    workers = session.scalar(
        select(func.count()).select_from(Worker).where(Worker.archived_at.is_(None), worker_filter)
    )
    rows = session.execute(
        select(Activity.area, func.count(func.distinct(Participation.worker_id)))
        .select_from(Participation)
        .join(Activity, Activity.id == Participation.activity_id)
        .join(Worker, Worker.id == Participation.worker_id)
        .where(
            Participation.archived_at.is_(None),
            Activity.archived_at.is_(None),
            Worker.archived_at.is_(None),
            worker_filter,
            Participation.attended_on.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .group_by(Activity.area)
    ).tuples()
    return Coverage(workers=workers, reached={Area(area): n for area, n in rows})


"""What each exported list holds: its columns and its rows, read in batches from the database.

The rows follow what the page shows: the same services build the queries (search, filters,
scope), and a viewer who may not see personal data (provincial officers) gets no citizen ID,
birth date or phone columns at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from registry.auth.scope import Scope
from registry.enterprises.models import Enterprise
from registry.exports.spreadsheet import DATE, FLAG, HOURS, ID, NUMBER, Column
from registry.imports.writers import activity_code
from registry.learning.models import Activity, Participation
from registry.units.models import Commune
from registry.workers.models import Worker

BATCH = 2000


def _stream(session: Session, stmt: Select) -> Iterator:
    return session.execute(stmt.execution_options(yield_per=BATCH))


def _birth(birth_date, year_only: bool):
    return str(birth_date.year) if year_only else birth_date


# --- workers ---------------------------------------------------------------------------------


def worker_columns(scope: Scope) -> list[Column]:
    """The columns of the workers list."""
    columns = [Column("STT", NUMBER, 6), Column("Họ và tên", width=26), Column("Họ", width=10),
               Column("Tên đệm", width=12), Column("Tên", width=10),
               Column("Giới tính", width=9)]
    if scope.sees_personal_data:
        columns += [Column("Ngày sinh", DATE, 12), Column("Số CCCD", ID, 15),
                    Column("Số điện thoại", ID, 13)]
    columns += [Column("Doanh nghiệp", width=32), Column("Mã số thuế", ID, 13),
                Column("Đoàn viên công đoàn", FLAG, 10)]
    return columns


def worker_rows(session: Session, scope: Scope, stmt: Select) -> Iterator[Sequence]:
    """Rows of a worker query (as built for the list page), in its order."""
    personal = scope.sees_personal_data
    stmt = stmt.with_only_columns(
        Worker.full_name, Worker.family_name, Worker.middle_name, Worker.given_name, Worker.sex,
        Worker.birth_date, Worker.birth_year_only, Worker.citizen_id, Worker.phone,
        Enterprise.name, Enterprise.tax_code, Worker.union_member,
    ).outerjoin(Enterprise, Enterprise.id == Worker.current_enterprise_id)
    for number, row in enumerate(_stream(session, stmt), 1):
        values = [number, row.full_name, row.family_name, row.middle_name, row.given_name,
                  row.sex.label]
        if personal:
            values += [_birth(row.birth_date, row.birth_year_only), row.citizen_id, row.phone]
        values += [row.name, row.tax_code, row.union_member]
        yield values


# --- activities ------------------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column("Mã hoạt động", ID, 11), Column("Tên hoạt động", width=40),
    Column("Lĩnh vực", width=28), Column("Hình thức", width=22),
    Column("Đơn vị tổ chức", width=26), Column("Doanh nghiệp", width=28),
    Column("Xã, phường", width=18), Column("Ngày bắt đầu", DATE, 12),
    Column("Ngày kết thúc", DATE, 12), Column("Số giờ", HOURS, 8),
    Column("Địa điểm", width=20), Column("Số người tham gia", NUMBER, 10),
]


def activity_rows(session: Session, scope: Scope, stmt: Select) -> Iterator[Sequence]:
    """Rows of an activity query (as built for the list page), with head counts in scope."""
    counted = (
        select(func.count()).where(Participation.activity_id == Activity.id,
                                   Participation.archived_at.is_(None), scope.participations())
        .correlate(Activity).scalar_subquery()
    )
    stmt = stmt.with_only_columns(
        Activity.id, Activity.title, Activity.area, Activity.form, Activity.organiser,
        Enterprise.name, Commune.name, Activity.start_date, Activity.end_date, Activity.hours,
        Activity.location, counted,
    ).outerjoin(Enterprise, Enterprise.id == Activity.enterprise_id).join(
        Commune, Commune.id == Activity.commune_id)
    for row in _stream(session, stmt):
        (activity_id, title, area, form, organiser, enterprise, commune, start, end, hours,
         location, count) = row
        yield [activity_code(activity_id), title, f"{area.letter}) {area.label}", form.label,
               organiser, enterprise or "Hoạt động chung của xã", commune, start, end, hours,
               location, count]


# --- participations of an activity -------------------------------------------------------------


def participation_columns(scope: Scope) -> list[Column]:
    """The columns of an activity's participants (the layout the import reads back)."""
    columns = [Column("STT", NUMBER, 6), Column("Họ và tên", width=26)]
    if scope.sees_personal_data:
        columns += [Column("Số CCCD", ID, 15), Column("Năm sinh", NUMBER, 9)]
    columns += [Column("Doanh nghiệp", width=28), Column("Mã hoạt động", ID, 11),
                Column("Ngày tham gia", DATE, 12), Column("Số giờ", HOURS, 8),
                Column("Hoàn thành", width=11), Column("Kết quả", width=16),
                Column("Ghi chú", width=24)]
    return columns


def participation_rows(session: Session, scope: Scope, activity: Activity,
                       archived: bool = False) -> Iterator[Sequence]:
    """An activity's participants in scope, in name order."""
    stmt = (
        select(Worker.full_name, Worker.citizen_id, Worker.birth_date, Enterprise.name,
               Participation.attended_on, Participation.hours, Participation.completed,
               Participation.result, Participation.note)
        .select_from(Participation)
        .join(Worker, Worker.id == Participation.worker_id)
        .outerjoin(Enterprise, Enterprise.id == Worker.current_enterprise_id)
        .where(Participation.activity_id == activity.id, scope.workers(),
               Participation.archived_at.is_not(None) if archived
               else Participation.archived_at.is_(None))
        .order_by(Worker.sort_key, Worker.id)
    )
    personal = scope.sees_personal_data
    code = activity_code(activity.id)
    for number, row in enumerate(_stream(session, stmt), 1):
        values = [number, row.full_name]
        if personal:
            values += [row.citizen_id, row.birth_date.year]
        values += [row.name, code, row.attended_on, row.hours,
                   "Đạt" if row.completed else "Không đạt", row.result, row.note]
        yield values


# --- a worker's learning record --------------------------------------------------------------

RECORD_COLUMNS = [
    Column("Năm", NUMBER, 7), Column("Lĩnh vực", width=28), Column("Mã hoạt động", ID, 11),
    Column("Tên hoạt động", width=40), Column("Hình thức", width=22),
    Column("Ngày tham gia", DATE, 12), Column("Số giờ", HOURS, 8),
    Column("Hoàn thành", width=11), Column("Kết quả", width=16),
]


def record_rows(session: Session, worker: Worker) -> Iterator[Sequence]:
    """The worker's counted participations, oldest first, as on the profile page."""
    stmt = (
        select(Participation.attended_on, Activity.area, Activity.id, Activity.title,
               Activity.form, Participation.hours, Participation.completed,
               Participation.result)
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Participation.worker_id == worker.id, Participation.archived_at.is_(None),
               Activity.archived_at.is_(None))
        .order_by(Participation.attended_on, Participation.id)
    )
    for on, area, activity_id, title, form, hours, completed, result in session.execute(stmt):
        yield [on.year, f"{area.letter}) {area.label}", activity_code(activity_id), title,
               form.label, on, hours, "Đạt" if completed else "Không đạt", result]

"""The writers of the built-in import kinds: workers, participations, activities.

Workers and participations are checked and stored a chunk at a time: one query finds the
chunk's existing records, the rules of registry.workers.services and registry.learning.services
are applied row by row in Python, and new and changed rows are written with executemany-style
statements (the ORM's bulk INSERT … RETURNING and bulk UPDATE by primary key), with their
audit entries. Activities are few per file, so each goes through learning.services'
save_activity itself, in a savepoint of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import ARRAY, Integer, bindparam, delete, func, insert, select, true, update

from registry.audit.models import AuditAction
from registry.audit.services import audit_value, record_bulk
from registry.auth.models import Role
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.imports.bulk import JsonText, insert_dicts, insert_rows, reserve_ids
from registry.imports.records import Record
from registry.imports.services import Writer, register_writer
from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind, Participation
from registry.learning.services import (
    ActivityData,
    _hours,
    eligible_workers_query,
    hours_text,
    save_activity,
)
from registry.text import fold, join_name, name_case, person_sort_key
from registry.validation import text_value
from registry.workers.cccd import check_citizen_id
from registry.workers.models import Employment, Sex, Worker, WorkerNameToken, tokens_of
from registry.workers.services import WorkerData, _check_birth, _check_start

ACTIVITY_CODE_PREFIX = "HĐ-"
_CODE = re.compile(r"^(?:HD|HĐ)?[-\s.]*0*(\d{1,9})$", re.IGNORECASE)


def activity_code(activity_id: int) -> str:
    """The code an activity is known by in files: «HĐ-12»."""
    return f"{ACTIVITY_CODE_PREFIX}{activity_id}"


def parse_activity_code(code: str) -> int | None:
    """The activity id in a code typed as «HĐ-12», «HD12» or «12»; None if not one."""
    found = _CODE.match(code.strip().replace("Đ", "D").replace("đ", "d"))
    return int(found.group(1)) if found else None


def _messages(error: DomainError) -> str:
    return " ".join(error.messages)


def _other_enterprise(number: str) -> str:
    return (
        f"Số CCCD {number} đã có hồ sơ người lao động thuộc doanh nghiệp khác (hoặc đã nghỉ "
        "việc). Nếu người này chuyển đến doanh nghiệp của bạn, hãy dùng «Tiếp nhận người lao "
        "động» trên trang Người lao động."
    )


# --- workers -----------------------------------------------------------------------------------

#: Worker fields an import compares and may change, with their labels.
WORKER_FIELDS = {
    "family_name": "Họ", "middle_name": "Tên đệm", "given_name": "Tên", "sex": "Giới tính",
    "birth_date": "Ngày sinh", "phone": "Số điện thoại", "union_member": "Đoàn viên công đoàn",
}


@dataclass
class _WorkerRow:
    record: Record
    values: dict
    enterprise_id: int
    start: date


class WorkerWriter(Writer):
    """Workers matched by CCCD: new ones with their employment, changed fields updated."""

    tables = ("workers", "employments", "worker_name_tokens")

    def __init__(self, run) -> None:
        super().__init__(run)
        session, scope = run.session, run.scope
        self.by_tax_code = dict(session.execute(
            select(Enterprise.tax_code, Enterprise.id).where(
                scope.enterprises(), Enterprise.archived_at.is_(None))
        ).tuples().all())
        self.default_start = date(run.today.year, 1, 1)
        if "start_date" not in run.mapped:
            run.outcome.notices.append(
                "Tệp không có cột «Ngày vào làm»: người lao động mới được ghi bắt đầu làm việc "
                f"từ {self.default_start:%d/%m/%Y}."
            )

    def problems(self) -> list[str]:
        if self.run.enterprise is None and "tax_code" not in self.run.mapped:
            return ["Hãy chọn doanh nghiệp nhận danh sách (hoặc tệp cần có cột «Mã số thuế» "
                    "của từng người)."]
        return []

    def _check(self, record: Record) -> _WorkerRow | None:
        run, values = self.run, record.values
        enterprise = run.enterprise
        tax_code = values.get("tax_code")
        if tax_code:
            if enterprise is not None and tax_code != enterprise.tax_code:
                run.reject(record, f"Mã số thuế {tax_code} không phải của doanh nghiệp "
                           f"{enterprise.name} đang nhập.")
                return None
            enterprise_id = self.by_tax_code.get(tax_code)
            if enterprise_id is None:
                run.reject(record, f"Không có doanh nghiệp mã số thuế {tax_code} trong phạm vi "
                           "của bạn.")
                return None
        elif enterprise is None:
            run.reject(record, "Chưa có Mã số thuế của doanh nghiệp.")
            return None
        else:
            enterprise_id = enterprise.id
        number = values["citizen_id"]
        sex = values.get("sex")
        legacy = bool(values.get("citizen_id_legacy"))
        if sex is None:
            sex = None if legacy else check_citizen_id(number).sex
            if sex is None:
                run.reject(record, "Chưa có Giới tính.")
                return None
        try:
            family = name_case(text_value(values.get("family_name", ""), "family_name", "họ", 50))
            middle = name_case(text_value(values.get("middle_name", ""), "middle_name",
                                          "tên đệm", 80))
            given = name_case(text_value(values.get("given_name", ""), "given_name", "tên", 50,
                                         required=True))
            if " " in given:
                raise DomainError(given_name="Tên chỉ gồm một từ; phần còn lại ghi vào tên đệm.")
            data = WorkerData(
                family_name=family, middle_name=middle, given_name=given, sex=sex,
                birth_date=values["birth_date"],
                birth_year_only=bool(values.get("birth_date_year_only")),
                citizen_id=number, citizen_id_legacy=legacy, phone=values.get("phone") or "",
                union_member=bool(values.get("union_member")),
            )
            born = _check_birth(data, run.today, run.min_age)
            start = values.get("start_date") or self.default_start
            _check_start(SimpleNamespace(birth_date=born), start, run.today)
        except DomainError as error:
            run.reject(record, _messages(error))
            return None
        if run.seen(int(number), record):
            return None
        row = {
            "family_name": family, "middle_name": middle, "given_name": given,
            "sex": Sex(sex), "birth_date": born, "birth_year_only": data.birth_year_only,
            "citizen_id": number, "citizen_id_legacy": legacy,
        }
        if values.get("phone"):
            row["phone"] = values["phone"]
        if "union_member" in run.mapped:
            row["union_member"] = bool(values.get("union_member"))
        return _WorkerRow(record, row, enterprise_id, start)

    def write(self, records: list[Record]) -> None:
        run, session = self.run, self.run.session
        rows = [row for record in records if (row := self._check(record)) is not None]
        if not rows:
            return
        existing = {
            w.citizen_id: w
            for w in session.execute(
                select(Worker.id, Worker.citizen_id, Worker.family_name, Worker.middle_name,
                       Worker.given_name, Worker.full_name, Worker.sex, Worker.birth_date,
                       Worker.birth_year_only, Worker.phone, Worker.union_member,
                       Worker.current_enterprise_id, Worker.archived_at)
                .where(Worker.citizen_id.in_([r.values["citizen_id"] for r in rows]))
            )
        }
        new, changed = [], []
        for row in rows:
            number = row.values["citizen_id"]
            old = existing.get(number)
            if old is None:
                new.append(row)
                run.created(row.record)
                continue
            if old.archived_at is not None:
                run.reject(row.record, f"Hồ sơ số CCCD {number} đã lưu trữ; hãy khôi phục hồ sơ "
                           "trước khi nhập.")
                continue
            if old.current_enterprise_id != row.enterprise_id:
                run.reject(row.record, _other_enterprise(number))
                continue
            changes = self._changes(old, row.values)
            if not changes:
                run.unchanged(row.record)
                continue
            run.updated(row.record, old.full_name, [WORKER_FIELDS[k] for k in changes])
            changed.append((old, changes))
        if run.write:
            self._insert(new)
            self._update(changed)

    @staticmethod
    def _changes(old, values: dict) -> dict[str, tuple]:
        changes = {}
        for key in WORKER_FIELDS:
            if key not in values:
                continue
            before, after = getattr(old, key), values[key]
            if key == "birth_date" and values["birth_year_only"] and not old.birth_year_only \
                    and before.year == after.year:
                continue  # a year alone does not replace a known date of birth
            if before != after:
                changes[key] = (before, after)
        if "birth_date" in changes and old.birth_year_only != values["birth_year_only"]:
            changes["birth_year_only"] = (old.birth_year_only, values["birth_year_only"])
        return changes

    def _insert(self, rows: list[_WorkerRow]) -> None:
        if not rows:
            return
        session, now = self.run.session, utcnow()
        payload = []
        for row in rows:
            v = dict(row.values)
            v.setdefault("phone", "")
            v.setdefault("union_member", False)
            v["full_name"] = join_name(v["family_name"], v["middle_name"], v["given_name"])
            v["search_name"] = fold(v["full_name"])
            v["sort_key"] = person_sort_key(v["family_name"], v["middle_name"], v["given_name"])
            v["current_enterprise_id"] = row.enterprise_id
            v["created_at"] = v["updated_at"] = now
            payload.append(v)
        # executemany without RETURNING (see ParticipationWriter._store); ids read back by key.
        insert_dicts(session, Worker.__table__, payload)
        by_number = dict(session.execute(select(Worker.citizen_id, Worker.id).where(
            Worker.citizen_id.in_([v["citizen_id"] for v in payload]))).tuples().all())
        ids = [by_number[v["citizen_id"]] for v in payload]
        employments = [
            {"worker_id": worker_id, "enterprise_id": row.enterprise_id,
             "start_date": row.start, "position": "", "created_at": now}
            for worker_id, row in zip(ids, rows, strict=True)
        ]
        insert_dicts(session, Employment.__table__, employments)
        by_worker = dict(session.execute(select(Employment.worker_id, Employment.id).where(
            Employment.worker_id.in_(ids))).tuples().all())
        employment_ids = [by_worker[worker_id] for worker_id in ids]
        tokens = [
            {"token": token, "sort_key": v["sort_key"], "worker_id": worker_id}
            for worker_id, v in zip(ids, payload, strict=True)
            for token in tokens_of(v["family_name"], v["middle_name"], v["given_name"])
        ]
        insert_dicts(session, WorkerNameToken.__table__, tokens)
        skipped = {"search_name", "sort_key", "created_at", "updated_at"}
        record_bulk(session, "workers", [
            (AuditAction.CREATE, worker_id, {
                k: [None, audit_value(value)] for k, value in v.items()
                if k not in skipped and value not in (None, "")
            })
            for worker_id, v in zip(ids, payload, strict=True)
        ])
        record_bulk(session, "employments", [
            (AuditAction.CREATE, employment_id, {
                "worker_id": [None, e["worker_id"]], "enterprise_id": [None, e["enterprise_id"]],
                "start_date": [None, audit_value(e["start_date"])],
            })
            for employment_id, e in zip(employment_ids, employments, strict=True)
        ])

    def _update(self, changed: list[tuple]) -> None:
        if not changed:
            return
        session, now = self.run.session, utcnow()
        groups: dict[frozenset, list[dict]] = {}
        renamed = []
        for old, changes in changed:
            values = {"id": old.id, "updated_at": now, **{k: v[1] for k, v in changes.items()}}
            if {"family_name", "middle_name", "given_name"} & changes.keys():
                family = values.get("family_name", old.family_name)
                middle = values.get("middle_name", old.middle_name)
                given = values.get("given_name", old.given_name)
                values["full_name"] = join_name(family, middle, given)
                values["search_name"] = fold(values["full_name"])
                values["sort_key"] = person_sort_key(family, middle, given)
                renamed.append((old.id, family, middle, given, values["sort_key"]))
                if values["full_name"] != old.full_name:
                    changes["full_name"] = (old.full_name, values["full_name"])
            groups.setdefault(frozenset(values), []).append(values)
        for group in groups.values():
            session.execute(update(Worker), group)
        if renamed:
            session.execute(delete(WorkerNameToken).where(
                WorkerNameToken.worker_id.in_([r[0] for r in renamed])))
            session.execute(insert(WorkerNameToken), [
                {"token": token, "sort_key": key, "worker_id": worker_id}
                for worker_id, family, middle, given, key in renamed
                for token in tokens_of(family, middle, given)
            ])
        record_bulk(session, "workers", [
            (AuditAction.UPDATE, old.id,
             {k: [audit_value(a), audit_value(b)] for k, (a, b) in changes.items()})
            for old, changes in changed
        ])


# --- participations ----------------------------------------------------------------------------

PARTICIPATION_FIELDS = {"attended_on": "Ngày tham gia", "hours": "Số giờ",
                        "completed": "Hoàn thành"}


@dataclass(frozen=True)
class _ActivityFacts:
    """What the row checks need of an activity, read once per chunk (not per row)."""

    id: int
    title: str
    start: date
    end: date
    hours: Decimal
    limit_text: str


class ParticipationWriter(Writer):
    """Participations matched by worker (CCCD) and activity (code or exact title)."""

    tables = ("participations",)

    def __init__(self, run) -> None:
        super().__init__(run)
        self.activities: dict[object, Activity | str] = {}
        #: (activity id, hours as read) → checked hours or the reason they are refused.
        self.hours: dict[tuple, Decimal | str] = {}

    def _activity_filter(self):
        run = self.run
        condition = run.scope.activities()
        if run.enterprise is not None and run.scope.role != Role.ENTERPRISE:
            enterprise = run.enterprise
            commune_wide = Activity.enterprise_id.is_(None) & (
                Activity.commune_id == enterprise.commune_id)
            condition = condition & ((Activity.enterprise_id == enterprise.id) | commune_wide)
        return condition

    def _find_activity(self, record: Record) -> Activity | str:
        """The record's activity, or the reason none can be used."""
        values = record.values
        code, title = values.get("activity_code"), values.get("activity_title")
        if code:
            key: object = ("code", code)
            if key not in self.activities:
                activity_id = parse_activity_code(code)
                activity = None
                if activity_id is not None:
                    activity = self.run.session.scalar(select(Activity).where(
                        Activity.id == activity_id, self._activity_filter()))
                if activity is None:
                    self.activities[key] = (f"Không tìm thấy hoạt động mã «{code}» trong phạm vi "
                                            "của bạn (xem mã trong danh sách hoạt động).")
                elif activity.archived_at is not None:
                    self.activities[key] = f"Hoạt động mã «{code}» đã lưu trữ."
                else:
                    self.activities[key] = activity
            return self.activities[key]
        on = values.get("attended_on")
        key = ("title", fold(title), on)
        if key not in self.activities:
            found = list(self.run.session.scalars(select(Activity).where(
                Activity.search_title == fold(title), Activity.archived_at.is_(None),
                self._activity_filter())))
            if on is not None and len(found) > 1:
                found = [a for a in found if a.start_date <= on <= a.end_date] or found
            if not found:
                self.activities[key] = (f"Không tìm thấy hoạt động «{title}» (tên phải đúng như "
                                        "đã đăng ký, hoặc ghi Mã hoạt động).")
            elif len(found) > 1:
                self.activities[key] = (f"Có {len(found)} hoạt động tên «{title}»; hãy ghi Mã "
                                        "hoạt động để chọn đúng.")
            else:
                self.activities[key] = found[0]
        return self.activities[key]

    def write(self, records: list[Record]) -> None:
        run, session = self.run, self.run.session
        # Core statements on the session's connection: plain rows, no ORM bookkeeping.
        connection = session.connection()
        numbers = list({r.values["citizen_id"] for r in records})
        workers = {
            w.citizen_id: w for w in connection.execute(
                select(Worker.id, Worker.citizen_id, Worker.full_name,
                       Worker.current_enterprise_id)
                .where(Worker.citizen_id.in_(numbers), Worker.archived_at.is_(None)))
        }
        by_activity: dict[int, list[tuple[Record, object]]] = {}
        activities: dict[int, _ActivityFacts] = {}
        models: dict[int, Activity] = {}
        for record in records:
            activity = self._find_activity(record)
            if isinstance(activity, str):
                run.reject(record, activity)
                continue
            number = record.values["citizen_id"]
            worker = workers.get(number)
            if worker is None:
                run.reject(record, f"Không có người lao động số CCCD {number} trong hệ thống; hãy "
                           "nhập danh sách người lao động trước.")
                continue
            if activity.id not in activities:
                models[activity.id] = activity
                activities[activity.id] = _ActivityFacts(
                    activity.id, activity.title, activity.start_date, activity.end_date,
                    activity.hours, f"số giờ của hoạt động ({hours_text(activity.hours)})")
            by_activity.setdefault(activity.id, []).append((record, worker))
        if not by_activity:
            return
        existing = {(p.activity_id, p.worker_id): p
                    for p in connection.execute(_existing_participations(connection, by_activity))}
        new, changed = [], []
        for activity_id, items in by_activity.items():
            activity = activities[activity_id]
            eligible = set(connection.execute(
                eligible_workers_query(run.scope, models[activity_id]).with_only_columns(Worker.id)
                .where(Worker.id.in_([w.id for _, w in items])).order_by(None)).scalars())
            for record, worker in items:
                values = self._check(record, activity, worker, eligible)
                if values is None:
                    continue
                old = existing.get((activity.id, worker.id))
                if old is None:
                    new.append(values)
                    run.created(record)
                    continue
                if old.archived_at is not None:
                    run.reject(record, "Lượt tham gia này đã bị rút (lưu trữ); khôi phục trên "
                               "trang hoạt động nếu cần.")
                    continue
                changes = {k: (getattr(old, k), values[k]) for k in PARTICIPATION_FIELDS
                           if k in values and getattr(old, k) != values[k]}
                if not changes:
                    run.unchanged(record)
                    continue
                run.updated(record, f"{worker.full_name} – {activity.title}",
                            [PARTICIPATION_FIELDS[k] for k in changes])
                changed.append((old.id, changes))
        if run.write:
            self._store(new, changed)

    def _hours(self, value: object, activity: _ActivityFacts) -> Decimal | str:
        """The row's hours checked against the activity's, or the Vietnamese reason."""
        key = (activity.id, value)
        found = self.hours.get(key)
        if found is None:
            try:
                found = _hours(value, "hours", activity.hours, activity.limit_text)
            except DomainError as error:
                found = _messages(error)
            if len(self.hours) >= 4096:
                self.hours.clear()
            self.hours[key] = found
        return found

    def _check(self, record: Record, activity: _ActivityFacts, worker, eligible: set[int]):
        run, values = self.run, record.values
        number = worker.citizen_id
        if worker.id not in eligible:
            own = run.enterprise.id if run.enterprise is not None else (
                run.scope.enterprise_id if run.scope.role == Role.ENTERPRISE else None)
            if own is not None and worker.current_enterprise_id != own:
                run.reject(record, f"Người lao động số CCCD {number} thuộc doanh nghiệp khác.")
            else:
                run.reject(record, (
                    f"Người lao động số CCCD {number} không làm việc tại đơn vị tham gia hoạt động "
                    f"«{activity.title}» trong thời gian diễn ra hoạt động "
                    f"({activity.start:%d/%m/%Y} – {activity.end:%d/%m/%Y})."))
            return None
        full_name = values.get("full_name")
        if full_name and full_name != worker.full_name and fold(full_name) != fold(
                worker.full_name):
            run.warn(record, f"Họ tên «{full_name}» khác với hồ sơ «{worker.full_name}» của số "
                     f"CCCD {number}; đã ghi theo số CCCD.")
        on = values.get("attended_on") or activity.start
        if not activity.start <= on <= activity.end:
            run.reject(record, (
                f"Ngày tham gia {on:%d/%m/%Y} phải trong thời gian hoạt động "
                f"({activity.start:%d/%m/%Y} – {activity.end:%d/%m/%Y})."))
            return None
        hours = self._hours(values.get("hours", activity.hours), activity)
        if isinstance(hours, str):
            run.reject(record, hours)
            return None
        if run.seen(worker.id << 32 | activity.id, record):
            return None
        result = {"activity_id": activity.id, "worker_id": worker.id, "attended_on": on,
                  "hours": hours}
        if values.get("completed") is not None:
            result["completed"] = values["completed"]
        return result

    def _store(self, new: list[dict], changed: list[tuple[int, dict]]) -> None:
        session, now = self.run.session, utcnow()
        if new:
            # Ids reserved up front: no RETURNING (which SQLite runs row by row when the order
            # must be kept) and nothing read back to link the audit entries.
            ids = reserve_ids(session, Participation.__table__, len(new))
            insert_rows(session, Participation.__table__, _PARTICIPATION_COLUMNS, [
                (pid, v["activity_id"], v["worker_id"], v["attended_on"], v["hours"],
                 v.get("completed", True), "", "", now, now)
                for pid, v in zip(ids, new, strict=True)
            ])
            # The audit changes written straight as JSON text, as json.dumps gives them.
            hours = {h: json.dumps(audit_value(h)) for h in {v["hours"] for v in new}}
            record_bulk(session, "participations", [
                (AuditAction.CREATE, pid, JsonText(
                    f'{{"activity_id": [null, {v["activity_id"]}], "worker_id": [null, '
                    f'{v["worker_id"]}], "attended_on": [null, "{v["attended_on"].isoformat()}"], '
                    f'"hours": [null, {hours[v["hours"]]}], "completed": [null, '
                    f'{"true" if v.get("completed", True) else "false"}]}}'))
                for pid, v in zip(ids, new, strict=True)
            ])
        if changed:
            groups: dict[frozenset, list[dict]] = {}
            for pid, changes in changed:
                values = {"id": pid, "updated_at": now, **{k: v[1] for k, v in changes.items()}}
                groups.setdefault(frozenset(values), []).append(values)
            for group in groups.values():
                session.execute(update(Participation), group)
            record_bulk(session, "participations", [
                (AuditAction.UPDATE, pid,
                 {k: [audit_value(a), audit_value(b)] for k, (a, b) in changes.items()})
                for pid, changes in changed
            ])


def _existing_participations(connection, by_activity: dict[int, list[tuple[Record, object]]]):
    """The statement finding the participations of a chunk's (activity, worker) pairs.

    PostgreSQL gets the pairs as two arrays and looks each one up in the unique index (a
    LATERAL join): its planner, going by statistics taken before a big import began, would
    otherwise scan every participation of the chunk's activities, the rows this import has
    just added included, once per chunk.
    """
    columns = (Participation.id, Participation.activity_id, Participation.worker_id,
               Participation.attended_on, Participation.hours, Participation.completed,
               Participation.archived_at)
    if connection.dialect.name != "postgresql":
        worker_ids = list({w.id for items in by_activity.values() for _, w in items})
        return select(*columns).where(Participation.activity_id.in_(list(by_activity)),
                                      Participation.worker_id.in_(worker_ids))
    pairs = {(activity_id, w.id) for activity_id, items in by_activity.items() for _, w in items}
    keys = func.unnest(
        bindparam("activities", [a for a, _ in pairs], type_=ARRAY(Integer)),
        bindparam("workers", [w for _, w in pairs], type_=ARRAY(Integer)),
    ).table_valued("activity_id", "worker_id").render_derived()
    found = select(*columns).where(Participation.activity_id == keys.c.activity_id,
                                   Participation.worker_id == keys.c.worker_id).lateral()
    return select(*found.c).select_from(keys).join(found, true())


_PARTICIPATION_COLUMNS = ("id", "activity_id", "worker_id", "attended_on", "hours", "completed",
                          "result", "note", "created_at", "updated_at")


# --- activities --------------------------------------------------------------------------------

_AREA_BY_LETTER = {area.letter: area for area in Area}
#: Words of the «Hình thức» column, folded, and the form they mean (first match wins).
_FORM_WORDS = (
    ("truc tuyen", ActivityForm.ONLINE), ("online", ActivityForm.ONLINE),
    ("hoi thi", ActivityForm.COMPETITION), ("cuoc thi", ActivityForm.COMPETITION),
    ("doc sach", ActivityForm.READING), ("tim hieu", ActivityForm.READING),
    ("tuan le", ActivityForm.EVENT), ("su kien", ActivityForm.EVENT),
    ("hoi thao", ActivityForm.SEMINAR), ("tuyen truyen", ActivityForm.SEMINAR),
    ("sinh hoat", ActivityForm.SEMINAR), ("toa dam", ActivityForm.SEMINAR),
    ("noi chuyen", ActivityForm.SEMINAR), ("pho bien", ActivityForm.SEMINAR),
    ("lop", ActivityForm.COURSE), ("khoa", ActivityForm.COURSE), ("dao tao", ActivityForm.COURSE),
    ("tap huan", ActivityForm.COURSE), ("boi duong", ActivityForm.COURSE),
)
_ORGANISER_WORDS = (
    ("cong doan", OrganiserKind.UNION), ("ldld", OrganiserKind.UNION),
    ("lien doan", OrganiserKind.UNION), ("ubnd", OrganiserKind.COMMUNE),
    ("uy ban", OrganiserKind.COMMUNE), ("truong", OrganiserKind.SCHOOL),
    ("trung tam", OrganiserKind.SCHOOL), ("cong ty", OrganiserKind.ENTERPRISE),
    ("doanh nghiep", OrganiserKind.ENTERPRISE), ("nha may", OrganiserKind.ENTERPRISE),
)
ACTIVITY_FIELDS = {
    "title": "Tên hoạt động", "area": "Lĩnh vực", "form": "Hình thức",
    "organiser": "Đơn vị tổ chức",
    "organiser_kind": "Loại đơn vị tổ chức", "start_date": "Ngày bắt đầu",
    "end_date": "Ngày kết thúc", "hours": "Số giờ", "location": "Địa điểm",
}


def _form_of(text: str | None, title: str) -> ActivityForm | None:
    for source in (text, title):
        key = fold(source or "")
        for word, form in _FORM_WORDS:
            if re.search(rf"\b{word}\b", key):
                return form
        if text:
            return None
    return ActivityForm.SEMINAR


class ActivityWriter(Writer):
    """Activities matched by code («HĐ-12»), else by title, start date and enterprise."""

    tables = ("activities",)

    def problems(self) -> list[str]:
        run = self.run
        if run.enterprise is None and run.scope.role == Role.ADMIN:
            return ["Hãy chọn doanh nghiệp tổ chức các hoạt động (quản trị hệ thống không có xã "
                    "riêng cho hoạt động chung)."]
        return []

    def write(self, records: list[Record]) -> None:
        for record in records:
            self._one(record)

    def _one(self, record: Record) -> None:
        run, session, values = self.run, self.run.session, record.values
        enterprise = run.enterprise
        title = values["title"]
        form = _form_of(values.get("form"), title)
        if form is None:
            choices = "; ".join(f.label for f in ActivityForm)
            run.reject(record, f"Hình thức «{values['form']}» không rõ; ghi một trong: {choices}.")
            return
        organiser = values.get("organiser") or (enterprise.name if enterprise else
                                                "Công đoàn xã, phường")
        kind = next((k for word, k in _ORGANISER_WORDS if word in fold(organiser)),
                    OrganiserKind.ENTERPRISE if enterprise else OrganiserKind.UNION)
        start = values["start_date"]
        end = values.get("end_date") or start
        if "hours" not in values:
            run.reject(record, "Chưa có Số giờ của hoạt động.")
            return
        data = ActivityData(
            title=title, area=_AREA_BY_LETTER[values["area"]].value, form=form.value,
            organiser_kind=kind.value, organiser=organiser,
            commune_id=enterprise.commune_id if enterprise else run.scope.commune_id,
            enterprise_id=enterprise.id if enterprise else None,
            start_date=start, end_date=end, hours=values["hours"],
            location=values.get("location") or "",
        )
        enterprise_id = enterprise.id if enterprise else None
        existing = self._existing(record, values.get("code"), title, start, enterprise_id)
        if isinstance(existing, str):
            run.reject(record, existing)
            return
        key = existing.id if values.get("code") else (fold(title), start, enterprise_id)
        if run.seen(("activity", key), record):
            return
        before = self._snapshot(existing) if existing else None
        savepoint = session.begin_nested()
        try:
            activity = save_activity(session, run.scope, data, existing)
        except DomainError as error:
            savepoint.rollback()
            run.reject(record, _messages(error))
            return
        after = self._snapshot(activity)
        if before is None:
            run.created(record)
        else:
            changed = [ACTIVITY_FIELDS[k] for k in ACTIVITY_FIELDS if before[k] != after[k]]
            if changed:
                run.updated(record, f"{activity_code(activity.id)} {activity.title}", changed)
            else:
                run.unchanged(record)
        savepoint.commit()

    def _existing(self, record: Record, code: str | None, title: str, start: date,
                  enterprise_id: int | None) -> Activity | str | None:
        session, scope = self.run.session, self.run.scope
        if code:
            activity_id = parse_activity_code(code)
            activity = session.scalar(select(Activity).where(
                Activity.id == activity_id, scope.activities())) if activity_id else None
            if activity is None:
                return (f"Không có hoạt động mã «{code}» trong phạm vi của bạn; để trống cột Mã "
                        "hoạt động khi thêm hoạt động mới.")
            if not scope.can_edit_activity(activity):
                return f"Bạn không được sửa hoạt động mã «{code}»."
            if activity.archived_at is not None:
                return f"Hoạt động mã «{code}» đã lưu trữ."
            return activity
        return session.scalar(select(Activity).where(
            Activity.search_title == fold(title), Activity.start_date == start,
            Activity.enterprise_id.is_(None) if enterprise_id is None
            else Activity.enterprise_id == enterprise_id,
            Activity.archived_at.is_(None), scope.activities(),
        ).limit(1))

    @staticmethod
    def _snapshot(activity: Activity) -> dict:
        return {k: getattr(activity, k) if k != "hours" else Decimal(activity.hours)
                for k in ACTIVITY_FIELDS}


register_writer("workers", WorkerWriter)
register_writer("participations", ParticipationWriter)
register_writer("activities", ActivityWriter)

"""Rules for workers: identity checks, one record per person, employment history, archiving."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, exists, false, func, select
from sqlalchemy.orm import Session, aliased

from registry.assessment.models import Assessment, AssessmentStatus
from registry.assessment.services import assessments_in_scope
from registry.auth.scope import Scope
from registry.db import table_of, utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.recognition.models import Certificate, CertificateStatus, Decision, DecisionEntry
from registry.recognition.services import decisions_filter, entries_filter
from registry.text import clean, fold, name_case
from registry.validation import text_value
from registry.workers.cccd import CitizenIdError, check_citizen_id, normalise_citizen_id
from registry.workers.models import PHRASE, Employment, Sex, Worker, WorkerNameToken

PHONE = re.compile(r"0\d{9,10}")
OLDEST_BIRTH_YEAR = 1920


@dataclass
class WorkerData:
    """A worker's personal details as entered."""

    family_name: str
    middle_name: str
    given_name: str
    sex: str
    birth_date: date
    citizen_id: str
    birth_year_only: bool = False
    citizen_id_legacy: bool = False
    phone: str = ""
    union_member: bool = False


@dataclass
class EmploymentData:
    """Where and since when a worker works."""

    enterprise_id: int
    start_date: date
    position: str = ""


def normalise_phone(raw: object) -> str:
    """A Vietnamese phone number as 0xxxxxxxxx; '' when empty."""
    text = re.sub(r"[\s.\-()]", "", clean(raw))
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    elif text.isdigit() and len(text) == 9:
        text = "0" + text
    if not PHONE.fullmatch(text):
        raise DomainError(phone="Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
    return text


def _check_birth(data: WorkerData, today: date, min_age: int) -> date:
    born = date(data.birth_date.year, 1, 1) if data.birth_year_only else data.birth_date
    if born > today:
        raise DomainError(birth_date="Ngày sinh không được ở tương lai.")
    if born.year < OLDEST_BIRTH_YEAR:
        raise DomainError(birth_date=f"Năm sinh phải từ {OLDEST_BIRTH_YEAR} trở về sau.")
    age = today.year - born.year
    if not data.birth_year_only and (today.month, today.day) < (born.month, born.day):
        age -= 1
    if age < min_age:
        raise DomainError(
            birth_date=f"Người lao động phải từ đủ {min_age} tuổi (theo ngày sinh là {age} tuổi)."
        )
    return born


def _apply_identity(
    session: Session, worker: Worker, data: WorkerData, today: date, min_age: int
) -> None:
    """Check and copy personal details onto worker (new or existing)."""
    family = name_case(text_value(data.family_name, "family_name", "họ", 50))
    middle = name_case(text_value(data.middle_name, "middle_name", "tên đệm", 80))
    given = name_case(text_value(data.given_name, "given_name", "tên", 50, required=True))
    if " " in given:
        raise DomainError(given_name="Tên chỉ gồm một từ; phần còn lại ghi vào tên đệm.")
    try:
        sex = Sex(data.sex)
    except ValueError as exc:
        raise DomainError(sex="Hãy chọn giới tính Nam hoặc Nữ.") from exc
    born = _check_birth(data, today, min_age)
    try:
        checked = check_citizen_id(
            data.citizen_id, born.year, sex, allow_legacy=data.citizen_id_legacy
        )
    except CitizenIdError as exc:
        raise DomainError(citizen_id=str(exc)) from exc
    clash = session.scalar(
        select(Worker.id).where(
            Worker.citizen_id == checked.number, Worker.id != (worker.id or -1)
        )
    )
    if clash is not None:
        raise DomainError(
            citizen_id=f"Số CCCD {checked.number} đã có hồ sơ người lao động trong hệ thống. "
            "Nếu người này chuyển đến doanh nghiệp của bạn, hãy dùng «Tiếp nhận người lao động»."
        )
    phone = normalise_phone(data.phone)
    worker.set_name(family, middle, given)
    worker.sex = sex
    worker.birth_date = born
    worker.birth_year_only = data.birth_year_only
    worker.citizen_id = checked.number
    worker.citizen_id_legacy = checked.legacy
    worker.phone = phone
    worker.union_member = data.union_member


def _enterprise_for_hiring(session: Session, scope: Scope, enterprise_id: int) -> Enterprise:
    enterprise = session.scalar(
        select(Enterprise).where(
            Enterprise.id == enterprise_id,
            scope.enterprises(),
            Enterprise.archived_at.is_(None),
        )
    )
    if enterprise is None or scope.read_only:
        raise DomainError(enterprise_id="Hãy chọn doanh nghiệp trong phạm vi quản lý của bạn.")
    return enterprise


def create_worker(
    session: Session,
    scope: Scope,
    data: WorkerData,
    employment: EmploymentData,
    today: date,
    min_age: int = 15,
) -> Worker:
    """Register a new worker with their first employment period."""
    enterprise = _enterprise_for_hiring(session, scope, employment.enterprise_id)
    position = text_value(employment.position, "position", "vị trí việc làm", 120)
    worker = Worker()
    _apply_identity(session, worker, data, today, min_age)
    _check_start(worker, employment.start_date, today)
    session.add(worker)
    worker.current_enterprise_id = enterprise.id
    session.flush()
    session.add(
        Employment(
            worker_id=worker.id,
            enterprise_id=enterprise.id,
            start_date=employment.start_date,
            position=position,
        )
    )
    session.flush()
    return worker


def update_worker(
    session: Session, worker: Worker, data: WorkerData, today: date, min_age: int = 15
) -> None:
    """Correct a worker's personal details."""
    if worker.archived_at is not None:
        raise DomainError("Hồ sơ này đã lưu trữ; hãy khôi phục trước khi sửa.")
    _apply_identity(session, worker, data, today, min_age)
    session.flush()


def _check_start(worker: Worker, start: date, today: date) -> None:
    if start > today + timedelta(days=31):
        raise DomainError(start_date="Ngày bắt đầu làm việc không được quá 1 tháng sau hôm nay.")
    if worker.birth_date and start.year - worker.birth_date.year < 15:
        raise DomainError(
            start_date="Ngày bắt đầu làm việc phải sau khi người lao động đủ 15 tuổi."
        )


def open_employment(worker: Worker) -> Employment | None:
    """The employment period that has not ended, if any."""
    return next((e for e in worker.employments if e.end_date is None), None)


def _employments() -> Select:
    m, e = table_of(Employment), table_of(Enterprise)
    return (
        select(e.c.name, m.c.position, m.c.start_date, m.c.end_date)
        .select_from(m)
        .join(e, e.c.id == m.c.enterprise_id)
        .where(m.c.worker_id == bindparam("worker_id"))
        .order_by(m.c.start_date.desc(), m.c.id.desc())
    )


_EMPLOYMENTS = _employments()


@lru_cache(maxsize=1024)
def _worker_in_scope(scope: Scope) -> Select:
    return select(Worker).where(Worker.id == bindparam("worker_id"), scope.workers())


def worker_in_scope(session: Session, scope: Scope, worker_id: int) -> Worker | None:
    """The worker with this id if the scope may see them (one statement built per scope)."""
    return session.scalar(_worker_in_scope(scope), {"worker_id": worker_id})


class TitleYear(NamedTuple):
    """One year of a worker's "Công dân học tập" history as their page shows it."""

    year: int
    assessment_id: int | None
    status: AssessmentStatus | None
    certificate_id: int | None
    serial: str | None
    certificate_status: CertificateStatus | None


@lru_cache(maxsize=1024)
def _title_statements(scope: Scope) -> tuple[Select, Select]:
    assessments = (
        select(Assessment.year, Assessment.id, Assessment.status)
        .where(Assessment.worker_id == bindparam("worker_id"), assessments_in_scope(scope))
    )
    certificates = (
        select(Decision.year, Certificate.id, Certificate.serial, Certificate.status)
        .join(Decision, Decision.id == Certificate.decision_id)
        .join(DecisionEntry, DecisionEntry.id == Certificate.entry_id)
        .where(
            Certificate.worker_id == bindparam("worker_id"),
            decisions_filter(scope),
            entries_filter(scope),
        )
        .order_by(Certificate.id)
    )
    return assessments, certificates


def learning_citizen_years(session: Session, scope: Scope, worker_id: int) -> list[TitleYear]:
    """Each year the worker was assessed or recognised, newest first, as far as scope sees:
    the year's assessment and the latest certificate of that year (a re-issue replaces one)."""
    assessments, certificates = _title_statements(scope)
    params = {"worker_id": worker_id}
    assessed = {year: (id_, status) for year, id_, status in session.execute(assessments, params)}
    certified = {year: (id_, serial, status)
                 for year, id_, serial, status in session.execute(certificates, params)}
    return [
        TitleYear(year, *assessed.get(year, (None, None)), *certified.get(year, (None,) * 3))
        for year in sorted(assessed.keys() | certified.keys(), reverse=True)
    ]


def employment_history(session: Session, worker_id: int) -> list:
    """A worker's employment periods, latest first: enterprise name, position, start, end."""
    return session.execute(_EMPLOYMENTS, {"worker_id": worker_id}).all()


def end_employment(session: Session, worker: Worker, end_date: date) -> Employment:
    """Close the worker's current employment (they left the enterprise)."""
    current = open_employment(worker)
    if current is None:
        raise DomainError(end_date="Người lao động không có quá trình làm việc đang mở.")
    if end_date < current.start_date:
        raise DomainError(
            end_date=f"Ngày nghỉ việc phải từ ngày bắt đầu {current.start_date:%d/%m/%Y} trở đi."
        )
    current.end_date = end_date
    worker.current_enterprise_id = None
    session.flush()
    return current


def transfer_worker(
    session: Session, scope: Scope, worker: Worker, employment: EmploymentData, today: date
) -> Employment:
    """Start a new employment; the open one, if any, ends the day before."""
    enterprise = _enterprise_for_hiring(session, scope, employment.enterprise_id)
    if worker.archived_at is not None:
        raise DomainError("Hồ sơ này đã lưu trữ; hãy khôi phục trước.")
    _check_start(worker, employment.start_date, today)
    position = text_value(employment.position, "position", "vị trí việc làm", 120)
    last = max((e.end_date or e.start_date for e in worker.employments), default=None)
    current = open_employment(worker)
    if current is not None:
        if current.enterprise_id == enterprise.id:
            raise DomainError(enterprise_id="Người lao động đang làm việc tại doanh nghiệp này.")
        if employment.start_date <= current.start_date:
            raise DomainError(
                start_date="Ngày bắt đầu mới phải sau ngày bắt đầu của quá trình đang mở "
                f"({current.start_date:%d/%m/%Y})."
            )
        current.end_date = employment.start_date - timedelta(days=1)
    elif last is not None and employment.start_date <= last:
        raise DomainError(
            start_date=f"Ngày bắt đầu phải sau ngày kết thúc quá trình trước ({last:%d/%m/%Y})."
        )
    new = Employment(
        worker_id=worker.id,
        enterprise_id=enterprise.id,
        start_date=employment.start_date,
        position=position,
    )
    session.add(new)
    worker.current_enterprise_id = enterprise.id
    session.flush()
    session.refresh(worker, ["employments"])
    return new


def receive_worker(
    session: Session,
    scope: Scope,
    citizen_id: str,
    birth_year: int,
    employment: EmploymentData,
    today: date,
) -> Worker:
    """Take over an existing worker's record into an enterprise in scope.

    The birth year must match the record: knowing a CCCD alone does not reveal a person.
    """
    try:
        number = normalise_citizen_id(citizen_id)
    except CitizenIdError as exc:
        raise DomainError(citizen_id=str(exc)) from exc
    worker = session.scalar(
        select(Worker).where(Worker.citizen_id == number, Worker.archived_at.is_(None))
    )
    if worker is None or worker.birth_date.year != birth_year:
        raise DomainError(
            citizen_id="Không tìm thấy hồ sơ có số CCCD và năm sinh này. Nếu là người mới, "
            "hãy dùng «Thêm người lao động»."
        )
    transfer_worker(session, scope, worker, employment, today)
    return worker


def archive_worker(session: Session, worker: Worker) -> None:
    """Archive a record (entered by mistake, or the person left the programme for good)."""
    if worker.archived_at is not None:
        raise DomainError("Hồ sơ này đã được lưu trữ.")
    worker.archived_at = utcnow()
    session.flush()


def restore_worker(session: Session, worker: Worker) -> None:
    """Bring an archived record back."""
    worker.archived_at = None
    session.flush()


#: Searches whose driving word has at most this many workers are counted exactly.
COUNT_LIMIT = 1_000
#: A word that is the start of other words is sorted in memory up to this many workers;
#: beyond, the list is walked in name order instead.
PREFIX_SORT_LIMIT = 20_000


def workers_query(
    scope: Scope,
    enterprise_id: int | None = None,
    status: str = "current",
) -> Select:
    """Workers in scope in Vietnamese name order; status "current", "former" or "archived"."""
    stmt = select(Worker)
    if status == "archived":
        stmt = stmt.where(Worker.archived_at.is_not(None), scope.workers())
    elif status == "former":
        stmt = stmt.where(
            Worker.archived_at.is_(None), Worker.current_enterprise_id.is_(None), scope.workers()
        )
    else:
        stmt = stmt.where(Worker.archived_at.is_(None), scope.current_workers())
    if enterprise_id:
        stmt = stmt.where(Worker.current_enterprise_id == enterprise_id)
    return stmt.order_by(Worker.sort_key, Worker.id)


def _token_match(token: str, prefix: bool, table=WorkerNameToken):
    """Tokens equal to token, or starting with it (a range on the primary key, not a LIKE)."""
    if prefix:
        return and_(table.token >= token, table.token < token + "\U0010ffff")
    return table.token == token


def _frequency_stmt(prefix: bool) -> Select:
    tokens = table_of(WorkerNameToken).c
    token = bindparam("token")
    match = (
        and_(tokens.token >= token, tokens.token < bindparam("token_end"))
        if prefix else tokens.token == token
    )
    return select(func.count()).select_from(
        select(tokens.worker_id).where(match).limit(bindparam("cap")).subquery()
    )


#: Prebuilt (searches ask up to four times per page): exact token, and token prefix.
_FREQUENCY = {False: _frequency_stmt(False), True: _frequency_stmt(True)}


def _frequency(session: Session, token: str, prefix: bool, cap: int) -> int:
    """How many tokens match, counted up to cap + 1."""
    return session.scalar(
        _FREQUENCY[prefix], {"token": token, "token_end": token + "\U0010ffff", "cap": cap + 1}
    )


@dataclass
class SearchPlan:
    """A worker query narrowed by a search, and whether counting its matches is cheap."""

    stmt: Select
    countable: bool


def _driven(stmt: Select, token: str, prefix: bool, frequency: int) -> SearchPlan:
    """stmt restricted to the workers of one token, in name order from the token index.

    An exact token is read in order straight from the primary key; a prefix spans several
    tokens, so its (few) workers are de-duplicated and sorted.
    """
    if prefix:
        found = (
            select(WorkerNameToken.worker_id, WorkerNameToken.sort_key)
            .where(_token_match(token, True))
            .distinct()
            .subquery("found")
        )
        stmt = stmt.join(found, found.c.worker_id == Worker.id)
        order = (found.c.sort_key, found.c.worker_id)
    else:
        found = aliased(WorkerNameToken, name="found")
        stmt = stmt.join(found, found.worker_id == Worker.id).where(found.token == token)
        order = (found.sort_key, found.worker_id)
    return SearchPlan(stmt.order_by(None).order_by(*order), countable=frequency <= COUNT_LIMIT)


def search_plan(
    session: Session, stmt: Select, query: str, by_citizen_id: bool = True
) -> SearchPlan:
    """Narrow a worker query (in name order) by an accent-insensitive search.

    Digits match the start of the CCCD, unless by_citizen_id is off: a viewer who may not see
    CCCDs could otherwise find them out digit by digit, so for them digits match nothing.
    Words typed as officers do — a full name, family and given name, or the last middle and
    the given name — are looked up as one phrase token, read in name order from the index.
    Otherwise each word must be a word of the name (a word that is none matches the start of
    one) and the rarest word drives, the others being checked per candidate.
    """
    term = fold(query)
    digits = term.replace(" ", "")
    if digits.isdigit():
        if not by_citizen_id:
            return SearchPlan(stmt.where(false()), countable=True)
        return SearchPlan(stmt.where(Worker.citizen_id.startswith(digits)), countable=True)
    words = list(dict.fromkeys(term.split()))
    if not words:
        return SearchPlan(stmt, countable=True)
    if len(words) > 1:
        # As typed, or with the given name typed first ("hang nguyen thi").
        for order in (words, [*words[1:], words[0]]):
            phrase = PHRASE + " ".join(order)
            frequency = _frequency(session, phrase, False, PREFIX_SORT_LIMIT)
            if frequency:
                return _driven(stmt, phrase, False, frequency)
        phrase = PHRASE + " ".join(words)
        frequency = _frequency(session, phrase, True, PREFIX_SORT_LIMIT)
        if 0 < frequency <= PREFIX_SORT_LIMIT:
            return _driven(stmt, phrase, True, frequency)
    matches = {}
    for word in words:
        exact = _frequency(session, word, False, PREFIX_SORT_LIMIT)
        matches[word] = (
            (False, exact) if exact else (True, _frequency(session, word, True, PREFIX_SORT_LIMIT))
        )
    # The rarest word drives; among words too common to tell apart, the last one (officers
    # type the given name last, and given names cluster in list order).
    driver = min(reversed(words), key=lambda w: matches[w][1])
    for word in words:
        if word != driver:
            prefix = matches[word][0]
            stmt = stmt.where(
                exists().where(WorkerNameToken.worker_id == Worker.id, _token_match(word, prefix))
            )
    prefix, frequency = matches[driver]
    if prefix and frequency > PREFIX_SORT_LIMIT:
        # A short, common prefix ("ng"): walk the list in name order instead of sorting.
        stmt = stmt.where(
            exists().where(WorkerNameToken.worker_id == Worker.id, _token_match(driver, True))
        )
        return SearchPlan(stmt, countable=False)
    return _driven(stmt, driver, prefix, frequency)


def filter_by_name(
    session: Session, stmt: Select, query: str, by_citizen_id: bool = True
) -> Select:
    """Narrow a worker query by a search (see search_plan)."""
    return search_plan(session, stmt, query, by_citizen_id).stmt


def list_rows(stmt: Select) -> Select:
    """A worker query reduced to the columns a list shows, with the enterprise's name.

    Plain rows instead of Worker objects: a page of a million-worker list costs the rows it
    shows, not the building of ORM objects.
    """
    return stmt.with_only_columns(
        Worker.id,
        Worker.full_name,
        Worker.sex,
        Worker.birth_date,
        Worker.citizen_id,
        Worker.citizen_id_legacy,
        Worker.union_member,
        Enterprise.name.label("enterprise_name"),
    ).outerjoin(Enterprise, Enterprise.id == Worker.current_enterprise_id)


def count_current(session: Session, scope: Scope) -> int:
    """How many non-archived workers in scope are employed now."""
    return session.scalar(
        select(func.count()).select_from(Worker).where(
            Worker.archived_at.is_(None), scope.current_workers()
        )
    )

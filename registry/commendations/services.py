"""Rules of commendation rounds: enterprises propose, the commune approves; suggestions drawn
from titles, hours and competition results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import Session

from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
    RoundStatus,
)
from registry.db import utcnow
from registry.errors import DomainError
from registry.learning.models import Activity, ActivityForm, Participation
from registry.recognition.services import recognised_worker_ids
from registry.reports.services import prize_rank
from registry.text import clean
from registry.units.models import Commune
from registry.validation import text_value
from registry.workers.models import Worker

#: Largest award accepted for one person (to catch a typing slip of extra zeros).
MAX_AMOUNT = 100_000_000


# --- who may do what -------------------------------------------------------------------------


def can_manage(scope: Scope) -> bool:
    """Commune officers (and admins) create rounds and decide on entries."""
    return scope.role in (Role.ADMIN, Role.COMMUNE)


def can_propose(scope: Scope) -> bool:
    """Enterprise and commune officers propose entries."""
    return scope.role in (Role.ADMIN, Role.COMMUNE, Role.ENTERPRISE)


def rounds_visible(scope: Scope) -> ColumnElement[bool]:
    """Filter on CommendationRound: rounds of the user's communes."""
    if scope.role == Role.ADMIN:
        return true()
    return CommendationRound.commune_id.in_(select(Commune.id).where(scope.communes()))


def entries_visible(scope: Scope) -> ColumnElement[bool]:
    """Filter on CommendationEntry: an enterprise officer sees their enterprise's entries; a
    provincial viewer sees no child (personal data) entries."""
    if scope.role == Role.ENTERPRISE:
        return CommendationEntry.enterprise_id == scope.enterprise_id
    if scope.role == Role.PROVINCE:
        return CommendationEntry.kind == EntryKind.WORKER
    return true()


# --- rounds ----------------------------------------------------------------------------------


@dataclass
class RoundData:
    """A round as entered."""

    title: str
    year: int | None
    issuing_body: str
    decision_number: str = ""
    decision_date: date | None = None
    signer_name: str = ""
    signer_title: str = ""
    commune_id: int | None = None


def save_round(session: Session, scope: Scope, data: RoundData,
               round_: CommendationRound | None = None) -> CommendationRound:
    """Create or update a round's heading."""
    if not can_manage(scope):
        raise DomainError("Chỉ cán bộ xã lập danh sách biểu dương.")
    title = text_value(data.title, "title", "tên đợt biểu dương", 255, required=True)
    issuing_body = text_value(data.issuing_body, "issuing_body", "cơ quan ban hành", 255,
                              required=True)
    if data.year is None or not 2000 <= data.year <= 2100:
        raise DomainError(year="Năm phải từ 2000 đến 2100.")
    number = text_value(data.decision_number, "decision_number", "số quyết định", 50)
    if data.decision_date and data.decision_date.year < data.year:
        raise DomainError(decision_date=f"Ngày quyết định phải từ năm {data.year} trở đi.")
    if round_ is None:
        commune_id = scope.commune_id if scope.role == Role.COMMUNE else data.commune_id
        if not session.scalar(select(Commune.id).where(Commune.id == (commune_id or 0),
                                                       Commune.is_served)):
            raise DomainError(commune_id="Hãy chọn xã, phường.")
        round_ = CommendationRound(commune_id=commune_id)
        session.add(round_)
    round_.title, round_.year, round_.issuing_body = title, data.year, issuing_body
    round_.decision_number, round_.decision_date = number, data.decision_date
    round_.signer_name = text_value(data.signer_name, "signer_name", "người ký", 120)
    round_.signer_title = text_value(data.signer_title, "signer_title", "chức vụ người ký", 120)
    session.flush()
    return round_


def approve_round(session: Session, scope: Scope, round_: CommendationRound) -> None:
    """Close a round once every entry is decided and the decision is numbered and dated."""
    if not can_manage(scope):
        raise DomainError("Chỉ cán bộ xã phê duyệt danh sách.")
    pending = session.scalar(select(func.count()).select_from(CommendationEntry).where(
        CommendationEntry.round_id == round_.id, CommendationEntry.archived_at.is_(None),
        CommendationEntry.status == EntryStatus.PROPOSED))
    if pending:
        raise DomainError(f"Còn {pending} đề nghị chưa được xét duyệt.")
    if not round_.decision_number or round_.decision_date is None:
        raise DomainError("Hãy nhập số và ngày của quyết định trước khi phê duyệt danh sách.")
    round_.status = RoundStatus.APPROVED
    session.flush()


# --- entries ---------------------------------------------------------------------------------


@dataclass
class EntryData:
    """An entry as proposed."""

    kind: str
    worker_ref: str  #: the worker's (or parent's) registry number or citizen ID
    reason: str
    child_name: str = ""
    child_birth_year: int | None = None
    achievement: str = ""
    amount: int | None = None


def _worker(session: Session, scope: Scope, ref: str, kind: EntryKind) -> Worker:
    ref = clean(ref)
    who = "cha hoặc mẹ của cháu (người lao động)" if kind == EntryKind.CHILD else \
        "người lao động"
    if not ref:
        raise DomainError(worker_ref=f"Chưa chọn {who}.")
    condition = Worker.citizen_id == ref if len(ref) in (9, 12) else (
        Worker.id == int(ref) if ref.isdigit() else None)
    if condition is None:
        raise DomainError(worker_ref="Nhập mã người lao động hoặc số CCCD.")
    worker = session.scalar(select(Worker).where(condition, Worker.archived_at.is_(None),
                                                 scope.current_workers()))
    if worker is None:
        raise DomainError(worker_ref=f"Không tìm thấy {who} «{ref}» đang làm việc trong phạm vi "
                          "của bạn.")
    return worker


def propose_entry(session: Session, scope: Scope, round_: CommendationRound,
                  data: EntryData, proposer_id: int | None = None) -> CommendationEntry:
    """Add a worker or a child of a worker to an open round (approved at once when the
    commune enters it)."""
    if not can_propose(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    if round_.status != RoundStatus.OPEN or round_.archived_at is not None:
        raise DomainError("Danh sách đã phê duyệt, không nhận thêm đề nghị.")
    try:
        kind = EntryKind(data.kind)
    except ValueError as exc:
        raise DomainError(kind="Hãy chọn đối tượng biểu dương.") from exc
    worker = _worker(session, scope, data.worker_ref, kind)
    reason = text_value(data.reason, "reason", "thành tích, lý do biểu dương", 500,
                        required=True)
    child_name, child_year, achievement = "", None, ""
    if kind == EntryKind.CHILD:
        child_name = text_value(data.child_name, "child_name", "họ và tên của cháu", 200,
                                required=True)
        child_year = data.child_birth_year
        if child_year is None or not worker.birth_year + 12 <= child_year <= round_.year:
            raise DomainError(child_birth_year=(
                f"Năm sinh của cháu phải từ {worker.birth_year + 12} (cha, mẹ sinh năm "
                f"{worker.birth_year}) đến {round_.year}."))
        achievement = text_value(data.achievement, "achievement",
                                 "trường đỗ vào hoặc thành tích", 255, required=True)
    amount = data.amount
    if amount is not None:
        if amount < 0:
            raise DomainError(amount="Số tiền thưởng không được âm.")
        if amount > MAX_AMOUNT:
            raise DomainError(amount="Số tiền thưởng vượt quá 100.000.000 đồng: hãy kiểm tra.")
    duplicate = session.scalar(select(CommendationEntry.id).where(
        CommendationEntry.round_id == round_.id, CommendationEntry.kind == kind,
        CommendationEntry.worker_id == worker.id, CommendationEntry.child_name == child_name,
        CommendationEntry.archived_at.is_(None)))
    if duplicate:
        who = f"Cháu {child_name}" if child_name else worker.full_name
        raise DomainError(f"{who} đã có trong danh sách này.")
    entry = session.scalar(select(CommendationEntry).where(
        CommendationEntry.round_id == round_.id, CommendationEntry.kind == kind,
        CommendationEntry.worker_id == worker.id, CommendationEntry.child_name == child_name))
    if entry is None:  # a withdrawn entry proposed again comes back
        entry = CommendationEntry(round_id=round_.id, kind=kind, worker_id=worker.id,
                                  child_name=child_name)
        session.add(entry)
    entry.archived_at = None
    entry.enterprise_id = worker.current_enterprise_id
    entry.reason, entry.child_birth_year, entry.achievement = reason, child_year, achievement
    entry.amount = amount
    entry.status = EntryStatus.APPROVED if can_manage(scope) else EntryStatus.PROPOSED
    entry.proposed_by_id = proposer_id
    session.flush()
    return entry


def decide_entry(session: Session, scope: Scope, entry: CommendationEntry,
                 approve: bool) -> None:
    """The commune approves or rejects a proposal."""
    if not can_manage(scope):
        raise DomainError("Chỉ cán bộ xã xét duyệt đề nghị.")
    if entry.round.status != RoundStatus.OPEN:
        raise DomainError("Danh sách đã phê duyệt, không thay đổi được.")
    entry.status = EntryStatus.APPROVED if approve else EntryStatus.REJECTED
    session.flush()


def withdraw_entry(session: Session, scope: Scope, entry: CommendationEntry) -> None:
    """Take an entry off an open round (kept, archived)."""
    if entry.round.status != RoundStatus.OPEN:
        raise DomainError("Danh sách đã phê duyệt, không rút được.")
    if scope.role == Role.ENTERPRISE and entry.status != EntryStatus.PROPOSED:
        raise DomainError("Đề nghị đã được xã xét, không rút được.")
    entry.archived_at = utcnow()
    session.flush()


def entries_query(scope: Scope, round_: CommendationRound,
                  status: EntryStatus | None = None) -> Select:
    """The round's entries the user may see, in Vietnamese name order."""
    stmt = (select(CommendationEntry).join(Worker, Worker.id == CommendationEntry.worker_id)
            .where(CommendationEntry.round_id == round_.id,
                   CommendationEntry.archived_at.is_(None), entries_visible(scope)))
    if status is not None:
        stmt = stmt.where(CommendationEntry.status == status)
    return stmt.order_by(CommendationEntry.kind.desc(), Worker.sort_key,
                         CommendationEntry.child_name, CommendationEntry.id)


# --- suggestions -----------------------------------------------------------------------------

RULES = {
    "lien-tiep": "Đạt danh hiệu «Công dân học tập» nhiều năm liền",
    "nhieu-gio": "Nhiều giờ học tập nhất trong năm",
    "dat-giai": "Đạt giải tại các hội thi",
}


@dataclass
class Suggestion:
    """A worker the registry proposes, with the reason written for the list."""

    worker: Worker
    reason: str


def suggestions(session: Session, scope: Scope, round_: CommendationRound, rule: str,
                years: int = 3, top: int = 10) -> list[Suggestion]:
    """Workers meeting a rule who are not yet in the round (current workers in scope)."""
    taken = select(CommendationEntry.worker_id).where(
        CommendationEntry.round_id == round_.id, CommendationEntry.kind == EntryKind.WORKER,
        CommendationEntry.archived_at.is_(None))
    base = select(Worker).where(Worker.archived_at.is_(None), scope.current_workers(),
                                Worker.current_enterprise_id.is_not(None),
                                Worker.id.not_in(taken))
    year = round_.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    if rule == "lien-tiep":
        years = max(2, min(years, 10))
        stmt = base
        for y in range(year - years + 1, year + 1):
            stmt = stmt.where(Worker.id.in_(recognised_worker_ids(y)))
        reason = (f"Đạt danh hiệu «Công dân học tập» {years} năm liền "
                  f"({year - years + 1}–{year})")
        return [Suggestion(w, reason)
                for w in session.scalars(stmt.order_by(Worker.sort_key).limit(200))]
    if rule == "nhieu-gio":
        # The sum keeps the column's Tenths type: it is read back as hours.
        hours = (select(Participation.worker_id, func.sum(Participation.hours).label("hours"))
                 .join(Activity, Activity.id == Participation.activity_id)
                 .where(Participation.archived_at.is_(None), Activity.archived_at.is_(None),
                        Participation.attended_on.between(first, last))
                 .group_by(Participation.worker_id).subquery())
        rows = session.execute(
            base.add_columns(hours.c.hours).join(hours, hours.c.worker_id == Worker.id)
            .order_by(hours.c.hours.desc(), Worker.sort_key).limit(max(1, min(top, 100))))
        result = []
        for worker, total in rows:
            text = f"{total:.1f}".replace(".", ",").removesuffix(",0")
            result.append(Suggestion(worker, f"Tham gia {text} giờ học tập trong năm {year}"))
        return result
    if rule == "dat-giai":
        rows = session.execute(
            base.add_columns(Participation.result, Activity.title)
            .join(Participation, Participation.worker_id == Worker.id)
            .join(Activity, Activity.id == Participation.activity_id)
            .where(Activity.form == ActivityForm.COMPETITION, Activity.archived_at.is_(None),
                   Participation.archived_at.is_(None), Participation.result != "",
                   and_(Activity.start_date <= last, Activity.end_date >= first))
            .order_by(Worker.sort_key))
        best: dict[int, tuple[int, Suggestion]] = {}
        for worker, result, title in rows:
            rank = prize_rank(result)
            if rank is None:
                continue
            if worker.id not in best or rank < best[worker.id][0]:
                best[worker.id] = (rank, Suggestion(worker, f"{result} {title}"))
        return [s for _, s in sorted(best.values(), key=lambda item: item[0])]
    raise DomainError(f"Không có quy tắc gợi ý «{rule}».")

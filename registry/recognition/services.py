"""The rules of recognition: drafting and issuing decisions, certificates, re-issue, revoke.

A decision starts as a draft holding the eligible workers of a year; the officer edits its
texts and may take people off with a reason.  Issuing checks everything at once (number free,
date, list not empty, nobody recognised twice), freezes each person's snapshot and gives every
one a certificate with the next serial of the issuing body and year.  Every function flushes;
the caller commits.
"""

from __future__ import annotations

import re
import secrets
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Select, and_, func, insert, select, true, update
from sqlalchemy.orm import Session

from registry.assessment.models import CriteriaSet
from registry.assessment.services import lock_criteria_set
from registry.audit.models import AuditAction
from registry.audit.services import audit_value, record_bulk
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import utcnow
from registry.documents.certificate import qr_path
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.recognition.models import (
    Certificate,
    CertificateCounter,
    CertificateStatus,
    Decision,
    DecisionEntry,
    DecisionStatus,
)
from registry.text import clean
from registry.units.models import Commune
from registry.validation import text_value
from registry.workers.models import Worker

#: Serial of a certificate; ``commune`` is the issuing commune's code, ``number`` its sequence.
SERIAL_FORMAT = "CDHT-{year}-{commune}-{number:06d}"
#: Authority prefixes of a signature block (Decree 30/2020/NĐ-CP).
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
_SYMBOL = re.compile(r"[0-9A-Za-zĐđ]+(?:-[0-9A-Za-zĐđ]+)*")
_NUMBER = re.compile(r"\d{1,4}")
#: At most this many names are listed in one message.
NAMES_IN_MESSAGE = 10


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


# --- scope ---------------------------------------------------------------------------------


def decisions_filter(scope: Scope):
    """Filter on Decision: the user's communes; an enterprise officer sees issued ones only."""
    communes = Decision.commune_id.in_(select(Commune.id).where(scope.communes()))
    if scope.role == Role.ENTERPRISE:
        return and_(communes, Decision.status == DecisionStatus.ISSUED)
    return communes


def entries_filter(scope: Scope):
    """Filter on DecisionEntry: an enterprise officer sees their own enterprise's people."""
    if scope.role == Role.ENTERPRISE:
        return DecisionEntry.enterprise_id == scope.enterprise_id
    return DecisionEntry.id.is_not(None)


def can_manage(scope: Scope) -> bool:
    """Create, edit and issue decisions; re-issue and revoke certificates."""
    return scope.role in (Role.ADMIN, Role.COMMUNE)


def can_print(scope: Scope) -> bool:
    """Print certificates (an enterprise officer: their own enterprise's)."""
    return scope.role in (Role.ADMIN, Role.COMMUNE, Role.ENTERPRISE)


# --- decision texts ------------------------------------------------------------------------


@dataclass
class DecisionData:
    """The texts of a decision as entered."""

    parent_body: str
    issuing_body: str
    number: str
    symbol: str
    place: str
    signed_on: date | None
    authority: str
    signer_authority: str
    signer_title: str
    signer_name: str
    legal_bases: str
    recipients: str
    executors: str


def default_data(commune: Commune, year: int, settings: dict[str, Any] | None = None,
                 criteria_reference: str = "") -> DecisionData:
    """Sensible texts for a new decision of commune for year; settings override the signer."""
    settings = settings or {}
    short = commune.short_name
    kind = commune.division_type
    criteria = criteria_reference or settings.get(
        "RECOGNITION_CRITERIA_REFERENCE",
        "Bộ tiêu chí đánh giá, công nhận danh hiệu “Công dân học tập” giai đoạn 2021–2030 "
        "của Hội Khuyến học Việt Nam",
    )
    legal_bases = "\n".join([
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Quyết định số 1268/QĐ-TTg ngày 19 tháng 10 năm 2022 của Thủ tướng Chính phủ "
        "phê duyệt Đề án “Đẩy mạnh các hoạt động học tập suốt đời trong công nhân lao động "
        "tại các doanh nghiệp đến năm 2030”;",
        f"Căn cứ {criteria};",
        f"Xét đề nghị của Công đoàn {kind} {short} và Hội Khuyến học {kind} {short}.",
    ])
    return DecisionData(
        parent_body=settings.get("RECOGNITION_PARENT_BODY", ""),
        issuing_body=f"Ủy ban nhân dân\n{kind} {short}".upper(),
        number="",
        symbol=settings.get("RECOGNITION_SYMBOL", "QĐ-UBND"),
        place=short,
        signed_on=None,
        authority=f"Chủ tịch Ủy ban nhân dân {kind} {short}".upper(),
        signer_authority=settings.get("RECOGNITION_SIGNER_AUTHORITY", ""),
        signer_title=settings.get("RECOGNITION_SIGNER_TITLE", "CHỦ TỊCH"),
        signer_name=settings.get("RECOGNITION_SIGNER_NAME", ""),
        legal_bases=legal_bases,
        recipients="\n".join(["Như Điều 3", f"Công đoàn {kind} {short}",
                              "Các doanh nghiệp có tên tại Điều 1", "Lưu: VT"]),
        executors=f"Văn phòng HĐND và UBND {kind}, Công đoàn {kind}, Hội Khuyến học {kind}, "
                  "thủ trưởng các doanh nghiệp có liên quan và các cá nhân có tên tại Điều 1",
    )


def criteria_reference(session: Session) -> str:
    """The "Căn cứ" text of the active criteria set, e.g. "Quyết định số 244/QĐ-KHVN … ban hành
    Tiêu chí đánh giá …" ("" when there is none)."""
    criteria_set = session.scalar(select(CriteriaSet).where(CriteriaSet.is_active).limit(1))
    if criteria_set is None:
        return ""
    reference = criteria_set.reference.strip().strip("()")
    name = criteria_set.name.strip()
    return f"{reference} ban hành {name[:1].lower()}{name[1:]}" if reference else name


def _number(value: str) -> str:
    """A registry number as stored: digits without leading zeros ("05" gives "5"), or ""."""
    text = clean(value)
    if not text:
        return ""
    if not _NUMBER.fullmatch(text) or int(text) == 0:
        raise DomainError(number="Số quyết định là một số từ 1 đến 9999, ví dụ 05.")
    return str(int(text))


def _apply(decision: Decision, data: DecisionData) -> None:
    """Validate the texts and put them on the (draft) decision."""
    symbol = clean(data.symbol)
    if not _SYMBOL.fullmatch(symbol):
        raise DomainError(symbol="Ký hiệu gồm chữ và số nối bằng dấu gạch ngang, ví dụ QĐ-UBND.")
    signer_authority = text_value(data.signer_authority, "signer_authority",
                                  "dòng thẩm quyền ký", 100).upper()
    if signer_authority and not signer_authority.startswith(AUTHORITY_PREFIXES):
        raise DomainError(signer_authority="Dòng thẩm quyền ký bắt đầu bằng TM., KT., TL., "
                                           "TUQ. hoặc Q., ví dụ «KT. CHỦ TỊCH»; để trống nếu "
                                           "người đứng đầu ký.")
    decision.parent_body = text_value(data.parent_body, "parent_body", "Cơ quan chủ quản", 200,
                                      multiline=True)
    decision.issuing_body = text_value(data.issuing_body, "issuing_body", "Cơ quan ban hành", 200,
                                       multiline=True)
    if not decision.issuing_body:
        raise DomainError(issuing_body="Chưa nhập cơ quan ban hành.")
    decision.number = _number(data.number)
    decision.symbol = symbol
    decision.place = text_value(data.place, "place", "địa danh", 100, required=True)
    decision.signed_on = data.signed_on
    decision.number_year = data.signed_on.year if data.signed_on else None
    decision.authority = text_value(data.authority, "authority", "thẩm quyền ban hành", 200)
    decision.signer_authority = signer_authority
    decision.signer_title = text_value(data.signer_title, "signer_title", "chức vụ người ký",
                                       100, required=True).upper()
    decision.signer_name = text_value(data.signer_name, "signer_name", "họ tên người ký", 100)
    decision.legal_bases = text_value(data.legal_bases, "legal_bases", "Căn cứ", 5000,
                                      multiline=True)
    decision.recipients = text_value(data.recipients, "recipients", "Nơi nhận", 2000,
                                     multiline=True)
    decision.executors = text_value(data.executors, "executors", "Tổ chức thi hành", 1000,
                                    multiline=True)


def _check_year_and_date(decision: Decision, confirm_early: bool) -> None:
    signed_on = decision.signed_on
    if signed_on is None:
        return
    if signed_on.year < decision.year:
        raise DomainError(signed_on=f"Ngày ký {signed_on:%d/%m/%Y} trước năm được công nhận "
                                    f"({decision.year}).")
    if signed_on <= date(decision.year, 12, 31) and not confirm_early:
        raise DomainError(signed_on=f"Ngày ký {signed_on:%d/%m/%Y} trước khi năm {decision.year} "
                                    "kết thúc. Nếu đúng, hãy đánh dấu xác nhận rồi lưu lại.")


def _check_number_free(session: Session, decision: Decision) -> None:
    if not decision.number or decision.number_year is None:
        return
    other = session.scalar(
        select(Decision).where(
            Decision.id != decision.id if decision.id else true(),
            Decision.commune_id == decision.commune_id,
            Decision.number_year == decision.number_year,
            Decision.number == decision.number,
            Decision.symbol == decision.symbol,
            Decision.archived_at.is_(None),
        ).limit(1)
    )
    if other is not None:
        state = "đã ban hành" if other.is_issued else "đang dự thảo"
        raise DomainError(number=f"Số {decision.number.zfill(2)}/{decision.symbol} năm "
                                 f"{decision.number_year} đã dùng cho quyết định {state} "
                                 f"(năm công nhận {other.year}).")


class EligibleRow(Protocol):
    """What a decision needs of an eligibility row (registry.assessment.eligibility)."""

    worker_id: int
    assessment_id: int | None
    criteria_set_id: int | None
    total: Decimal | None
    lowest: Decimal | None
    status: Any


#: Ids per IN list: SQLite allows 32,766 bound parameters in one statement.
CHUNK = 5000


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _entry_rows(session: Session, decision_id: int, rows: Sequence[EligibleRow]) -> list[dict]:
    """Snapshot values of the workers of rows, from the worker records as they are now."""
    by_worker = {row.worker_id: row for row in rows}
    found = []
    for ids in _chunks(list(by_worker)):
        found += session.execute(
            select(Worker.id, Worker.full_name, Worker.sort_key, Worker.birth_date,
                   Worker.current_enterprise_id, Enterprise.name)
            .outerjoin(Enterprise, Enterprise.id == Worker.current_enterprise_id)
            .where(Worker.id.in_(ids))
        ).all()
    now = utcnow()
    return [
        {
            "decision_id": decision_id,
            "worker_id": worker_id,
            "assessment_id": by_worker[worker_id].assessment_id,
            "criteria_set_id": by_worker[worker_id].criteria_set_id,
            "full_name": full_name,
            "sort_key": sort_key,
            "birth_year": birth_date.year,
            "enterprise_id": enterprise_id,
            "enterprise_name": enterprise_name or "",
            "total": by_worker[worker_id].total,
            "lowest": by_worker[worker_id].lowest,
            "removed_reason": "",
            "created_at": now,
        }
        for worker_id, full_name, sort_key, birth_date, enterprise_id, enterprise_name in found
    ]


def already_recognised(session: Session, year: int, worker_ids: Iterable[int] | Select,
                       except_decision: int | None = None) -> dict[int, str]:
    """{worker id: decision "05/QĐ-UBND"} of the workers already recognised for year."""
    stmt = (
        select(DecisionEntry.worker_id, Decision.number, Decision.symbol)
        .join(Decision, Decision.id == DecisionEntry.decision_id)
        .where(
            Decision.status == DecisionStatus.ISSUED,
            Decision.year == year,
            DecisionEntry.removed_at.is_(None),
            DecisionEntry.worker_id.in_(worker_ids),
        )
    )
    if except_decision is not None:
        stmt = stmt.where(Decision.id != except_decision)
    rows = session.execute(stmt)
    return {worker: f"{number.zfill(2)}/{symbol}" for worker, number, symbol in rows}


@dataclass
class Created:
    """A new draft and what was left out of it."""

    decision: Decision
    attached: int
    skipped_recognised: int


def create_decision(session: Session, scope: Scope, commune: Commune, year: int,
                    data: DecisionData, rows: Sequence[EligibleRow],
                    confirm_early: bool = False) -> Created:
    """A draft decision of commune for year listing the eligible workers of rows.

    Workers already recognised for the year by another issued decision are left out.
    """
    if not can_manage(scope):
        raise DomainError("Tài khoản của bạn không được lập quyết định.")
    if not 2000 <= year <= 2100:
        raise DomainError(year="Năm công nhận không hợp lệ.")
    eligible = [row for row in rows if str(getattr(row.status, "value", row.status))
                == "eligible"]
    if not eligible:
        raise DomainError(f"Chưa có người lao động nào đủ điều kiện công nhận năm {year} "
                          "trong phạm vi đã chọn; không lập được quyết định với danh sách trống.")
    decision = Decision(commune_id=commune.id, year=year, status=DecisionStatus.DRAFT)
    _apply(decision, data)
    _check_year_and_date(decision, confirm_early)
    _check_number_free(session, decision)
    session.add(decision)
    session.flush()
    recognised: dict[int, str] = {}
    for ids in _chunks([row.worker_id for row in eligible]):
        recognised.update(already_recognised(session, year, ids))
    kept = [row for row in eligible if row.worker_id not in recognised]
    if not kept:
        raise DomainError(f"Mọi người đủ điều kiện năm {year} đã được công nhận trong quyết "
                          "định khác; không lập được quyết định với danh sách trống.")
    values = _entry_rows(session, decision.id, kept)
    session.execute(insert(DecisionEntry), values)
    session.flush()
    return Created(decision, len(values), len(recognised))


def update_decision(session: Session, decision: Decision, data: DecisionData,
                    confirm_early: bool = False) -> None:
    """Change the texts of a draft."""
    _require_draft(decision)
    _apply(decision, data)
    _check_year_and_date(decision, confirm_early)
    _check_number_free(session, decision)
    session.flush()


def _require_draft(decision: Decision) -> None:
    if decision.is_issued:
        raise DomainError("Quyết định đã ban hành, không sửa được. Sai sót trên giấy chứng "
                          "nhận được xử lý bằng cấp lại hoặc thu hồi.")
    if decision.archived_at is not None:
        raise DomainError("Dự thảo đã lưu trữ.")


def remove_entry(session: Session, entry: DecisionEntry, reason: str) -> None:
    """Take a person off a draft's list, with the reason."""
    _require_draft(entry.decision)
    reason = text_value(reason, "reason", "lý do", 500, required=True)
    entry.removed_at = utcnow()
    entry.removed_reason = reason
    session.flush()


def restore_entry(session: Session, entry: DecisionEntry) -> None:
    """Put a person taken off a draft's list back."""
    _require_draft(entry.decision)
    entry.removed_at = None
    entry.removed_reason = ""
    session.flush()


def archive_draft(session: Session, decision: Decision) -> None:
    """Give up a draft (kept, no longer listed as in progress)."""
    _require_draft(decision)
    decision.archived_at = utcnow()
    session.flush()


def active_entries(decision_id: int) -> Select:
    """The people kept on a decision's list, in Vietnamese name order."""
    return (
        select(DecisionEntry)
        .where(DecisionEntry.decision_id == decision_id, DecisionEntry.removed_at.is_(None))
        .order_by(DecisionEntry.sort_key, DecisionEntry.id)
    )


def count_entries(session: Session, decision_id: int, removed: bool = False) -> int:
    """How many people are on (or were taken off) a decision's list."""
    taken_off = DecisionEntry.removed_at.is_not(None)
    return session.scalar(
        select(func.count()).select_from(DecisionEntry).where(
            DecisionEntry.decision_id == decision_id, taken_off if removed else ~taken_off,
        )
    )


def _names(session: Session, worker_ids: Iterable[int]) -> str:
    ids = list(worker_ids)
    names = session.scalars(
        select(Worker.full_name).where(Worker.id.in_(ids[:NAMES_IN_MESSAGE]))
        .order_by(Worker.sort_key)
    ).all()
    more = f" và {len(ids) - len(names)} người khác" if len(ids) > len(names) else ""
    return ", ".join(names) + more


def next_serials(session: Session, commune: Commune, year: int, count: int,
                 serial_format: str = SERIAL_FORMAT) -> list[str]:
    """Reserve count serials of the issuing commune for year, in sequence."""
    counter = session.scalar(
        select(CertificateCounter)
        .where(CertificateCounter.commune_id == commune.id, CertificateCounter.year == year)
        .with_for_update()
    )
    if counter is None:
        counter = CertificateCounter(commune_id=commune.id, year=year, last_number=0)
        session.add(counter)
    first = counter.last_number + 1
    counter.last_number += count
    session.flush()
    return [serial_format.format(year=year, commune=commune.code, number=number)
            for number in range(first, first + count)]


def new_token() -> str:
    """An unguessable verification token (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def verify_url(base_url: str, token: str) -> str:
    """The public verification address printed in the QR code."""
    return f"{base_url.rstrip('/')}/xac-minh/{token}"


def drawn_qr(base_url: str | None, token: str) -> tuple[str, bytes | None]:
    """The URL and compressed QR drawing stored with a certificate (nothing without a base)."""
    if not base_url:
        return "", None
    url = verify_url(base_url, token)
    return url, zlib.compress(qr_path(url).encode("ascii"), 6)


#: What the audit log keeps of a certificate created in bulk (as the listener would).
_CERTIFICATE_AUDIT = ("decision_id", "entry_id", "worker_id", "serial", "token", "qr_url",
                      "status", "full_name", "birth_year", "enterprise_name", "issued_at")


def _audit_created_certificates(session: Session, decision_id: int, values: list[dict]) -> None:
    """One "created" audit entry per certificate inserted in bulk (the listener sees none)."""
    ids = dict(session.execute(
        select(Certificate.serial, Certificate.id).where(Certificate.decision_id == decision_id)
    ).tuples().all())
    record_bulk(session, "certificates", [
        (AuditAction.CREATE, ids[row["serial"]],
         {key: [None, audit_value(row[key])] for key in _CERTIFICATE_AUDIT
          if row[key] not in (None, "")})
        for row in values
    ])


def issue_decision(session: Session, scope: Scope, decision: Decision, *,
                   confirm_early: bool = False, serial_format: str = SERIAL_FORMAT,
                   base_url: str | None = None) -> int:
    """Issue a draft: freeze its list and give each person a certificate; returns how many.

    The criteria sets the list was assessed under are locked: they can no longer change.  With
    base_url (where the verification pages are served) each certificate's QR code is drawn now
    and stored, so that printing the batch later encodes nothing.
    """
    if not can_manage(scope):
        raise DomainError("Tài khoản của bạn không được ban hành quyết định.")
    _require_draft(decision)
    problems: dict[str, str] = {}
    if not decision.number:
        problems["number"] = "Chưa có số quyết định."
    if decision.signed_on is None:
        problems["signed_on"] = "Chưa có ngày ký."
    if not decision.signer_name:
        problems["signer_name"] = "Chưa có họ tên người ký."
    if problems:
        raise DomainError("Chưa ban hành được: hãy bổ sung số, ngày ký và người ký.", **problems)
    _check_year_and_date(decision, confirm_early)
    _check_number_free(session, decision)
    kept = active_entries(decision.id).with_only_columns(DecisionEntry.worker_id).order_by(None)
    count = count_entries(session, decision.id)
    if count == 0:
        raise DomainError("Danh sách kèm theo trống: không ban hành được quyết định.")
    twice = already_recognised(session, decision.year, kept, except_decision=decision.id)
    if twice:
        raise DomainError(f"Đã được công nhận năm {decision.year} trong quyết định khác: "
                          f"{_names(session, twice)}. Hãy bỏ những người này khỏi danh sách.")
    archived = session.scalars(
        select(Worker.id).where(Worker.id.in_(kept), Worker.archived_at.is_not(None))
    ).all()
    if archived:
        raise DomainError(f"Hồ sơ đã lưu trữ: {_names(session, archived)}. Hãy bỏ khỏi danh "
                          "sách hoặc khôi phục hồ sơ trước khi ban hành.")
    _freeze(session, decision)
    serials = next_serials(session, decision.commune, decision.year, count, serial_format)
    now = utcnow()
    entries = session.execute(
        active_entries(decision.id).with_only_columns(
            DecisionEntry.id, DecisionEntry.worker_id, DecisionEntry.full_name,
            DecisionEntry.birth_year, DecisionEntry.enterprise_name)
    ).all()
    values = []
    for (entry_id, worker_id, full_name, birth_year, enterprise), serial in zip(
            entries, serials, strict=True):
        token = new_token()
        url, drawing = drawn_qr(base_url, token)
        values.append({
            "decision_id": decision.id, "entry_id": entry_id, "worker_id": worker_id,
            "serial": serial, "token": token, "qr_url": url, "qr_path": drawing,
            "status": CertificateStatus.VALID, "full_name": full_name,
            "birth_year": birth_year, "enterprise_name": enterprise, "issued_at": now,
            "reissue_reason": "", "revoked_reason": "",
        })
    session.execute(insert(Certificate), values)
    _audit_created_certificates(session, decision.id, values)
    criteria_sets = sorted(set(session.scalars(
        active_entries(decision.id).with_only_columns(DecisionEntry.criteria_set_id)
        .order_by(None).where(DecisionEntry.criteria_set_id.is_not(None)).distinct()
    )))
    labels = []
    for criteria_set_id in criteria_sets:
        criteria_set = lock_criteria_set(session, criteria_set_id)
        labels.append(f"{criteria_set.name} ({criteria_set.reference})")
    if criteria_sets:
        decision.criteria_set_id = criteria_sets[0]
        decision.criteria_set_label = "; ".join(labels)[:300]
    decision.status = DecisionStatus.ISSUED
    decision.issued_at = now
    decision.issued_by_id = _user_id(session)
    session.flush()
    return count


def _user_id(session: Session) -> int | None:
    return session.info.get("actor", (None, ""))[0]


def _freeze(session: Session, decision: Decision) -> None:
    """Refresh each kept person's snapshot from their record, once, and mark the year held."""
    rows = session.execute(
        select(DecisionEntry.id, DecisionEntry.enterprise_id, DecisionEntry.enterprise_name,
               Worker.full_name, Worker.sort_key, Worker.birth_date,
               Worker.current_enterprise_id, Enterprise.name)
        .join(Worker, Worker.id == DecisionEntry.worker_id)
        .outerjoin(Enterprise, Enterprise.id == Worker.current_enterprise_id)
        .where(DecisionEntry.decision_id == decision.id, DecisionEntry.removed_at.is_(None))
    ).all()
    values = []
    for entry_id, old_enterprise, old_name, full_name, sort_key, birth, enterprise, name in rows:
        # A worker who has left since keeps the enterprise they were assessed in.
        if enterprise is None:
            enterprise, name = old_enterprise, old_name
        values.append({"id": entry_id, "full_name": full_name, "sort_key": sort_key,
                       "birth_year": birth.year, "enterprise_id": enterprise,
                       "enterprise_name": name or "", "recognised_year": decision.year})
    if values:
        session.execute(update(DecisionEntry), values)
    session.flush()


# --- certificates after issue --------------------------------------------------------------


def _require_valid(certificate: Certificate, action: str) -> None:
    if certificate.status == CertificateStatus.REVOKED:
        raise DomainError(f"Giấy chứng nhận {certificate.serial} đã bị thu hồi, không {action}.")
    if certificate.status == CertificateStatus.SUPERSEDED:
        replacement = certificate.replaced_by.serial if certificate.replaced_by else ""
        raise DomainError(f"Giấy chứng nhận {certificate.serial} đã được thay bằng "
                          f"{replacement}; hãy dùng giấy mới.")


def reissue_certificate(session: Session, scope: Scope, certificate: Certificate,
                        full_name: str, enterprise_name: str, reason: str,
                        serial_format: str = SERIAL_FORMAT,
                        base_url: str | None = None) -> Certificate:
    """Replace a certificate (a corrected name, a lost paper): new serial, the old superseded."""
    if not can_manage(scope):
        raise DomainError("Tài khoản của bạn không được cấp lại giấy chứng nhận.")
    _require_valid(certificate, "cấp lại được")
    full_name = text_value(full_name, "full_name", "họ và tên", 200, required=True)
    enterprise_name = text_value(enterprise_name, "enterprise_name", "đơn vị công tác", 255)
    reason = text_value(reason, "reason", "lý do cấp lại", 500, required=True)
    decision = certificate.decision
    (serial,) = next_serials(session, decision.commune, decision.year, 1, serial_format)
    token = new_token()
    url, drawing = drawn_qr(base_url, token)
    replacement = Certificate(
        decision_id=decision.id, entry_id=certificate.entry_id,
        worker_id=certificate.worker_id, serial=serial, token=token, qr_url=url,
        qr_path=drawing,
        status=CertificateStatus.VALID, full_name=full_name,
        birth_year=certificate.birth_year, enterprise_name=enterprise_name,
        replaces_id=certificate.id, reissue_reason=reason,
    )
    session.add(replacement)
    session.flush()
    certificate.status = CertificateStatus.SUPERSEDED
    certificate.superseded_at = utcnow()
    certificate.replaced_by_id = replacement.id
    session.flush()
    return replacement


def revoke_certificate(session: Session, scope: Scope, certificate: Certificate,
                       reason: str) -> None:
    """Withdraw a certificate and the title it proves; the reason is kept for officers."""
    if not can_manage(scope):
        raise DomainError("Tài khoản của bạn không được thu hồi giấy chứng nhận.")
    _require_valid(certificate, "thu hồi lại được")
    reason = text_value(reason, "reason", "lý do thu hồi", 500, required=True)
    now = utcnow()
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    certificate.revoked_by_id = _user_id(session)
    certificate.entry.revoked_at = now
    session.flush()


def printable(certificate: Certificate) -> None:
    """Refuse to print a certificate that is no longer valid."""
    _require_valid(certificate, "in được")


# --- public verification -------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The public answer about one certificate: nothing personal beyond the name."""

    status: str  #: "valid", "superseded", "revoked" or "not_found"
    serial: str = ""
    full_name: str = ""
    title: str = ""
    year: int | None = None
    issuing_body: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    issued_on: date | None = None
    revoked_on: date | None = None
    replacement_serial: str = ""
    replacement_token: str = ""

    @property
    def found(self) -> bool:
        return self.status != "not_found"

    def as_json(self) -> dict[str, Any]:
        """The same answer for other systems."""
        return {
            "status": self.status,
            "serial": self.serial or None,
            "full_name": self.full_name or None,
            "title": self.title or None,
            "year": self.year,
            "issuing_body": self.issuing_body or None,
            "decision_number": self.decision_number or None,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "replacement_serial": self.replacement_serial or None,
        }


NOT_FOUND = Verification(status="not_found")


def normalise_serial(value: str) -> str:
    """A typed serial as stored: capitals, no spaces, dashes of any kind as "-"."""
    text = clean(value).upper().replace(" ", "")
    return re.sub(r"[\u2010-\u2015\u2212]", "-", text)[:40]


def title_of(year: int) -> str:
    """The title printed on certificates and pages."""
    return f"Công dân học tập năm {year}"


def _local_date(moment: datetime | None, tz) -> date | None:
    return moment.astimezone(tz).date() if moment else None


def verify(session: Session, *, token: str | None = None, serial: str | None = None,
           tz=None) -> Verification:
    """Look a certificate up by token or serial; every outcome runs the same single query."""
    replacement = select(Certificate.serial, Certificate.token, Certificate.id).subquery()
    key = Certificate.token == (token or "") if serial is None else (
        Certificate.serial == normalise_serial(serial))
    row = session.execute(
        select(Certificate.status, Certificate.serial, Certificate.full_name,
               Certificate.issued_at, Certificate.revoked_at, Decision.year,
               Decision.issuing_body, Decision.number, Decision.symbol, Decision.signed_on,
               replacement.c.serial, replacement.c.token)
        .join(Decision, Decision.id == Certificate.decision_id)
        .outerjoin(replacement, replacement.c.id == Certificate.replaced_by_id)
        .where(key, Decision.status == DecisionStatus.ISSUED)
    ).first()
    if row is None:
        return NOT_FOUND
    (status, serial_value, full_name, issued_at, revoked_at, year, body, number, symbol,
     signed_on, replacement_serial, replacement_token) = row
    return Verification(
        status=status.value,
        serial=serial_value,
        full_name=full_name,
        title=title_of(year),
        year=year,
        issuing_body=" ".join(body.split()),
        decision_number=f"{number.zfill(2)}/{symbol}",
        decision_date=signed_on,
        issued_on=_local_date(issued_at, tz),
        revoked_on=_local_date(revoked_at, tz),
        replacement_serial=replacement_serial or "",
        replacement_token=replacement_token or "",
    )

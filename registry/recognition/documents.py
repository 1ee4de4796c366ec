"""Plain data for the documents of recognition, built from the database for registry.documents.

- :func:`decision_document`: the decision with its attached list (PDF and DOCX builders);
- :func:`certificate_items`: the certificates of a decision as a lazy stream of CertificateData;
- :func:`learning_book`: the worker's learning record (Sổ học tập).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.assessment.models import Assessment, AssessmentStatus
from registry.documents.book import BookSection, LearningBook
from registry.documents.certificate import CertificateData
from registry.documents.model import (
    AdminDocument,
    Article,
    AttachedList,
    Column,
    Header,
    Paragraph,
    Signature,
    attachment_subtitle,
)
from registry.documents.vn_format import date_line, date_table
from registry.learning.models import Area
from registry.learning.services import hours_text, learning_record
from registry.recognition.models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionEntry,
)
from registry.recognition.services import active_entries, title_of, verify_url
from registry.workers.models import Sex, Worker

TITLE_QUOTED = "“Công dân học tập”"


def _score(value: Decimal | None) -> str:
    return "" if value is None else hours_text(value)


def number_symbol(decision: Decision) -> str:
    """ "05/QĐ-UBND" (blanks before the symbol while the number is not given)."""
    return _header(decision).number_symbol


def issuer_phrase(decision: Decision) -> str:
    """Who issued, as prose after "của": "Chủ tịch UBND xã Hoằng Hóa"."""
    commune = decision.commune
    unit = f"UBND {commune.division_type} {commune.short_name}"
    return f"Chủ tịch {unit}" if "CHỦ TỊCH" in decision.authority.upper() else unit


def decision_reference(decision: Decision) -> str:
    """ "Quyết định số 05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng Hóa"."""
    when = f" ngày {date_table(decision.signed_on)}" if decision.signed_on else ""
    return f"Quyết định số {number_symbol(decision)}{when} của {issuer_phrase(decision)}"


def _header(decision: Decision) -> Header:
    return Header(
        issuing_body=decision.issuing_body,
        parent_body=decision.parent_body,
        symbol=decision.symbol,
        number=decision.number,
        place=decision.place,
        date=decision.signed_on,
        year=decision.signed_on.year if decision.signed_on else decision.year + 1,
    )


def _signature(decision: Decision) -> Signature:
    return Signature(decision.signer_name, decision.signer_title, decision.signer_authority)


def decision_document(session: Session, decision: Decision) -> AdminDocument:
    """The decision and its attached list, sorted by given name then family name."""
    header = _header(decision)
    commune = decision.commune
    rows = [
        [entry.full_name, str(entry.birth_year), entry.enterprise_name, _score(entry.total)]
        for entry in session.scalars(active_entries(decision.id))
    ]
    place = f"{commune.division_type} {commune.short_name}"
    blocks: list = [Paragraph(line, italic=True) for line in decision.legal_bases.splitlines()]
    blocks.append(Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False))
    blocks += [
        Article(1, f"Công nhận danh hiệu {TITLE_QUOTED} năm {decision.year} cho {len(rows)} "
                   f"công nhân lao động tại các doanh nghiệp trên địa bàn {place} "
                   "(có danh sách kèm theo)."),
        Article(2, f"Mỗi cá nhân có tên tại Điều 1 được cấp Giấy chứng nhận {TITLE_QUOTED} "
                   f"năm {decision.year}. Quyết định này có hiệu lực kể từ ngày ký."),
        Article(3, f"{decision.executors} chịu trách nhiệm thi hành Quyết định này./."
                if decision.executors else "Các cơ quan, đơn vị và cá nhân có liên quan chịu "
                                           "trách nhiệm thi hành Quyết định này./."),
    ]
    appendix = AttachedList(
        title=f"Danh sách công nhân lao động đạt danh hiệu {TITLE_QUOTED} năm {decision.year}",
        subtitle=attachment_subtitle("Quyết định", header, issuer_phrase(decision)),
        columns=[Column("Họ và tên", 2.2), Column("Năm sinh", fixed_mm=22, align="center"),
                 Column("Đơn vị công tác", 3), Column("Tổng điểm", fixed_mm=22, align="center")],
        rows=rows,
        closing=f"Danh sách có {len(rows)} người./.",
    )
    return AdminDocument(
        header=header,
        kind="QUYẾT ĐỊNH",
        subject=f"Về việc công nhận danh hiệu {TITLE_QUOTED} năm {decision.year}",
        authority=decision.authority,
        blocks=blocks,
        recipients=decision.recipients.splitlines(),
        signature=_signature(decision),
        appendices=[appendix],
        title=f"Quyết định {number_symbol(decision)} công nhận Công dân học tập "
              f"năm {decision.year}",
    )


def ascii_name(text: str) -> str:
    """A name without diacritics for file names: "Nguyễn Thị Đào" gives "Nguyen_Thi_Dao"."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    return "_".join("".join(ch for ch in word if ch.isalnum() or ch == "-")
                    for word in base.split()) or "x"


@dataclass(frozen=True)
class _Shared:
    """What every certificate of one decision prints alike."""

    issuer: str
    parent: str
    title: str
    decision: str
    date_line: str
    signer: tuple[str, ...]
    signer_name: str


def _shared(decision: Decision) -> _Shared:
    return _Shared(
        issuer=" ".join(decision.issuing_body.split()),
        parent=" ".join(decision.parent_body.split()),
        title=title_of(decision.year),
        decision=f"Đã đạt danh hiệu {TITLE_QUOTED} năm {decision.year} theo "
                 f"{decision_reference(decision)}",
        date_line=date_line(decision.place, decision.signed_on),
        signer=_signature(decision).lines,
        signer_name=decision.signer_name,
    )


def certificate_data(shared: _Shared, base_url: str, serial: str, token: str, full_name: str,
                     birth_year: int, enterprise: str, qr_url: str = "",
                     drawn: bytes | None = None) -> CertificateData:
    """One certificate's printed texts, with its stored QR drawing when it fits base_url."""
    url = verify_url(base_url, token)
    return CertificateData(
        issuer=shared.issuer, parent_issuer=shared.parent, title=shared.title,
        full_name=full_name, birth_year=str(birth_year), enterprise=enterprise,
        decision=shared.decision, date_line=shared.date_line,
        signer_title_lines=shared.signer, signer_name=shared.signer_name,
        serial=serial, verify_url=url,
        qr_path=zlib.decompress(drawn).decode("ascii") if drawn and qr_url == url else "",
    )


def printable_certificates(decision_id: int, enterprise_id: int | None = None):
    """SELECT of the valid certificates of a decision (one enterprise's), in list order."""
    stmt = (
        select(Certificate.serial, Certificate.token, Certificate.full_name,
               Certificate.birth_year, Certificate.enterprise_name, Certificate.qr_url,
               Certificate.qr_path)
        .join(DecisionEntry, DecisionEntry.id == Certificate.entry_id)
        .where(Certificate.decision_id == decision_id,
               Certificate.status == CertificateStatus.VALID)
        .order_by(DecisionEntry.sort_key, Certificate.id)
    )
    if enterprise_id:
        stmt = stmt.where(DecisionEntry.enterprise_id == enterprise_id)
    return stmt


def certificate_items(session: Session, decision: Decision, base_url: str,
                      enterprise_id: int | None = None) -> Iterator[CertificateData]:
    """The valid certificates of a decision, streamed from the database in list order."""
    shared = _shared(decision)
    rows = session.execute(
        printable_certificates(decision.id, enterprise_id),
        execution_options={"yield_per": 1000},
    )
    for serial, token, full_name, birth_year, enterprise, qr_url, drawn in rows:
        yield certificate_data(shared, base_url, serial, token, full_name, birth_year,
                               enterprise, qr_url, drawn)


def one_certificate(certificate: Certificate, base_url: str) -> CertificateData:
    """The printed texts of one certificate."""
    return certificate_data(_shared(certificate.decision), base_url, certificate.serial,
                            certificate.token, certificate.full_name, certificate.birth_year,
                            certificate.enterprise_name, certificate.qr_url,
                            certificate.qr_path)


# --- the learning record -------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    """A worker's assessment of one year."""

    year: int
    criteria: str
    scores: dict[int, Decimal]
    codes: tuple[int, ...]
    total: Decimal | None
    status: str
    passed: bool | None


@dataclass(frozen=True)
class TitleRow:
    """A title the worker received, with its certificate."""

    year: int
    decision: str
    serial: str
    status: CertificateStatus
    certificate_id: int
    revoked_on: date | None


def assessment_results(session: Session, worker: Worker) -> list[YearResult]:
    """The worker's assessments, newest year first, with the pass verdict of their criteria."""
    results = []
    for assessment in session.scalars(
        select(Assessment).where(Assessment.worker_id == worker.id)
        .order_by(Assessment.year.desc())
    ):
        criteria = assessment.criteria_set
        codes = tuple(indicator.code for indicator in criteria.indicators)
        scores = assessment.score_map()
        total = sum(scores.values(), Decimal(0)) if len(scores) == len(codes) else None
        passed = None
        if total is not None and assessment.status == AssessmentStatus.APPROVED:
            passed = total >= criteria.pass_total and min(
                scores.values(), default=Decimal(0)) >= criteria.min_per_indicator
        results.append(YearResult(assessment.year, criteria.name, scores, codes, total,
                                  assessment.status.label, passed))
    return results


def titles(session: Session, worker: Worker) -> list[TitleRow]:
    """Every certificate the worker was given, newest year first (superseded ones too)."""
    rows = session.execute(
        select(Certificate, Decision)
        .join(Decision, Decision.id == Certificate.decision_id)
        .where(Certificate.worker_id == worker.id)
        .order_by(Decision.year.desc(), Certificate.id)
    ).all()
    return [
        TitleRow(decision.year, decision_reference(decision), certificate.serial,
                 certificate.status, certificate.id,
                 certificate.revoked_at.date() if certificate.revoked_at else None)
        for certificate, decision in rows
    ]


def learning_book(session: Session, worker: Worker, printed_on: date,
                  show_citizen_id: bool = True) -> LearningBook:
    """The worker's learning record as plain data for the PDF builder."""
    identity = [("Họ và tên", worker.full_name), ("Giới tính", Sex(worker.sex).label)]
    identity.append(("Năm sinh", str(worker.birth_year)) if worker.birth_year_only
                    else ("Ngày sinh", date_table(worker.birth_date)))
    if show_citizen_id:
        identity.append(("Số định danh cá nhân", worker.citizen_id))
    identity.append(("Đơn vị công tác", worker.current_enterprise.name
                     if worker.current_enterprise else "Không còn làm việc tại doanh nghiệp"))
    identity.append(("Đoàn viên công đoàn", "Có" if worker.union_member else "Không"))
    work = "; ".join(
        f"{employment.enterprise.name} (từ {date_table(employment.start_date)}"
        + (f" đến {date_table(employment.end_date)})" if employment.end_date else ")")
        for employment in worker.employments
    )
    if work:
        identity.append(("Quá trình làm việc", work))
    sections = []
    for record in learning_record(session, worker):
        summary = "; ".join(f"{area.letter}) {hours_text(record.area_hours(area))} giờ"
                            for area in Area if record.by_area.get(area))
        rows = [
            [date_table(p.attended_on), p.title, f"{area.letter}) {area.label}",
             hours_text(p.hours), p.result or ("Hoàn thành" if p.completed else "Chưa hoàn thành")]
            for area, participations in record.by_area.items() for p in participations
        ]
        sections.append(BookSection(
            heading=f"Năm {record.year}: {hours_text(record.hours)} giờ học tập ({summary})",
            columns=[Column("Ngày", fixed_mm=22, align="center"), Column("Hoạt động", 3),
                     Column("Lĩnh vực", 2), Column("Số giờ", fixed_mm=16, align="right"),
                     Column("Kết quả", 1.3)],
            rows=rows,
        ))
    results = assessment_results(session, worker)
    result_rows = []
    for result in results:
        verdict = {True: "Đạt", False: "Chưa đạt", None: result.status}[result.passed]
        scores = " · ".join(f"{code}: {_score(result.scores.get(code))}" for code in result.codes
                            if code in result.scores)
        result_rows.append([str(result.year), scores or "Chưa chấm", _score(result.total),
                            verdict])
    title_rows = [
        [str(row.year), f"{title_of(row.year)} — {row.decision}", row.serial,
         row.status.label + (f" ngày {date_table(row.revoked_on)}" if row.revoked_on else "")]
        for row in titles(session, worker)
    ]
    return LearningBook(
        title="SỔ HỌC TẬP SUỐT ĐỜI",
        subtitle="Công nhân lao động tại doanh nghiệp",
        identity=identity,
        learning=sections,
        learning_empty="Chưa ghi nhận hoạt động học tập nào.",
        assessments=BookSection(
            heading="",
            columns=[Column("Năm", fixed_mm=16, align="center"),
                     Column("Điểm từng chỉ số", 4), Column("Tổng điểm", fixed_mm=22,
                                                           align="center"),
                     Column("Kết quả", 1.6)],
            rows=result_rows,
            empty="Chưa có phiếu đánh giá nào.",
        ),
        titles=BookSection(
            heading="",
            columns=[Column("Năm", fixed_mm=16, align="center"), Column("Danh hiệu", 4),
                     Column("Số giấy chứng nhận", fixed_mm=48), Column("Tình trạng", 1.5)],
            rows=title_rows,
            empty="Chưa được công nhận danh hiệu nào.",
        ),
        printed=f"In ngày {date_table(printed_on)}",
    )

"""Rules for criteria sets and assessments: versions, the status flow, scores and evidence.

Criteria sets: one active set per year (activating a set retires the active sets whose years
overlap); a set used by assessments keeps its rule (thresholds, indicators, conditions) and a
set used by a recognition decision is locked entirely (`lock_criteria_set`, called by the
decision step): a new version is made by cloning.

Assessments: draft → submitted (the worker's self-assessment, entered by an officer) →
reviewed (the enterprise's union branch or learning board; every score it changes needs a
reason, kept in ScoreChange) → approved or returned (commune officers).  A returned assessment
is corrected and submitted again.  Each transition is recorded with who and when.  Every change
names the version it was based on; a change based on an older version is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from registry.assessment.evidence import (
    FORM_LABELS,
    EvidenceItem,
    EvidenceRule,
    group_evidence,
    suggest_scores,
)
from registry.assessment.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    AssessmentTransition,
    Competence,
    CriteriaEvidenceRule,
    CriteriaIndicator,
    CriteriaSet,
    ScoreChange,
)
from registry.assessment.rules import (
    AREA_LABELS,
    ScoreError,
    format_decimal,
    missing_reason,
    validate_score,
)
from registry.audit.services import SYSTEM_ACTOR
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import to_tenths, utcnow
from registry.errors import DomainError
from registry.learning.models import Activity, Participation
from registry.validation import text_value
from registry.workers.models import Worker

#: Years an assessment may be made for.
FIRST_YEAR = 2021
#: Statuses in which the worker's own scores are entered (no reason needed).
EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
#: Statuses in which reviewers change scores, each change with a reason.
UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED)

STALE_MESSAGE = (
    "Phiếu đánh giá vừa được người khác lưu trong lúc bạn sửa; thay đổi của bạn chưa được lưu. "
    "Hãy tải lại trang để xem bản mới nhất rồi sửa lại."
)


def _actor(session: Session) -> tuple[int | None, str]:
    return session.info.get("actor", SYSTEM_ACTOR)


# --- criteria sets ------------------------------------------------------------------------


def active_criteria_set(session: Session, year: int) -> CriteriaSet | None:
    """The criteria set new assessments of the year are made under, if any."""
    return session.scalar(
        select(CriteriaSet)
        .where(
            CriteriaSet.is_active,
            CriteriaSet.period_start <= year,
            CriteriaSet.period_end >= year,
        )
        .order_by(CriteriaSet.id.desc())
        .limit(1)
    )


def lock_criteria_set(session: Session, criteria_set_id: int) -> CriteriaSet:
    """Lock a criteria set because a decision used it: from now on it can only be superseded.

    Locking an already locked set keeps its first lock time.
    """
    criteria_set = session.get(CriteriaSet, criteria_set_id)
    if criteria_set is None:
        raise DomainError(f"Không có bộ tiêu chí số {criteria_set_id}.")
    if criteria_set.locked_at is None:
        criteria_set.locked_at = utcnow()
        session.flush()
    return criteria_set


def assessments_using(session: Session, criteria_set: CriteriaSet) -> int:
    """How many assessments were made under the set."""
    return session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.criteria_set_id == criteria_set.id)
    ) or 0


def clone_criteria_set(session: Session, criteria_set: CriteriaSet) -> CriteriaSet:
    """A new, inactive, editable version of a set, with the same indicators, conditions and
    evidence mapping."""
    clone = CriteriaSet(
        name=f"{criteria_set.name} (bản sửa đổi)"[:255],
        reference=criteria_set.reference,
        reference_note=criteria_set.reference_note,
        target_group=criteria_set.target_group,
        period_start=criteria_set.period_start,
        period_end=criteria_set.period_end,
        pass_total=criteria_set.pass_total,
        min_per_indicator=criteria_set.min_per_indicator,
        required_areas=list(criteria_set.required_areas or []),
        min_hours=criteria_set.min_hours,
        min_age=criteria_set.min_age,
        employed_in_commune_on=criteria_set.employed_in_commune_on,
        is_active=False,
        derived_from_id=criteria_set.id,
        competences=[Competence(code=c.code, name=c.name) for c in criteria_set.competences],
        indicators=[
            CriteriaIndicator(
                code=i.code,
                competence=i.competence,
                text=i.text,
                short_label=i.short_label,
                max_points=i.max_points,
            )
            for i in criteria_set.indicators
        ],
        evidence_rules=[
            CriteriaEvidenceRule(
                area=r.area, form=r.form, indicator_code=r.indicator_code,
                suggest_points=r.suggest_points,
            )
            for r in criteria_set.evidence_rules
        ],
    )
    session.add(clone)
    session.flush()
    return clone


@dataclass
class IndicatorEdit:
    """An indicator's wording and points as entered."""

    code: int
    text: str
    short_label: str
    max_points: object


@dataclass
class CriteriaSetEdit:
    """A criteria set as entered on its form."""

    name: str
    reference: str
    reference_note: str
    target_group: str
    period_start: int | None
    period_end: int | None
    pass_total: object
    min_per_indicator: object
    required_areas: list[str] = field(default_factory=list)
    min_hours: object = None
    min_age: int | None = None
    employed_in_commune_on: date | None = None
    indicators: list[IndicatorEdit] = field(default_factory=list)


def _points(value: object, field_name: str, label: str, positive: bool = False) -> Decimal:
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise DomainError(**{field_name: f"{label} phải là một số."}) from exc
    if not points.is_finite() or points < 0 or (positive and points == 0):
        raise DomainError(**{field_name: f"{label} phải lớn hơn 0." if positive else
                             f"{label} không được âm."})
    if points != to_tenths(points):
        raise DomainError(**{field_name: f"{label} chỉ được một chữ số thập phân."})
    return to_tenths(points)


def update_criteria_set(
    session: Session, criteria_set: CriteriaSet, data: CriteriaSetEdit
) -> CriteriaSet:
    """Save a set's edit; refused when locked, and its rule is fixed once assessments use it."""
    if criteria_set.is_locked:
        raise DomainError(
            "Bộ tiêu chí đã được dùng cho quyết định công nhận nên không sửa được; "
            "hãy sao chép thành phiên bản mới."
        )
    name = text_value(data.name, "name", "tên bộ tiêu chí", 255, required=True)
    reference = text_value(data.reference, "reference", "văn bản ban hành", 255, required=True)
    note = text_value(data.reference_note, "reference_note", "ghi chú", 5000, multiline=True)
    target = text_value(data.target_group, "target_group", "đối tượng áp dụng", 255,
                        required=True)
    used = assessments_using(session, criteria_set)
    rule_fields = _rule_fields(criteria_set, data)
    if used and rule_fields != _current_rule_fields(criteria_set):
        raise DomainError(
            f"Đã có {used} phiếu đánh giá theo bộ tiêu chí này nên không sửa được năm áp dụng, "
            "ngưỡng điểm, chỉ số hay điều kiện; hãy sao chép thành phiên bản mới."
        )
    criteria_set.name, criteria_set.reference = name, reference
    criteria_set.reference_note, criteria_set.target_group = note, target
    if not used:
        (criteria_set.period_start, criteria_set.period_end, criteria_set.pass_total,
         criteria_set.min_per_indicator, areas, criteria_set.min_hours, criteria_set.min_age,
         criteria_set.employed_in_commune_on, indicators) = rule_fields
        criteria_set.required_areas = list(areas)
        by_code = {indicator.code: indicator for indicator in criteria_set.indicators}
        for code, text, short_label, max_points in indicators:
            indicator = by_code[code]
            indicator.text, indicator.short_label = text, short_label
            indicator.max_points = max_points
    session.flush()
    return criteria_set


def _current_rule_fields(criteria_set: CriteriaSet) -> tuple:
    return (
        criteria_set.period_start,
        criteria_set.period_end,
        criteria_set.pass_total,
        criteria_set.min_per_indicator,
        tuple(sorted(criteria_set.required_areas or [])),
        criteria_set.min_hours,
        criteria_set.min_age,
        criteria_set.employed_in_commune_on,
        tuple(
            (i.code, i.text, i.short_label, i.max_points) for i in criteria_set.indicators
        ),
    )


def _rule_fields(criteria_set: CriteriaSet, data: CriteriaSetEdit) -> tuple:
    """The rule part of the edit, checked."""
    start, end = data.period_start, data.period_end
    if start is None or not FIRST_YEAR - 1 <= start <= 2100:
        raise DomainError(period_start="Năm bắt đầu áp dụng không hợp lệ.")
    if end is None or not start <= end <= 2100:
        raise DomainError(period_end="Năm kết thúc phải từ năm bắt đầu trở đi.")
    unknown = set(data.required_areas) - AREA_LABELS.keys()
    if unknown:
        raise DomainError(required_areas="Hãy chọn lĩnh vực trong danh sách.")
    min_hours = None
    if data.min_hours not in (None, ""):
        min_hours = _points(data.min_hours, "min_hours", "Số giờ học tối thiểu")
    if data.min_age is not None and not 0 <= data.min_age <= 100:
        raise DomainError(min_age="Tuổi tối thiểu phải từ 0 đến 100.")
    by_code = {indicator.code: indicator for indicator in criteria_set.indicators}
    indicators = []
    for entry in data.indicators:
        if entry.code not in by_code:
            raise DomainError(f"Bộ tiêu chí không có chỉ số {entry.code}.")
        prefix = f"indicators-{entry.code - 1}-"
        text = text_value(entry.text, prefix + "text", f"nội dung chỉ số {entry.code}", 2000,
                          required=True)
        short = text_value(entry.short_label, prefix + "short_label",
                           f"tên ngắn chỉ số {entry.code}", 120, required=True)
        points = _points(entry.max_points, prefix + "max_points",
                         f"Điểm tối đa chỉ số {entry.code}", positive=True)
        indicators.append((entry.code, text, short, points))
    for code in sorted(set(by_code) - {entry.code for entry in data.indicators}):
        i = by_code[code]
        indicators.append((code, i.text, i.short_label, i.max_points))
    indicators.sort()
    max_total = sum((points for *_rest, points in indicators), Decimal(0))
    pass_total = _points(data.pass_total, "pass_total", "Tổng điểm đạt", positive=True)
    if pass_total > max_total:
        raise DomainError(
            pass_total=f"Tổng điểm đạt {format_decimal(pass_total)} lớn hơn tổng điểm tối đa "
            f"{format_decimal(max_total)}."
        )
    minimum = _points(data.min_per_indicator, "min_per_indicator", "Điểm tối thiểu mỗi chỉ số")
    lowest_max = min(points for *_rest, points in indicators)
    if minimum > lowest_max:
        raise DomainError(
            min_per_indicator=f"Điểm tối thiểu {format_decimal(minimum)} lớn hơn điểm tối đa "
            f"của một chỉ số ({format_decimal(lowest_max)})."
        )
    return (
        start, end, pass_total, minimum, tuple(sorted(set(data.required_areas))), min_hours,
        data.min_age, data.employed_in_commune_on, tuple(indicators),
    )


LOCKED_MESSAGE = (
    "Bộ tiêu chí đã được dùng cho quyết định công nhận nên không sửa được; "
    "hãy sao chép thành phiên bản mới."
)


def evidence_rules_of(criteria_set: CriteriaSet) -> tuple[EvidenceRule, ...]:
    """The set's evidence mapping, for the evidence module."""
    return tuple(rule.as_rule() for rule in criteria_set.evidence_rules)


def add_evidence_rule(
    session: Session,
    criteria_set: CriteriaSet,
    area: str | None,
    form: str | None,
    indicator_code: int | None,
    suggest_points: object = None,
) -> CriteriaEvidenceRule:
    """Add a line to the set's evidence mapping; refused while the set is locked."""
    if criteria_set.is_locked:
        raise DomainError(LOCKED_MESSAGE)
    area, form = area or None, form or None
    errors: dict[str, str] = {}
    if area is not None and area not in AREA_LABELS:
        errors["area"] = "Hãy chọn lĩnh vực trong danh sách."
    if form is not None and form not in FORM_LABELS:
        errors["form"] = "Hãy chọn hình thức trong danh sách."
    indicators = {i.code: i for i in criteria_set.indicators}
    indicator = indicators.get(indicator_code) if indicator_code is not None else None
    if indicator is None:
        errors["indicator_code"] = "Hãy chọn một chỉ số của bộ tiêu chí."
    points = None
    if suggest_points not in (None, ""):
        try:
            points = _points(suggest_points, "suggest_points", "Điểm gợi ý")
        except DomainError as error:
            errors.update(error.fields)
        else:
            if indicator is not None and points > indicator.max_points:
                errors["suggest_points"] = (
                    f"Điểm gợi ý {format_decimal(points)} lớn hơn điểm tối đa của chỉ số "
                    f"{indicator.code} ({format_decimal(indicator.max_points)})."
                )
    if errors:
        raise DomainError("Chưa thêm: hãy sửa các ô báo lỗi.", **errors)
    for rule in criteria_set.evidence_rules:
        if (rule.area, rule.form, rule.indicator_code) == (area, form, indicator_code):
            raise DomainError(
                indicator_code=f"Bảng đã có dòng này cho chỉ số {indicator_code}; hãy xóa dòng "
                "cũ trước khi thêm lại với điểm gợi ý khác."
            )
    rule = CriteriaEvidenceRule(
        area=area, form=form, indicator_code=indicator_code, suggest_points=points
    )
    criteria_set.evidence_rules.append(rule)
    criteria_set.updated_at = utcnow()
    session.flush()
    return rule


def delete_evidence_rule(
    session: Session, criteria_set: CriteriaSet, rule: CriteriaEvidenceRule
) -> None:
    """Take a line off the set's evidence mapping; refused while the set is locked."""
    if criteria_set.is_locked:
        raise DomainError(LOCKED_MESSAGE)
    if rule.criteria_set_id != criteria_set.id:
        raise DomainError("Dòng này không thuộc bộ tiêu chí.")
    criteria_set.evidence_rules.remove(rule)
    criteria_set.updated_at = utcnow()
    session.flush()


def activate_criteria_set(session: Session, criteria_set: CriteriaSet) -> list[CriteriaSet]:
    """Make the set the one new assessments of its years use; returns the sets it replaces.

    Existing assessments keep the set they were made under.
    """
    replaced = list(
        session.scalars(
            select(CriteriaSet).where(
                CriteriaSet.is_active,
                CriteriaSet.id != criteria_set.id,
                CriteriaSet.period_start <= criteria_set.period_end,
                CriteriaSet.period_end >= criteria_set.period_start,
            )
        )
    )
    for other in replaced:
        other.is_active = False
    criteria_set.is_active = True
    session.flush()
    return replaced


# --- who may do what with assessments ------------------------------------------------------


def assessments_in_scope(scope: Scope) -> ColumnElement[bool]:
    """Filter on Assessment: those of the enterprises the user sees."""
    if scope.role == Role.ADMIN:
        return true()
    if scope.role == Role.ENTERPRISE:
        return Assessment.enterprise_id == scope.enterprise_id
    return Assessment.enterprise_id.in_(scope.enterprise_ids())


def can_edit(scope: Scope) -> bool:
    """Enter, review and submit assessments (not provincial viewers)."""
    return not scope.read_only


def can_decide(scope: Scope) -> bool:
    """Approve or return assessments: commune officers (and administrators)."""
    return scope.role in (Role.ADMIN, Role.COMMUNE)


def _check_version(assessment: Assessment, version: int | None) -> None:
    if version is not None and version != assessment.version:
        raise DomainError(STALE_MESSAGE)


def _flush(session: Session) -> None:
    """Flush, turning a concurrent update of the same assessment into the Vietnamese refusal."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise DomainError(STALE_MESSAGE) from exc


def _touch(assessment: Assessment) -> None:
    """Change the assessment row itself so that its version moves on."""
    assessment.updated_at = utcnow()


def _transition(
    session: Session, assessment: Assessment, to: AssessmentStatus, note: str = ""
) -> None:
    user_id, actor = _actor(session)
    assessment.transitions.append(
        AssessmentTransition(
            from_status=assessment.status if assessment.id else None,
            to_status=to,
            user_id=user_id,
            actor=actor,
            note=note,
        )
    )
    assessment.status = to
    _touch(assessment)


# --- creating and scoring ------------------------------------------------------------------


def create_assessment(session: Session, scope: Scope, worker: Worker, year: int) -> Assessment:
    """Open the worker's assessment of the year as a draft, under the year's active set."""
    if not can_edit(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    if not FIRST_YEAR <= year <= date.today().year:
        raise DomainError(
            year=f"Năm đánh giá phải từ {FIRST_YEAR} đến {date.today().year}."
        )
    if worker.archived_at is not None:
        raise DomainError(
            f"Người lao động {worker.full_name} đã được lưu trữ; không thể lập phiếu đánh giá."
        )
    if worker.current_enterprise_id is None:
        raise DomainError(
            f"Người lao động {worker.full_name} hiện không làm việc tại doanh nghiệp nào; "
            "không thể lập phiếu đánh giá."
        )
    if not scope.can_edit_worker(worker):
        raise DomainError(f"Người lao động {worker.full_name} không thuộc phạm vi của bạn.")
    existing = session.scalar(
        select(Assessment.id).where(Assessment.worker_id == worker.id, Assessment.year == year)
    )
    if existing is not None:
        raise DomainError(f"{worker.full_name} đã có phiếu đánh giá năm {year}.")
    criteria_set = active_criteria_set(session, year)
    if criteria_set is None:
        raise DomainError(
            year=f"Chưa có bộ tiêu chí đang áp dụng cho năm {year}; quản trị viên cần kích "
            "hoạt một bộ tiêu chí trước khi đánh giá."
        )
    assessment = Assessment(
        worker_id=worker.id,
        year=year,
        criteria_set_id=criteria_set.id,
        enterprise_id=worker.current_enterprise_id,
        status=AssessmentStatus.DRAFT,
    )
    assessment.criteria_set = criteria_set
    _transition(session, assessment, AssessmentStatus.DRAFT)
    session.add(assessment)
    session.flush()
    return assessment


@dataclass
class ScoreEntry:
    """One indicator as entered: the score (text or number; empty: not scored), the evidence
    note and, when a reviewer changes the score, the reason."""

    raw: object
    note: str = ""
    reason: str = ""


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def save_scores(
    session: Session,
    scope: Scope,
    assessment: Assessment,
    entries: Mapping[int, ScoreEntry],
    version: int | None,
    note: str | None = None,
) -> list[ScoreChange]:
    """Save the scores and evidence notes; every invalid field is reported and nothing is saved.

    While the assessment is under review, each changed score needs a reason and is kept as a
    ScoreChange.  Returns the changes recorded.
    """
    if not can_edit(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    _check_version(assessment, version)
    if assessment.status == AssessmentStatus.APPROVED:
        raise DomainError("Phiếu đánh giá đã được phê duyệt; không sửa được điểm.")
    reviewing = assessment.status in UNDER_REVIEW
    indicators = {i.code: i for i in assessment.criteria_set.indicators}
    unknown = sorted(set(entries) - indicators.keys())
    if unknown:
        raise DomainError(f"Bộ tiêu chí của phiếu không có chỉ số {unknown[0]}.")
    current = {score.indicator_code: score for score in assessment.scores}
    errors: dict[str, str] = {}
    planned: list[tuple[int, Decimal | None, str, str]] = []
    for code, entry in sorted(entries.items()):
        indicator = indicators[code].as_rule()
        value: Decimal | None = None
        if not _blank(entry.raw):
            try:
                value = validate_score(indicator, entry.raw)
            except ScoreError as error:
                errors[f"score_{code}"] = str(error) + "."
                continue
        try:
            evidence = text_value(entry.note, f"note_{code}", f"minh chứng chỉ số {code}", 500)
            reason = text_value(entry.reason, f"reason_{code}", f"lý do chỉ số {code}", 500)
        except DomainError as error:
            errors.update(error.fields)
            continue
        old = current[code].score if code in current else None
        if reviewing and value != old:
            if value is None:
                errors[f"score_{code}"] = (
                    f"Chỉ số {code}: không được xóa điểm khi thẩm định; hãy nhập điểm mới."
                )
                continue
            if not reason:
                errors[f"reason_{code}"] = (
                    f"Chỉ số {code}: cần ghi lý do khi đổi điểm "
                    f"{format_decimal(old) if old is not None else 'trống'} → "
                    f"{format_decimal(value)}."
                )
                continue
        planned.append((code, value, evidence, reason))
    if errors:
        raise DomainError("Chưa lưu: hãy sửa các ô báo lỗi.", **errors)
    if note is not None:
        assessment.note = text_value(note, "note", "nhận xét", 2000, multiline=True)
    user_id, actor = _actor(session)
    changes = []
    for code, value, evidence, reason in planned:
        score = current.get(code)
        old = score.score if score is not None else None
        if reviewing and value != old:
            change = ScoreChange(
                indicator_code=code, old_score=old, new_score=value, reason=reason,
                status=assessment.status, user_id=user_id, actor=actor,
            )
            assessment.score_changes.append(change)
            changes.append(change)
        if value is None:
            if score is not None:
                assessment.scores.remove(score)
            continue
        if score is None:
            assessment.scores.append(
                AssessmentScore(indicator_code=code, score=value, evidence_note=evidence)
            )
        else:
            score.score, score.evidence_note = value, evidence
    _touch(assessment)
    _flush(session)
    return changes


def missing_indicators(assessment: Assessment) -> list[int]:
    """The indicators of the set not yet scored."""
    scored = {score.indicator_code for score in assessment.scores}
    return [i.code for i in assessment.criteria_set.indicators if i.code not in scored]


def total_of(assessment: Assessment) -> Decimal | None:
    """The total when every indicator is scored."""
    if missing_indicators(assessment):
        return None
    return sum((score.score for score in assessment.scores), Decimal(0))


# --- the status flow -----------------------------------------------------------------------


def submit_assessment(
    session: Session, scope: Scope, assessment: Assessment, version: int | None
) -> None:
    """The self-assessment is complete: hand it to the reviewers."""
    if not can_edit(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    _check_version(assessment, version)
    if assessment.status not in EDITABLE:
        raise DomainError(
            f"Chỉ nộp được phiếu đang tự đánh giá hoặc bị trả lại (phiếu đang ở bước "
            f"«{assessment.status.label}»)."
        )
    missing = missing_indicators(assessment)
    if missing:
        partly = len(missing) < len(assessment.criteria_set.indicators)
        raise DomainError(f"Chưa nộp được: {missing_reason(missing, partly)}.")
    _transition(session, assessment, AssessmentStatus.SUBMITTED)
    _flush(session)


def review_assessment(
    session: Session, scope: Scope, assessment: Assessment, version: int | None, note: str = ""
) -> None:
    """The reviewers have checked the scores (changing any with a reason)."""
    if not can_edit(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    _check_version(assessment, version)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise DomainError(
            f"Chỉ thẩm định được phiếu đã nộp (phiếu đang ở bước «{assessment.status.label}»)."
        )
    _transition(session, assessment, AssessmentStatus.REVIEWED,
                text_value(note, "note", "ý kiến thẩm định", 500))
    _flush(session)


def approve_assessment(
    session: Session, scope: Scope, assessment: Assessment, version: int | None, note: str = ""
) -> None:
    """The commune approves the reviewed assessment."""
    if not can_decide(scope):
        raise DomainError("Chỉ cán bộ Công đoàn xã, phường phê duyệt phiếu đánh giá.")
    _check_version(assessment, version)
    if assessment.status in EDITABLE:
        raise DomainError("Phiếu chưa được nộp (người lao động chưa tự đánh giá xong); "
                          "không thể phê duyệt.")
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise DomainError("Phiếu chưa được thẩm định; không thể phê duyệt.")
    if assessment.status == AssessmentStatus.APPROVED:
        raise DomainError("Phiếu đã được phê duyệt.")
    _transition(session, assessment, AssessmentStatus.APPROVED,
                text_value(note, "note", "ý kiến phê duyệt", 500))
    _flush(session)


def return_assessment(
    session: Session, scope: Scope, assessment: Assessment, version: int | None, note: str
) -> None:
    """The commune sends the assessment back to be corrected, saying why."""
    if not can_decide(scope):
        raise DomainError("Chỉ cán bộ Công đoàn xã, phường trả lại phiếu đánh giá.")
    _check_version(assessment, version)
    if assessment.status not in UNDER_REVIEW:
        raise DomainError(
            f"Chỉ trả lại được phiếu đã nộp hoặc đã thẩm định (phiếu đang ở bước "
            f"«{assessment.status.label}»)."
        )
    reason = text_value(note, "note", "lý do trả lại", 500, required=True)
    _transition(session, assessment, AssessmentStatus.RETURNED, reason)
    _flush(session)


# --- evidence from the registry ------------------------------------------------------------


@dataclass
class Evidence:
    """The worker's participations of the year grouped by indicator, and suggested scores."""

    participations: dict[int, Participation]
    by_indicator: dict[int, list[EvidenceItem]]
    suggestions: dict[int, Decimal]


def evidence_for(session: Session, assessment: Assessment) -> Evidence:
    """Participations of the assessed year (all enterprises), as evidence for the indicators."""
    year = assessment.year
    participations = session.scalars(
        select(Participation)
        .join(Activity, Activity.id == Participation.activity_id)
        .options(selectinload(Participation.activity))
        .where(
            Participation.worker_id == assessment.worker_id,
            Participation.archived_at.is_(None),
            Activity.archived_at.is_(None),
            Participation.attended_on >= date(year, 1, 1),
            Participation.attended_on <= date(year, 12, 31),
        )
        .order_by(Participation.attended_on, Participation.id)
    ).all()
    items = [
        EvidenceItem(
            p.activity.area.value, p.activity.form.value, p.hours,
            participation_id=p.id, activity_name=p.activity.title,
        )
        for p in participations
    ]
    rules = evidence_rules_of(assessment.criteria_set)
    grouped = group_evidence(items, rules)
    suggestions = suggest_scores(grouped, rules, assessment.criteria_set.rule_set().indicators)
    return Evidence({p.id: p for p in participations}, grouped, suggestions)


# --- many workers at once ------------------------------------------------------------------


@dataclass
class GridRow:
    """One worker's line of the score grid as posted."""

    worker_id: int
    version: int | None
    scores: dict[int, str]
    reason: str = ""


def grid_workers(session: Session, scope: Scope, enterprise_id: int, limit: int) -> list[Worker]:
    """The enterprise's current, active workers in name order (at most limit + 1)."""
    return list(
        session.scalars(
            select(Worker)
            .where(
                Worker.current_enterprise_id == enterprise_id,
                Worker.archived_at.is_(None),
                scope.current_workers(),
            )
            .order_by(Worker.sort_key, Worker.id)
            .limit(limit + 1)
        )
    )


def assessments_of(session: Session, worker_ids: list[int], year: int) -> dict[int, Assessment]:
    """The year's assessments of these workers, with their scores, by worker."""
    if not worker_ids:
        return {}
    rows = session.scalars(
        select(Assessment)
        .options(selectinload(Assessment.scores))
        .where(Assessment.worker_id.in_(worker_ids), Assessment.year == year)
    )
    return {assessment.worker_id: assessment for assessment in rows}


def save_grid(
    session: Session, scope: Scope, year: int, rows: list[GridRow], allowed: Mapping[int, Worker]
) -> int:
    """Save the grid: drafts are opened where needed; any error refuses the whole grid.

    Errors are reported per cell as fields "w<worker>_s<indicator>" and "w<worker>_reason".
    Returns the number of assessments changed.
    """
    if not can_edit(scope):
        raise DomainError("Tài khoản của bạn chỉ được xem.")
    existing = assessments_of(session, [row.worker_id for row in rows], year)
    errors: dict[str, str] = {}
    general: list[str] = []
    changed = 0
    for row in rows:
        worker = allowed.get(row.worker_id)
        if worker is None:
            general.append(f"Người lao động #{row.worker_id} không thuộc bảng điểm này.")
            continue
        assessment = existing.get(row.worker_id)
        filled = {code: raw for code, raw in row.scores.items() if not _blank(raw)}
        if assessment is None:
            if not filled:
                continue
            try:
                assessment = create_assessment(session, scope, worker, year)
            except DomainError as error:
                general.append(f"{worker.full_name}: {' '.join(error.messages)}")
                continue
        elif assessment.status == AssessmentStatus.APPROVED:
            continue
        before = assessment.score_map()
        wanted = {code: (None if _blank(raw) else raw) for code, raw in row.scores.items()}
        notes = {s.indicator_code: s.evidence_note for s in assessment.scores}
        entries = {
            code: ScoreEntry(raw, notes.get(code, ""), row.reason)
            for code, raw in wanted.items()
        }
        try:
            save_scores(session, scope, assessment, entries, row.version)
        except DomainError as error:
            for name, message in error.fields.items():
                kind, _, code = name.partition("_")
                cell = f"w{row.worker_id}_" + (f"s{code}" if kind == "score" else "reason")
                errors[cell] = f"{worker.full_name} — {message}"
            if not error.fields:
                general.append(f"{worker.full_name}: {error.message}")
            continue
        if assessment.score_map() != before:
            changed += 1
    if errors or general:
        raise DomainError(" ".join(["Chưa lưu bảng điểm.", *general]), **errors)
    return changed


def submit_complete(
    session: Session, scope: Scope, year: int, worker_ids: list[int]
) -> int:
    """Submit every draft or returned assessment of these workers that is fully scored."""
    count = 0
    for assessment in assessments_of(session, worker_ids, year).values():
        if assessment.status in EDITABLE and not missing_indicators(assessment):
            submit_assessment(session, scope, assessment, None)
            count += 1
    return count


def latest_year(session: Session, scope: Scope) -> int:
    """The latest year with an assessment in scope (this year when there is none)."""
    year = session.scalar(select(func.max(Assessment.year)).where(assessments_in_scope(scope)))
    return year or date.today().year


def status_counts(session: Session, scope: Scope, year: int) -> dict[AssessmentStatus, int]:
    """How many assessments of the year are at each step, in the user's scope."""
    rows = session.execute(
        select(Assessment.status, func.count())
        .where(Assessment.year == year, assessments_in_scope(scope))
        .group_by(Assessment.status)
    ).tuples()
    counts = dict.fromkeys(AssessmentStatus, 0)
    counts.update(dict(rows.all()))
    return counts

"""Criteria sets, assessments (form, status steps, score grid) and the eligibility table.

    GET      /bo-tieu-chi                       assessment.list_criteria_sets
    GET      /bo-tieu-chi/<id>                  assessment.show_criteria_set
    GET/POST /bo-tieu-chi/<id>/sua              assessment.edit_criteria_set
    POST     /bo-tieu-chi/<id>/sao-chep         assessment.clone_criteria_set
    POST     /bo-tieu-chi/<id>/ap-dung          assessment.activate_criteria_set
    POST     /bo-tieu-chi/<id>/minh-chung       assessment.add_evidence_rule
    POST     /bo-tieu-chi/<id>/minh-chung/<rule>/xoa  assessment.delete_evidence_rule
    GET      /danh-gia                          assessment.list_assessments
    POST     /danh-gia/lap                      assessment.create_assessment
    GET/POST /danh-gia/bang-diem                assessment.score_grid
    GET/POST /danh-gia/<id>                     assessment.edit_assessment
    POST     /danh-gia/<id>/nop                 assessment.submit_assessment
    POST     /danh-gia/<id>/tham-dinh           assessment.review_assessment
    POST     /danh-gia/<id>/phe-duyet           assessment.approve_assessment
    POST     /danh-gia/<id>/tra-lai             assessment.return_assessment
    GET      /xet-cong-nhan                     assessment.eligibility_table
    GET      /xet-cong-nhan/tai-xuong           assessment.export_eligibility
    GET/POST /xet-cong-nhan/dieu-kien-xa/<id>   assessment.commune_conditions
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from registry.assessment import conditions as local
from registry.assessment import imports as _imports  # noqa: F401  (registers the writer)
from registry.assessment import services
from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.assessment.export import eligibility_workbook
from registry.assessment.forms import (
    AssessmentForm,
    CommuneConditionsForm,
    CreateAssessmentForm,
    CriteriaSetForm,
    EvidenceRuleForm,
    GridForm,
    StepForm,
)
from registry.assessment.models import (
    Assessment,
    AssessmentStatus,
    CriteriaEvidenceRule,
    CriteriaSet,
)
from registry.assessment.services import (
    CriteriaSetEdit,
    GridRow,
    IndicatorEdit,
    ScoreEntry,
    assessments_in_scope,
)
from registry.audit.services import history
from registry.auth.models import Role
from registry.auth.services import scope
from registry.enterprises.models import Enterprise
from registry.enterprises.services import enterprise_filter
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.learning.models import ActivityForm, Area
from registry.pagination import paginate, requested_page
from registry.text import fold
from registry.units.models import Commune
from registry.units.services import served_communes
from registry.views import confirmed_change, requested_year
from registry.workers.models import Worker
from registry.workers.services import filter_by_name

bp = Blueprint("assessment", __name__)

#: The score grid shows at most this many workers; a larger enterprise is paged.
GRID_LIMIT = 100
#: Sort keys of the eligibility table.
SORTS = {
    "ten": "Họ tên",
    "tong": "Tổng điểm",
    "thap": "Điểm thấp nhất",
    "ket_qua": "Kết quả",
    "dn": "Doanh nghiệp",
}


def _year() -> int:
    """The year asked for, else the latest year with assessments in scope, else this year."""
    year = requested_year() or services.latest_year(db.session, scope())
    return min(max(year, services.FIRST_YEAR), date.today().year)


def _years() -> range:
    return range(date.today().year, services.FIRST_YEAR - 1, -1)


# --- criteria sets -------------------------------------------------------------------------


def _admin_only() -> None:
    if scope().role != Role.ADMIN:
        abort(403)


def _criteria_set_or_404(criteria_set_id: int) -> CriteriaSet:
    return db.get_or_404(CriteriaSet, criteria_set_id)


@bp.get("/bo-tieu-chi")
@login_required
def list_criteria_sets():
    sets = db.session.scalars(
        select(CriteriaSet).order_by(CriteriaSet.period_start.desc(), CriteriaSet.id.desc())
    ).all()
    return render_template(
        "assessment/criteria_sets.html", sets=sets, confirm=ConfirmForm(),
        is_admin=scope().role == Role.ADMIN,
    )


@bp.get("/bo-tieu-chi/<int:criteria_set_id>")
@login_required
def show_criteria_set(criteria_set_id: int):
    criteria_set = _criteria_set_or_404(criteria_set_id)
    return render_template(
        "assessment/criteria_set.html",
        criteria_set=criteria_set,
        used=services.assessments_using(db.session, criteria_set),
        areas={area.value: area.label for area in Area},
        forms={form.value: form.label for form in ActivityForm},
        is_admin=scope().role == Role.ADMIN,
        history=history(db.session, "criteria_sets", criteria_set.id),
        confirm=ConfirmForm(),
        rule_form=_evidence_rule_form(criteria_set),
    )


def _evidence_rule_form(criteria_set: CriteriaSet) -> EvidenceRuleForm:
    form = EvidenceRuleForm()
    form.indicator_code.choices = [
        SelectChoice(i.code, f"{i.code}. {i.short_label}") for i in criteria_set.indicators
    ]
    return form


@bp.post("/bo-tieu-chi/<int:criteria_set_id>/minh-chung")
@login_required
def add_evidence_rule(criteria_set_id: int):
    _admin_only()
    criteria_set = _criteria_set_or_404(criteria_set_id)
    form = _evidence_rule_form(criteria_set)
    back = redirect(url_for("assessment.show_criteria_set", criteria_set_id=criteria_set.id,
                            _anchor="minh-chung"))
    if not form.validate_on_submit():
        for field in (form.area, form.activity_form, form.indicator_code, form.suggest_points):
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "danger")
        return back
    try:
        rule = services.add_evidence_rule(
            db.session, criteria_set, form.area.data, form.activity_form.data,
            form.indicator_code.data, form.suggest_points.data,
        )
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
        return back
    db.session.commit()
    flash(f"Đã thêm vào bảng minh chứng: {_rule_label(rule)}.", "success")
    return back


def _rule_label(rule: CriteriaEvidenceRule) -> str:
    area = Area(rule.area).label if rule.area else "mọi lĩnh vực"
    form = ActivityForm(rule.form).label if rule.form else "mọi hình thức"
    return f"{area} · {form} → chỉ số {rule.indicator_code}"


@bp.post("/bo-tieu-chi/<int:criteria_set_id>/minh-chung/<int:rule_id>/xoa")
@login_required
def delete_evidence_rule(criteria_set_id: int, rule_id: int):
    _admin_only()
    criteria_set = _criteria_set_or_404(criteria_set_id)
    rule = db.session.scalar(
        select(CriteriaEvidenceRule).where(
            CriteriaEvidenceRule.id == rule_id,
            CriteriaEvidenceRule.criteria_set_id == criteria_set.id,
        )
    ) or abort(404)
    label = _rule_label(rule)
    confirmed_change(
        lambda: services.delete_evidence_rule(db.session, criteria_set, rule),
        f"Đã xóa khỏi bảng minh chứng: {label}.",
    )
    return redirect(url_for("assessment.show_criteria_set", criteria_set_id=criteria_set.id,
                            _anchor="minh-chung"))


#: Fields of the rule itself, fixed once assessments use the set.
RULE_FIELDS = (
    "period_start", "period_end", "pass_total", "min_per_indicator", "required_areas",
    "min_hours", "min_age", "employed_in_commune_on", "indicators",
)


def _criteria_edit(form: CriteriaSetForm, criteria_set: CriteriaSet) -> CriteriaSetEdit:
    """The edit as entered; rule fields removed from the form keep the set's values."""

    def value(name: str):
        field = getattr(form, name, None)
        return getattr(criteria_set, name) if field is None else field.data

    if getattr(form, "indicators", None) is None:
        indicators = [
            IndicatorEdit(i.code, i.text, i.short_label, i.max_points)
            for i in criteria_set.indicators
        ]
    else:
        indicators = [
            IndicatorEdit(
                int(row.code.data), row.text.data, row.short_label.data, row.max_points.data
            )
            for row in form.indicators
            if str(row.code.data).isdigit()
        ]
    return CriteriaSetEdit(
        name=form.name.data,
        reference=form.reference.data,
        reference_note=form.reference_note.data or "",
        target_group=form.target_group.data,
        period_start=value("period_start"),
        period_end=value("period_end"),
        pass_total=value("pass_total"),
        min_per_indicator=value("min_per_indicator"),
        required_areas=list(value("required_areas") or []),
        min_hours=value("min_hours"),
        min_age=value("min_age"),
        employed_in_commune_on=value("employed_in_commune_on"),
        indicators=indicators,
    )


@bp.route("/bo-tieu-chi/<int:criteria_set_id>/sua", methods=["GET", "POST"])
@login_required
def edit_criteria_set(criteria_set_id: int):
    _admin_only()
    criteria_set = _criteria_set_or_404(criteria_set_id)
    if criteria_set.is_locked:
        flash("Bộ tiêu chí đã được dùng cho quyết định công nhận nên không sửa được; "
              "hãy sao chép thành phiên bản mới.", "warning")
        return redirect(url_for("assessment.show_criteria_set", criteria_set_id=criteria_set.id))
    used = services.assessments_using(db.session, criteria_set)
    form = CriteriaSetForm(obj=criteria_set)
    if used:
        for name in RULE_FIELDS:
            delattr(form, name)
    elif request.method == "GET":
        form.required_areas.data = list(criteria_set.required_areas or [])
        while len(form.indicators):
            form.indicators.pop_entry()
        for indicator in criteria_set.indicators:
            form.indicators.append_entry(indicator)
    if form.validate_on_submit():
        try:
            services.update_criteria_set(
                db.session, criteria_set, _criteria_edit(form, criteria_set)
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
            _indicator_errors(form, error)
        else:
            db.session.commit()
            flash("Đã lưu bộ tiêu chí.", "success")
            return redirect(
                url_for("assessment.show_criteria_set", criteria_set_id=criteria_set.id)
            )
    return render_template(
        "assessment/criteria_set_form.html",
        form=form,
        criteria_set=criteria_set,
        used=used,
    )


def _indicator_errors(form: CriteriaSetForm, error: DomainError) -> None:
    """Put "indicators-N-field" messages of the service on the indicator rows."""
    for name, message in error.fields.items():
        if not name.startswith("indicators-"):
            continue
        _prefix, index, field_name = name.split("-", 2)
        if int(index) < len(form.indicators):
            field = getattr(form.indicators[int(index)].form, field_name)
            field.errors = [*field.errors, message]


@bp.post("/bo-tieu-chi/<int:criteria_set_id>/sao-chep")
@login_required
def clone_criteria_set(criteria_set_id: int):
    _admin_only()
    criteria_set = _criteria_set_or_404(criteria_set_id)
    created: list[CriteriaSet] = []
    if confirmed_change(
        lambda: created.append(services.clone_criteria_set(db.session, criteria_set)),
        "Đã tạo phiên bản mới của bộ tiêu chí (chưa áp dụng); hãy sửa rồi kích hoạt.",
    ):
        return redirect(url_for("assessment.edit_criteria_set", criteria_set_id=created[0].id))
    return redirect(url_for("assessment.show_criteria_set", criteria_set_id=criteria_set_id))


@bp.post("/bo-tieu-chi/<int:criteria_set_id>/ap-dung")
@login_required
def activate_criteria_set(criteria_set_id: int):
    _admin_only()
    criteria_set = _criteria_set_or_404(criteria_set_id)
    confirmed_change(
        lambda: services.activate_criteria_set(db.session, criteria_set),
        f"Đã áp dụng bộ tiêu chí cho phiếu đánh giá mới các năm {criteria_set.years_label}; "
        "phiếu đã lập giữ bộ tiêu chí cũ.",
    )
    return redirect(url_for("assessment.show_criteria_set", criteria_set_id=criteria_set_id))


# --- the list of assessments ---------------------------------------------------------------


@bp.get("/danh-gia")
@login_required
def list_assessments():
    s = scope()
    year = _year()
    query = request.args.get("q", "")
    status = request.args.get("trang_thai", "")
    enterprise_id, enterprises = enterprise_filter(db.session, s, request.args)
    stmt = (
        select(Worker.id, Worker.full_name, Enterprise.name.label("enterprise_name"),
               Assessment.id.label("assessment_id"), Assessment.status)
        .outerjoin(Assessment, and_(Assessment.worker_id == Worker.id, Assessment.year == year))
        .outerjoin(
            Enterprise,
            Enterprise.id
            == func.coalesce(Assessment.enterprise_id, Worker.current_enterprise_id),
        )
        .where(
            or_(
                and_(s.current_workers(), Worker.archived_at.is_(None)),
                and_(Assessment.id.is_not(None), assessments_in_scope(s)),
            )
        )
        .order_by(Worker.sort_key, Worker.id)
    )
    if enterprise_id:
        stmt = stmt.where(
            or_(Assessment.enterprise_id == enterprise_id,
                and_(Assessment.id.is_(None), Worker.current_enterprise_id == enterprise_id))
        )
    if status == "none":
        stmt = stmt.where(Assessment.id.is_(None))
    elif status in {member.value for member in AssessmentStatus}:
        stmt = stmt.where(Assessment.status == AssessmentStatus(status))
    if query:
        stmt = filter_by_name(db.session, stmt, query, s.sees_personal_data)
    page = paginate(db.session, stmt, scalars=False)
    return render_template(
        "assessment/list.html",
        page=page,
        year=year,
        years=_years(),
        query=query,
        status=status,
        statuses=list(AssessmentStatus),
        counts=services.status_counts(db.session, s, year),
        enterprise_id=enterprise_id,
        enterprises=enterprises,
        can_edit=services.can_edit(s),
        create_form=CreateAssessmentForm(),
        has_active_set=services.active_criteria_set(db.session, year) is not None,
    )


@bp.post("/danh-gia/lap")
@login_required
def create_assessment():
    s = scope()
    if not services.can_edit(s):
        abort(403)
    form = CreateAssessmentForm()
    if not form.validate_on_submit():
        flash("Hãy chọn người lao động và năm đánh giá.", "danger")
        return redirect(url_for("assessment.list_assessments"))
    worker = db.session.scalar(
        select(Worker).where(Worker.id == form.worker_id.data, s.workers())
    ) or abort(404)
    try:
        assessment = services.create_assessment(db.session, s, worker, form.year.data)
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
        return redirect(url_for("assessment.list_assessments", nam=form.year.data))
    db.session.commit()
    flash(f"Đã lập phiếu đánh giá năm {assessment.year} cho {worker.full_name}.", "success")
    return redirect(url_for("assessment.edit_assessment", assessment_id=assessment.id))


# --- one assessment ------------------------------------------------------------------------


def _assessment_or_404(assessment_id: int) -> Assessment:
    return db.session.scalar(
        select(Assessment)
        .options(
            selectinload(Assessment.scores),
            selectinload(Assessment.transitions),
            selectinload(Assessment.score_changes),
        )
        .where(Assessment.id == assessment_id, assessments_in_scope(scope()))
    ) or abort(404)


def _fill(form: AssessmentForm, assessment: Assessment) -> None:
    """The form's indicator rows, one per indicator of the set, with the saved values."""
    posted = {str(row.code.data): row for row in form.indicators}
    scores = {score.indicator_code: score for score in assessment.scores}
    while len(form.indicators):
        form.indicators.pop_entry()
    for indicator in assessment.criteria_set.indicators:
        saved = scores.get(indicator.code)
        row = posted.get(str(indicator.code))
        if row is not None:
            data = {"code": indicator.code, "score": row.score.data, "note": row.note.data,
                    "reason": row.reason.data}
        else:
            data = {
                "code": indicator.code,
                "score": _score_text(saved.score) if saved else "",
                "note": saved.evidence_note if saved else "",
                "reason": "",
            }
        form.indicators.append_entry(data)


def _score_text(value) -> str:
    return format(value.normalize(), "f").replace(".", ",") if value is not None else ""


def _step_forms(assessment: Assessment) -> StepForm:
    form = StepForm()
    form.version.data = assessment.version
    return form


@bp.route("/danh-gia/<int:assessment_id>", methods=["GET", "POST"])
@login_required
def edit_assessment(assessment_id: int):
    s = scope()
    assessment = _assessment_or_404(assessment_id)
    editable = services.can_edit(s) and assessment.status != AssessmentStatus.APPROVED
    if request.method == "POST" and not editable:
        abort(403)
    form = AssessmentForm()
    if request.method == "GET":
        form.version.data = assessment.version
        form.note.data = assessment.note
    _fill(form, assessment)
    if form.validate_on_submit():
        entries = {
            int(row.code.data): ScoreEntry(row.score.data, row.note.data or "",
                                           row.reason.data or "")
            for row in form.indicators
        }
        version = int(form.version.data) if str(form.version.data).isdigit() else None
        try:
            changes = services.save_scores(
                db.session, s, assessment, entries, version, form.note.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            _score_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"Đã lưu phiếu đánh giá ({len(changes)} điểm thay đổi có ghi lý do)."
                if changes else "Đã lưu phiếu đánh giá.",
                "success",
            )
            return redirect(url_for("assessment.edit_assessment", assessment_id=assessment.id))
        assessment = _assessment_or_404(assessment_id)
    evidence = services.evidence_for(db.session, assessment)
    return render_template(
        "assessment/form.html",
        assessment=assessment,
        form=form,
        step=_step_forms(assessment),
        evidence=evidence,
        indicators={i.code: i for i in assessment.criteria_set.indicators},
        competences=assessment.criteria_set.competences,
        total=services.total_of(assessment),
        missing=services.missing_indicators(assessment),
        editable=editable,
        reviewing=assessment.status in services.UNDER_REVIEW,
        can_decide=services.can_decide(s),
        history=history(db.session, "assessments", assessment.id),
    )


def _score_errors(form: AssessmentForm, error: DomainError) -> None:
    """Put "score_N", "note_N" and "reason_N" messages on the indicator rows."""
    rows = {str(row.code.data): row for row in form.indicators}
    for name, message in error.fields.items():
        kind, _, code = name.partition("_")
        row = rows.get(code)
        if row is not None and kind in ("score", "note", "reason"):
            field = getattr(row.form, kind)
            field.errors = [*field.errors, message]
        else:
            flash(message, "danger")
    if error.message:
        flash(error.message, "danger")


def _step(assessment_id: int, change: Callable[[Assessment, int | None, str], None],
          done: str, decide: bool = False):
    """Run a status step posted from the assessment page."""
    s = scope()
    assessment = _assessment_or_404(assessment_id)
    if not services.can_edit(s) or (decide and not services.can_decide(s)):
        abort(403)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    version = int(form.version.data) if str(form.version.data).isdigit() else None
    try:
        change(assessment, version, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("assessment.edit_assessment", assessment_id=assessment_id))


@bp.post("/danh-gia/<int:assessment_id>/nop")
@login_required
def submit_assessment(assessment_id: int):
    return _step(
        assessment_id,
        lambda a, v, _n: services.submit_assessment(db.session, scope(), a, v),
        "Đã nộp phiếu tự đánh giá để thẩm định.",
    )


@bp.post("/danh-gia/<int:assessment_id>/tham-dinh")
@login_required
def review_assessment(assessment_id: int):
    return _step(
        assessment_id,
        lambda a, v, n: services.review_assessment(db.session, scope(), a, v, n),
        "Đã ghi nhận thẩm định; phiếu chờ xã phê duyệt.",
    )


@bp.post("/danh-gia/<int:assessment_id>/phe-duyet")
@login_required
def approve_assessment(assessment_id: int):
    return _step(
        assessment_id,
        lambda a, v, n: services.approve_assessment(db.session, scope(), a, v, n),
        "Đã phê duyệt phiếu đánh giá.",
        decide=True,
    )


@bp.post("/danh-gia/<int:assessment_id>/tra-lai")
@login_required
def return_assessment(assessment_id: int):
    return _step(
        assessment_id,
        lambda a, v, n: services.return_assessment(db.session, scope(), a, v, n),
        "Đã trả lại phiếu để sửa.",
        decide=True,
    )


# --- the score grid ------------------------------------------------------------------------


@bp.route("/danh-gia/bang-diem", methods=["GET", "POST"])
@login_required
def score_grid():
    s = scope()
    year = _year()
    enterprise_id, enterprises = enterprise_filter(db.session, s, request.args)
    if s.role == Role.ENTERPRISE:
        enterprise_id = s.enterprise_id
    enterprise = None
    if enterprise_id:
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.id == enterprise_id, s.enterprises())
        ) or abort(404)
    if request.method == "POST" and not services.can_edit(s):
        abort(403)
    if request.method == "POST" and enterprise is None:
        flash("Hãy chọn doanh nghiệp trước khi nhập điểm.", "danger")
        return redirect(url_for("assessment.score_grid", nam=year))
    criteria_set = services.active_criteria_set(db.session, year)
    page = requested_page()
    workers: list[Worker] = []
    if enterprise is not None:
        workers = services.grid_workers(db.session, s, enterprise.id, GRID_LIMIT * page)
    has_next = len(workers) > GRID_LIMIT * page
    workers = workers[GRID_LIMIT * (page - 1): GRID_LIMIT * page]
    by_id = {worker.id: worker for worker in workers}
    assessments = services.assessments_of(db.session, list(by_id), year)
    sets = {a.criteria_set_id for a in assessments.values()}
    if criteria_set is not None:
        sets.add(criteria_set.id)
    codes = [i.code for i in criteria_set.indicators] if criteria_set else []
    form = GridForm()
    if request.method == "GET":
        for worker in workers:
            assessment = assessments.get(worker.id)
            saved = assessment.score_map() if assessment else {}
            form.rows.append_entry({
                "worker_id": worker.id,
                "version": assessment.version if assessment else "",
                "scores": [_score_text(saved.get(code)) for code in codes],
                "reason": "",
            })
    elif form.validate_on_submit() and criteria_set is not None:
        rows = [
            GridRow(
                worker_id=int(row.worker_id.data),
                version=int(row.version.data) if str(row.version.data).isdigit() else None,
                scores={code: field.data or "" for code, field in zip(codes, row.scores,
                                                                       strict=False)},
                reason=row.reason.data or "",
            )
            for row in form.rows
            if str(row.worker_id.data).isdigit()
        ]
        try:
            changed = services.save_grid(db.session, s, year, rows, by_id)
            submitted = 0
            if request.form.get("nop"):
                submitted = services.submit_complete(db.session, s, year, list(by_id))
        except DomainError as error:
            db.session.rollback()
            cell_errors = error.fields
            flash(error.message, "danger")
        else:
            db.session.commit()
            message = f"Đã lưu bảng điểm: {changed} phiếu thay đổi."
            if submitted:
                message += f" Đã nộp {submitted} phiếu chấm đủ điểm."
            flash(message, "success")
            return redirect(url_for("assessment.score_grid", nam=year, dn=enterprise_id,
                                    page=page))
        return _grid_page(form, year, enterprise, enterprises, criteria_set, workers,
                          assessments, page, has_next, cell_errors)
    return _grid_page(form, year, enterprise, enterprises, criteria_set, workers, assessments,
                      page, has_next, {})


def _grid_page(form, year, enterprise, enterprises, criteria_set, workers, assessments, page,
               has_next, cell_errors):
    return render_template(
        "assessment/grid.html",
        form=form,
        year=year,
        years=_years(),
        enterprise=enterprise,
        enterprise_id=enterprise.id if enterprise else None,
        enterprises=enterprises,
        criteria_set=criteria_set,
        workers={worker.id: worker for worker in workers},
        assessments=assessments,
        page=page,
        has_next=has_next,
        cell_errors=cell_errors,
        can_edit=services.can_edit(scope()),
        approved=AssessmentStatus.APPROVED,
    )


# --- eligibility ---------------------------------------------------------------------------


def _eligibility_scope():
    """The communes or the enterprise the table covers, from the filters and the user's scope."""
    s = scope()
    communes = served_communes(db.session, s.communes())
    commune_id = request.args.get("xa", type=int)
    if s.role == Role.COMMUNE:
        commune_id = s.commune_id
    elif s.role == Role.ENTERPRISE:
        commune_id = s.enterprise_commune_id
    elif commune_id is None and communes:
        commune_id = communes[0].id
    commune = next((c for c in communes if c.id == commune_id), None)
    if commune is None and commune_id is not None and s.role in (Role.ADMIN, Role.PROVINCE):
        abort(404)
    enterprise_id, enterprises = enterprise_filter(db.session, s, request.args)
    if s.role == Role.ENTERPRISE:
        enterprise_id = s.enterprise_id
    enterprise = None
    if enterprise_id:
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.id == enterprise_id, s.enterprises())
        ) or abort(404)
        commune = db.session.get(Commune, enterprise.commune_id)
    return communes, commune, enterprises, enterprise


def _filtered_rows(year, commune, enterprise):
    rows = []
    if enterprise is not None:
        rows = compute_eligibility(db.session, year=year, enterprise_id=enterprise.id)
    elif commune is not None:
        rows = compute_eligibility(db.session, year=year, commune_ids=[commune.id])
    counts = dict.fromkeys(EligibilityStatus, 0)
    for row in rows:
        counts[row.status] += 1
    result = request.args.get("ket_qua", "")
    if result in {member.value for member in EligibilityStatus}:
        rows = [row for row in rows if row.status == result]
    term = fold(request.args.get("q", ""))
    if term:
        rows = [row for row in rows if term in fold(row.full_name)]
    sort = request.args.get("sap_xep", "ten")
    descending = request.args.get("giam") == "1"
    order = list(EligibilityStatus)
    keys = {
        "tong": lambda r: (r.total is None, r.total or 0),
        "thap": lambda r: (r.lowest is None, r.lowest or 0),
        "ket_qua": lambda r: order.index(r.status),
        "dn": lambda r: fold(r.enterprise_name),
    }
    if sort in keys:
        rows = sorted(rows, key=keys[sort], reverse=descending)
    elif descending:
        rows = rows[::-1]
    return rows, counts, sort, descending


@bp.get("/xet-cong-nhan")
@login_required
def eligibility_table():
    year = _year()
    communes, commune, enterprises, enterprise = _eligibility_scope()
    rows, counts, sort, descending = _filtered_rows(year, commune, enterprise)
    return render_template(
        "assessment/eligibility.html",
        rows=rows,
        counts=counts,
        year=year,
        years=_years(),
        communes=communes,
        commune=commune,
        enterprises=enterprises,
        enterprise=enterprise,
        enterprise_id=enterprise.id if enterprise else None,
        statuses=list(EligibilityStatus),
        result=request.args.get("ket_qua", ""),
        query=request.args.get("q", ""),
        sort=sort,
        descending=descending,
        sorts=SORTS,
        criteria_set=services.active_criteria_set(db.session, year),
        own_conditions=(
            local.commune_conditions(db.session, commune.id, year) if commune else None
        ),
        areas={area.value: area.label for area in Area},
    )


@bp.get("/xet-cong-nhan/tai-xuong")
@login_required
def export_eligibility():
    year = _year()
    _communes, commune, _enterprises, enterprise = _eligibility_scope()
    if commune is None and enterprise is None:
        abort(404)
    rows, _counts, _sort, _descending = _filtered_rows(year, commune, enterprise)
    unit = enterprise.name if enterprise else commune.name
    data = eligibility_workbook(rows, year, unit)
    code = enterprise.tax_code if enterprise else commune.code
    return send_file(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"xet-cong-nhan-cdht-{year}-{code}.xlsx",
    )


# --- a commune's own conditions ------------------------------------------------------------


@bp.route("/xet-cong-nhan/dieu-kien-xa/<int:commune_id>", methods=["GET", "POST"])
@login_required
def commune_conditions(commune_id: int):
    s = scope()
    commune = db.session.scalar(
        select(Commune).where(Commune.id == commune_id, s.communes())
    ) or abort(404)
    can_set = local.can_set_conditions(s, commune.id)
    if request.method == "POST" and not can_set:
        abort(403)
    year = _year()
    form = CommuneConditionsForm()
    if request.method == "GET":
        current = local.commune_conditions(db.session, commune.id, year)
        form.first_year.data = year
        form.required_areas.data = sorted(current.required_areas)
        form.min_hours.data = current.min_hours
        form.min_age.data = current.min_age
        ref = current.reference_date(year)
        form.employed_on.data = ref
    elif form.validate_on_submit():
        edit = local.ConditionsEdit(
            first_year=form.first_year.data,
            onwards=bool(form.onwards.data),
            required_areas=list(form.required_areas.data or []),
            min_hours=form.min_hours.data,
            min_age=form.min_age.data,
            employed_on=form.employed_on.data,
        )
        try:
            row = local.set_commune_conditions(db.session, s, commune, edit)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            years = f"từ năm {edit.first_year}" if edit.onwards else f"năm {edit.first_year}"
            flash(
                f"Đã lưu điều kiện riêng của {commune.name} {years}." if row is not None
                else f"Đã bỏ điều kiện riêng của {commune.name} {years}.",
                "success",
            )
            return redirect(url_for("assessment.commune_conditions", commune_id=commune.id,
                                    nam=edit.first_year))
    rows = local.conditions_of(db.session, commune.id)
    return render_template(
        "assessment/commune_conditions.html",
        commune=commune,
        year=year,
        rows=rows,
        form=form,
        can_set=can_set,
        decided=local.decided_years(db.session, commune.id, services.FIRST_YEAR),
        criteria_set=services.active_criteria_set(db.session, year),
        areas={area.value: area.label for area in Area},
    )

"""Decision pages, certificate printing, re-issue and revoke, and the worker's learning record.

    GET      /quyet-dinh                                   recognition.list_decisions
    GET/POST /quyet-dinh/moi                               recognition.create_decision
    GET      /quyet-dinh/<id>                              recognition.show_decision
    GET/POST /quyet-dinh/<id>/sua                          recognition.edit_decision
    POST     /quyet-dinh/<id>/ban-hanh                     recognition.issue_decision
    POST     /quyet-dinh/<id>/luu-tru                      recognition.archive_decision
    POST     /quyet-dinh/<id>/danh-sach/<entry>/bo-ra      recognition.remove_entry
    POST     /quyet-dinh/<id>/danh-sach/<entry>/khoi-phuc  recognition.restore_entry
    GET      /quyet-dinh/<id>.pdf                          recognition.decision_pdf
    GET      /quyet-dinh/<id>.docx                         recognition.decision_docx
    GET/POST /quyet-dinh/<id>/in-giay-chung-nhan           recognition.print_certificates
    GET      /in-giay-chung-nhan/<job>                     recognition.show_print_job
    GET      /in-giay-chung-nhan/<job>.json                recognition.print_job_status
    GET      /in-giay-chung-nhan/<job>/tai-ve              recognition.download_print_job
    GET      /giay-chung-nhan/<id>                         recognition.show_certificate
    GET      /giay-chung-nhan/<id>.pdf                     recognition.certificate_pdf
    GET/POST /giay-chung-nhan/<id>/cap-lai                 recognition.reissue_certificate
    GET/POST /giay-chung-nhan/<id>/thu-hoi                 recognition.revoke_certificate
    GET      /nguoi-lao-dong/<id>/so-hoc-tap               recognition.learning_book
    GET      /nguoi-lao-dong/<id>/so-hoc-tap.pdf           recognition.learning_book_pdf
"""

from __future__ import annotations

import io
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.audit.services import history
from registry.auth.models import Role
from registry.auth.services import scope
from registry.documents.book import build_book_pdf
from registry.documents.certificate import certificate_pdf as build_certificate_pdf
from registry.documents.docx_layout import build_docx
from registry.documents.layout import build_pdf
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.jobs import runner
from registry.jobs.models import Job, JobState
from registry.pagination import paginate
from registry.recognition import printing, services
from registry.recognition.documents import (
    ascii_name,
    decision_document,
    number_symbol,
    one_certificate,
)
from registry.recognition.documents import (
    learning_book as build_learning_book,
)
from registry.recognition.forms import (
    DecisionForm,
    IssueForm,
    NewDecisionForm,
    PrintForm,
    ReasonForm,
    ReissueForm,
)
from registry.recognition.models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionEntry,
    DecisionStatus,
)
from registry.recognition.services import DecisionData
from registry.units.models import Commune
from registry.units.services import served_communes
from registry.views import confirmed_change, requested_year
from registry.workers.models import Worker

bp = Blueprint("recognition", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _settings() -> dict:
    return {key: value for key, value in current_app.config.items()
            if key.startswith("RECOGNITION_")}


def _serial_format() -> str:
    return current_app.config.get("RECOGNITION_SERIAL_FORMAT", services.SERIAL_FORMAT)


def _decision_or_404(decision_id: int) -> Decision:
    return db.session.scalar(
        select(Decision).where(Decision.id == decision_id, services.decisions_filter(scope()))
    ) or abort(404)


def _managed(decision_id: int) -> Decision:
    decision = _decision_or_404(decision_id)
    if not services.can_manage(scope()):
        abort(403)
    return decision


def _entry_or_404(decision: Decision, entry_id: int) -> DecisionEntry:
    return db.session.scalar(
        select(DecisionEntry).where(DecisionEntry.id == entry_id,
                                    DecisionEntry.decision_id == decision.id)
    ) or abort(404)


def _certificate_or_404(certificate_id: int) -> Certificate:
    s = scope()
    return db.session.scalar(
        select(Certificate)
        .join(Decision, Decision.id == Certificate.decision_id)
        .join(DecisionEntry, DecisionEntry.id == Certificate.entry_id)
        .where(Certificate.id == certificate_id, services.decisions_filter(s),
               services.entries_filter(s))
    ) or abort(404)


def _data(form: DecisionForm) -> DecisionData:
    return DecisionData(
        parent_body=form.parent_body.data, issuing_body=form.issuing_body.data,
        number=form.number.data, symbol=form.symbol.data, place=form.place.data,
        signed_on=form.signed_on.data, authority=form.authority.data,
        signer_authority=form.signer_authority.data, signer_title=form.signer_title.data,
        signer_name=form.signer_name.data, legal_bases=form.legal_bases.data,
        recipients=form.recipients.data, executors=form.executors.data,
    )


def _fill(form: DecisionForm, data: DecisionData) -> None:
    for name, value in vars(data).items():
        getattr(form, name).data = value


def _communes() -> list[Commune]:
    return served_communes(db.session, scope().communes())


def _chosen_commune(commune_id: int | None) -> Commune | None:
    s = scope()
    if s.role == Role.COMMUNE:
        return db.session.get(Commune, s.commune_id)
    return next((c for c in _communes() if c.id == commune_id), None)


@bp.get("/quyet-dinh")
@login_required
def list_decisions():
    year = requested_year()
    stmt = select(Decision).where(services.decisions_filter(scope()),
                                  Decision.archived_at.is_(None))
    if year:
        stmt = stmt.where(Decision.year == year)
    page = paginate(db.session, stmt.order_by(Decision.year.desc(), Decision.id.desc()))
    counts = {
        decision.id: services.count_entries(db.session, decision.id) for decision in page.items
    }
    return render_template("recognition/list.html", page=page, year=year, counts=counts,
                           can_manage=services.can_manage(scope()),
                           years=range(date.today().year, 2021, -1))


@bp.route("/quyet-dinh/moi", methods=["GET", "POST"])
@login_required
def create_decision():
    s = scope()
    if not services.can_manage(s):
        abort(403)
    form = NewDecisionForm()
    communes = _communes()
    form.commune_id.choices = [SelectChoice(c.id, c.name) for c in communes]
    if s.role == Role.COMMUNE:
        del form.commune_id
    year = requested_year(date.today().year - 1)
    commune = _chosen_commune(request.args.get("xa", type=int)
                              or (communes[0].id if communes else None))
    if request.method == "GET":
        form.year.data = year
        if form.commune_id and commune:
            form.commune_id.data = commune.id
        if commune:
            _fill(form, services.default_data(commune, year, _settings(),
                                              services.criteria_reference(db.session)))
    preview = None
    if form.validate_on_submit():
        year = form.year.data
        commune = _chosen_commune(form.commune_id.data if form.commune_id else None)
        if commune is None:
            form.commune_id.errors = ["Hãy chọn xã, phường ban hành quyết định."]
        else:
            rows = compute_eligibility(db.session, year=year, commune_ids=[commune.id])
            try:
                created = services.create_decision(
                    db.session, s, commune, year, _data(form), rows,
                    confirm_early=form.confirm_early.data)
            except DomainError as error:
                db.session.rollback()
                form.apply_error(error)
            else:
                db.session.commit()
                message = (f"Đã lập dự thảo quyết định năm {year} với {created.attached} người "
                           "đủ điều kiện.")
                if created.skipped_recognised:
                    message += (f" {created.skipped_recognised} người đã được công nhận trong "
                                "quyết định khác nên không đưa vào.")
                flash(message, "success")
                return redirect(url_for("recognition.show_decision",
                                        decision_id=created.decision.id))
    if commune is not None and request.method == "GET":
        rows = compute_eligibility(db.session, year=year, commune_ids=[commune.id])
        preview = sum(1 for row in rows if row.status == EligibilityStatus.ELIGIBLE)
    return render_template("recognition/form.html", form=form, decision=None, preview=preview,
                           year=year, commune=commune, communes=communes)


@bp.get("/quyet-dinh/<int:decision_id>")
@login_required
def show_decision(decision_id: int):
    decision = _decision_or_404(decision_id)
    s = scope()
    removed = request.args.get("da_bo") == "1"
    entries = (
        select(DecisionEntry)
        .where(DecisionEntry.decision_id == decision.id, services.entries_filter(s))
        .where(DecisionEntry.removed_at.is_not(None) if removed
               else DecisionEntry.removed_at.is_(None))
        .order_by(DecisionEntry.sort_key, DecisionEntry.id)
    )
    page = paginate(db.session, entries)
    certificates = {}
    if decision.is_issued and page.items:
        certificates = {
            c.entry_id: c for c in db.session.scalars(
                select(Certificate).where(
                    Certificate.entry_id.in_([e.id for e in page.items]),
                    Certificate.replaced_by_id.is_(None)))
        }
    return render_template(
        "recognition/show.html",
        decision=decision,
        page=page,
        removed=removed,
        certificates=certificates,
        kept=services.count_entries(db.session, decision.id),
        taken_off=services.count_entries(db.session, decision.id, removed=True),
        number_symbol=number_symbol(decision),
        can_manage=services.can_manage(s),
        can_print=services.can_print(s) and decision.is_issued,
        can_download=s.role != Role.ENTERPRISE,
        can_book=s.role in (Role.ADMIN, Role.COMMUNE),
        late=decision.signed_on is not None and decision.signed_on <= date(decision.year, 12, 31),
        history=history(db.session, "decisions", decision.id) if not s.read_only else [],
        confirm=ConfirmForm(),
        reason_form=ReasonForm(),
        issue_form=IssueForm(),
    )


@bp.route("/quyet-dinh/<int:decision_id>/sua", methods=["GET", "POST"])
@login_required
def edit_decision(decision_id: int):
    decision = _managed(decision_id)
    if decision.is_issued or decision.archived_at is not None:
        abort(403)
    form = DecisionForm(obj=decision)
    if request.method == "GET" and decision.number:
        form.number.data = decision.number.zfill(2)
    if form.validate_on_submit():
        try:
            services.update_decision(db.session, decision, _data(form),
                                     confirm_early=form.confirm_early.data)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã lưu dự thảo quyết định.", "success")
            return redirect(url_for("recognition.show_decision", decision_id=decision.id))
    return render_template("recognition/form.html", form=form, decision=decision,
                           year=decision.year, commune=decision.commune, preview=None)


@bp.post("/quyet-dinh/<int:decision_id>/ban-hanh")
@login_required
def issue_decision(decision_id: int):
    decision = _managed(decision_id)
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        count = services.issue_decision(db.session, scope(), decision,
                                        confirm_early=form.confirm_early.data,
                                        serial_format=_serial_format(),
                                        base_url=printing.public_base_url())
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
    else:
        db.session.commit()
        flash(f"Đã ban hành quyết định {number_symbol(decision)} và cấp {count} giấy chứng "
              "nhận.", "success")
    return redirect(url_for("recognition.show_decision", decision_id=decision_id))


@bp.post("/quyet-dinh/<int:decision_id>/luu-tru")
@login_required
def archive_decision(decision_id: int):
    decision = _managed(decision_id)
    if confirmed_change(lambda: services.archive_draft(db.session, decision),
                        "Đã lưu trữ dự thảo quyết định."):
        return redirect(url_for("recognition.list_decisions"))
    return redirect(url_for("recognition.show_decision", decision_id=decision_id))


@bp.post("/quyet-dinh/<int:decision_id>/danh-sach/<int:entry_id>/bo-ra")
@login_required
def remove_entry(decision_id: int, entry_id: int):
    decision = _managed(decision_id)
    entry = _entry_or_404(decision, entry_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash("Hãy nhập lý do bỏ người này khỏi danh sách.", "danger")
    else:
        try:
            services.remove_entry(db.session, entry, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(" ".join(error.messages), "danger")
        else:
            db.session.commit()
            flash(f"Đã bỏ {entry.full_name} khỏi danh sách.", "success")
    return redirect(url_for("recognition.show_decision", decision_id=decision_id))


@bp.post("/quyet-dinh/<int:decision_id>/danh-sach/<int:entry_id>/khoi-phuc")
@login_required
def restore_entry(decision_id: int, entry_id: int):
    decision = _managed(decision_id)
    entry = _entry_or_404(decision, entry_id)
    confirmed_change(lambda: services.restore_entry(db.session, entry),
                     f"Đã đưa {entry.full_name} trở lại danh sách.")
    return redirect(url_for("recognition.show_decision", decision_id=decision_id, da_bo=1))


def _document(decision_id: int):
    decision = _decision_or_404(decision_id)
    if scope().role == Role.ENTERPRISE:
        abort(403)
    name = f"quyet-dinh-{ascii_name(number_symbol(decision).replace('/', '-'))}-{decision.year}"
    return decision, decision_document(db.session, decision), name


@bp.get("/quyet-dinh/<int:decision_id>.pdf")
@login_required
def decision_pdf(decision_id: int):
    _decision, document, name = _document(decision_id)
    return send_file(io.BytesIO(build_pdf(document)), mimetype="application/pdf",
                     as_attachment=True, download_name=f"{name}.pdf")


@bp.get("/quyet-dinh/<int:decision_id>.docx")
@login_required
def decision_docx(decision_id: int):
    _decision, document, name = _document(decision_id)
    return send_file(io.BytesIO(build_docx(document)), mimetype=DOCX, as_attachment=True,
                     download_name=f"{name}.docx")


def _batch_name(decision: Decision, kind: str, enterprise: Enterprise | None) -> str:
    part = f"-{ascii_name(enterprise.name)}" if enterprise else ""
    return f"giay-chung-nhan-{decision.year}-qd{decision.id}{part}.{kind}"


@bp.route("/quyet-dinh/<int:decision_id>/in-giay-chung-nhan", methods=["GET", "POST"])
@login_required
def print_certificates(decision_id: int):
    decision = _decision_or_404(decision_id)
    s = scope()
    if not services.can_print(s):
        abort(403)
    form = PrintForm()
    enterprises = db.session.execute(
        select(Enterprise.id, Enterprise.name)
        .where(Enterprise.id.in_(select(DecisionEntry.enterprise_id)
                                 .where(DecisionEntry.decision_id == decision.id)),
               s.enterprises())
        .order_by(Enterprise.search_name)
    ).all()
    form.enterprise_id.choices = [SelectChoice(0, "Tất cả doanh nghiệp"),
                                  *(SelectChoice(e.id, e.name) for e in enterprises)]
    if s.role == Role.ENTERPRISE:
        form.enterprise_id.choices = [SelectChoice(e.id, e.name) for e in enterprises
                                      if e.id == s.enterprise_id]
    jobs = db.session.scalars(printing.decision_jobs(decision, current_user.id).limit(5)).all()
    if form.validate_on_submit():
        enterprise_id = s.enterprise_id if s.role == Role.ENTERPRISE else (
            form.enterprise_id.data or None)
        kind = form.kind.data
        try:
            count = printing.check_batch(db.session, decision, enterprise_id)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            base_url = printing.public_base_url()
            limit = current_app.config.get("RECOGNITION_BATCH_INLINE", printing.INLINE_LIMIT)
            enterprise = db.session.get(Enterprise, enterprise_id) if enterprise_id else None
            if count <= limit:
                # Inline batches are small (a few MB); long ones are written to disk by a job.
                out = io.BytesIO()
                printing.write_batch(db.session, decision, kind, out, base_url, enterprise_id)
                out.seek(0)
                return send_file(out, mimetype="application/zip" if kind == "zip"
                                 else "application/pdf", as_attachment=True,
                                 download_name=_batch_name(decision, kind, enterprise))
            job_id = printing.create_job(db.session, decision, kind, enterprise_id, count,
                                         base_url, current_user.id).id
            db.session.commit()
            # Nothing touches the session after the commit: the job runs in its own.
            runner.start_worker(current_app._get_current_object())
            return redirect(url_for("recognition.show_print_job", job_id=job_id))
    return render_template("recognition/print.html", decision=decision, form=form,
                           jobs=[(job, runner.status_of(job)) for job in jobs],
                           formats=printing.FORMATS, number_symbol=number_symbol(decision),
                           count=printing.count_printable(db.session, decision,
                                                          s.enterprise_id if s.role ==
                                                          Role.ENTERPRISE else None)
                           if decision.is_issued else 0)


def _job_or_404(job_id: int) -> tuple[Job, Decision]:
    """A print job of a decision in scope, and the decision; an enterprise officer's own
    enterprise's only. A job whose process died is failed first."""
    s = scope()
    job = db.session.get(Job, job_id)
    if job is None or job.kind not in printing.FORMATS:
        abort(404)
    decision = db.session.scalar(select(Decision).where(
        Decision.id == job.parameters["decision_id"], services.decisions_filter(s))) or abort(404)
    if s.role == Role.ENTERPRISE and job.parameters.get("enterprise_id") != s.enterprise_id:
        abort(404)
    if not services.can_print(s):
        abort(403)
    if runner.fail_if_stale(db.session, job):
        db.session.commit()
    return job, decision


@bp.get("/in-giay-chung-nhan/<int:job_id>")
@login_required
def show_print_job(job_id: int):
    job, decision = _job_or_404(job_id)
    return render_template("recognition/job.html", job=job, status=runner.status_of(job),
                           file_format=printing.FORMATS[job.kind], decision=decision,
                           number_symbol=number_symbol(decision))


@bp.get("/in-giay-chung-nhan/<int:job_id>.json")
@login_required
def print_job_status(job_id: int):
    job, _ = _job_or_404(job_id)
    status = runner.status_of(job)
    return jsonify(status=status.state.value, label=status.label, done=status.done,
                   total=status.total, percent=status.percent, error=status.message or None,
                   download=url_for("recognition.download_print_job", job_id=job.id)
                   if job.state == JobState.DONE else None)


@bp.get("/in-giay-chung-nhan/<int:job_id>/tai-ve")
@login_required
def download_print_job(job_id: int):
    job, decision = _job_or_404(job_id)
    path = runner.result_path(current_app, job)
    if job.state != JobState.DONE or path is None or not path.is_file():
        abort(404)
    file_format = printing.FORMATS[job.kind]
    enterprise_id = job.parameters.get("enterprise_id")
    enterprise = db.session.get(Enterprise, enterprise_id) if enterprise_id else None
    return send_file(path, as_attachment=True,
                     mimetype="application/zip" if file_format == "zip" else "application/pdf",
                     download_name=_batch_name(decision, file_format, enterprise))


@bp.get("/giay-chung-nhan/<int:certificate_id>")
@login_required
def show_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    chain = []
    previous = certificate.replaces
    while previous is not None:
        chain.append(previous)
        previous = previous.replaces
    return render_template(
        "recognition/certificate.html", certificate=certificate, chain=chain,
        decision=certificate.decision, number_symbol=number_symbol(certificate.decision),
        can_manage=services.can_manage(scope()),
        history=history(db.session, "certificates", certificate.id)
        if not scope().read_only else [],
    )


@bp.get("/giay-chung-nhan/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if not services.can_print(scope()):
        abort(403)
    try:
        services.printable(certificate)
    except DomainError as error:
        flash(" ".join(error.messages), "danger")
        return redirect(url_for("recognition.show_certificate", certificate_id=certificate_id))
    data = one_certificate(certificate, printing.public_base_url())
    return send_file(io.BytesIO(build_certificate_pdf(data)), mimetype="application/pdf",
                     as_attachment=True, download_name=printing.zip_name(data))


@bp.route("/giay-chung-nhan/<int:certificate_id>/cap-lai", methods=["GET", "POST"])
@login_required
def reissue_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if not services.can_manage(scope()):
        abort(403)
    form = ReissueForm(obj=certificate)
    if form.validate_on_submit():
        try:
            replacement = services.reissue_certificate(
                db.session, scope(), certificate, form.full_name.data,
                form.enterprise_name.data, form.reason.data, _serial_format(),
                printing.public_base_url())
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã cấp lại: giấy {replacement.serial} thay cho {certificate.serial}.",
                  "success")
            return redirect(url_for("recognition.show_certificate",
                                    certificate_id=replacement.id))
    return render_template("recognition/certificate_form.html", form=form,
                           certificate=certificate, action="reissue")


@bp.route("/giay-chung-nhan/<int:certificate_id>/thu-hoi", methods=["GET", "POST"])
@login_required
def revoke_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if not services.can_manage(scope()):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(db.session, scope(), certificate, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã thu hồi giấy chứng nhận {certificate.serial}.", "success")
            return redirect(url_for("recognition.show_certificate",
                                    certificate_id=certificate.id))
    return render_template("recognition/certificate_form.html", form=form,
                           certificate=certificate, action="revoke")


def _book_worker(worker_id: int) -> Worker:
    """The worker whose record the user may print: commune officers, the current employer."""
    s = scope()
    worker = db.session.scalar(
        select(Worker).where(Worker.id == worker_id, s.workers())) or abort(404)
    if not s.can_print_learning_book(worker):
        abort(403)
    return worker


@bp.get("/nguoi-lao-dong/<int:worker_id>/so-hoc-tap")
@login_required
def learning_book(worker_id: int):
    worker = _book_worker(worker_id)
    book = build_learning_book(db.session, worker, date.today())
    return render_template("recognition/book.html", worker=worker, book=book)


@bp.get("/nguoi-lao-dong/<int:worker_id>/so-hoc-tap.pdf")
@login_required
def learning_book_pdf(worker_id: int):
    worker = _book_worker(worker_id)
    book = build_learning_book(db.session, worker, date.today())
    return send_file(io.BytesIO(build_book_pdf(book)), mimetype="application/pdf",
                     as_attachment=True,
                     download_name=f"so-hoc-tap-{ascii_name(worker.full_name)}.pdf")


__all__ = ["CertificateStatus", "DecisionStatus", "bp"]

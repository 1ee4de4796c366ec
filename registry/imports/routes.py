"""Import pages: upload, sheet and column mapping, preview, commit, progress, history, files.

    GET      /nhap-du-lieu                         imports.list_imports
    GET/POST /nhap-du-lieu/tai-len                 imports.upload
    GET      /nhap-du-lieu/<id>                    imports.show_import
    GET/POST /nhap-du-lieu/<id>/cot                imports.map_columns
    POST     /nhap-du-lieu/<id>/ghi                imports.commit_import
    GET      /nhap-du-lieu/<id>/tien-do            imports.import_progress (JSON)
    GET      /nhap-du-lieu/<id>/dong-loi.xlsx      imports.download_errors
    GET      /nhap-du-lieu/mau/<kind>.xlsx         imports.download_template

Small files are checked and written within the request; a file above
REGISTRY_IMPORT_INLINE_BYTES goes to the background worker and the page polls its progress.
Provincial viewers only read figures and have no access to imports (403).
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

import registry.imports.writers  # noqa: F401  (registers the built-in writers)
from registry.auth.models import Role
from registry.auth.services import scope
from registry.enterprises.models import Enterprise
from registry.enterprises.services import enterprise_choices
from registry.errors import DomainError
from registry.extensions import db
from registry.imports import jobs, services
from registry.imports.forms import (
    NO_ENTERPRISE,
    CommitForm,
    UploadForm,
    column_label,
    mapping_form,
    mapping_of,
)
from registry.imports.kinds import KINDS, get_kind
from registry.imports.models import ImportMode, ImportRecord, ImportStatus
from registry.imports.reader import FORMAT_LABELS
from registry.imports.template import template_xlsx
from registry.jobs import runner
from registry.jobs.models import Job
from registry.pagination import paginate

bp = Blueprint("imports", __name__, url_prefix="/nhap-du-lieu")

#: Uploads up to this size run within the request; larger ones in the background.
INLINE_BYTES = 2 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def _importers_only():
    if current_user.is_authenticated and scope().read_only:
        abort(403)


def _import_or_404(import_id: int) -> ImportRecord:
    return db.session.scalar(
        services.imports_query(scope()).where(ImportRecord.id == import_id).order_by(None)
    ) or abort(404)


def _latest_job(record: ImportRecord) -> Job | None:
    """The import's latest job, failed first if its process died (the import with it)."""
    job = jobs.latest_job(db.session, record)
    if job is not None and runner.fail_if_stale(db.session, job):
        db.session.commit()
    return job


def _inline(record: ImportRecord) -> bool:
    return record.size <= current_app.config.get("REGISTRY_IMPORT_INLINE_BYTES", INLINE_BYTES)


def _run(record: ImportRecord, action: str) -> None:
    """Preview or commit now (small file) or queue it; commits the request's transaction."""
    db.session.commit()  # the confirmed mapping or mode is kept whatever happens next
    if _inline(record):
        record_id = record.id
        try:
            outcome = services.run_import(
                db.session, scope(), record, write=action == "commit", today=date.today(),
                min_age=current_app.config["REGISTRY_MIN_WORKER_AGE"], record_now=False,
            )
        except DomainError as error:
            db.session.rollback()
            record = db.session.get(ImportRecord, record.id)
            if action == "commit":
                services.fail(record, " ".join(error.messages))
            else:  # back to the mapping step: the sheet or the columns need another choice
                record.status = ImportStatus.UPLOADED
                record.message = " ".join(error.messages)
            db.session.commit()
            flash(" ".join(error.messages), "danger")
            return
        if action == "preview":
            db.session.rollback()  # end the read transaction; record in a new one
            services.record_outcome(db.session.get(ImportRecord, record_id), outcome)
        db.session.commit()
        return
    total = record.rows_read if action == "commit" and record.rows_read else None
    jobs.submit(db.session, record, action, total)
    db.session.commit()
    runner.start_worker(current_app._get_current_object())


@bp.get("")
@login_required
def list_imports():
    page = paginate(db.session, services.imports_query(scope()))
    return render_template("imports/list.html", page=page, kinds=KINDS)


@bp.route("/tai-len", methods=["GET", "POST"])
@login_required
def upload():
    form = UploadForm()
    form.kind.choices = services.available_kinds()
    s = scope()
    choices = enterprise_choices(db.session, s) or []
    if s.role == Role.COMMUNE:
        choices = [(NO_ENTERPRISE, "— Nhiều doanh nghiệp / hoạt động chung của xã —"), *choices]
    form.enterprise_id.choices = choices
    if request.method == "GET":
        form.kind.data = request.args.get("loai", "workers")
        if s.enterprise_id:
            form.enterprise_id.data = s.enterprise_id
    if form.validate_on_submit():
        enterprise = None
        if form.enterprise_id.data:
            enterprise = db.session.scalar(select(Enterprise).where(
                Enterprise.id == form.enterprise_id.data, s.enterprises())) or abort(404)
        file = form.file.data
        try:
            stored = services.store_upload(file.stream, file.filename or "")
            record = services.new_import(
                db.session, s, current_user.id, current_user.username, form.kind.data,
                enterprise, stored, file.filename or "",
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error) if error.fields else form.file.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("imports.map_columns", import_id=record.id))
    return render_template("imports/upload.html", form=form, kinds=KINDS)


@bp.route("/<int:import_id>/cot", methods=["GET", "POST"])
@login_required
def map_columns(import_id: int):
    record = _import_or_404(import_id)
    if record.status not in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED):
        return redirect(url_for("imports.show_import", import_id=record.id))
    sheet_index = request.values.get("sheet", record.sheet_index, type=int)
    header_row = request.values.get("header_row", record.header_row, type=int)
    if request.method == "GET" and "sheet" in request.args and sheet_index != record.sheet_index:
        header_row = None  # another sheet: find its header afresh
    try:
        with services.open_upload(record) as book:
            sheets = [(s.index, s.name + (" (ẩn)" if s.hidden else "")) for s in book.sheets]
            chosen = book.sheet(sheet_index)
            draft = ImportRecord(kind=record.kind, sheet_index=chosen.index, header_row=header_row,
                                 mapping=record.mapping if sheet_index == record.sheet_index
                                 else {}, stored_path=record.stored_path)
            problem = None
            try:
                match = services.match_header(book, draft)
                sample = services.sample_rows(book, draft, match)
            except DomainError as error:
                problem, match, sample = " ".join(error.messages), None, []
    except DomainError as error:
        flash(" ".join(error.messages), "danger")
        return redirect(url_for("imports.show_import", import_id=record.id))
    columns = list(match.columns) if match else []
    initial = {f"map_{name}": str(column) for name, column in (match.mapping if match else {}
                                                                ).items()}
    if request.method == "POST":
        form = mapping_form(record.kind, columns, sheets, formdata=request.form)
    else:
        form = mapping_form(record.kind, columns, sheets, sheet=chosen.index,
                            header_row=match.header_rows[0] if match else header_row, **initial)
    if request.method == "POST" and match is not None and form.validate_on_submit():
        try:
            services.set_mapping(record, form.sheet.data, form.header_row.data,
                                 mapping_of(form, record.kind))
        except DomainError as error:
            db.session.rollback()
            problem = " ".join(error.messages)
        else:
            _run(record, "preview")
            return redirect(url_for("imports.show_import", import_id=record.id))
    return render_template(
        "imports/mapping.html", record=record, form=form, match=match, sample=sample,
        problem=problem, kind=get_kind(record.kind), column_label=column_label,
        fields=get_kind(record.kind).fields,
    )


@bp.get("/<int:import_id>")
@login_required
def show_import(import_id: int):
    record = _import_or_404(import_id)
    job = _latest_job(record)
    running = record.status in (ImportStatus.PREVIEWING, ImportStatus.COMMITTING)
    form = CommitForm()
    if record.rejected_count:
        form.mode.data = ImportMode.VALID_ONLY.value
    return render_template(
        "imports/show.html", record=record, job=job, running=running,
        progress=jobs.progress_of(job), form=form, kind=get_kind(record.kind),
        format_label=FORMAT_LABELS.get(record.file_format, record.file_format),
        summary=services.summary_of(record),
    )


@bp.post("/<int:import_id>/ghi")
@login_required
def commit_import(import_id: int):
    record = _import_or_404(import_id)
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    if record.status != ImportStatus.PREVIEWED:
        flash("Tệp này không ở bước chờ ghi.", "warning")
        return redirect(url_for("imports.show_import", import_id=record.id))
    record.mode = ImportMode(form.mode.data)
    _run(record, "commit")
    if record.status == ImportStatus.DONE:
        flash(record.message, "success")
    elif record.status == ImportStatus.REFUSED:
        flash(record.message, "warning")
    return redirect(url_for("imports.show_import", import_id=record.id))


@bp.get("/<int:import_id>/tien-do")
@login_required
def import_progress(import_id: int):
    record = _import_or_404(import_id)
    data = jobs.progress_of(_latest_job(record))
    data["status"] = record.status.value
    data["running"] = record.status in (ImportStatus.PREVIEWING, ImportStatus.COMMITTING)
    return jsonify(data)


@bp.get("/<int:import_id>/dong-loi.xlsx")
@login_required
def download_errors(import_id: int):
    record = _import_or_404(import_id)
    if not record.error_file:
        abort(404)
    name = record.file_name.rsplit(".", 1)[0]
    return send_file(io.BytesIO(record.error_file), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=f"{name}-dong-loi.xlsx")


@bp.get("/mau/<kind>.xlsx")
@login_required
def download_template(kind: str):
    if kind not in KINDS:
        abort(404)
    return send_file(io.BytesIO(template_xlsx(kind)), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=f"mau-nhap-{kind}.xlsx")

"""Worker pages: list, profile with learning record, personal details, employment.

    GET      /nguoi-lao-dong                          workers.list_workers
    GET/POST /nguoi-lao-dong/moi                      workers.create_worker
    GET/POST /nguoi-lao-dong/tiep-nhan                workers.receive_worker
    GET      /nguoi-lao-dong/<id>                     workers.show_worker
    GET/POST /nguoi-lao-dong/<id>/sua                 workers.edit_worker
    GET/POST /nguoi-lao-dong/<id>/chuyen-doanh-nghiep workers.transfer_worker
    GET/POST /nguoi-lao-dong/<id>/nghi-viec           workers.end_employment
    POST     /nguoi-lao-dong/<id>/luu-tru             workers.archive_worker
    POST     /nguoi-lao-dong/<id>/khoi-phuc           workers.restore_worker
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from registry.audit.services import history
from registry.auth.services import scope
from registry.enterprises.services import enterprise_choices, enterprise_filter
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.learning.models import Area
from registry.learning.services import learning_record
from registry.pagination import paginate
from registry.views import confirmed_change
from registry.workers import services
from registry.workers.forms import (
    EndEmploymentForm,
    NewWorkerForm,
    ReceiveForm,
    TransferForm,
    WorkerForm,
)
from registry.workers.models import Worker
from registry.workers.services import EmploymentData, WorkerData

bp = Blueprint("workers", __name__, url_prefix="/nguoi-lao-dong")

AREAS = tuple(Area)
STATUSES = {"current": "Đang làm việc", "former": "Đã nghỉ việc", "archived": "Đã lưu trữ"}


def _worker_or_404(worker_id: int) -> Worker:
    """The worker if in the user's scope; 404 otherwise."""
    return services.worker_in_scope(db.session, scope(), worker_id) or abort(404)


def _editable_or_403(worker_id: int) -> Worker:
    worker = _worker_or_404(worker_id)
    if not scope().can_edit_worker(worker):
        abort(403)
    return worker


def _worker_data(form: WorkerForm) -> WorkerData:
    year_only = not form.birth_date.data
    return WorkerData(
        family_name=form.family_name.data,
        middle_name=form.middle_name.data,
        given_name=form.given_name.data,
        sex=form.sex.data,
        birth_date=form.birth_date.data or date(form.birth_year.data, 1, 1),
        birth_year_only=year_only,
        citizen_id=form.citizen_id.data,
        citizen_id_legacy=form.citizen_id_legacy.data,
        phone=form.phone.data,
        union_member=form.union_member.data,
    )


def _employment_data(form: TransferForm) -> EmploymentData:
    return EmploymentData(
        enterprise_id=form.enterprise_id.data,
        start_date=form.start_date.data,
        position=form.position.data,
    )


def _min_age() -> int:
    return current_app.config["REGISTRY_MIN_WORKER_AGE"]


@bp.get("")
@login_required
def list_workers():
    query = request.args.get("q", "")
    status = request.args.get("trang_thai", "current")
    status = status if status in STATUSES else "current"
    enterprise_id, enterprises = enterprise_filter(db.session, scope(), request.args)
    plan = services.search_plan(
        db.session,
        services.workers_query(scope(), enterprise_id, status),
        query,
        by_citizen_id=scope().sees_personal_data,
    )
    page = paginate(
        db.session, services.list_rows(plan.stmt), count=plan.countable, scalars=False
    )
    return render_template(
        "workers/list.html",
        page=page,
        query=query,
        status=status,
        statuses=STATUSES,
        enterprise_id=enterprise_id,
        enterprises=enterprises,
    )


@bp.route("/moi", methods=["GET", "POST"])
@login_required
def create_worker():
    if scope().read_only:
        abort(403)
    form = NewWorkerForm()
    form.enterprise_id.choices = enterprise_choices(db.session, scope())
    if request.method == "GET" and scope().enterprise_id:
        form.enterprise_id.data = scope().enterprise_id
    if form.validate_on_submit():
        try:
            worker = services.create_worker(
                db.session,
                scope(),
                _worker_data(form),
                _employment_data(form),
                date.today(),
                _min_age(),
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã thêm người lao động {worker.full_name}.", "success")
            return redirect(url_for("workers.show_worker", worker_id=worker.id))
    return render_template("workers/form.html", form=form, worker=None)


@bp.route("/tiep-nhan", methods=["GET", "POST"])
@login_required
def receive_worker():
    if scope().read_only:
        abort(403)
    form = ReceiveForm()
    form.enterprise_id.choices = enterprise_choices(db.session, scope())
    if form.validate_on_submit():
        try:
            worker = services.receive_worker(
                db.session,
                scope(),
                form.citizen_id.data,
                form.birth_year.data,
                _employment_data(form),
                date.today(),
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã tiếp nhận {worker.full_name}.", "success")
            return redirect(url_for("workers.show_worker", worker_id=worker.id))
    return render_template("workers/receive.html", form=form)


@bp.get("/<int:worker_id>")
@login_required
def show_worker(worker_id: int):
    worker = _worker_or_404(worker_id)
    can_edit = scope().can_edit_worker(worker)
    return render_template(
        "workers/show.html",
        worker=worker,
        employments=services.employment_history(db.session, worker.id),
        record=learning_record(db.session, worker),
        titles=services.learning_citizen_years(db.session, scope(), worker.id),
        areas=AREAS,
        history=history(db.session, "workers", worker.id),
        can_edit=can_edit,
        confirm=ConfirmForm() if can_edit else None,
    )


@bp.route("/<int:worker_id>/sua", methods=["GET", "POST"])
@login_required
def edit_worker(worker_id: int):
    worker = _editable_or_403(worker_id)
    form = WorkerForm(obj=worker)
    if request.method == "GET" and worker.birth_year_only:
        form.birth_date.data = None
        form.birth_year.data = worker.birth_date.year
    if form.validate_on_submit():
        try:
            services.update_worker(
                db.session, worker, _worker_data(form), date.today(), _min_age()
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã lưu thông tin người lao động.", "success")
            return redirect(url_for("workers.show_worker", worker_id=worker.id))
    return render_template("workers/form.html", form=form, worker=worker)


@bp.route("/<int:worker_id>/chuyen-doanh-nghiep", methods=["GET", "POST"])
@login_required
def transfer_worker(worker_id: int):
    worker = _editable_or_403(worker_id)
    form = TransferForm()
    form.enterprise_id.choices = enterprise_choices(db.session, scope())
    if form.validate_on_submit():
        try:
            services.transfer_worker(
                db.session, scope(), worker, _employment_data(form), date.today()
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã ghi nhận quá trình làm việc mới.", "success")
            return redirect(url_for("workers.show_worker", worker_id=worker.id))
    return render_template("workers/transfer.html", form=form, worker=worker)


@bp.route("/<int:worker_id>/nghi-viec", methods=["GET", "POST"])
@login_required
def end_employment(worker_id: int):
    worker = _editable_or_403(worker_id)
    form = EndEmploymentForm()
    if form.validate_on_submit():
        try:
            services.end_employment(db.session, worker, form.end_date.data)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã ghi nhận người lao động nghỉ việc.", "success")
            return redirect(url_for("workers.show_worker", worker_id=worker.id))
    return render_template("workers/end_employment.html", form=form, worker=worker)


@bp.post("/<int:worker_id>/luu-tru")
@login_required
def archive_worker(worker_id: int):
    worker = _editable_or_403(worker_id)
    confirmed_change(lambda: services.archive_worker(db.session, worker), "Đã lưu trữ hồ sơ.")
    return redirect(url_for("workers.show_worker", worker_id=worker_id))


@bp.post("/<int:worker_id>/khoi-phuc")
@login_required
def restore_worker(worker_id: int):
    worker = _editable_or_403(worker_id)
    confirmed_change(lambda: services.restore_worker(db.session, worker), "Đã khôi phục hồ sơ.")
    return redirect(url_for("workers.show_worker", worker_id=worker_id))

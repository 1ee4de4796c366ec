"""Activity pages, attendance sheets and single participations.

    GET      /hoat-dong                         learning.list_activities
    GET/POST /hoat-dong/moi                     learning.create_activity
    GET      /hoat-dong/<id>                    learning.show_activity
    GET/POST /hoat-dong/<id>/sua                learning.edit_activity
    POST     /hoat-dong/<id>/luu-tru            learning.archive_activity
    POST     /hoat-dong/<id>/khoi-phuc          learning.restore_activity
    GET/POST /hoat-dong/<id>/diem-danh          learning.record_attendance
    GET/POST /tham-gia/<id>/sua                 learning.edit_participation
    POST     /tham-gia/<id>/luu-tru             learning.archive_participation
    POST     /tham-gia/<id>/khoi-phuc           learning.restore_participation
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from registry.audit.services import history
from registry.auth.models import Role
from registry.auth.services import scope
from registry.enterprises.models import Enterprise
from registry.enterprises.services import enterprise_choices, enterprise_filter
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.learning import services
from registry.learning.forms import ActivityEditForm, AttendanceForm, ParticipationForm
from registry.learning.models import Activity, Area, Participation
from registry.learning.services import ActivityData, AttendanceEntry
from registry.pagination import paginate
from registry.units.services import served_communes
from registry.views import confirmed_change, requested_year
from registry.workers.models import Worker
from registry.workers.services import filter_by_name

bp = Blueprint("learning", __name__)

#: Attendance sheets list at most this many workers; a search narrows larger enterprises.
SHEET_LIMIT = 1500


def _activity_or_404(activity_id: int) -> Activity:
    return db.session.scalar(
        select(Activity).where(Activity.id == activity_id, scope().activities())
    ) or abort(404)


def _editable_activity(activity_id: int) -> Activity:
    activity = _activity_or_404(activity_id)
    if not scope().can_edit_activity(activity):
        abort(403)
    return activity


def _participation_or_404(participation_id: int) -> Participation:
    participation = db.session.scalar(
        select(Participation).where(
            Participation.id == participation_id, scope().participations()
        )
    ) or abort(404)
    if scope().read_only:
        abort(403)
    return participation


def _prepare(form: ActivityEditForm) -> None:
    s = scope()
    form.commune_id.choices = [(c.id, c.name) for c in served_communes(db.session, s.communes())]
    form.enterprise_id.choices = [
        (0, "— Hoạt động chung của xã —"),
        *enterprise_choices(db.session, s),
    ]
    # WTForms leaves a deleted field's attribute set to None.
    if s.role == Role.ENTERPRISE:
        del form.commune_id
        del form.enterprise_id
    elif s.role == Role.COMMUNE:
        del form.commune_id


def _data(form: ActivityEditForm) -> ActivityData:
    return ActivityData(
        title=form.title.data,
        area=form.area.data,
        form=form.form.data,
        organiser_kind=form.organiser_kind.data,
        organiser=form.organiser.data,
        commune_id=form.commune_id.data if form.commune_id else None,
        enterprise_id=form.enterprise_id.data if form.enterprise_id else None,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        hours=form.hours.data,
        location=form.location.data,
        description=form.description.data,
    )


@bp.get("/hoat-dong")
@login_required
def list_activities():
    query = request.args.get("q", "")
    year = requested_year()
    area = request.args.get("linh_vuc", "")
    archived = request.args.get("luu_tru") == "1"
    enterprise_id, enterprises = enterprise_filter(db.session, scope(), request.args)
    page = paginate(
        db.session, services.activities_query(scope(), query, year, area, enterprise_id, archived)
    )
    return render_template(
        "learning/list.html",
        page=page,
        query=query,
        year=year,
        area=area,
        archived=archived,
        enterprise_id=enterprise_id,
        areas=list(Area),
        enterprises=enterprises,
        years=range(date.today().year + 1, 2021, -1),
    )


@bp.route("/hoat-dong/moi", methods=["GET", "POST"])
@login_required
def create_activity():
    if scope().read_only:
        abort(403)
    form = ActivityEditForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            activity = services.save_activity(db.session, scope(), _data(form))
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã tạo hoạt động {activity.title}.", "success")
            return redirect(url_for("learning.show_activity", activity_id=activity.id))
    return render_template("learning/form.html", form=form, activity=None)


@bp.get("/hoat-dong/<int:activity_id>")
@login_required
def show_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    archived = request.args.get("luu_tru") == "1"
    stmt = (
        select(Participation)
        .join(Worker, Worker.id == Participation.worker_id)
        .where(Participation.activity_id == activity.id, scope().workers())
        .where(
            Participation.archived_at.is_not(None)
            if archived
            else Participation.archived_at.is_(None)
        )
        .order_by(Worker.sort_key, Worker.id)
    )
    page = paginate(db.session, stmt)
    return render_template(
        "learning/show.html",
        activity=activity,
        page=page,
        archived=archived,
        can_edit=scope().can_edit_activity(activity),
        history=history(db.session, "activities", activity.id),
        confirm=ConfirmForm(),
    )


@bp.route("/hoat-dong/<int:activity_id>/sua", methods=["GET", "POST"])
@login_required
def edit_activity(activity_id: int):
    activity = _editable_activity(activity_id)
    form = ActivityEditForm(obj=activity)
    _prepare(form)
    if request.method == "GET" and form.enterprise_id:
        form.enterprise_id.data = activity.enterprise_id or 0
    if form.validate_on_submit():
        try:
            services.save_activity(db.session, scope(), _data(form), activity)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã lưu hoạt động.", "success")
            return redirect(url_for("learning.show_activity", activity_id=activity.id))
    return render_template("learning/form.html", form=form, activity=activity)


@bp.post("/hoat-dong/<int:activity_id>/luu-tru")
@login_required
def archive_activity(activity_id: int):
    activity = _editable_activity(activity_id)
    confirmed_change(
        lambda: services.archive_activity(db.session, activity), "Đã lưu trữ hoạt động."
    )
    return redirect(url_for("learning.show_activity", activity_id=activity_id))


@bp.post("/hoat-dong/<int:activity_id>/khoi-phuc")
@login_required
def restore_activity(activity_id: int):
    activity = _editable_activity(activity_id)
    confirmed_change(
        lambda: services.restore_activity(db.session, activity), "Đã khôi phục hoạt động."
    )
    return redirect(url_for("learning.show_activity", activity_id=activity_id))


@bp.route("/hoat-dong/<int:activity_id>/diem-danh", methods=["GET", "POST"])
@login_required
def record_attendance(activity_id: int):
    activity = _activity_or_404(activity_id)
    if not scope().can_record_attendance() or activity.archived_at is not None:
        abort(403)
    enterprise_id = request.args.get("dn", type=int)
    query = request.args.get("q", "")
    candidates_stmt = services.eligible_workers_query(scope(), activity).where(
        ~Worker.id.in_(
            select(Participation.worker_id).where(Participation.activity_id == activity.id)
        )
    )
    if enterprise_id:
        candidates_stmt = candidates_stmt.where(Worker.current_enterprise_id == enterprise_id)
    if query:
        candidates_stmt = filter_by_name(
            db.session, candidates_stmt, query, scope().sees_personal_data
        )
    candidates = db.session.scalars(candidates_stmt.limit(SHEET_LIMIT + 1)).all()
    truncated = len(candidates) > SHEET_LIMIT
    candidates = candidates[:SHEET_LIMIT]
    by_id = {worker.id: worker for worker in candidates}

    form = AttendanceForm()
    if request.method == "GET":
        form.attended_on.data = activity.start_date
        for worker in candidates:
            form.rows.append_entry(
                {"worker_id": worker.id, "hours": activity.hours, "completed": True}
            )
    if form.validate_on_submit():
        entries = [
            AttendanceEntry(
                worker_id=int(row.worker_id.data),
                hours=row.hours.data if row.hours.data is not None else activity.hours,
                completed=row.completed.data,
                result=row.result.data or "",
            )
            for row in form.rows
            if row.selected.data and row.worker_id.data.isdigit()
        ]
        try:
            created = services.record_attendance(
                db.session, scope(), activity, entries, form.attended_on.data
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã ghi nhận {len(created)} người tham gia.", "success")
            return redirect(url_for("learning.show_activity", activity_id=activity.id))
    enterprises = []
    if activity.enterprise_id is None and scope().role != Role.ENTERPRISE:
        enterprises = db.session.execute(
            select(Enterprise.id, Enterprise.name)
            .where(
                Enterprise.commune_id == activity.commune_id,
                scope().enterprises(),
                Enterprise.archived_at.is_(None),
            )
            .order_by(Enterprise.search_name)
        ).all()
    return render_template(
        "learning/attendance.html",
        activity=activity,
        form=form,
        workers=by_id,
        truncated=truncated,
        enterprises=enterprises,
        enterprise_id=enterprise_id,
        query=query,
    )


@bp.route("/tham-gia/<int:participation_id>/sua", methods=["GET", "POST"])
@login_required
def edit_participation(participation_id: int):
    participation = _participation_or_404(participation_id)
    form = ParticipationForm(obj=participation)
    if form.validate_on_submit():
        try:
            services.update_participation(
                db.session,
                participation,
                form.attended_on.data,
                form.hours.data,
                form.completed.data,
                form.result.data,
                form.note.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã lưu thông tin tham gia.", "success")
            return redirect(
                url_for("learning.show_activity", activity_id=participation.activity_id)
            )
    return render_template(
        "learning/participation.html",
        form=form,
        participation=participation,
        history=history(db.session, "participations", participation.id),
        confirm=ConfirmForm(),
    )


@bp.post("/tham-gia/<int:participation_id>/luu-tru")
@login_required
def archive_participation(participation_id: int):
    participation = _participation_or_404(participation_id)
    confirmed_change(
        lambda: services.archive_participation(db.session, participation),
        "Đã rút lượt tham gia (vẫn lưu trong lịch sử).",
    )
    return redirect(url_for("learning.show_activity", activity_id=participation.activity_id))


@bp.post("/tham-gia/<int:participation_id>/khoi-phuc")
@login_required
def restore_participation(participation_id: int):
    participation = _participation_or_404(participation_id)
    confirmed_change(
        lambda: services.restore_participation(db.session, participation),
        "Đã khôi phục lượt tham gia.",
    )
    return redirect(url_for("learning.show_activity", activity_id=participation.activity_id))

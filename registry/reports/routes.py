"""The activity log and the periodic report.

    GET      /nhat-ky                                 reports.activity_log
    GET/POST /nhat-ky/<log_kind>/moi                      reports.create_entry
    GET/POST /nhat-ky/<log_kind>/<id>/sua                 reports.edit_entry
    POST     /nhat-ky/<log_kind>/<id>/luu-tru             reports.archive_entry
    POST     /nhat-ky/<log_kind>/<id>/khoi-phuc           reports.restore_entry
    GET/POST /bao-cao                                 reports.report
    GET      /bao-cao/tai-ve                          reports.download_report

The report is of a province or a commune: ?don_vi=tinh-38 or ?don_vi=xa-15865 (the log's
?xa=15865 is accepted too).
<log_kind> is truyen-thong (communication), su-kien (events), van-ban (directives) or kinh-phi
(spending).
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required
from sqlalchemy import select

from registry.auth.models import Role
from registry.auth.services import scope
from registry.documents.vn_format import money
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.reports import services
from registry.reports.documents import report_file, scope_sentence
from registry.reports.forms import FORMS, ReportForm
from registry.reports.services import KINDS, SECTIONS
from registry.units.models import Commune
from registry.views import confirmed_change

bp = Blueprint("reports", __name__)
KIND = 'any("truyen-thong", "su-kien", "van-ban", "kinh-phi"):log_kind'
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _viewer() -> None:
    if not services.can_view_log(scope()):
        abort(403)


def _editor() -> None:
    if not services.can_edit_log(scope()):
        abort(403)


def _period() -> tuple[date, date]:
    today = date.today()
    try:
        start = date.fromisoformat(request.args.get("tu", "")) if request.args.get("tu") \
            else date(today.year, 1, 1)
        end = date.fromisoformat(request.args.get("den", "")) if request.args.get("den") \
            else date(today.year, 12, 31)
    except ValueError:
        flash("Ngày không hợp lệ (dạng năm-tháng-ngày); đã dùng cả năm nay.", "warning")
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if end < start:
        flash("Ngày cuối kỳ trước ngày đầu kỳ; đã đổi chỗ hai ngày.", "warning")
        start, end = end, start
    return start, end


def _commune(communes: list[Commune]) -> Commune | None:
    """The commune picked by ?xa=<code> among the user's (the first when not given)."""
    code = request.args.get("xa")
    if code:
        return next((c for c in communes if c.code == code), None) or abort(404)
    return communes[0] if communes else None


@bp.get("/nhat-ky")
@login_required
def activity_log():
    _viewer()
    start, end = _period()
    communes = services.communes_of(db.session, scope())
    commune = _commune(communes)
    archived = request.args.get("luu_tru") == "1"
    lists = {
        kind: db.session.scalars(services.entries_query(
            kind, scope(), start, end, commune.id if commune else -1, archived)).all()
        for kind in KINDS
    }
    return render_template(
        "reports/log.html", lists=lists, kinds=KINDS, start=start, end=end, communes=communes,
        commune=commune, archived=archived, confirm=ConfirmForm(),
        can_edit=services.can_edit_log(scope()), money=money,
    )


def _prepare(form, kind: str) -> None:
    s = scope()
    if s.role == Role.COMMUNE:
        del form.commune_id
    else:
        form.commune_id.choices = [(c.id, c.name) for c in services.communes_of(db.session, s)]
    if kind == "kinh-phi":
        enterprises = db.session.execute(
            select(Enterprise.id, Enterprise.name)
            .where(s.enterprises(), Enterprise.archived_at.is_(None))
            .order_by(Enterprise.search_name)).all()
        form.enterprise_id.choices = [(0, "—"), *[(i, n) for i, n in enterprises]]


def _save(form, kind: str, item=None):
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    try:
        saved = services.save_entry(db.session, scope(), kind, values, item)
    except DomainError as error:
        db.session.rollback()
        form.apply_error(error)
        return None
    db.session.commit()
    flash(f"Đã lưu: {KINDS[kind][2].lower()}.", "success")
    return redirect(url_for("reports.activity_log", xa=saved.commune.code))


@bp.route(f"/nhat-ky/<{KIND}>/moi", methods=["GET", "POST"])
@login_required
def create_entry(log_kind: str):
    kind = log_kind
    _editor()
    form = FORMS[kind]()
    _prepare(form, kind)
    if form.validate_on_submit():
        response = _save(form, kind)
        if response is not None:
            return response
    return render_template("reports/entry_form.html", form=form, kind=kind, item=None,
                           title=KINDS[kind][2])


def _entry_or_404(kind: str, item_id: int):
    _viewer()
    item = services.entry_in_scope(db.session, scope(), kind, item_id) or abort(404)
    _editor()
    return item


@bp.route(f"/nhat-ky/<{KIND}>/<int:item_id>/sua", methods=["GET", "POST"])
@login_required
def edit_entry(log_kind: str, item_id: int):
    kind = log_kind
    item = _entry_or_404(kind, item_id)
    form = FORMS[kind](obj=item)
    _prepare(form, kind)
    if kind == "kinh-phi" and not form.enterprise_id.data:
        form.enterprise_id.data = 0
    if form.validate_on_submit():
        response = _save(form, kind, item)
        if response is not None:
            return response
    return render_template("reports/entry_form.html", form=form, kind=kind, item=item,
                           title=KINDS[kind][2])


@bp.post(f"/nhat-ky/<{KIND}>/<int:item_id>/luu-tru")
@login_required
def archive_entry(log_kind: str, item_id: int):
    kind = log_kind
    item = _entry_or_404(kind, item_id)
    confirmed_change(lambda: services.archive_entry(db.session, item), "Đã lưu trữ.")
    return redirect(url_for("reports.activity_log", xa=item.commune.code))


@bp.post(f"/nhat-ky/<{KIND}>/<int:item_id>/khoi-phuc")
@login_required
def restore_entry(log_kind: str, item_id: int):
    kind = log_kind
    item = _entry_or_404(kind, item_id)
    confirmed_change(lambda: services.restore_entry(db.session, item), "Đã khôi phục.")
    return redirect(url_for("reports.activity_log", xa=item.commune.code))


def _report_unit():
    """The unit of ?don_vi= (or the older ?xa=<code>) if the user may report on it: 404 if
    named and out of reach, the user's default unit otherwise."""
    key = request.args.get("don_vi") or (f"xa-{request.args['xa']}" if request.args.get("xa")
                                         else None)
    unit = services.report_unit(db.session, scope(), key)
    if unit is None:
        abort(404)
    return unit


@bp.route("/bao-cao", methods=["GET", "POST"])
@login_required
def report():
    _viewer()
    unit = _report_unit()
    start, end = _period()
    data = services.collect(db.session, unit, start, end)
    form = ReportForm(data=data.texts)
    can_edit = services.can_edit_texts(scope(), unit)
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                services.save_report_texts(
                    db.session, scope(), unit,
                    {key: getattr(form, key).data or "" for key in SECTIONS})
            except DomainError as error:
                db.session.rollback()
                form.apply_error(error)
            else:
                db.session.commit()
                flash("Đã lưu nội dung báo cáo; lần sau sẽ dùng lại.", "success")
                return redirect(url_for("reports.report", don_vi=unit.key,
                                        tu=start.isoformat(), den=end.isoformat()))
    return render_template(
        "reports/report.html", form=form, data=data, unit=unit,
        units=services.report_units(db.session, scope()), start=start, end=end,
        can_edit=can_edit, can_edit_log=services.can_edit_log(scope()), money=money,
        sections=SECTIONS, scope_sentence=scope_sentence(data),
    )


@bp.get("/bao-cao/tai-ve")
@login_required
def download_report():
    _viewer()
    unit = _report_unit()
    start, end = _period()
    fmt = request.args.get("dinh_dang", "docx")
    if fmt not in MIMETYPES:
        abort(404)
    data = services.collect(db.session, unit, start, end)
    content = report_file(data, fmt)
    name = f"bao-cao-hoc-tap-suot-doi-{unit.key}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name,
                     mimetype=MIMETYPES[fmt])

"""Enterprise pages.

    GET      /doanh-nghiep                      enterprises.list_enterprises
    GET/POST /doanh-nghiep/moi                  enterprises.create_enterprise
    GET      /doanh-nghiep/<id>                 enterprises.show_enterprise
    GET/POST /doanh-nghiep/<id>/sua             enterprises.edit_enterprise
    POST     /doanh-nghiep/<id>/luu-tru         enterprises.archive_enterprise
    POST     /doanh-nghiep/<id>/khoi-phuc       enterprises.restore_enterprise
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from registry.audit.services import history
from registry.auth.services import scope
from registry.enterprises import services
from registry.enterprises.forms import EnterpriseForm
from registry.enterprises.models import Enterprise
from registry.enterprises.services import EnterpriseData
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.pagination import paginate
from registry.units.services import served_communes
from registry.views import confirmed_change

bp = Blueprint("enterprises", __name__, url_prefix="/doanh-nghiep")


def _enterprise_or_404(enterprise_id: int) -> Enterprise:
    """The enterprise if it is in the user's scope; 404 otherwise."""
    return db.session.scalar(
        select(Enterprise).where(Enterprise.id == enterprise_id, scope().enterprises())
    ) or abort(404)


def _prepare(form: EnterpriseForm) -> None:
    form.commune_id.choices = [
        (c.id, c.name) for c in served_communes(db.session, scope().communes())
    ]


def _data(form: EnterpriseForm) -> EnterpriseData:
    return EnterpriseData(
        name=form.name.data,
        tax_code=form.tax_code.data,
        commune_id=form.commune_id.data,
        sector=form.sector.data,
        address=form.address.data,
        union_branch=form.union_branch.data,
        is_active=form.is_active.data,
    )


@bp.get("")
@login_required
def list_enterprises():
    query = request.args.get("q", "")
    archived = request.args.get("luu_tru") == "1"
    page = paginate(db.session, services.enterprises_query(scope(), query, archived))
    counts = services.current_worker_counts(db.session, [e.id for e in page.items])
    return render_template(
        "enterprises/list.html", page=page, query=query, archived=archived, counts=counts
    )


@bp.route("/moi", methods=["GET", "POST"])
@login_required
def create_enterprise():
    if not scope().can_manage_enterprises():
        abort(403)
    form = EnterpriseForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            enterprise = services.save_enterprise(db.session, scope(), _data(form))
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã thêm doanh nghiệp {enterprise.name}.", "success")
            return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise.id))
    return render_template("enterprises/form.html", form=form, enterprise=None)


@bp.get("/<int:enterprise_id>")
@login_required
def show_enterprise(enterprise_id: int):
    enterprise = _enterprise_or_404(enterprise_id)
    return render_template(
        "enterprises/show.html",
        enterprise=enterprise,
        staff=services.current_worker_count(db.session, enterprise),
        history=history(db.session, "enterprises", enterprise.id),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:enterprise_id>/sua", methods=["GET", "POST"])
@login_required
def edit_enterprise(enterprise_id: int):
    enterprise = _enterprise_or_404(enterprise_id)
    if not scope().can_edit_enterprise(enterprise):
        abort(403)
    form = EnterpriseForm(obj=enterprise)
    _prepare(form)
    if form.validate_on_submit():
        try:
            services.save_enterprise(db.session, scope(), _data(form), enterprise)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash("Đã lưu thông tin doanh nghiệp.", "success")
            return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise.id))
    return render_template("enterprises/form.html", form=form, enterprise=enterprise)


def _manageable_or_403(enterprise_id: int) -> Enterprise:
    enterprise = _enterprise_or_404(enterprise_id)
    if not scope().can_manage_enterprises():
        abort(403)
    return enterprise


@bp.post("/<int:enterprise_id>/luu-tru")
@login_required
def archive_enterprise(enterprise_id: int):
    enterprise = _manageable_or_403(enterprise_id)
    confirmed_change(
        lambda: services.archive_enterprise(db.session, enterprise), "Đã lưu trữ doanh nghiệp."
    )
    return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise_id))


@bp.post("/<int:enterprise_id>/khoi-phuc")
@login_required
def restore_enterprise(enterprise_id: int):
    enterprise = _manageable_or_403(enterprise_id)
    confirmed_change(
        lambda: services.restore_enterprise(db.session, enterprise), "Đã khôi phục doanh nghiệp."
    )
    return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise_id))

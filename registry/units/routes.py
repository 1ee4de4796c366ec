"""Administrative units: which communes this registry serves (administrators).

    GET  /don-vi                 units.list_communes
    POST /don-vi/phuc-vu         units.set_served
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from registry.auth.models import Role
from registry.auth.services import scope
from registry.errors import DomainError
from registry.extensions import db
from registry.units import services
from registry.units.forms import ServeForm
from registry.units.models import Commune, Province

bp = Blueprint("units", __name__, url_prefix="/don-vi")


@bp.get("")
@login_required
def list_communes():
    if scope().role != Role.ADMIN:
        abort(403)
    provinces = db.session.scalars(select(Province).order_by(Province.name)).all()
    chosen = request.args.get("tinh", "")
    candidates = []
    if chosen:
        candidates = db.session.scalars(
            select(Commune)
            .join(Commune.province)
            .where(Province.code == chosen, Commune.is_served.is_(False))
            .order_by(Commune.name)
        ).all()
    return render_template(
        "units/communes.html",
        served=services.served_communes(db.session),
        provinces=provinces,
        chosen=chosen,
        candidates=candidates,
    )


@bp.post("/phuc-vu")
@login_required
def set_served():
    if scope().role != Role.ADMIN:
        abort(403)
    form = ServeForm()
    if not form.validate_on_submit():
        flash("Mã xã, phường không hợp lệ.", "danger")
        return redirect(url_for("units.list_communes"))
    served = form.served.data
    try:
        communes = services.set_served(db.session, [form.code.data], served=served)
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
    else:
        db.session.commit()
        action = "Đã thêm" if served else "Đã thôi phục vụ"
        flash(f"{action} {communes[0].name}.", "success")
    return redirect(url_for("units.list_communes"))

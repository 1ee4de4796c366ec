"""The home page: headline figures of the user's commune (or enterprise) for a year.

    GET /            home.index
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import and_

from registry.auth.models import Role
from registry.auth.services import scope
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.home.services import headline
from registry.learning.models import Activity, Area
from registry.units.services import served_communes
from registry.views import requested_year

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    s = scope()
    year = requested_year(date.today().year)
    communes = served_communes(db.session, s.communes()) if s.role != Role.ENTERPRISE else []
    commune_id = request.args.get("xa", type=int)
    if commune_id not in {c.id for c in communes}:
        commune_id = None
    enterprise_filter, activity_filter = s.enterprises(), s.activities()
    if commune_id:
        enterprise_filter = and_(enterprise_filter, Enterprise.commune_id == commune_id)
        activity_filter = and_(activity_filter, Activity.commune_id == commune_id)
    figures = headline(db.session, enterprise_filter, activity_filter, year)
    return render_template(
        "home/index.html",
        figures=figures,
        areas=list(Area),
        communes=communes,
        commune_id=commune_id,
        year=year,
        years=range(date.today().year + 1, 2021, -1),
    )

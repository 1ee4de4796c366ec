"""The progress dashboard, the workers behind each figure, and plans with their targets.

    GET      /bang-dieu-khien                        plans.dashboard
    GET      /bang-dieu-khien/xu-huong.svg           plans.trend_chart
    GET      /bang-dieu-khien/nguoi-lao-dong         plans.figure_workers
    GET      /bang-dieu-khien/nguoi-lao-dong.xlsx    plans.export_figure_workers
    GET      /ke-hoach                               plans.list_plans
    GET/POST /ke-hoach/moi                           plans.create_plan
    GET      /ke-hoach/<id>                          plans.show_plan
    GET/POST /ke-hoach/<id>/sua                      plans.edit_plan
    POST     /ke-hoach/<id>/luu-tru                  plans.archive_plan
    POST     /ke-hoach/<id>/khoi-phuc                plans.restore_plan
"""

from __future__ import annotations

import io
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required
from sqlalchemy import select

from registry.auth.models import Role
from registry.auth.services import scope
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.pagination import paginate
from registry.plans import cache, charts, services
from registry.plans.exports import figure_workbook
from registry.plans.forms import MILESTONE_ROWS, PlanForm
from registry.plans.models import Indicator, Plan, PlanLevel
from registry.plans.services import PlanData, Unit
from registry.units.models import Commune, Province
from registry.views import confirmed_change, requested_year
from registry.workers.models import Worker

bp = Blueprint("plans", __name__)
bp.record_once(lambda state: cache.init_app(state.app))

#: Years offered on the dashboard.
FIRST_YEAR = 2022
#: Groups of the worker list behind a figure.
GROUPS = {"dat": True, "chua": False, "tat-ca": None}
GROUP_LABELS = {"dat": "được tính", "chua": "chưa được tính", "tat-ca": "tất cả"}
EXPORT_LIMIT = 200_000
#: Rows of the per-enterprise table on one page (a province has thousands of enterprises).
TABLE_ROWS = 50


def _years() -> range:
    return range(date.today().year + 1, FIRST_YEAR - 1, -1)


def _unit_or_404() -> Unit:
    unit = services.resolve_unit(db.session, scope(), request.args.get("don_vi"))
    if unit is None:
        abort(404)
    return unit


def _year() -> int:
    year = requested_year(date.today().year)
    if not FIRST_YEAR <= year <= date.today().year + 1:
        abort(404)
    return year


@bp.get("/bang-dieu-khien")
@login_required
def dashboard():
    unit, year = _unit_or_404(), _year()
    board = services.dashboard(db.session, unit, year)
    labels = [i.value for i in Indicator]
    target_label = (f"Chỉ tiêu năm {board.milestone}" if board.milestone else "Chỉ tiêu")
    chart = charts.rates_chart(
        labels, [s.rate for s in board.standings], [s.target for s in board.standings],
        f"Tỷ lệ năm {year} so với chỉ tiêu", target_label,
    )
    sort = request.args.get("sap_xep", "ten")
    # board.enterprises is in Vietnamese order of names; sorted() is stable, so rows with equal
    # figures keep that order.
    rows = board.enterprises
    if sort in {i.value for i in Indicator}:
        indicator = Indicator(sort)
        rows = sorted(rows, key=lambda r: (r.counts.rate(indicator) is None,
                                           -(r.counts.rate(indicator) or 0)))
    elif sort == "so-nguoi":
        rows = sorted(rows, key=lambda r: -r.counts.workers)
    pages = max(1, -(-len(rows) // TABLE_ROWS))
    page = min(max(1, request.args.get("trang", 1, type=int)), pages)
    rows = services.with_standings(board, rows[(page - 1) * TABLE_ROWS:page * TABLE_ROWS])
    return render_template(
        "plans/dashboard.html", board=board, rows=rows, sort=sort, indicators=list(Indicator),
        page=page, pages=pages,
        chart_svg=charts.to_svg(chart), units=services.unit_choices(db.session, scope()),
        years=_years(),
    )


@bp.get("/bang-dieu-khien/xu-huong.svg")
@login_required
def trend_chart():
    unit, year = _unit_or_404(), _year()
    plan = services.active_plan(db.session, unit, year)
    start = max(FIRST_YEAR, min(plan.start_year if plan else year - 3, year - 1), year - 8)
    years = list(range(start, year + 1))
    counts = services.trend(db.session, unit, years)
    chart = charts.indicator_trend(years, counts, f"Tỷ lệ theo năm, {unit.name}")
    return Response(charts.to_svg(chart), mimetype="image/svg+xml")


def _figure_args() -> tuple[Unit, int, Indicator | None, str]:
    unit, year = _unit_or_404(), _year()
    key = request.args.get("chi_so", "")
    indicator = Indicator(key) if key in {i.value for i in Indicator} else None
    group = request.args.get("nhom", "dat")
    if group not in GROUPS or (indicator is None and group != "tat-ca"):
        group = "tat-ca"
    return unit, year, indicator, group


@bp.get("/bang-dieu-khien/nguoi-lao-dong")
@login_required
def figure_workers():
    unit, year, indicator, group = _figure_args()
    plan = services.active_plan(db.session, unit, year)
    first = services.window_start(plan, year)
    stmt = services.workers_behind(unit, year, first, indicator, GROUPS[group])
    page = paginate(db.session, stmt)
    hours = services.area_hours(db.session, [w.id for w in page.items], indicator, year, first)
    counted = None
    if indicator is not None and group == "tat-ca":
        ids = [w.id for w in page.items]
        counted = set(db.session.scalars(
            services.workers_behind(unit, year, first, indicator, True)
            .with_only_columns(Worker.id).where(Worker.id.in_(ids))
            .order_by(None)
        )) if ids else set()
    return render_template(
        "plans/workers.html", unit=unit, year=year, indicator=indicator, group=group,
        groups=GROUP_LABELS, page=page, hours=hours, counted=counted, first=first,
        personal=scope().sees_personal_data,
    )


@bp.get("/bang-dieu-khien/nguoi-lao-dong.xlsx")
@login_required
def export_figure_workers():
    unit, year, indicator, group = _figure_args()
    plan = services.active_plan(db.session, unit, year)
    first = services.window_start(plan, year)
    stmt = services.workers_behind(unit, year, first, indicator, GROUPS[group]).limit(
        EXPORT_LIMIT)
    counted_ids: set[int] = set()
    if indicator is not None:
        counted_ids = set(db.session.scalars(
            services.workers_behind(unit, year, first, indicator, True)
            .with_only_columns(Worker.id).order_by(None)
        ))

    def rows():
        batch = []
        for worker in db.session.scalars(stmt.execution_options(yield_per=2000)):
            batch.append(worker)
            if len(batch) == 2000:
                yield from _with_hours(batch)
                batch = []
        yield from _with_hours(batch)

    def _with_hours(batch):
        hours = services.area_hours(db.session, [w.id for w in batch], indicator, year, first)
        for worker in batch:
            counted = worker.id in counted_ids if indicator is not None else True
            yield worker, counted, hours.get(worker.id, 0)

    what = (f"chỉ số {indicator.value}) {indicator.label}, {GROUP_LABELS[group]}"
            if indicator else "mẫu số (tất cả người lao động được tính)")
    title = f"Người lao động {unit.name}, năm {year} — {what}"
    data = figure_workbook(title, rows(), scope().sees_personal_data)
    name = f"nguoi-lao-dong-{unit.key}-{year}-{indicator.value if indicator else 'mau-so'}-{group}"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{name}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- plans -----------------------------------------------------------------------------------


def _plan_or_404(plan_id: int) -> Plan:
    return db.session.scalar(
        select(Plan).where(Plan.id == plan_id, services.plans_visible(scope()))
    ) or abort(404)


def _editable_plan(plan_id: int) -> Plan:
    plan = _plan_or_404(plan_id)
    if not services.can_edit_plan(scope(), plan):
        abort(403)
    return plan


@bp.get("/ke-hoach")
@login_required
def list_plans():
    archived = request.args.get("luu_tru") == "1"
    plans = db.session.scalars(services.plans_query(scope(), archived)).all()
    return render_template("plans/list.html", plans=plans, archived=archived,
                           indicators=list(Indicator),
                           can_manage=services.can_manage_plans(scope()))


def _prepare(form: PlanForm) -> None:
    s = scope()
    form.province_id.choices = [(0, "—")] + [
        (p.id, p.name) for p in db.session.scalars(select(Province).order_by(Province.code))
    ]
    form.commune_id.choices = [(0, "—")] + [
        (c.id, c.name) for c in db.session.scalars(
            select(Commune).where(Commune.is_served, s.communes()).order_by(Commune.name))
    ]
    if s.role == Role.COMMUNE:
        form.level.choices = [(PlanLevel.COMMUNE.value, PlanLevel.COMMUNE.label)]
        del form.province_id
        del form.commune_id


def _data(form: PlanForm) -> PlanData:
    targets = []
    for row in range(1, MILESTONE_ROWS + 1):
        year = getattr(form, f"year_{row}").data
        for indicator in Indicator:
            name = f"t{row}_{indicator.value}"
            targets.append((indicator.value, year, getattr(form, name).data, name))
    return PlanData(
        level=form.level.data,
        issuing_body=form.issuing_body.data,
        number=form.number.data,
        issued_on=form.issued_on.data,
        title=form.title.data,
        start_year=form.start_year.data,
        end_year=form.end_year.data,
        counting_window=form.counting_window.data,
        province_id=form.province_id.data if form.province_id else None,
        commune_id=form.commune_id.data if form.commune_id else None,
        targets=targets,
    )


def _fill(form: PlanForm, plan: Plan) -> None:
    for row, year in enumerate(plan.milestones()[:MILESTONE_ROWS], start=1):
        getattr(form, f"year_{row}").data = year
        for indicator in Indicator:
            value = plan.target(indicator, year)
            if value is not None:
                text = format(value.normalize(), "f").replace(".", ",")
                getattr(form, f"t{row}_{indicator.value}").data = text


def _save(form: PlanForm, plan: Plan | None):
    try:
        saved = services.save_plan(db.session, scope(), _data(form), plan)
    except DomainError as error:
        db.session.rollback()
        form.apply_error(error)
        return None
    db.session.commit()
    flash(f"Đã lưu kế hoạch số {saved.number}.", "success")
    return redirect(url_for("plans.show_plan", plan_id=saved.id))


@bp.route("/ke-hoach/moi", methods=["GET", "POST"])
@login_required
def create_plan():
    if not services.can_manage_plans(scope()):
        abort(403)
    form = PlanForm()
    _prepare(form)
    if request.method == "GET" and scope().role == Role.COMMUNE:
        commune = db.session.get(Commune, scope().commune_id)
        form.issuing_body.data = f"UBND {commune.division_type} {commune.short_name}"
        form.start_year.data, form.end_year.data = 2023, 2030
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return render_template("plans/form.html", form=form, plan=None, rows=MILESTONE_ROWS,
                           indicators=list(Indicator))


@bp.get("/ke-hoach/<int:plan_id>")
@login_required
def show_plan(plan_id: int):
    plan = _plan_or_404(plan_id)
    return render_template("plans/show.html", plan=plan, indicators=list(Indicator),
                           can_edit=services.can_edit_plan(scope(), plan),
                           confirm=ConfirmForm())


@bp.route("/ke-hoach/<int:plan_id>/sua", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    plan = _editable_plan(plan_id)
    form = PlanForm(obj=plan)
    _prepare(form)
    if request.method == "GET":
        form.level.data = plan.level.value
        form.counting_window.data = plan.counting_window.value
        _fill(form, plan)
    if form.validate_on_submit():
        response = _save(form, plan)
        if response is not None:
            return response
    return render_template("plans/form.html", form=form, plan=plan, rows=MILESTONE_ROWS,
                           indicators=list(Indicator))


@bp.post("/ke-hoach/<int:plan_id>/luu-tru")
@login_required
def archive_plan(plan_id: int):
    plan = _editable_plan(plan_id)
    confirmed_change(lambda: services.archive_plan(db.session, plan),
                     f"Đã lưu trữ kế hoạch số {plan.number}.")
    return redirect(url_for("plans.show_plan", plan_id=plan.id))


@bp.post("/ke-hoach/<int:plan_id>/khoi-phuc")
@login_required
def restore_plan(plan_id: int):
    plan = _editable_plan(plan_id)
    confirmed_change(lambda: services.restore_plan(db.session, plan),
                     f"Đã khôi phục kế hoạch số {plan.number}.")
    return redirect(url_for("plans.show_plan", plan_id=plan.id))

"""Commendation rounds: proposals by enterprises, approval by the commune, documents.

    GET      /bieu-duong                              commendations.list_rounds
    GET/POST /bieu-duong/moi                          commendations.create_round
    GET      /bieu-duong/<id>                         commendations.show_round
    GET/POST /bieu-duong/<id>/sua                     commendations.edit_round
    GET/POST /bieu-duong/<id>/de-nghi                 commendations.propose_entry
    GET/POST /bieu-duong/<id>/goi-y                   commendations.suggest_entries
    POST     /bieu-duong/<id>/phe-duyet               commendations.approve_round
    GET      /bieu-duong/<id>/tai-ve                  commendations.download_round
    POST     /bieu-duong/muc/<id>/duyet               commendations.approve_entry
    POST     /bieu-duong/muc/<id>/khong-duyet         commendations.reject_entry
    POST     /bieu-duong/muc/<id>/rut                 commendations.withdraw_entry
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from registry.auth.models import Role
from registry.auth.services import scope
from registry.commendations import services
from registry.commendations.documents import round_file, split, total
from registry.commendations.forms import EntryForm, RoundForm
from registry.commendations.models import CommendationEntry, CommendationRound, EntryStatus
from registry.commendations.services import EntryData, RoundData
from registry.documents.vn_format import money, money_in_words
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm
from registry.reports.services import communes_of
from registry.units.models import Commune
from registry.views import confirmed_change

bp = Blueprint("commendations", __name__)
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _round_or_404(round_id: int) -> CommendationRound:
    return db.session.scalar(select(CommendationRound).where(
        CommendationRound.id == round_id, services.rounds_visible(scope()))) or abort(404)


def _manager() -> None:
    if not services.can_manage(scope()):
        abort(403)


def _entry_or_404(entry_id: int) -> CommendationEntry:
    return db.session.scalar(
        select(CommendationEntry).join(CommendationRound)
        .where(CommendationEntry.id == entry_id, services.rounds_visible(scope()),
               services.entries_visible(scope()))) or abort(404)


@bp.get("/bieu-duong")
@login_required
def list_rounds():
    rounds = db.session.scalars(
        select(CommendationRound).where(services.rounds_visible(scope()),
                                        CommendationRound.archived_at.is_(None))
        .order_by(CommendationRound.year.desc(), CommendationRound.id.desc())).all()
    return render_template("commendations/list.html", rounds=rounds,
                           can_manage=services.can_manage(scope()))


def _round_data(form: RoundForm) -> RoundData:
    return RoundData(title=form.title.data, year=form.year.data,
                     issuing_body=form.issuing_body.data,
                     decision_number=form.decision_number.data or "",
                     decision_date=form.decision_date.data, signer_name=form.signer_name.data,
                     signer_title=form.signer_title.data,
                     commune_id=form.commune_id.data if form.commune_id else None)


def _prepare_round(form: RoundForm) -> None:
    if scope().role == Role.COMMUNE:
        del form.commune_id
    else:
        form.commune_id.choices = [(c.id, c.name) for c in communes_of(db.session, scope())]


def _save_round(form: RoundForm, round_: CommendationRound | None):
    try:
        saved = services.save_round(db.session, scope(), _round_data(form), round_)
    except DomainError as error:
        db.session.rollback()
        form.apply_error(error)
        return None
    db.session.commit()
    flash(f"Đã lưu đợt «{saved.title}».", "success")
    return redirect(url_for("commendations.show_round", round_id=saved.id))


@bp.route("/bieu-duong/moi", methods=["GET", "POST"])
@login_required
def create_round():
    _manager()
    form = RoundForm()
    _prepare_round(form)
    if request.method == "GET":
        form.year.data = date.today().year
        if scope().role == Role.COMMUNE:
            commune = db.session.get(Commune, scope().commune_id)
            form.issuing_body.data = f"UBND {commune.division_type} {commune.short_name}"
    if form.validate_on_submit():
        response = _save_round(form, None)
        if response is not None:
            return response
    return render_template("commendations/round_form.html", form=form, round=None)


@bp.route("/bieu-duong/<int:round_id>/sua", methods=["GET", "POST"])
@login_required
def edit_round(round_id: int):
    round_ = _round_or_404(round_id)
    _manager()
    form = RoundForm(obj=round_)
    _prepare_round(form)
    if form.validate_on_submit():
        response = _save_round(form, round_)
        if response is not None:
            return response
    return render_template("commendations/round_form.html", form=form, round=round_)


@bp.get("/bieu-duong/<int:round_id>")
@login_required
def show_round(round_id: int):
    round_ = _round_or_404(round_id)
    entries = db.session.scalars(services.entries_query(scope(), round_)).all()
    approved = [e for e in entries if e.status == EntryStatus.APPROVED]
    workers, children = split(approved)
    amount = total(approved)
    return render_template(
        "commendations/show.html", round=round_, entries=entries, workers=workers,
        children=children, amount=amount, amount_words=money_in_words(amount) if amount else "",
        money=money, confirm=ConfirmForm(), can_manage=services.can_manage(scope()),
        can_propose=services.can_propose(scope()), rules=services.RULES,
        is_enterprise=scope().role == Role.ENTERPRISE,
    )


@bp.route("/bieu-duong/<int:round_id>/de-nghi", methods=["GET", "POST"])
@login_required
def propose_entry(round_id: int):
    round_ = _round_or_404(round_id)
    if not services.can_propose(scope()):
        abort(403)
    form = EntryForm()
    if form.validate_on_submit():
        data = EntryData(kind=form.kind.data, worker_ref=form.worker_ref.data,
                         reason=form.reason.data, child_name=form.child_name.data or "",
                         child_birth_year=form.child_birth_year.data,
                         achievement=form.achievement.data or "", amount=form.amount.data)
        try:
            entry = services.propose_entry(db.session, scope(), round_, data, current_user.id)
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã thêm {entry.child_name or entry.worker.full_name} vào danh sách.",
                  "success")
            return redirect(url_for("commendations.show_round", round_id=round_.id))
    return render_template("commendations/entry_form.html", form=form, round=round_)


@bp.route("/bieu-duong/<int:round_id>/goi-y", methods=["GET", "POST"])
@login_required
def suggest_entries(round_id: int):
    round_ = _round_or_404(round_id)
    if not services.can_propose(scope()):
        abort(403)
    rule = request.values.get("quy_tac", "lien-tiep")
    if rule not in services.RULES:
        rule = "lien-tiep"
    years = request.values.get("so_nam", 3, type=int)
    top = request.values.get("so_nguoi", 10, type=int)
    found = services.suggestions(db.session, scope(), round_, rule, years, top)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        picked = set(request.form.getlist("worker_id", type=int))
        chosen = [s for s in found if s.worker.id in picked]
        if not chosen:
            flash("Chưa chọn người lao động nào.", "warning")
        else:
            try:
                for suggestion in chosen:
                    services.propose_entry(
                        db.session, scope(), round_,
                        EntryData(kind="worker", worker_ref=str(suggestion.worker.id),
                                  reason=suggestion.reason), current_user.id)
            except DomainError as error:
                db.session.rollback()
                flash(" ".join(error.messages), "danger")
            else:
                db.session.commit()
                flash(f"Đã thêm {len(chosen)} người vào danh sách.", "success")
                return redirect(url_for("commendations.show_round", round_id=round_.id))
    return render_template("commendations/suggest.html", round=round_, found=found, rule=rule,
                           rules=services.RULES, years=years, top=top, confirm=ConfirmForm())


@bp.post("/bieu-duong/<int:round_id>/phe-duyet")
@login_required
def approve_round(round_id: int):
    round_ = _round_or_404(round_id)
    _manager()
    confirmed_change(lambda: services.approve_round(db.session, scope(), round_),
                     "Đã phê duyệt danh sách biểu dương.")
    return redirect(url_for("commendations.show_round", round_id=round_.id))


@bp.get("/bieu-duong/<int:round_id>/tai-ve")
@login_required
def download_round(round_id: int):
    round_ = _round_or_404(round_id)
    fmt = request.args.get("dinh_dang", "pdf")
    if fmt not in MIMETYPES:
        abort(404)
    entries = db.session.scalars(
        services.entries_query(scope(), round_, EntryStatus.APPROVED)).all()
    content = round_file(round_, entries, fmt)
    return send_file(io.BytesIO(content), as_attachment=True, mimetype=MIMETYPES[fmt],
                     download_name=f"bieu-duong-{round_.year}-{round_.id}.{fmt}")


def _decide(entry_id: int, approve: bool):
    entry = _entry_or_404(entry_id)
    _manager()
    confirmed_change(lambda: services.decide_entry(db.session, scope(), entry, approve),
                     "Đã duyệt đề nghị." if approve else "Đã ghi không duyệt.")
    return redirect(url_for("commendations.show_round", round_id=entry.round_id))


@bp.post("/bieu-duong/muc/<int:entry_id>/duyet")
@login_required
def approve_entry(entry_id: int):
    return _decide(entry_id, True)


@bp.post("/bieu-duong/muc/<int:entry_id>/khong-duyet")
@login_required
def reject_entry(entry_id: int):
    return _decide(entry_id, False)


@bp.post("/bieu-duong/muc/<int:entry_id>/rut")
@login_required
def withdraw_entry(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not services.can_propose(scope()):
        abort(403)
    confirmed_change(lambda: services.withdraw_entry(db.session, scope(), entry),
                     "Đã rút khỏi danh sách.")
    return redirect(url_for("commendations.show_round", round_id=entry.round_id))

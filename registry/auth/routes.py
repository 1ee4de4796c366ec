"""Sign-in, sign-out, own password, and account management.

    GET/POST /dang-nhap                 auth.login
    POST     /dang-xuat                 auth.logout
    GET/POST /tai-khoan/mat-khau        auth.change_password
    GET      /nguoi-dung                auth.list_users
    GET/POST /nguoi-dung/moi            auth.create_user
    GET/POST /nguoi-dung/<id>/sua       auth.edit_user
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from registry.auth import services
from registry.auth.forms import LoginForm, PasswordChangeForm, UserForm
from registry.auth.models import Role, User
from registry.auth.services import scope
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.extensions import db, limiter
from registry.units.models import Commune, Province

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.username.data, form.password.data)
        if user is None:
            form.password.errors.append("Tên đăng nhập hoặc mật khẩu không đúng.")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(f"Xin chào {user.full_name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/dang-xuat")
@login_required
def logout():
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = services.account()
            services.change_own_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            form.apply_error(error)
        else:
            db.session.commit()
            login_user(user)
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)


def _require_user_manager() -> None:
    if not scope().can_manage_users():
        abort(403)


def _visible_users():
    """Accounts the current manager may see: all for an admin, the commune's for an officer."""
    stmt = select(User).order_by(User.role, User.username)
    if scope().role == Role.COMMUNE:
        stmt = stmt.join(User.enterprise).where(Enterprise.commune_id == scope().commune_id)
    return stmt


def _unit_choices() -> dict[str, list[tuple[str, str]]]:
    """Units a manager may bind an account to, grouped for the select box."""
    s = scope()
    enterprises = db.session.execute(
        select(Enterprise.tax_code, Enterprise.name)
        .where(s.enterprises(), Enterprise.archived_at.is_(None))
        .order_by(Enterprise.name)
    ).all()
    groups: dict[str, list[tuple[str, str]]] = {"": [("", "— (không cần cho quản trị) —")]}
    if s.role == Role.ADMIN:
        groups["Tỉnh, thành phố"] = [
            (p.code, p.name) for p in db.session.scalars(select(Province).order_by(Province.code))
        ]
        groups["Xã, phường đang phục vụ"] = [
            (c.code, f"{c.name} ({c.code})")
            for c in db.session.scalars(
                select(Commune).where(Commune.is_served).order_by(Commune.name)
            )
        ]
    groups["Doanh nghiệp"] = [(code, f"{name} ({code})") for code, name in enterprises]
    return groups


def _prepare(form: UserForm) -> None:
    form.unit_code.choices = _unit_choices()
    if scope().role != Role.ADMIN:
        form.role.choices = [(Role.ENTERPRISE.value, Role.ENTERPRISE.label)]


@bp.get("/nguoi-dung")
@login_required
def list_users():
    _require_user_manager()
    users = db.session.scalars(_visible_users()).all()
    return render_template("auth/users.html", users=users)


@bp.route("/nguoi-dung/moi", methods=["GET", "POST"])
@login_required
def create_user():
    _require_user_manager()
    form = UserForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            services.create_user(
                db.session,
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data or "",
                role=Role(form.role.data),
                unit_code=form.unit_code.data,
                actor=scope(),
            )
        except DomainError as error:
            db.session.rollback()
            form.apply_error(error)
        else:
            db.session.commit()
            flash(f"Đã tạo tài khoản {form.username.data}.", "success")
            return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/nguoi-dung/<int:user_id>/sua", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    _require_user_manager()
    user = db.session.scalar(_visible_users().where(User.id == user_id)) or abort(404)
    form = UserForm(obj=user)
    _prepare(form)
    form.username.data = user.username
    if request.method == "GET":
        form.unit_code.data = services.unit_code_of(user)
    if form.validate_on_submit():
        if user.id == current_user.id and (
            Role(form.role.data) != user.role or not form.is_enabled.data
        ):
            form.role.errors.append("Bạn không thể tự đổi vai trò hoặc khóa tài khoản của mình.")
        else:
            try:
                services.update_user(
                    db.session,
                    user,
                    full_name=form.full_name.data,
                    role=Role(form.role.data),
                    unit_code=form.unit_code.data,
                    is_enabled=form.is_enabled.data,
                    password=form.password.data or None,
                    actor=scope(),
                )
            except DomainError as error:
                db.session.rollback()
                form.apply_error(error)
            else:
                db.session.commit()
                flash(f"Đã lưu tài khoản {user.username}.", "success")
                return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=user)

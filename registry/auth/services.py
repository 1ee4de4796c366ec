"""Sign-in, user accounts and the per-request audit actor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, g
from flask_login import UserMixin, current_user
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from registry.audit.services import set_actor
from registry.auth.models import Role, User, unit_label
from registry.auth.scope import Scope
from registry.db import table_of, utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.extensions import db, login
from registry.text import clean
from registry.units.models import Commune, Province

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,59}")
MIN_PASSWORD = 10

login.login_view = "auth.login"
login.login_message = "Hãy đăng nhập để tiếp tục."
login.login_message_category = "warning"


@dataclass(frozen=True, slots=True)
class SignedIn(UserMixin):
    """The signed-in user as every request needs it: identity, role, binding and unit name.

    Loaded on each request with one prebuilt Core query (no ORM objects, no statement built per
    request); pages that change the account itself load the `User` row with `account()`.
    """

    id: int
    username: str
    full_name: str
    role: Role
    province_id: int | None
    commune_id: int | None
    enterprise_id: int | None
    #: For an enterprise officer: the commune of their enterprise.
    enterprise_commune_id: int | None
    unit_label: str
    session_token: str
    is_enabled: bool

    def get_id(self) -> str:
        """Flask-Login identifies the session by its token, not by the row id."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_enabled


def _signed_in() -> Select:
    u, e, c, p = (table_of(model) for model in (User, Enterprise, Commune, Province))
    return (
        select(
            u.c.id, u.c.username, u.c.full_name, u.c.role, u.c.province_id, u.c.commune_id,
            u.c.enterprise_id, e.c.commune_id, e.c.name, c.c.name, p.c.name,
            u.c.session_token, u.c.is_enabled,
        )
        .select_from(u)
        .outerjoin(e, e.c.id == u.c.enterprise_id)
        .outerjoin(c, c.c.id == u.c.commune_id)
        .outerjoin(p, p.c.id == u.c.province_id)
        .where(u.c.session_token == bindparam("token"))
    )


_SIGNED_IN = _signed_in()


@login.user_loader
def load_user(session_token: str) -> SignedIn | None:
    """The user whose current session token is in the cookie."""
    row = db.session.execute(_SIGNED_IN, {"token": session_token}).first()
    if row is None:
        return None
    (user_id, username, full_name, role, province_id, commune_id, enterprise_id,
     enterprise_commune, enterprise_name, commune_name, province_name, token, enabled) = row
    return SignedIn(
        id=user_id, username=username, full_name=full_name, role=role,
        province_id=province_id, commune_id=commune_id, enterprise_id=enterprise_id,
        enterprise_commune_id=enterprise_commune,
        unit_label=unit_label(role, enterprise_name, commune_name, province_name),
        session_token=token, is_enabled=enabled,
    )


def account() -> User:
    """The signed-in user's own account row, for pages that change it."""
    return db.session.get(User, current_user.id)


def register_login_hooks(app: Flask) -> None:
    """Attribute each request's changes to the signed-in user."""

    @app.before_request
    def _audit_actor() -> None:
        if current_user.is_authenticated:
            set_actor(db.session, current_user.id, current_user.username)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The enabled user with these credentials, with the sign-in time recorded; else None."""
    user = session.scalar(select(User).where(User.username == clean(username).lower()))
    if user is None or not user.is_enabled or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short or too simple."""
    if len(password) < MIN_PASSWORD:
        raise DomainError(password=f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    if password.isdigit() or password.isalpha():
        raise DomainError(password="Mật khẩu phải có cả chữ và số.")


@dataclass
class Binding:
    """The unit an account is bound to, as its role needs."""

    province_id: int | None = None
    commune_id: int | None = None
    enterprise: Enterprise | None = None


def _binding(session: Session, role: Role, unit_code: str | None) -> Binding:
    """Look up the unit a role needs by its code; nothing is changed yet."""
    code = clean(unit_code)
    if role == Role.ADMIN:
        return Binding()
    if not code:
        raise DomainError(unit_code="Vai trò này cần chọn đơn vị.")
    if role == Role.PROVINCE:
        province = session.scalar(select(Province).where(Province.code == code))
        if province is None:
            raise DomainError(unit_code=f"Không có tỉnh, thành phố mã {code}.")
        return Binding(province_id=province.id)
    if role == Role.COMMUNE:
        commune = session.scalar(select(Commune).where(Commune.code == code))
        if commune is None:
            raise DomainError(unit_code=f"Không có xã, phường mã {code}.")
        return Binding(commune_id=commune.id)
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.tax_code == code, Enterprise.archived_at.is_(None))
    )
    if enterprise is None:
        raise DomainError(unit_code=f"Không có doanh nghiệp mã số thuế {code}.")
    return Binding(enterprise=enterprise)


def _bind(user: User, role: Role, binding: Binding) -> None:
    """Attach the user to the unit their role needs."""
    user.role = role
    user.province_id, user.commune_id = binding.province_id, binding.commune_id
    user.enterprise_id = binding.enterprise.id if binding.enterprise else None
    user.enterprise = binding.enterprise


def _check_manager(actor: Scope | None, role: Role, enterprise: Enterprise | None) -> None:
    """A commune officer may manage only enterprise officers of their commune's enterprises."""
    if actor is None or actor.role == Role.ADMIN:
        return
    if actor.role != Role.COMMUNE:
        raise DomainError("Bạn không có quyền quản lý tài khoản.")
    if role != Role.ENTERPRISE or enterprise.commune_id != actor.commune_id:
        raise DomainError(
            role="Cán bộ xã chỉ tạo được tài khoản cán bộ doanh nghiệp trong xã của mình."
        )


def create_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    unit_code: str | None = None,
    actor: Scope | None = None,
) -> User:
    """A new account; actor is the scope of whoever creates it (None for the command line)."""
    username = clean(username).lower()
    if not USERNAME.fullmatch(username):
        raise DomainError(
            username="Tên đăng nhập gồm 3–60 ký tự: chữ thường không dấu, số, dấu chấm, "
            "gạch dưới hoặc gạch ngang."
        )
    if session.scalar(select(func.count()).where(User.username == username)):
        raise DomainError(username=f"Tên đăng nhập «{username}» đã có người dùng.")
    check_password_strength(password)
    binding = _binding(session, role, unit_code)
    _check_manager(actor, role, binding.enterprise)
    user = User(username=username, full_name=clean(full_name) or username)
    _bind(user, role, binding)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    user: User,
    *,
    full_name: str,
    role: Role,
    unit_code: str | None,
    is_enabled: bool,
    password: str | None = None,
    actor: Scope | None = None,
) -> None:
    """Change an account's name, role, unit, status and optionally its password.

    Every check runs before anything changes, so a refusal leaves the account as it was.
    """
    _check_manager(actor, user.role, user.enterprise)
    binding = _binding(session, role, unit_code)
    _check_manager(actor, role, binding.enterprise)
    if password:
        check_password_strength(password)
    user.full_name = clean(full_name) or user.username
    _bind(user, role, binding)
    if user.is_enabled and not is_enabled:
        user.revoke_sessions()
    user.is_enabled = is_enabled
    if password:
        user.set_password(password)
    session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changing their own password must know the current one."""
    if not user.check_password(current):
        raise DomainError(current_password="Mật khẩu hiện tại không đúng.")
    check_password_strength(new)
    user.set_password(new)


def unit_code_of(user: User) -> str:
    """The code of the unit a user is bound to, for forms."""
    if user.enterprise:
        return user.enterprise.tax_code
    if user.commune:
        return user.commune.code
    if user.province:
        return user.province.code
    return ""


def scope() -> Scope:
    """The current user's scope (one object per request)."""
    if "scope" not in g:
        g.scope = Scope.of(current_user)
    return g.scope

"""Users of the registry and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from registry.db import LabelledEnum, UTCDateTime, enum_type, utcnow
from registry.enterprises.models import Enterprise
from registry.extensions import db
from registry.units.models import Commune, Province


class Role(LabelledEnum):
    """What a user may see and change."""

    ADMIN = "admin", "Quản trị hệ thống"
    PROVINCE = "province", "Cán bộ LĐLĐ tỉnh (chỉ xem)"
    COMMUNE = "commune", "Cán bộ Công đoàn xã, phường"
    ENTERPRISE = "enterprise", "Cán bộ doanh nghiệp / CĐCS"


def unit_label(
    role: Role, enterprise: str | None, commune: str | None, province: str | None
) -> str:
    """Where a user works, for display."""
    if role == Role.ENTERPRISE and enterprise:
        return enterprise
    if role == Role.COMMUNE and commune:
        return commune
    if role == Role.PROVINCE and province:
        return province
    return "Toàn hệ thống"


class User(UserMixin, db.Model):
    """A person who signs in; bound to a province, commune or enterprise by role."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role != 'enterprise' OR enterprise_id IS NOT NULL)"
            " AND (role != 'commune' OR commune_id IS NOT NULL)"
            " AND (role != 'province' OR province_id IS NOT NULL)",
            name="role_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Random token stored in the session cookie; changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Loaded with the account (user list, forms); requests use auth.services.SignedIn.
    province: Mapped[Province | None] = relationship(lazy="joined")
    commune: Mapped[Commune | None] = relationship(lazy="joined")
    enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of password and sign out other sessions."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.revoke_sessions()

    def revoke_sessions(self) -> None:
        """Invalidate every session cookie issued to this user."""
        self.session_token = secrets.token_urlsafe(32)

    def check_password(self, password: str) -> bool:
        """Whether password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login identifies the session by its token, not by the row id."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """Disabled users cannot sign in and lose their sessions."""
        return self.is_enabled

    @property
    def enterprise_commune_id(self) -> int | None:
        """For an enterprise officer: the commune of their enterprise."""
        return self.enterprise.commune_id if self.enterprise else None

    @property
    def unit_label(self) -> str:
        """Where the user works, for display."""
        return unit_label(
            self.role,
            self.enterprise.name if self.enterprise else None,
            self.commune.name if self.commune else None,
            self.province.name if self.province else None,
        )

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

"""Jinja filters and globals: Vietnamese dates, numbers and hours, and the user's scope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user

from registry.auth.scope import Scope
from registry.auth.services import scope
from registry.navigation import navigation


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, as dates are written in Vietnamese tables."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """Local time, dd/mm/yyyy HH:MM."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["REGISTRY_TIMEZONE"]))
    return local.strftime("%d/%m/%Y %H:%M")


def format_number(value: int | float | Decimal | None, places: int = 0) -> str:
    """Dot as thousands separator and comma as decimal mark: 5.600.000 and 12,5."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_hours(value: Decimal | int | float | None) -> str:
    """Hours with one decimal only when there is one: 4 or 1,5."""
    if value is None:
        return ""
    places = 0 if Decimal(value) == Decimal(value).to_integral() else 1
    return format_number(value, places)


def format_percent(value: float | None) -> str:
    """A share as a percentage with one decimal: 72,5%."""
    return "" if value is None else format_number(value * 100, 1) + "%"


def current_scope() -> Scope | None:
    """The signed-in user's scope, or None before sign-in."""
    return scope() if current_user.is_authenticated else None


def register_template_helpers(app: Flask) -> None:
    """Make the filters and the scope available in every template."""
    app.add_template_filter(format_date, "date_vn")
    app.add_template_filter(format_datetime, "datetime_vn")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_hours, "hours")
    app.add_template_filter(format_percent, "percent")
    app.jinja_env.globals["current_scope"] = current_scope
    app.jinja_env.globals["navigation"] = navigation

"""Small helpers shared by the blueprints' handlers."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, request

from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm

#: Years a page can be asked for (?nam=): any plan's period, and what a date can hold.
YEARS_ASKED = range(2000, 2101)


def requested_year(default: int | None = None) -> int | None:
    """The ?nam= year; default when absent or not a number; 404 when out of YEARS_ASKED."""
    year = request.args.get("nam", type=int)
    if year is None:
        return default
    if year not in YEARS_ASKED:
        abort(404)
    return year


def confirmed_change(change: Callable[[], object], done: str) -> bool:
    """Run a state change posted by a confirm button: check CSRF, commit once, flash the outcome.

    A refusal by the service rolls back and shows its Vietnamese message.
    """
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(error.messages), "danger")
        return False
    db.session.commit()
    flash(done, "success")
    return True

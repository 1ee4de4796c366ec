"""Small helpers shared by the blueprints' handlers."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash

from registry.errors import DomainError
from registry.extensions import db
from registry.forms import ConfirmForm


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

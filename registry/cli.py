"""Helpers shared by the click commands: one transaction per command, Vietnamese errors."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import click

from registry.audit.services import set_actor
from registry.errors import DomainError
from registry.extensions import db


@contextmanager
def command_transaction() -> Iterator[None]:
    """Attribute changes to the shell user, commit once at the end, roll back on any error."""
    set_actor(db.session, None, f"cli:{getpass.getuser()}")
    try:
        yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(" ".join(error.messages)) from error
    except BaseException:
        db.session.rollback()
        raise

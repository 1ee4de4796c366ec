"""Layered fixtures: a database per run (SQLite, or a PostgreSQL schema when TEST_DATABASE_URL
is set), the app upgraded through the migrations, a session rolled back after each test,
builders for units, enterprises, workers and activities, and login_as(role)."""

from __future__ import annotations

import contextvars
import functools
import html
import itertools
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from registry import create_app
from registry.auth import models as auth_models
from registry.auth.models import Role, User
from registry.auth.scope import Scope
from registry.config import normalise_database_url
from registry.enterprises.models import Enterprise, Sector
from registry.enterprises.taxcode import make_tax_code
from registry.extensions import db as _db
from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind, Participation
from registry.text import fold
from registry.units.models import Commune
from registry.units.services import load_catalogue
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Employment, Worker

HOME_COMMUNE = "15865"  # Xã Hoằng Hóa, Thanh Hóa
OTHER_COMMUNE = "15991"  # Xã Hoằng Tiến, Thanh Hóa
PASSWORD = "matkhau2025"


@dataclass
class TestDatabase:
    """Where this run's tables live, and how to make another empty one."""

    url: str
    make: object  # callable(name) -> url of a further empty database/schema


def _postgres(base_url: str) -> Iterator[TestDatabase]:
    """Schemas named after this run in the PostgreSQL database, dropped at the end."""
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    run = f"t{os.getpid()}_{uuid.uuid4().hex[:8]}"
    created: list[str] = []

    def make(name: str) -> str:
        schema = f"{run}_{name}"
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        created.append(schema)
        separator = "&" if "?" in base_url else "?"
        return normalise_database_url(f"{base_url}{separator}options=-csearch_path%3D{schema}")

    try:
        yield TestDatabase(make("main"), make)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            for schema in created:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> Iterator[TestDatabase]:
    """An empty database for this test run."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        yield from _postgres(base)
        return
    folder: Path = tmp_path_factory.mktemp("db")

    def make(name: str) -> str:
        return f"sqlite:///{folder / (name + '.db')}"

    yield TestDatabase(make("main"), make)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as when served.

    The test keeps an app context pushed; without this, requests would reuse it and share the
    test's session (a rollback in a view would undo the test's own setup) and its g (the
    signed-in user would outlive a sign-out).
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class IsolatedRunner(FlaskCliRunner):
    """A CLI runner whose commands run in a fresh app context with their own session."""

    def invoke(self, cli=None, args=None, **kwargs):
        return contextvars.Context().run(super().invoke, cli, args, **kwargs)


def make_app(url: str, **overrides) -> Flask:
    """An app for tests on the given database."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = IsolatedClient
    application.test_cli_runner_class = IsolatedRunner
    return application


@contextmanager
def fresh_app(database: TestDatabase, name: str, **overrides) -> Iterator[Flask]:
    """An app on a new empty database of its own (not the rolled-back one), disposed after."""
    application = make_app(database.make(name), **overrides)
    try:
        yield application
    finally:
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="session")
def app(database: TestDatabase) -> Iterator[Flask]:
    """The application, its schema built by the migrations, the unit catalogue loaded."""
    application = make_app(database.url)
    prepare(application)
    yield application
    with application.app_context():
        _db.engine.dispose()


def prepare(application: Flask) -> None:
    """Upgrade the app's database, load the units and serve the two test communes."""
    with application.app_context():
        upgrade()
        load_catalogue(_db.session)
        for code in (HOME_COMMUNE, OTHER_COMMUNE):
            _db.session.scalar(select(Commune).where(Commune.code == code)).is_served = True
        _db.session.commit()
        _db.session.remove()


@pytest.fixture
def connection(app: Flask) -> Iterator[Connection]:
    """One connection inside an outer transaction, rolled back after the test."""
    with app.app_context():
        conn = _db.engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        outer.rollback()
        conn.close()


def _join(application: Flask, conn: Connection) -> Engine:
    """Point the app's engine at conn; returns the engine it replaced."""
    engines = _db._app_engines[application]
    engine = engines[None]
    engines[None] = conn
    return engine


@pytest.fixture
def db(app: Flask, connection: Connection) -> Iterator[Session]:
    """The session of one test; everything it and its requests write is rolled back after.

    The app's engine is swapped for the test's connection; sessions (the test's and each
    request's or command's, see IsolatedClient) join its transaction through SAVEPOINTs, so
    their commits and rollbacks stay inside the test.
    """
    with app.app_context():
        engine = _join(app, connection)
        factory = _db.session.session_factory
        factory.kw["join_transaction_mode"] = "create_savepoint"
        try:
            yield _db.session
        finally:
            _db.session.remove()
            _db._app_engines[app][None] = engine
            factory.kw.pop("join_transaction_mode", None)


@pytest.fixture
def client(app: Flask, db: Session) -> FlaskClient:
    """A test client sharing the test's rolled-back transaction."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db: Session) -> FlaskCliRunner:
    """A CLI runner sharing the test's rolled-back transaction."""
    return app.test_cli_runner()


@pytest.fixture
def app_with(database: TestDatabase, connection: Connection, db: Session):
    """Build another app with config overrides (CSRF on, a low rate limit, …) whose requests
    join the test's rolled-back transaction like the main app's."""

    def build(**overrides) -> Flask:
        application = make_app(database.url, **overrides)
        _join(application, connection).dispose()
        return application

    return build


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Hash new passwords with scrypt at a low cost factor.

    At werkzeug's default cost one hash takes a quarter of a second and the suite makes
    dozens; the cost factor is no behaviour under test (checking reads it from the hash).
    """

    def cheap(password: str, method: str = "scrypt") -> str:
        assert method == "scrypt"
        return generate_password_hash(password, method="scrypt:1024:8:1")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth_models, "generate_password_hash", cheap)
        yield


@functools.cache
def _password_hash() -> str:
    """The hash of PASSWORD, computed once for all the users the builders make."""
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


class Builder:
    """Small factories that write valid records straight into the test session."""

    _serial = itertools.count(1)

    def __init__(self, session: Session):
        self.session = session

    def commune(self, code: str = HOME_COMMUNE) -> Commune:
        return self.session.scalar(select(Commune).where(Commune.code == code))

    def enterprise(self, name: str = "Công ty TNHH May Thử Nghiệm", commune: str = HOME_COMMUNE,
                   **values) -> Enterprise:
        serial = next(self._serial)
        tax = None
        while tax is None:
            tax = make_tax_code(f"28{serial:07d}")
            serial += 100_000
        enterprise = Enterprise(
            name=name, tax_code=tax, commune_id=self.commune(commune).id, sector=Sector.GARMENT,
            search_name=fold(name), **values,
        )
        self.session.add(enterprise)
        self.session.flush()
        return enterprise

    def worker(self, enterprise: Enterprise | None, family: str = "Nguyễn", middle: str = "Thị",
               given: str = "Lan", sex: str = FEMALE, birth: date = date(1995, 3, 8),
               start: date = date(2020, 1, 1), end: date | None = None, **values) -> Worker:
        worker = Worker(
            sex=sex, birth_date=birth,
            citizen_id=make_citizen_id("038", birth.year, sex, next(self._serial)),
            current_enterprise_id=enterprise.id if enterprise and end is None else None,
            **values,
        )
        worker.set_name(family, middle, given)
        self.session.add(worker)
        self.session.flush()
        if enterprise is not None:
            self.session.add(Employment(worker_id=worker.id, enterprise_id=enterprise.id,
                                        start_date=start, end_date=end))
            self.session.flush()
        return worker

    def activity(self, enterprise: Enterprise | None = None, area: Area = Area.LAW,
                 start: date = date(2025, 3, 10), end: date | None = None,
                 hours: Decimal = Decimal(4), title: str = "Tuyên truyền pháp luật lao động",
                 form: ActivityForm = ActivityForm.SEMINAR, commune: str = HOME_COMMUNE,
                 **values) -> Activity:
        activity = Activity(
            title=title, search_title=fold(title), area=area, form=form,
            organiser_kind=OrganiserKind.UNION, organiser="Công đoàn xã",
            commune_id=enterprise.commune_id if enterprise else self.commune(commune).id,
            enterprise_id=enterprise.id if enterprise else None,
            start_date=start, end_date=end or start, hours=hours, **values,
        )
        self.session.add(activity)
        self.session.flush()
        return activity

    def participation(self, activity: Activity, worker: Worker, hours: Decimal | None = None,
                      **values) -> Participation:
        values.setdefault("attended_on", activity.start_date)
        participation = Participation(
            activity_id=activity.id, worker_id=worker.id,
            hours=activity.hours if hours is None else hours, **values,
        )
        self.session.add(participation)
        self.session.flush()
        return participation

    def user(self, role: Role, enterprise: Enterprise | None = None,
             commune: str = HOME_COMMUNE, username: str | None = None) -> User:
        user = User(username=username or f"user{next(self._serial)}", full_name="Cán bộ thử",
                    role=role)
        if role == Role.ENTERPRISE:
            user.enterprise_id = (enterprise or self.enterprise()).id
        elif role == Role.COMMUNE:
            user.commune_id = self.commune(commune).id
        elif role == Role.PROVINCE:
            user.province_id = self.commune(commune).province_id
        user.password_hash = _password_hash()
        self.session.add(user)
        self.session.flush()
        return user

    def scope(self, role: Role, enterprise: Enterprise | None = None,
              commune: str = HOME_COMMUNE) -> Scope:
        """The scope of a new user of this role, for calling services directly."""
        return Scope.of(self.user(role, enterprise=enterprise, commune=commune))


@pytest.fixture
def make(db: Session) -> Builder:
    """Builders for records in the test's transaction."""
    return Builder(db)


@pytest.fixture
def login_as(client, make):
    """Sign the test client (or the client given as on=) in as a new user of the given role;
    returns the user."""

    def login(role: Role | str, enterprise: Enterprise | None = None,
              commune: str = HOME_COMMUNE, on: FlaskClient | None = None) -> User:
        user = make.user(Role(role), enterprise=enterprise, commune=commune)
        with (on or client).session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return user

    return login


def field_errors(response, name: str) -> list[str]:
    """The error messages shown under the form field called name."""
    page = response.get_data(as_text=True)
    tag = re.search(rf'<(input|select|textarea)\b[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert tag is not None, f"no field {name} on the page"
    rest = page[tag.end():]
    if tag.group(1) != "input":
        rest = rest[rest.index(f"</{tag.group(1)}>") + len(tag.group(1)) + 3:]
    errors = []
    feedback = r'\s*<div class="(?:invalid-feedback|text-danger)[^"]*">(.*?)</div>'
    while found := re.match(feedback, rest, re.S):
        errors.append(html.unescape(found.group(1)).strip())
        rest = rest[found.end():]
    return errors


def flashes(response) -> list[str]:
    """The flashed messages shown at the top of the page."""
    page = response.get_data(as_text=True)
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r'<div class="alert alert-\w+[^"]*" role="alert">(.*?)</div>',
                               page, re.S)
    ]


__all__ = ["FEMALE", "HOME_COMMUNE", "MALE", "OTHER_COMMUNE", "PASSWORD"]

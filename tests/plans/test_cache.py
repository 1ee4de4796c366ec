"""The dashboard's figure cache: any committed write to counted data shows on the next request
(ORM, Core and plain SQL writes alike), a rolled-back one never does, and two writers never
update the same version row."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from registry.auth.models import Role
from registry.extensions import db as _db
from registry.learning.models import Area, Participation
from registry.plans import cache
from registry.plans.models import DataVersion
from registry.units.models import Commune
from tests.conftest import fresh_app, prepare

PAGE = "/bang-dieu-khien"
QUERY = {"nam": 2025, "don_vi": "xa-15865"}


def reached_a(client) -> int:
    """The numerator of indicator a on the dashboard page."""
    page = client.get(PAGE, query_string=QUERY).get_data(as_text=True)
    found = re.search(r'data-indicator="a".*?figure-link">([\d.]+)</a>', page, re.S)
    assert found
    return int(found.group(1).replace(".", ""))


@pytest.fixture
def seeded(make, db, login_as, client):
    """Three workers of one enterprise, a law talk of 2025 attended by the first; the
    dashboard computed once (and cached) by a commune officer."""
    enterprise = make.enterprise()
    workers = [make.worker(enterprise, given=name) for name in ("An", "Bình", "Chi")]
    talk = make.activity(enterprise, area=Area.LAW, start=date(2025, 3, 10))
    make.participation(talk, workers[0])
    db.commit()
    login_as(Role.COMMUNE)
    assert reached_a(client) == 1
    assert reached_a(client) == 1  # the second request is served from the cache
    return {"workers": workers, "talk": talk}


def _participation(seeded, n: int) -> dict:
    talk = seeded["talk"]
    return {"activity_id": talk.id, "worker_id": seeded["workers"][n].id,
            "attended_on": talk.start_date, "hours": talk.hours}


def test_orm_write_shows_on_the_next_request(client, db, make, seeded):
    """A participation recorded through the ORM counts on the next page."""
    make.participation(seeded["talk"], seeded["workers"][1])
    db.commit()
    assert reached_a(client) == 2


def test_core_write_on_the_session_connection_shows(client, db, seeded):
    """A Core INSERT on the session's connection (as the spreadsheet import writes) counts."""
    db.connection().execute(insert(Participation), [_participation(seeded, 1)])
    db.commit()
    assert reached_a(client) == 2


def test_plain_sql_update_shows(client, db, seeded):
    """A hand-written UPDATE (archiving the participation) counts on the next page."""
    db.connection().exec_driver_sql(
        "UPDATE participations SET archived_at = created_at WHERE worker_id = "
        f"{seeded['workers'][0].id}")
    db.commit()
    assert reached_a(client) == 0


def test_two_writes_in_one_transaction_each_change_the_version(db, seeded):
    """Within one transaction every further write gives a new version (the second write
    re-numbers the transaction's mark instead of adding one)."""
    first = cache.current_token(db)
    db.connection().execute(insert(Participation), [_participation(seeded, 1)])
    second = cache.current_token(db)
    db.execute(update(Participation).where(Participation.worker_id == seeded["workers"][1].id)
               .values(hours=1))
    third = cache.current_token(db)
    assert len({first, second, third}) == 3
    marks = db.scalars(select(DataVersion.name).where(
        DataVersion.name.like(cache.PREFIX + "%"))).all()
    assert len(marks) == len(set(marks))


def test_bulk_insert_of_an_import_shows(client, db, seeded):
    """Rows an import writes in bulk (COPY on PostgreSQL, which no SQL event sees) count on
    the next request."""
    from datetime import datetime

    from registry.imports.bulk import insert_rows

    assert reached_a(client) == 1
    row = dict(_participation(seeded, 1), completed=True, result="", note="",
               created_at=datetime(2025, 6, 1), updated_at=datetime(2025, 6, 1))
    marks = select(func.count()).select_from(DataVersion).where(
        DataVersion.name.like(cache.PREFIX + "%"))
    before = db.scalar(marks)
    insert_rows(db, Participation.__table__, tuple(row), [tuple(row.values())])
    assert db.scalar(marks) == before + 1  # the transaction's own mark, not only a new id
    assert reached_a(client) == 2


def test_rolled_back_write_is_never_shown(client, db, seeded):
    """Figures computed inside a transaction that is then rolled back are not served later."""
    savepoint = db.begin_nested()
    db.connection().execute(insert(Participation), [_participation(seeded, 1)])
    assert reached_a(client) == 2  # the request shares the open transaction
    savepoint.rollback()
    assert reached_a(client) == 1


def test_write_to_unwatched_table_keeps_the_cache(db, seeded):
    """Writing the activity log (not counted by the rates) leaves the version as it was."""
    before = cache.current_token(db)
    db.execute(text("UPDATE users SET full_name = full_name"))
    assert cache.current_token(db) == before


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL row locks")
def test_concurrent_writers_do_not_wait_for_each_other(database):
    """Two open transactions writing counted tables both finish without waiting on a lock
    (with one shared version row the second waited for the first's commit)."""
    marks = text("SELECT count(*) FROM data_versions WHERE name LIKE 'dashboard/%'")
    with fresh_app(database, "writers") as app:
        prepare(app)
        with app.app_context():
            before = _db.session.scalar(marks)
            _db.session.commit()
            one, two = Session(_db.engine), Session(_db.engine)
            try:
                for session, code in ((one, "15865"), (two, "15991")):
                    session.execute(text("SET lock_timeout = '2s'"))
                    session.execute(update(Commune).where(Commune.code == code)
                                    .values(name=Commune.name))
                one.commit()
                two.commit()
            finally:
                one.close()
                two.close()
            assert _db.session.scalar(marks) == before + 2

"""`flask demo seed`: a realistic, deterministic demo commune on a fresh database."""

from collections import Counter

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from registry.auth.models import Role, User
from registry.demo.services import DEMO_COMMUNE, DEMO_PASSWORD
from registry.enterprises.models import Enterprise
from registry.extensions import db as _db
from registry.learning.models import Activity, Area, Participation
from registry.workers.cccd import check_citizen_id
from registry.workers.models import Employment, Worker
from tests.conftest import fresh_app

ARGS = ["demo", "seed", "--workers", "300", "--seed", "7"]


def seed_fresh(database, name):
    """A fresh database loaded as the README's first run does: migrations, units, demo."""
    with fresh_app(database, name) as app:
        with app.app_context():
            upgrade()
        runner = app.test_cli_runner()
        loaded = runner.invoke(args=["units", "load"])
        seeded = runner.invoke(args=ARGS)
        with app.app_context():
            people = _db.session.execute(
                select(Worker.family_name, Worker.middle_name, Worker.given_name, Worker.sex,
                       Worker.birth_date, Worker.citizen_id).order_by(Worker.id)
            ).all()
        yield app, loaded, seeded, [tuple(p) for p in people]


@pytest.fixture(scope="module")
def demo(database):
    """One seeded demo database for the module."""
    yield from seed_fresh(database, "demo")


def test_units_load_fills_a_fresh_database(demo):
    """On a fresh database the catalogue is loaded: 34 provinces and the communes."""
    _, loaded, _, _ = demo
    assert loaded.exit_code == 0, loaded.output
    assert "thêm 34 tỉnh" in loaded.output


def test_units_load_is_idempotent(demo):
    """Loading the catalogue a second time adds and renames nothing."""
    app, _, _, _ = demo
    again = app.test_cli_runner().invoke(args=["units", "load"])
    assert again.exit_code == 0, again.output
    assert "thêm 0 tỉnh, 0 xã, phường; đổi tên 0." in again.output


def test_seed_reports_and_builds_the_commune(demo):
    """The seed creates 8 enterprises in Xã Hoằng Hóa, 300 workers and learning in all areas."""
    app, _, seeded, people = demo
    assert seeded.exit_code == 0, seeded.output
    assert "Đã nạp 8 doanh nghiệp, 300 người lao động" in seeded.output
    assert f"mật khẩu {DEMO_PASSWORD}" in seeded.output
    assert len(people) == 300
    with app.app_context():
        session = _db.session
        communes = session.scalars(select(func.distinct(Enterprise.commune_id))).all()
        assert len(communes) == 1
        assert session.get(Enterprise, 1).commune.code == DEMO_COMMUNE
        assert set(session.scalars(select(func.distinct(Activity.area)))) == set(Area)
        titles = session.scalars(select(Activity.title)).all()
        assert any(t.startswith("Tuần lễ hưởng ứng học tập suốt đời") for t in titles)
        assert any("Bàn tay vàng" in t for t in titles)
        years = {d.year for d in session.scalars(select(Activity.start_date))}
        assert years == {2023, 2024, 2025, 2026}
        assert session.scalar(select(func.count()).select_from(Participation)) > 300
        assert session.scalar(select(func.count()).select_from(Employment)) == 300


def test_every_citizen_id_is_valid_and_consistent(demo):
    """Every CCCD checks against the worker's birth year and sex; most start with 038."""
    _, _, _, people = demo
    provinces = Counter()
    for *_name, sex, birth, number in people:
        checked = check_citizen_id(number, birth_year=birth.year, sex=sex)
        assert checked.number == number
        provinces[number[:3]] += 1
    assert len({p[5] for p in people}) == 300
    assert provinces["038"] / 300 > 0.8
    assert sum(1 for p in people if p[3] == "F") > 150  # garment and footwear employ women


def test_seed_is_deterministic(demo, database):
    """The same seed on another fresh database gives the same names and CCCDs."""
    _, _, _, people = demo
    for _app, _loaded, seeded, again in seed_fresh(database, "demo_again"):
        assert seeded.exit_code == 0, seeded.output
        assert again == people


def test_demo_accounts_sign_in(demo):
    """The sign-in accounts printed by the seed work with the demo password."""
    app, _, _, _ = demo
    with app.app_context():
        users = _db.session.execute(select(User.username, User.role)).all()
    assert {role for _, role in users} == set(Role)
    for username, _role in users:
        client = app.test_client()
        response = client.post("/dang-nhap", data={"username": username,
                                                   "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response.headers["Location"] == "/"
        assert client.get("/").status_code == 200


def test_if_empty_does_nothing_on_a_non_empty_database(runner, db, make):
    """--if-empty leaves a registry that has data untouched; without it the seed refuses."""
    make.enterprise()
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Đã có dữ liệu, không nạp dữ liệu mẫu." in result.output
    assert db.scalar(select(func.count()).select_from(Enterprise)) == 1
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code == 1
    assert "dữ liệu mẫu chỉ nạp vào CSDL trống" in refused.output

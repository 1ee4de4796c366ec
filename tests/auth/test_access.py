"""Who may open what: a table of (role, route, method, target record) → expected status.

Records belong to enterprise A (the enterprise officer's own), enterprise B (same commune)
or enterprise X (another commune of the province); "shared" and "far" are commune-wide
activities of the home and the other commune; "moved" is a worker who left A for B.
Out-of-scope records answer 404 as if they did not exist; visible but forbidden changes 403.
Every route of the app must appear in the table for every role.
"""

from datetime import date
from decimal import Decimal

import pytest

from registry.auth.models import Role
from registry.enterprises.models import Enterprise
from registry.extensions import db as _db
from registry.workers.models import Employment
from tests.assessment.world import ACCESS_ROWS as ASSESSMENT_ROWS
from tests.assessment.world import build_assessments
from tests.conftest import OTHER_COMMUNE, Builder, fresh_app, prepare
from tests.imports.access import IMPORT_ROWS, build_imports
from tests.plans.world import ACCESS_ROWS as PLAN_ROWS
from tests.plans.world import build_extras
from tests.recognition.world import ACCESS_ROWS as RECOGNITION_ROWS
from tests.recognition.world import build_recognition

ROLES = ("anonymous", "admin", "province", "commune", "enterprise")
STATIC = {"static", "bootstrap.static"}

# Expected status per role:      anonymous, admin, province, commune, enterprise (of A)
_ = None
TABLE = [
    ("auth.login", "GET", _, (200, 302, 302, 302, 302)),
    ("auth.login", "POST", _, (200, 302, 302, 302, 302)),
    ("auth.logout", "POST", _, (302, 302, 302, 302, 302)),
    ("auth.change_password", "GET", _, (302, 200, 200, 200, 200)),
    ("auth.change_password", "POST", _, (302, 200, 200, 200, 200)),
    ("auth.list_users", "GET", _, (302, 200, 403, 200, 403)),
    ("auth.create_user", "GET", _, (302, 200, 403, 200, 403)),
    ("auth.create_user", "POST", _, (302, 200, 403, 200, 403)),
    ("auth.edit_user", "GET", "a", (302, 200, 403, 200, 403)),
    ("auth.edit_user", "POST", "a", (302, 200, 403, 200, 403)),
    ("auth.edit_user", "GET", "x", (302, 200, 403, 404, 403)),
    ("auth.edit_user", "POST", "x", (302, 200, 403, 404, 403)),
    ("home.index", "GET", _, (302, 200, 200, 200, 200)),
    ("units.list_communes", "GET", _, (302, 200, 403, 403, 403)),
    ("units.set_served", "POST", _, (302, 302, 403, 403, 403)),
    ("enterprises.list_enterprises", "GET", _, (302, 200, 200, 200, 200)),
    ("enterprises.create_enterprise", "GET", _, (302, 200, 403, 200, 403)),
    ("enterprises.create_enterprise", "POST", _, (302, 200, 403, 200, 403)),
    ("enterprises.show_enterprise", "GET", "a", (302, 200, 200, 200, 200)),
    ("enterprises.show_enterprise", "GET", "b", (302, 200, 200, 200, 404)),
    ("enterprises.show_enterprise", "GET", "x", (302, 200, 200, 404, 404)),
    ("enterprises.edit_enterprise", "GET", "a", (302, 200, 403, 200, 200)),
    ("enterprises.edit_enterprise", "POST", "a", (302, 302, 403, 302, 302)),
    ("enterprises.edit_enterprise", "GET", "b", (302, 200, 403, 200, 404)),
    ("enterprises.edit_enterprise", "POST", "b", (302, 302, 403, 302, 404)),
    ("enterprises.edit_enterprise", "GET", "x", (302, 200, 403, 404, 404)),
    ("enterprises.edit_enterprise", "POST", "x", (302, 302, 403, 404, 404)),
    ("enterprises.archive_enterprise", "POST", "a", (302, 302, 403, 302, 403)),
    ("enterprises.archive_enterprise", "POST", "b", (302, 302, 403, 302, 404)),
    ("enterprises.archive_enterprise", "POST", "x", (302, 302, 403, 404, 404)),
    ("enterprises.restore_enterprise", "POST", "a", (302, 302, 403, 302, 403)),
    ("enterprises.restore_enterprise", "POST", "b", (302, 302, 403, 302, 404)),
    ("enterprises.restore_enterprise", "POST", "x", (302, 302, 403, 404, 404)),
    ("workers.list_workers", "GET", _, (302, 200, 200, 200, 200)),
    ("workers.create_worker", "GET", _, (302, 200, 403, 200, 200)),
    ("workers.create_worker", "POST", _, (302, 200, 403, 200, 200)),
    ("workers.receive_worker", "GET", _, (302, 200, 403, 200, 200)),
    ("workers.receive_worker", "POST", _, (302, 200, 403, 200, 200)),
    ("workers.show_worker", "GET", "a", (302, 200, 200, 200, 200)),
    ("workers.show_worker", "GET", "b", (302, 200, 200, 200, 404)),
    ("workers.show_worker", "GET", "x", (302, 200, 200, 404, 404)),
    ("workers.show_worker", "GET", "moved", (302, 200, 200, 200, 200)),
]
# A POST with no fields re-validates the record's own values: an edit saves (302), forms
# that need new values show their errors (200).
for _endpoint, _method, _ok in (
    ("workers.edit_worker", "GET", 200), ("workers.edit_worker", "POST", 302),
    ("workers.transfer_worker", "GET", 200), ("workers.transfer_worker", "POST", 200),
    ("workers.end_employment", "GET", 200), ("workers.end_employment", "POST", 200),
):
    TABLE += [
        (_endpoint, _method, "a", (302, _ok, 403, _ok, _ok)),
        (_endpoint, _method, "b", (302, _ok, 403, _ok, 404)),
        (_endpoint, _method, "x", (302, _ok, 403, 404, 404)),
        (_endpoint, _method, "moved", (302, _ok, 403, _ok, 403)),
    ]
for _endpoint in ("workers.archive_worker", "workers.restore_worker"):
    TABLE += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 302)),
        (_endpoint, "POST", "b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
        (_endpoint, "POST", "moved", (302, 302, 403, 302, 403)),
    ]
TABLE += [
    ("learning.list_activities", "GET", _, (302, 200, 200, 200, 200)),
    ("learning.create_activity", "GET", _, (302, 200, 403, 200, 200)),
    ("learning.create_activity", "POST", _, (302, 200, 403, 200, 200)),
    ("learning.show_activity", "GET", "a", (302, 200, 200, 200, 200)),
    ("learning.show_activity", "GET", "b", (302, 200, 200, 200, 404)),
    ("learning.show_activity", "GET", "x", (302, 200, 200, 404, 404)),
    ("learning.show_activity", "GET", "shared", (302, 200, 200, 200, 200)),
    ("learning.show_activity", "GET", "far", (302, 200, 200, 404, 404)),
]
for _method in ("GET", "POST"):
    TABLE += [
        ("learning.edit_activity", _method, "a", (302, 200, 403, 200, 200)),
        ("learning.edit_activity", _method, "b", (302, 200, 403, 200, 404)),
        ("learning.edit_activity", _method, "x", (302, 200, 403, 404, 404)),
        ("learning.edit_activity", _method, "shared", (302, 200, 403, 200, 403)),
        ("learning.edit_activity", _method, "far", (302, 200, 403, 404, 404)),
        ("learning.record_attendance", _method, "a", (302, 200, 403, 200, 200)),
        ("learning.record_attendance", _method, "b", (302, 200, 403, 200, 404)),
        ("learning.record_attendance", _method, "x", (302, 200, 403, 404, 404)),
        ("learning.record_attendance", _method, "shared", (302, 200, 403, 200, 200)),
        ("learning.record_attendance", _method, "far", (302, 200, 403, 404, 404)),
        ("learning.edit_participation", _method, "a", (302, 200, 403, 200, 200)),
        ("learning.edit_participation", _method, "b", (302, 200, 403, 200, 404)),
        ("learning.edit_participation", _method, "x", (302, 200, 403, 404, 404)),
        ("learning.edit_participation", _method, "shared", (302, 200, 403, 200, 200)),
        ("learning.edit_participation", _method, "shared_b", (302, 200, 403, 200, 404)),
    ]
for _endpoint in ("learning.archive_activity", "learning.restore_activity"):
    TABLE += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 302)),
        (_endpoint, "POST", "b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
        (_endpoint, "POST", "shared", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "far", (302, 302, 403, 404, 404)),
    ]
for _endpoint in ("learning.archive_participation", "learning.restore_participation"):
    TABLE += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 302)),
        (_endpoint, "POST", "b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
        (_endpoint, "POST", "shared", (302, 302, 403, 302, 302)),
        (_endpoint, "POST", "shared_b", (302, 302, 403, 302, 404)),
    ]
TABLE += PLAN_ROWS
TABLE += ASSESSMENT_ROWS
TABLE += RECOGNITION_ROWS
TABLE += IMPORT_ROWS

CASES = [
    pytest.param(role, endpoint, method, target, status,
                 id=f"{role}-{method}-{endpoint}-{target or '-'}")
    for endpoint, method, target, statuses in TABLE
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.fixture(scope="module")
def app(database):
    """The table's own app and database, holding the records once for its many cases.

    Overrides the session app: each case still runs in a rolled-back transaction.
    """
    with fresh_app(database, "access") as application:
        prepare(application)
        with application.app_context():
            ids = build_world(Builder(_db.session))
            _db.session.commit()
            _db.session.remove()
        application.config["TEST_WORLD"] = ids
        yield application


def build_world(make: Builder) -> dict[tuple[str, str], int]:
    """Enterprises A and B in the home commune, X in the other; their workers, activities,
    participations and accounts, by (route argument, target)."""
    a, b = make.enterprise(name="Doanh nghiệp A"), make.enterprise(name="Doanh nghiệp B")
    x = make.enterprise(name="Doanh nghiệp X", commune=OTHER_COMMUNE)
    enterprises = {"a": a, "b": b, "x": x}
    workers = {key: make.worker(e, given=key.upper()) for key, e in enterprises.items()}
    moved = make.worker(a, given="Moved", start=date(2020, 1, 1), end=date(2023, 12, 31))
    make.session.add(Employment(worker_id=moved.id, enterprise_id=b.id,
                                start_date=date(2024, 1, 1)))
    moved.current_enterprise_id = b.id
    activities = {key: make.activity(e, hours=Decimal(4)) for key, e in enterprises.items()}
    activities["shared"] = make.activity(hours=Decimal(4))
    activities["far"] = make.activity(commune=OTHER_COMMUNE, hours=Decimal(4))
    participations = {key: make.participation(activities[key], workers[key]) for key in "abx"}
    participations["shared"] = make.participation(activities["shared"], workers["a"])
    participations["shared_b"] = make.participation(activities["shared"], workers["b"])
    users = {key: make.user(Role.ENTERPRISE, enterprise=enterprises[key]) for key in "ax"}
    make.session.flush()
    ids = {}
    for name, records in (("enterprise_id", enterprises),
                          ("worker_id", {**workers, "moved": moved}),
                          ("activity_id", activities), ("participation_id", participations),
                          ("user_id", users)):
        ids.update({(name, key): record.id for key, record in records.items()})
    ids.update(build_extras(make, enterprises, workers))
    ids.update(build_assessments(make, workers))
    ids.update(build_recognition(make, workers))
    ids.update(build_imports(make, enterprises))
    return ids


def url(app, endpoint: str, target: str | None) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: app.config["TEST_WORLD"][(name, target)] for name in rule.arguments}
    return app.url_map.bind("localhost").build(endpoint, values)


@pytest.mark.parametrize(("role", "endpoint", "method", "target", "expected"), CASES)
def test_access(app, db, client, login_as, role, endpoint, method, target, expected):
    """Each role gets the expected status for each route and record."""
    if role != "anonymous":
        own = db.get(Enterprise, app.config["TEST_WORLD"][("enterprise_id", "a")])
        login_as(Role(role), enterprise=own)
    response = client.open(url(app, endpoint, target), method=method, data={})
    assert response.status_code == expected
    if role == "anonymous" and expected == 302:
        assert response.headers["Location"].startswith("/dang-nhap")


def test_table_covers_every_route(app):
    """Every route and method of the app has rows for every role in the table."""
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in STATIC
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(endpoint, method) for endpoint, method, _target, _statuses in TABLE}
    assert routes - covered == set(), "add the new routes to TABLE"
    assert covered - routes == set(), "TABLE lists routes that no longer exist"


@pytest.fixture
def viewer(login_as):
    """The client signed in as a provincial viewer of Thanh Hóa."""
    return login_as(Role.PROVINCE)


def test_province_viewer_sees_no_personal_data(client, make, viewer):
    """Worker pages show a provincial viewer no CCCD, birth date, phone or history."""
    worker = make.worker(make.enterprise(), birth=date(1990, 5, 17), phone="0912345678")
    listing = client.get("/nguoi-lao-dong").get_data(as_text=True)
    record = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert worker.full_name in listing and worker.full_name in record
    for page in (listing, record):
        assert worker.citizen_id not in page
        assert "17/05/1990" not in page and "1990-05-17" not in page
        assert "0912345678" not in page
    assert "Lịch sử thay đổi" not in record


def test_province_viewer_cannot_search_by_citizen_id(client, make, viewer):
    """A search by CCCD digits finds nothing for a viewer who may not see CCCDs."""
    worker = make.worker(make.enterprise())
    page = client.get("/nguoi-lao-dong", query_string={"q": worker.citizen_id[:7]}).get_data(
        as_text=True)
    assert worker.full_name not in page


def test_province_viewer_sees_no_edit_buttons(client, make, viewer):
    """Read-only pages offer no buttons to add, edit or archive."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    activity = make.activity(enterprise)
    pages = [client.get(u).get_data(as_text=True) for u in (
        "/nguoi-lao-dong", f"/nguoi-lao-dong/{worker.id}", f"/hoat-dong/{activity.id}",
        f"/doanh-nghiep/{enterprise.id}", "/doanh-nghiep",
    )]
    for page in pages:
        for label in ("Thêm người lao động", "Sửa thông tin", "Lưu trữ", "Điểm danh",
                      "Thêm doanh nghiệp"):
            assert label not in page


def test_commune_officer_lists_only_their_commune(client, make, login_as):
    """A commune officer's lists hold their commune's records only."""
    login_as(Role.COMMUNE)
    near, far = make.enterprise(name="Công ty Trong Xã"), make.enterprise(
        name="Công ty Xã Khác", commune=OTHER_COMMUNE)
    make.worker(near, given="Gần")
    make.worker(far, given="Xa")
    make.activity(near, title="Hoạt động trong xã")
    make.activity(far, title="Hoạt động xã khác")
    workers = client.get("/nguoi-lao-dong").get_data(as_text=True)
    activities = client.get("/hoat-dong").get_data(as_text=True)
    enterprises = client.get("/doanh-nghiep").get_data(as_text=True)
    assert "Nguyễn Thị Gần" in workers and "Nguyễn Thị Xa" not in workers
    assert "Hoạt động trong xã" in activities and "Hoạt động xã khác" not in activities
    assert "Công ty Trong Xã" in enterprises and "Công ty Xã Khác" not in enterprises


def test_enterprise_officer_lists_only_their_enterprise(client, make, login_as):
    """An enterprise officer's lists hold their own workers and activities, plus the
    commune-wide activities."""
    own, other = make.enterprise(), make.enterprise()
    login_as(Role.ENTERPRISE, enterprise=own)
    make.worker(own, given="Mình")
    make.worker(other, given="Khác")
    make.activity(own, title="Hoạt động của mình")
    make.activity(other, title="Hoạt động doanh nghiệp khác")
    make.activity(title="Hoạt động chung của xã")
    workers = client.get("/nguoi-lao-dong").get_data(as_text=True)
    activities = client.get("/hoat-dong").get_data(as_text=True)
    assert "Nguyễn Thị Mình" in workers and "Nguyễn Thị Khác" not in workers
    assert "Hoạt động của mình" in activities and "Hoạt động chung của xã" in activities
    assert "Hoạt động doanh nghiệp khác" not in activities

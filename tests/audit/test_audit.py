"""The audit log: every change to a worker, enterprise, activity or participation, by whom."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from registry.audit.models import AuditAction, AuditEntry
from registry.auth.models import Role
from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, Participation
from registry.workers.models import Worker

CREATE, UPDATE, ARCHIVE, RESTORE = (AuditAction.CREATE, AuditAction.UPDATE,
                                    AuditAction.ARCHIVE, AuditAction.RESTORE)


@pytest.fixture
def officer(login_as):
    """The client signed in as a commune officer; changes are attributed to them."""
    return login_as(Role.COMMUNE)


def entries(db, entity_type: str, entity_id: int) -> list[AuditEntry]:
    return db.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    ).all()


def assert_lifecycle(log, officer, created, updated):
    """Create, update, archive and restore, each by the officer, with before/after values."""
    assert [e.action for e in log] == [CREATE, UPDATE, ARCHIVE, RESTORE]
    assert {(e.user_id, e.actor) for e in log} == {(officer.id, officer.username)}
    for key, value in created.items():
        assert log[0].changes[key] == [None, value]
    for key, change in updated.items():
        assert log[1].changes[key] == list(change)
    assert log[2].changes["archived_at"][0] is None
    assert log[2].changes["archived_at"][1] is not None
    assert log[3].changes["archived_at"][1] is None
    assert all(e.at.tzinfo is not None for e in log)


def test_worker_changes_are_audited(client, db, officer, make):
    """Creating, editing, archiving and restoring a worker each leave an entry."""
    enterprise = make.enterprise()
    client.post("/nguoi-lao-dong/moi", data={
        "family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "sex": "F",
        "birth_date": "1995-04-02", "citizen_id": "038195000777",
        "enterprise_id": enterprise.id, "start_date": "2024-01-02",
    })
    worker = db.scalar(select(Worker))
    client.post(f"/nguoi-lao-dong/{worker.id}/sua", data={
        "family_name": "Lê", "middle_name": "Thị", "given_name": "Hòa", "sex": "F",
        "birth_date": "1995-04-02", "citizen_id": "038195000777", "phone": "0912345678",
    })
    client.post(f"/nguoi-lao-dong/{worker.id}/luu-tru")
    client.post(f"/nguoi-lao-dong/{worker.id}/khoi-phuc")
    log = entries(db, "workers", worker.id)
    assert_lifecycle(
        log, officer,
        created={"full_name": "Lê Thị Hoa", "citizen_id": "038195000777",
                 "birth_date": "1995-04-02", "sex": "F"},
        updated={"given_name": ("Hoa", "Hòa"), "full_name": ("Lê Thị Hoa", "Lê Thị Hòa"),
                 "phone": ("", "0912345678")},
    )
    assert "search_name" not in log[1].changes and "sort_key" not in log[1].changes
    employment = entries(db, "employments", worker.employments[0].id)
    assert [(e.action, e.changes["start_date"]) for e in employment] == [
        (CREATE, [None, "2024-01-02"])
    ]


def test_enterprise_changes_are_audited(client, db, officer, make):
    """Creating, editing, archiving and restoring an enterprise each leave an entry."""
    data = {"name": "Công ty Giày Mới", "tax_code": "0100109106",
            "commune_id": make.commune().id, "sector": "footwear", "is_active": "y"}
    client.post("/doanh-nghiep/moi", data=data)
    enterprise = db.scalar(select(Enterprise))
    client.post(f"/doanh-nghiep/{enterprise.id}/sua", data={**data, "name": "Công ty Giày Cũ",
                                                            "address": "Thôn 5"})
    client.post(f"/doanh-nghiep/{enterprise.id}/luu-tru")
    client.post(f"/doanh-nghiep/{enterprise.id}/khoi-phuc")
    log = entries(db, "enterprises", enterprise.id)
    assert_lifecycle(
        log, officer,
        created={"name": "Công ty Giày Mới", "tax_code": "0100109106", "sector": "footwear"},
        updated={"name": ("Công ty Giày Mới", "Công ty Giày Cũ"), "address": ("", "Thôn 5")},
    )
    assert log[2].changes["is_active"] == [True, False]


def test_activity_changes_are_audited(client, db, officer):
    """Creating, editing, archiving and restoring an activity each leave an entry."""
    data = {"title": "Lớp an toàn lao động", "area": "skill", "form": "course",
            "organiser_kind": "union", "organiser": "Công đoàn xã", "enterprise_id": "0",
            "start_date": "2025-03-10", "end_date": "2025-03-11", "hours": "16"}
    client.post("/hoat-dong/moi", data=data)
    activity = db.scalar(select(Activity))
    client.post(f"/hoat-dong/{activity.id}/sua", data={**data, "hours": "12,5"})
    client.post(f"/hoat-dong/{activity.id}/luu-tru")
    client.post(f"/hoat-dong/{activity.id}/khoi-phuc")
    log = entries(db, "activities", activity.id)
    assert_lifecycle(
        log, officer,
        created={"title": "Lớp an toàn lao động", "area": "skill", "hours": "16",
                 "start_date": "2025-03-10"},
        updated={"hours": ("16", "12.5")},
    )


def test_participation_changes_are_audited(client, db, officer, make):
    """Recording, correcting, withdrawing and restoring a participation each leave an entry."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, hours=Decimal(4))
    worker = make.worker(enterprise)
    client.post(f"/hoat-dong/{activity.id}/diem-danh", data={
        "attended_on": activity.start_date.isoformat(), "rows-0-worker_id": worker.id,
        "rows-0-selected": "y", "rows-0-hours": "4", "rows-0-completed": "y",
    })
    participation = db.scalar(select(Participation))
    client.post(f"/tham-gia/{participation.id}/sua", data={
        "attended_on": activity.start_date.isoformat(), "hours": "3", "completed": "y",
        "result": "Khá",
    })
    client.post(f"/tham-gia/{participation.id}/luu-tru")
    client.post(f"/tham-gia/{participation.id}/khoi-phuc")
    log = entries(db, "participations", participation.id)
    assert_lifecycle(
        log, officer,
        created={"worker_id": worker.id, "activity_id": activity.id, "hours": "4"},
        updated={"hours": ("4", "3"), "result": ("", "Khá")},
    )


def test_transfer_is_audited_on_the_worker_and_both_periods(client, db, officer, make):
    """A transfer records the closed period, the new one and the worker's new enterprise."""
    first, second = make.enterprise(), make.enterprise()
    worker = make.worker(first, start=date(2020, 1, 1))
    old_period = worker.employments[0]
    client.post(f"/nguoi-lao-dong/{worker.id}/chuyen-doanh-nghiep",
                data={"enterprise_id": second.id, "start_date": "2025-03-01"})
    assert [(e.action, e.changes) for e in entries(db, "employments", old_period.id)
            if e.user_id == officer.id] == [(UPDATE, {"end_date": [None, "2025-02-28"]})]
    assert [e.changes for e in entries(db, "workers", worker.id) if e.user_id == officer.id] == [
        {"current_enterprise_id": [first.id, second.id]}
    ]


def test_refused_change_leaves_no_entry(client, db, officer, make):
    """A change the rules refuse writes no audit entry."""
    enterprise = make.enterprise()
    before = len(db.scalars(select(AuditEntry)).all())
    client.post(f"/doanh-nghiep/{enterprise.id}/sua", data={
        "name": "Tên mới", "tax_code": "0100109107", "commune_id": enterprise.commune_id,
        "sector": "garment",
    })
    assert len(db.scalars(select(AuditEntry)).all()) == before


def test_history_is_shown_on_the_record_pages(client, db, officer, make):
    """Officers see who changed what on the worker, enterprise, activity and participation."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    activity = make.activity(enterprise)
    participation = make.participation(activity, worker)
    client.post(f"/nguoi-lao-dong/{worker.id}/luu-tru")
    client.post(f"/doanh-nghiep/{enterprise.id}/sua", data={
        "name": "Công ty Đổi Tên", "tax_code": enterprise.tax_code,
        "commune_id": enterprise.commune_id, "sector": "garment",
    })
    client.post(f"/hoat-dong/{activity.id}/luu-tru")
    client.post(f"/tham-gia/{participation.id}/luu-tru")
    for url, action in (
        (f"/nguoi-lao-dong/{worker.id}", "Lưu trữ"),
        (f"/doanh-nghiep/{enterprise.id}", "Sửa"),
        (f"/hoat-dong/{activity.id}", "Lưu trữ"),
        (f"/tham-gia/{participation.id}/sua", "Lưu trữ"),
    ):
        page = client.get(url).get_data(as_text=True)
        history = page[page.index("Lịch sử thay đổi"):]
        assert "Cán bộ thử" in history, url  # the officer's full name
        assert f"<td>{action}</td>" in history, url
    enterprise_page = client.get(f"/doanh-nghiep/{enterprise.id}").get_data(as_text=True)
    assert "Công ty Đổi Tên" in enterprise_page[enterprise_page.index("Lịch sử thay đổi"):]

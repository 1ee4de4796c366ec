"""Importing workers: preview, both commit modes, idempotent re-import, updates, scoping."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditEntry
from registry.auth.models import Role
from registry.imports import services
from registry.imports.models import ImportMode, ImportRecord, ImportStatus
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Employment, Worker, WorkerNameToken
from registry.workers.services import filter_by_name, workers_query
from tests.imports.builders import xlsx_bytes

TITLE = [["CÔNG TY TNHH MAY THỬ NGHIỆM"], ["DANH SÁCH CÔNG NHÂN LAO ĐỘNG NĂM 2025"], []]
HEADER = ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Số điện thoại",
          "Đoàn viên", "Ngày vào làm"]
AN = make_citizen_id("038", 1990, MALE, 11)
BINH = make_citizen_id("038", 1995, FEMALE, 12)
CUONG = make_citizen_id("038", 1988, MALE, 13)


def sheet(*rows: list) -> bytes:
    return xlsx_bytes([*TITLE, HEADER, *rows])


GOOD = [
    [1, "Nguyễn Văn An", AN, "15/03/1990", "Nam", "0912345678", "x", "01/06/2015"],
    [2, "TRẦN THỊ BÌNH", int(BINH), "1995", "Nữ", "", "", "02/01/2020"],
    [3, "Lê  Văn Cường", BINH[:0] + CUONG, 32202, "nam", "", "x", "01/01/2021"],
]


def run(db, scope, path, kind="workers", enterprise=None, write=False,
        mode=ImportMode.ALL_OR_NOTHING) -> ImportRecord:
    """Preview or commit a file through the services, as the web and the CLI do."""
    with path.open("rb") as stream:
        upload = services.store_upload(stream, path.name)
    record = services.new_import(db, scope, None, "test", kind, enterprise, upload, path.name)
    record.mode = mode
    services.run_import(db, scope, record, write=write, today=date(2025, 12, 1))
    return record


def write_file(folder, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


def test_preview_counts_and_writes_nothing(db, make, folder):
    """A preview reports three new workers and leaves the database untouched."""
    enterprise = make.enterprise()
    scope = make.scope(Role.COMMUNE)
    record = run(db, scope, write_file(folder, "ds.xlsx", sheet(*GOOD)), enterprise=enterprise)
    assert record.status == ImportStatus.PREVIEWED
    assert (record.rows_read, record.created_count, record.rejected_count) == (3, 3, 0)
    assert db.scalar(select(func.count()).select_from(Worker)) == 0


def test_commit_creates_workers_with_employment_tokens_and_audit(db, make, folder):
    """A commit writes workers, their employment, name search tokens and linked audit rows."""
    enterprise = make.enterprise()
    scope = make.scope(Role.COMMUNE)
    record = run(db, scope, write_file(folder, "ds.xlsx", sheet(*GOOD)), enterprise=enterprise,
                 write=True)
    assert record.status == ImportStatus.DONE and record.created_count == 3
    an = db.scalar(select(Worker).where(Worker.citizen_id == AN))
    assert (an.full_name, an.sex.value, an.birth_date, an.phone, an.union_member) == (
        "Nguyễn Văn An", "M", date(1990, 3, 15), "0912345678", True)
    assert an.current_enterprise_id == enterprise.id
    binh = db.scalar(select(Worker).where(Worker.citizen_id == BINH))
    assert binh.full_name == "Trần Thị Bình" and binh.birth_year_only
    cuong = db.scalar(select(Worker).where(Worker.citizen_id == CUONG))
    assert cuong.full_name == "Lê Văn Cường" and cuong.birth_date == date(1988, 2, 29)
    employment = db.scalar(select(Employment).where(Employment.worker_id == an.id))
    assert (employment.enterprise_id, employment.start_date) == (enterprise.id, date(2015, 6, 1))
    assert db.scalar(select(func.count()).select_from(WorkerNameToken).where(
        WorkerNameToken.worker_id == an.id)) > 3
    found = db.scalars(filter_by_name(db, workers_query(scope), "nguyen an")).all()
    assert [w.id for w in found] == [an.id]
    audit = db.scalars(select(AuditEntry).where(AuditEntry.import_id == record.id)).all()
    assert {(e.entity_type, e.action.value) for e in audit} == {
        ("workers", "create"), ("employments", "create")}
    assert len(audit) == 6
    worker_entry = next(e for e in audit if e.entity_id == an.id and e.entity_type == "workers")
    assert worker_entry.changes["citizen_id"] == [None, AN]


def test_reimport_is_idempotent_and_newer_file_updates_fields(db, make, folder):
    """The same file again changes nothing; a newer file updates and names changed fields."""
    enterprise = make.enterprise()
    scope = make.scope(Role.COMMUNE)
    run(db, scope, write_file(folder, "a.xlsx", sheet(*GOOD)), enterprise=enterprise, write=True)
    again = run(db, scope, write_file(folder, "b.xlsx", sheet(*GOOD)), enterprise=enterprise,
                write=True)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    newer = [list(r) for r in GOOD]
    newer[0][5] = "0987654321"
    newer[1][1] = "Trần Thị Bính"
    third = run(db, scope, write_file(folder, "c.xlsx", sheet(*newer)), enterprise=enterprise,
                write=True)
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 2, 1)
    assert third.report["fields"] == {"Số điện thoại": 1, "Tên": 1}
    assert [row[0] for row in third.report["updated"]] == [5, 6]
    binh = db.scalar(select(Worker).where(Worker.citizen_id == BINH))
    assert binh.full_name == "Trần Thị Bính"
    assert db.scalars(filter_by_name(db, workers_query(scope), "binh")).all() == [binh]
    entry = db.scalar(select(AuditEntry).where(
        AuditEntry.import_id == third.id, AuditEntry.entity_id == binh.id))
    assert entry.changes["given_name"] == ["Bình", "Bính"]


def test_rejected_rows_block_everything_by_default(db, make, folder):
    """All or nothing: one bad row and nothing is written; the error file lists the row."""
    enterprise = make.enterprise()
    scope = make.scope(Role.COMMUNE)
    bad = [4, "Phạm Thị Dung", make_citizen_id("038", 1990, MALE, 14), "01/02/1990", "Nữ"]
    path = write_file(folder, "ds.xlsx", sheet(*GOOD, bad, GOOD[0]))
    record = run(db, scope, path, enterprise=enterprise, write=True)
    assert record.status == ImportStatus.REFUSED
    assert record.rejected_count == 2 and record.created_count == 0
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    messages = dict(record.report["rejected"])
    assert "giới tính" in messages[8].lower()
    assert messages[9] == "Trùng với dòng 5 trong tệp."
    assert record.error_file.startswith(b"PK")


def test_valid_only_keeps_the_good_rows(db, make, folder):
    """Valid only: good rows are written and the bad ones reported."""
    enterprise = make.enterprise()
    scope = make.scope(Role.COMMUNE)
    bad = [4, "Phạm Thị Dung", "123", "01/02/1990", "Nữ"]
    record = run(db, scope, write_file(folder, "ds.xlsx", sheet(*GOOD, bad)),
                 enterprise=enterprise, write=True, mode=ImportMode.VALID_ONLY)
    assert record.status == ImportStatus.DONE
    assert (record.created_count, record.rejected_count) == (3, 1)
    assert db.scalar(select(func.count()).select_from(Worker)) == 3


def test_worker_of_another_enterprise_is_rejected(db, make, folder):
    """A CCCD already on another enterprise's staff is refused, not moved."""
    mine, other = make.enterprise(), make.enterprise()
    worker = make.worker(other)
    scope = make.scope(Role.ENTERPRISE, enterprise=mine)
    row = [1, worker.full_name, worker.citizen_id, worker.birth_date.strftime("%d/%m/%Y"), "Nữ"]
    record = run(db, scope, write_file(folder, "ds.xlsx", sheet(row)), enterprise=mine)
    assert record.rejected_count == 1
    assert "doanh nghiệp khác" in record.report["rejected"][0][1]


def test_enterprise_officer_cannot_import_into_another_enterprise(db, make, folder):
    """The service refuses an enterprise officer's import into someone else's enterprise."""
    mine, other = make.enterprise(), make.enterprise()
    scope = make.scope(Role.ENTERPRISE, enterprise=mine)
    path = write_file(folder, "ds.xlsx", sheet(*GOOD))
    with path.open("rb") as stream:
        upload = services.store_upload(stream, path.name)
    with pytest.raises(services.ImportRefused, match="doanh nghiệp của mình"):
        services.new_import(db, scope, None, "t", "workers", other, upload, path.name)

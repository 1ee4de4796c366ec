"""The import pages: upload, mapping, preview, commit, history, files; scoping of each."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.imports.models import ImportRecord, ImportStatus
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Worker
from tests.conftest import flashes
from tests.imports.builders import xlsx_bytes

HEADER = ["STT", "Họ và tên", "CCCD/CMND", "Năm sinh", "Nam/Nữ"]
ROWS = [[1, "Nguyễn Văn An", make_citizen_id("038", 1990, MALE, 21), 1990, "Nam"],
        [2, "Lê Thị Hoa", make_citizen_id("038", 1992, FEMALE, 22), 1992, "Nữ"]]


def upload(client, data: bytes, enterprise_id: int, kind="workers", name="ds.xlsx"):
    return client.post("/nhap-du-lieu/tai-len", data={
        "kind": kind, "enterprise_id": str(enterprise_id),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def latest(db) -> ImportRecord:
    db.expire_all()
    return db.scalar(select(ImportRecord).order_by(ImportRecord.id.desc()).limit(1))


def mapping_data(record: ImportRecord, **changes) -> dict:
    data = {"sheet": str(record.sheet_index), "header_row": str(record.header_row or "")}
    data.update({f"map_{k}": str(v) for k, v in record.mapping.items()})
    data.update({f"map_{k}": "" if v is None else str(v) for k, v in changes.items()})
    return data


def test_upload_map_preview_commit(client, db, make, login_as, folder):
    """An enterprise officer uploads, sees the proposed mapping, previews, then commits."""
    enterprise = make.enterprise()
    login_as(Role.ENTERPRISE, enterprise=enterprise)
    response = upload(client, xlsx_bytes([["DANH SÁCH"], HEADER, *ROWS]), enterprise.id)
    record = latest(db)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/nhap-du-lieu/{record.id}/cot")
    page = client.get(f"/nhap-du-lieu/{record.id}/cot").get_data(as_text=True)
    assert "Dòng tiêu đề: <strong>2</strong>" in page and "Nguyễn Văn An" in page
    response = client.post(f"/nhap-du-lieu/{record.id}/cot", data={
        "sheet": "0", "header_row": "2", "map_full_name": "1", "map_citizen_id": "2",
        "map_birth_date": "3", "map_sex": "4"})
    assert response.status_code == 302
    record = latest(db)
    assert record.status == ImportStatus.PREVIEWED and record.created_count == 2
    page = client.get(f"/nhap-du-lieu/{record.id}").get_data(as_text=True)
    assert "Xem trước" in page and "Ghi vào sổ" in page
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    response = client.post(f"/nhap-du-lieu/{record.id}/ghi", data={"mode": "all"})
    assert response.status_code == 302
    assert latest(db).status == ImportStatus.DONE
    assert db.scalar(select(func.count()).select_from(Worker)) == 2
    history = client.get("/nhap-du-lieu").get_data(as_text=True)
    assert "ds.xlsx" in history and "Đã nhập" in history


def test_adjusted_mapping_is_used(client, db, make, login_as, folder):
    """Unmapping the sex column makes sex come from the CCCD; a required field left out is
    refused with its name."""
    enterprise = make.enterprise()
    login_as(Role.COMMUNE)
    upload(client, xlsx_bytes([HEADER, *ROWS]), enterprise.id)
    record = latest(db)
    client.get(f"/nhap-du-lieu/{record.id}/cot")
    response = client.post(f"/nhap-du-lieu/{record.id}/cot", data={
        "sheet": "0", "header_row": "1", "map_full_name": "1", "map_citizen_id": "2",
        "map_birth_date": ""})
    assert response.status_code == 200
    assert "Không tìm thấy cột bắt buộc: Ngày sinh." in response.get_data(as_text=True)
    client.post(f"/nhap-du-lieu/{record.id}/cot", data={
        "sheet": "0", "header_row": "1", "map_full_name": "1", "map_citizen_id": "2",
        "map_birth_date": "3"})
    record = latest(db)
    assert "sex" not in record.mapping and record.created_count == 2


def test_rejected_rows_page_and_error_file(client, db, make, login_as, folder):
    """Rejected rows are listed with their reasons; the error file has them with «Lỗi»."""
    enterprise = make.enterprise()
    login_as(Role.COMMUNE)
    bad = [3, "Trần Văn Bé", make_citizen_id("038", 1990, MALE, 23), 1985, "Nam"]
    upload(client, xlsx_bytes([HEADER, *ROWS, bad]), enterprise.id)
    record = latest(db)
    client.post(f"/nhap-du-lieu/{record.id}/cot", data=mapping_data(record))
    page = client.get(f"/nhap-du-lieu/{record.id}").get_data(as_text=True)
    assert "Bị từ chối" in page and "1985" in page
    response = client.get(f"/nhap-du-lieu/{record.id}/dong-loi.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi" and rows[1][2] == bad[2] and rows[1][-1].startswith("Dòng 4:")
    book.close()
    response = client.post(f"/nhap-du-lieu/{record.id}/ghi", data={"mode": "all"})
    assert latest(db).status == ImportStatus.REFUSED
    assert db.scalar(select(func.count()).select_from(Worker)) == 0


def test_refused_files_get_a_message(client, db, make, login_as, folder):
    """A file that is not a spreadsheet is refused on the upload form."""
    enterprise = make.enterprise()
    login_as(Role.COMMUNE)
    response = upload(client, b"%PDF-1.4 not a sheet", enterprise.id, name="a.xlsx")
    assert response.status_code == 200
    assert "Tệp không phải là bảng tính" in response.get_data(as_text=True)
    assert latest(db) is None


def test_enterprise_officer_cannot_upload_into_another_enterprise(client, db, make, login_as,
                                                                  folder):
    """Another enterprise is not a choice; forcing its id gets a form error, nothing stored."""
    mine, other = make.enterprise(), make.enterprise()
    login_as(Role.ENTERPRISE, enterprise=mine)
    response = upload(client, xlsx_bytes([HEADER, *ROWS]), other.id)
    assert response.status_code == 200 and latest(db) is None


def test_imports_of_others_are_hidden(client, db, make, login_as, folder):
    """An enterprise officer gets 404 on another enterprise's import."""
    mine, other = make.enterprise(), make.enterprise()
    login_as(Role.COMMUNE)
    upload(client, xlsx_bytes([HEADER, *ROWS]), other.id)
    record = latest(db)
    login_as(Role.ENTERPRISE, enterprise=mine)
    assert client.get(f"/nhap-du-lieu/{record.id}").status_code == 404
    assert record.file_name not in client.get("/nhap-du-lieu").get_data(as_text=True)


def test_templates_download(client, login_as):
    """Each kind's template is an .xlsx with its header."""
    login_as(Role.COMMUNE)
    response = client.get("/nhap-du-lieu/mau/participations.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert "Số CCCD (*)" in [c.value for c in book.active[1]]
    book.close()


@pytest.mark.parametrize("size", [0])
def test_large_files_go_to_the_background(client, db, make, login_as, folder, app, size,
                                          monkeypatch):
    """Above the inline size the preview is queued as a job and the page shows progress."""
    started = []
    monkeypatch.setattr("registry.jobs.runner.start_worker", started.append)
    app.config["REGISTRY_IMPORT_INLINE_BYTES"] = size
    try:
        enterprise = make.enterprise()
        login_as(Role.COMMUNE)
        upload(client, xlsx_bytes([HEADER, *ROWS]), enterprise.id)
        record = latest(db)
        client.post(f"/nhap-du-lieu/{record.id}/cot", data=mapping_data(record))
    finally:
        app.config.pop("REGISTRY_IMPORT_INLINE_BYTES")
    record = latest(db)
    assert record.status == ImportStatus.PREVIEWING and len(started) == 1
    page = client.get(f"/nhap-du-lieu/{record.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page
    data = client.get(f"/nhap-du-lieu/{record.id}/tien-do").get_json()
    assert data["state"] == "queued" and data["running"] is True
    assert flashes(client.get("/nhap-du-lieu")) == []
    assert date.today()


def test_worker_history_links_to_the_import(client, db, make, login_as, folder):
    """The change history of an imported worker names the import that made it, with a link."""
    enterprise = make.enterprise()
    login_as(Role.COMMUNE)
    upload(client, xlsx_bytes([HEADER, *ROWS]), enterprise.id)
    record = latest(db)
    client.post(f"/nhap-du-lieu/{record.id}/cot", data=mapping_data(record))
    client.post(f"/nhap-du-lieu/{record.id}/ghi", data={"mode": "all"})
    worker = db.scalar(select(Worker).where(Worker.citizen_id == ROWS[0][2]))
    page = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert f'href="/nhap-du-lieu/{record.id}"' in page and f"qua lần nhập #{record.id}" in page

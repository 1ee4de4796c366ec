"""Real-world files end to end: every format and encoding imports the same workers; files the
importer refuses get their Vietnamese message and leave nothing behind."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.imports import reader, services
from registry.imports.models import ImportRecord
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Worker
from tests.imports.builders import cp1258_bytes, ods_bytes, ole_bytes, xls_bytes, xlsx_bytes
from tests.imports.test_import_workers import run, write_file

AN = make_citizen_id("038", 1990, MALE, 31)
HOA = make_citizen_id("038", 2001, FEMALE, 32)
HEADER = ["STT", "HO TEN", "CCCD/CMND", "Ngày sinh", "Nam/Nữ"]
ROWS = [[1, "Nguyễn Văn An", AN, "05/02/1990", "Nam"], [2, "Lê Thị Hoa", HOA, "1/3/01", "NỮ"]]
EXPECTED = {AN: ("Nguyễn Văn An", date(1990, 2, 5), "M"),
            HOA: ("Lê Thị Hoa", date(2001, 3, 1), "F")}


def csv_text(rows) -> str:
    return "\r\n".join(";".join(str(v) for v in row) for row in rows) + "\r\n"


def _mojibake(text: str) -> bytes:
    return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")


FILES = {
    "csv-utf8-bom": ("ds.csv", lambda: ("\ufeff" + csv_text([HEADER, *ROWS])).encode()),
    "csv-utf8": ("ds.csv", lambda: csv_text([HEADER, *ROWS]).encode()),
    "csv-cp1258": ("ds.csv", lambda: cp1258_bytes(csv_text([HEADER, *ROWS]))),
    "csv-mojibake": ("ds.csv", lambda: _mojibake(csv_text([HEADER, *ROWS]))),
    "xls": ("ds.xls", lambda: xls_bytes([["DANH SÁCH"], [], HEADER, *ROWS])),
    "ods": ("ds.ods", lambda: ods_bytes([("Danh sách", [HEADER, *ROWS], False)])),
    "xlsx-numbers-nfd-trailing": ("ds.xlsx", lambda: xlsx_bytes([
        ["CÔNG TY TNHH MAY"], [], [*HEADER, "", ""],
        [1, unicodedata.normalize("NFD", "Nguyễn  Văn   An"), float(AN), 32909, "nam"],
        [2, "LÊ THỊ HOA", int(HOA), "1/3/01", "0"], [], ["", "", "", ""], [],
    ])),
}


@pytest.mark.parametrize("variant", list(FILES))
def test_every_format_gives_the_same_workers(db, make, folder, variant):
    """CSV (UTF-8 ± BOM, Windows-1258, mis-encoded), .xls, .ods and an .xlsx with number
    CCCDs, Excel serial dates, NFD names and trailing empty rows import the same two workers."""
    name, build = FILES[variant]
    enterprise = make.enterprise()
    record = run(db, make.scope(Role.COMMUNE), write_file(folder, name, build()),
                 enterprise=enterprise, write=True)
    assert (record.created_count, record.rejected_count) == (2, 0), record.report
    found = {w.citizen_id: (w.full_name, w.birth_date, w.sex.value)
             for w in db.scalars(select(Worker))}
    assert found == EXPECTED
    notices = " ".join(record.report["notices"])
    if variant == "csv-cp1258":
        assert "Windows-1258" in notices
    if variant == "csv-mojibake":
        assert "lỗi mã hóa" in notices


def test_hidden_sheet_is_chosen_by_the_user(db, make, folder):
    """The data on a hidden sheet is imported once the user picks that sheet."""
    enterprise = make.enterprise()
    data = xlsx_bytes([["Hướng dẫn: xem trang sau"]], sheet="Bìa",
                      extra={"DS ẩn": [HEADER, *ROWS]}, hidden=("DS ẩn",))
    path = write_file(folder, "ds.xlsx", data)
    with path.open("rb") as stream:
        upload = services.store_upload(stream, path.name)
    assert [(s.name, s.hidden) for s in upload.sheets] == [("Bìa", False), ("DS ẩn", True)]
    scope = make.scope(Role.COMMUNE)
    record = services.new_import(db, scope, None, "t", "workers", enterprise, upload, "ds.xlsx")
    services.set_mapping(record, 1, None, {})
    services.run_import(db, scope, record, write=True, today=date(2025, 12, 1))
    assert record.sheet_name == "DS ẩn" and record.created_count == 2


def _formula_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([1, "Nguyễn Văn An", AN, "05/02/1990", "Nam"])
    sheet["A3"] = "=A2+1"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


REFUSED = {
    "empty": ("a.xlsx", b"", reader.MSG_EMPTY),
    "pdf": ("a.xlsx", b"%PDF-1.7 ...", "Tệp không phải là bảng tính"),
    "encrypted": ("a.xlsx", ole_bytes({"EncryptionInfo": b"\x04\x00\x04\x00",
                                       "EncryptedPackage": b"\x00" * 8}), "mật khẩu"),
    "text-without-columns": ("a.csv", "chỉ là một dòng chữ\nvà dòng nữa\n".encode(),
                             "không thấy dấu phân cách"),
}


@pytest.mark.parametrize("variant", list(REFUSED))
def test_refused_uploads_leave_nothing(db, make, folder, variant):
    """Empty, not a spreadsheet, encrypted or not a table: refused with a message, no file kept."""
    name, data, message = REFUSED[variant]
    path = write_file(folder, name, data)
    with path.open("rb") as stream, pytest.raises(services.ImportRefused) as refused:
        services.store_upload(stream, name)
    assert message in refused.value.message
    assert list((folder / "uploads").iterdir()) == []


def test_too_large_upload_is_refused(db, make, folder, app):
    """A file above the configured limit is refused before it is opened."""
    app.config["REGISTRY_IMPORT_MAX_BYTES"] = 1000
    try:
        path = write_file(folder, "a.csv", b"a;b\n" * 500)
        with path.open("rb") as stream, pytest.raises(services.ImportRefused, match="quá lớn"):
            services.store_upload(stream, "a.csv")
    finally:
        app.config.pop("REGISTRY_IMPORT_MAX_BYTES")


@pytest.mark.parametrize("variant", ["formula", "no-header"])
def test_formulas_and_missing_headers_are_refused_at_preview(db, make, folder, variant):
    """A sheet with formulas, or without a recognisable header, is refused with its reason
    and writes nothing."""
    enterprise = make.enterprise()
    data = _formula_xlsx() if variant == "formula" else xlsx_bytes(
        [["Cột 1", "Cột 2"], ["x", "y"]])
    with pytest.raises(services.ImportRefused) as refused:
        run(db, make.scope(Role.COMMUNE), write_file(folder, "a.xlsx", data),
            enterprise=enterprise, write=True)
    expected = "công thức ở ô A3" if variant == "formula" else "Không tìm thấy dòng tiêu đề"
    assert expected in refused.value.message
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    assert db.scalar(select(ImportRecord.created_count)) == 0

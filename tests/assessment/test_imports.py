"""Importing self-assessment scores: `flask import assessments FILE --year`, and the web."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.assessment import services
from registry.assessment.models import Assessment, AssessmentStatus
from registry.auth.models import Role
from registry.imports.models import ImportRecord, ImportStatus
from tests.imports.builders import xlsx_bytes

HEADER = ["STT", "Họ và tên", "Số CCCD", *(f"Chỉ số {i}" for i in range(1, 11)), "Tổng điểm"]


def row(n: int, worker, scores) -> list:
    values = [Decimal(str(s)) if s not in ("", None) else "" for s in scores]
    total = sum(v for v in values if v != "") if "" not in values else ""
    return [n, worker.full_name, worker.citizen_id, *scores, float(total) if total else ""]


@pytest.fixture
def folder(app, tmp_path):
    """Uploads go to a folder of the test."""
    app.config["REGISTRY_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    yield tmp_path
    app.config.pop("REGISTRY_IMPORT_FOLDER")


@pytest.fixture
def staff(db, make):
    enterprise = make.enterprise()
    return enterprise, [make.worker(enterprise, given=name) for name in ("An", "Bình", "Cúc")]


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "cdht.xlsx"
    path.write_bytes(xlsx_bytes([["PHIẾU TỰ ĐÁNH GIÁ"], header, *rows]))
    return path


def invoke(runner, path, *extra):
    return runner.invoke(args=["import", "assessments", str(path), *extra])


def test_cli_preview_commit_and_reimport(runner, db, staff, tmp_path, folder):
    """Preview writes nothing; commit opens drafts with the scores; the same file again is
    unchanged, a changed score is an update."""
    enterprise, (an, binh, _cuc) = staff
    path = write(tmp_path, [row(1, an, [9] * 10), row(2, binh, [8] * 9 + [7.5])])
    result = invoke(runner, path, "--year", "2025", "--enterprise", enterprise.tax_code)
    assert result.exit_code == 0, result.output
    assert "Sẽ thêm mới:   2" in result.output
    assert db.scalar(select(func.count()).select_from(Assessment)) == 0
    result = invoke(runner, path, "--year", "2025", "--enterprise", enterprise.tax_code,
                    "--commit")
    assert result.exit_code == 0, result.output
    saved = {a.worker_id: a for a in db.scalars(select(Assessment))}
    assert saved[an.id].status == AssessmentStatus.DRAFT and saved[an.id].year == 2025
    assert saved[binh.id].score_map()[10] == Decimal("7.5")
    result = invoke(runner, path, "--year", "2025", "--commit")
    assert "Không đổi:  2" in result.output, result.output
    path = write(tmp_path, [row(1, an, [9] * 9 + [6])])
    result = invoke(runner, path, "--year", "2025", "--commit")
    assert "Cập nhật:   1" in result.output and "Chỉ số 10" in result.output, result.output
    db.expire_all()
    assert db.get(Assessment, saved[an.id].id).score_map()[10] == Decimal(6)


def test_cli_bad_rows_write_nothing(runner, db, make, staff, tmp_path, folder):
    """Scores above 10, an unknown CCCD, a wrong total and a submitted assessment are refused
    with their row; all or nothing writes no row."""
    _enterprise, (an, binh, cuc) = staff
    scope = make.scope(Role.COMMUNE)
    done = services.create_assessment(db, scope, cuc, 2025)
    services.save_scores(db, scope, done, {c: services.ScoreEntry("9") for c in range(1, 11)},
                         None)
    services.submit_assessment(db, scope, done, None)
    stranger = make.worker(make.enterprise(name="Khác"), given="Lạ")
    stranger.citizen_id = "038095999999"
    rows = [row(1, an, [9] * 10), row(2, binh, [9] * 9 + [11]), row(3, cuc, [9] * 10),
            [4, "Người lạ", "038199000123", *[9] * 10, 90]]
    result = invoke(runner, write(tmp_path, rows), "--year", "2025", "--commit")
    assert result.exit_code == 1
    output = result.output
    assert "Dòng 4:" in output and "Chỉ số 10" in output
    assert "Dòng 5:" in output and "đang ở bước «Đã nộp, chờ thẩm định»" in output
    assert "Dòng 6:" in output and "Không có người lao động số CCCD 038199000123" in output
    assert db.scalar(select(func.count()).select_from(Assessment)) == 1


def test_year_column_or_option_is_needed(runner, db, staff, tmp_path, folder):
    """Without a year column and without --year the import is refused."""
    _enterprise, (an, _binh, _cuc) = staff
    result = invoke(runner, write(tmp_path, [row(1, an, [9] * 10)]))
    assert result.exit_code != 0 and "Năm đánh giá" in result.output


def test_web_import_with_a_year_column(client, db, login_as, staff, folder):
    """An enterprise officer imports scores through the import pages."""
    enterprise, (an, _binh, _cuc) = staff
    login_as(Role.ENTERPRISE, enterprise=enterprise)
    header = ["Năm đánh giá", *HEADER]
    data = xlsx_bytes([header, [2025, *row(1, an, [8] * 10)]])
    response = client.post("/nhap-du-lieu/tai-len", data={
        "kind": "assessments", "enterprise_id": str(enterprise.id),
        "file": (io.BytesIO(data), "cdht.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    record = db.scalar(select(ImportRecord).order_by(ImportRecord.id.desc()))
    mapping = {"sheet": str(record.sheet_index), "header_row": str(record.header_row or "")}
    mapping.update({f"map_{k}": str(v) for k, v in record.mapping.items()})
    assert client.post(f"/nhap-du-lieu/{record.id}/cot", data=mapping).status_code == 302
    assert client.post(f"/nhap-du-lieu/{record.id}/ghi", data={"mode": "all"}).status_code == 302
    db.expire_all()
    assert db.get(ImportRecord, record.id).status == ImportStatus.DONE
    assessment = db.scalar(select(Assessment).where(Assessment.worker_id == an.id))
    assert assessment.year == 2025 and assessment.score_map()[1] == Decimal(8)

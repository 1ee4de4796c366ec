"""`flask import …`: the preview printed, --commit, --valid-only, and a kill midway."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from registry.extensions import db as _db
from registry.imports.models import ImportRecord, ImportStatus
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Worker
from tests.conftest import Builder, fresh_app, prepare

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Ngày vào làm"]


def workers_csv(path: Path, count: int, bad: int | None = None) -> Path:
    """A CSV of count workers (UTF-8 with BOM, as Excel saves it); row bad has a wrong CCCD."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(count):
            sex = MALE if i % 2 else FEMALE
            year = 1970 + i % 35
            number = make_citizen_id("038", year, sex, i)
            if i == bad:
                number = number[:-1]
            writer.writerow([i + 1, "Nguyễn Văn An" if i % 2 else "Lê Thị Hoa", number,
                             f"0{1 + i % 9}/0{1 + i % 9}/{year}", "Nam" if sex == MALE else "Nữ",
                             "01/03/2020"])
    return path


def test_preview_commit_and_valid_only(runner, db, make, tmp_path):
    """Without --commit nothing is written; --commit refuses a file with a bad row; with
    --valid-only the good rows are written and the bad one saved to the error file."""
    enterprise = make.enterprise()
    path = workers_csv(tmp_path / "ds.csv", 5, bad=2)
    result = runner.invoke(args=["import", "workers", str(path), "--enterprise",
                                 enterprise.tax_code])
    assert result.exit_code == 0, result.output
    assert "sẽ thêm mới" not in result.output and "Sẽ thêm mới:   4" in result.output
    assert "Bị từ chối: 1" in result.output and "Dòng 4:" in result.output
    assert "Chưa ghi gì (xem trước)" in result.output
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    result = runner.invoke(args=["import", "workers", str(path), "--enterprise",
                                 enterprise.tax_code, "--commit"])
    assert result.exit_code == 1 and "Không ghi dữ liệu nào" in result.output
    assert db.scalar(select(func.count()).select_from(Worker)) == 0
    result = runner.invoke(args=["import", "workers", str(path), "--enterprise",
                                 enterprise.tax_code, "--commit", "--valid-only"])
    assert result.exit_code == 0, result.output
    assert "Thêm mới:   4" in result.output
    assert db.scalar(select(func.count()).select_from(Worker)) == 4
    assert (tmp_path / "ds-dong-loi.xlsx").exists()
    statuses = db.scalars(select(ImportRecord.status).order_by(ImportRecord.id)).all()
    assert statuses == [ImportStatus.PREVIEWED, ImportStatus.REFUSED, ImportStatus.DONE]
    assert path.exists()  # the command never deletes the user's file


def test_unknown_enterprise_and_bad_mapping(runner, db, tmp_path):
    """A tax code outside the registry and a --map of an unknown field are refused."""
    path = workers_csv(tmp_path / "ds.csv", 2)
    result = runner.invoke(args=["import", "workers", str(path), "--enterprise", "0100000000"])
    assert result.exit_code == 1 and "Không có doanh nghiệp có mã số thuế" in result.output
    result = runner.invoke(args=["import", "workers", str(path), "--map", "cccd=C"])
    assert result.exit_code == 2 and "không có trường «cccd»" in result.output


def _counts() -> dict[str, int]:
    engine = _db.engine
    tables = inspect(engine).get_table_names()
    with engine.connect() as connection:
        return {t: connection.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar()
                for t in tables if t != "alembic_version"}


def test_kill_midway_leaves_the_database_as_before(database, tmp_path):
    """kill -9 of `flask import workers --commit` while it writes: every table as before."""
    with fresh_app(database, "kill") as app:
        prepare(app)
        with app.app_context():
            enterprise = Builder(_db.session).enterprise()
            tax_code = enterprise.tax_code
            _db.session.commit()
            before = _counts()
            url = _db.engine.url.render_as_string(hide_password=False)
        path = workers_csv(tmp_path / "lon.csv", 60_000)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "kill-test", "FLASK_APP":
               "registry", "PYTHONWARNINGS": "ignore"}
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "import", "workers", str(path), "--enterprise",
             tax_code, "--commit"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            seen = []
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                line = process.stderr.readline()
                if not line:
                    break
                seen.append(line)
                if line.startswith("Đang ghi: ") and int(line.split()[2]) >= 10_000:
                    break
            assert any(s.startswith("Đang ghi: 10000") for s in seen), "".join(seen)
            assert process.poll() is None, "the import finished before it could be killed"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.stderr.close()
        assert process.returncode == -signal.SIGKILL
        with app.app_context():
            _db.engine.dispose()
            assert _counts() == before
            assert _db.session.scalar(select(func.count()).select_from(Worker)) == 0
            _db.session.remove()

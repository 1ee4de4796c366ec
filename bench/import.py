"""Benchmark: importing participations through the app against a raw read-and-insert baseline.

Seeds a database (migrations, units, one enterprise, 100,000 workers imported through the app's
own workers import, 20 activities), generates a 100,000-row participation .xlsx and a
1,000,000-row participation CSV, then measures each in a fresh child process (so the peak RSS
from resource.getrusage belongs to one run):

    raw    python-calamine (.xlsx) or the csv module (CSV) reading the file, plus sqlite3
           executemany of the same rows into an equivalent plain table in one transaction
           (PostgreSQL: COPY into an equivalent table)
    app    registry.imports.services.run_import(write=True): header detection, cell
           normalisation, CCCD checks, activity and worker look-ups, the learning rules, bulk
           INSERT … RETURNING and the audit entries, in one transaction, on the real schema

    floor  what no import of the file can go below: the app's own streaming reader over the
           file and the rows the import must store (each participation and its audit entry,
           through the same bulk insert path, in one transaction), with no cell normalised, no
           rule checked and nothing looked up but the two ids of each row

and prints rows/s of each, the app's ratio to raw, the floor's ratio to raw (the ceiling of any
import with this reader and schema) and peak RSS. Each SQLite run starts from a copy of the
seeded database. Run:

    python bench/import.py [--xlsx-rows N] [--csv-rows N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from registry.workers.cccd import FEMALE, MALE, make_citizen_id  # noqa: E402

#: Workers seeded; BENCH_WORKERS overrides it for a quick trial run.
WORKERS = int(os.environ.get("BENCH_WORKERS", 100_000))
ACTIVITIES = 10  # per file: the .xlsx uses activities 1–10, the CSV 11–20
HEADER = ["STT", "Họ và tên", "Số CCCD", "Mã hoạt động", "Ngày tham gia", "Số giờ", "Kết quả"]
TITLE = ["DANH SÁCH NGƯỜI LAO ĐỘNG THAM GIA HOẠT ĐỘNG HỌC TẬP NĂM 2025"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Nam", "Phương", "Yến"]
BATCH = 2000


def citizen(i: int) -> tuple[str, int, str]:
    """The CCCD, birth year and sex of worker i."""
    sex = MALE if i % 2 else FEMALE
    year = 1970 + i % 35
    return make_citizen_id("038", year, sex, i), year, sex


def name(i: int) -> str:
    middle = "Văn" if i % 2 else "Thị"
    return f"{FAMILY[i % 10]} {middle} {GIVEN[(i // 10) % 10]}"


def participation(n: int, first_activity: int, activity_ids: list[int],
                  rng: random.Random) -> list:
    """Row n: worker n // ACTIVITIES in activity n % ACTIVITIES of this file's set."""
    worker = (n // ACTIVITIES) % WORKERS
    activity = activity_ids[first_activity + n % ACTIVITIES]
    month = 1 + (n % ACTIVITIES)
    return [n + 1, name(worker), citizen(worker)[0], f"HĐ-{activity}",
            f"{rng.randint(1, 28):02d}/{month:02d}/2025", rng.choice((2, 4, 3.5, 8)),
            "Đạt" if n % 7 else "Không đạt"]


def make_workers_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["STT", "Họ và tên", "Số CCCD", "Năm sinh", "Giới tính", "Ngày vào làm"])
        for i in range(WORKERS):
            number, year, sex = citizen(i)
            out.writerow([i + 1, name(i), number, year, "Nam" if sex == MALE else "Nữ",
                          "01/01/2020"])


def make_xlsx(path: Path, rows: int, activity_ids: list[int]) -> None:
    """The .xlsx as Excel writes it: a title, the header, CCCD as text, dates as text."""
    rng = random.Random(1)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, TITLE)
    sheet.write_row(2, 0, HEADER)
    for n in range(rows):
        sheet.write_row(n + 3, 0, participation(n, 0, activity_ids, rng))
    book.close()


def make_csv(path: Path, rows: int, activity_ids: list[int]) -> None:
    rng = random.Random(2)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(TITLE)
        out.writerow(HEADER)
        for n in range(rows):
            out.writerow(participation(n, ACTIVITIES, activity_ids, rng))


# --- children ------------------------------------------------------------------------------


def _app(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    from registry import create_app

    return create_app({"REGISTRY_IMPORT_MAX_BYTES": 2_000_000_000})


def setup(url: str, folder: Path) -> dict:
    """Build the seeded database; returns the enterprise's tax code and the activity ids."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from registry.auth.models import Role
    from registry.auth.scope import Scope
    from registry.enterprises.models import Enterprise, Sector
    from registry.enterprises.taxcode import make_tax_code
    from registry.extensions import db
    from registry.imports import services
    from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind
    from registry.text import fold
    from registry.units.models import Commune
    from registry.units.services import load_catalogue

    app = _app(url)
    with app.app_context():
        upgrade()
        load_catalogue(db.session)
        commune = db.session.scalar(select(Commune).where(Commune.code == "15865"))
        commune.is_served = True
        enterprise = Enterprise(name="Công ty TNHH May Hoằng Hóa", tax_code=make_tax_code(
            "280000001") or make_tax_code("280000002"), commune_id=commune.id,
            sector=Sector.GARMENT, search_name=fold("Công ty TNHH May Hoằng Hóa"))
        db.session.add(enterprise)
        db.session.flush()
        activities = []
        for i in range(2 * ACTIVITIES):
            title = f"Hoạt động học tập số {i + 1}"
            activity = Activity(
                title=title, search_title=fold(title), area=list(Area)[i % 4],
                form=ActivityForm.COURSE, organiser_kind=OrganiserKind.ENTERPRISE,
                organiser=enterprise.name, commune_id=commune.id, enterprise_id=enterprise.id,
                start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31), hours=8)
            db.session.add(activity)
            activities.append(activity)
        db.session.flush()
        workers_csv = folder / "workers.csv"
        make_workers_csv(workers_csv)
        began = time.perf_counter()
        scope = Scope(role=Role.ADMIN)
        upload = services.Upload(workers_csv, "0" * 64, workers_csv.stat().st_size, "csv", [],
                                 [])
        record = services.new_import(db.session, scope, None, "bench", "workers", enterprise,
                                     upload, workers_csv.name)
        services.run_import(db.session, scope, record, write=True, today=dt.date(2025, 12, 1))
        db.session.commit()
        seconds = time.perf_counter() - began
        result = {"tax_code": enterprise.tax_code, "activities": [a.id for a in activities],
                  "workers": record.created_count, "workers_seconds": seconds}
        db.session.remove()
        db.engine.dispose()
    return result


def measure_app(url: str, path: str) -> dict:
    """The app's import of a participation file, committed."""
    from sqlalchemy import select

    from registry.auth.models import Role
    from registry.auth.scope import Scope
    from registry.enterprises.models import Enterprise
    from registry.extensions import db
    from registry.imports import services

    app = _app(url)
    with app.app_context():
        enterprise = db.session.scalar(select(Enterprise))
        scope = Scope(role=Role.ADMIN)
        file = Path(path)
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        upload = services.Upload(file, "0" * 64, file.stat().st_size, file.suffix[1:], [], [])
        record = services.new_import(db.session, scope, None, "bench", "participations",
                                     enterprise, upload, file.name)
        services.run_import(db.session, scope, record, write=True, today=dt.date(2025, 12, 1))
        db.session.commit()
        seconds = time.perf_counter() - began
        result = {"rows": record.rows_read, "created": record.created_count,
                  "rejected": record.rejected_count, "seconds": seconds}
        db.session.remove()
        db.engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {**result, "peak_mb": peak / 1024, "start_mb": start_rss / 1024}


def measure_floor(url: str, path: str) -> dict:
    """The app's reader and the stores an import must make, without any of its checks."""
    from sqlalchemy import delete, select

    from registry.audit.models import AuditAction, AuditEntry
    from registry.audit.services import record_bulk, set_import
    from registry.db import utcnow
    from registry.extensions import db
    from registry.imports.bulk import JsonText, insert_rows, reserve_ids
    from registry.imports.reader import open_workbook
    from registry.learning.models import Participation
    from registry.workers.models import Worker

    app = _app(url)
    with app.app_context():
        session = db.session
        # PostgreSQL runs share one schema: take out what the app's run of this file stored.
        session.execute(delete(AuditEntry).where(AuditEntry.entity_type == "participations"))
        session.execute(delete(Participation))
        session.commit()
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        workers = dict(session.execute(select(Worker.citizen_id, Worker.id)).tuples().all())
        set_import(session, None)
        table, rows, now = Participation.__table__, 0, utcnow()
        columns = ("id", "activity_id", "worker_id", "attended_on", "hours", "completed",
                   "result", "note", "created_at", "updated_at")
        day = dt.date(2025, 6, 1)

        def store(batch: list[tuple[int, int]]) -> None:
            ids = reserve_ids(session, table, len(batch))
            insert_rows(session, table, columns, [
                (pid, activity, worker, day, 4, True, "", "", now, now)
                for pid, (activity, worker) in zip(ids, batch, strict=True)])
            record_bulk(session, "participations", [
                (AuditAction.CREATE, pid, JsonText(f'{{"activity_id": [null, {activity}]}}'))
                for pid, (activity, _) in zip(ids, batch, strict=True)])

        with open_workbook(path, max_bytes=2_000_000_000) as book:
            batch = []
            for row in book.rows(0):
                values = row.values
                worker = workers.get(str(values[2])) if len(values) > 3 else None
                if worker is None:
                    continue
                batch.append((int(str(values[3]).removeprefix("HĐ-")), worker))
                if len(batch) == BATCH:
                    store(batch)
                    rows, batch = rows + len(batch), []
            if batch:
                store(batch)
                rows += len(batch)
        session.commit()
        seconds = time.perf_counter() - began
        db.session.remove()
        db.engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "peak_mb": peak / 1024,
            "start_mb": start_rss / 1024}


def _raw_rows(path: str):
    if path.endswith(".xlsx"):
        book = CalamineWorkbook.from_path(path)
        rows = book.get_sheet_by_index(0).iter_rows()
    else:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
        rows = csv.reader(handle)
    for row in rows:
        if len(row) >= 7 and row[2] and row[2] != "Số CCCD":
            yield (str(row[2]), str(row[3]), str(row[4]), float(row[5]), str(row[6]))


def measure_raw(url: str, path: str) -> dict:
    """Read the file and insert its rows as they are into an equivalent plain table."""
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    rows = 0
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("CREATE TABLE raw_participations (id INTEGER PRIMARY KEY, "
                           "citizen_id TEXT, activity_code TEXT, attended_on TEXT, "
                           "hours REAL, result TEXT)")
        connection.execute("BEGIN")
        batch = []
        for row in _raw_rows(path):
            batch.append(row)
            if len(batch) == BATCH:
                connection.executemany("INSERT INTO raw_participations (citizen_id, "
                                       "activity_code, attended_on, hours, result) VALUES "
                                       "(?, ?, ?, ?, ?)", batch)
                rows += len(batch)
                batch = []
        if batch:
            connection.executemany("INSERT INTO raw_participations (citizen_id, "
                                   "activity_code, attended_on, hours, result) VALUES "
                                   "(?, ?, ?, ?, ?)", batch)
            rows += len(batch)
        connection.execute("COMMIT")
        connection.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            conn.execute("CREATE TABLE raw_participations (id SERIAL PRIMARY KEY, "
                         "citizen_id TEXT, activity_code TEXT, attended_on TEXT, "
                         "hours REAL, result TEXT)")
            with conn.cursor().copy("COPY raw_participations (citizen_id, activity_code, "
                                    "attended_on, hours, result) FROM STDIN") as copy:
                for row in _raw_rows(path):
                    copy.write_row(row)
                    rows += 1
            conn.execute("DROP TABLE raw_participations")
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "peak_mb": peak / 1024,
            "start_mb": start_rss / 1024}


def child(*args: str) -> dict:
    """Run a step in a fresh interpreter and return what it printed as JSON."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"step {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def line(label: str, result: dict) -> str:
    rate = result["rows"] / result["seconds"]
    return (f"  {label:<10} {result['rows']:>9,} rows {result['seconds']:8.2f} s "
            f"{rate:>9,.0f} rows/s  peak RSS {result['peak_mb']:7.1f} MB")


def compare(title: str, raw: dict, app: dict, floor: dict) -> None:
    def rate(result: dict) -> float:
        return result["rows"] / result["seconds"]

    print(title)
    print(line("raw", raw))
    print(line("app", app) + f"  (created {app['created']:,}, rejected {app['rejected']:,})")
    print(line("floor", floor))
    print(f"  ratio app/raw: {rate(app) / rate(raw):.0%} of the raw rows/s; ceiling floor/raw: "
          f"{rate(floor) / rate(raw):.0%}; app/floor: {rate(app) / rate(floor):.0%}")


def _postgres_schema(base: str) -> tuple[str, str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in plain else "?"
    return f"{plain}{separator}options=-csearch_path%3D{schema}", schema


def _drop_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def run(database: str, folder: Path, xlsx: Path, csv_path: Path, label: str,
        fresh_copy) -> None:
    """Measure both files on one database."""
    for title, path in ((f"{label}: {xlsx.name}", xlsx), (f"{label}: {csv_path.name}", csv_path)):
        raw_url, app_url = fresh_copy()
        raw = child("raw", raw_url, str(path))
        app = child("app", app_url, str(path))
        _, floor_url = fresh_copy()
        floor = child("floor", floor_url, str(path))
        compare(title, raw, app, floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        if step == "setup":
            result = setup(rest[0], Path(rest[1]))
        elif step == "generate":
            ids = json.loads(rest[2])
            make_xlsx(Path(rest[0]), args.xlsx_rows, ids)
            make_csv(Path(rest[1]), args.csv_rows, ids)
            result = {}
        elif step == "raw":
            result = measure_raw(rest[0], rest[1])
        elif step == "floor":
            result = measure_floor(rest[0], rest[1])
        else:
            result = measure_app(rest[0], rest[1])
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        seeded = folder / "seeded.db"
        began = time.perf_counter()
        world = child("setup", f"sqlite:///{seeded}", str(folder))
        print(f"seeded SQLite in {time.perf_counter() - began:.1f} s: {world['workers']:,} "
              f"workers imported through the app in {world['workers_seconds']:.1f} s "
              f"({world['workers'] / world['workers_seconds']:,.0f} rows/s)")
        xlsx, csv_path = folder / "participations.xlsx", folder / "participations.csv"
        began = time.perf_counter()
        child("generate", str(xlsx), str(csv_path), json.dumps(world["activities"]),
              "--xlsx-rows", str(args.xlsx_rows), "--csv-rows", str(args.csv_rows))
        print(f"generated in {time.perf_counter() - began:.1f} s: .xlsx "
              f"{xlsx.stat().st_size / 1e6:.1f} MB ({args.xlsx_rows:,} rows), CSV "
              f"{csv_path.stat().st_size / 1e6:.1f} MB ({args.csv_rows:,} rows)")
        runs = iter(range(100))

        def sqlite_copy() -> tuple[str, str]:
            target = folder / f"run{next(runs)}.db"
            shutil.copyfile(seeded, target)
            for suffix in ("", "-wal", "-shm"):
                (folder / f"raw.db{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{folder / 'raw.db'}", f"sqlite:///{target}"

        run("sqlite", folder, xlsx, csv_path, "SQLite", sqlite_copy)
        if args.postgres:
            url, schema = _postgres_schema(args.postgres)
            try:
                pg_world = child("setup", url, str(folder))
                if pg_world["activities"] != world["activities"]:
                    raise SystemExit("activity ids differ between the databases")
                run("postgres", folder, xlsx, csv_path, "PostgreSQL", lambda: (url, url))
            finally:
                _drop_schema(args.postgres, schema)


if __name__ == "__main__":
    main()

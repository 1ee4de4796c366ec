"""Benchmark: the province dashboard for a year, cold and warm, against a raw SQL query of the
five rates measured in the same run.

    python bench/dashboard.py                                   # 1,000,000 workers, 10,000,000
    python bench/dashboard.py --workers 100000 --participations 1000000
    python bench/dashboard.py --database postgresql://postgres@127.0.0.1:5432/bench_dash
    python bench/dashboard.py --seed-only                       # fill the database, time nothing

An empty database is upgraded, given the unit catalogue and filled once with synthetic data in
bulk (executemany through the driver): enterprises spread over every commune of Thanh Hóa,
workers with one employment (5 % moved to another enterprise on 1/7 of the year, 3 % left
during it, 1 % archived), activities of the four areas in the year before, the year and the
year after, participations drawn at random among the activities of the worker's enterprise,
and one issued recognition decision per commune and year listing about 30 % of the commune's
workers (1 % of the entries taken off or revoked), so that indicator e is counted too.
Keep the file between runs (default bench/out/dashboard.db).

Timed in one process, in this order:
  raw    the five rates of the province (denominator, a–d, e) in one hand-written statement,
         best of --repeat, after one run to warm the page cache;
  cold   GET /bang-dieu-khien?don_vi=tinh-38&nam=YEAR as the first request of an app
         started in a new Python process (empty figure cache, nothing compiled or connected
         yet; the time is that of the request, not of the interpreter start), best of
         --repeat new processes;
  warm   the same request again on a started app, best of --repeat;
  change a participation is archived (the cache's token changes), then the page again:
         the figures must differ and equal the raw query's.
Goals (issue 6): cold ≤ 1.5 × raw; warm < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text, update  # noqa: E402

from registry import create_app  # noqa: E402
from registry.auth.models import Role, User  # noqa: E402
from registry.config import normalise_database_url  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.learning.models import Participation  # noqa: E402
from registry.recognition.models import Decision, DecisionEntry, DecisionStatus  # noqa: E402
from registry.units.models import Commune, Province  # noqa: E402
from registry.workers.models import Worker  # noqa: E402

SECRET = "bench-secret-key-not-for-production"
BIN = Path(sys.executable).parent
AREAS = ("law", "skill", "life", "digital")
BATCH = 20_000

RAW = """
WITH denom AS (
    SELECT DISTINCT e.worker_id FROM employments e JOIN workers w ON w.id = e.worker_id
    WHERE e.enterprise_id IN (
        SELECT en.id FROM enterprises en JOIN communes c ON c.id = en.commune_id
        WHERE c.province_id = :province AND en.archived_at IS NULL)
      AND e.start_date <= :last AND (e.end_date IS NULL OR e.end_date >= :first)
      AND w.archived_at IS NULL
), reached AS (
    SELECT a.area, COUNT(DISTINCT p.worker_id) AS n
    FROM participations p JOIN activities a ON a.id = p.activity_id
    WHERE p.archived_at IS NULL AND a.archived_at IS NULL
      AND p.attended_on >= :first AND p.attended_on <= :last
      AND p.worker_id IN (SELECT worker_id FROM denom)
    GROUP BY a.area
)
SELECT 'workers', COUNT(*) FROM denom
UNION ALL SELECT area, n FROM reached
UNION ALL SELECT 'e', COUNT(DISTINCT de.worker_id) FROM decision_entries de
    JOIN decisions d ON d.id = de.decision_id
    WHERE d.status = 'issued' AND d.year = :year AND de.removed_at IS NULL
      AND de.revoked_at IS NULL AND de.worker_id IN (SELECT worker_id FROM denom)
"""


def flask(env: dict, *args: str) -> None:
    """Run a flask command against the bench database."""
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _insert(conn, table: str, columns: tuple[str, ...], rows) -> int:
    """executemany in batches through the DBAPI cursor; returns the row count."""
    marker = "?" if conn.dialect.name == "sqlite" else "%s"
    values = ", ".join([marker] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"
    cursor = conn.connection.dbapi_connection.cursor()
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    cursor.close()
    return count


def seed(url: str, workers: int, participations: int, year: int, rng: random.Random) -> None:
    """Fill an empty database with synthetic data (see the module docstring)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    now = datetime(2026, 1, 1)
    with app.app_context():
        province = db.session.scalar(select(Province).where(Province.code == "38"))
        communes = db.session.scalars(select(Commune.id).where(
            Commune.province_id == province.id)).all()
        db.session.execute(update(Commune).where(Commune.province_id == province.id)
                           .values(is_served=True))
        db.session.commit()
        conn = db.session.connection()
        if conn.dialect.name == "sqlite":
            # The random-order unique index of participations needs a large page cache.
            conn.exec_driver_sql("PRAGMA cache_size=-2000000")
        n_enterprises = max(4, workers // 250)
        started = time.perf_counter()
        _insert(conn, "enterprises", ("id", "name", "tax_code", "commune_id", "address",
                                      "sector", "union_branch", "is_active", "search_name",
                                      "created_at", "updated_at"),
                ((i, f"Doanh nghiệp {i}", f"{2800000000 + i}", communes[i % len(communes)],
                  "", "garment", "", True, f"doanh nghiep {i}", now, now)
                 for i in range(1, n_enterprises + 1)))
        first, last = date(year, 1, 1), date(year, 12, 31)
        employer = {}

        def worker_rows():
            for i in range(1, workers + 1):
                enterprise = rng.randint(1, n_enterprises)
                employer[i] = enterprise
                archived = now if rng.random() < 0.01 else None
                yield (i, "Nguyễn", "Văn", f"A{i}", f"Nguyễn Văn A{i}", f"nguyen van a{i}",
                       f"{i:012d}".encode(), "M", date(1990, 1, 1), False, f"{i:012d}", False,
                       "", False, enterprise, now, now, archived)
        _insert(conn, "workers", ("id", "family_name", "middle_name", "given_name",
                                  "full_name", "search_name", "sort_key", "sex", "birth_date",
                                  "birth_year_only", "citizen_id", "citizen_id_legacy",
                                  "phone", "union_member", "current_enterprise_id",
                                  "created_at", "updated_at", "archived_at"), worker_rows())

        def employment_rows():
            serial = 0
            for i in range(1, workers + 1):
                roll = rng.random()
                serial += 1
                if roll < 0.05:  # moved on 1 July
                    yield (serial, i, employer[i], date(year - 3, 3, 1), date(year, 6, 30), "",
                           now)
                    serial += 1
                    yield (serial, i, rng.randint(1, n_enterprises), date(year, 7, 1), None,
                           "", now)
                elif roll < 0.08:  # left during the year
                    yield (serial, i, employer[i], date(year - 2, 3, 1), date(year, 5, 31), "",
                           now)
                else:
                    yield (serial, i, employer[i], date(year - 3, 3, 1), None, "", now)
        _insert(conn, "employments", ("id", "worker_id", "enterprise_id", "start_date",
                                      "end_date", "position", "created_at"), employment_rows())
        activities: dict[int, list[tuple[int, date]]] = {}

        def activity_rows():
            serial = 0
            for enterprise in range(1, n_enterprises + 1):
                commune = communes[enterprise % len(communes)]
                for y in (year - 1, year, year + 1):
                    for area in AREAS:
                        for k in range(2):
                            serial += 1
                            day = date(y, rng.randint(1, 12), rng.randint(1, 28))
                            activities.setdefault(enterprise, []).append((serial, day))
                            yield (serial, f"Hoạt động {area} {k} năm {y}", area, "seminar",
                                   "enterprise", "Công đoàn cơ sở", commune, enterprise, day,
                                   day, 40, "", "", f"hoat dong {area}", now, now)
        _insert(conn, "activities", ("id", "title", "area", "form", "organiser_kind",
                                     "organiser", "commune_id", "enterprise_id", "start_date",
                                     "end_date", "hours", "location", "description",
                                     "search_title", "created_at", "updated_at"),
                activity_rows())
        per_worker = max(1, participations // workers)

        def participation_rows():
            serial = 0
            for i in range(1, workers + 1):
                chosen = rng.sample(activities[employer[i]], min(per_worker, 24))
                for activity_id, day in chosen:
                    serial += 1
                    yield (serial, activity_id, i, day, 40, True, "", "",
                           now, now, now if rng.random() < 0.01 else None)
        count = _insert(conn, "participations", (
            "id", "activity_id", "worker_id", "attended_on", "hours", "completed", "result",
            "note", "created_at", "updated_at", "archived_at"), participation_rows())
        db.session.add(User(username="bench.tinh", full_name="Bench", role=Role.PROVINCE,
                            province_id=province.id, password_hash="x"))
        db.session.commit()
        if conn.dialect.name == "postgresql":
            for table in ("enterprises", "workers", "employments", "activities",
                          "participations"):
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"))
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"  seeded {n_enterprises:,} enterprises, {workers:,} workers, {count:,} "
              f"participations in {time.perf_counter() - started:.0f} s ({first}–{last})",
              flush=True)
        db.session.remove()
        db.engine.dispose()


def seed_titles(url: str, year: int, rng: random.Random) -> None:
    """Issued decisions of year - 1 and year, one per commune, listing about 30 % of the
    commune's current workers; 1 % of the entries removed or revoked (not counted)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        started = time.perf_counter()
        conn = db.session.connection()
        people = conn.execute(text(
            "SELECT w.id, en.commune_id FROM workers w "
            "JOIN enterprises en ON en.id = w.current_enterprise_id ORDER BY w.id")).all()
        communes = sorted({commune for _, commune in people})
        count = 0
        for y in (year - 1, year):
            ids = {}
            for commune in communes:
                ids[commune] = conn.execute(insert(Decision).values(
                    commune_id=commune, year=y, status=DecisionStatus.ISSUED,
                    issuing_body="UBND xã",
                    symbol="QĐ-UBND", place="Bench", signer_title="CHỦ TỊCH",
                    signer_name="Bench", issued_at=now).returning(Decision.id)).scalar_one()
            rows = []
            for worker, commune in people:
                if rng.random() >= 0.3:
                    continue
                roll = rng.random()
                rows.append({"decision_id": ids[commune], "worker_id": worker,
                             "full_name": f"Nguyễn Văn A{worker}", "sort_key": b"x",
                             "birth_year": 1990, "recognised_year": y, "created_at": now,
                             "removed_at": now if roll < 0.005 else None,
                             "revoked_at": now if 0.005 <= roll < 0.01 else None})
                if len(rows) == BATCH:
                    conn.execute(insert(DecisionEntry), rows)
                    count, rows = count + len(rows), []
            if rows:
                conn.execute(insert(DecisionEntry), rows)
                count += len(rows)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"  seeded {2 * len(communes)} decisions with {count:,} entries in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        db.session.remove()
        db.engine.dispose()


def raw_rates(conn, province_id: int, year: int) -> dict[str, int]:
    """The raw query's counts by key: workers, law, skill, life, digital, e."""
    rows = conn.execute(text(RAW), {"province": province_id, "year": year,
                                    "first": date(year, 1, 1), "last": date(year, 12, 31)})
    return {key: int(n) for key, n in rows}


def page_figures(body: str) -> dict[str, int]:
    """Reached and denominator of each indicator card, from the page."""
    found = {}
    for letter in "abcde":
        card = re.search(rf'data-indicator="{letter}".*?figure-link">([\d.]+)</a>\s*/\s*'
                         r'<a[^>]*>([\d.]+)</a>', body, re.S)
        found[letter] = (int(card.group(1).replace(".", "")), int(card.group(2).replace(".", "")))
    return found


def cold_child(url: str, path: str, token: str) -> None:
    """In a new process: start the app, time its first request, print seconds and body."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
                      "SERVER_NAME": "localhost"})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    print(json.dumps({"seconds": elapsed, "figures": page_figures(body), "bytes": len(body)}))


def cold_request(url: str, path: str, token: str) -> tuple[float, dict, int]:
    """The first request of an app in a new process: (seconds, figures, body size)."""
    done = subprocess.run(
        [sys.executable, __file__, "--database", url, "--cold-child", path, "--token", token],
        cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["figures"], result["bytes"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'bench/out/dashboard.db'}")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--participations", type=int, default=10_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--seed-only", action="store_true", help="fill the database and stop")
    parser.add_argument("--cold-child", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = normalise_database_url(args.database)
    if args.cold_child:
        cold_child(url, args.cold_child, args.token)
        return
    env = dict(os.environ, FLASK_APP="registry", SECRET_KEY=SECRET, DATABASE_URL=url)
    flask(env, "db", "upgrade")
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "SERVER_NAME": "localhost"}
    app = create_app(config)
    with app.app_context():
        empty = not db.session.scalar(select(func.count()).select_from(Worker))
        db.session.remove()
        db.engine.dispose()
    if empty:
        print(f"Seeding {args.workers:,} workers and {args.participations:,} participations "
              "(once)…", flush=True)
        flask(env, "units", "load")
        seed(url, args.workers, args.participations, args.year, random.Random(args.seed))
    with app.app_context():
        untitled = not db.session.scalar(select(func.count()).select_from(Decision))
        db.session.remove()
        db.engine.dispose()
    if untitled:
        seed_titles(url, args.year, random.Random(args.seed + 1))
    if args.seed_only:
        return
    path = f"/bang-dieu-khien?don_vi=tinh-38&nam={args.year}"

    with app.app_context():
        province_id = db.session.scalar(select(Province.id).where(Province.code == "38"))
        token = db.session.scalar(select(User.session_token).where(
            User.username == "bench.tinh"))
        n_workers = db.session.scalar(select(func.count()).select_from(Worker))
        n_part = db.session.scalar(select(func.count()).select_from(Participation))
        with db.engine.connect() as conn:
            raw_rates(conn, province_id, args.year)  # warm the page cache
            raw_times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                raw = raw_rates(conn, province_id, args.year)
                raw_times.append(time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()

    def client_of(application):
        client = application.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return client

    cold_times, cold_figures, body_size = [], {}, 0
    for _ in range(args.repeat):
        seconds, cold_figures, body_size = cold_request(url, path, token)
        cold_times.append(seconds)
    warm_app = create_app(config)
    client = client_of(warm_app)
    client.get(path)
    warm_times = []
    for _ in range(max(args.repeat, 5)):
        started = time.perf_counter()
        response = client.get(path)
        warm_times.append(time.perf_counter() - started)
    figures = page_figures(response.get_data(as_text=True))
    expected = {"a": raw["law"], "b": raw["skill"], "c": raw["life"], "d": raw["digital"],
                "e": raw.get("e", 0)}
    assert {k: v[0] for k, v in figures.items()} == expected, (figures, raw)
    assert all(v[1] == raw["workers"] for v in figures.values()), (figures, raw)
    assert {k: tuple(v) for k, v in cold_figures.items()} == figures, (cold_figures, figures)

    with warm_app.app_context():  # a change must show at once
        victim = db.session.scalar(
            select(Participation).join(Worker, Worker.id == Participation.worker_id)
            .where(Participation.archived_at.is_(None), Worker.archived_at.is_(None),
                   Participation.attended_on.between(date(args.year, 1, 1),
                                                     date(args.year, 12, 31)))
            .order_by(Participation.id).limit(1))
        victim.archived_at = datetime.now().astimezone()
        victim_id = victim.id
        db.session.commit()
        with db.engine.connect() as conn:
            after_raw = raw_rates(conn, province_id, args.year)
        db.session.remove()
    started = time.perf_counter()
    after = page_figures(client.get(path).get_data(as_text=True))
    change_time = time.perf_counter() - started
    expected_after = {"a": after_raw["law"], "b": after_raw["skill"],
                      "c": after_raw["life"], "d": after_raw["digital"],
                      "e": after_raw.get("e", 0)}
    assert {k: v[0] for k, v in after.items()} == expected_after, (after, after_raw)
    with warm_app.app_context():  # put the participation back for the next run
        db.session.execute(update(Participation).where(Participation.id == victim_id)
                           .values(archived_at=None))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    raw_best, cold_best, warm_best = min(raw_times), min(cold_times), min(warm_times)
    print(f"database: {url.split(':')[0]}, "
          f"{n_workers:,} workers, {n_part:,} participations, year {args.year}")
    print(f"raw query of the five rates : {raw_best * 1000:8.0f} ms (best of {args.repeat})")
    print(f"raw runs (ms)               : {', '.join(f'{t * 1000:.0f}' for t in raw_times)}")
    print(f"dashboard, cold             : {cold_best * 1000:8.0f} ms "
          f"= {cold_best / raw_best:.2f} × raw (goal ≤ 1.5 ×); first request of a new process")
    print(f"cold runs (ms)              : {', '.join(f'{t * 1000:.0f}' for t in cold_times)}")
    print(f"dashboard, warm             : {warm_best * 1000:8.1f} ms (goal < 200 ms)")
    print(f"after a change (recomputed) : {change_time * 1000:8.0f} ms, figures equal the raw "
          "query again")
    print(f"figures: workers {raw['workers']:,}; "
          + ", ".join(f"{k}) {v:,}" for k, v in expected.items()))
    print(f"page body {body_size:,} bytes; load {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min) at the end")


if __name__ == "__main__":
    main()

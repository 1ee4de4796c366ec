"""Benchmark: eligibility for one year for the whole province, against a raw SQL baseline
measured in the same run, and checked against a brute-force computation on a sample.

    python bench/eligibility.py --database sqlite:////tmp/eligibility.db --workers 1000000
    python bench/eligibility.py --database postgresql://postgres@127.0.0.1:5432/bench ...

An empty database is seeded once with `flask demo seed --workers N` (about 14 participations
per worker over 2023–2026, so 1,000,000 workers give some 10 million participations over the
three full years) and then with assessments of the year for `--share` of the workers
(registry.assessment.demo), in every status.  Keep the file between runs.

Timed, best of `--repeat`:
  app   registry.assessment.eligibility.compute_eligibility() for every commune of the
        province: one set-based statement, then the rule and the Vietnamese reasons per row;
  raw   one hand-written SQL statement computing the same per-worker totals, lowest indicator,
        indicators below the minimum, hours and area coverage, rows fetched as tuples.
Prints both times and the ratio (goal: app ≤ 1.5 × raw), then compares the app's figures
with the raw rows for every worker and its results with a per-worker brute force (the pure
rule over objects loaded one worker at a time) for `--sample` workers.

With `--commune-conditions` every other served commune gets local conditions of its own for
the year (two areas, 8 hours, age 25, employed on 1 July; registry.assessment.conditions) for
the run, removed afterwards: the app then also evaluates them and the brute force adds them.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry import create_app  # noqa: E402
from registry.assessment.conditions import conditions_for_year  # noqa: E402
from registry.assessment.demo import seed_assessments  # noqa: E402
from registry.assessment.eligibility import EligibilityStatus, compute_eligibility  # noqa: E402
from registry.assessment.models import (  # noqa: E402
    Assessment,
    AssessmentStatus,
    CommuneConditions,
)
from registry.assessment.rules import Facts, age_at, covered_areas, evaluate  # noqa: E402
from registry.enterprises.models import Enterprise  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.learning.models import Activity, Participation  # noqa: E402
from registry.units.models import Commune, Province  # noqa: E402
from registry.workers.models import Employment, Worker  # noqa: E402

SECRET = "bench-secret-key-not-for-production"
BIN = Path(sys.executable).parent

RAW = """
WITH pool AS (
    SELECT e.worker_id, MAX(e.enterprise_id) AS enterprise_id
    FROM employments e JOIN enterprises en ON en.id = e.enterprise_id
    WHERE e.start_date <= :last AND (e.end_date IS NULL OR e.end_date >= :first)
      AND en.commune_id IN ({communes})
    GROUP BY e.worker_id
), scores AS (
    SELECT s.assessment_id, SUM(s.score) AS total, MIN(s.score) AS lowest, COUNT(*) AS scored,
           {concat} AS low
    FROM assessment_scores s JOIN assessments a ON a.id = s.assessment_id
    JOIN criteria_sets c ON c.id = a.criteria_set_id
    WHERE a.year = :year
    GROUP BY s.assessment_id
), learning AS (
    SELECT p.worker_id, SUM(p.hours) AS hours,
           MAX(CASE WHEN ac.area = 'law' THEN 1 ELSE 0 END) AS law,
           MAX(CASE WHEN ac.area = 'skill' THEN 1 ELSE 0 END) AS skill,
           MAX(CASE WHEN ac.area = 'life' THEN 1 ELSE 0 END) AS life,
           MAX(CASE WHEN ac.area = 'digital' THEN 1 ELSE 0 END) AS digital
    FROM participations p JOIN activities ac ON ac.id = p.activity_id
    WHERE p.attended_on BETWEEN :first AND :last
      AND p.archived_at IS NULL AND ac.archived_at IS NULL
    GROUP BY p.worker_id
)
SELECT w.id, w.full_name, w.birth_date, en.id, en.name, a.id, a.criteria_set_id, a.status,
       s.total, s.lowest, s.scored, s.low, l.hours, l.law, l.skill, l.life, l.digital
FROM pool
JOIN workers w ON w.id = pool.worker_id
LEFT JOIN assessments a ON a.worker_id = w.id AND a.year = :year
LEFT JOIN enterprises en ON en.id = COALESCE(a.enterprise_id, pool.enterprise_id)
LEFT JOIN scores s ON s.assessment_id = a.id
LEFT JOIN learning l ON l.worker_id = w.id
WHERE w.archived_at IS NULL OR a.id IS NOT NULL
ORDER BY w.sort_key, w.id
"""


def flask(env: dict, *args: str) -> None:
    """Run a flask command against the bench database."""
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True)


def prepare(url: str, workers: int, year: int, share: float, seed: int) -> None:
    """Seed an empty database, then the year's assessments if there are none."""
    env = dict(os.environ, FLASK_APP="registry", SECRET_KEY=SECRET, DATABASE_URL=url)
    flask(env, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        if not db.session.scalar(select(func.count()).select_from(Worker)):
            print(f"Seeding {workers:,} workers (once)…", flush=True)
            flask(env, "units", "load")
            flask(env, "demo", "seed", "--workers", str(workers))
        # End the read transaction: its snapshot predates the seed.
        db.session.rollback()
        # The demo seed assesses its home commune only; assess the other communes here.
        assessed = db.session.scalars(
            select(Enterprise.commune_id).distinct()
            .join(Assessment, Assessment.enterprise_id == Enterprise.id)
            .where(Assessment.year == year)
        ).all()
        others = db.session.scalars(
            select(Commune.id).where(Commune.is_served, Commune.id.not_in(assessed))
        ).all()
        if others and len(assessed) <= 1:
            print(f"Assessing {share:.0%} of the workers of {year} (once)…", flush=True)
            started = time.perf_counter()
            done = seed_assessments(db.session, random.Random(seed), {year: share},
                                    commune_ids=others)
            db.session.commit()
            print(f"  {done.assessments:,} assessments, {done.scores:,} scores in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        # Fresh planner statistics after the bulk inserts, as autovacuum (PostgreSQL) or a
        # routine ANALYZE (SQLite) would give a live database; both queries profit alike.
        db.session.commit()
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        db.session.remove()
        db.engine.dispose()


def brute_force(session, worker_id: int, year: int, own=None):
    """One worker's result from objects and the pure rule, loaded one query at a time."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    worker = session.get(Worker, worker_id)
    assessment = session.scalar(
        select(Assessment).where(Assessment.worker_id == worker_id, Assessment.year == year)
    )
    if assessment is None:
        return EligibilityStatus.NOT_ASSESSED, None
    participations = session.scalars(
        select(Participation).join(Activity).where(
            Participation.worker_id == worker_id, Participation.attended_on >= first,
            Participation.attended_on <= last, Participation.archived_at.is_(None),
            Activity.archived_at.is_(None),
        )
    ).all()
    rules = assessment.criteria_set.rule_set()
    commune = session.get(Enterprise, assessment.enterprise_id).commune_id
    if own and commune in own:
        rules = rules.with_commune(own[commune])
    ref = rules.conditions.reference_date(year)
    employed = None
    if ref is not None:
        employed = any(
            e.start_date <= ref and (e.end_date is None or e.end_date >= ref)
            and session.get(Enterprise, e.enterprise_id).commune_id == commune
            for e in session.scalars(select(Employment).where(Employment.worker_id == worker_id))
        )
    outcome = evaluate(rules, Facts(
        year, assessment.score_map(),
        areas_covered=covered_areas(p.activity.area.value for p in participations),
        hours=sum((p.hours for p in participations), Decimal(0)),
        age_at_year_end=age_at(worker.birth_date, last) if worker.birth_date <= last else 0,
        employed_in_commune_on_ref_date=employed,
    ))
    if outcome.status == "not_assessed":
        return EligibilityStatus.NOT_ASSESSED, outcome.total
    if outcome.reasons or assessment.status != AssessmentStatus.APPROVED:
        return EligibilityStatus.NOT_ELIGIBLE, outcome.total
    return EligibilityStatus.ELIGIBLE, outcome.total


def add_commune_conditions(session, commune_ids: list[int], year: int) -> int:
    """Local conditions of their own for every other commune, for the year; how many."""
    chosen = commune_ids[::2]
    session.add_all(
        CommuneConditions(commune_id=commune_id, first_year=year, last_year=year,
                          required_areas=["law", "life"], min_hours=Decimal(8), min_age=25,
                          employed_on=date(year, 7, 1))
        for commune_id in chosen
    )
    session.commit()
    return len(chosen)


def run(url: str, year: int, repeat: int, sample: int, seed: int,
        with_conditions: bool = False) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        session = db.session
        dialect = db.engine.dialect.name
        commune_ids = session.scalars(
            select(Commune.id).join(Province).where(Province.code == "38", Commune.is_served)
        ).all()
        counts = session.execute(text(
            "SELECT (SELECT COUNT(*) FROM workers), (SELECT COUNT(*) FROM participations), "
            "(SELECT COUNT(*) FROM assessments WHERE year = :year)"
        ), {"year": year}).one()
        print(f"{dialect}: {counts[0]:,} workers, {counts[1]:,} participations, "
              f"{counts[2]:,} assessments of {year}, {len(commune_ids)} communes", flush=True)
        concat = ("group_concat(CASE WHEN s.score < c.min_per_indicator THEN "
                  "CAST(s.indicator_code AS TEXT) || ':' || CAST(s.score AS TEXT) END, ',')")
        if dialect == "postgresql":
            concat = concat.replace("group_concat", "string_agg")
        if with_conditions:
            added = add_commune_conditions(session, commune_ids, year)
            print(f"  with local conditions of their own in {added} communes", flush=True)
        own = conditions_for_year(session, year)
        raw_sql = RAW.format(communes=", ".join(str(i) for i in commune_ids), concat=concat)
        params = {"year": year, "first": date(year, 1, 1), "last": date(year, 12, 31)}
        if dialect == "sqlite":
            params.update(first=params["first"].isoformat(), last=params["last"].isoformat())

        def time_raw():
            started = time.perf_counter()
            rows = session.connection().exec_driver_sql(
                raw_sql.replace(":year", "%(year)s" if dialect == "postgresql" else ":year")
                .replace(":first", "%(first)s" if dialect == "postgresql" else ":first")
                .replace(":last", "%(last)s" if dialect == "postgresql" else ":last"),
                params,
            ).fetchall()
            return time.perf_counter() - started, rows

        def time_app():
            started = time.perf_counter()
            rows = compute_eligibility(session, year=year, commune_ids=commune_ids)
            return time.perf_counter() - started, rows

        raw_times, app_times = [], []
        for _ in range(repeat):
            elapsed, raw_rows = time_raw()
            raw_times.append(elapsed)
            session.rollback()
            elapsed, app_rows = time_app()
            app_times.append(elapsed)
            session.rollback()
        raw_best, app_best = min(raw_times), min(app_times)
        print(f"  raw SQL   {raw_best:8.2f} s  ({len(raw_rows):,} rows; runs: "
              + ", ".join(f"{t:.2f}" for t in raw_times) + ")")
        print(f"  app       {app_best:8.2f} s  ({len(app_rows):,} rows; runs: "
              + ", ".join(f"{t:.2f}" for t in app_times) + ")")
        print(f"  ratio app / raw = {app_best / raw_best:.2f} (goal ≤ 1.5)", flush=True)

        # Same workers, totals and lowest scores as the raw query, row for row.
        assert [r.worker_id for r in app_rows] == [r[0] for r in raw_rows], "rows differ"
        mismatches = 0
        for app_row, raw_row in zip(app_rows, raw_rows, strict=True):
            scored = raw_row[10] or 0
            raw_lowest = None if raw_row[9] is None else Decimal(raw_row[9]) / 10
            complete = app_row.total is not None
            raw_total = Decimal(raw_row[8]) / 10 if complete else None
            if (app_row.lowest, app_row.total) != (raw_lowest, raw_total) or (
                complete and scored == 0
            ):
                mismatches += 1
        print(f"  app vs raw figures: {len(app_rows) - mismatches:,} equal, "
              f"{mismatches} different")

        rng = random.Random(seed)
        by_id = {row.worker_id: row for row in app_rows}
        assessed = [row.worker_id for row in app_rows if row.assessment_id is not None]
        chosen = rng.sample(assessed, min(sample, len(assessed)))
        wrong = 0
        started = time.perf_counter()
        for worker_id in chosen:
            status, total = brute_force(session, worker_id, year, own)
            row = by_id[worker_id]
            if (row.status, row.total) != (status, total):
                wrong += 1
            session.expunge_all()
        tally = {s.label: sum(r.status == s for r in app_rows) for s in EligibilityStatus}
        print(f"  brute force on {len(chosen):,} sampled assessed workers: "
              f"{len(chosen) - wrong:,} identical, {wrong} different "
              f"({time.perf_counter() - started:.0f} s)")
        print("  results: " + ", ".join(f"{k}: {v:,}" for k, v in tally.items()), flush=True)
        if with_conditions:
            session.execute(CommuneConditions.__table__.delete().where(
                CommuneConditions.first_year == year, CommuneConditions.last_year == year))
            session.commit()
        session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'eligibility.db'}")
    parser.add_argument("--workers", type=int, default=1_000_000,
                        help="workers to seed when the database is empty")
    parser.add_argument("--share", type=float, default=0.3,
                        help="share of the year's workers assessed")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--commune-conditions", action="store_true",
                        help="give every other commune local conditions of its own")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    prepare(args.database, args.workers, args.year, args.share, args.seed)
    run(args.database, args.year, args.repeat, args.sample, args.seed, args.commune_conditions)


if __name__ == "__main__":
    main()

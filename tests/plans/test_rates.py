"""The five rates against a brute-force count over a seeded dataset, and targets and colours."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from registry.db import utcnow
from registry.learning.models import Activity, Area, Participation
from registry.plans import services
from registry.plans.models import CountingWindow, Indicator
from registry.plans.services import Counts, Standing, resolve_unit
from registry.recognition.models import Decision, DecisionEntry, DecisionStatus
from registry.workers.models import Employment, Worker
from tests.conftest import OTHER_COMMUNE
from tests.plans.world import commune_plan

YEARS = (2023, 2024, 2025, 2026)


def recognise(make, worker: Worker, year: int, commune=None) -> None:
    """Put a worker on an issued recognition decision of year."""
    place = commune or make.commune()
    decision = Decision(commune_id=place.id, year=year, status=DecisionStatus.ISSUED,
                        issuing_body="UBND xã", symbol="QĐ-UBND", place="Hoằng Hóa",
                        signer_title="CHỦ TỊCH", signer_name="Lê Văn A")
    make.session.add(decision)
    make.session.flush()
    make.session.add(DecisionEntry(decision_id=decision.id, worker_id=worker.id,
                                   full_name=worker.full_name, sort_key=worker.sort_key,
                                   birth_year=worker.birth_year, recognised_year=year))
    make.session.flush()


@pytest.fixture
def world(make):
    """Three enterprises (A, B in the home commune, X elsewhere), 60 workers with moves,
    departures, late starts and archiving; random participations over four years incl. a
    withdrawn participation and an archived activity; a few recognised workers."""
    rng = random.Random(7)
    a, b = make.enterprise(name="Doanh nghiệp A"), make.enterprise(name="Doanh nghiệp B")
    x = make.enterprise(name="Doanh nghiệp X", commune=OTHER_COMMUNE)
    activities = []
    for year in YEARS[:-1]:  # 2026: a year with no activity at all
        for area in Area:
            for enterprise in (a, b, x, None):
                activities.append(make.activity(enterprise, area=area,
                                                start=date(year, rng.randint(1, 12), 10),
                                                title=f"{area.label} {year}"))
    archived_activity = make.activity(a, area=Area.DIGITAL, start=date(2025, 6, 1),
                                      title="Đã lưu trữ")
    archived_activity.archived_at = utcnow()
    workers = []
    for n in range(60):
        home = [a, b, x][n % 3]
        late = n % 10 == 9  # started in 2026
        start = date(2026, 2, 1) if late else date(2021 + n % 3, 3, 1)
        end = date(2024, 6, 30) if n % 7 == 0 and not late else None
        worker = make.worker(home, given=f"Người{n}", start=start, end=end)
        if n % 11 == 0 and not late and end is None:  # moves on 1/7/2024 (A→B, B→X, X→A)
            previous = make.session.scalar(select(Employment).where(
                Employment.worker_id == worker.id))
            previous.end_date = date(2024, 6, 30)
            target = {a.id: b, b.id: x, x.id: a}[home.id]
            make.session.add(Employment(worker_id=worker.id, enterprise_id=target.id,
                                        start_date=date(2024, 7, 1)))
            worker.current_enterprise_id = target.id
        if n % 13 == 5:
            worker.archived_at = utcnow()
        workers.append(worker)
    make.session.flush()
    rows = []
    for worker in workers:
        chosen = rng.sample(activities, 6) + ([archived_activity] if rng.random() < 0.2 else [])
        for activity in chosen:
            rows.append(Participation(
                activity_id=activity.id, worker_id=worker.id, attended_on=activity.start_date,
                hours=activity.hours, archived_at=utcnow() if rng.random() < 0.1 else None))
    make.session.add_all(rows)
    for worker in workers[::9]:
        recognise(make, worker, 2025)
    recognise(make, workers[4], 2024)
    make.session.flush()
    return {"a": a, "b": b, "x": x, "workers": workers}


def brute_force(session, enterprise_ids: set[int], year: int, first: date) -> Counts:
    """The definition, applied row by row in Python."""
    last = date(year, 12, 31)
    workers = {w.id: w for w in session.scalars(select(Worker))}
    activities = {a.id: a for a in session.scalars(select(Activity))}
    denominator = set()
    for e in session.scalars(select(Employment)):
        if (e.enterprise_id in enterprise_ids and e.start_date <= last
                and (e.end_date is None or e.end_date >= date(year, 1, 1))
                and workers[e.worker_id].archived_at is None):
            denominator.add(e.worker_id)
    reached = {i: set() for i in Indicator}
    for p in session.scalars(select(Participation)):
        activity = activities[p.activity_id]
        if (p.worker_id in denominator and p.archived_at is None and activity.archived_at is None
                and first <= p.attended_on <= last):
            indicator = next(i for i in Indicator if i.area == activity.area)
            reached[indicator].add(p.worker_id)
    for entry in session.scalars(select(DecisionEntry)):
        decision = session.get(Decision, entry.decision_id)
        if (decision.year == year and decision.status == DecisionStatus.ISSUED
                and entry.worker_id in denominator and entry.removed_at is None
                and entry.revoked_at is None):
            reached[Indicator.E].add(entry.worker_id)
    return Counts(len(denominator), {i: len(v) for i, v in reached.items()})


@pytest.mark.parametrize("year", [2022, *YEARS])
def test_rates_match_brute_force_for_commune_province_and_enterprise(db, make, world, year):
    """Every unit's five counts equal a row-by-row count, each year incl. one with no activity
    and one before any worker."""
    scope = make.scope("admin")
    units = {
        "xa-15865": {world["a"].id, world["b"].id},
        "tinh-38": {world["a"].id, world["b"].id, world["x"].id},
        f"dn-{world['b'].id}": {world["b"].id},
    }
    for key, ids in units.items():
        unit = resolve_unit(db, scope, key)
        table = services.rate_table(db, unit, year, date(year, 1, 1))
        assert table.total == brute_force(db, ids, year, date(year, 1, 1)), key
        for enterprise_id in ids:
            expected = brute_force(db, {enterprise_id}, year, date(year, 1, 1))
            got = table.enterprises.get(enterprise_id, Counts(0, {i: 0 for i in Indicator}))
            assert got == expected, (key, enterprise_id)


def test_cumulative_window_counts_earlier_years(db, make, world):
    """A cumulative plan counts participations since its first year; the yearly one does not."""
    scope = make.scope("admin")
    unit = resolve_unit(db, scope, "xa-15865")
    ids = {world["a"].id, world["b"].id}
    cumulative = services.rate_table(db, unit, 2025, date(2023, 1, 1)).total
    assert cumulative == brute_force(db, ids, 2025, date(2023, 1, 1))
    yearly = services.rate_table(db, unit, 2025, date(2025, 1, 1)).total
    assert cumulative.workers == yearly.workers
    assert cumulative.reached[Indicator.A] > yearly.reached[Indicator.A]
    plan = commune_plan(make, window=CountingWindow.CUMULATIVE, start=2023)
    assert services.window_start(plan, 2025) == date(2023, 1, 1)
    assert services.active_plan(db, unit, 2025).id == plan.id


def test_worker_who_changed_enterprise_counts_once_for_the_commune(db, make, world):
    """A worker who moved from A to B in 2024 is in both rows but once in the total."""
    moved = world["workers"][33]  # n = 33: A until 30/6/2024, then B
    assert moved.current_enterprise_id == world["b"].id
    scope = make.scope("admin")
    unit = resolve_unit(db, scope, "xa-15865")
    first = date(2024, 1, 1)
    table = services.rate_table(db, unit, 2024, first)
    listed = db.scalars(services.workers_behind(unit, 2024, first, None, None)).all()
    assert listed.count(moved) == 1
    assert len(listed) == table.total.workers
    for key in ("a", "b"):
        enterprise = resolve_unit(db, scope, f"dn-{world[key].id}")
        assert moved in db.scalars(services.workers_behind(enterprise, 2024, first, None, None))
    in_2025 = resolve_unit(db, scope, f"dn-{world['a'].id}")
    assert moved not in db.scalars(services.workers_behind(in_2025, 2025, first, None, None))
    assert table.enterprises[world["a"].id].workers + table.enterprises[world["b"].id].workers \
        > table.total.workers


def test_archived_worker_is_not_counted(db, make, world):
    """Archiving a worker removes them from denominator and numerators."""
    unit = resolve_unit(db, make.scope("admin"), "xa-15865")
    before = services.rate_table(db, unit, 2025, date(2025, 1, 1)).total
    worker = next(w for w in world["workers"] if w.archived_at is None
                  and w.current_enterprise_id == world["a"].id)
    worker.archived_at = utcnow()
    db.flush()
    after = services.rate_table(db, unit, 2025, date(2025, 1, 1)).total
    assert after.workers == before.workers - 1


def test_lists_behind_figures_partition_the_denominator(db, make, world):
    """Counted and not counted workers of an indicator add up to the denominator."""
    unit = resolve_unit(db, make.scope("admin"), "xa-15865")
    first = date(2025, 1, 1)
    total = services.rate_table(db, unit, 2025, first).total
    for indicator in Indicator:
        yes = db.scalars(services.workers_behind(unit, 2025, first, indicator, True)).all()
        no = db.scalars(services.workers_behind(unit, 2025, first, indicator, False)).all()
        assert len(yes) == total.reached[indicator]
        assert len(yes) + len(no) == total.workers
        assert not set(yes) & set(no)


@pytest.mark.parametrize(("rate", "target", "status", "colour"), [
    (Decimal("90.0"), Decimal(90), "on_track", "success"),
    (Decimal("95.5"), Decimal(90), "on_track", "success"),
    (Decimal("80.0"), Decimal(90), "near", "warning"),
    (Decimal("79.9"), Decimal(90), "behind", "danger"),
    (None, Decimal(90), "none", "secondary"),
    (Decimal(50), None, "none", "secondary"),
])
def test_standing_colours(rate, target, status, colour):
    """Reached → green, within 10 points → amber, further → red, no data → grey."""
    standing = Standing(Indicator.A, 0, 0, rate, target)
    assert (standing.status, standing.colour) == (status, colour)


def test_active_plan_prefers_the_commune_then_falls_back_to_national(db, make):
    """The commune's plan gives the targets; without it, Decision 1268's national targets."""
    unit = resolve_unit(db, make.scope("admin"), "xa-15865")
    national = services.active_plan(db, unit, 2025)
    assert national.number == "1268/QĐ-TTg"
    assert services.next_milestone(national, 2024) == 2025
    assert services.next_milestone(national, 2026) == 2030
    assert [national.target(i, 2025) for i in Indicator] == [70, 50, 50, 40, 30]
    assert [national.target(i, 2030) for i in Indicator] == [90, 75, 75, 65, 50]
    own = commune_plan(make)
    assert services.active_plan(db, unit, 2025).id == own.id
    other = resolve_unit(db, make.scope("admin"), f"xa-{OTHER_COMMUNE}")
    assert services.active_plan(db, other, 2025).id == national.id
    board = services.dashboard(db, unit, 2026)
    assert board.milestone == 2030
    assert [s.target for s in board.standings] == [95, 85, 85, 80, 60]


def test_cache_is_invalidated_by_a_change(db, make, world, app):
    """A cached figure is recomputed after a participation is recorded."""
    unit = resolve_unit(db, make.scope("admin"), "xa-15865")
    first = services.window_start(None, 2026)
    before = services.cached_rate_table(db, unit, 2026, first).total
    assert services.cached_rate_table(db, unit, 2026, first).total == before
    activity = make.activity(world["a"], area=Area.LAW, start=date(2026, 3, 1))
    worker = next(w for w in world["workers"] if w.archived_at is None
                  and w.current_enterprise_id == world["a"].id)
    make.participation(activity, worker)
    after = services.cached_rate_table(db, unit, 2026, first).total
    assert after.reached[Indicator.A] == before.reached[Indicator.A] + 1
    db.execute(update(Participation).where(Participation.worker_id == worker.id)
               .values(archived_at=utcnow()))
    final = services.cached_rate_table(db, unit, 2026, first).total
    assert final.reached[Indicator.A] == before.reached[Indicator.A]


def test_enterprise_rows_are_in_vietnamese_order(db, make):
    """The per-enterprise table lists D before Đ before E (plain code-point order puts Đ last)."""
    for name in ("Công ty Em Thảo", "Công ty Đông Á", "Công ty Dệt Hà"):
        make.worker(make.enterprise(name=name))
    unit = resolve_unit(db, make.scope("admin"), "xa-15865")
    names = [row.name for row in services.dashboard(db, unit, date.today().year).enterprises]
    assert names == ["Công ty Dệt Hà", "Công ty Đông Á", "Công ty Em Thảo"]

"""Records of plans, reports and commendations for the access table (tests/auth/test_access.py).

Targets: "national" (Decision 1268, shipped by the migration), "own" (a plan, log entries and a
commendation round of the home commune), "far" (the same in the other commune).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
)
from registry.plans.models import CountingWindow, Indicator, Plan, PlanLevel, Target
from registry.reports.models import FundingSource, Spending
from tests.conftest import OTHER_COMMUNE, Builder

_ = None
OK = (302, 200, 200, 200, 200)
#: (endpoint, method, target, statuses for anonymous, admin, province, commune, enterprise of A)
ACCESS_ROWS = [
    ("plans.dashboard", "GET", _, OK),
    ("plans.trend_chart", "GET", _, OK),
    ("plans.figure_workers", "GET", _, OK),
    ("plans.export_figure_workers", "GET", _, OK),
    ("plans.list_plans", "GET", _, OK),
    ("plans.create_plan", "GET", _, (302, 200, 403, 200, 403)),
    ("plans.create_plan", "POST", _, (302, 200, 403, 200, 403)),
    ("plans.show_plan", "GET", "national", OK),
    ("plans.show_plan", "GET", "own", OK),
    ("plans.show_plan", "GET", "far", (302, 200, 200, 404, 404)),
]
for _method in ("GET", "POST"):
    ACCESS_ROWS += [
        ("plans.edit_plan", _method, "national", (302, 200, 403, 403, 403)),
        ("plans.edit_plan", _method, "own", (302, 200, 403, 200, 403)),
        ("plans.edit_plan", _method, "far", (302, 200, 403, 404, 404)),
    ]
for _endpoint in ("plans.archive_plan", "plans.restore_plan"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "national", (302, 302, 403, 403, 403)),
        (_endpoint, "POST", "own", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "far", (302, 302, 403, 404, 404)),
    ]

ACCESS_ROWS += [
    ("reports.activity_log", "GET", _, (302, 200, 200, 200, 403)),
    ("reports.create_entry", "GET", _, (302, 200, 403, 200, 403)),
    ("reports.create_entry", "POST", _, (302, 200, 403, 200, 403)),
    ("reports.edit_entry", "GET", "own", (302, 200, 403, 200, 403)),
    ("reports.edit_entry", "GET", "far", (302, 200, 403, 404, 403)),
    # An empty POST fails the required dates: the form is shown again with its errors.
    ("reports.edit_entry", "POST", "own", (302, 200, 403, 200, 403)),
    ("reports.edit_entry", "POST", "far", (302, 200, 403, 404, 403)),
    ("reports.report", "GET", _, (302, 200, 200, 200, 403)),
    # Each officer saves the texts of their own unit's report (the province's for a
    # provincial officer).
    ("reports.report", "POST", _, (302, 302, 302, 302, 403)),
    ("reports.download_report", "GET", _, (302, 200, 200, 200, 403)),
]
for _endpoint in ("reports.archive_entry", "reports.restore_entry"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "own", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "far", (302, 302, 403, 404, 403)),
    ]

# Rounds "own" (home commune) and "far" (other commune); entries "own" (a worker of A, the
# enterprise officer's), "own_b" (a worker of B) and "far".
ACCESS_ROWS += [
    ("commendations.list_rounds", "GET", _, OK),
    ("commendations.create_round", "GET", _, (302, 200, 403, 200, 403)),
    ("commendations.create_round", "POST", _, (302, 200, 403, 200, 403)),
    ("commendations.show_round", "GET", "own", OK),
    ("commendations.show_round", "GET", "far", (302, 200, 200, 404, 404)),
    ("commendations.download_round", "GET", "own", OK),
    ("commendations.download_round", "GET", "far", (302, 200, 200, 404, 404)),
    ("commendations.approve_round", "POST", "own", (302, 302, 403, 302, 403)),
    ("commendations.approve_round", "POST", "far", (302, 302, 403, 404, 404)),
]
for _method in ("GET", "POST"):
    ACCESS_ROWS += [
        ("commendations.edit_round", _method, "own", (302, 200, 403, 200, 403)),
        ("commendations.edit_round", _method, "far", (302, 200, 403, 404, 404)),
        ("commendations.propose_entry", _method, "own", (302, 200, 403, 200, 200)),
        ("commendations.propose_entry", _method, "far", (302, 200, 403, 404, 404)),
        ("commendations.suggest_entries", _method, "own", (302, 200, 403, 200, 200)),
        ("commendations.suggest_entries", _method, "far", (302, 200, 403, 404, 404)),
    ]
for _endpoint in ("commendations.approve_entry", "commendations.reject_entry"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "own", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "own_b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "far", (302, 302, 403, 404, 404)),
    ]
ACCESS_ROWS += [
    ("commendations.withdraw_entry", "POST", "own", (302, 302, 403, 302, 302)),
    ("commendations.withdraw_entry", "POST", "own_b", (302, 302, 403, 302, 404)),
    ("commendations.withdraw_entry", "POST", "far", (302, 302, 403, 404, 404)),
]


def commune_plan(make: Builder, commune: Builder | None = None, code: str | None = None,
                 number: str = "107/KH-UBND", window: CountingWindow = CountingWindow.YEAR,
                 start: int = 2023, end: int = 2030,
                 targets: dict[str, tuple[int, int]] | None = None) -> Plan:
    """A commune plan with the Hoằng Hợp targets (2025, 2030) unless others are given."""
    place = make.commune(code) if code else make.commune()
    targets = targets or {"a": (90, 95), "b": (72, 85), "c": (65, 85), "d": (65, 80),
                          "e": (35, 60)}
    plan = Plan(level=PlanLevel.COMMUNE, commune_id=place.id, issuing_body=f"UBND {place.name}",
                number=number, issued_on=date(start, 4, 11), title="Kế hoạch thử",
                start_year=start, end_year=end, counting_window=window)
    for letter, (by_2025, by_2030) in targets.items():
        plan.targets.append(Target(indicator=Indicator(letter), year=2025,
                                   percent=Decimal(by_2025)))
        plan.targets.append(Target(indicator=Indicator(letter), year=2030,
                                   percent=Decimal(by_2030)))
    make.session.add(plan)
    make.session.flush()
    return plan


def build_extras(make: Builder, enterprises: dict, workers: dict) -> dict[tuple[str, str], int]:
    """The plans, log entries and commendation rounds of the access table, by (arg, target)."""
    ids = {("plan_id", "national"): 1}
    ids[("plan_id", "own")] = commune_plan(make).id
    ids[("plan_id", "far")] = commune_plan(make, code=OTHER_COMMUNE).id
    for key, code in (("own", None), ("far", OTHER_COMMUNE)):
        spending = Spending(commune_id=(make.commune(code) if code else make.commune()).id,
                            spent_on=date(2025, 10, 5), source=FundingSource.COMMUNE,
                            amount=5_600_000, purpose="Tuần lễ học tập suốt đời")
        make.session.add(spending)
        make.session.flush()
        ids[("log_kind", key)] = "kinh-phi"
        ids[("item_id", key)] = spending.id
    ids[("log_kind", None)] = "kinh-phi"
    for key, code, worker in (("own", None, workers["a"]), ("far", OTHER_COMMUNE, workers["x"])):
        round_ = CommendationRound(commune_id=(make.commune(code) if code else make.commune()).id,
                                   title="Biểu dương", year=2025, issuing_body="UBND xã")
        make.session.add(round_)
        make.session.flush()
        ids[("round_id", key)] = round_.id
        people = [(key, worker)] + ([("own_b", workers["b"])] if key == "own" else [])
        for entry_key, person in people:
            entry = CommendationEntry(round_id=round_.id, kind=EntryKind.WORKER,
                                      worker_id=person.id,
                                      enterprise_id=person.current_enterprise_id,
                                      reason="Gương học tập", status=EntryStatus.PROPOSED)
            make.session.add(entry)
            make.session.flush()
            ids[("entry_id", entry_key)] = entry.id
    return ids

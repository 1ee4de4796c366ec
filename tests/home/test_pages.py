"""The home page's figures, checked against a brute-force count over the test's own data."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from registry.auth.models import Role
from registry.db import utcnow
from registry.learning.models import Area
from registry.workers.models import Employment
from tests.conftest import OTHER_COMMUNE

YEAR = 2025
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)


@dataclass
class Data:
    """What the test built, kept on the Python side for the brute-force count."""

    enterprises: dict
    workers: dict
    activities: dict
    participations: list


@pytest.fixture
def data(make) -> Data:
    """Two enterprises of the home commune (and an archived one), one of another commune;
    current, former, moved and archived workers; activities inside, across and outside the
    year; participations withdrawn, of archived activities and of archived workers."""
    archived_at = utcnow()
    ent = {"A": make.enterprise(name="A"), "B": make.enterprise(name="B"),
           "C": make.enterprise(name="C"), "X": make.enterprise(name="X", commune=OTHER_COMMUNE)}
    w = {}
    for key, enterprise in (("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B"),
                            ("r1", "A"), ("x1", "X")):
        w[key] = make.worker(ent[enterprise], start=date(2020, 1, 1))
    w["f1"] = make.worker(ent["A"], start=date(2020, 1, 1), end=date(2025, 6, 30))
    w["c1"] = make.worker(ent["C"], start=date(2020, 1, 1), end=date(2024, 12, 31))
    w["m1"] = make.worker(ent["A"], start=date(2020, 1, 1), end=date(2024, 12, 31))
    make.session.add(Employment(worker_id=w["m1"].id, enterprise_id=ent["B"].id,
                                start_date=date(2025, 1, 1)))
    w["m1"].current_enterprise_id = ent["B"].id
    w["r1"].archived_at = archived_at
    ent["C"].archived_at = archived_at
    four = Decimal(4)
    act = {
        "A_law": make.activity(ent["A"], area=Area.LAW, start=date(2025, 3, 10), hours=four),
        "A_skill": make.activity(ent["A"], area=Area.SKILL, start=date(2025, 5, 1), hours=four),
        "B_life": make.activity(ent["B"], area=Area.LIFE, start=date(2025, 4, 1), hours=four),
        "shared": make.activity(area=Area.DIGITAL, start=date(2025, 10, 1),
                                end=date(2025, 10, 7), hours=four),
        "span": make.activity(area=Area.LAW, start=date(2024, 12, 30), end=date(2025, 1, 2),
                              hours=four),
        "A_2024": make.activity(ent["A"], area=Area.LAW, start=date(2024, 6, 1), hours=four),
        "B_2026": make.activity(ent["B"], area=Area.SKILL, start=date(2026, 2, 1), hours=four),
        "A_cancelled": make.activity(ent["A"], area=Area.LIFE, start=date(2025, 7, 1),
                                     hours=four),
        "X_law": make.activity(ent["X"], area=Area.LAW, start=date(2025, 3, 1), hours=four),
    }
    act["A_cancelled"].archived_at = archived_at
    p = make.participation
    participations = [
        p(act["A_law"], w["a1"]), p(act["A_skill"], w["a1"]), p(act["shared"], w["a1"]),
        p(act["A_law"], w["a2"], archived_at=archived_at), p(act["A_cancelled"], w["a2"]),
        p(act["A_2024"], w["a3"]), p(act["span"], w["a3"], attended_on=date(2024, 12, 30)),
        p(act["B_life"], w["b1"]), p(act["shared"], w["b1"], attended_on=date(2025, 10, 3)),
        p(act["span"], w["b2"], attended_on=date(2025, 1, 2)), p(act["B_2026"], w["b2"]),
        p(act["A_law"], w["f1"]), p(act["A_skill"], w["f1"]),
        p(act["A_2024"], w["m1"]), p(act["shared"], w["m1"]),
        p(act["A_law"], w["r1"]),
        p(act["X_law"], w["x1"]),
    ]
    make.session.flush()
    return Data(ent, w, act, participations)


# --- the brute force ------------------------------------------------------------------------


def employed_on(worker, enterprises, day) -> bool:
    return any(e.enterprise_id in enterprises and e.start_date <= day
               and (e.end_date is None or e.end_date >= day) for e in worker.employments)


def brute_force(data: Data, enterprise_keys: set[str], activity_visible) -> dict:
    """The figures by definition, counted in Python over every record built."""
    ids = {data.enterprises[k].id for k in enterprise_keys
           if data.enterprises[k].archived_at is None}
    now = [w for w in data.workers.values()
           if w.archived_at is None and w.current_enterprise_id in ids]
    activities = [a for a in data.activities.values()
                  if a.archived_at is None and activity_visible(a)
                  and a.start_date <= LAST and a.end_date >= FIRST]
    counted = [p for p in data.participations
               if p.archived_at is None and p.activity.archived_at is None
               and p.worker.archived_at is None and FIRST <= p.attended_on <= LAST]
    in_scope = [p for p in counted if activity_visible(p.activity)
                and employed_on(p.worker, {data.enterprises[k].id for k in enterprise_keys},
                                p.attended_on)]
    reached = {area: len({p.worker_id for p in counted
                          if p.activity.area == area and p.worker in now})
               for area in Area}
    return {"enterprises": len(ids), "workers": len(now), "activities": len(activities),
            "participations": len(in_scope), "reached": reached}


def shown(page: str) -> dict:
    """The figures as the home page shows them."""
    figures = dict(re.findall(r'data-figure="(\d)">([\d.]+)<', page))
    rows = re.findall(r"<td>([a-d])\) [^<]+</td>\s*<td class=\"text-end\">(\d+) / (\d+)</td>"
                      r"\s*<td class=\"text-end\">([^<]+)</td>", page)
    return {
        "enterprises": int(figures["1"].replace(".", "")),
        "workers": int(figures["2"].replace(".", "")),
        "activities": int(figures["3"].replace(".", "")),
        "participations": int(figures["4"].replace(".", "")),
        "reached": {area: int(rows[i][1]) for i, area in enumerate(Area)},
        "percent": [row[3] for row in rows],
    }


def percent(reached: int, workers: int) -> str:
    return f"{100 * reached / workers:.1f}".replace(".", ",") + "%"


# --- the tests ------------------------------------------------------------------------------


def test_commune_figures_match_the_brute_force(client, login_as, data, make):
    """A commune officer's figures: enterprises, workers now, the year's activities and
    participations, and the share of workers reached per area."""
    login_as(Role.COMMUNE)
    home = make.commune().id
    expected = brute_force(data, {"A", "B", "C"}, lambda a: a.commune_id == home)
    assert expected == {  # the brute force itself, counted by hand from the fixture
        "enterprises": 2, "workers": 6, "activities": 5, "participations": 9,
        "reached": {Area.LAW: 2, Area.SKILL: 1, Area.LIFE: 1, Area.DIGITAL: 3},
    }
    page = client.get(f"/?nam={YEAR}").get_data(as_text=True)
    figures = shown(page)
    assert figures.pop("percent") == [percent(expected["reached"][a], expected["workers"])
                                      for a in Area]
    assert figures == expected
    assert f"Tổng quan năm {YEAR}" in page


def test_enterprise_figures_match_the_brute_force(client, login_as, data):
    """An enterprise officer's figures cover their enterprise, its workers (at the time of
    each participation) and the activities open to it."""
    own = data.enterprises["A"]
    login_as(Role.ENTERPRISE, enterprise=own)
    expected = brute_force(
        data, {"A"},
        lambda a: a.enterprise_id == own.id or (a.enterprise_id is None
                                                and a.commune_id == own.commune_id),
    )
    assert expected == {
        "enterprises": 1, "workers": 3, "activities": 4, "participations": 5,
        "reached": {Area.LAW: 1, Area.SKILL: 1, Area.LIFE: 0, Area.DIGITAL: 1},
    }
    figures = shown(client.get(f"/?nam={YEAR}").get_data(as_text=True))
    figures.pop("percent")
    assert figures == expected


def test_province_figures_cover_both_communes(client, login_as, data):
    """A provincial viewer sees both communes together, or one chosen commune."""
    login_as(Role.PROVINCE)
    expected = brute_force(data, {"A", "B", "C", "X"}, lambda a: True)
    figures = shown(client.get(f"/?nam={YEAR}").get_data(as_text=True))
    figures.pop("percent")
    assert figures == expected
    other = data.enterprises["X"].commune_id
    only_other = brute_force(data, {"X"}, lambda a: a.commune_id == other)
    figures = shown(client.get(f"/?nam={YEAR}&xa={other}").get_data(as_text=True))
    figures.pop("percent")
    assert figures == only_other


def test_empty_registry_shows_no_share(client, login_as):
    """With no workers the shares are shown as a dash, not a division error."""
    login_as(Role.COMMUNE)
    page = client.get("/").get_data(as_text=True)
    assert shown(page)["percent"] == ["—"] * 4

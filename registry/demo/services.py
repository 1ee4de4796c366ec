"""A realistic, deterministic demo commune in Thanh Hóa, built with bulk inserts.

With the default size it is a commune of eight enterprises and about 2,000 workers; with
`workers` set high (100,000 or 1,000,000 for benchmarks) enterprises are spread over every
commune of the province.  The same seed always gives the same data, whatever today's date.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from registry.assessment.demo import seed_assessments
from registry.auth.models import Role, User
from registry.db import utcnow
from registry.demo import names
from registry.enterprises.models import Enterprise, Sector
from registry.enterprises.taxcode import make_tax_code
from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind, Participation
from registry.recognition.demo import seed_recognition
from registry.reports.demo import seed as seed_reports
from registry.text import fold, join_name, person_sort_key
from registry.units.models import Commune, Province
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Employment, Worker, WorkerNameToken, tokens_of

DEMO_COMMUNE = "15865"  # Xã Hoằng Hóa, Thanh Hóa
DEMO_PROVINCE = "38"
DEMO_PASSWORD = "hoctapsuotdoi2025"
YEARS = (2023, 2024, 2025, 2026)
#: Demo data stops here so that it does not depend on the day it is generated.
LAST_DAY = date(2026, 11, 15)
BATCH = 5000

#: (name, sector, share of workers, share of women).
ENTERPRISES = [
    ("Công ty TNHH May mặc Sao Vàng Hoằng Hóa", Sector.GARMENT, 0.30, 0.82),
    ("Công ty TNHH Giày da Alena Thanh Hóa", Sector.FOOTWEAR, 0.25, 0.75),
    ("Công ty CP Dệt may Hoằng Đạt", Sector.GARMENT, 0.13, 0.80),
    ("Công ty CP Chế biến Thủy sản Hoằng Phụ", Sector.SEAFOOD, 0.09, 0.65),
    ("Công ty CP Xây dựng và Thương mại Hoằng Hà", Sector.CONSTRUCTION, 0.07, 0.10),
    ("Công ty CP Gạch Tuynel Hoằng Hóa", Sector.MATERIALS, 0.06, 0.25),
    ("Công ty TNHH Cơ khí Chính xác Hoằng Lộc", Sector.MECHANICAL, 0.05, 0.15),
    ("Công ty TNHH Chế biến Nông sản Hoằng Hợp", Sector.FOOD, 0.05, 0.60),
]
OTHER_NAMES = ["Sông Mã", "Lam Sơn", "Hàm Rồng", "Xứ Thanh", "Nghi Sơn", "Sầm Sơn", "Bỉm Sơn"]

#: Enterprise activities repeated each year: (title, area, form, hours, share of staff).
YEARLY_ACTIVITIES = [
    ("Tuyên truyền Bộ luật Lao động và nội quy lao động", Area.LAW, ActivityForm.SEMINAR, 3, 0.78),
    ("Phổ biến Luật Công đoàn và chính sách bảo hiểm xã hội", Area.LAW, ActivityForm.SEMINAR, 2,
     0.55),
    ("Huấn luyện an toàn, vệ sinh lao động", Area.SKILL, ActivityForm.COURSE, 16, 0.50),
    ("Bồi dưỡng nâng bậc thợ", Area.SKILL, ActivityForm.COURSE, 40, 0.18),
    ("Kỹ năng sơ cấp cứu và phòng chống cháy nổ", Area.LIFE, ActivityForm.COURSE, 4, 0.42),
    ("Chăm sóc sức khỏe và kỹ năng sống cho người lao động", Area.LIFE, ActivityForm.SEMINAR, 2,
     0.30),
    ("Sử dụng điện thoại thông minh, ứng dụng VNeID và dịch vụ công trực tuyến", Area.DIGITAL,
     ActivityForm.COURSE, 4, 0.45),
    ("Học trực tuyến: kỹ năng số cơ bản cho công nhân", Area.DIGITAL, ActivityForm.ONLINE, 6,
     0.22),
]


@dataclass
class SeedResult:
    """What a demo seed created."""

    enterprises: int
    workers: int
    activities: int
    participations: int


def _weighted(rng: random.Random, table: list[tuple[str, int]]):
    """A sampler of table's names by weight (cumulative weights computed once)."""
    values = [name for name, _ in table]
    cumulative = list(accumulate(weight for _, weight in table))
    return lambda: rng.choices(values, cum_weights=cumulative)[0]


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _tax_codes(rng: random.Random) -> Iterator[str]:
    """Valid, distinct tax codes of Thanh Hóa enterprises (prefix 28)."""
    seen: set[str] = set()
    while True:
        code = make_tax_code("28" + f"{rng.randrange(10**7):07d}")
        if code and code not in seen:
            seen.add(code)
            yield code


def has_data(session: Session) -> bool:
    """Whether any enterprise exists (the demo is loaded only into an empty registry)."""
    return bool(session.scalar(select(func.count()).select_from(Enterprise)))


def seed(session: Session, workers: int = 2000, seed_value: int = 2025) -> SeedResult:
    """Create the demo units, enterprises, workers, activities, participations and users."""
    rng = random.Random(seed_value)
    home = session.scalar(select(Commune).where(Commune.code == DEMO_COMMUNE))
    if home is None:
        raise RuntimeError("Chưa có danh mục đơn vị: hãy chạy flask units load trước.")
    large = workers > 5000
    communes = [home]
    if large:
        communes = list(
            session.scalars(
                select(Commune)
                .join(Province)
                .where(Province.code == DEMO_PROVINCE)
                .order_by(Commune.code)
            )
        )
    session.execute(
        update(Commune).where(Commune.id.in_([c.id for c in communes])).values(is_served=True)
    )
    enterprises = _create_enterprises(session, rng, communes, workers, large)
    worker_rows = _create_workers(session, rng, enterprises, workers)
    activities, participations = _create_learning(session, rng, home, enterprises, worker_rows)
    _create_users(session, home, enterprises)
    # Assessments of 2024 and 2025 in the home commune, at every step of the flow.
    seed_assessments(session, random.Random(seed_value + 1), commune_ids=[home.id])
    # The 2024 recognition decision of the home commune, issued, with its certificates.
    seed_recognition(session, home)
    # The commune's plan, activity log and a commendation round.
    seed_reports(session, home)
    session.flush()
    return SeedResult(len(enterprises), workers, activities, participations)


@dataclass(slots=True)
class _Enterprise:
    id: int
    commune_id: int
    share: float
    women: float


def _create_enterprises(
    session: Session, rng: random.Random, communes: list[Commune], workers: int, large: bool
) -> list[_Enterprise]:
    codes = _tax_codes(rng)
    specs = list(ENTERPRISES)
    if large:
        count = max(8, workers // 250)
        specs = []
        for i in range(count):
            name, sector, _, women = ENTERPRISES[i % len(ENTERPRISES)]
            place = OTHER_NAMES[i % len(OTHER_NAMES)]
            specs.append((f"{name.rsplit(' ', 2)[0]} {place} số {i + 1}", sector, 1 / count, women))
    created = []
    for i, (name, sector, share, women) in enumerate(specs):
        commune = communes[i % len(communes)]
        row = {
            "name": name,
            "tax_code": next(codes),
            "commune_id": commune.id,
            "address": f"Thôn {rng.randint(1, 12)}, {commune.name}, tỉnh Thanh Hóa",
            "sector": sector,
            "union_branch": "Công đoàn cơ sở " + name.split(" ", 3)[-1],
            "is_active": True,
            "search_name": fold(name),
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
        new_id = session.execute(insert(Enterprise).returning(Enterprise.id), [row]).scalar_one()
        created.append(_Enterprise(new_id, commune.id, share, women))
    return created


@dataclass(slots=True)
class _Worker:
    id: int
    enterprise_id: int
    start: date
    end: date | None
    birth: date
    tokens: list[str]
    sort_key: bytes


def _create_workers(
    session: Session, rng: random.Random, enterprises: list[_Enterprise], count: int
) -> list[_Worker]:
    family = _weighted(rng, names.FAMILY)
    middle = {MALE: _weighted(rng, names.MIDDLE_MALE), FEMALE: _weighted(rng, names.MIDDLE_FEMALE)}
    given = {MALE: _weighted(rng, names.GIVEN_MALE), FEMALE: _weighted(rng, names.GIVEN_FEMALE)}
    weights = list(accumulate(e.share for e in enterprises))
    provinces = ["038"] * 90 + ["040"] * 5 + ["037"] * 3 + ["036"] * 2
    planned: list[_Worker] = []
    now = utcnow()

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(count):
            enterprise = rng.choices(enterprises, cum_weights=weights)[0]
            sex = FEMALE if rng.random() < enterprise.women else MALE
            birth = date(rng.randint(1968, 2006), rng.randint(1, 12), rng.randint(1, 28))
            fam, mid, giv = family(), middle[sex](), given[sex]()
            full = join_name(fam, mid, giv)
            start = max(
                date(birth.year + 18, birth.month, birth.day),
                date(rng.randint(2012, 2026), rng.randint(1, 12), rng.randint(1, 28)),
            )
            start = min(start, LAST_DAY - timedelta(days=30))
            end = None
            if rng.random() < 0.08:
                end = min(start + timedelta(days=rng.randint(120, 1500)), LAST_DAY)
            key = person_sort_key(fam, mid, giv)
            planned.append(
                _Worker(0, enterprise.id, start, end, birth, tokens_of(fam, mid, giv), key)
            )
            yield {
                "family_name": fam,
                "middle_name": mid,
                "given_name": giv,
                "full_name": full,
                "search_name": fold(full),
                "sort_key": key,
                "sex": sex,
                "birth_date": birth,
                "birth_year_only": False,
                "citizen_id": make_citizen_id(rng.choice(provinces), birth.year, sex, i),
                "citizen_id_legacy": False,
                "phone": f"0{rng.choice('389')}{rng.randrange(10**8):08d}",
                "union_member": rng.random() < 0.85,
                "current_enterprise_id": None if end else enterprise.id,
                "created_at": now,
                "updated_at": now,
            }

    first_id = (session.scalar(select(func.max(Worker.id))) or 0) + 1
    for batch in _batches(rows()):
        session.execute(insert(Worker.__table__), batch)
    if session.scalar(select(func.max(Worker.id))) != first_id + count - 1:
        raise RuntimeError("Worker ids are not consecutive; load the demo into an empty database.")
    for offset, worker in enumerate(planned):
        worker.id = first_id + offset
    for batch in _batches(
        {"token": token, "sort_key": w.sort_key, "worker_id": w.id}
        for w in planned
        for token in w.tokens
    ):
        session.execute(insert(WorkerNameToken.__table__), batch)
    for batch in _batches(
        {
            "worker_id": w.id,
            "enterprise_id": w.enterprise_id,
            "start_date": w.start,
            "end_date": w.end,
            "position": "",
            "created_at": now,
        }
        for w in planned
    ):
        session.execute(insert(Employment.__table__), batch)
    return planned


def _activity_row(
    title, area, form, kind, organiser, commune_id, enterprise_id, start, days, hours
):
    return {
        "title": title,
        "search_title": fold(title),
        "area": area,
        "form": form,
        "organiser_kind": kind,
        "organiser": organiser,
        "commune_id": commune_id,
        "enterprise_id": enterprise_id,
        "start_date": start,
        "end_date": start + timedelta(days=days - 1),
        "hours": hours,
        "location": "",
        "description": "",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }


def _create_learning(
    session: Session,
    rng: random.Random,
    home: Commune,
    enterprises: list[_Enterprise],
    workers: list[_Worker],
) -> tuple[int, int]:
    staff: dict[int, list[_Worker]] = {}
    for worker in workers:
        staff.setdefault(worker.enterprise_id, []).append(worker)
    activity_count = 0
    participation_count = 0
    commune_name = home.short_name

    def employed(worker: _Worker, day: date) -> bool:
        return worker.start <= day and (worker.end is None or worker.end >= day)

    def record(activity_id: int, row: dict, people: list[_Worker], share: float, results=None):
        nonlocal participation_count
        day = row["start_date"]
        if day > LAST_DAY:
            return []
        chosen = [w for w in people if employed(w, day) and rng.random() < share]
        rows = []
        for worker in chosen:
            hours = row["hours"] if rng.random() < 0.9 else max(1, row["hours"] // 2)
            rows.append(
                {
                    "activity_id": activity_id,
                    "worker_id": worker.id,
                    "attended_on": day,
                    "hours": hours,
                    "completed": hours == row["hours"],
                    "result": results(worker) if results else "",
                    "note": "",
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                }
            )
        for batch in _batches(iter(rows)):
            session.execute(insert(Participation.__table__), batch)
        participation_count += len(rows)
        return chosen

    def add(row: dict) -> int:
        nonlocal activity_count
        activity_count += 1
        return session.execute(insert(Activity).returning(Activity.id), [row]).scalar_one()

    for year in YEARS:
        growth = 1 + 0.08 * (year - YEARS[0])
        for enterprise in enterprises:
            people = staff.get(enterprise.id, [])
            for title, area, form, hours, share in YEARLY_ACTIVITIES:
                start = date(year, rng.randint(2, 10), rng.randint(1, 25))
                days = 1 if hours <= 6 else max(2, hours // 8)
                row = _activity_row(
                    f"{title} năm {year}", area, form, OrganiserKind.ENTERPRISE,
                    "Công đoàn cơ sở và doanh nghiệp", enterprise.commune_id, enterprise.id,
                    start, days, hours,
                )
                if start <= LAST_DAY:
                    record(add(row), row, people, min(0.97, share * growth))
        everyone = [w for e in enterprises if e.commune_id == home.id for w in staff.get(e.id, [])]
        week = _activity_row(
            f"Tuần lễ hưởng ứng học tập suốt đời năm {year}", Area.LIFE, ActivityForm.EVENT,
            OrganiserKind.COMMUNE, f"UBND xã {commune_name}", home.id, None,
            date(year, 10, 1), 7, 4,
        )
        if week["start_date"] <= LAST_DAY:
            record(add(week), week, everyone, 0.35 * growth)
        reading = _activity_row(
            f"Ngày Sách và Văn hóa đọc Việt Nam năm {year}", Area.LAW, ActivityForm.READING,
            OrganiserKind.UNION, f"Công đoàn xã {commune_name}", home.id, None,
            date(year, 4, 21), 1, 2,
        )
        record(add(reading), reading, everyone, 0.2 * growth)
        prizes = iter(["Giải Nhất", "Giải Nhì", "Giải Nhì", "Giải Ba", "Giải Ba", "Giải Ba"])
        contest = _activity_row(
            f"Hội thi «Bàn tay vàng» năm {year}", Area.SKILL, ActivityForm.COMPETITION,
            OrganiserKind.UNION, f"Công đoàn xã {commune_name}", home.id, None,
            date(year, 5, 15), 2, 16,
        )
        record(
            add(contest), contest, everyone, 0.03,
            results=lambda _w, prizes=prizes: next(prizes, "Giải Khuyến khích"),
        )
    return activity_count, participation_count


def _create_users(session: Session, home: Commune, enterprises: list[_Enterprise]) -> None:
    province = session.scalar(select(Province).where(Province.code == DEMO_PROVINCE))
    accounts = [
        ("admin", "Quản trị hệ thống", Role.ADMIN, {}),
        ("lddl.tinh", "Cán bộ LĐLĐ tỉnh Thanh Hóa", Role.PROVINCE, {"province_id": province.id}),
        ("canbo.xa", "Nguyễn Thị Hồng", Role.COMMUNE, {"commune_id": home.id}),
        ("dn.maysaovang", "Lê Văn Tâm", Role.ENTERPRISE, {"enterprise_id": enterprises[0].id}),
        ("dn.giayalena", "Trịnh Thị Mai", Role.ENTERPRISE, {"enterprise_id": enterprises[1].id}),
    ]
    for username, full_name, role, binding in accounts:
        if session.scalar(select(User).where(User.username == username)):
            continue
        user = User(username=username, full_name=full_name, role=role, **binding)
        user.set_password(DEMO_PASSWORD)
        session.add(user)

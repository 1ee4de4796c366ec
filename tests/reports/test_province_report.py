"""The periodic report of a province: figures summed over its served communes (checked against
a row-by-row count in this file), the province's plan, who may open it, web and CLI."""

from __future__ import annotations

import io
import random
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
)
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, ActivityForm, Area, Participation
from registry.plans.models import CountingWindow, Indicator, Plan, PlanLevel, Target
from registry.plans.services import province_unit
from registry.recognition.models import Decision, DecisionEntry, DecisionStatus
from registry.reports import services
from registry.reports.documents import report_file
from registry.reports.models import (
    Channel,
    CommunicationItem,
    Directive,
    FundingSource,
    ReportText,
    Spending,
)
from registry.units.models import Commune, Province
from registry.workers.models import Employment, Worker
from tests.conftest import HOME_COMMUNE, OTHER_COMMUNE
from tests.plans.world import commune_plan

YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
#: The province plan's 2025 targets (the home commune's own plan has stricter ones).
PROVINCE_TARGETS = {"a": 80, "b": 60, "c": 55, "d": 45, "e": 32}


def _far_commune(db) -> Commune:
    """A served commune of another province (Hà Nội): nothing of it belongs in the report."""
    commune = db.scalar(select(Commune).join(Province).where(Province.code == "01")
                        .order_by(Commune.code).limit(1))
    commune.is_served = True
    db.flush()
    return commune


def _recognise(db, worker: Worker, commune: Commune, year: int) -> None:
    decision = Decision(commune_id=commune.id, year=year, status=DecisionStatus.ISSUED,
                        issuing_body="UBND xã", symbol="QĐ-UBND", place="Hoằng Hóa",
                        signer_title="CHỦ TỊCH", signer_name="Lê Văn A")
    db.add(decision)
    db.flush()
    db.add(DecisionEntry(decision_id=decision.id, worker_id=worker.id,
                         full_name=worker.full_name, sort_key=worker.sort_key,
                         birth_year=worker.birth_year, recognised_year=year))


@pytest.fixture
def province(db, make):
    """Thanh Hóa with two served communes (home, other), a province plan, a stricter home
    plan, 48 workers (moves between the two communes, departures, archiving, an archived
    enterprise), participations over two years, titles, the activity log and commendations of
    both communes; the same kinds of records in a Hà Nội commune that must not be counted."""
    rng = random.Random(38)
    home, other, far = make.commune(), make.commune(OTHER_COMMUNE), _far_commune(db)
    thanh_hoa = db.get(Province, home.province_id)
    plan = Plan(level=PlanLevel.PROVINCE, province_id=thanh_hoa.id,
                issuing_body="UBND tỉnh Thanh Hóa", number="55/KH-UBND",
                issued_on=date(2023, 3, 1), title="Kế hoạch của tỉnh", start_year=2023,
                end_year=2030, counting_window=CountingWindow.YEAR)
    for letter, percent in PROVINCE_TARGETS.items():
        plan.targets.append(Target(indicator=Indicator(letter), year=2025,
                                   percent=Decimal(percent)))
    db.add(plan)
    commune_plan(make)  # the home commune's own plan: not the province report's targets
    a = make.enterprise(name="Doanh nghiệp A")
    b = make.enterprise(name="Doanh nghiệp B", commune=OTHER_COMMUNE)
    z = make.enterprise(name="Doanh nghiệp Z đã lưu trữ")
    z.archived_at = utcnow()
    f = make.enterprise(name="Doanh nghiệp Hà Nội", commune=far.code)
    activities = []
    for year in (YEAR - 1, YEAR):
        for area in Area:
            for enterprise, code in ((a, None), (b, None), (None, HOME_COMMUNE),
                                     (None, OTHER_COMMUNE), (f, None)):
                activities.append(make.activity(
                    enterprise, area=area, start=date(year, rng.randint(1, 12), 12),
                    title=f"{area.label} {year}", commune=code or HOME_COMMUNE))
    gone = make.activity(a, area=Area.DIGITAL, start=date(YEAR, 6, 1), title="Đã lưu trữ")
    gone.archived_at = utcnow()
    workers = []
    for n in range(48):
        home_enterprise = [a, b, z, f][n % 4]
        end = date(2024, 6, 30) if n % 7 == 0 else None
        worker = make.worker(home_enterprise, given=f"Người{n}",
                             start=date(2020 + n % 4, 3, 1), end=end)
        if n % 5 == 1 and end is None and home_enterprise in (a, b):  # A↔B on 1/7/2025
            moved = make.session.scalar(select(Employment).where(
                Employment.worker_id == worker.id))
            moved.end_date = date(YEAR, 6, 30)
            target = b if home_enterprise is a else a
            db.add(Employment(worker_id=worker.id, enterprise_id=target.id,
                              start_date=date(YEAR, 7, 1)))
            worker.current_enterprise_id = target.id
        if n % 11 == 3:
            worker.archived_at = utcnow()
        workers.append(worker)
    db.flush()
    for worker in workers:
        for activity in rng.sample(activities, 5) + ([gone] if rng.random() < 0.3 else []):
            db.add(Participation(activity_id=activity.id, worker_id=worker.id,
                                 attended_on=activity.start_date, hours=activity.hours,
                                 archived_at=utcnow() if rng.random() < 0.1 else None))
    contest = make.activity(b, area=Area.SKILL, form=ActivityForm.COMPETITION,
                            start=date(YEAR, 5, 15), title="Hội thi Bàn tay vàng")
    make.participation(contest, workers[1], result="Giải Nhất")
    for worker in workers[::5]:
        _recognise(db, worker, home, YEAR)
    _recognise(db, workers[2], other, YEAR - 1)

    def log(model, commune, **values):
        db.add(model(commune_id=commune.id, **values))

    for commune, channel, count in ((home, Channel.RADIO, 5), (home, Channel.FACEBOOK, 5),
                                    (other, Channel.ZALO, 3), (other, Channel.WEBSITE, 1),
                                    (far, Channel.RADIO, 7)):
        log(CommunicationItem, commune, published_on=date(YEAR, 4, 1), channel=channel,
            title="Tin", count=count)
    log(Directive, home, number="107/KH-UBND", issued_on=date(YEAR, 4, 11),
        title="Kế hoạch học tập suốt đời năm 2025")
    log(CommunicationItem, other, published_on=date(YEAR - 1, 4, 1), channel=Channel.RADIO,
        title="Năm trước", count=9)
    for commune, source, amount, archived in (
            (home, FundingSource.COMMUNE, 5_600_000, None),
            (other, FundingSource.UNION, 2_400_000, None),
            (other, FundingSource.ENTERPRISE, 1_000_000, None),
            (home, FundingSource.OTHER, 777_000, utcnow()),
            (far, FundingSource.COMMUNE, 9_999_000, None)):
        log(Spending, commune, spent_on=date(YEAR, 10, 5), source=source, amount=amount,
            purpose="Tuần lễ học tập suốt đời", archived_at=archived)
    for commune, enterprise, entries in (
            (home, a, [(EntryKind.WORKER, EntryStatus.APPROVED),
                       (EntryKind.WORKER, EntryStatus.APPROVED),
                       (EntryKind.WORKER, EntryStatus.PROPOSED)]),
            (other, b, [(EntryKind.CHILD, EntryStatus.APPROVED)]),
            (far, f, [(EntryKind.WORKER, EntryStatus.APPROVED)])):
        round_ = CommendationRound(commune_id=commune.id, title="Biểu dương", year=YEAR,
                                   issuing_body="UBND xã", decision_date=date(YEAR, 12, 1))
        db.add(round_)
        db.flush()
        for k, (kind, status) in enumerate(entries):
            worker = workers[k]
            child = kind == EntryKind.CHILD
            db.add(CommendationEntry(round_id=round_.id, kind=kind, worker_id=worker.id,
                                     enterprise_id=enterprise.id, reason="Gương học tập",
                                     status=status, child_name="Lê Minh Anh" if child else "",
                                     child_birth_year=2006 if child else None, amount=500_000))
    db.flush()
    return {"province": thanh_hoa, "home": home, "other": other}


def count_rates(db, communes: set[int], year: int) -> tuple[int, dict[Indicator, int]]:
    """The definition of the five counts, applied row by row in Python."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    enterprises = {e.id for e in db.scalars(select(Enterprise))
                   if e.commune_id in communes and e.archived_at is None}
    workers = {w.id: w for w in db.scalars(select(Worker))}
    counted = {e.worker_id for e in db.scalars(select(Employment))
               if e.enterprise_id in enterprises and e.start_date <= last
               and (e.end_date is None or e.end_date >= first)
               and workers[e.worker_id].archived_at is None}
    activities = {a.id: a for a in db.scalars(select(Activity))}
    reached = {i: set() for i in Indicator}
    for p in db.scalars(select(Participation)):
        activity = activities[p.activity_id]
        if (p.worker_id in counted and p.archived_at is None and activity.archived_at is None
                and first <= p.attended_on <= last):
            reached[next(i for i in Indicator if i.area == activity.area)].add(p.worker_id)
    for entry in db.scalars(select(DecisionEntry)):
        decision = db.get(Decision, entry.decision_id)
        if (decision.year == year and decision.status == DecisionStatus.ISSUED
                and entry.worker_id in counted and entry.removed_at is None
                and entry.revoked_at is None):
            reached[Indicator.E].add(entry.worker_id)
    return len(counted), {i: len(s) for i, s in reached.items()}


def percent(reached: int, workers: int) -> str:
    """ "37,5%" as the report prints a rate."""
    value = (Decimal(reached * 100) / workers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def expected_figures(db, world) -> dict:
    """What the province report must print, counted here from the rows."""
    province = world["province"]
    in_province = {c.id for c in db.scalars(select(Commune).where(
        Commune.province_id == province.id))}
    channels = {channel: 0 for channel in Channel}
    for item in db.scalars(select(CommunicationItem)):
        if item.commune_id in in_province and item.archived_at is None \
                and START <= item.published_on <= END:
            channels[item.channel] += item.count
    by_source = {source: 0 for source in FundingSource}
    by_commune: dict[int, int] = {}
    for item in db.scalars(select(Spending)):
        if item.commune_id in in_province and item.archived_at is None \
                and START <= item.spent_on <= END:
            by_source[item.source] += item.amount
            by_commune[item.commune_id] = by_commune.get(item.commune_id, 0) + item.amount
    kinds = {EntryKind.WORKER: 0, EntryKind.CHILD: 0}
    for entry in db.scalars(select(CommendationEntry)):
        round_ = db.get(CommendationRound, entry.round_id)
        if round_.commune_id in in_province and entry.status == EntryStatus.APPROVED:
            kinds[entry.kind] += 1
    return {
        "rates": count_rates(db, in_province, YEAR),
        "communes": {c: count_rates(db, {world[c].id}, YEAR) for c in ("home", "other")},
        "channels": channels, "by_source": by_source, "by_commune": by_commune,
        "kinds": kinds, "winner": db.scalar(select(Worker.full_name).join(
            Participation, Participation.worker_id == Worker.id).where(
            Participation.result == "Giải Nhất")),
    }


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def expected_texts(db, world) -> tuple[list[str], list[list[str]]]:
    """Sentences the text must contain and rows the tables must contain."""
    figures = expected_figures(db, world)
    ch, src = figures["channels"], figures["by_source"]
    home, other = world["home"], world["other"]
    total = sum(src.values())
    sentences = [
        "Phạm vi báo cáo: tỉnh Thanh Hóa, tổng hợp số liệu của 02 xã, phường sử dụng Sổ học "
        f"tập suốt đời: {home.name}, {other.name}.",
        f"đài truyền thanh các xã, phường: {ch[Channel.RADIO]:02d} tin, bài; fb, zalo: "
        f"{ch[Channel.FACEBOOK] + ch[Channel.ZALO]} lượt; trang thông tin điện tử: "
        f"{ch[Channel.WEBSITE]:02d} bài",
        f"biểu dương {figures['kinds'][EntryKind.WORKER]:02d} công nhân và "
        f"{figures['kinds'][EntryKind.CHILD]:02d} cháu là con công nhân lao động",
        f"Tổng kinh phí trong kỳ: {money(total)} (Chín triệu đồng), trong đó: ngân sách xã "
        f"{money(src[FundingSource.COMMUNE])}; công đoàn {money(src[FundingSource.UNION])}; "
        f"doanh nghiệp {money(src[FundingSource.ENTERPRISE])}.",
        f"{home.name}: {money(figures['by_commune'][home.id])}.",
        f"{other.name}: {money(figures['by_commune'][other.id])}.",
        f"- {home.name}: Kế hoạch học tập suốt đời năm 2025 (số 107/KH-UBND ngày 11/04/2025).",
        f"{other.name}: Hội thi Bàn tay vàng (15/05/2025): 1 người tham gia; đạt giải: "
        f"{figures['winner']} (Giải Nhất).",
    ]
    workers, reached = figures["rates"]
    rows = [[f"{i.value}) {i.label}", str(reached[i]), str(workers),
             percent(reached[i], workers), f"{PROVINCE_TARGETS[i.value]},0%"] for i in Indicator]
    for key in ("home", "other"):
        n, counts = figures["communes"][key]
        rows.append([world[key].name, str(n), *[percent(counts[i], n) for i in Indicator]])
    return sentences, rows


def test_province_figures_match_a_row_by_row_count(db, make, province):
    """Rates, log counts, spending by source and commendations of the province equal the
    count over both communes (another province's records and archived ones left out)."""
    data = services.collect(db, province_unit(province["province"]), START, END)
    figures = expected_figures(db, province)
    workers, reached = figures["rates"]
    assert workers > 15 and 0 < reached[Indicator.E] < workers  # the seed is not degenerate
    assert [(s.workers, s.reached) for s in data.standings] == [
        (workers, reached[i]) for i in Indicator]
    assert [s.target for s in data.standings] == [Decimal(PROVINCE_TARGETS[i.value])
                                                  for i in Indicator]
    assert data.communication == figures["channels"]
    assert data.spending == figures["by_source"]
    assert data.spending_total == 9_000_000
    assert (data.commended_workers, data.commended_children) == (2, 1)
    assert [c.name for c in data.communes] == [province["home"].name, province["other"].name]
    moved_both = {line.commune.code: line.counts.workers for line in data.by_commune}
    assert moved_both == {c: figures["communes"][k][0]
                          for k, c in (("home", HOME_COMMUNE), ("other", OTHER_COMMUNE))}
    assert sum(moved_both.values()) > workers  # movers count in both communes, once in total


def test_province_docx_holds_the_figures(db, make, province):
    """The DOCX names the province and its communes, and its paragraphs and table cells hold
    the counted figures and the province plan's targets."""
    data = services.collect(db, province_unit(province["province"]), START, END)
    document = docx.Document(io.BytesIO(report_file(data, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    table_rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    cells = {c for row in table_rows for c in row}
    sentences, rows = expected_texts(db, province)
    for sentence in sentences:
        assert sentence in text
    for row in rows:
        assert any(row == found[-len(row) - 1:-1] or row == found[-len(row):]
                   for found in table_rows), row
    assert "9.999.000 đồng" not in text and "777.000" not in text
    assert "LIÊN ĐOÀN LAO ĐỘNG\nTỈNH THANH HÓA" in cells or any(
        "TỈNH THANH HÓA" in c and "LIÊN ĐOÀN LAO ĐỘNG" in c for c in cells)
    assert any("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM" in c for c in cells)
    assert any("BC-LĐLĐ" in c for c in cells)
    assert "UBND xã" not in text.split("III.")[-1]  # the closing sentence names the province


def test_province_pdf_text_holds_the_figures(db, make, province, tmp_path):
    """pdftotext of the province PDF finds the same sentences and every table figure."""
    data = services.collect(db, province_unit(province["province"]), START, END)
    path = tmp_path / "tinh.pdf"
    path.write_bytes(report_file(data, "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    sentences, rows = expected_texts(db, province)
    for sentence in sentences:
        assert sentence in flat
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for row in rows:
        # Each table row's figures stand on one line, in order, after the row's label.
        figures = " ".join(row[1:])
        assert any(figures in line for line in lines), row
    assert "LIÊN ĐOÀN LAO ĐỘNG" in flat and "TỈNH THANH HÓA" in flat


ACCESS = [
    # (role, home commune of the user, URL, expected status)
    (Role.PROVINCE, HOME_COMMUNE, "/bao-cao?don_vi=tinh-38", 200),
    (Role.PROVINCE, HOME_COMMUNE, "/bao-cao/tai-ve?don_vi=tinh-38&dinh_dang=pdf", 200),
    (Role.PROVINCE, HOME_COMMUNE, f"/bao-cao?don_vi=xa-{OTHER_COMMUNE}", 200),
    (Role.PROVINCE, HOME_COMMUNE, "/bao-cao?don_vi=tinh-01", 404),
    (Role.PROVINCE, "far", "/bao-cao?don_vi=tinh-38", 404),
    (Role.PROVINCE, "far", "/bao-cao/tai-ve?don_vi=tinh-38", 404),
    (Role.COMMUNE, HOME_COMMUNE, "/bao-cao?don_vi=tinh-38", 404),
    (Role.COMMUNE, HOME_COMMUNE, "/bao-cao/tai-ve?don_vi=tinh-38&dinh_dang=docx", 404),
    (Role.COMMUNE, HOME_COMMUNE, f"/bao-cao?don_vi=xa-{OTHER_COMMUNE}", 404),
    (Role.COMMUNE, HOME_COMMUNE, f"/bao-cao?don_vi=xa-{HOME_COMMUNE}", 200),
    (Role.ENTERPRISE, HOME_COMMUNE, "/bao-cao?don_vi=tinh-38", 403),
    (Role.ENTERPRISE, HOME_COMMUNE, "/bao-cao/tai-ve?don_vi=tinh-38", 403),
    (Role.ADMIN, HOME_COMMUNE, "/bao-cao?don_vi=tinh-38", 200),
    (Role.ADMIN, HOME_COMMUNE, "/bao-cao/tai-ve?don_vi=tinh-38&dinh_dang=docx", 200),
]


@pytest.mark.parametrize(("role", "where", "url", "status"), ACCESS)
def test_who_may_open_a_province_report(client, make, db, login_as, role, where, url, status):
    """A provincial officer opens their province's report only; commune officers only their
    commune's; enterprise officers none."""
    if where == "far":
        where = _far_commune(db).code
    login_as(role, commune=where)
    assert client.get(url).status_code == status


def test_province_officer_lands_on_the_province_report(client, login_as, province, db):
    """Without ?don_vi a provincial officer sees the province report with its commune table;
    the download is the province's."""
    login_as(Role.PROVINCE)
    page = client.get("/bao-cao", query_string={"tu": "2025-01-01", "den": "2025-12-31"})
    body = page.get_data(as_text=True)
    assert "Báo cáo kết quả thực hiện — tỉnh Thanh Hóa" in body
    assert 'id="commune-rates"' in body and province["other"].name in body
    download = client.get("/bao-cao/tai-ve", query_string={
        "don_vi": "tinh-38", "tu": "2025-01-01", "den": "2025-12-31", "dinh_dang": "docx"})
    assert "tinh-38" in download.headers["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert "9.000.000 đồng" in text


def _docx_text(response) -> str:
    document = docx.Document(io.BytesIO(response.data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_province_officer_keeps_the_province_report_texts(client, login_as, province, db):
    """The provincial officer writes the province report's prose: it is kept for the next
    time and printed in the document; the communes' texts and the province's stay apart."""
    login_as(Role.COMMUNE)
    assert client.post(f"/bao-cao?don_vi=xa-{HOME_COMMUNE}",
                       data={"proposals": "Đề xuất của xã"}).status_code == 302
    login_as(Role.PROVINCE)
    response = client.post("/bao-cao?don_vi=tinh-38", data={
        "proposals": "Đề nghị Tổng Liên đoàn hỗ trợ tài liệu", "signer_name": "Lê Văn Tỉnh"})
    assert response.status_code == 302
    page = client.get("/bao-cao?don_vi=tinh-38").get_data(as_text=True)
    assert "Đề nghị Tổng Liên đoàn hỗ trợ tài liệu" in page
    assert "Đề xuất của xã" not in page
    text = _docx_text(client.get("/bao-cao/tai-ve", query_string={
        "don_vi": "tinh-38", "dinh_dang": "docx"}))
    assert "Đề nghị Tổng Liên đoàn hỗ trợ tài liệu" in text and "Lê Văn Tỉnh" in text
    commune_page = client.get(f"/bao-cao?don_vi=xa-{HOME_COMMUNE}").get_data(as_text=True)
    assert "Đề xuất của xã" in commune_page
    assert "Đề nghị Tổng Liên đoàn" not in commune_page
    # The commune's texts are shown read-only to the province, with the reason.
    assert "Chỉ cán bộ của xã, phường này viết và lưu nội dung" in commune_page
    assert "Lưu nội dung</button>" not in commune_page and "Lưu nội dung</button>" in page
    rows = db.execute(select(ReportText.commune_id, ReportText.province_id).where(
        ReportText.key == "proposals")).all()
    assert sorted(rows, key=str) == sorted(
        [(None, province["province"].id), (db.scalar(select(Commune.id).where(
            Commune.code == HOME_COMMUNE)), None)], key=str)


@pytest.mark.parametrize(("role", "where", "unit", "status"), [
    (Role.PROVINCE, HOME_COMMUNE, f"xa-{HOME_COMMUNE}", 403),  # reads communes, writes not
    (Role.PROVINCE, "far", "tinh-38", 404),
    (Role.COMMUNE, HOME_COMMUNE, "tinh-38", 404),
    (Role.ENTERPRISE, HOME_COMMUNE, "tinh-38", 403),
])
def test_who_may_not_save_report_texts(client, login_as, province, db, role, where, unit,
                                       status):
    """Only a unit's own officers keep its texts; a refused POST keeps nothing."""
    if where == "far":
        where = _far_commune(db).code
    login_as(role, commune=where)
    response = client.post(f"/bao-cao?don_vi={unit}", data={"proposals": "Không được lưu"})
    assert response.status_code == status
    assert db.scalar(select(func.count()).select_from(ReportText)) == 0


def test_admin_saves_texts_on_a_province_report(client, login_as, province, db):
    """An admin may keep a province's texts too; an over-long one is refused by name."""
    login_as(Role.ADMIN)
    too_long = client.post("/bao-cao?don_vi=tinh-38", data={"proposals": "x" * 20_001})
    assert too_long.status_code == 200
    assert db.scalar(select(func.count()).select_from(ReportText)) == 0
    response = client.post("/bao-cao?don_vi=tinh-38", data={"proposals": "Đề xuất tỉnh"})
    assert response.status_code == 302
    assert "Đề xuất tỉnh" in client.get("/bao-cao?don_vi=tinh-38").get_data(as_text=True)


def test_cli_generates_a_province_report(runner, province, tmp_path):
    """flask report generate --unit 38 writes the province's report; unknown codes are named."""
    out = tmp_path / "tinh.docx"
    result = runner.invoke(args=["report", "generate", "--unit", "38", "--from", "2025-01-01",
                                 "--to", "2025-12-31", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tỉnh Thanh Hóa" in result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Tổng kinh phí trong kỳ: 9.000.000 đồng" in text
    for code, message in (("99", "Không có tỉnh mã 99"),
                          ("2800000001", "Báo cáo định kỳ được lập cho một tỉnh")):
        wrong = runner.invoke(args=["report", "generate", "--unit", code, "--from",
                                    "2025-01-01", "--to", "2025-12-31", "-o", str(out)])
        assert wrong.exit_code != 0 and message in wrong.output, wrong.output


def test_province_without_served_commune_gives_zeros_and_says_so(db):
    """A province none of whose communes uses the registry still gets a report of zeros."""
    hanoi = db.scalar(select(Province).where(Province.code == "01"))
    data = services.collect(db, province_unit(hanoi), START, END)
    assert data.is_empty and data.communes == [] and data.spending_total == 0
    document = docx.Document(io.BytesIO(report_file(data, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "chưa có xã, phường nào của tỉnh sử dụng Sổ học tập suốt đời" in text
    assert "chưa có số liệu nào" in text

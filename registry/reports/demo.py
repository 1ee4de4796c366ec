"""Demo data of the activity log and of a commendation round, for the demo commune."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
    RoundStatus,
)
from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, ActivityForm, Participation
from registry.plans import demo as plans_demo
from registry.reports.models import (
    Channel,
    CommunicationItem,
    Directive,
    Event,
    FundingSource,
    Spending,
)
from registry.units.models import Commune
from registry.workers.models import Worker

YEARS = (2023, 2024, 2025, 2026)


def seed(session: Session, commune: Commune) -> None:
    """The commune's plan, four years of communication, directives, events and spending, and
    the 2025 commendation round (two workers, two children of workers)."""
    plans_demo.seed(session, commune)
    name = f"{commune.division_type} {commune.short_name}"
    for year in YEARS:
        last = 11 if year == 2026 else 12
        session.add_all([
            CommunicationItem(commune_id=commune.id, published_on=date(year, 3, 15),
                              channel=Channel.RADIO, count=3,
                              title="Tin tuyên truyền học tập suốt đời trên đài truyền thanh"),
            CommunicationItem(commune_id=commune.id, published_on=date(year, 10, 2),
                              channel=Channel.RADIO, count=2,
                              title="Tin về Tuần lễ hưởng ứng học tập suốt đời"),
            CommunicationItem(commune_id=commune.id, published_on=date(year, 9, 28),
                              channel=Channel.FACEBOOK, count=5,
                              title="Bài đăng trang Công đoàn xã"),
            CommunicationItem(commune_id=commune.id, published_on=date(year, 9, 29),
                              channel=Channel.ZALO, count=3, title="Tin nhóm Zalo công nhân"),
            CommunicationItem(commune_id=commune.id, published_on=date(year, 10, 8),
                              channel=Channel.WEBSITE, count=1,
                              title="Bài tổng kết Tuần lễ học tập suốt đời"),
            Directive(commune_id=commune.id, number=f"{20 + year % 10}/KH-UBND",
                      issued_on=date(year, 3, 10),
                      title=f"Kế hoạch đẩy mạnh các hoạt động học tập suốt đời trong CNLĐ tại "
                            f"các doanh nghiệp năm {year}"),
            Directive(commune_id=commune.id, number=f"0{year % 10}/KH-TTHTCĐ",
                      issued_on=date(year, 9, 20),
                      title=f"Kế hoạch tổ chức Tuần lễ hưởng ứng học tập suốt đời năm {year}"),
            Event(commune_id=commune.id, start_date=date(year, 10, 1),
                  end_date=date(year, 10, 7),
                  title=f"Tuần lễ hưởng ứng học tập suốt đời năm {year}"),
            Spending(commune_id=commune.id, spent_on=date(year, 10, 5),
                     source=FundingSource.COMMUNE, amount=5_600_000,
                     purpose="Tổ chức “Tuần lễ học tập suốt đời” gắn với khai giảng trung tâm "
                             "học tập cộng đồng"),
            Spending(commune_id=commune.id, spent_on=date(year, last, 10),
                     source=FundingSource.UNION, amount=3_000_000,
                     purpose=f"Thưởng hội thi «Bàn tay vàng» của Công đoàn {name}"),
        ])
    enterprises = list(session.scalars(
        select(Enterprise).where(Enterprise.commune_id == commune.id).order_by(Enterprise.id)
        .limit(2)))
    for enterprise in enterprises:
        session.add(Spending(commune_id=commune.id, spent_on=date(2025, 6, 30),
                             source=FundingSource.ENTERPRISE, amount=25_000_000,
                             enterprise_id=enterprise.id,
                             purpose="Đào tạo nâng bậc thợ cho công nhân"))
    _commendations(session, commune, name)
    session.flush()


def _commendations(session: Session, commune: Commune, name: str) -> None:
    """Two prize winners of the 2025 contest and two children admitted to university."""
    winners = session.execute(
        select(Worker, Participation.result)
        .join(Participation, Participation.worker_id == Worker.id)
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Activity.commune_id == commune.id, Activity.form == ActivityForm.COMPETITION,
               Activity.start_date.between(date(2025, 1, 1), date(2025, 12, 31)),
               Participation.result.in_(("Giải Nhất", "Giải Nhì")),
               Worker.current_enterprise_id.is_not(None))
        .order_by(Participation.result.desc(), Worker.id).limit(2)).all()
    if not winners:
        return
    round_ = CommendationRound(
        commune_id=commune.id, year=2025, issuing_body=f"UBND {name}",
        title="Biểu dương, khen thưởng công nhân lao động và con công nhân lao động hiếu học",
        decision_number="112/QĐ-UBND", decision_date=date(2025, 12, 22),
        signer_name="Lê Văn Phượng", signer_title="Phó Chủ tịch", status=RoundStatus.APPROVED)
    session.add(round_)
    session.flush()
    for worker, result in winners:
        session.add(CommendationEntry(
            round_id=round_.id, kind=EntryKind.WORKER, worker_id=worker.id,
            enterprise_id=worker.current_enterprise_id, amount=500_000,
            reason=f"{result} hội thi «Bàn tay vàng» năm 2025", status=EntryStatus.APPROVED))
    parents = session.scalars(
        select(Worker).where(Worker.current_enterprise_id.in_(
            select(Enterprise.id).where(Enterprise.commune_id == commune.id)),
            Worker.birth_date <= date(1982, 12, 31)).order_by(Worker.id).limit(2)).all()
    for parent, (child, school) in zip(parents, (
            ("Minh Anh", "Đỗ Trường Đại học Bách khoa Hà Nội"),
            ("Bảo Ngọc", "Đỗ Trường Đại học Y Hà Nội")), strict=False):
        session.add(CommendationEntry(
            round_id=round_.id, kind=EntryKind.CHILD, worker_id=parent.id,
            enterprise_id=parent.current_enterprise_id, amount=500_000,
            child_name=f"{parent.family_name} {child}", child_birth_year=2007,
            achievement=school, reason="Con công nhân lao động hiếu học",
            status=EntryStatus.APPROVED))

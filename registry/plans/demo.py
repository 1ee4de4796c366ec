"""Demo data of plans: the commune's own plan with the targets of the Hoằng Hợp plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from registry.plans.models import CountingWindow, Indicator, Plan, PlanLevel, Target
from registry.units.models import Commune

#: Targets of the Hoằng Hợp plan (seed 001) for 2025 and 2030, in percent.
COMMUNE_TARGETS = {Indicator.A: (90, 95), Indicator.B: (72, 85), Indicator.C: (65, 85),
                   Indicator.D: (65, 80), Indicator.E: (35, 60)}


def seed(session: Session, commune: Commune) -> Plan:
    """The commune's plan 2023–2030 (the national Decision 1268 ships with the migrations)."""
    plan = Plan(
        level=PlanLevel.COMMUNE, commune_id=commune.id,
        issuing_body=f"UBND {commune.division_type} {commune.short_name}",
        number="152/KH-UBND", issued_on=date(2023, 12, 15),
        title="Triển khai thực hiện Chương trình “Đẩy mạnh các hoạt động học tập suốt đời "
              f"trong công nhân lao động tại các doanh nghiệp đến năm 2030” trên địa bàn "
              f"{commune.division_type} {commune.short_name}",
        start_year=2023, end_year=2030, counting_window=CountingWindow.YEAR,
    )
    for indicator, (by_2025, by_2030) in COMMUNE_TARGETS.items():
        plan.targets.append(Target(indicator=indicator, year=2025, percent=Decimal(by_2025)))
        plan.targets.append(Target(indicator=indicator, year=2030, percent=Decimal(by_2030)))
    session.add(plan)
    session.flush()
    return plan

"""`flask eligibility compute --year 2025 --commune CODE`: the eligibility table in a terminal."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from registry.assessment.eligibility import EligibilityStatus, compute_eligibility
from registry.assessment.rules import format_decimal
from registry.extensions import db
from registry.units.models import Commune


@click.group("eligibility", help="Xét điều kiện công nhận danh hiệu Công dân học tập.")
def eligibility_cli() -> None:
    """Group of eligibility commands."""


@eligibility_cli.command("compute")
@click.option("--year", type=int, required=True, help="Năm đánh giá.")
@click.option("--commune", "commune_code", required=True, help="Mã xã, phường (5 chữ số).")
@click.option("--all", "show_all", is_flag=True, help="Liệt kê cả người chưa đủ điều kiện.")
@with_appcontext
def compute(year: int, commune_code: str, show_all: bool) -> None:
    """Print who is eligible in a commune for a year, with counts (and reasons with --all)."""
    commune = db.session.scalar(select(Commune).where(Commune.code == commune_code.strip()))
    if commune is None:
        raise click.ClickException(f"Không có xã, phường mã {commune_code}.")
    rows = compute_eligibility(db.session, year=year, commune_ids=[commune.id])
    db.session.rollback()
    counts = dict.fromkeys(EligibilityStatus, 0)
    for row in rows:
        counts[row.status] += 1
        if show_all or row.status == EligibilityStatus.ELIGIBLE:
            total = format_decimal(row.total) if row.total is not None else "–"
            line = f"{row.worker_id}\t{row.full_name}\t{row.enterprise_name}\t{total}\t"
            line += row.status.label
            if row.reasons:
                line += "\t" + "; ".join(row.reasons)
            click.echo(line)
    click.echo(
        f"{commune.name}, năm {year}: {len(rows)} người lao động; "
        + ", ".join(f"{status.label}: {count}" for status, count in counts.items())
    )

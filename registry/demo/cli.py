"""`flask demo seed`: load the demo commune (also large datasets for benchmarks)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import text

from registry.cli import command_transaction
from registry.demo import services
from registry.extensions import db

SIGN_IN = (
    "Đăng nhập thử: tài khoản canbo.xa (cán bộ xã), dn.maysaovang (cán bộ doanh nghiệp), "
    f"lddl.tinh (LĐLĐ tỉnh), admin (quản trị); mật khẩu {services.DEMO_PASSWORD}"
)


@click.group("demo", help="Dữ liệu mẫu.")
def demo_cli() -> None:
    """Group of demo commands."""


@demo_cli.command("seed")
@click.option("--workers", default=2000, show_default=True, help="Số người lao động.")
@click.option("--seed", "seed_value", default=2025, show_default=True, help="Hạt giống ngẫu nhiên.")
@click.option("--if-empty", is_flag=True, help="Bỏ qua nếu đã có dữ liệu.")
@with_appcontext
def seed(workers: int, seed_value: int, if_empty: bool) -> None:
    """Build a realistic commune in Thanh Hóa with enterprises, workers and learning."""
    if services.has_data(db.session):
        if if_empty:
            click.echo("Đã có dữ liệu, không nạp dữ liệu mẫu.")
            click.echo(SIGN_IN)
            return
        raise click.ClickException(
            "Cơ sở dữ liệu đã có doanh nghiệp; dữ liệu mẫu chỉ nạp vào CSDL trống."
        )
    if not 1 <= workers <= 1_000_000:
        raise click.BadParameter("từ 1 đến 1.000.000", param_hint="--workers")
    started = time.perf_counter()
    with command_transaction():
        if db.session.get_bind().dialect.name == "sqlite":
            # A million workers' indexes are built at random positions: keep them in memory.
            db.session.execute(text("PRAGMA cache_size=-1000000"))
        result = services.seed(db.session, workers=workers, seed_value=seed_value)
    click.echo(
        f"Đã nạp {result.enterprises} doanh nghiệp, {result.workers} người lao động, "
        f"{result.activities} hoạt động, {result.participations} lượt tham gia "
        f"trong {time.perf_counter() - started:.1f} giây."
    )
    click.echo(SIGN_IN)

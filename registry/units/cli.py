"""`flask units …`: load the catalogue of provinces and communes; choose the communes served."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry.cli import command_transaction
from registry.extensions import db
from registry.units import services


@click.group("units", help="Danh mục đơn vị hành chính (34 tỉnh, ~3.300 xã, phường).")
def units_cli() -> None:
    """Group of unit commands."""


@units_cli.command("load")
@with_appcontext
def load() -> None:
    """Load or refresh the catalogue from the vietnam-provinces package."""
    with command_transaction():
        result = services.load_catalogue(db.session)
    click.echo(
        f"Danh mục đơn vị: thêm {result.provinces_added} tỉnh, {result.communes_added} xã, "
        f"phường; đổi tên {result.renamed}."
    )


@units_cli.command("serve")
@click.argument("codes", nargs=-1, required=True)
@click.option("--off", is_flag=True, help="Thôi phục vụ các xã này.")
@with_appcontext
def serve(codes: tuple[str, ...], off: bool) -> None:
    """Mark communes (by official code) as served by this registry."""
    with command_transaction():
        communes = services.set_served(db.session, list(codes), served=not off)
    for commune in communes:
        click.echo(f"{commune.code} {commune.name}: {'thôi phục vụ' if off else 'đang phục vụ'}")

"""`flask decisions …` and `flask certificates …`: the recognition steps from a terminal.

    flask decisions create --year 2025 --commune 15865 --number 05/QĐ-UBND --date 2026-01-15
    flask decisions issue 12
    flask certificates print --decision 12 -o giay.pdf        (or --zip -o giay.zip)
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from registry.assessment.eligibility import compute_eligibility
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.cli import command_transaction
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.extensions import db
from registry.recognition import printing, services
from registry.recognition.documents import number_symbol
from registry.recognition.models import Decision
from registry.units.models import Commune

#: Commands act with the rights of an administrator.
CLI_SCOPE = Scope(role=Role.ADMIN)


def _settings() -> dict:
    return {key: value for key, value in current_app.config.items()
            if key.startswith("RECOGNITION_")}


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter("dạng YYYY-MM-DD, ví dụ 2026-01-15.") from exc


def _decision(decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise click.ClickException(f"Không có quyết định số {decision_id} trong sổ.")
    return decision


@click.group("decisions", help="Quyết định công nhận danh hiệu Công dân học tập.")
def decisions_cli() -> None:
    """Group of decision commands."""


@decisions_cli.command("create")
@click.option("--year", type=int, required=True, help="Năm công nhận.")
@click.option("--commune", "commune_code", required=True, help="Mã xã, phường (5 chữ số).")
@click.option("--number", default="", help="Số và ký hiệu, ví dụ 05/QĐ-UBND.")
@click.option("--date", "signed_on", default=None, help="Ngày ký, YYYY-MM-DD.")
@click.option("--signer", default=None, help="Họ tên người ký.")
@click.option("--confirm-early", is_flag=True,
              help="Chấp nhận ngày ký trước khi năm được công nhận kết thúc.")
@with_appcontext
def create(year: int, commune_code: str, number: str, signed_on: str | None,
           signer: str | None, confirm_early: bool) -> None:
    """Draft a decision from the eligibility table of a commune and year."""
    commune = db.session.scalar(select(Commune).where(Commune.code == commune_code.strip()))
    if commune is None:
        raise click.ClickException(f"Không có xã, phường mã {commune_code}.")
    data = services.default_data(commune, year, _settings(),
                                 services.criteria_reference(db.session))
    if number:
        registry_number, _, symbol = number.partition("/")
        data.number = registry_number
        data.symbol = symbol or data.symbol
    data.signed_on = _date(signed_on)
    if signer:
        data.signer_name = signer
    with command_transaction():
        rows = compute_eligibility(db.session, year=year, commune_ids=[commune.id])
        created = services.create_decision(db.session, CLI_SCOPE, commune, year, data, rows,
                                           confirm_early=confirm_early)
    click.echo(f"Đã lập dự thảo quyết định #{created.decision.id} "
               f"({number_symbol(created.decision)}) năm {year}: {created.attached} người.")
    if created.skipped_recognised:
        click.echo(f"Không đưa vào {created.skipped_recognised} người đã được công nhận trong "
                   "quyết định khác.")


@decisions_cli.command("issue")
@click.argument("decision_id", type=int)
@click.option("--confirm-early", is_flag=True,
              help="Chấp nhận ngày ký trước khi năm được công nhận kết thúc.")
@with_appcontext
def issue(decision_id: int, confirm_early: bool) -> None:
    """Issue a draft decision and give its people their certificates."""
    with command_transaction():
        decision = _decision(decision_id)
        count = services.issue_decision(
            db.session, CLI_SCOPE, decision, confirm_early=confirm_early,
            serial_format=current_app.config.get("RECOGNITION_SERIAL_FORMAT",
                                                 services.SERIAL_FORMAT),
            base_url=printing.public_base_url())
    click.echo(f"Đã ban hành quyết định {number_symbol(decision)} và cấp {count} giấy chứng "
               "nhận.")


@decisions_cli.command("list")
@click.option("--year", type=int, default=None, help="Chỉ năm này.")
@with_appcontext
def list_decisions(year: int | None) -> None:
    """List the decisions with their state and size."""
    stmt = select(Decision).order_by(Decision.year.desc(), Decision.id)
    if year:
        stmt = stmt.where(Decision.year == year)
    for decision in db.session.scalars(stmt):
        count = services.count_entries(db.session, decision.id)
        click.echo(f"#{decision.id}\t{decision.year}\t{number_symbol(decision)}\t"
                   f"{decision.status.label}\t{count} người\t{decision.commune.name}")


@click.group("certificates", help="Giấy chứng nhận Công dân học tập.")
def certificates_cli() -> None:
    """Group of certificate commands."""


@certificates_cli.command("print")
@click.option("--decision", "decision_id", type=int, required=True, help="Số thứ tự quyết định.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Tệp kết quả (.pdf, hoặc .zip với --zip).")
@click.option("--zip", "as_zip", is_flag=True, help="Mỗi người một PDF, gói trong tệp ZIP.")
@click.option("--enterprise", "tax_code", default=None, help="Chỉ một doanh nghiệp (mã số thuế).")
@with_appcontext
def print_certificates(decision_id: int, output: Path, as_zip: bool,
                       tax_code: str | None) -> None:
    """Print the valid certificates of a decision into one file."""
    decision = _decision(decision_id)
    enterprise_id = None
    if tax_code:
        enterprise = db.session.scalar(select(Enterprise).where(
            Enterprise.tax_code == tax_code.strip()))
        if enterprise is None:
            raise click.ClickException(f"Không có doanh nghiệp mã số thuế {tax_code}.")
        enterprise_id = enterprise.id
    try:
        total = printing.check_batch(db.session, decision, enterprise_id)
    except DomainError as error:
        raise click.ClickException(" ".join(error.messages)) from error
    started = time.perf_counter()
    partial = output.with_name(output.name + ".part")
    with click.progressbar(length=total, label="Đang in") as bar:
        step = {"done": 0}

        def progress(done: int) -> None:
            bar.update(done - step["done"])
            step["done"] = done

        with partial.open("wb") as out:
            count = printing.write_batch(db.session, decision, "zip" if as_zip else "pdf", out,
                                         printing.public_base_url(), enterprise_id, progress)
    partial.replace(output)
    db.session.rollback()
    elapsed = time.perf_counter() - started
    click.echo(f"Đã in {count} giấy chứng nhận vào {output} trong {elapsed:.1f} giây.")

"""`flask report generate`: the periodic report of a province or a commune as DOCX or PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from registry.errors import DomainError
from registry.extensions import db
from registry.plans import services as plans
from registry.reports import services
from registry.reports.documents import report_file


@click.group("report", help="Báo cáo định kỳ.")
def report_cli() -> None:
    """Group of report commands."""


def _day(value: str, option: str):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter(f"ngày «{value}» không đúng dạng YYYY-MM-DD",
                                 param_hint=option) from exc


@report_cli.command("generate")
@click.option("--unit", "code", required=True,
              help="Mã tỉnh (2 chữ số, ví dụ 38) hoặc mã xã, phường (5 chữ số, ví dụ 15865).")
@click.option("--from", "start", required=True, help="Ngày đầu kỳ, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="Ngày cuối kỳ, YYYY-MM-DD.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp kết quả: .docx hoặc .pdf.")
@with_appcontext
def generate(code: str, start: str, end: str, output: Path) -> None:
    """Write the report of a province or a commune for a period."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        raise click.BadParameter("tệp kết quả phải có đuôi .docx hoặc .pdf", param_hint="-o")
    first, last = _day(start, "--from"), _day(end, "--to")
    code = code.strip()
    unit = plans.unit_by_code(db.session, code) if code.isdigit() and len(code) in (2, 5) \
        else None
    if unit is None:
        kind = "tỉnh" if len(code) == 2 else "xã, phường"
        raise click.ClickException(
            f"Không có {kind} mã {code}. Báo cáo định kỳ được lập cho một tỉnh (mã 2 chữ số, "
            "ví dụ 38) hoặc một xã, phường (mã 5 chữ số, ví dụ 15865).")
    try:
        data = services.collect(db.session, unit, first, last)
    except DomainError as error:
        raise click.ClickException(" ".join(error.messages)) from error
    finally:
        db.session.rollback()
    output.write_bytes(report_file(data, fmt))
    note = " (kỳ này chưa có số liệu: báo cáo ghi các số liệu bằng 0)" if data.is_empty else ""
    click.echo(f"Đã ghi báo cáo của {data.unit_label} từ {first:%d/%m/%Y} đến "
               f"{last:%d/%m/%Y} vào {output}{note}.")

"""`flask import workers|participations|activities FILE`: the same preview and commit as the web.

Without --commit the file is only checked and the preview printed; with --commit it is
written in one transaction (all or nothing unless --valid-only). Rejected rows are saved as an
.xlsx with a «Lỗi» column beside the input (or where --errors says). `flask import work` runs
the queued background imports in a process of its own (the same command as `flask jobs work`).
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

import registry.imports.writers  # noqa: F401  (registers the built-in writers)
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.cli import command_transaction
from registry.errors import DomainError
from registry.extensions import db
from registry.imports import services
from registry.imports.kinds import get_kind
from registry.imports.models import ImportMode, ImportRecord, ImportStatus
from registry.imports.reader import SheetError, open_workbook
from registry.imports.xlsx import column_index
from registry.jobs.cli import work_command
from registry.units.models import Commune


@click.group("import", help="Nhập dữ liệu từ bảng tính (.xlsx, .xls, .ods, .csv).")
def import_cli() -> None:
    """Group of import commands."""


#: `flask import work` runs the queued background jobs, as `flask jobs work` does.
import_cli.add_command(work_command, "work")


def _mapping_option(values: tuple[str, ...], kind: str) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    names = {f.name for f in get_kind(kind).fields}
    for item in values:
        name, _, column = item.partition("=")
        if name not in names:
            raise click.BadParameter(f"không có trường «{name}»; các trường: {', '.join(names)}",
                                     param_hint="--map")
        column = column.strip().upper()
        if column in ("", "-"):
            mapping[name] = None
        elif column.isalpha():
            mapping[name] = column_index(column + "1")
        else:
            raise click.BadParameter(f"«{item}»: ghi trường=CỘT, ví dụ citizen_id=C",
                                     param_hint="--map")
    return mapping


def _scope(commune_code: str | None) -> Scope:
    if not commune_code:
        return Scope(role=Role.ADMIN)
    commune = db.session.scalar(select(Commune).where(Commune.code == commune_code))
    if commune is None:
        raise click.ClickException(f"Không có xã, phường mã {commune_code}.")
    return Scope(role=Role.COMMUNE, commune_id=commune.id, province_id=commune.province_id)


def print_report(record: ImportRecord, out=None) -> None:
    """The preview or result of an import, as the web page shows it."""
    echo = lambda text="": click.echo(text, file=out)  # noqa: E731
    for notice in record.report.get("notices", []):
        echo(f"Lưu ý: {notice}")
    written = record.status == ImportStatus.DONE
    echo(f"Tệp {record.file_name}, trang «{record.sheet_name}», tiêu đề ở dòng "
         f"{record.header_row}: {record.rows_read} dòng dữ liệu.")
    verb = "" if written else "Sẽ "
    echo(f"  {verb}{'t' if verb else 'T'}hêm mới:   {record.created_count}")
    echo(f"  {verb}{'c' if verb else 'C'}ập nhật:   {record.updated_count}")
    echo(f"  Không đổi:  {record.unchanged_count}")
    echo(f"  Bị từ chối: {record.rejected_count}")
    fields = record.report.get("fields", {})
    if fields:
        echo("Trường thay đổi: " + ", ".join(f"{k} ({v})" for k, v in fields.items()))
    for row, label, changed in record.report.get("updated", [])[:20]:
        echo(f"  Dòng {row}: {label}: {', '.join(changed)}")
    rejected = record.report.get("rejected", [])
    if rejected:
        echo("Các dòng bị từ chối:")
        for row, message in rejected[:50]:
            echo(f"  Dòng {row}: {message}")
        if record.rejected_count > len(rejected[:50]):
            echo(f"  … và {record.rejected_count - len(rejected[:50])} dòng nữa (xem tệp lỗi).")
    for row, message in record.report.get("warnings", [])[:20]:
        echo(f"  Lưu ý dòng {row}: {message}")
    if record.message:
        echo(record.message)


def import_command(kind: str) -> click.Command:
    """Register `flask import KIND FILE …` for an import kind; returns the command so a feature
    can add options of its own (registry/assessment/imports.py adds --year)."""

    @import_cli.command(kind, help=f"Nhập {get_kind(kind).label.lower()} từ FILE.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--enterprise", "tax_code", metavar="MST",
                  help="Mã số thuế của doanh nghiệp nhận dữ liệu.")
    @click.option("--commune", "commune_code", metavar="MÃ",
                  help="Mã xã, phường (hoạt động chung của xã).")
    @click.option("--commit", is_flag=True, help="Ghi vào cơ sở dữ liệu (mặc định chỉ xem trước).")
    @click.option("--valid-only", is_flag=True, help="Ghi các dòng hợp lệ dù có dòng lỗi.")
    @click.option("--sheet", help="Tên trang tính (mặc định trang hiện đầu tiên).")
    @click.option("--header-row", type=int, help="Dòng tiêu đề (mặc định tự tìm).")
    @click.option("--map", "maps", multiple=True, metavar="TRƯỜNG=CỘT",
                  help="Đổi cột của một trường, ví dụ citizen_id=C (CỘT trống để bỏ).")
    @click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Nơi lưu tệp các dòng lỗi (.xlsx).")
    @with_appcontext
    def command(file: Path, tax_code: str | None, commune_code: str | None, commit: bool,
                valid_only: bool, sheet: str | None, header_row: int | None,
                maps: tuple[str, ...], errors_path: Path | None) -> None:
        mapping = _mapping_option(maps, kind)
        with command_transaction():
            scope = _scope(commune_code)
            enterprise = services.find_enterprise(db.session, scope, tax_code) if tax_code \
                else None
            record = _record(scope, kind, enterprise, file, sheet)
            try:
                if mapping or header_row:
                    match = services.set_mapping(record, record.sheet_index, header_row, {})
                    taken = {c for c in mapping.values() if c is not None}
                    proposed = {k: c for k, c in match.mapping.items() if c not in taken}
                    services.set_mapping(record, record.sheet_index, match.header_rows[0],
                                         {**proposed, **mapping})
                record.mode = ImportMode.VALID_ONLY if valid_only else ImportMode.ALL_OR_NOTHING
                with _progress("Đang ghi" if commit else "Đang kiểm tra") as progress:
                    services.run_import(
                        db.session, scope, record, write=commit, today=date.today(),
                        min_age=current_app.config["REGISTRY_MIN_WORKER_AGE"],
                        progress=progress,
                    )
            except DomainError as error:
                raise click.ClickException(" ".join(error.messages)) from error
            print_report(record)
            if record.error_file:
                target = errors_path or file.with_name(f"{file.stem}-dong-loi.xlsx")
                target.write_bytes(record.error_file)
                click.echo(f"Đã lưu {record.rejected_count} dòng lỗi vào {target}.")
            if not commit:
                click.echo("Chưa ghi gì (xem trước). Thêm --commit để ghi"
                           + (", --valid-only để chỉ ghi các dòng hợp lệ." if
                              record.rejected_count else "."))
        if record.status == ImportStatus.REFUSED:
            sys.exit(1)

    return command


#: Without a terminal, a progress line is printed every this many rows.
LOG_EVERY = 5000


@contextmanager
def _progress(label: str) -> Iterator[services.Progress]:
    """A progress callback: a bar on a terminal, a line every LOG_EVERY rows otherwise."""
    err = sys.stderr
    if not err.isatty():
        step = [LOG_EVERY]

        def log(done: int, total: int | None) -> None:
            if done >= step[0]:
                step[0] = (done // LOG_EVERY + 1) * LOG_EVERY
                about = f" / khoảng {total}" if total else ""
                click.echo(f"{label}: {done}{about} dòng", file=err)

        yield log
        return
    with click.progressbar(length=1, label=label, file=err) as bar:
        def update(done: int, total: int | None) -> None:
            bar.length = max(total or 0, done, 1)
            bar.update(done - bar.pos)

        yield update


def _record(scope: Scope, kind: str, enterprise, file: Path, sheet: str | None) -> ImportRecord:
    try:
        with open_workbook(file, max_bytes=services.max_bytes()) as book:
            chosen = book.sheet(sheet)
            upload = services.Upload(file.resolve(), _sha256(file), file.stat().st_size,
                                     book.format, [chosen], list(book.notices))
    except SheetError as error:
        raise click.ClickException(error.message) from error
    record = services.new_import(db.session, scope, None, f"cli:{getpass.getuser()}", kind,
                                 enterprise, upload, file.name)
    record.sheet_index, record.sheet_name = chosen.index, chosen.name
    return record


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


for _kind in ("workers", "participations", "activities"):
    import_command(_kind)

"""Export buttons of the lists: the same filters as the page, as .xlsx or CSV.

    GET /xuat/nguoi-lao-dong.<xlsx|csv>                 exports.export_workers
    GET /xuat/nguoi-lao-dong/<id>/hoc-tap.<xlsx|csv>    exports.export_worker_record
    GET /xuat/hoat-dong.<xlsx|csv>                      exports.export_activities
    GET /xuat/hoat-dong/<id>/tham-gia.<xlsx|csv>        exports.export_participations
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date

from flask import Blueprint, Response, abort, request
from flask_login import login_required
from sqlalchemy import select

from registry.auth.services import scope
from registry.enterprises.services import enterprise_filter
from registry.exports import services
from registry.exports.spreadsheet import Column, csv_chunks, write_xlsx
from registry.extensions import db
from registry.learning.models import Activity
from registry.learning.services import activities_query
from registry.text import fold
from registry.views import requested_year
from registry.workers import services as workers
from registry.workers.models import Worker

bp = Blueprint("exports", __name__, url_prefix="/xuat")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUSES = ("current", "former", "archived")


def _file_name(title: str) -> str:
    """A download name without diacritics or spaces: «danh-sach-nguoi-lao-dong-20251201»."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(title)).split()
    return "-".join(words)[:80] + f"-{date.today():%Y%m%d}"


def _send(fmt: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    name = _file_name(title)
    handle, path = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(handle)
    try:
        if fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.writelines(csv_chunks(columns, rows))
        else:
            write_xlsx(path, title, columns, rows)
    except BaseException:
        os.unlink(path)
        raise
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_MIME
    response = Response(_file_chunks(path), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Content-Length"] = str(os.path.getsize(path))
    response.call_on_close(lambda: os.path.exists(path) and os.unlink(path))
    return response


def _file_chunks(path: str, size: int = 1 << 16):
    """The file's bytes in pieces; the file is deleted once sent."""
    with open(path, "rb") as stream:
        while chunk := stream.read(size):
            yield chunk
    os.unlink(path)

@bp.get("/nguoi-lao-dong.<any(xlsx, csv):fmt>")
@login_required
def export_workers(fmt: str):
    s = scope()
    status = request.args.get("trang_thai", "current")
    status = status if status in STATUSES else "current"
    enterprise_id, _ = enterprise_filter(db.session, s, request.args)
    stmt = workers.filter_by_name(
        db.session, workers.workers_query(s, enterprise_id, status), request.args.get("q", ""),
        by_citizen_id=s.sees_personal_data,
    )
    return _send(fmt, "Danh sách người lao động", services.worker_columns(s),
                 services.worker_rows(db.session, s, stmt))


@bp.get("/nguoi-lao-dong/<int:worker_id>/hoc-tap.<any(xlsx, csv):fmt>")
@login_required
def export_worker_record(worker_id: int, fmt: str):
    worker = db.session.scalar(
        select(Worker).where(Worker.id == worker_id, scope().workers())) or abort(404)
    return _send(fmt, f"Quá trình học tập {worker.full_name}", services.RECORD_COLUMNS,
                 services.record_rows(db.session, worker))


@bp.get("/hoat-dong.<any(xlsx, csv):fmt>")
@login_required
def export_activities(fmt: str):
    s = scope()
    enterprise_id, _ = enterprise_filter(db.session, s, request.args)
    stmt = activities_query(
        s, request.args.get("q", ""), requested_year(),
        request.args.get("linh_vuc", ""), enterprise_id, request.args.get("luu_tru") == "1",
    )
    return _send(fmt, "Danh sách hoạt động học tập", services.ACTIVITY_COLUMNS,
                 services.activity_rows(db.session, s, stmt))


@bp.get("/hoat-dong/<int:activity_id>/tham-gia.<any(xlsx, csv):fmt>")
@login_required
def export_participations(activity_id: int, fmt: str):
    s = scope()
    activity = db.session.scalar(
        select(Activity).where(Activity.id == activity_id, s.activities())) or abort(404)
    return _send(fmt, f"Người tham gia {activity.title}", services.participation_columns(s),
                 services.participation_rows(db.session, s, activity,
                                             request.args.get("luu_tru") == "1"))

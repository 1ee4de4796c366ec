"""The raw baseline of bench/pages.py: a minimal Flask app running one indexed SQL query per
request with no ORM, no sign-in, no templates — what the registry's pages are compared with.

    /search?t=<token>           workers having one name token (a word, or a phrase such as
                                " nguyen thi hang"), in name order, a page of rows (the
                                registry's worker list with a search)
    /worker/<id>                one worker and their participations with activity titles
                                (the registry's worker record)
"""

from __future__ import annotations

import html
import os

from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_size=8)


def _rows_html(rows) -> str:
    return "<table>" + "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    ) + "</table>"


@app.get("/search")
def search():
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT w.id, w.full_name, w.sex, w.birth_date, w.citizen_id, e.name "
                "FROM worker_name_tokens t JOIN workers w ON w.id = t.worker_id "
                "LEFT JOIN enterprises e ON e.id = w.current_enterprise_id "
                "WHERE t.token = :token AND w.archived_at IS NULL "
                "AND w.current_enterprise_id IS NOT NULL "
                "ORDER BY t.sort_key, t.worker_id LIMIT 51"
            ),
            {"token": request.args["t"]},
        ).all()
    return f"<html><body>{_rows_html(rows)}</body></html>"


@app.get("/worker/<int:worker_id>")
def worker(worker_id: int):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.title, a.area, p.attended_on, p.hours FROM participations p "
                "JOIN activities a ON a.id = p.activity_id "
                "WHERE p.worker_id = :id AND p.archived_at IS NULL ORDER BY p.attended_on"
            ),
            {"id": worker_id},
        ).all()
    return f"<html><body>{_rows_html(rows)}</body></html>"

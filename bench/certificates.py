"""Batch printing of a decision's certificates from the database, against a raw reportlab baseline.

Run: python bench/certificates.py [N] [--zip M]   (N = 10,000 by default)

In one run, each phase in its own process so that peak memory is its own:
  setup  — a scratch SQLite database (or $BENCH_DATABASE_URL) with one commune, N workers and a
           decision listing them, issued through the app's service (serials, tokens, snapshot);
  raw    — the baseline: a reportlab canvas drawing the same certificate page (same border
           and texts, the same XObject forms) with every QR path pre-computed, N pages into
           one PDF on disk; no database, no QR encoding;
  app    — the app's batch printing (registry.recognition.printing.write_batch), streaming the
           decision's certificates from the database, encoding each QR code, into a PDF on disk.
Prints pages/s (wall and per CPU second), peak RSS and file size for each, and the ratio
app/raw.  Goals: app ≥ 70 % of raw pages/s, ≥ 300 certificates/s, peak RSS < 300 MB.
With --zip M it also times the ZIP of one PDF per worker for the first M certificates.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

FAMILY = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Thị Thu", "Đức", "Minh", "Ngọc", "Hữu", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan",
         "Linh", "Mai", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]
COMMUNE = "15865"
BASE_URL = "https://cdht.thanhhoa.vn/"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app(url: str):
    from registry import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                       "RECOGNITION_PUBLIC_URL": BASE_URL})


def setup(url: str, count: int) -> dict:
    """Schema, units, N workers in one enterprise and an issued decision listing them."""
    from flask_migrate import upgrade

    from registry.auth.models import Role
    from registry.auth.scope import Scope
    from registry.enterprises.models import Enterprise, Sector
    from registry.extensions import db
    from registry.recognition import services
    from registry.text import fold, join_name, person_sort_key
    from registry.units.models import Commune
    from registry.units.services import load_catalogue
    from registry.workers.cccd import FEMALE, MALE, make_citizen_id
    from registry.workers.models import Worker

    app = make_app(url)
    with app.app_context():
        upgrade()
        load_catalogue(db.session)
        commune = db.session.scalar(select(Commune).where(Commune.code == COMMUNE))
        commune.is_served = True
        enterprise = Enterprise(name="Công ty TNHH May mặc Sao Vàng Hoằng Hóa",
                                tax_code="2800123457", commune_id=commune.id,
                                sector=Sector.GARMENT, search_name="cong ty tnhh may")
        db.session.add(enterprise)
        db.session.flush()
        workers = []
        for index in range(count):
            family, middle, given = (FAMILY[index % 10], MIDDLE[index % 8], GIVEN[index % 22])
            sex = FEMALE if index % 3 else MALE
            birth = date(1970 + index % 35, 1 + index % 12, 1 + index % 28)
            name = join_name(family, middle, given)
            workers.append({
                "family_name": family, "middle_name": middle, "given_name": given,
                "full_name": name, "search_name": fold(name),
                "sort_key": person_sort_key(family, middle, given), "sex": sex,
                "birth_date": birth, "citizen_id": make_citizen_id("038", birth.year, sex, index),
                "current_enterprise_id": enterprise.id, "phone": "", "birth_year_only": False,
                "citizen_id_legacy": False, "union_member": True,
            })
        db.session.execute(insert(Worker), workers)
        data = services.default_data(commune, 2025)
        data.number, data.signed_on, data.signer_name = "05", date(2026, 1, 15), "Lê Văn Phượng"
        # Eligibility rows as registry.assessment.eligibility gives them (scores not needed).
        rows = [SimpleNamespace(worker_id=worker_id, assessment_id=None, criteria_set_id=None,
                                total=None, lowest=None, status="eligible")
                for worker_id in db.session.scalars(select(Worker.id))]
        scope = Scope(role=Role.ADMIN)
        decision = services.create_decision(db.session, scope, commune, 2025, data,
                                            rows).decision
        started = time.perf_counter()
        issued = services.issue_decision(db.session, scope, decision, base_url=BASE_URL)
        issue_seconds = time.perf_counter() - started
        db.session.commit()
        return {"decision_id": decision.id, "issued": issued, "issue_seconds": issue_seconds}


def raw(url: str, decision_id: int, out_path: str) -> dict:
    """The baseline: the same pages from data already in memory, QR paths pre-computed."""
    from registry.documents.certificate import Writer, new_canvas, qr_path
    from registry.extensions import db
    from registry.recognition.documents import certificate_items
    from registry.recognition.models import Decision

    app = make_app(url)
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        items = [dataclasses.replace(item, qr_path=item.qr_path or qr_path(item.verify_url))
                 for item in certificate_items(db.session, decision, BASE_URL)]
        db.session.remove()
    with open(out_path, "wb") as out:
        started, cpu = time.perf_counter(), time.process_time()
        canvas = new_canvas(out)
        writer = Writer(canvas)
        for item in items:
            writer.page(item)
        canvas.save()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"pages": len(items), "seconds": elapsed, "cpu": cpu, "peak_mb": peak_mb(),
            "bytes": os.path.getsize(out_path)}


def app_batch(url: str, decision_id: int, out_path: str, kind: str = "pdf",
              limit: int | None = None) -> dict:
    """The app's batch printing, streamed from the database."""
    from registry.extensions import db
    from registry.recognition import printing
    from registry.recognition.documents import certificate_items
    from registry.recognition.models import Decision

    app = make_app(url)
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        with open(out_path, "wb") as out:
            started, cpu = time.perf_counter(), time.process_time()
            if limit is None:
                pages = printing.write_batch(db.session, decision, kind, out, BASE_URL)
            else:
                items = certificate_items(db.session, decision, BASE_URL)
                limited = (item for _, item in zip(range(limit), items, strict=False))
                pages = printing.write_zip(limited, out)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"pages": pages, "seconds": elapsed, "cpu": cpu, "peak_mb": peak_mb(),
            "bytes": os.path.getsize(out_path)}


def phase(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--phase", *args], check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(name: str, r: dict) -> None:
    print(f"{name:4} {r['pages']:>6} pages in {r['seconds']:6.2f} s ({r['cpu']:6.2f} s CPU): "
          f"{r['pages'] / r['seconds']:6.0f} pages/s, {r['pages'] / r['cpu']:6.0f} per CPU s; "
          f"peak RSS {r['peak_mb']:4.0f} MB; file {r['bytes'] / 1e6:6.1f} MB")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        name, url, *rest = sys.argv[2:]
        if name == "setup":
            result = setup(url, int(rest[0]))
        elif name == "raw":
            result = raw(url, int(rest[0]), rest[1])
        elif name == "zip":
            result = app_batch(url, int(rest[0]), rest[1], "zip", int(rest[2]))
        else:
            result = app_batch(url, int(rest[0]), rest[1])
        print(json.dumps(result))
        return
    args = sys.argv[1:]
    zip_count = None
    if "--zip" in args:
        position = args.index("--zip")
        zip_count = int(args[position + 1])
        del args[position:position + 2]
    count = int(args[0]) if args else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-cert-") as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        started = time.perf_counter()
        made = phase("setup", url, str(count))
        print(f"setup: {made['issued']} certificates issued in {made['issue_seconds']:.2f} s "
              f"(whole setup {time.perf_counter() - started:.1f} s)")
        decision = str(made["decision_id"])
        baseline = phase("raw", url, decision, f"{folder}/raw.pdf")
        ours = phase("app", url, decision, f"{folder}/app.pdf")
        report("raw", baseline)
        report("app", ours)
        ratio = (ours["pages"] / ours["seconds"]) / (baseline["pages"] / baseline["seconds"])
        cpu_ratio = (ours["pages"] / ours["cpu"]) / (baseline["pages"] / baseline["cpu"])
        print(f"ratio app/raw: {ratio:.2f} (wall), {cpu_ratio:.2f} (CPU); goals: ≥ 0.70, "
              f"≥ 300 pages/s, peak < 300 MB")
        if zip_count:
            zipped = phase("zip", url, decision, f"{folder}/app.zip", str(zip_count))
            report("zip", zipped)


if __name__ == "__main__":
    main()

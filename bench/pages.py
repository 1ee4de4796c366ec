"""Benchmark: the worker list with a search term and the worker record page, against a raw
baseline measured in the same run.

    python bench/pages.py --database sqlite:////tmp/pages.db --workers 1000000
    python bench/pages.py --database postgresql://postgres@127.0.0.1:5432/bench ...

The database is seeded with `flask demo seed --workers N` when it is empty (1,000,000 workers
take a few minutes; keep the file between runs).  Both the registry and the baseline
(bench/baseline_app.py: a minimal Flask route running one equivalent indexed SQL query) are
served by gunicorn on 127.0.0.1 with the same settings, and loaded from a second process
(bench/loadgen.py) with a bounded number of requests.  Prints requests/s and p50/p99 latency
of each and the ratios.  Goal (issue 2): the registry at least half the baseline's throughput,
p99 under 50 ms at 16 concurrent connections.

A third server, bench/floor_app.py, is the registry with two signed-in routes that do no page
work: /__floor (no template) and /__layout (base.html around an empty page: the menu bar and
the account menu every page shows).  The most any registry page could serve is the layout's
rate; its ratio to each baseline is printed too, as the ceiling the page's own ratio is to be
read against.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from registry import create_app  # noqa: E402
from registry.auth.models import Role, User  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.text import fold  # noqa: E402
from registry.workers.models import PHRASE, Worker  # noqa: E402

SECRET = "bench-secret-key-not-for-production"
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    """Run a flask command against the bench database."""
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True)


def prepare(url: str, workers: int, samples: int, seed: int):
    """Seed if empty; return the bench user's cookie, worker ids and search terms to request."""
    env = dict(os.environ, FLASK_APP="registry", SECRET_KEY=SECRET, DATABASE_URL=url)
    flask(env, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        if not db.session.scalar(select(func.count()).select_from(Worker)):
            print(f"Seeding {workers:,} workers (once)…", flush=True)
            flask(env, "units", "load")
            flask(env, "demo", "seed", "--workers", str(workers))
        # End the read transaction begun before the seed wrote: in WAL mode it still sees the
        # empty database and could never be upgraded to a write.
        db.session.rollback()
        user = db.session.scalar(select(User).where(User.username == "bench.admin"))
        if user is None:
            user = User(username="bench.admin", full_name="Bench", role=Role.ADMIN)
            user.set_password("bench-password-2025")
            db.session.add(user)
            db.session.commit()
        cookie_value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user.session_token, "_fresh": True}
        )
        cookie = f"{app.config['SESSION_COOKIE_NAME']}={cookie_value}"
        rng = random.Random(seed)
        top = db.session.scalar(select(func.max(Worker.id)))
        ids = [rng.randint(1, top) for _ in range(samples)]
        people = db.session.execute(
            select(Worker.family_name, Worker.middle_name, Worker.given_name).where(
                Worker.id.in_(ids), Worker.current_enterprise_id.is_not(None)
            )
        ).all()
        # What officers type: a full name, family + given name, or a given name alone; and
        # the index token the baseline reads for it.
        searches = []
        for i, (family, middle, given) in enumerate(people):
            term = [f"{family} {middle} {given}", f"{family} {given}", given][i % 3]
            token = fold(term) if i % 3 == 2 else PHRASE + fold(term)
            searches.append((term, token))
        db.session.remove()
        db.engine.dispose()
    return cookie, ids, searches


def serve(app_spec: str, url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    """Start gunicorn for app_spec and wait until it answers."""
    env = dict(
        os.environ, SECRET_KEY=SECRET, DATABASE_URL=url, BENCH_DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
    )
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--log-level", "warning", app_spec],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{app_spec} did not start")


def load(port: int, paths: list[str], requests: int, concurrency: int, cookie: str = "") -> dict:
    """Run the load generator in its own process."""
    job = {"host": "127.0.0.1", "port": port, "paths": paths, "requests": requests,
           "concurrency": concurrency, "cookie": cookie, "timeout": 300}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadgen.py")],
        input=json.dumps(job), capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def line(label: str, result: dict) -> str:
    bad = {k: v for k, v in result["statuses"].items() if k != "200"}
    return (f"  {label:<34} {result['rps']:8.1f} req/s   p50 {result['p50_ms']:6.1f} ms   "
            f"p99 {result['p99_ms']:6.1f} ms   {result['requests']} requests"
            + (f"   NON-200: {bad}" if bad else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'pages.db'}")
    parser.add_argument("--workers", type=int, default=1_000_000, help="workers to seed if empty")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.database.startswith("sqlite:///"):
        Path(args.database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)

    cookie, ids, searches = prepare(args.database, args.workers, 300, args.seed)
    app_paths = {
        "worker list, search": [f"/nguoi-lao-dong?q={quote_plus(term)}" for term, _ in searches],
        "worker record": [f"/nguoi-lao-dong/{i}" for i in ids],
    }
    base_paths = {
        "worker list, search": [f"/search?t={quote_plus(token)}" for _, token in searches],
        "worker record": [f"/worker/{i}" for i in ids],
    }
    print(f"Database: {args.database}")
    print(f"gunicorn {args.gunicorn_workers} workers × {args.threads} threads; "
          f"{args.requests} requests per page at {args.concurrency} connections\n")
    app_port, base_port, floor_port = free_port(), free_port(), free_port()
    registry = serve("registry:create_app()", args.database, app_port,
                     args.gunicorn_workers, args.threads)
    baseline = serve("bench.baseline_app:app", args.database, base_port,
                     args.gunicorn_workers, args.threads)
    floor_server = serve("bench.floor_app:app", args.database, floor_port,
                         args.gunicorn_workers, args.threads)
    failed = False
    try:
        load(floor_port, ["/__floor", "/__layout"], 200, args.concurrency, cookie)
        floor = load(floor_port, ["/__floor"], args.requests, args.concurrency, cookie)
        layout = load(floor_port, ["/__layout"], args.requests, args.concurrency, cookie)
        for page in app_paths:
            # Warm both servers (caches, connection pools) with a short run first.
            load(app_port, app_paths[page], 200, args.concurrency, cookie)
            load(base_port, base_paths[page], 200, args.concurrency)
            ours = load(app_port, app_paths[page], args.requests, args.concurrency, cookie)
            raw = load(base_port, base_paths[page], args.requests, args.concurrency)
            ratio = ours["rps"] / raw["rps"]
            ok = ratio >= 0.5 and ours["p99_ms"] < 50 and set(ours["statuses"]) == {"200"}
            failed |= not ok
            print(f"{page}:")
            print(line("registry", ours))
            print(line("baseline (one indexed SQL query)", raw))
            print(line("registry signed in, no page", floor))
            print(line("registry layout, empty page", layout))
            print(f"  ratio registry/baseline: {ratio:.2f}   "
                  f"goal ≥ 0.50 and p99 < 50 ms: {'met' if ok else 'NOT met'}")
            print(f"  ceilings over baseline: signed in {floor['rps'] / raw['rps']:.2f}, "
                  f"layout {layout['rps'] / raw['rps']:.2f}   "
                  f"(page/layout {ours['rps'] / layout['rps']:.2f})\n")
    finally:
        for process in (registry, baseline, floor_server):
            process.terminate()
            process.wait(timeout=30)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Set up and run the registry with nothing but Python 3.11+.

    ./run.py          create .venv, install pinned requirements, upgrade the SQLite database,
                      load units and demo data the first time, serve http://127.0.0.1:5000
    ./run.py test     the same environment plus test tools, then the whole test suite

Only the standard library is used here, so this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
INSTANCE = ROOT / "instance"
HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "5000"))


def say(message: str) -> None:
    """Print a progress line the user can follow."""
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None, check: bool = True) -> int:
    """Run a command from the project folder, stopping the script when it fails."""
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the pinned requirements unless they are already there."""
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py may be started by an older Python)
        sys.exit("Cần Python 3.11 trở lên / Python 3.11+ is required.")
    if not (BIN / "python").exists():
        say("Tạo môi trường ảo .venv")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(
                f"Không tạo được môi trường ảo ({exc}). Trên Debian/Ubuntu hãy cài: "
                "sudo apt install python3-venv"
            )
    stamp = VENV / f".installed-{Path(requirements).stem}"
    wanted = hashlib.sha256()
    for name in ("requirements.txt", requirements, "pyproject.toml"):
        wanted.update((ROOT / name).read_bytes())
    if stamp.exists() and stamp.read_text() == wanted.hexdigest():
        return
    say(f"Cài đặt thư viện theo {requirements}")
    run(BIN / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q",
        "-r", requirements)
    stamp.write_text(wanted.hexdigest())


def app_env() -> dict:
    """Environment for flask commands: the app factory and a per-installation secret key."""
    INSTANCE.mkdir(exist_ok=True)
    key_file = INSTANCE / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    env = dict(os.environ)
    env.setdefault("FLASK_APP", "registry")
    env.setdefault("SECRET_KEY", key_file.read_text().strip())
    return env


def serve() -> None:
    """Install, migrate, seed once and serve the app."""
    ensure_venv("requirements.txt")
    env = app_env()
    flask = BIN / "flask"
    say("Nâng cấp cơ sở dữ liệu (flask db upgrade)")
    run(flask, "db", "upgrade", env=env)
    say("Nạp danh mục đơn vị hành chính (flask units load)")
    run(flask, "units", "load", env=env)
    say("Nạp dữ liệu mẫu lần đầu (flask demo seed --if-empty)")
    run(flask, "demo", "seed", "--if-empty", env=env)
    say(f"Mở http://{HOST}:{PORT} — Ctrl+C để dừng")
    os.execve(
        BIN / "gunicorn",
        [
            "gunicorn", "--bind", f"{HOST}:{PORT}", "--workers", "2", "--threads", "4",
            "--access-logfile", "-", "registry:create_app()",
        ],
        env,
    )


def pytest_on(label: str, env: dict, pytest_args: list[str]) -> int:
    """One pytest run; zero collected tests counts as a failure."""
    say(f"Kiểm thử trên {label}")
    code = run(BIN / "python", "-m", "pytest", *pytest_args, env=env, check=False)
    if code == 5:
        print("Không có bài kiểm thử nào được chạy / no tests were collected", file=sys.stderr)
        return 1
    return code


def test(pytest_args: list[str]) -> None:
    """Install test tools and run the suite on SQLite, then on PostgreSQL if configured.

    TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) adds the PostgreSQL run;
    each run works in its own schema or file, so runs never collide.
    """
    ensure_venv("requirements-dev.txt")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    postgres = env.pop("TEST_DATABASE_URL", "")
    results = {"SQLite": pytest_on("SQLite", env, pytest_args)}
    if postgres:
        results["PostgreSQL"] = pytest_on(
            "PostgreSQL", dict(env, TEST_DATABASE_URL=postgres), pytest_args
        )
    for label, code in results.items():
        say(f"{label}: {'đạt' if code == 0 else 'LỖI (mã ' + str(code) + ')'}")
    sys.exit(max(results.values()))


def main(argv: list[str]) -> None:
    """Dispatch on the first argument."""
    if argv and argv[0] == "test":
        test(argv[1:])
    elif not argv or argv[0] == "serve":
        serve()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

"""What the browser tests share: Debian's chromium, and the app served live on a free port.

The server runs in a background thread on a database of its own (the rolled-back test
transaction is invisible to another thread), with CSRF protection on.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from registry.extensions import db as _db
from tests.conftest import Builder, TestDatabase, fresh_app, prepare

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which(
    "chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def live_server(database: TestDatabase, name: str, build_world: Callable[[Builder], dict],
                **overrides) -> Iterator[dict]:
    """Serve a fresh app on 127.0.0.1; build_world(make) writes the records the test needs and
    returns what the test should know of them, given back with "app" and "url"."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (no /usr/bin/chromium, none on PATH): "
                    "apt-get install -y chromium to run the browser tests")
    with fresh_app(database, name, SERVER_NAME=None, WTF_CSRF_ENABLED=True,
                   **overrides) as app:
        prepare(app)
        with app.app_context():
            world = build_world(Builder(_db.session))
            _db.session.commit()
            _db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"app": app, "url": f"http://127.0.0.1:{server.server_port}", **world}
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless chromium, closed afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()

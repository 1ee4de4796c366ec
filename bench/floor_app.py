"""The floors of any registry page for bench/pages.py: the registry app itself with two more
routes that are signed in and do no page work.

    GET /__floor        login_required, returns a few bytes: the sign-in (session cookie, the
                        user's row), the request hooks (NUL check, rate limiter, security
                        headers) and the database session of every page.
    GET /__layout       the same, rendering base.html (menu bar, account menu, flashed
                        messages, CSRF token) around an empty content block: what every page
                        a user sees costs before its own queries and content.

No registry page can serve more requests per second than /__layout; bench/pages.py measures
both in the same run as the pages and the baseline so that their ratios can be read against
them.
"""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from registry import create_app

app = create_app()
_EMPTY_PAGE = app.jinja_env.from_string(
    "{% extends 'base.html' %}{% block title %}Trống{% endblock %}{% block content %}{% endblock %}"
)


@app.get("/__floor")
@login_required
def floor() -> str:
    """Nothing but the signed-in request itself."""
    return "<html><body>ok</body></html>"


@app.get("/__layout")
@login_required
def layout() -> str:
    """The layout of every page around no content."""
    return render_template(_EMPTY_PAGE)

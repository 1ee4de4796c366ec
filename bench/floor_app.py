"""The floor of any registry page for bench/pages.py: the registry app itself with one more
route that is signed in and does nothing else.

    GET /__floor        login_required, returns a few bytes: the sign-in (session cookie, the
                        user's row), the request hooks (NUL check, rate limiter, security
                        headers) and the database session of every page, and no page work.

No registry page can serve more requests per second than this route; bench/pages.py measures it
in the same run as the pages and the baseline so that their ratios can be read against it.
"""

from __future__ import annotations

from flask_login import login_required

from registry import create_app

app = create_app()


@app.get("/__floor")
@login_required
def floor() -> str:
    """Nothing but the signed-in request itself."""
    return "<html><body>ok</body></html>"

"""Public verification of certificates: by the QR code's token or by the printed serial.

    GET /xac-minh                 verification.lookup        (form; ?so=<serial> answers)
    GET /xac-minh/<token>         verification.verify_token
    GET /xac-minh/<token>.json    verification.verify_json

No sign-in.  The answer names the holder, title, year, issuer, decision and serial, never any
personal data.  Every route shares one rate limit per client address, and every outcome
(valid, superseded, revoked, not found) runs the same single query and the same template, so
neither the time nor the shape of a response tells a wrong serial from a revoked one.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, jsonify, render_template, request

from registry.extensions import db, limiter
from registry.recognition.services import verify

bp = Blueprint("verification", __name__)

#: Lookups allowed per client address (setting RECOGNITION_VERIFY_RATE_LIMIT).
RATE_LIMIT = "30 per minute;300 per hour"
STATUS_LABELS = {
    "valid": "Giấy chứng nhận hợp lệ",
    "superseded": "Giấy chứng nhận đã được cấp lại",
    "revoked": "Giấy chứng nhận đã bị thu hồi",
    "not_found": "Không tìm thấy giấy chứng nhận",
}
_limit = limiter.shared_limit(
    lambda: current_app.config.get("RECOGNITION_VERIFY_RATE_LIMIT", RATE_LIMIT),
    scope="verification",
)


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["REGISTRY_TIMEZONE"])


def _private(response):
    # Answers may change (revocation): never cached by proxies, never indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/xac-minh")
@_limit
def lookup():
    serial = request.args.get("so", "")
    result = verify(db.session, serial=serial, tz=_tz()) if serial.strip() else None
    return _private(current_app.make_response(render_template(
        "recognition/verify.html", result=result, serial=serial, labels=STATUS_LABELS)))


@bp.get("/xac-minh/<string:token>")
@_limit
def verify_token(token: str):
    result = verify(db.session, token=token, tz=_tz())
    page = render_template("recognition/verify.html", result=result, serial="",
                           labels=STATUS_LABELS)
    return _private(current_app.make_response((page, 200 if result.found else 404)))


@bp.get("/xac-minh/<string:token>.json")
@_limit
def verify_json(token: str):
    result = verify(db.session, token=token, tz=_tz())
    body = result.as_json()
    body["label"] = STATUS_LABELS[result.status]
    response = jsonify(body)
    response.status_code = 200 if result.found else 404
    return _private(response)

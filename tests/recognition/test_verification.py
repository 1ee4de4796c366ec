"""Public verification: no sign-in, the four answers, privacy of HTML and JSON, the same shape
for a wrong and a revoked serial, and the rate limit."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from registry.db import utcnow
from registry.recognition import services
from registry.recognition.models import Certificate
from tests.recognition.conftest import ADMIN

JSON_KEYS = {"status", "label", "serial", "full_name", "title", "year", "issuing_body",
             "decision_number", "decision_date", "revoked_on", "replacement_serial"}


def issued_certificates(rec, db):
    (worker,) = rec.eligible(("Nguyễn", "Thị", "Lan"))
    worker.phone = "0912345678"
    worker.birth_date = date(1993, 7, 21)
    rec.enterprise.address = "Lô 12, Cụm công nghiệp Hoằng Hóa"
    db.flush()
    decision = rec.issued()
    certificate = db.scalar(select(Certificate).where(Certificate.decision_id == decision.id))
    return worker, certificate


def private_values(worker, enterprise) -> list[str]:
    return [worker.citizen_id, "0912345678", "21/07/1993", "1993-07-21", "1993",
            enterprise.address, "Khai man"]


def test_valid_certificate_page_names_holder_title_issuer_and_decision(client, rec, db):
    """The QR page shows name, title, year, issuer, decision number and date, serial."""
    worker, certificate = issued_certificates(rec, db)
    response = client.get(f"/xac-minh/{certificate.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    for expected in ("Giấy chứng nhận hợp lệ", "Nguyễn Thị Lan", "Công dân học tập năm 2025",
                     "ỦY BAN NHÂN DÂN XÃ HOẰNG HÓA", "Số 05/QĐ-UBND ngày 15/01/2026",
                     certificate.serial):
        assert expected in page
    for value in private_values(worker, rec.enterprise):
        assert value not in page


def test_json_answer_has_only_public_fields(client, rec, db):
    """The JSON form carries the same public answer and nothing personal."""
    worker, certificate = issued_certificates(rec, db)
    response = client.get(f"/xac-minh/{certificate.token}.json")
    body = response.get_json()
    assert set(body) == JSON_KEYS
    assert body["status"] == "valid" and body["full_name"] == "Nguyễn Thị Lan"
    assert body["decision_number"] == "05/QĐ-UBND" and body["decision_date"] == "2026-01-15"
    assert body["year"] == 2025 and body["serial"] == certificate.serial
    text = response.get_data(as_text=True)
    for value in private_values(worker, rec.enterprise):
        assert value not in text
    missing = client.get("/xac-minh/khong-co-ma-nay.json")
    assert missing.status_code == 404 and missing.get_json()["status"] == "not_found"


def test_superseded_points_to_the_replacement(client, rec, db):
    """A re-issued certificate says so and links to the new one, both ways consistent."""
    _worker, certificate = issued_certificates(rec, db)
    new = services.reissue_certificate(db, ADMIN, certificate, "Nguyễn Thị Lan", "", "Mất giấy")
    page = client.get(f"/xac-minh/{certificate.token}").get_data(as_text=True)
    assert "Giấy chứng nhận đã được cấp lại" in page
    assert f'href="/xac-minh/{new.token}"' in page and new.serial in page
    body = client.get(f"/xac-minh/{certificate.token}.json").get_json()
    assert body["status"] == "superseded" and body["replacement_serial"] == new.serial
    assert "Giấy chứng nhận hợp lệ" in client.get(f"/xac-minh/{new.token}").get_data(
        as_text=True)


def test_revoked_shows_the_date_not_the_reason(app, client, rec, db):
    """Revoked: the date (in the registry's time zone) is shown, the officer's reason is not."""
    worker, certificate = issued_certificates(rec, db)
    services.revoke_certificate(db, ADMIN, certificate, "Khai man minh chứng")
    page = client.get(f"/xac-minh/{certificate.token}").get_data(as_text=True)
    assert "Giấy chứng nhận đã bị thu hồi" in page and "Ngày thu hồi" in page
    assert "Khai man" not in page
    body = client.get(f"/xac-minh/{certificate.token}.json").get_json()
    today = utcnow().astimezone(ZoneInfo(app.config["REGISTRY_TIMEZONE"])).date()
    assert body["status"] == "revoked" and body["revoked_on"] == today.isoformat()
    for value in private_values(worker, rec.enterprise):
        assert value not in str(body)


def _shape(page: str) -> list[str]:
    """The answer card's frame (header, then body), without its texts."""
    card = page[page.index('id="ket-qua"'):]
    return re.findall(r'<(/?\w+)(?: class="(card-\w+))?', card)[:3]


def test_serial_form_answers_wrong_and_revoked_alike(client, rec, db):
    """Lookup by serial: a wrong serial and a revoked one give 200 and the same card."""
    _worker, certificate = issued_certificates(rec, db)
    services.revoke_certificate(db, ADMIN, certificate, "Sai sót")
    revoked = client.get("/xac-minh", query_string={"so": certificate.serial.lower()})
    wrong = client.get("/xac-minh", query_string={"so": "CDHT-2025-15865-999999"})
    assert revoked.status_code == wrong.status_code == 200
    assert revoked.headers["Content-Type"] == wrong.headers["Content-Type"]
    assert _shape(revoked.get_data(as_text=True)) == _shape(wrong.get_data(as_text=True))
    assert "Không tìm thấy giấy chứng nhận" in wrong.get_data(as_text=True)
    assert "đã bị thu hồi" in revoked.get_data(as_text=True)
    blank = client.get("/xac-minh").get_data(as_text=True)
    assert 'id="ket-qua"' not in blank and 'name="so"' in blank


def test_rate_limit_per_client_across_the_verification_routes(app_with, rec, db):
    """Past the limit a client gets 429 on every verification route; others are not blocked."""
    _worker, certificate = issued_certificates(rec, db)
    client = app_with(RECOGNITION_VERIFY_RATE_LIMIT="3 per minute").test_client()
    assert client.get(f"/xac-minh/{certificate.token}").status_code == 200
    assert client.get(f"/xac-minh/{certificate.token}.json").status_code == 200
    assert client.get("/xac-minh", query_string={"so": "X"}).status_code == 200
    assert client.get("/xac-minh", query_string={"so": "Y"}).status_code == 429
    assert client.get(f"/xac-minh/{certificate.token}.json").status_code == 429
    other = client.get(f"/xac-minh/{certificate.token}",
                       environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200

"""Demo recognition: the 2024 decision of the demo commune, issued, with its certificates.

Called by registry.demo.services.seed after the demo assessments exist.  One certificate is
re-issued (a corrected name) and one revoked, so every verification answer can be tried.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.assessment.eligibility import compute_eligibility
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.recognition import services
from registry.recognition.models import Certificate, Decision
from registry.units.models import Commune

DEMO_YEAR = 2024
SIGNED_ON = date(2025, 1, 20)


def seed_recognition(session: Session, commune: Commune) -> Decision | None:
    """Issue the 2024 decision of commune from its eligibility table (None: nobody eligible)."""
    scope = Scope(role=Role.ADMIN)
    rows = compute_eligibility(session, year=DEMO_YEAR, commune_ids=[commune.id])
    if not any(str(getattr(row.status, "value", row.status)) == "eligible" for row in rows):
        return None
    data = services.default_data(commune, DEMO_YEAR,
                                 criteria_reference=services.criteria_reference(session))
    data.number, data.signed_on = "03", SIGNED_ON
    data.signer_authority, data.signer_title = "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    data.signer_name = "Lê Văn Phượng"
    decision = services.create_decision(session, scope, commune, DEMO_YEAR, data, rows).decision
    services.issue_decision(session, scope, decision)
    first, second = session.scalars(
        select(Certificate).where(Certificate.decision_id == decision.id)
        .order_by(Certificate.serial).limit(2)
    ).all()
    services.reissue_certificate(session, scope, first, first.full_name, first.enterprise_name,
                                 "Giấy bị hỏng khi in, cấp lại")
    services.revoke_certificate(session, scope, second, "Minh chứng tham gia học tập không đúng")
    return decision

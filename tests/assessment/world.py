"""Records of the assessment feature for the access table (tests/auth/test_access.py).

Targets: "a", "b", "x" are draft assessments of the workers of enterprises A, B (home commune)
and X (other commune); the criteria set "a" is the shipped Hội Khuyến học set and the rule "a"
the first line of its evidence mapping; the communes "a" and "x" are those of A and X.
"""

from __future__ import annotations

from sqlalchemy import select

from registry.assessment.models import Assessment, AssessmentStatus, CriteriaSet
from registry.enterprises.models import Enterprise
from tests.conftest import Builder

_ = None
ALL = (302, 200, 200, 200, 200)
ADMIN_GET = (302, 200, 403, 403, 403)
ADMIN_POST = (302, 302, 403, 403, 403)
#: (endpoint, method, target, statuses for anonymous, admin, province, commune, enterprise of A)
ACCESS_ROWS = [
    ("assessment.list_criteria_sets", "GET", _, ALL),
    ("assessment.show_criteria_set", "GET", "a", ALL),
    ("assessment.edit_criteria_set", "GET", "a", ADMIN_GET),
    # A POST without fields re-validates the set's own values and saves.
    ("assessment.edit_criteria_set", "POST", "a", ADMIN_POST),
    ("assessment.clone_criteria_set", "POST", "a", ADMIN_POST),
    ("assessment.activate_criteria_set", "POST", "a", ADMIN_POST),
    # Without fields the form is refused and the set's page shown again (redirect).
    ("assessment.add_evidence_rule", "POST", "a", ADMIN_POST),
    ("assessment.delete_evidence_rule", "POST", "a", ADMIN_POST),
    ("assessment.commune_conditions", "GET", "a", ALL),
    ("assessment.commune_conditions", "GET", "x", (302, 200, 200, 404, 404)),
    # Without fields the form shows its errors (200); enterprise and province officers only see.
    ("assessment.commune_conditions", "POST", "a", (302, 200, 403, 200, 403)),
    ("assessment.commune_conditions", "POST", "x", (302, 200, 403, 404, 404)),
    ("assessment.list_assessments", "GET", _, ALL),
    ("assessment.create_assessment", "POST", _, (302, 302, 403, 302, 302)),
    ("assessment.score_grid", "GET", _, ALL),
    ("assessment.score_grid", "POST", _, (302, 302, 403, 302, 302)),
    ("assessment.eligibility_table", "GET", _, ALL),
    ("assessment.export_eligibility", "GET", _, ALL),
    ("assessment.edit_assessment", "GET", "a", ALL),
    ("assessment.edit_assessment", "GET", "b", (302, 200, 200, 200, 404)),
    ("assessment.edit_assessment", "GET", "x", (302, 200, 200, 404, 404)),
]
for _endpoint in ("assessment.edit_assessment", "assessment.submit_assessment",
                  "assessment.review_assessment"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 302)),
        (_endpoint, "POST", "b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
    ]
for _endpoint in ("assessment.approve_assessment", "assessment.return_assessment"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "b", (302, 302, 403, 302, 404)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
    ]


def build_assessments(make: Builder, workers: dict) -> dict[tuple[str, str], int]:
    """Draft assessments of 2025 for the workers "a", "b", "x"; ids by (argument, target)."""
    criteria_set = make.session.scalar(select(CriteriaSet).where(CriteriaSet.is_active))
    ids = {("criteria_set_id", "a"): criteria_set.id,
           ("rule_id", "a"): criteria_set.evidence_rules[0].id}
    for key in "ax":
        enterprise = make.session.get(Enterprise, workers[key].current_enterprise_id)
        ids[("commune_id", key)] = enterprise.commune_id
    for key in "abx":
        worker = workers[key]
        assessment = Assessment(
            worker_id=worker.id, year=2025, criteria_set_id=criteria_set.id,
            enterprise_id=worker.current_enterprise_id, status=AssessmentStatus.DRAFT,
        )
        make.session.add(assessment)
        make.session.flush()
        ids[("assessment_id", key)] = assessment.id
    return ids

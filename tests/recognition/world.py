"""Recognition records of the access-table world and their rows of the access table.

"a" is an issued 2025 decision of the home commune listing workers A and B (certificates "a"
and "b"), "x" an issued decision of the other commune listing worker X, "draft" a draft of the
home commune listing worker A.  Print jobs "a", "b", "x" are queued batches of enterprise A's,
B's and X's certificates.
"""

from __future__ import annotations

from datetime import date

from registry.jobs.models import Job
from registry.recognition.models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionEntry,
    DecisionStatus,
)
from tests.conftest import OTHER_COMMUNE, Builder

# Expected status per role:      anonymous, admin, province, commune, enterprise (of A)
ACCESS_ROWS = [
    ("recognition.list_decisions", "GET", None, (302, 200, 200, 200, 200)),
    ("recognition.create_decision", "GET", None, (302, 200, 403, 200, 403)),
    ("recognition.create_decision", "POST", None, (302, 200, 403, 200, 403)),
    ("recognition.show_decision", "GET", "a", (302, 200, 200, 200, 200)),
    ("recognition.show_decision", "GET", "x", (302, 200, 200, 404, 404)),
    ("recognition.show_decision", "GET", "draft", (302, 200, 200, 200, 404)),
    ("verification.lookup", "GET", None, (200, 200, 200, 200, 200)),
    ("verification.verify_token", "GET", "a", (200, 200, 200, 200, 200)),
    ("verification.verify_json", "GET", "a", (200, 200, 200, 200, 200)),
    ("verification.verify_token", "GET", "missing", (404, 404, 404, 404, 404)),
    ("verification.verify_json", "GET", "missing", (404, 404, 404, 404, 404)),
]
for _method in ("GET", "POST"):
    ACCESS_ROWS += [
        # An issued decision is frozen: its texts are edited by nobody.
        ("recognition.edit_decision", _method, "a", (302, 403, 403, 403, 403)),
        ("recognition.edit_decision", _method, "x", (302, 403, 403, 404, 404)),
        # A POST with no fields re-validates the draft's own values and saves it.
        ("recognition.edit_decision", _method, "draft",
         (302, 200 if _method == "GET" else 302, 403, 200 if _method == "GET" else 302, 404)),
        ("recognition.print_certificates", _method, "a", (302, 200, 403, 200, 200)),
        ("recognition.print_certificates", _method, "x", (302, 200, 403, 404, 404)),
        ("recognition.print_certificates", _method, "draft", (302, 200, 403, 200, 404)),
        ("recognition.reissue_certificate", _method, "a", (302, 200, 403, 200, 403)),
        ("recognition.reissue_certificate", _method, "b", (302, 200, 403, 200, 404)),
        ("recognition.reissue_certificate", _method, "x", (302, 200, 403, 404, 404)),
        ("recognition.revoke_certificate", _method, "a", (302, 200, 403, 200, 403)),
        ("recognition.revoke_certificate", _method, "b", (302, 200, 403, 200, 404)),
        ("recognition.revoke_certificate", _method, "x", (302, 200, 403, 404, 404)),
    ]
for _endpoint in ("recognition.issue_decision", "recognition.archive_decision",
                  "recognition.remove_entry", "recognition.restore_entry"):
    ACCESS_ROWS += [
        (_endpoint, "POST", "a", (302, 302, 403, 302, 403)),
        (_endpoint, "POST", "x", (302, 302, 403, 404, 404)),
        (_endpoint, "POST", "draft", (302, 302, 403, 302, 404)),
    ]
for _endpoint in ("recognition.decision_pdf", "recognition.decision_docx"):
    ACCESS_ROWS += [
        (_endpoint, "GET", "a", (302, 200, 200, 200, 403)),
        (_endpoint, "GET", "x", (302, 200, 200, 404, 404)),
        (_endpoint, "GET", "draft", (302, 200, 200, 200, 404)),
    ]
for _endpoint in ("recognition.show_print_job", "recognition.print_job_status"):
    ACCESS_ROWS += [
        (_endpoint, "GET", "a", (302, 200, 403, 200, 200)),
        (_endpoint, "GET", "b", (302, 200, 403, 200, 404)),
        (_endpoint, "GET", "x", (302, 200, 403, 404, 404)),
    ]
ACCESS_ROWS += [
    # A queued job has no file yet.
    ("recognition.download_print_job", "GET", "a", (302, 404, 403, 404, 404)),
    ("recognition.download_print_job", "GET", "x", (302, 404, 403, 404, 404)),
    ("recognition.show_certificate", "GET", "a", (302, 200, 200, 200, 200)),
    ("recognition.show_certificate", "GET", "b", (302, 200, 200, 200, 404)),
    ("recognition.show_certificate", "GET", "x", (302, 200, 200, 404, 404)),
    ("recognition.certificate_pdf", "GET", "a", (302, 200, 403, 200, 200)),
    ("recognition.certificate_pdf", "GET", "b", (302, 200, 403, 200, 404)),
    ("recognition.certificate_pdf", "GET", "x", (302, 200, 403, 404, 404)),
]
for _endpoint in ("recognition.learning_book", "recognition.learning_book_pdf"):
    ACCESS_ROWS += [
        (_endpoint, "GET", "a", (302, 200, 403, 200, 200)),
        (_endpoint, "GET", "b", (302, 200, 403, 200, 404)),
        (_endpoint, "GET", "x", (302, 200, 403, 404, 404)),
        # Worker "moved" left A for B: A's officer sees the history but does not print it.
        (_endpoint, "GET", "moved", (302, 200, 403, 200, 403)),
    ]


def _decision(make: Builder, commune: str, status: DecisionStatus, number: str) -> Decision:
    decision = Decision(
        commune_id=make.commune(commune).id, year=2025, status=status,
        issuing_body="ỦY BAN NHÂN DÂN\nXÃ THỬ", number=number, symbol="QĐ-UBND",
        number_year=2026, place="Thử", signed_on=date(2026, 1, 15),
        authority="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THỬ", signer_title="CHỦ TỊCH",
        signer_name="Lê Văn Phượng", legal_bases="Căn cứ thử;", recipients="Lưu: VT",
    )
    make.session.add(decision)
    make.session.flush()
    return decision


def _entry(make: Builder, decision: Decision, worker, recognised: bool) -> DecisionEntry:
    entry = DecisionEntry(
        decision_id=decision.id, worker_id=worker.id, full_name=worker.full_name,
        sort_key=worker.sort_key, birth_year=worker.birth_year,
        enterprise_id=worker.current_enterprise_id,
        enterprise_name=worker.current_enterprise.name if worker.current_enterprise else "",
        recognised_year=2025 if recognised else None,
    )
    make.session.add(entry)
    make.session.flush()
    return entry


def build_recognition(make: Builder, workers: dict) -> dict[tuple[str, str], int]:
    """The decisions, entries, certificates and print jobs; ids by (argument, target)."""
    home = _decision(make, make.commune().code, DecisionStatus.ISSUED, "1")
    far = _decision(make, OTHER_COMMUNE, DecisionStatus.ISSUED, "2")
    draft = _decision(make, make.commune().code, DecisionStatus.DRAFT, "3")
    ids = {("decision_id", "a"): home.id, ("decision_id", "x"): far.id,
           ("decision_id", "draft"): draft.id}
    entries = {"a": _entry(make, home, workers["a"], True),
               "b": _entry(make, home, workers["b"], True),
               "x": _entry(make, far, workers["x"], True)}
    ids[("entry_id", "a")] = entries["a"].id
    ids[("entry_id", "x")] = entries["x"].id
    ids[("entry_id", "draft")] = _entry(make, draft, workers["a"], False).id
    ids[("token", "missing")] = "khong-co-giay-nay"
    for key, entry in entries.items():
        certificate = Certificate(
            decision_id=entry.decision_id, entry_id=entry.id, worker_id=entry.worker_id,
            serial=f"CDHT-2025-THU-{key}", token=f"token-{key}", status=CertificateStatus.VALID,
            full_name=entry.full_name, birth_year=entry.birth_year,
            enterprise_name=entry.enterprise_name,
        )
        make.session.add(certificate)
        make.session.flush()
        ids[("certificate_id", key)] = certificate.id
        ids[("token", key)] = certificate.token
        job = Job(kind="certificates-pdf", total=1,
                  parameters={"decision_id": entry.decision_id,
                              "enterprise_id": entry.enterprise_id,
                              "base_url": "http://localhost/"})
        make.session.add(job)
        make.session.flush()
        ids[("job_id", key)] = job.id
    return ids

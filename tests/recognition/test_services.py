"""Decisions from the eligibility table: drafting, bad input, issuing, snapshots, serials,
re-issue and revoke."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from registry.assessment.models import CriteriaSet
from registry.errors import DomainError
from registry.recognition import services
from registry.recognition.models import (
    Certificate,
    CertificateStatus,
    DecisionEntry,
    DecisionStatus,
)
from tests.recognition.conftest import ADMIN, assess

NAMES = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", "Thị", "Ánh"),
         ("Phạm", "Đức", "Đạt"), ("Hoàng", "Minh", "Dũng")]


def entries(db, decision):
    return db.scalars(services.active_entries(decision.id)).all()


def certificates(db, decision):
    return db.scalars(select(Certificate).where(Certificate.decision_id == decision.id)
                      .order_by(Certificate.serial)).all()


def test_draft_lists_only_the_eligible_in_vietnamese_order(db, rec, make):
    """A draft attaches the eligible workers of the year, sorted by given then family name."""
    rec.eligible(*NAMES)
    failing = make.worker(rec.enterprise, given="Cường")
    assess(db, failing, [10, 10, 10, 10, 10, 4, 5, 5, 5, 10])
    make.worker(rec.enterprise, given="Chưa")  # not assessed
    decision = rec.draft()
    assert decision.status == DecisionStatus.DRAFT
    names = [e.full_name for e in entries(db, decision)]
    assert names == ["Nguyễn Thị An", "Lê Thị Ánh", "Trần Văn Bình", "Hoàng Minh Dũng",
                     "Phạm Đức Đạt"]
    assert all(e.total == 80 and e.lowest == 5 for e in entries(db, decision))


def test_empty_list_is_refused(db, rec):
    """Nobody eligible: no decision is written."""
    with pytest.raises(DomainError, match="danh sách trống"):
        rec.draft()


def test_issue_refuses_when_everyone_was_taken_off(db, rec):
    """Issuing with every person removed is refused."""
    rec.eligible(NAMES[0])
    decision = rec.draft()
    (entry,) = entries(db, decision)
    services.remove_entry(db, entry, "Chuyển công tác")
    with pytest.raises(DomainError, match="trống"):
        services.issue_decision(db, ADMIN, decision)


def test_removing_needs_a_reason_and_can_be_undone(db, rec):
    """Taking someone off needs a reason; restoring puts them back."""
    rec.eligible(*NAMES[:2])
    decision = rec.draft()
    entry = entries(db, decision)[0]
    with pytest.raises(DomainError) as error:
        services.remove_entry(db, entry, "  ")
    assert error.value.fields == {"reason": "Chưa nhập lý do."}
    services.remove_entry(db, entry, "Bị kỷ luật trong năm")
    assert services.count_entries(db, decision.id) == 1
    assert entry.removed_reason == "Bị kỷ luật trong năm"
    services.restore_entry(db, entry)
    assert services.count_entries(db, decision.id) == 2


def test_duplicate_number_for_the_same_body_and_year_is_refused(db, rec):
    """Number 05/QĐ-UBND is taken for the commune in 2026 once issued."""
    rec.eligible(NAMES[0])
    rec.issued(number="05")
    rec.eligible(NAMES[1], year=2024)
    with pytest.raises(DomainError) as error:
        rec.draft(year=2024, number="5", signed_on=date(2026, 3, 1))
    assert "Số 05/QĐ-UBND năm 2026 đã dùng" in error.value.fields["number"]
    # The same number in another calendar year is free.
    decision = rec.draft(year=2024, number="5", signed_on=date(2025, 3, 1))
    assert decision.number == "5"


def test_date_before_the_year_ends_needs_confirmation(db, rec):
    """Signing inside the assessed year warns; confirming allows it; before it, refused."""
    rec.eligible(NAMES[0])
    with pytest.raises(DomainError) as error:
        rec.draft(signed_on=date(2025, 12, 20))
    assert "trước khi năm 2025 kết thúc" in error.value.fields["signed_on"]
    decision = rec.draft(signed_on=date(2025, 12, 20), number="06", confirm_early=True)
    with pytest.raises(DomainError, match="trước khi năm 2025"):
        services.issue_decision(db, ADMIN, decision)
    services.issue_decision(db, ADMIN, decision, confirm_early=True)
    assert decision.is_issued
    rec.eligible(NAMES[1], year=2024)
    with pytest.raises(DomainError, match="trước năm được công nhận"):
        rec.draft(year=2024, signed_on=date(2023, 12, 1), number="07")


def test_worker_recognised_in_another_decision_is_left_out_and_refused(db, rec):
    """A second decision skips people recognised already; forcing one in is refused."""
    first, second = rec.eligible(*NAMES[:2])
    issued = rec.issued(number="01")
    assert {c.worker_id for c in certificates(db, issued)} == {first.id, second.id}
    rec.eligible(NAMES[2])
    draft = rec.draft(number="02")
    assert [e.full_name for e in entries(db, draft)] == ["Lê Thị Ánh"]
    db.add(DecisionEntry(decision_id=draft.id, worker_id=first.id, full_name=first.full_name,
                         sort_key=first.sort_key, birth_year=1995, enterprise_name=""))
    db.flush()
    with pytest.raises(DomainError, match="Đã được công nhận năm 2025 trong quyết định khác: "
                                          f"{first.full_name}"):
        services.issue_decision(db, ADMIN, draft)


def test_issue_freezes_the_snapshot(db, rec, make):
    """Later edits to a worker change neither the entry nor the certificate of the decision."""
    (worker,) = rec.eligible(NAMES[0])
    decision = rec.draft()
    worker.set_name("Trần", "Văn", "Bính")  # corrected before issue: the snapshot follows
    db.flush()
    services.issue_decision(db, ADMIN, decision)
    (entry,) = entries(db, decision)
    assert entry.full_name == "Trần Văn Bính" and entry.recognised_year == 2025
    other = make.enterprise(name="Công ty Khác")
    worker.set_name("Trần", "Văn", "Bảo")
    worker.current_enterprise_id = other.id
    db.flush()
    db.expire_all()
    (entry,) = entries(db, decision)
    (certificate,) = certificates(db, decision)
    assert entry.full_name == "Trần Văn Bính"
    assert entry.enterprise_name == "Công ty TNHH May Sao Vàng"
    assert certificate.full_name == "Trần Văn Bính"
    with pytest.raises(DomainError, match="đã ban hành"):
        services.update_decision(db, decision, rec.data())
    with pytest.raises(DomainError, match="đã ban hành"):
        services.remove_entry(db, entry, "lý do")


def test_issue_locks_the_criteria_set_and_records_it(db, rec):
    """The criteria set used is locked and named on the decision."""
    rec.eligible(NAMES[0])
    decision = rec.issued()
    criteria_set = db.get(CriteriaSet, decision.criteria_set_id)
    assert criteria_set.locked_at is not None
    assert criteria_set.name in decision.criteria_set_label


def test_serials_are_sequential_per_body_and_year(db, rec):
    """CDHT-2025-<commune>-000001 … in list order; the next decision continues the count."""
    rec.eligible(*NAMES[:3])
    first = rec.issued(number="01")
    code = rec.commune.code
    serials = [c.serial for c in certificates(db, first)]
    assert serials == [f"CDHT-2025-{code}-00000{i}" for i in (1, 2, 3)]
    by_serial = {c.serial: c.full_name for c in certificates(db, first)}
    assert by_serial[f"CDHT-2025-{code}-000001"] == "Nguyễn Thị An"
    rec.eligible(NAMES[3])
    second = rec.issued(number="02")
    assert [c.serial for c in certificates(db, second)] == [f"CDHT-2025-{code}-000004"]
    rec.eligible(NAMES[4], year=2024)
    third = rec.issued(year=2024, number="03")
    assert [c.serial for c in certificates(db, third)] == [f"CDHT-2024-{code}-000001"]
    tokens = [c.token for c in certificates(db, first)]
    assert len(set(tokens)) == 3 and all(len(t) >= 22 for t in tokens)


def test_incomplete_draft_cannot_be_issued(db, rec):
    """Number, date and signer are required to issue, named together."""
    rec.eligible(NAMES[0])
    decision = rec.draft(number="", signed_on=None, signer_name="")
    with pytest.raises(DomainError) as error:
        services.issue_decision(db, ADMIN, decision)
    assert set(error.value.fields) == {"number", "signed_on", "signer_name"}


def test_issuing_audits_every_certificate_created(db, rec):
    """Certificates are inserted in bulk, yet each has its "created" entry with who and what."""
    from registry.audit.services import history, set_actor

    workers = rec.eligible(*NAMES[:3])
    set_actor(db, None, "Cán bộ ban hành")
    decision = rec.issued()
    issued = certificates(db, decision)
    assert len(issued) == 3
    for certificate in issued:
        entries = history(db, "certificates", certificate.id)
        assert [(e.action.value, e.who) for e in entries] == [("create", "Cán bộ ban hành")]
        changes = entries[0].changes
        assert changes["serial"] == [None, certificate.serial]
        assert changes["worker_id"] == [None, certificate.worker_id]
        assert changes["status"] == [None, "valid"]
        assert changes["full_name"] == [None, certificate.full_name]
    assert {c.worker_id for c in issued} == {w.id for w in workers}


def test_reissue_supersedes_and_links_both_ways(db, rec):
    """Re-issue: new serial and token, old one superseded, linked both ways, audited."""
    rec.eligible(*NAMES[:2])
    decision = rec.issued()
    old = certificates(db, decision)[0]
    new = services.reissue_certificate(db, ADMIN, old, "Nguyễn Thị Ân", old.enterprise_name,
                                       "Sửa lỗi chính tả họ tên")
    assert new.serial == f"CDHT-2025-{rec.commune.code}-000003"
    assert new.token != old.token and new.full_name == "Nguyễn Thị Ân"
    assert old.status == CertificateStatus.SUPERSEDED and old.superseded_at is not None
    assert old.replaced_by_id == new.id and new.replaces_id == old.id
    with pytest.raises(DomainError, match="đã được thay bằng"):
        services.reissue_certificate(db, ADMIN, old, "X", "", "lại")
    with pytest.raises(DomainError) as error:
        services.reissue_certificate(db, ADMIN, new, "Nguyễn Thị Ân", "", "")
    assert "reason" in error.value.fields
    from registry.audit.services import history
    assert [e.action.value for e in history(db, "certificates", old.id)] == ["update", "create"]


def test_revoke_needs_a_reason_and_withdraws_the_title(db, rec):
    """Revoke: reason required; the certificate is kept, the worker no longer holds the title."""
    first, second = rec.eligible(*NAMES[:2])
    decision = rec.issued()
    held = set(db.scalars(services.recognised_worker_ids(2025)))
    assert held == {first.id, second.id}
    certificate = next(c for c in certificates(db, decision) if c.worker_id == first.id)
    with pytest.raises(DomainError):
        services.revoke_certificate(db, ADMIN, certificate, "")
    services.revoke_certificate(db, ADMIN, certificate, "Khai man minh chứng")
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_at
    assert set(db.scalars(services.recognised_worker_ids(2025))) == {second.id}
    with pytest.raises(DomainError, match="đã bị thu hồi, không in được"):
        services.printable(certificate)
    with pytest.raises(DomainError, match="đã bị thu hồi"):
        services.reissue_certificate(db, ADMIN, certificate, "X", "", "lý do")
    assert db.get(Certificate, certificate.id) is not None


def test_recognised_ids_ignore_drafts_removed_and_other_years(db, rec):
    """Only people kept on issued decisions of that year count."""
    _first, second, third = rec.eligible(*NAMES[:3])
    decision = rec.draft()
    services.remove_entry(db, entries(db, decision)[-1], "Nghỉ việc")  # Trần Văn Bình
    assert list(db.scalars(services.recognised_worker_ids(2025))) == []
    services.issue_decision(db, ADMIN, decision)
    assert set(db.scalars(services.recognised_worker_ids(2025))) == {second.id, third.id}
    assert list(db.scalars(services.recognised_worker_ids(2024))) == []


def test_verify_by_token_and_serial(db, rec):
    """Valid, superseded (with replacement), revoked (with date) and not found."""
    rec.eligible(*NAMES[:2])
    decision = rec.issued()
    one, two = certificates(db, decision)
    answer = services.verify(db, token=one.token)
    assert answer.status == "valid" and answer.full_name == one.full_name
    assert answer.decision_number == "05/QĐ-UBND" and answer.decision_date == date(2026, 1, 15)
    assert answer.issuing_body == "ỦY BAN NHÂN DÂN XÃ HOẰNG HÓA"
    assert services.verify(db, serial=" " + one.serial.lower() + " ").serial == one.serial
    new = services.reissue_certificate(db, ADMIN, one, one.full_name, "", "Mất giấy")
    answer = services.verify(db, serial=one.serial)
    assert answer.status == "superseded" and answer.replacement_serial == new.serial
    services.revoke_certificate(db, ADMIN, two, "Sai sót")
    answer = services.verify(db, token=two.token)
    assert answer.status == "revoked" and answer.revoked_on is not None
    assert services.verify(db, serial="CDHT-2025-00000-999999").status == "not_found"
    assert services.verify(db, token="khong-co").status == "not_found"


def test_large_lists_are_read_in_chunks(db, rec, monkeypatch):
    """Eligible workers are looked up in chunks (SQLite's parameter limit); none is lost."""
    monkeypatch.setattr(services, "CHUNK", 2)
    rec.eligible(*NAMES)
    first = rec.issued(number="01")
    assert services.count_entries(db, first.id) == 5
    rec.eligible(("Vũ", "Thị", "Yến"))
    second = rec.draft(number="02")
    assert [e.full_name for e in entries(db, second)] == ["Vũ Thị Yến"]

"""Importing participations and activities: matching, rules of the learning services, re-import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from registry.audit.models import AuditEntry
from registry.auth.models import Role
from registry.imports.models import ImportMode, ImportStatus
from registry.imports.writers import activity_code, parse_activity_code
from registry.learning.models import Activity, ActivityForm, Area, OrganiserKind, Participation
from tests.imports.builders import xlsx_bytes
from tests.imports.test_import_workers import run, write_file

P_HEADER = ["STT", "Họ và tên", "Số CCCD", "Mã hoạt động", "Ngày tham gia", "Số giờ", "Kết quả"]


def test_activity_codes_read_as_typed():
    """«HĐ-12», «HD12», «hđ 12» and «12» all name activity 12; other text names none."""
    assert activity_code(12) == "HĐ-12"
    assert [parse_activity_code(c) for c in ("HĐ-12", "HD12", "hđ 12", "12", "HĐ-0012")] == [12] * 5
    assert parse_activity_code("Lớp A") is None


def test_participations_commit_update_and_reimport(db, make, folder):
    """Rows become participations; the same file again is unchanged; new hours update."""
    enterprise = make.enterprise()
    lan, hoa = make.worker(enterprise), make.worker(enterprise, given="Hoa")
    activity = make.activity(enterprise, hours=Decimal(4), start=date(2025, 5, 20))
    scope = make.scope(Role.ENTERPRISE, enterprise=enterprise)
    rows = [[1, lan.full_name, lan.citizen_id, activity_code(activity.id), "20/05/2025", 4, "Đạt"],
            [2, hoa.full_name, int(hoa.citizen_id), str(activity.id), "", "3,5", ""]]
    record = run(db, scope, write_file(folder, "p.xlsx", xlsx_bytes([P_HEADER, *rows])),
                 "participations", enterprise, write=True)
    assert (record.status, record.created_count, record.rejected_count) == (
        ImportStatus.DONE, 2, 0)
    made = {p.worker_id: p for p in db.scalars(select(Participation))}
    assert made[lan.id].hours == Decimal(4) and made[lan.id].completed
    assert made[hoa.id].hours == Decimal("3.5") and made[hoa.id].attended_on == date(2025, 5, 20)
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.import_id == record.id, AuditEntry.entity_type == "participations")) == 2
    again = run(db, scope, write_file(folder, "p2.xlsx", xlsx_bytes([P_HEADER, *rows])),
                "participations", enterprise, write=True)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    rows[1][5] = 2
    third = run(db, scope, write_file(folder, "p3.xlsx", xlsx_bytes([P_HEADER, *rows])),
                "participations", enterprise, write=True)
    assert (third.updated_count, third.report["fields"]) == (1, {"Số giờ": 1})
    db.refresh(made[hoa.id])
    assert made[hoa.id].hours == Decimal(2)


def test_participation_rejections_name_the_reason(db, make, folder):
    """Unknown activity, hours over the activity's, a date outside it, unknown CCCD,
    another enterprise's worker and a duplicate row each get their Vietnamese reason."""
    mine, other = make.enterprise(), make.enterprise()
    lan = make.worker(mine)
    stranger = make.worker(other, given="Khác")
    activity = make.activity(mine, hours=Decimal(4), start=date(2025, 5, 20))
    shared = make.activity(hours=Decimal(2), start=date(2025, 6, 1), title="Tuần lễ học tập")
    scope = make.scope(Role.ENTERPRISE, enterprise=mine)
    code = activity_code(activity.id)
    rows = [
        [1, "", lan.citizen_id, "HĐ-999999", "", 1, ""],
        [2, "", lan.citizen_id, code, "", 9, ""],
        [3, "", lan.citizen_id, code, "01/01/2025", 1, ""],
        [4, "", "038195099999", code, "", 1, ""],
        [5, "", stranger.citizen_id, code, "", 1, ""],
        [6, "", lan.citizen_id, activity_code(shared.id), "", 2, ""],
        [7, "", lan.citizen_id, activity_code(shared.id), "", 2, ""],
        [8, "", "12345", code, "", 1, ""],
        [9, "", lan.citizen_id, code, "32/13/2025", 1, ""],
    ]
    record = run(db, scope, write_file(folder, "p.xlsx", xlsx_bytes([P_HEADER, *rows])),
                 "participations", mine)
    reasons = dict(record.report["rejected"])
    assert "Không tìm thấy hoạt động mã «HĐ-999999»" in reasons[2]
    assert "vượt quá số giờ của hoạt động (4)" in reasons[3]
    assert "Ngày tham gia 01/01/2025 phải trong thời gian hoạt động" in reasons[4]
    assert "Không có người lao động số CCCD 038195099999" in reasons[5]
    assert "thuộc doanh nghiệp khác" in reasons[6]
    assert reasons[8] == "Trùng với dòng 7 trong tệp."
    assert "CCCD" in reasons[9]
    assert "Ngày tham gia" in reasons[10]
    assert record.created_count == 1 and record.rejected_count == 8


def test_participation_by_title_and_ambiguous_titles(db, make, folder):
    """An activity is found by its exact title (any case, no diacritics needed); two of the
    same title need the date or the code."""
    enterprise = make.enterprise()
    lan = make.worker(enterprise)
    make.activity(enterprise, title="Tập huấn an toàn lao động", start=date(2025, 3, 1))
    make.activity(enterprise, title="Tập huấn an toàn lao động", start=date(2025, 9, 1))
    scope = make.scope(Role.COMMUNE)
    header = ["Số CCCD", "Tên hoạt động", "Ngày tham gia"]
    rows = [[lan.citizen_id, "TAP HUAN AN TOAN LAO DONG", "01/09/2025"],
            [lan.citizen_id, "Tập huấn an toàn lao động", ""]]
    record = run(db, scope, write_file(folder, "p.xlsx", xlsx_bytes([header, *rows])),
                 "participations", enterprise)
    assert record.created_count == 1
    assert "Có 2 hoạt động tên" in dict(record.report["rejected"])[3]


def test_activities_import_uses_activity_rules_and_is_idempotent(db, make, folder):
    """Activities are created through the activity rules, found again by title and start date,
    and updated when a field changes."""
    enterprise = make.enterprise(name="Công ty May Sao Vàng")
    scope = make.scope(Role.COMMUNE)
    header = ["Tên hoạt động", "Lĩnh vực", "Hình thức", "Ngày bắt đầu", "Ngày kết thúc",
              "Số giờ", "Đơn vị tổ chức"]
    rows = [["Tập huấn Bộ luật Lao động", "a", "Tuyên truyền", "20/05/2025", "", 4,
             "Công đoàn công ty"],
            ["Lớp tin học văn phòng", "Công nghệ thông tin", "", "01/06/2025", "30/06/2025", 40,
             ""],
            ["Hội thi thợ giỏi", "b", "Hội thi", "01/07/2025", "01/07/2025", 30, ""],
            ["Ngày hội đọc sách", "c", "Dã ngoại", "01/08/2025", "", 2, ""]]
    record = run(db, scope, write_file(folder, "a.xlsx", xlsx_bytes([header, *rows])),
                 "activities", enterprise, write=True, mode=ImportMode.VALID_ONLY)
    reasons = dict(record.report["rejected"])
    assert "vượt quá 24 giờ cho 1 ngày" in reasons[4]
    assert "Hình thức «Dã ngoại» không rõ" in reasons[5]
    assert record.created_count == 2
    law = db.scalar(select(Activity).where(Activity.title == "Tập huấn Bộ luật Lao động"))
    assert (law.area, law.form, law.organiser_kind, law.enterprise_id, law.end_date) == (
        Area.LAW, ActivityForm.SEMINAR, OrganiserKind.UNION, enterprise.id, date(2025, 5, 20))
    it = db.scalar(select(Activity).where(Activity.title == "Lớp tin học văn phòng"))
    assert (it.form, it.organiser, it.hours) == (ActivityForm.COURSE, "Công ty May Sao Vàng",
                                                 Decimal(40))
    entry = db.scalar(select(AuditEntry).where(AuditEntry.entity_type == "activities",
                                               AuditEntry.entity_id == law.id))
    assert entry.import_id == record.id
    rows = rows[:2]
    rows[1][5] = 32
    again = run(db, scope, write_file(folder, "b.xlsx", xlsx_bytes([header, *rows])),
                "activities", enterprise, write=True)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert again.report["fields"] == {"Số giờ": 1}
    db.refresh(it)
    assert it.hours == Decimal(32)

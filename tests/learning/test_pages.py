"""Activity, attendance and participation pages as a commune officer."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.learning.models import Activity, Area, Participation
from tests.conftest import field_errors, flashes


@pytest.fixture
def officer(login_as):
    """The client signed in as a commune officer of the home commune."""
    return login_as(Role.COMMUNE)


@pytest.fixture
def enterprise(make):
    return make.enterprise(name="Công ty May Sao Vàng")


def form(**values) -> dict:
    fields = {"title": "Lớp an toàn lao động", "area": "skill", "form": "course",
              "organiser_kind": "union", "organiser": "Công đoàn xã", "enterprise_id": "0",
              "start_date": "2025-03-10", "end_date": "2025-03-11", "hours": "16",
              "location": "Nhà văn hóa", "description": ""}
    fields.update(values)
    return fields


def count(db, model=Activity) -> int:
    return db.scalar(select(func.count()).select_from(model))


def sheet(activity, *rows, attended_on=None) -> dict:
    """An attendance form: rows of (worker, ticked, hours)."""
    data = {"attended_on": (attended_on or activity.start_date).isoformat()}
    for i, (worker, ticked, hours) in enumerate(rows):
        data[f"rows-{i}-worker_id"] = str(worker.id)
        data[f"rows-{i}-hours"] = hours
        data[f"rows-{i}-completed"] = "y"
        if ticked:
            data[f"rows-{i}-selected"] = "y"
    return data


# --- activities -----------------------------------------------------------------------------


def test_list_filters(client, officer, make):
    """The list shows the year's activities of an area, newest first."""
    make.activity(title="Tuyên truyền pháp luật 2025", start=date(2025, 3, 1))
    make.activity(title="Kỹ năng số 2025", area=Area.DIGITAL, start=date(2025, 5, 1))
    make.activity(title="Tuyên truyền pháp luật 2024", start=date(2024, 3, 1))
    page = client.get("/hoat-dong?nam=2025").get_data(as_text=True)
    assert page.index("Kỹ năng số 2025") < page.index("Tuyên truyền pháp luật 2025")
    assert "Tuyên truyền pháp luật 2024" not in page
    law = client.get("/hoat-dong?nam=2025&linh_vuc=law").get_data(as_text=True)
    assert "Tuyên truyền pháp luật 2025" in law and "Kỹ năng số 2025" not in law
    found = client.get("/hoat-dong?q=ky nang so").get_data(as_text=True)
    assert "Kỹ năng số 2025" in found and "Tuyên truyền" not in found


def test_new_activity_form(client, officer, enterprise):
    """The form offers a commune-wide activity and the commune's enterprises."""
    page = client.get("/hoat-dong/moi").get_data(as_text=True)
    assert "— Hoạt động chung của xã —" in page
    assert f'<option value="{enterprise.id}">Công ty May Sao Vàng</option>' in page


def test_create_activity(client, db, officer, make, enterprise):
    """A valid form creates the activity, hours typed with a comma, and opens its page."""
    response = client.post("/hoat-dong/moi", data=form(
        enterprise_id=enterprise.id, hours="12,5", title="  Lớp  an toàn lao động ",
        description="Phần 1: an toàn điện\r\n\r\nPhần 2:  sơ cứu"
    ))
    assert response.status_code == 302
    activity = db.scalar(select(Activity))
    assert response.headers["Location"] == f"/hoat-dong/{activity.id}"
    assert (activity.title, activity.hours, activity.enterprise_id) == (
        "Lớp an toàn lao động", Decimal("12.5"), enterprise.id
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã tạo hoạt động Lớp an toàn lao động." in page
    assert "12,5" in page and "10/03/2025 – 11/03/2025" in page
    # The description keeps its lines, and the page shows them as lines.
    assert activity.description == "Phần 1: an toàn điện\nPhần 2: sơ cứu"
    assert '<dd class="col-sm-10 text-lines">Phần 1: an toàn điện\nPhần 2: sơ cứu</dd>' in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"end_date": "2025-03-09"}, "end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"hours": "-1"}, "hours", "Phải nằm trong khoảng 0 đến 2000."),
        ({"hours": "49"}, "hours", "Số giờ 49 vượt quá 48 giờ cho 2 ngày."),
        ({"hours": "2001"}, "hours", "Phải nằm trong khoảng 0 đến 2000."),
        ({"hours": "0"}, "hours", "Số giờ của hoạt động phải lớn hơn 0."),
        ({"enterprise_id": "999999"}, "enterprise_id", "Lựa chọn không hợp lệ."),
        ({"title": "T" * 256}, "title", "Không được dài quá 255 ký tự."),
        ({"title": " "}, "title", "Trường này bắt buộc phải nhập."),
        ({"start_date": ""}, "start_date", "Trường này bắt buộc phải nhập."),
        ({"area": "sport"}, "area", "Lựa chọn không hợp lệ."),
    ],
)
def test_bad_input_is_shown_on_the_field_and_nothing_saved(client, db, officer, values, field,
                                                           message):
    """Each bad value gets its Vietnamese message on its field; no activity is saved."""
    response = client.post("/hoat-dong/moi", data=form(**values))
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert count(db) == 0


def test_hours_that_are_no_number(client, db, officer):
    """Hours that are not a number are refused, first saying why."""
    response = client.post("/hoat-dong/moi", data=form(hours="mười"))
    assert response.status_code == 200
    assert field_errors(response, "hours")[0] == (
        "Phải là một số (dùng dấu chấm hoặc phẩy cho phần thập phân)."
    )
    assert count(db) == 0


def test_edit_activity(client, db, officer, make, enterprise):
    """The edit form is filled in; saving changes the activity."""
    activity = make.activity(enterprise, title="Tên cũ")
    page = client.get(f"/hoat-dong/{activity.id}/sua").get_data(as_text=True)
    assert 'value="Tên cũ"' in page
    assert f'<option selected value="{enterprise.id}">' in page
    response = client.post(f"/hoat-dong/{activity.id}/sua", data=form(
        title="Tên mới", enterprise_id=enterprise.id, start_date="2025-03-10",
        end_date="2025-03-10", hours="4",
    ))
    assert response.status_code == 302
    assert db.scalar(select(Activity.title)) == "Tên mới"


def test_edit_that_strands_participations_is_refused(client, db, officer, make, enterprise):
    """Moving an activity away from its recorded participations is refused on its field."""
    activity = make.activity(enterprise, start=date(2025, 3, 10), hours=Decimal(4))
    make.participation(activity, make.worker(enterprise))
    response = client.post(f"/hoat-dong/{activity.id}/sua", data=form(
        enterprise_id=enterprise.id, start_date="2025-04-01", end_date="2025-04-01", hours="4"
    ))
    assert response.status_code == 200
    assert field_errors(response, "start_date") == [
        "Đã có người tham gia từ 10/03/2025 đến 10/03/2025; thời gian hoạt động phải bao gồm "
        "các ngày đó."
    ]
    assert db.scalar(select(Activity.start_date)) == date(2025, 3, 10)


def test_activity_page_lists_participants(client, officer, make, enterprise):
    """The activity page lists who took part, with their hours."""
    activity = make.activity(enterprise, hours=Decimal("2.5"))
    make.participation(activity, make.worker(enterprise, given="Mai"))
    page = client.get(f"/hoat-dong/{activity.id}").get_data(as_text=True)
    assert "Nguyễn Thị Mai" in page and "2,5" in page
    assert "Điểm danh người tham gia" in page


def test_archive_and_restore_activity(client, db, officer, make):
    """An activity is archived and restored, each with a flash message."""
    activity = make.activity()
    archived = client.post(f"/hoat-dong/{activity.id}/luu-tru", follow_redirects=True)
    assert "Đã lưu trữ hoạt động." in flashes(archived)
    assert db.scalar(select(Activity.archived_at)) is not None
    restored = client.post(f"/hoat-dong/{activity.id}/khoi-phuc", follow_redirects=True)
    assert "Đã khôi phục hoạt động." in flashes(restored)
    assert db.scalar(select(Activity.archived_at)) is None


# --- attendance -----------------------------------------------------------------------------


def test_attendance_sheet_lists_eligible_workers(client, officer, make, enterprise):
    """The sheet lists the enterprise's staff not yet recorded, not others."""
    activity = make.activity(enterprise)
    make.worker(enterprise, given="An")
    recorded = make.worker(enterprise, given="Bình")
    make.participation(activity, recorded)
    make.worker(make.enterprise(), given="Cúc")
    page = client.get(f"/hoat-dong/{activity.id}/diem-danh").get_data(as_text=True)
    assert "Nguyễn Thị An" in page
    assert "Nguyễn Thị Bình" not in page and "Nguyễn Thị Cúc" not in page


def test_record_attendance_for_ticked_workers(client, db, officer, make, enterprise):
    """Ticked workers are recorded with their hours; unticked ones are not."""
    activity = make.activity(enterprise, hours=Decimal(4))
    an, binh = make.worker(enterprise, given="An"), make.worker(enterprise, given="Bình")
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (an, True, "3,5"), (binh, False, "4")))
    assert response.status_code == 302
    rows = db.execute(select(Participation.worker_id, Participation.hours)).all()
    assert [tuple(r) for r in rows] == [(an.id, Decimal("3.5"))]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi nhận 1 người tham gia." in page


def test_attendance_hours_above_the_activity(client, db, officer, make, enterprise):
    """Hours above the activity's refuse the sheet with the worker's name; nothing saved."""
    activity = make.activity(enterprise, hours=Decimal(4))
    an, binh = make.worker(enterprise, given="An"), make.worker(enterprise, given="Bình")
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (an, True, "4"), (binh, True, "5")))
    assert response.status_code == 200
    assert flashes(response) == [
        "Nguyễn Thị Bình: Số giờ 5 vượt quá số giờ của hoạt động (4)."
    ]
    assert count(db, Participation) == 0


def test_attendance_negative_hours(client, db, officer, make, enterprise):
    """Negative hours are shown on the worker's row; nothing saved."""
    activity = make.activity(enterprise)
    an = make.worker(enterprise, given="An")
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (an, True, "-1")))
    assert response.status_code == 200
    assert field_errors(response, "rows-0-hours") == ["Phải lớn hơn hoặc bằng 0."]
    assert count(db, Participation) == 0


def test_attendance_date_outside_the_activity(client, db, officer, make, enterprise):
    """A date outside the activity is refused on the date field."""
    activity = make.activity(enterprise, start=date(2025, 3, 10))
    an = make.worker(enterprise, given="An")
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (an, True, "4"), attended_on=date(2025, 3, 11)))
    assert response.status_code == 200
    assert field_errors(response, "attended_on") == [
        "Ngày tham gia phải trong thời gian hoạt động (10/03/2025 – 10/03/2025)."
    ]
    assert count(db, Participation) == 0


def test_attendance_of_a_worker_from_another_enterprise(client, db, officer, make, enterprise):
    """A forged row for another enterprise's worker is refused; nothing saved."""
    activity = make.activity(enterprise)
    outsider = make.worker(make.enterprise())
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (outsider, True, "4")))
    assert response.status_code == 200
    assert any("không làm việc tại đơn vị" in m for m in flashes(response))
    assert count(db, Participation) == 0


def test_nobody_ticked(client, db, officer, make, enterprise):
    """Submitting with nobody ticked says so."""
    activity = make.activity(enterprise)
    response = client.post(f"/hoat-dong/{activity.id}/diem-danh",
                           data=sheet(activity, (make.worker(enterprise), False, "4")))
    assert flashes(response) == ["Chưa chọn người lao động nào."]


# --- participations -------------------------------------------------------------------------


def test_edit_participation(client, db, officer, make, enterprise):
    """The participation form is filled in; saving corrects it."""
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12),
                             hours=Decimal(12))
    participation = make.participation(activity, make.worker(enterprise))
    page = client.get(f"/tham-gia/{participation.id}/sua").get_data(as_text=True)
    assert 'value="12"' in page
    response = client.post(f"/tham-gia/{participation.id}/sua", data={
        "attended_on": "2025-03-11", "hours": "6", "completed": "y", "result": "Giỏi",
        "note": "Bài kiểm tra",
    })
    assert response.status_code == 302
    row = db.execute(select(Participation.attended_on, Participation.hours,
                            Participation.result)).one()
    assert tuple(row) == (date(2025, 3, 11), Decimal(6), "Giỏi")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"hours": "13"}, "hours", "Số giờ 13 vượt quá số giờ của hoạt động (12)."),
        ({"hours": "-2"}, "hours", "Phải lớn hơn hoặc bằng 0."),
        ({"attended_on": "2025-03-13"}, "attended_on",
         "Ngày tham gia phải trong thời gian hoạt động (10/03/2025 – 12/03/2025)."),
        ({"note": "n" * 501}, "note", "Không được dài quá 500 ký tự."),
    ],
)
def test_bad_participation_edit(client, db, officer, make, enterprise, values, field, message):
    """Bad corrections are shown on their field and nothing changes."""
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12),
                             hours=Decimal(12))
    participation = make.participation(activity, make.worker(enterprise))
    data = {"attended_on": "2025-03-11", "hours": "6", "result": "", "note": ""}
    data.update(values)
    response = client.post(f"/tham-gia/{participation.id}/sua", data=data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    row = db.execute(select(Participation.attended_on, Participation.hours)).one()
    assert tuple(row) == (date(2025, 3, 10), Decimal(12))


def test_withdraw_and_restore_participation(client, db, officer, make, enterprise):
    """A participation is withdrawn (kept, not counted) and restored."""
    activity = make.activity(enterprise)
    participation = make.participation(activity, make.worker(enterprise, given="Mai"))
    withdrawn = client.post(f"/tham-gia/{participation.id}/luu-tru", follow_redirects=True)
    assert "Đã rút lượt tham gia (vẫn lưu trong lịch sử)." in flashes(withdrawn)
    assert "Nguyễn Thị Mai" not in withdrawn.get_data(as_text=True)
    assert db.scalar(select(Participation.archived_at)) is not None
    restored = client.post(f"/tham-gia/{participation.id}/khoi-phuc", follow_redirects=True)
    assert "Đã khôi phục lượt tham gia." in flashes(restored)
    assert db.scalar(select(Participation.archived_at)) is None

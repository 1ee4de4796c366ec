"""Rules for activities, attendance and the worker's learning record."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.errors import DomainError
from registry.learning import services
from registry.learning.models import Activity, Area, Participation
from registry.learning.services import ActivityData, AttendanceEntry
from tests.conftest import OTHER_COMMUNE


@pytest.fixture
def officer(make):
    """The scope of a commune officer of the home commune."""
    return make.scope(Role.COMMUNE)


def data(**values) -> ActivityData:
    fields = {
        "title": "Lớp an toàn lao động",
        "area": "skill",
        "form": "course",
        "organiser_kind": "union",
        "organiser": "Công đoàn xã",
        "commune_id": None,
        "enterprise_id": None,
        "start_date": date(2025, 3, 10),
        "end_date": date(2025, 3, 11),
        "hours": Decimal(16),
    }
    fields.update(values)
    return ActivityData(**fields)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def entry(worker, hours=4, **values) -> AttendanceEntry:
    return AttendanceEntry(worker_id=worker.id, hours=Decimal(hours), **values)


# --- activities -----------------------------------------------------------------------------


def test_commune_officer_creates_a_commune_wide_activity(db, make, officer):
    """With no enterprise, the activity belongs to the officer's commune; title stored NFC."""
    activity = services.save_activity(
        db, officer, data(title=unicodedata.normalize("NFD", "  Hội thi  «Bàn tay vàng» "))
    )
    db.expire_all()
    stored = db.get(Activity, activity.id)
    assert stored.title == "Hội thi «Bàn tay vàng»"
    assert stored.search_title == "hoi thi «ban tay vang»"
    assert (stored.commune_id, stored.enterprise_id) == (make.commune().id, None)
    assert stored.hours == Decimal(16)


def test_enterprise_activity_takes_the_enterprise_commune(db, make, officer):
    """An activity of an enterprise in scope is placed in that enterprise's commune."""
    enterprise = make.enterprise()
    activity = services.save_activity(db, officer, data(enterprise_id=enterprise.id))
    assert (activity.commune_id, activity.enterprise_id) == (enterprise.commune_id, enterprise.id)


def test_enterprise_officer_activities_are_their_enterprise(db, make):
    """An enterprise officer's activity is always their own enterprise's, whatever is sent."""
    own, other = make.enterprise(), make.enterprise()
    scope = make.scope(Role.ENTERPRISE, enterprise=own)
    activity = services.save_activity(db, scope, data(enterprise_id=other.id))
    assert activity.enterprise_id == own.id


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"end_date": date(2025, 3, 9)}, "end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"hours": Decimal(-1)}, "hours", "Số giờ không được âm."),
        ({"hours": Decimal(0)}, "hours", "Số giờ của hoạt động phải lớn hơn 0."),
        ({"hours": Decimal("48.1")}, "hours", "Số giờ 48,1 vượt quá 48 giờ cho 2 ngày."),
        ({"hours": "nhiều"}, "hours", "Số giờ phải là một số."),
        ({"title": ""}, "title", "Chưa nhập tên hoạt động."),
        ({"title": "T" * 256}, "title", "Tên hoạt động dài 256 ký tự, tối đa 255 ký tự."),
        ({"area": "sport"}, "area", "Hãy chọn lĩnh vực trong danh sách."),
        ({"location": "L" * 256}, "location", "Địa điểm dài 256 ký tự, tối đa 255 ký tự."),
        ({"description": "D" * 5001}, "description", "Nội dung dài 5001 ký tự, tối đa 5000 ký tự."),
        ({"enterprise_id": 999_999}, "enterprise_id", "Hãy chọn doanh nghiệp trong phạm vi"),
    ],
)
def test_bad_activities_are_refused_and_nothing_written(db, officer, values, field, message):
    """Each bad value is refused on its field in Vietnamese, and no activity is created."""
    with pytest.raises(DomainError) as error:
        services.save_activity(db, officer, data(**values))
    assert list(error.value.fields) == [field]
    assert error.value.fields[field].startswith(message)
    assert count(db, Activity) == 0


def test_hours_ceiling_is_2000(db, officer):
    """A long course may have many hours, but not more than 2000."""
    long_course = {"start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31)}
    assert services.save_activity(db, officer, data(hours=Decimal(2000), **long_course))
    with pytest.raises(DomainError, match="vượt quá 2000"):
        services.save_activity(db, officer, data(hours=Decimal(2001), **long_course))


def test_enterprise_of_another_commune_is_refused(db, make, officer):
    """A commune officer cannot register an activity for another commune's enterprise."""
    far = make.enterprise(commune=OTHER_COMMUNE)
    with pytest.raises(DomainError) as error:
        services.save_activity(db, officer, data(enterprise_id=far.id))
    assert set(error.value.fields) == {"enterprise_id"}


def test_province_viewer_cannot_save(db, make):
    """The read-only scope is refused."""
    with pytest.raises(DomainError, match="chỉ được xem"):
        services.save_activity(db, make.scope(Role.PROVINCE), data())


def test_refused_edit_leaves_the_activity_unchanged(db, make, officer):
    """An edit refused late (over-long location) changes none of the other fields."""
    activity = make.activity(title="Tên cũ")
    with pytest.raises(DomainError):
        services.save_activity(db, officer, data(title="Tên mới", location="x" * 256), activity)
    assert db.scalar(select(Activity.title).where(Activity.id == activity.id)) == "Tên cũ"


def test_edit_cannot_strand_recorded_dates(db, make, officer):
    """Shortening an activity so that a participation falls outside is refused."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12),
                             hours=Decimal(12))
    make.participation(activity, make.worker(enterprise), attended_on=date(2025, 3, 12))
    with pytest.raises(DomainError) as error:
        services.save_activity(
            db, officer,
            data(enterprise_id=enterprise.id, start_date=date(2025, 3, 10),
                 end_date=date(2025, 3, 11), hours=Decimal(12)),
            activity,
        )
    assert "12/03/2025" in error.value.fields["start_date"]
    assert db.scalar(select(Activity.end_date)) == date(2025, 3, 12)


def test_edit_cannot_strand_recorded_hours(db, make, officer):
    """Lowering an activity's hours below a participant's hours is refused."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, hours=Decimal(4))
    make.participation(activity, make.worker(enterprise), hours=Decimal("3.5"))
    with pytest.raises(DomainError) as error:
        services.save_activity(
            db, officer,
            data(enterprise_id=enterprise.id, start_date=activity.start_date,
                 end_date=activity.end_date, hours=Decimal(3)),
            activity,
        )
    assert error.value.fields == {
        "hours": "Đã có người được ghi 3,5 giờ; số giờ của hoạt động không được nhỏ hơn."
    }


def test_withdrawn_participations_do_not_block_an_edit(db, make, officer):
    """An archived participation no longer constrains the activity's dates."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12))
    participation = make.participation(activity, make.worker(enterprise),
                                       attended_on=date(2025, 3, 12))
    services.archive_participation(db, participation)
    services.save_activity(
        db, officer,
        data(enterprise_id=enterprise.id, start_date=date(2025, 3, 10),
             end_date=date(2025, 3, 10), hours=Decimal(4)),
        activity,
    )
    assert activity.end_date == date(2025, 3, 10)


def test_list_filters_by_year_area_search_and_archive(db, make, officer):
    """Activities overlapping the year, of the area, matching the title, not archived."""
    spanning = make.activity(start=date(2024, 12, 30), end=date(2025, 1, 2), area=Area.LIFE,
                             title="Tuần lễ học tập suốt đời", hours=Decimal(8))
    old = make.activity(start=date(2024, 5, 1), area=Area.LIFE, title="Kỹ năng sống 2024")
    digital = make.activity(start=date(2025, 5, 1), area=Area.DIGITAL, title="Ứng dụng VNeID")
    archived = make.activity(start=date(2025, 6, 1), title="Đã hủy")
    services.archive_activity(db, archived)
    make.activity(start=date(2025, 5, 1), commune=OTHER_COMMUNE, title="Xã khác")

    def found(**filters):
        return db.scalars(services.activities_query(officer, **filters)).all()

    assert found(year=2025) == [digital, spanning]
    assert found(year=2024) == [spanning, old]
    assert found(area="life") == [spanning, old]
    assert found(query="vneid") == [digital]
    assert found(archived=True) == [archived]


# --- attendance -----------------------------------------------------------------------------


def test_record_attendance_for_many_workers(db, make, officer):
    """Ticked workers get one participation each with their hours and result."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, hours=Decimal(4))
    first, second = make.worker(enterprise), make.worker(enterprise)
    created = services.record_attendance(
        db, officer, activity,
        [entry(first), entry(second, hours="2.5", completed=False, result=" Khá ")],
        activity.start_date,
    )
    assert len(created) == 2
    rows = db.execute(select(Participation.worker_id, Participation.hours,
                             Participation.completed, Participation.result)
                      .order_by(Participation.worker_id)).all()
    assert [tuple(r) for r in rows] == [
        (first.id, Decimal(4), True, ""),
        (second.id, Decimal("2.5"), False, "Khá"),
    ]


@pytest.mark.parametrize(
    ("hours", "message"),
    [("4.5", "Số giờ 4,5 vượt quá số giờ của hoạt động (4)."), ("-1", "Số giờ không được âm.")],
)
def test_hours_beyond_the_activity_refuse_the_sheet(db, make, officer, hours, message):
    """Hours above the activity's or negative refuse the whole sheet, naming the worker."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, hours=Decimal(4))
    good = make.worker(enterprise, given="An")
    bad = make.worker(enterprise, given="Bình")
    with pytest.raises(DomainError) as error:
        services.record_attendance(db, officer, activity, [entry(good), entry(bad, hours)],
                                   activity.start_date)
    assert error.value.message == f"Nguyễn Thị Bình: {message}"
    assert count(db, Participation) == 0


def test_participation_date_must_fall_inside_the_activity(db, make, officer):
    """The attendance date must lie between the activity's start and end."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 11))
    with pytest.raises(DomainError) as error:
        services.record_attendance(db, officer, activity, [entry(make.worker(enterprise))],
                                   date(2025, 3, 12))
    assert error.value.fields == {
        "attended_on": "Ngày tham gia phải trong thời gian hoạt động (10/03/2025 – 11/03/2025)."
    }


def test_worker_cannot_be_recorded_twice(db, make, officer):
    """A worker already recorded for the activity is refused, by name."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise)
    worker = make.worker(enterprise, given="Lan")
    make.participation(activity, worker)
    with pytest.raises(DomainError) as error:
        services.record_attendance(db, officer, activity, [entry(worker)], activity.start_date)
    assert error.value.message == "Nguyễn Thị Lan: đã được ghi nhận tham gia hoạt động này."
    assert count(db, Participation) == 1


def test_same_worker_twice_on_one_sheet_is_refused(db, make, officer):
    """Ticking the same worker twice in one sheet is refused."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise)
    worker = make.worker(enterprise)
    with pytest.raises(DomainError, match="chọn hai lần"):
        services.record_attendance(db, officer, activity, [entry(worker), entry(worker)],
                                   activity.start_date)


def test_worker_of_another_enterprise_is_refused(db, make, officer):
    """An enterprise's activity takes only that enterprise's workers."""
    enterprise, other = make.enterprise(), make.enterprise()
    activity = make.activity(enterprise)
    outsider = make.worker(other)
    with pytest.raises(DomainError, match=f"#{outsider.id} không làm việc tại đơn vị"):
        services.record_attendance(db, officer, activity, [entry(outsider)],
                                   activity.start_date)
    assert count(db, Participation) == 0


def test_worker_not_employed_during_the_activity_is_refused(db, make, officer):
    """A worker who left before the activity cannot attend it."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10))
    gone = make.worker(enterprise, start=date(2020, 1, 1), end=date(2025, 3, 9))
    with pytest.raises(DomainError, match="không làm việc tại đơn vị"):
        services.record_attendance(db, officer, activity, [entry(gone)], activity.start_date)


def test_enterprise_officer_records_only_own_workers_at_commune_activity(db, make):
    """At a commune-wide activity an enterprise officer may tick only their own staff."""
    own, other = make.enterprise(), make.enterprise()
    activity = make.activity()
    scope = make.scope(Role.ENTERPRISE, enterprise=own)
    mine, theirs = make.worker(own), make.worker(other)
    with pytest.raises(DomainError):
        services.record_attendance(db, scope, activity, [entry(theirs)], activity.start_date)
    assert len(services.record_attendance(db, scope, activity, [entry(mine)],
                                          activity.start_date)) == 1


def test_archived_activity_takes_no_attendance(db, make, officer):
    """A withdrawn activity accepts no more participants."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise)
    services.archive_activity(db, activity)
    with pytest.raises(DomainError, match="đã lưu trữ"):
        services.record_attendance(db, officer, activity, [entry(make.worker(enterprise))],
                                   activity.start_date)


def test_empty_sheet_is_refused(db, make, officer):
    """Submitting the sheet with nobody ticked is refused."""
    with pytest.raises(DomainError, match="Chưa chọn người lao động nào"):
        services.record_attendance(db, officer, make.activity(), [], date(2025, 3, 10))


def test_update_participation(db, make):
    """A participation's date, hours, result and note are corrected and cleaned."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12),
                             hours=Decimal(12))
    participation = make.participation(activity, make.worker(enterprise))
    services.update_participation(db, participation, date(2025, 3, 11), Decimal("7.5"), False,
                                  " Giỏi ", " Ảnh chụp ")
    row = db.execute(select(Participation.attended_on, Participation.hours,
                            Participation.completed, Participation.result,
                            Participation.note)).one()
    assert tuple(row) == (date(2025, 3, 11), Decimal("7.5"), False, "Giỏi", "Ảnh chụp")


def test_refused_participation_update_leaves_it_unchanged(db, make):
    """A correction refused for its hours does not move the date either."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise, start=date(2025, 3, 10), end=date(2025, 3, 12),
                             hours=Decimal(4))
    participation = make.participation(activity, make.worker(enterprise))
    with pytest.raises(DomainError) as error:
        services.update_participation(db, participation, date(2025, 3, 11), Decimal(5), True)
    assert set(error.value.fields) == {"hours"}
    assert db.scalar(select(Participation.attended_on)) == date(2025, 3, 10)


def test_participation_update_outside_the_activity_is_refused(db, make):
    """A corrected date outside the activity is refused on its field."""
    enterprise = make.enterprise()
    activity = make.activity(enterprise)
    participation = make.participation(activity, make.worker(enterprise))
    with pytest.raises(DomainError) as error:
        services.update_participation(db, participation, date(2025, 1, 1), Decimal(1), True)
    assert set(error.value.fields) == {"attended_on"}


# --- learning record ------------------------------------------------------------------------


def test_learning_record_groups_by_year_and_area(db, make):
    """Counted participations grouped by year (newest first) and area, with hour totals."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    law24 = make.activity(enterprise, area=Area.LAW, start=date(2024, 4, 1), hours=Decimal(2))
    law25 = make.activity(enterprise, area=Area.LAW, start=date(2025, 4, 1), hours=Decimal(3))
    life25 = make.activity(enterprise, area=Area.LIFE, start=date(2025, 2, 1),
                           hours=Decimal("1.5"))
    withdrawn = make.activity(enterprise, area=Area.DIGITAL, start=date(2025, 5, 1))
    cancelled = make.activity(enterprise, area=Area.SKILL, start=date(2025, 6, 1))
    for activity in (law24, law25, life25, withdrawn, cancelled):
        make.participation(activity, worker)
    services.archive_participation(
        db, db.scalar(select(Participation).where(Participation.activity_id == withdrawn.id))
    )
    services.archive_activity(db, cancelled)

    record = services.learning_record(db, worker)
    assert [year.year for year in record] == [2025, 2024]
    latest = record[0]
    assert latest.areas_covered == [Area.LAW, Area.LIFE]
    assert list(latest.by_area) == [Area.LAW, Area.LIFE]
    assert latest.hours == Decimal("4.5")
    assert latest.area_hours(Area.LIFE) == Decimal("1.5")
    assert record[1].areas_covered == [Area.LAW]

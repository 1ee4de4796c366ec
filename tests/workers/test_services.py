"""Rules for workers: identity checks, one record per person, employment history, archiving."""

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.errors import DomainError
from registry.workers import services
from registry.workers.cccd import FEMALE, MALE
from registry.workers.models import Employment, Worker
from registry.workers.services import EmploymentData, WorkerData, normalise_phone
from tests.conftest import OTHER_COMMUNE

TODAY = date(2025, 6, 15)


def data(**values) -> WorkerData:
    """A valid worker as entered, with values overridden."""
    fields = {
        "family_name": "Lê",
        "middle_name": "Thị",
        "given_name": "Hoa",
        "sex": FEMALE,
        "birth_date": date(1995, 4, 2),
        "citizen_id": "038195000777",
        "phone": "0912 345 678",
    }
    fields.update(values)
    return WorkerData(**fields)


def employment(enterprise, **values) -> EmploymentData:
    return EmploymentData(**{"enterprise_id": enterprise.id, "start_date": date(2024, 1, 2),
                             **values})


def count(db, model=Worker) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def officer(make):
    """The scope of a commune officer of the home commune."""
    return make.scope(Role.COMMUNE)


# --- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),
        ("02373 852 123", "02373852123"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_are_normalised(raw, phone):
    """Phone numbers are stored as 0 followed by 9 or 10 digits, whatever the spelling."""
    assert normalise_phone(raw) == phone


@pytest.mark.parametrize("raw", ["12345", "09123456", "091234567890", "abc", "+1 202 555 0100"])
def test_bad_phone_numbers_are_refused(raw):
    """Numbers that are no Vietnamese phone number get a message on the phone field."""
    with pytest.raises(DomainError) as error:
        normalise_phone(raw)
    assert "Số điện thoại phải gồm 10 chữ số" in error.value.fields["phone"]


# --- creating -------------------------------------------------------------------------------


def test_create_worker_opens_an_employment(db, make, officer):
    """A new worker gets their first employment period and current enterprise."""
    enterprise = make.enterprise()
    worker = services.create_worker(db, officer, data(), employment(enterprise), TODAY)
    assert worker.full_name == "Lê Thị Hoa"
    assert worker.current_enterprise_id == enterprise.id
    assert worker.phone == "0912345678"
    periods = db.scalars(select(Employment).where(Employment.worker_id == worker.id)).all()
    assert [(p.enterprise_id, p.start_date, p.end_date) for p in periods] == [
        (enterprise.id, date(2024, 1, 2), None)
    ]


def test_text_is_stored_nfc_trimmed_and_capitalised(db, make, officer):
    """Decomposed, padded or shouted names are stored NFC, trimmed, capitalised per word."""
    enterprise = make.enterprise()
    worker = services.create_worker(
        db, officer,
        data(family_name=unicodedata.normalize("NFD", "  NGUYỄN "),
             middle_name=" thị   thu ", given_name=unicodedata.normalize("NFD", "Hương  ")),
        employment(enterprise, position="  Công nhân   may "),
        TODAY,
    )
    db.expire_all()
    stored = db.get(Worker, worker.id)
    assert (stored.family_name, stored.middle_name, stored.given_name) == (
        "Nguyễn", "Thị Thu", "Hương"
    )
    assert stored.full_name == "Nguyễn Thị Thu Hương"
    assert unicodedata.is_normalized("NFC", stored.full_name)
    assert stored.search_name == "nguyen thi thu huong"
    assert stored.employments[0].position == "Công nhân may"


def test_duplicate_citizen_id_is_refused(db, make, officer):
    """A CCCD already in the registry is refused, pointing to «Tiếp nhận người lao động»."""
    enterprise = make.enterprise()
    existing = make.worker(enterprise)
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer,
            data(citizen_id=existing.citizen_id, birth_date=existing.birth_date),
            employment(enterprise), TODAY,
        )
    assert "đã có hồ sơ người lao động" in error.value.fields["citizen_id"]
    assert "Tiếp nhận người lao động" in error.value.fields["citizen_id"]
    assert count(db) == 1


def test_duplicate_citizen_id_is_found_in_another_spelling(db, make, officer):
    """The same CCCD typed with spaces or without its leading zero is still a duplicate."""
    enterprise = make.enterprise()
    existing = make.worker(enterprise)
    spaced = " ".join([existing.citizen_id[1:4], existing.citizen_id[4:]])
    with pytest.raises(DomainError, match="đã có hồ sơ"):
        services.create_worker(
            db, officer, data(citizen_id=spaced, birth_date=existing.birth_date),
            employment(enterprise), TODAY,
        )


def test_inconsistent_citizen_id_is_refused_on_its_field(db, make, officer):
    """A CCCD whose digits disagree with the recorded sex is refused on the CCCD field."""
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer, data(sex=MALE), employment(make.enterprise()), TODAY
        )
    assert error.value.fields == {
        "citizen_id": "Số CCCD cho biết giới tính Nữ, khác với giới tính đã ghi Nam."
    }


def test_birth_date_in_the_future_is_refused(db, make, officer):
    """A birth date after today is refused on the birth date field."""
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer, data(birth_date=date(2025, 6, 16), citizen_id="038325000777"),
            employment(make.enterprise()), TODAY,
        )
    assert error.value.fields == {"birth_date": "Ngày sinh không được ở tương lai."}


def test_worker_under_15_is_refused(db, make, officer):
    """A worker one day short of 15 is refused with their age."""
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer, data(birth_date=date(2010, 6, 16), citizen_id="038310000777"),
            employment(make.enterprise(), start_date=date(2025, 6, 1)), TODAY,
        )
    assert error.value.fields == {
        "birth_date": "Người lao động phải từ đủ 15 tuổi (theo ngày sinh là 14 tuổi)."
    }
    assert count(db) == 0


def test_worker_of_exactly_15_is_accepted(db, make, officer):
    """On their fifteenth birthday a worker may be registered."""
    worker = services.create_worker(
        db, officer, data(birth_date=date(2010, 6, 15), citizen_id="038310000777"),
        employment(make.enterprise(), start_date=date(2025, 6, 15)), TODAY,
    )
    assert worker.birth_date == date(2010, 6, 15)


def test_minimum_age_is_a_setting(db, make, officer):
    """The minimum age comes from the caller (the REGISTRY_MIN_WORKER_AGE setting)."""
    with pytest.raises(DomainError, match="phải từ đủ 31 tuổi"):
        services.create_worker(db, officer, data(), employment(make.enterprise()), TODAY, 31)


def test_birth_year_only_is_stored_as_first_of_january(db, make, officer):
    """When only the year is known, the birth date is 1 January and flagged."""
    worker = services.create_worker(
        db, officer, data(birth_date=date(1995, 8, 9), birth_year_only=True),
        employment(make.enterprise()), TODAY,
    )
    assert worker.birth_date == date(1995, 1, 1)
    assert worker.birth_year_only


def test_legacy_cmnd_is_accepted_only_when_flagged(db, make, officer):
    """A 9-digit CMND is refused unless marked as legacy, then stored with the flag."""
    enterprise = make.enterprise()
    with pytest.raises(DomainError) as error:
        services.create_worker(db, officer, data(citizen_id="172345678"),
                               employment(enterprise), TODAY)
    assert "31/12/2024" in error.value.fields["citizen_id"]
    worker = services.create_worker(
        db, officer, data(citizen_id="172345678", citizen_id_legacy=True),
        employment(enterprise), TODAY,
    )
    assert (worker.citizen_id, worker.citizen_id_legacy) == ("172345678", True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "H" * 51, "Tên dài 51 ký tự, tối đa 50 ký tự."),
        ("family_name", "N" * 51, "Họ dài 51 ký tự, tối đa 50 ký tự."),
        ("middle_name", "T" * 81, "Tên đệm dài 81 ký tự, tối đa 80 ký tự."),
        ("given_name", "  ", "Chưa nhập tên."),
        ("given_name", "Thu Hoa", "Tên chỉ gồm một từ; phần còn lại ghi vào tên đệm."),
        ("sex", "X", "Hãy chọn giới tính Nam hoặc Nữ."),
    ],
)
def test_bad_names_are_refused_naming_the_field(db, make, officer, field, value, message):
    """Over-long, missing or two-word names get a Vietnamese message on their field."""
    with pytest.raises(DomainError) as error:
        services.create_worker(db, officer, data(**{field: value}),
                               employment(make.enterprise()), TODAY)
    assert error.value.fields == {field: message}
    assert count(db) == 0


def test_enterprise_outside_the_scope_is_refused(db, make, officer):
    """An officer cannot hire into another commune's enterprise, nor an unknown one."""
    far = make.enterprise(commune=OTHER_COMMUNE)
    for enterprise_id in (far.id, 999_999):
        with pytest.raises(DomainError) as error:
            services.create_worker(
                db, officer, data(), EmploymentData(enterprise_id, date(2024, 1, 2)), TODAY
            )
        assert set(error.value.fields) == {"enterprise_id"}
    assert count(db) == 0


def test_archived_enterprise_cannot_hire(db, make, officer):
    """An archived enterprise is not offered for new employment."""
    enterprise = make.enterprise()
    enterprise.archived_at = enterprise.created_at
    with pytest.raises(DomainError, match="phạm vi quản lý"):
        services.create_worker(db, officer, data(), employment(enterprise), TODAY)


def test_enterprise_officer_hires_only_into_their_enterprise(db, make):
    """An enterprise officer may register workers of their own enterprise only."""
    own, other = make.enterprise(), make.enterprise()
    scope = make.scope(Role.ENTERPRISE, enterprise=own)
    with pytest.raises(DomainError):
        services.create_worker(db, scope, data(), employment(other), TODAY)
    assert services.create_worker(db, scope, data(), employment(own), TODAY).id


def test_province_viewer_cannot_create(db, make):
    """The read-only provincial scope cannot register a worker."""
    scope = make.scope(Role.PROVINCE)
    with pytest.raises(DomainError):
        services.create_worker(db, scope, data(), employment(make.enterprise()), TODAY)


def test_start_date_far_in_the_future_is_refused(db, make, officer):
    """Employment may start at most a month ahead."""
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer, data(), employment(make.enterprise(), start_date=date(2025, 7, 17)),
            TODAY,
        )
    assert set(error.value.fields) == {"start_date"}


def test_refused_position_writes_nothing(db, make, officer):
    """A refusal found late (an over-long position) leaves no worker behind."""
    with pytest.raises(DomainError) as error:
        services.create_worker(
            db, officer, data(), employment(make.enterprise(), position="x" * 121), TODAY
        )
    assert error.value.fields == {"position": "Vị trí việc làm dài 121 ký tự, tối đa 120 ký tự."}
    assert count(db) == 0
    assert count(db, Employment) == 0


# --- updating, archiving --------------------------------------------------------------------


def test_update_worker_changes_details(db, make):
    """Correcting a worker's details rewrites name and derived keys."""
    worker = make.worker(make.enterprise())
    services.update_worker(
        db, worker,
        data(family_name="Phạm", given_name="Lan", citizen_id=worker.citizen_id,
             birth_date=worker.birth_date, phone=""),
        TODAY,
    )
    db.expire_all()
    assert db.get(Worker, worker.id).full_name == "Phạm Thị Lan"
    assert db.get(Worker, worker.id).search_name == "pham thi lan"


def test_update_keeps_own_citizen_id_but_refuses_another(db, make):
    """A worker keeps their own CCCD on update but cannot take someone else's."""
    enterprise = make.enterprise()
    worker, other = make.worker(enterprise), make.worker(enterprise)
    services.update_worker(
        db, worker, data(citizen_id=worker.citizen_id, birth_date=worker.birth_date), TODAY
    )
    with pytest.raises(DomainError, match="đã có hồ sơ"):
        services.update_worker(
            db, worker, data(citizen_id=other.citizen_id, birth_date=other.birth_date), TODAY
        )


def test_refused_update_leaves_the_record_unchanged(db, make):
    """A refusal found late (a bad phone) leaves every field as it was."""
    worker = make.worker(make.enterprise(), family="Nguyễn", given="Lan")
    with pytest.raises(DomainError) as error:
        services.update_worker(
            db, worker,
            data(family_name="Phạm", citizen_id=worker.citizen_id,
                 birth_date=worker.birth_date, phone="123"),
            TODAY,
        )
    assert set(error.value.fields) == {"phone"}
    row = db.execute(select(Worker.family_name, Worker.full_name, Worker.phone)
                     .where(Worker.id == worker.id)).one()
    assert tuple(row) == ("Nguyễn", "Nguyễn Thị Lan", "")


def test_archived_worker_cannot_be_edited(db, make):
    """An archived record must be restored before it is corrected."""
    worker = make.worker(make.enterprise())
    services.archive_worker(db, worker)
    with pytest.raises(DomainError, match="khôi phục"):
        services.update_worker(
            db, worker, data(citizen_id=worker.citizen_id, birth_date=worker.birth_date), TODAY
        )


def test_archive_and_restore(db, make):
    """Archiving sets archived_at, a second archive is refused, restoring clears it."""
    worker = make.worker(make.enterprise())
    services.archive_worker(db, worker)
    assert worker.archived_at is not None
    with pytest.raises(DomainError, match="đã được lưu trữ"):
        services.archive_worker(db, worker)
    services.restore_worker(db, worker)
    assert db.scalar(select(Worker.archived_at).where(Worker.id == worker.id)) is None


# --- employment -----------------------------------------------------------------------------


def test_end_employment_closes_the_open_period(db, make):
    """A worker leaving gets an end date and no current enterprise."""
    worker = make.worker(make.enterprise(), start=date(2022, 3, 1))
    period = services.end_employment(db, worker, date(2025, 5, 31))
    assert period.end_date == date(2025, 5, 31)
    assert worker.current_enterprise_id is None


def test_end_before_start_is_refused(db, make):
    """An end date before the period's start is refused on the end date field."""
    worker = make.worker(make.enterprise(), start=date(2022, 3, 1))
    with pytest.raises(DomainError) as error:
        services.end_employment(db, worker, date(2022, 2, 28))
    assert error.value.fields == {
        "end_date": "Ngày nghỉ việc phải từ ngày bắt đầu 01/03/2022 trở đi."
    }


def test_transfer_keeps_one_record_with_two_periods(db, make, officer):
    """Moving to another enterprise closes the old period the day before the new one."""
    first, second = make.enterprise(), make.enterprise()
    worker = make.worker(first, start=date(2020, 1, 1))
    services.transfer_worker(
        db, officer, worker, EmploymentData(second.id, date(2025, 3, 1)), TODAY
    )
    assert count(db) == 1
    periods = db.execute(
        select(Employment.enterprise_id, Employment.start_date, Employment.end_date)
        .where(Employment.worker_id == worker.id).order_by(Employment.start_date)
    ).all()
    assert [tuple(p) for p in periods] == [
        (first.id, date(2020, 1, 1), date(2025, 2, 28)),
        (second.id, date(2025, 3, 1), None),
    ]
    assert db.scalar(select(Worker.current_enterprise_id)) == second.id


def test_transfer_to_the_same_enterprise_is_refused(db, make, officer):
    """A worker cannot be moved to the enterprise they work for."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise)
    with pytest.raises(DomainError) as error:
        services.transfer_worker(
            db, officer, worker, EmploymentData(enterprise.id, date(2025, 3, 1)), TODAY
        )
    assert set(error.value.fields) == {"enterprise_id"}


def test_transfer_must_start_after_the_open_period(db, make, officer):
    """The new period must start after the open one started."""
    worker = make.worker(make.enterprise(), start=date(2024, 5, 1))
    with pytest.raises(DomainError) as error:
        services.transfer_worker(
            db, officer, worker, EmploymentData(make.enterprise().id, date(2024, 5, 1)), TODAY
        )
    assert "01/05/2024" in error.value.fields["start_date"]


def test_refused_transfer_leaves_the_open_period_open(db, make, officer):
    """A transfer refused late (an over-long position) does not close the current period."""
    worker = make.worker(make.enterprise(), start=date(2020, 1, 1))
    with pytest.raises(DomainError):
        services.transfer_worker(
            db, officer, worker,
            EmploymentData(make.enterprise().id, date(2025, 3, 1), position="x" * 121), TODAY,
        )
    assert db.scalars(select(Employment.end_date)).all() == [None]
    assert count(db, Employment) == 1


def test_receive_takes_over_by_citizen_id_and_birth_year(db, make):
    """Another enterprise takes over the record knowing the CCCD and birth year."""
    first, second = make.enterprise(), make.enterprise()
    worker = make.worker(first, start=date(2020, 1, 1), birth=date(1990, 2, 3))
    scope = make.scope(Role.ENTERPRISE, enterprise=second)
    received = services.receive_worker(
        db, scope, worker.citizen_id[1:], 1990, EmploymentData(second.id, date(2025, 4, 1)), TODAY
    )
    assert received.id == worker.id
    assert count(db) == 1
    assert [(e.enterprise_id, e.end_date) for e in received.employments] == [
        (first.id, date(2025, 3, 31)),
        (second.id, None),
    ]


def test_receive_needs_the_right_birth_year(db, make, officer):
    """A CCCD with the wrong birth year reveals nothing and changes nothing."""
    enterprise = make.enterprise()
    worker = make.worker(enterprise, birth=date(1990, 2, 3))
    with pytest.raises(DomainError) as error:
        services.receive_worker(
            db, officer, worker.citizen_id, 1991,
            EmploymentData(make.enterprise().id, date(2025, 4, 1)), TODAY,
        )
    assert "Không tìm thấy hồ sơ" in error.value.fields["citizen_id"]
    assert worker.full_name not in error.value.fields["citizen_id"]
    assert count(db, Employment) == 1


# --- lists ----------------------------------------------------------------------------------


def test_search_ignores_accents_and_matches_citizen_id_prefix(db, make, officer):
    """"nguyen" finds Nguyễn; digits match the start of the CCCD; others are left out."""
    enterprise = make.enterprise()
    nguyen = make.worker(enterprise, family="Nguyễn", given="Hà")
    tran = make.worker(enterprise, family="Trần", given="Đức", sex=MALE)

    def found(query):
        return db.scalars(
            services.filter_by_name(db, services.workers_query(officer), query)
        ).all()

    assert found("nguyen") == [nguyen]
    assert found("DUC") == [tran]
    assert found(tran.citizen_id[:8]) == [tran]
    assert found("") == [tran, nguyen]  # Đức before Hà in Vietnamese order


def test_search_matches_whole_name_words_or_their_start(db, make, officer):
    """Each word typed must be a word of the name, in any order; a partial word its start."""
    enterprise = make.enterprise()
    lan = make.worker(enterprise, family="Nguyễn", middle="Thị", given="Lan")
    lanh = make.worker(enterprise, family="Lê", middle="Nguyên", given="Lanh")
    make.worker(enterprise, family="Trần", middle="Thị", given="Hoa")

    def found(query):
        return set(
            db.scalars(services.filter_by_name(db, services.workers_query(officer), query))
        )

    assert found("lan nguyen") == {lan}
    assert found("nguyễn lan") == {lan}
    assert found("nguyen") == {lan, lanh}
    assert found("thi lan") == {lan}
    assert found("lanh") == {lanh}
    assert found("nguy la") == {lan, lanh}
    assert found("guyen") == set()


def test_search_results_keep_vietnamese_name_order(db, make, officer):
    """Results driven by the name-word index come in list order: given, family, middle name."""
    enterprise = make.enterprise()
    names = [("Trần", "Ánh"), ("Lê", "An"), ("Nguyễn", "Ân"), ("Bùi", "An")]
    for family, given in names:
        make.worker(enterprise, family=family, middle="Văn", given=given, sex=MALE)
    query = services.workers_query(officer)
    found = db.scalars(services.filter_by_name(db, query, "van")).all()
    assert [(w.family_name, w.given_name) for w in found] == [
        ("Bùi", "An"), ("Lê", "An"), ("Trần", "Ánh"), ("Nguyễn", "Ân"),
    ]


def test_common_prefixes_walk_the_list_with_the_same_result(db, make, officer, monkeypatch):
    """A short prefix too common to sort in memory gives the same workers by walking the list."""
    enterprise = make.enterprise()
    expected = {make.worker(enterprise, family="Nguyễn", given=g) for g in ("An", "Ân")}
    make.worker(enterprise, family="Nguyễn", given="Anh")
    make.worker(enterprise, family="Lê", given="An")
    query = services.workers_query(officer)
    driven = set(db.scalars(services.filter_by_name(db, query, "ngu an")))
    monkeypatch.setattr(services, "PREFIX_SORT_LIMIT", 0)
    walked = set(db.scalars(services.filter_by_name(db, query, "ngu an")))
    assert driven == walked == expected


def test_list_statuses_separate_current_former_and_archived(db, make, officer):
    """Current, former and archived workers are listed apart."""
    enterprise = make.enterprise()
    current = make.worker(enterprise, given="An")
    former = make.worker(enterprise, given="Bình", end=date(2024, 12, 31))
    archived = make.worker(enterprise, given="Cúc")
    services.archive_worker(db, archived)
    lists = {
        status: db.scalars(services.workers_query(officer, status=status)).all()
        for status in ("current", "former", "archived")
    }
    assert lists == {"current": [current], "former": [former], "archived": [archived]}


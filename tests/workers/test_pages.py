"""Worker pages as a commune officer: every GET and POST, and the messages for bad input."""

import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.learning.models import Area
from registry.workers.cccd import FEMALE, MALE, make_citizen_id
from registry.workers.models import Employment, Worker
from tests.conftest import field_errors, flashes

TODAY = date.today()


@pytest.fixture
def officer(login_as):
    """The client signed in as a commune officer of the home commune."""
    return login_as(Role.COMMUNE)


@pytest.fixture
def enterprise(make):
    return make.enterprise(name="Công ty May Sao Vàng")


def form(enterprise, **values) -> dict:
    """A valid new-worker form, with values overridden."""
    fields = {
        "family_name": "Lê",
        "middle_name": "Thị",
        "given_name": "Hoa",
        "sex": "F",
        "birth_date": "1995-04-02",
        "citizen_id": "038195000777",
        "phone": "0912 345 678",
        "union_member": "y",
        "enterprise_id": enterprise.id,
        "start_date": "2024-01-02",
    }
    fields.update(values)
    return fields


def count(db, model=Worker) -> int:
    return db.scalar(select(func.count()).select_from(model))


def born_years_ago(years: int, days: int = 0) -> date:
    """A birth date that many years (and days) before today, 28 February on leap days."""
    day = TODAY.replace(day=28) if (TODAY.month, TODAY.day) == (2, 29) else TODAY
    return day.replace(year=day.year - years) + timedelta(days=days)


# --- list -----------------------------------------------------------------------------------


def test_list_shows_current_workers_in_vietnamese_order(client, officer, make, enterprise):
    """The list shows current workers by given name, with CCCD for officers."""
    binh = make.worker(enterprise, family="Trần", given="Bình")
    an = make.worker(enterprise, family="Nguyễn", given="An")
    response = client.get("/nguoi-lao-dong")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Nguyễn Thị An") < page.index("Trần Thị Bình")
    assert an.citizen_id in page and binh.citizen_id in page
    assert "Tổng số: 2" in page


def test_search_ignores_accents(client, officer, make, enterprise):
    """Searching "nguyen" finds Nguyễn and not the others."""
    make.worker(enterprise, family="Nguyễn", given="An")
    make.worker(enterprise, family="Trần", given="Bình")
    page = client.get("/nguoi-lao-dong?q=nguyen").get_data(as_text=True)
    assert "Nguyễn Thị An" in page
    assert "Trần Thị Bình" not in page


def test_filter_by_enterprise_and_status(client, officer, make, enterprise):
    """The enterprise filter and the status filter narrow the list."""
    other = make.enterprise(name="Công ty Giày Alena")
    make.worker(enterprise, given="An")
    make.worker(other, given="Bình")
    make.worker(enterprise, given="Cúc", end=date(2024, 6, 30))
    page = client.get(f"/nguoi-lao-dong?dn={other.id}").get_data(as_text=True)
    assert "Nguyễn Thị Bình" in page and "Nguyễn Thị An" not in page
    former = client.get("/nguoi-lao-dong?trang_thai=former").get_data(as_text=True)
    assert "Nguyễn Thị Cúc" in former and "Nguyễn Thị An" not in former


def test_list_is_paginated(client, officer, make, enterprise, app, monkeypatch):
    """Past the page size the list continues on page 2."""
    monkeypatch.setitem(app.config, "REGISTRY_PAGE_SIZE", 2)
    for given in ("An", "Bình", "Cúc"):
        make.worker(enterprise, given=given)
    first = client.get("/nguoi-lao-dong").get_data(as_text=True)
    second = client.get("/nguoi-lao-dong?page=2").get_data(as_text=True)
    assert "Nguyễn Thị An" in first and "Nguyễn Thị Cúc" not in first
    assert "Nguyễn Thị Cúc" in second and "Nguyễn Thị An" not in second
    assert "?page=2" in first


# --- create ---------------------------------------------------------------------------------


def test_new_worker_form(client, officer, enterprise):
    """The form offers the officer's enterprises."""
    response = client.get("/nguoi-lao-dong/moi")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Thêm người lao động" in page
    assert f'<option value="{enterprise.id}">Công ty May Sao Vàng</option>' in page


def test_create_worker(client, db, officer, enterprise):
    """A valid form creates the worker and opens their record page."""
    response = client.post("/nguoi-lao-dong/moi", data=form(enterprise))
    assert response.status_code == 302
    worker = db.scalar(select(Worker))
    assert response.headers["Location"] == f"/nguoi-lao-dong/{worker.id}"
    assert (worker.full_name, worker.citizen_id, worker.phone, worker.union_member) == (
        "Lê Thị Hoa", "038195000777", "0912345678", True
    )
    assert worker.current_enterprise_id == enterprise.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm người lao động Lê Thị Hoa." in page


def test_nfd_and_padded_text_is_stored_nfc_trimmed(client, db, officer, enterprise):
    """Decomposed and padded names are stored composed and trimmed."""
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise,
        family_name=unicodedata.normalize("NFD", "  Nguyễn "),
        middle_name=unicodedata.normalize("NFD", " Thị  Thu "),
        given_name=unicodedata.normalize("NFD", " Hường   "),
        citizen_id=" 038 195 000 777 ",
    ))
    assert response.status_code == 302
    worker = db.scalar(select(Worker))
    assert worker.full_name == "Nguyễn Thị Thu Hường"
    assert unicodedata.is_normalized("NFC", worker.full_name)
    assert worker.citizen_id == "038195000777"


def test_nfd_text_at_the_length_limit_is_accepted(client, db, officer, enterprise):
    """A name whose NFC form fits the limit is accepted even though its NFD form is longer."""
    given = "Ường" * 12 + "Ưa"  # 50 letters in NFC, 76 code points in NFD
    assert len(given) == 50 and len(unicodedata.normalize("NFD", given)) > 50
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise, given_name=unicodedata.normalize("NFD", f"  {given} ")
    ))
    assert response.status_code == 302, field_errors(response, "given_name")
    assert len(db.scalar(select(Worker.given_name))) == 50


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"citizen_id": "003195000777"}, "citizen_id",
         "Mã tỉnh «003» ở 3 chữ số đầu của số CCCD không có trong bảng mã 63 tỉnh, thành phố."),
        ({"citizen_id": "038195O00777"}, "citizen_id", "Số CCCD chỉ được gồm chữ số."),
        ({"citizen_id": "0381950007"}, "citizen_id",
         "Số CCCD phải gồm 12 chữ số (đang có 10 chữ số)."),
        ({"citizen_id": "172345678"}, "citizen_id",
         "Số CMND 9 chữ số đã hết hiệu lực từ 31/12/2024; hãy nhập số CCCD 12 chữ số hoặc "
         "đánh dấu «CMND cũ» nếu chỉ còn số này."),
        ({"birth_date": "1996-04-02"}, "citizen_id",
         "Số CCCD cho biết năm sinh 1995, khác với năm sinh đã ghi 1996."),
        ({"sex": "M"}, "citizen_id",
         "Số CCCD cho biết giới tính Nữ, khác với giới tính đã ghi Nam."),
        ({"enterprise_id": "999999"}, "enterprise_id", "Lựa chọn không hợp lệ."),
        ({"given_name": "H" * 51}, "given_name", "Không được dài quá 50 ký tự."),
        ({"family_name": "N" * 51}, "family_name", "Không được dài quá 50 ký tự."),
        ({"given_name": "Thu Hoa"}, "given_name",
         "Tên chỉ gồm một từ; phần còn lại ghi vào tên đệm."),
        ({"given_name": "  "}, "given_name", "Trường này bắt buộc phải nhập."),
        ({"phone": "12345"}, "phone",
         "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84)."),
        ({"birth_date": ""}, "birth_year", "Hãy nhập ngày sinh, hoặc năm sinh nếu không rõ ngày."),
        ({"birth_date": "02/04/1995x"}, "birth_date", "Ngày không hợp lệ (dạng ngày/tháng/năm)."),
        ({"start_date": ""}, "start_date", "Trường này bắt buộc phải nhập."),
    ],
)
def test_bad_input_is_shown_on_the_field_and_nothing_saved(
    client, db, officer, enterprise, values, field, message
):
    """Each bad value gets its Vietnamese message on its field; no worker is saved."""
    response = client.post("/nguoi-lao-dong/moi", data=form(enterprise, **values))
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert count(db) == 0
    assert count(db, Employment) == 0


def test_birth_date_in_the_future_is_refused(client, db, officer, enterprise):
    """A birth date after today is refused on its field."""
    born = TODAY + timedelta(days=1)
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise, birth_date=born.isoformat(),
        citizen_id=make_citizen_id("038", born.year, FEMALE, 777),
    ))
    assert response.status_code == 200
    assert field_errors(response, "birth_date") == ["Ngày sinh không được ở tương lai."]
    assert count(db) == 0


def test_worker_under_15_is_refused(client, db, officer, enterprise):
    """A worker who turns 15 tomorrow is refused with their age."""
    born = born_years_ago(15, days=1)
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise, birth_date=born.isoformat(), start_date=TODAY.isoformat(),
        citizen_id=make_citizen_id("038", born.year, FEMALE, 777),
    ))
    assert response.status_code == 200
    assert field_errors(response, "birth_date") == [
        "Người lao động phải từ đủ 15 tuổi (theo ngày sinh là 14 tuổi)."
    ]
    assert count(db) == 0


def test_duplicate_citizen_id_is_refused(client, db, officer, make, enterprise):
    """A CCCD already registered is refused on its field, pointing to «Tiếp nhận»."""
    existing = make.worker(enterprise, birth=date(1995, 4, 2))
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise, citizen_id=existing.citizen_id
    ))
    assert response.status_code == 200
    assert field_errors(response, "citizen_id") == [
        f"Số CCCD {existing.citizen_id} đã có hồ sơ người lao động trong hệ thống. Nếu người "
        "này chuyển đến doanh nghiệp của bạn, hãy dùng «Tiếp nhận người lao động»."
    ]
    assert count(db) == 1


def test_birth_year_only(client, db, officer, enterprise):
    """With only a birth year the worker is stored born on 1 January of it."""
    response = client.post("/nguoi-lao-dong/moi", data=form(
        enterprise, birth_date="", birth_year="1995"
    ))
    assert response.status_code == 302
    worker = db.scalar(select(Worker))
    assert (worker.birth_date, worker.birth_year_only) == (date(1995, 1, 1), True)


# --- record page ----------------------------------------------------------------------------


def test_worker_page_shows_details_employment_and_learning(client, officer, make, enterprise):
    """The record page shows personal data to the officer, employment and learning by year."""
    worker = make.worker(enterprise, birth=date(1990, 5, 17), phone="0912345678",
                         start=date(2020, 3, 1))
    activity = make.activity(enterprise, area=Area.DIGITAL, start=date(2025, 4, 9),
                             title="Sử dụng VNeID", hours=4)
    make.participation(activity, worker)
    response = client.get(f"/nguoi-lao-dong/{worker.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert worker.citizen_id in page and "17/05/1990" in page and "0912345678" in page
    assert "Công ty May Sao Vàng" in page and "01/03/2020" in page
    assert "Năm 2025" in page and "Sử dụng VNeID" in page and "09/04/2025" in page
    assert "Công nghệ thông tin, công nghệ số" in page


@pytest.mark.parametrize(("role", "shown"), [
    (Role.COMMUNE, True), (Role.ENTERPRISE, True), (Role.PROVINCE, False),
])
def test_worker_page_links_the_learning_book_for_those_who_may_print_it(
    client, login_as, make, enterprise, role, shown
):
    """The «Sổ học tập» button shows for the commune and the employer, not the province."""
    login_as(role, enterprise=enterprise)
    worker = make.worker(enterprise)
    page = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    link = f'href="/nguoi-lao-dong/{worker.id}/so-hoc-tap"'
    assert (link in page) is shown
    assert client.get(f"/nguoi-lao-dong/{worker.id}/so-hoc-tap").status_code == (
        200 if shown else 403
    )


def test_worker_without_learning(client, officer, make, enterprise):
    """A worker with no participation says so."""
    worker = make.worker(enterprise)
    page = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert "Chưa ghi nhận hoạt động học tập nào." in page


# --- edit -----------------------------------------------------------------------------------


def test_edit_form_is_filled(client, officer, make, enterprise):
    """The edit form shows the worker's current values."""
    worker = make.worker(enterprise, family="Phạm", given="Mai")
    page = client.get(f"/nguoi-lao-dong/{worker.id}/sua").get_data(as_text=True)
    assert 'value="Phạm"' in page and 'value="Mai"' in page
    assert f'value="{worker.citizen_id}"' in page


def edit_form(worker, **values) -> dict:
    fields = {"family_name": worker.family_name, "middle_name": worker.middle_name,
              "given_name": worker.given_name, "sex": str(worker.sex),
              "birth_date": worker.birth_date.isoformat(), "citizen_id": worker.citizen_id}
    fields.update(values)
    return fields


def test_edit_worker(client, db, officer, make, enterprise):
    """Saving the edit form changes the worker and returns to their page."""
    worker = make.worker(enterprise)
    response = client.post(f"/nguoi-lao-dong/{worker.id}/sua",
                           data=edit_form(worker, given_name="Loan", phone="+84912345678"))
    assert response.status_code == 302
    db.expire_all()
    assert (worker.full_name, worker.phone) == ("Nguyễn Thị Loan", "0912345678")


def test_bad_edit_changes_nothing(client, db, officer, make, enterprise):
    """An inconsistent CCCD on edit is shown on its field and nothing changes."""
    worker = make.worker(enterprise, sex=FEMALE)
    response = client.post(f"/nguoi-lao-dong/{worker.id}/sua",
                           data=edit_form(worker, given_name="Loan", sex=MALE))
    assert response.status_code == 200
    assert field_errors(response, "citizen_id") == [
        "Số CCCD cho biết giới tính Nữ, khác với giới tính đã ghi Nam."
    ]
    db.expire_all()
    assert worker.given_name == "Lan"


# --- employment -----------------------------------------------------------------------------


def test_transfer_form_and_transfer(client, db, officer, make, enterprise):
    """Transferring keeps one record; the old period ends the day before the new one."""
    other = make.enterprise(name="Công ty Giày Alena")
    worker = make.worker(enterprise, start=date(2020, 1, 1))
    assert "Công ty Giày Alena" in client.get(
        f"/nguoi-lao-dong/{worker.id}/chuyen-doanh-nghiep").get_data(as_text=True)
    response = client.post(f"/nguoi-lao-dong/{worker.id}/chuyen-doanh-nghiep",
                           data={"enterprise_id": other.id, "start_date": "2025-03-01"})
    assert response.status_code == 302
    periods = db.execute(select(Employment.enterprise_id, Employment.end_date)
                         .order_by(Employment.start_date)).all()
    assert [tuple(p) for p in periods] == [(enterprise.id, date(2025, 2, 28)), (other.id, None)]
    assert count(db) == 1


def test_transfer_starting_too_early_is_refused(client, db, officer, make, enterprise):
    """A new period starting before the current one is refused on the start date."""
    other = make.enterprise()
    worker = make.worker(enterprise, start=date(2024, 5, 1))
    response = client.post(f"/nguoi-lao-dong/{worker.id}/chuyen-doanh-nghiep",
                           data={"enterprise_id": other.id, "start_date": "2024-04-01"})
    assert response.status_code == 200
    assert field_errors(response, "start_date") == [
        "Ngày bắt đầu mới phải sau ngày bắt đầu của quá trình đang mở (01/05/2024)."
    ]
    assert count(db, Employment) == 1


def test_receive_form_and_receive(client, db, officer, make, enterprise):
    """Another enterprise takes over the record by CCCD and birth year."""
    other = make.enterprise()
    worker = make.worker(enterprise, birth=date(1990, 2, 3), start=date(2020, 1, 1))
    assert client.get("/nguoi-lao-dong/tiep-nhan").status_code == 200
    response = client.post("/nguoi-lao-dong/tiep-nhan", data={
        "citizen_id": worker.citizen_id, "birth_year": "1990", "enterprise_id": other.id,
        "start_date": "2025-04-01",
    })
    assert response.status_code == 302
    assert response.headers["Location"] == f"/nguoi-lao-dong/{worker.id}"
    assert db.scalar(select(Worker.current_enterprise_id)) == other.id


def test_receive_with_wrong_birth_year(client, db, officer, make, enterprise):
    """A wrong birth year is refused on the CCCD field without revealing the record."""
    worker = make.worker(enterprise, birth=date(1990, 2, 3))
    response = client.post("/nguoi-lao-dong/tiep-nhan", data={
        "citizen_id": worker.citizen_id, "birth_year": "1991",
        "enterprise_id": make.enterprise().id, "start_date": "2025-04-01",
    })
    assert response.status_code == 200
    assert field_errors(response, "citizen_id") == [
        "Không tìm thấy hồ sơ có số CCCD và năm sinh này. Nếu là người mới, hãy dùng "
        "«Thêm người lao động»."
    ]
    assert count(db, Employment) == 1


def test_end_employment(client, db, officer, make, enterprise):
    """The leaving form closes the period; an end before the start is refused on its field."""
    worker = make.worker(enterprise, start=date(2022, 3, 1))
    assert client.get(f"/nguoi-lao-dong/{worker.id}/nghi-viec").status_code == 200
    refused = client.post(f"/nguoi-lao-dong/{worker.id}/nghi-viec",
                          data={"end_date": "2022-02-28"})
    assert refused.status_code == 200
    assert field_errors(refused, "end_date") == [
        "Ngày nghỉ việc phải từ ngày bắt đầu 01/03/2022 trở đi."
    ]
    assert db.scalar(select(Employment.end_date)) is None
    done = client.post(f"/nguoi-lao-dong/{worker.id}/nghi-viec", data={"end_date": "2025-05-31"})
    assert done.status_code == 302
    assert db.scalar(select(Employment.end_date)) == date(2025, 5, 31)
    assert db.scalar(select(Worker.current_enterprise_id)) is None


# --- archive --------------------------------------------------------------------------------


def test_archive_and_restore(client, db, officer, make, enterprise):
    """Archiving and restoring a record, each confirmed with a flash message."""
    worker = make.worker(enterprise)
    archived = client.post(f"/nguoi-lao-dong/{worker.id}/luu-tru", follow_redirects=True)
    assert "Đã lưu trữ hồ sơ." in flashes(archived)
    assert db.scalar(select(Worker.archived_at)) is not None
    again = client.post(f"/nguoi-lao-dong/{worker.id}/luu-tru", follow_redirects=True)
    assert "Hồ sơ này đã được lưu trữ." in flashes(again)
    restored = client.post(f"/nguoi-lao-dong/{worker.id}/khoi-phuc", follow_redirects=True)
    assert "Đã khôi phục hồ sơ." in flashes(restored)
    assert db.scalar(select(Worker.archived_at)) is None


def test_large_scopes_filter_the_list_by_tax_code(client, officer, make, monkeypatch):
    """With too many enterprises for a select box, the list takes a tax code instead."""
    monkeypatch.setattr("registry.enterprises.services.FILTER_CHOICES_LIMIT", 1)
    first, second = make.enterprise(name="Công ty Một"), make.enterprise(name="Công ty Hai")
    make.worker(first, given="Mai")
    make.worker(second, given="Đào")
    page = client.get("/nguoi-lao-dong").get_data(as_text=True)
    assert 'name="mst"' in page and 'name="dn"' not in page
    filtered = client.get(f"/nguoi-lao-dong?mst={second.tax_code}").get_data(as_text=True)
    assert "Đào" in filtered and "Mai" not in filtered
    unknown = client.get("/nguoi-lao-dong?mst=0000000000").get_data(as_text=True)
    assert "Đào" not in unknown and "Mai" not in unknown

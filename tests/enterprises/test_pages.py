"""Enterprise pages as a commune officer: every GET and POST, and messages for bad input."""

import unicodedata

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.enterprises.models import Enterprise
from tests.conftest import OTHER_COMMUNE, field_errors, flashes


@pytest.fixture
def officer(login_as):
    """The client signed in as a commune officer of the home commune."""
    return login_as(Role.COMMUNE)


def form(make, **values) -> dict:
    fields = {"name": "Công ty CP Giày Hoằng Hóa", "tax_code": "0100109106",
              "commune_id": make.commune().id, "sector": "footwear", "address": "Thôn 3",
              "union_branch": "CĐCS Giày Hoằng Hóa", "is_active": "y"}
    fields.update(values)
    return fields


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Enterprise))


def test_list_and_search(client, officer, make):
    """The list shows the commune's enterprises and finds them without accents."""
    make.enterprise(name="Công ty May Sao Vàng")
    make.enterprise(name="Công ty Giày Alena")
    make.enterprise(name="Công ty Ở Xã Khác", commune=OTHER_COMMUNE)
    page = client.get("/doanh-nghiep").get_data(as_text=True)
    assert "Công ty May Sao Vàng" in page and "Công ty Giày Alena" in page
    assert "Công ty Ở Xã Khác" not in page
    found = client.get("/doanh-nghiep?q=giay").get_data(as_text=True)
    assert "Công ty Giày Alena" in found and "Công ty May Sao Vàng" not in found


def test_new_enterprise_form(client, officer, make):
    """The form offers only the officer's commune."""
    page = client.get("/doanh-nghiep/moi").get_data(as_text=True)
    assert f'<option value="{make.commune().id}">Xã Hoằng Hóa</option>' in page
    assert "Xã Hoằng Tiến" not in page


def test_create_enterprise(client, db, officer, make):
    """A valid form creates the enterprise (NFC, trimmed) and opens its page."""
    response = client.post("/doanh-nghiep/moi", data=form(
        make, name=unicodedata.normalize("NFD", "  Công ty  CP Giày Hoằng Hóa "),
        tax_code="0100 109 106",
    ))
    assert response.status_code == 302
    enterprise = db.scalar(select(Enterprise))
    assert response.headers["Location"] == f"/doanh-nghiep/{enterprise.id}"
    assert (enterprise.name, enterprise.tax_code) == ("Công ty CP Giày Hoằng Hóa", "0100109106")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm doanh nghiệp Công ty CP Giày Hoằng Hóa." in page
    assert "Mã số thuế 0100109106" in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"tax_code": "0100109107"}, "tax_code",
         "Mã số thuế 0100109107 sai chữ số kiểm tra (chữ số thứ 10)."),
        ({"tax_code": "12345"}, "tax_code",
         "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số (10 chữ số và 3 chữ số của chi "
         "nhánh, ví dụ 0101234567-001)."),
        ({"name": "C" * 256}, "name", "Không được dài quá 255 ký tự."),
        ({"name": ""}, "name", "Trường này bắt buộc phải nhập."),
        ({"sector": "spaceships"}, "sector", "Lựa chọn không hợp lệ."),
        ({"commune_id": "999999"}, "commune_id", "Lựa chọn không hợp lệ."),
    ],
)
def test_bad_input_is_shown_on_the_field_and_nothing_saved(
    client, db, officer, make, values, field, message
):
    """Each bad value gets its Vietnamese message on its field; nothing is saved."""
    response = client.post("/doanh-nghiep/moi", data=form(make, **values))
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert count(db) == 0


def test_other_commune_is_refused(client, db, officer, make):
    """An officer cannot place an enterprise in a commune outside their scope."""
    response = client.post("/doanh-nghiep/moi",
                           data=form(make, commune_id=make.commune(OTHER_COMMUNE).id))
    assert response.status_code == 200
    assert field_errors(response, "commune_id") == ["Lựa chọn không hợp lệ."]
    assert count(db) == 0


def test_duplicate_tax_code(client, db, officer, make):
    """A tax code already registered is refused on its field."""
    existing = make.enterprise(name="Công ty May Sao Vàng")
    response = client.post("/doanh-nghiep/moi", data=form(make, tax_code=existing.tax_code))
    assert field_errors(response, "tax_code") == [
        f"Mã số thuế {existing.tax_code} đã có: Công ty May Sao Vàng."
    ]
    assert count(db) == 1


def test_edit_enterprise(client, db, officer, make):
    """The edit form is filled in, and saving changes the enterprise."""
    enterprise = make.enterprise(name="Tên cũ")
    page = client.get(f"/doanh-nghiep/{enterprise.id}/sua").get_data(as_text=True)
    assert 'value="Tên cũ"' in page
    response = client.post(f"/doanh-nghiep/{enterprise.id}/sua",
                           data=form(make, name="Tên mới", tax_code=enterprise.tax_code))
    assert response.status_code == 302
    assert db.scalar(select(Enterprise.name)) == "Tên mới"


def test_bad_edit_changes_nothing(client, db, officer, make):
    """An invalid tax code on edit is shown and nothing changes."""
    enterprise = make.enterprise(name="Tên cũ")
    response = client.post(f"/doanh-nghiep/{enterprise.id}/sua",
                           data=form(make, name="Tên mới", tax_code="0100109107"))
    assert response.status_code == 200
    assert field_errors(response, "tax_code")
    assert db.scalar(select(Enterprise.name)) == "Tên cũ"


def test_archive_refused_with_staff_then_archive_and_restore(client, db, officer, make):
    """An enterprise with staff is not archived; an empty one is, and is restored."""
    busy = make.enterprise()
    make.worker(busy)
    refused = client.post(f"/doanh-nghiep/{busy.id}/luu-tru", follow_redirects=True)
    assert any("còn 1 người lao động đang làm việc" in m for m in flashes(refused))
    assert db.scalar(select(Enterprise.archived_at).where(Enterprise.id == busy.id)) is None

    empty = make.enterprise()
    archived = client.post(f"/doanh-nghiep/{empty.id}/luu-tru", follow_redirects=True)
    assert "Đã lưu trữ doanh nghiệp." in flashes(archived)
    assert db.scalar(select(Enterprise.archived_at).where(Enterprise.id == empty.id))
    assert f'href="/doanh-nghiep/{empty.id}"' not in client.get("/doanh-nghiep").get_data(
        as_text=True
    )
    restored = client.post(f"/doanh-nghiep/{empty.id}/khoi-phuc", follow_redirects=True)
    assert "Đã khôi phục doanh nghiệp." in flashes(restored)
    assert db.scalar(select(Enterprise.archived_at).where(Enterprise.id == empty.id)) is None

"""Rules for enterprises: valid tax code, a served commune in scope, archiving."""

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.auth.models import Role
from registry.enterprises import services
from registry.enterprises.models import Enterprise, Sector
from registry.enterprises.services import EnterpriseData
from registry.errors import DomainError
from tests.conftest import OTHER_COMMUNE


@pytest.fixture
def officer(make):
    """The scope of a commune officer of the home commune."""
    return make.scope(Role.COMMUNE)


def data(make, **values) -> EnterpriseData:
    fields = {
        "name": "Công ty CP Giày Hoằng Hóa",
        "tax_code": "0100109106",
        "commune_id": make.commune().id,
        "sector": "footwear",
        "address": "Thôn 3",
        "union_branch": "CĐCS Công ty CP Giày Hoằng Hóa",
    }
    fields.update(values)
    return EnterpriseData(**fields)


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Enterprise))


def test_create_enterprise_normalises_values(db, make, officer):
    """Name stored NFC and trimmed, search key folded, tax code written with its branch dash."""
    enterprise = services.save_enterprise(
        db, officer,
        data(make, name=unicodedata.normalize("NFD", "  Công ty  TNHH Đức Thành "),
             tax_code="0100109106 001"),
    )
    db.expire_all()
    stored = db.get(Enterprise, enterprise.id)
    assert stored.name == "Công ty TNHH Đức Thành"
    assert stored.search_name == "cong ty tnhh duc thanh"
    assert stored.tax_code == "0100109106-001"
    assert stored.sector == Sector.FOOTWEAR
    assert stored.commune_id == make.commune().id


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"tax_code": "0100109107"}, "tax_code", "sai chữ số kiểm tra"),
        ({"tax_code": "12345"}, "tax_code", "phải gồm 10 chữ số"),
        ({"name": " "}, "name", "Chưa nhập tên doanh nghiệp."),
        ({"name": "C" * 256}, "name", "Tên doanh nghiệp dài 256 ký tự, tối đa 255 ký tự."),
        ({"sector": "spaceships"}, "sector", "Hãy chọn ngành nghề trong danh sách."),
        ({"address": "đ" * 256}, "address", "Địa chỉ dài 256 ký tự, tối đa 255 ký tự."),
        ({"union_branch": "c" * 256}, "union_branch", "Tên CĐCS dài 256 ký tự, tối đa 255 ký tự."),
    ],
)
def test_bad_values_are_refused_and_nothing_written(db, make, officer, values, field, message):
    """Each bad value is refused on its field in Vietnamese, and no enterprise is created."""
    with pytest.raises(DomainError) as error:
        services.save_enterprise(db, officer, data(make, **values))
    assert list(error.value.fields) == [field]
    assert message in error.value.fields[field]
    assert count(db) == 0


def test_duplicate_tax_code_is_refused(db, make, officer):
    """A tax code already registered is refused, naming the enterprise that has it."""
    existing = make.enterprise(name="Công ty May Sao Vàng")
    with pytest.raises(DomainError) as error:
        services.save_enterprise(db, officer, data(make, tax_code=existing.tax_code))
    assert error.value.fields == {
        "tax_code": f"Mã số thuế {existing.tax_code} đã có: Công ty May Sao Vàng."
    }


def test_commune_outside_the_scope_is_refused(db, make, officer):
    """A commune officer cannot place an enterprise in another commune."""
    with pytest.raises(DomainError) as error:
        services.save_enterprise(db, officer, data(make, commune_id=make.commune(OTHER_COMMUNE).id))
    assert set(error.value.fields) == {"commune_id"}


def test_commune_not_served_is_refused(db, make):
    """Even an administrator can only place enterprises in communes the registry serves."""
    admin = make.scope(Role.ADMIN)
    with pytest.raises(DomainError):
        services.save_enterprise(db, admin, data(make, commune_id=make.commune("00004").id))


def test_update_keeps_own_tax_code(db, make, officer):
    """Saving an enterprise with its own tax code is no duplicate."""
    enterprise = make.enterprise()
    services.save_enterprise(
        db, officer, data(make, tax_code=enterprise.tax_code, name="Tên mới"), enterprise
    )
    assert db.scalar(select(Enterprise.name).where(Enterprise.id == enterprise.id)) == "Tên mới"


def test_refused_update_leaves_the_record_unchanged(db, make, officer):
    """A refusal found late (an over-long address) changes none of the other fields."""
    enterprise = make.enterprise(name="Tên cũ")
    with pytest.raises(DomainError):
        services.save_enterprise(
            db, officer,
            data(make, tax_code=enterprise.tax_code, name="Tên mới", address="x" * 256),
            enterprise,
        )
    assert db.scalar(select(Enterprise.name).where(Enterprise.id == enterprise.id)) == "Tên cũ"


def test_archive_is_refused_while_workers_are_employed(db, make):
    """An enterprise with current workers cannot be archived."""
    enterprise = make.enterprise()
    make.worker(enterprise)
    with pytest.raises(DomainError, match="còn 1 người lao động"):
        services.archive_enterprise(db, enterprise)
    assert enterprise.archived_at is None


def test_archive_and_restore(db, make):
    """An empty enterprise is archived and inactive, then restored and active again."""
    enterprise = make.enterprise()
    services.archive_enterprise(db, enterprise)
    assert enterprise.archived_at is not None and not enterprise.is_active
    with pytest.raises(DomainError, match="đã được lưu trữ"):
        services.archive_enterprise(db, enterprise)
    services.restore_enterprise(db, enterprise)
    assert enterprise.archived_at is None and enterprise.is_active


def test_search_by_name_without_accents_or_tax_code(db, make, officer):
    """The list finds enterprises by accent-free name parts or the start of the tax code."""
    giay = make.enterprise(name="Công ty Giày Đức Thành")
    may = make.enterprise(name="Công ty May Hoằng Hóa")
    make.enterprise(name="Công ty Ở Xã Khác", commune=OTHER_COMMUNE)

    def found(query):
        return db.scalars(services.enterprises_query(officer, query)).all()

    assert found("duc thanh") == [giay]
    assert found("HOANG") == [may]
    assert found(may.tax_code[:9]) == [may]
    assert found("") == [giay, may]


def test_worker_counts(db, make):
    """Current head counts leave out former and archived workers."""
    enterprise = make.enterprise()
    make.worker(enterprise)
    make.worker(enterprise)
    make.worker(enterprise).archived_at = enterprise.created_at
    make.worker(enterprise, end=date(2024, 1, 1))
    assert services.current_worker_count(db, enterprise) == 2

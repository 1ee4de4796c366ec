"""The catalogue of administrative units and the communes served."""

import pytest
from sqlalchemy import func, select

from registry.errors import DomainError
from registry.units import services
from registry.units.models import Commune, Province
from tests.conftest import HOME_COMMUNE, OTHER_COMMUNE


def counts(db) -> tuple[int, int]:
    return (db.scalar(select(func.count()).select_from(Province)),
            db.scalar(select(func.count()).select_from(Commune)))


def test_catalogue_has_the_2025_units(db, make):
    """The loaded catalogue has 34 provinces and over 3,000 communes, Hoằng Hóa among them."""
    provinces, communes = counts(db)
    assert provinces == 34
    assert communes > 3000
    home = make.commune()
    assert (home.name, home.province.name, home.province.code) == (
        "Xã Hoằng Hóa", "Thanh Hóa", "38"
    )
    assert home.short_name == "Hoằng Hóa"


def test_loading_again_changes_nothing(db):
    """A second load adds and renames nothing."""
    before = counts(db)
    result = services.load_catalogue(db)
    assert (result.provinces_added, result.communes_added, result.renamed) == (0, 0, 0)
    assert counts(db) == before


def test_loading_restores_official_names(db, make):
    """A unit renamed locally gets its catalogue name back, keeping its row."""
    home = make.commune()
    home.name = "Xã Hoằng Hóa cũ"
    db.flush()
    result = services.load_catalogue(db)
    assert result.renamed == 1
    assert db.scalar(select(Commune.name).where(Commune.id == home.id)) == "Xã Hoằng Hóa"


def test_served_communes_in_scope(db, make):
    """The communes served by the registry, by name, optionally filtered."""
    served = services.served_communes(db)
    assert [c.code for c in served] == [HOME_COMMUNE, OTHER_COMMUNE]
    only = services.served_communes(db, Commune.code == OTHER_COMMUNE)
    assert [c.code for c in only] == [OTHER_COMMUNE]


def test_set_served_by_code(db):
    """Communes are served by official code, zeros optional; unknown codes are refused."""
    communes = services.set_served(db, ["4"])
    assert [c.code for c in communes] == ["00004"]
    assert db.scalar(select(Commune.is_served).where(Commune.code == "00004"))
    with pytest.raises(DomainError, match="Không có xã, phường mã 99999"):
        services.set_served(db, ["99999"])

"""`flask units …` commands."""

from sqlalchemy import func, select

from registry.units.models import Commune


def test_units_load_again_adds_nothing(runner, db):
    """On a loaded catalogue, `flask units load` reports and adds nothing."""
    before = db.scalar(select(func.count()).select_from(Commune))
    result = runner.invoke(args=["units", "load"])
    assert result.exit_code == 0, result.output
    assert "thêm 0 tỉnh, 0 xã, phường; đổi tên 0." in result.output
    assert db.scalar(select(func.count()).select_from(Commune)) == before


def test_units_serve_marks_communes(runner, db):
    """`flask units serve CODE` serves a commune; an unknown code is refused in Vietnamese."""
    result = runner.invoke(args=["units", "serve", "4"])
    assert result.exit_code == 0, result.output
    assert "00004" in result.output and "đang phục vụ" in result.output
    assert db.scalar(select(Commune.is_served).where(Commune.code == "00004"))
    refused = runner.invoke(args=["units", "serve", "99999"])
    assert refused.exit_code == 1
    assert "Không có xã, phường mã 99999" in refused.output

"""Loading the catalogue of administrative units and choosing the communes served."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from vietnam_provinces import Province as CatalogueProvince
from vietnam_provinces import Ward as CatalogueWard

from registry.errors import DomainError
from registry.units.models import Commune, Province


@dataclass
class LoadResult:
    """How many units a catalogue load added or renamed."""

    provinces_added: int = 0
    communes_added: int = 0
    renamed: int = 0


def province_code(code: int) -> str:
    """Two-digit official province code."""
    return f"{int(code):02d}"


def commune_code(code: int) -> str:
    """Five-digit official commune code."""
    return f"{int(code):05d}"


def load_catalogue(session: Session) -> LoadResult:
    """Insert or rename provinces and communes from the vietnam-provinces package (idempotent)."""
    result = LoadResult()
    provinces = {p.code: p for p in session.scalars(select(Province))}
    for item in CatalogueProvince.iter_all():
        code = province_code(item.code)
        row = provinces.get(code)
        if row is None:
            row = Province(code=code, name=item.name, division_type=item.division_type.value)
            session.add(row)
            provinces[code] = row
            result.provinces_added += 1
        elif row.name != item.name:
            row.name = item.name
            result.renamed += 1
    session.flush()
    communes = {c.code: c for c in session.scalars(select(Commune))}
    for item in CatalogueWard.iter_all():
        code = commune_code(item.code)
        row = communes.get(code)
        if row is None:
            session.add(
                Commune(
                    code=code,
                    name=item.name,
                    division_type=item.division_type.value,
                    province_id=provinces[province_code(item.province_code)].id,
                )
            )
            result.communes_added += 1
        elif row.name != item.name:
            row.name = item.name
            result.renamed += 1
    session.flush()
    return result


def commune_by_code(session: Session, code: str) -> Commune:
    """The commune with this official code, or a DomainError."""
    commune = session.scalar(select(Commune).where(Commune.code == code.strip().zfill(5)))
    if commune is None:
        raise DomainError(
            commune=f"Không có xã, phường mã {code} trong danh mục (chạy flask units load)."
        )
    return commune


def set_served(session: Session, codes: list[str], served: bool = True) -> list[Commune]:
    """Mark communes as served (or not) by this registry."""
    communes = [commune_by_code(session, code) for code in codes]
    session.execute(
        update(Commune).where(Commune.id.in_([c.id for c in communes])).values(is_served=served)
    )
    session.expire_all()
    return communes


def served_communes(session: Session, where=None) -> list[Commune]:
    """Communes the registry serves, optionally filtered (e.g. by a scope), by name."""
    stmt = select(Commune).where(Commune.is_served).order_by(Commune.name)
    if where is not None:
        stmt = stmt.where(where)
    return list(session.scalars(stmt))

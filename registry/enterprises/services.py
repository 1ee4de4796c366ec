"""Rules for enterprises: valid tax code, a served commune in the user's scope, archiving."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from registry.auth.scope import Scope
from registry.db import utcnow
from registry.enterprises.models import Enterprise, Sector
from registry.enterprises.taxcode import TaxCodeError, normalise_tax_code
from registry.errors import DomainError
from registry.text import fold
from registry.units.models import Commune
from registry.validation import text_value
from registry.workers.models import Worker


@dataclass
class EnterpriseData:
    """Values of an enterprise as entered."""

    name: str
    tax_code: str
    commune_id: int
    sector: str
    address: str = ""
    union_branch: str = ""
    is_active: bool = True


def save_enterprise(
    session: Session, scope: Scope, data: EnterpriseData, enterprise: Enterprise | None = None
) -> Enterprise:
    """Create (enterprise=None) or update an enterprise after checking every field."""
    name = text_value(data.name, "name", "tên doanh nghiệp", 255, required=True)
    try:
        tax_code = normalise_tax_code(data.tax_code)
    except TaxCodeError as exc:
        raise DomainError(tax_code=str(exc)) from exc
    clash = session.scalar(
        select(Enterprise).where(
            Enterprise.tax_code == tax_code,
            Enterprise.id != (enterprise.id if enterprise else -1),
        )
    )
    if clash is not None:
        raise DomainError(tax_code=f"Mã số thuế {tax_code} đã có: {clash.name}.")
    commune = session.scalar(
        select(Commune).where(Commune.id == data.commune_id, Commune.is_served, scope.communes())
    )
    if commune is None:
        raise DomainError(commune_id="Hãy chọn một xã, phường trong phạm vi quản lý của bạn.")
    try:
        sector = Sector(data.sector)
    except ValueError as exc:
        raise DomainError(sector="Hãy chọn ngành nghề trong danh sách.") from exc
    address = text_value(data.address, "address", "địa chỉ", 255)
    union_branch = text_value(data.union_branch, "union_branch", "tên CĐCS", 255)
    if enterprise is None:
        enterprise = Enterprise()
        session.add(enterprise)
    enterprise.name = name
    enterprise.search_name = fold(name)
    enterprise.tax_code = tax_code
    enterprise.commune_id = commune.id
    enterprise.sector = sector
    enterprise.address = address
    enterprise.union_branch = union_branch
    enterprise.is_active = data.is_active
    session.flush()
    return enterprise


def current_worker_count(session: Session, enterprise: Enterprise) -> int:
    """How many workers are employed by the enterprise now."""
    return current_worker_counts(session, [enterprise.id]).get(enterprise.id, 0)


def archive_enterprise(session: Session, enterprise: Enterprise) -> None:
    """Archive an enterprise that no longer employs anyone; it stays in documents and history."""
    if enterprise.archived_at is not None:
        raise DomainError("Doanh nghiệp này đã được lưu trữ.")
    staff = current_worker_count(session, enterprise)
    if staff:
        raise DomainError(
            f"Doanh nghiệp còn {staff} người lao động đang làm việc; hãy kết thúc hoặc chuyển "
            "quá trình làm việc của họ trước khi lưu trữ."
        )
    enterprise.archived_at = utcnow()
    enterprise.is_active = False
    session.flush()


def restore_enterprise(session: Session, enterprise: Enterprise) -> None:
    """Bring an archived enterprise back."""
    enterprise.archived_at = None
    enterprise.is_active = True
    session.flush()


def enterprises_query(
    scope: Scope, query: str = "", archived: bool = False, commune_id: int | None = None
) -> Select:
    """Enterprises in scope matching a search on name or tax code, by name."""
    stmt = select(Enterprise).where(scope.enterprises())
    stmt = stmt.where(
        Enterprise.archived_at.is_not(None) if archived else Enterprise.archived_at.is_(None)
    )
    if commune_id:
        stmt = stmt.where(Enterprise.commune_id == commune_id)
    term = fold(query)
    if term:
        stmt = stmt.where(
            or_(Enterprise.search_name.contains(term, autoescape=True),
                Enterprise.tax_code.startswith(term, autoescape=True),
            )
        )
    return stmt.order_by(Enterprise.search_name)


def enterprise_choices(
    session: Session, scope: Scope, limit: int | None = None
) -> list[tuple[int, str]] | None:
    """(id, name) of the active enterprises in scope, for select boxes.

    With a limit, None when there are more: a province has thousands of enterprises, too
    many for a select box, and the page offers a tax-code box instead.
    """
    rows = session.execute(_choices(scope, limit)).all()
    if limit is not None and len(rows) > limit:
        return None
    return [(row.id, row.name) for row in rows]


@lru_cache(maxsize=1024)
def _choices(scope: Scope, limit: int | None) -> Select:
    """The statement of enterprise_choices, built once per scope (lists ask on every page)."""
    stmt = (
        select(Enterprise.id, Enterprise.name)
        .where(scope.enterprises(), Enterprise.archived_at.is_(None))
        .order_by(Enterprise.search_name)
    )
    return stmt if limit is None else stmt.limit(limit + 1)


#: Above this many enterprises, list filters ask for a tax code instead of a select box.
FILTER_CHOICES_LIMIT = 200


def enterprise_filter(session: Session, scope: Scope, args) -> tuple[int | None, list | None]:
    """The enterprise a list is filtered by (from ?dn=id or ?mst=tax code) and the choices.

    Returns (enterprise id or None, choices for a select box or None for a tax-code box).
    """
    choices = enterprise_choices(session, scope, FILTER_CHOICES_LIMIT)
    enterprise_id = args.get("dn", type=int)
    tax_code = args.get("mst", "").strip()
    if tax_code and not enterprise_id:
        enterprise_id = session.scalar(
            select(Enterprise.id).where(Enterprise.tax_code == tax_code, scope.enterprises())
        ) or -1
    return enterprise_id, choices


def current_worker_counts(session: Session, enterprise_ids: list[int]) -> dict[int, int]:
    """Current head count of each of these enterprises, in one query."""
    if not enterprise_ids:
        return {}
    rows = session.execute(
        select(Worker.current_enterprise_id, func.count())
        .where(Worker.current_enterprise_id.in_(enterprise_ids), Worker.archived_at.is_(None))
        .group_by(Worker.current_enterprise_id)
    )
    return dict(rows.tuples().all())

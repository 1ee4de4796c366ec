"""What a signed-in user may see and change.

Every query a page runs for enterprises, workers, activities or participations is filtered by
the user's Scope; a record outside it is answered with 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true

from registry.auth.models import Role, User
from registry.enterprises.models import Enterprise
from registry.learning.models import Activity, Participation
from registry.units.models import Commune
from registry.workers.models import Employment, Worker

if TYPE_CHECKING:
    from registry.auth.services import SignedIn


@dataclass(frozen=True)
class Scope:
    """The part of the registry one user works on."""

    role: Role
    province_id: int | None = None
    commune_id: int | None = None
    enterprise_id: int | None = None
    #: For an enterprise officer: the commune of their enterprise (commune-wide activities).
    enterprise_commune_id: int | None = None

    @classmethod
    def of(cls, user: User | SignedIn) -> Scope:
        """The scope of a user (account row or signed-in user), from their role and binding."""
        return cls(
            role=user.role,
            province_id=user.province_id,
            commune_id=user.commune_id,
            enterprise_id=user.enterprise_id,
            enterprise_commune_id=user.enterprise_commune_id,
        )

    # --- what the user may see -------------------------------------------------------------

    def communes(self) -> ColumnElement[bool]:
        """Filter on Commune."""
        match self.role:
            case Role.ADMIN:
                return true()
            case Role.PROVINCE:
                return Commune.province_id == self.province_id
            case Role.COMMUNE:
                return Commune.id == self.commune_id
            case _:
                return Commune.id == self.enterprise_commune_id

    def enterprises(self) -> ColumnElement[bool]:
        """Filter on Enterprise."""
        match self.role:
            case Role.ADMIN:
                return true()
            case Role.PROVINCE:
                return Enterprise.commune_id.in_(
                    select(Commune.id).where(Commune.province_id == self.province_id)
                )
            case Role.COMMUNE:
                return Enterprise.commune_id == self.commune_id
            case _:
                return Enterprise.id == self.enterprise_id

    def enterprise_ids(self) -> Select:
        """The ids of the enterprises in scope, as a subquery."""
        return select(Enterprise.id).where(self.enterprises())

    def workers(self) -> ColumnElement[bool]:
        """Filter on Worker: anyone employed, now or before, by an enterprise in scope."""
        if self.role == Role.ADMIN:
            return true()
        if self.role == Role.ENTERPRISE:
            in_scope = Employment.enterprise_id == self.enterprise_id
        else:
            in_scope = Employment.enterprise_id.in_(self.enterprise_ids())
        return exists().where(Employment.worker_id == Worker.id, in_scope)

    def current_workers(self) -> ColumnElement[bool]:
        """Filter on Worker: employed now by an enterprise in scope."""
        if self.role == Role.ADMIN:
            return Worker.current_enterprise_id.is_not(None)
        if self.role == Role.ENTERPRISE:
            return Worker.current_enterprise_id == self.enterprise_id
        return Worker.current_enterprise_id.in_(self.enterprise_ids())

    def activities(self) -> ColumnElement[bool]:
        """Filter on Activity: an enterprise sees its own and its commune's open activities."""
        match self.role:
            case Role.ADMIN:
                return true()
            case Role.PROVINCE:
                return Activity.commune_id.in_(
                    select(Commune.id).where(Commune.province_id == self.province_id)
                )
            case Role.COMMUNE:
                return Activity.commune_id == self.commune_id
            case _:
                return or_(
                    Activity.enterprise_id == self.enterprise_id,
                    and_(
                        Activity.enterprise_id.is_(None),
                        Activity.commune_id == self.enterprise_commune_id,
                    ),
                )

    def participations(self) -> ColumnElement[bool]:
        """Filter on Participation: the activity and the worker must both be in scope."""
        if self.role == Role.ADMIN:
            return true()
        return and_(
            Participation.activity_id.in_(select(Activity.id).where(self.activities())),
            Participation.worker_id.in_(select(Worker.id).where(self.workers())),
        )

    # --- what the user may change ----------------------------------------------------------

    @property
    def sees_personal_data(self) -> bool:
        """Citizen ID, birth date and phone are shown only to officers who manage workers."""
        return self.role != Role.PROVINCE

    @property
    def read_only(self) -> bool:
        """Provincial officers only read."""
        return self.role == Role.PROVINCE

    def can_manage_enterprises(self) -> bool:
        """Create, archive and restore enterprises."""
        return self.role in (Role.ADMIN, Role.COMMUNE)

    def can_edit_enterprise(self, enterprise: Enterprise) -> bool:
        """Edit an enterprise's details (an enterprise officer edits their own)."""
        if self.role == Role.ENTERPRISE:
            return enterprise.id == self.enterprise_id
        return self.can_manage_enterprises()

    def can_edit_worker(self, worker: Worker) -> bool:
        """Edit a worker: commune officers in scope; enterprise officers for current staff."""
        if self.role == Role.ENTERPRISE:
            return worker.current_enterprise_id == self.enterprise_id
        return self.role in (Role.ADMIN, Role.COMMUNE)

    def can_print_learning_book(self, worker: Worker) -> bool:
        """Print a worker's learning record: the same officers who keep the worker's file."""
        return self.can_edit_worker(worker)

    def can_edit_activity(self, activity: Activity) -> bool:
        """Edit an activity: an enterprise officer only their enterprise's own activities."""
        if self.role == Role.ENTERPRISE:
            return activity.enterprise_id == self.enterprise_id
        return self.role in (Role.ADMIN, Role.COMMUNE)

    def can_record_attendance(self) -> bool:
        """Record who took part (on any activity the user can see)."""
        return not self.read_only

    def can_manage_users(self) -> bool:
        """Create and edit user accounts (commune officers: enterprise officers of the commune)."""
        return self.role in (Role.ADMIN, Role.COMMUNE)

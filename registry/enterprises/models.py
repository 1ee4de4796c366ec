"""Enterprises (doanh nghiệp) whose workers the registry follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import LabelledEnum, Timestamped, UTCDateTime, enum_type
from registry.extensions import db
from registry.units.models import Commune


class Sector(LabelledEnum):
    """Line of business, as the commune groups its enterprises."""

    GARMENT = "garment", "Dệt may"
    FOOTWEAR = "footwear", "Da giày"
    SEAFOOD = "seafood", "Chế biến thủy sản"
    FOOD = "food", "Chế biến nông sản, thực phẩm"
    CONSTRUCTION = "construction", "Xây dựng"
    MATERIALS = "materials", "Vật liệu xây dựng"
    MECHANICAL = "mechanical", "Cơ khí"
    ELECTRONICS = "electronics", "Điện tử"
    WOOD = "wood", "Chế biến gỗ"
    TRANSPORT = "transport", "Vận tải, logistics"
    TRADE = "trade", "Thương mại, dịch vụ"
    OTHER = "other", "Khác"


class Enterprise(Timestamped, db.Model):
    """An enterprise located in a commune the registry serves."""

    __tablename__ = "enterprises"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: Mã số thuế: 10 digits, or "10 digits-3 digits" for a branch; also the enterprise's code.
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    #: Name of the enterprise's union branch (Công đoàn cơ sở).
    union_branch: Mapped[str] = mapped_column(String(255), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Lower-case name without diacritics, for accent-insensitive search.
    search_name: Mapped[str] = mapped_column(String(255), index=True)
    #: Set instead of deleting: documents may refer to the enterprise.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune] = relationship()

    def __repr__(self) -> str:
        return f"<Enterprise {self.tax_code} {self.name}>"

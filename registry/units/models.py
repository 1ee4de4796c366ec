"""Administrative units since 1 July 2025: provinces and communes (xã, phường, đặc khu)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db


class Province(db.Model):
    """A province or centrally-run city, from the vietnam-provinces catalogue."""

    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Official two-digit code, e.g. "38" for Thanh Hóa.
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: "tỉnh" or "thành phố trung ương".
    division_type: Mapped[str] = mapped_column(String(40))

    communes: Mapped[list[Commune]] = relationship(back_populates="province")

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Commune(db.Model):
    """A commune, ward or special zone (xã, phường, đặc khu)."""

    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Official five-digit code, e.g. "15865" for Xã Hoằng Hóa.
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: "xã", "phường" or "đặc khu".
    division_type: Mapped[str] = mapped_column(String(40))
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: The registry is run for this commune: its enterprises, workers and documents live here.
    is_served: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    province: Mapped[Province] = relationship(back_populates="communes")

    @property
    def short_name(self) -> str:
        """The name without its type word: "Hoằng Hóa" for "Xã Hoằng Hóa"."""
        prefix = self.division_type.capitalize() + " "
        return self.name[len(prefix):] if self.name.startswith(prefix) else self.name

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.name}>"

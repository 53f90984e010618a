"""The organising body (a Diskominfo, a Komisi Informasi) that owns competitions and entrants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from judging.extensions import db
from judging.models.types import UTCDateTime, utcnow


class Organisation(db.Model):
    """One organising body; entrants live here so they return year after year."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # serial-number prefix
    logo_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

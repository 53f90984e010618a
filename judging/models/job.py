"""Background jobs as users see them: progress and a clear end state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from judging.extensions import db
from judging.models.types import UTCDateTime, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(db.Model):
    """One long task (certificate batch, big import or export) and how far it got."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result_key: Mapped[str | None] = mapped_column(String(64))
    result_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # worker still alive

    @property
    def percent(self) -> int:
        """Progress as a whole percentage for the progress bar."""
        if self.state == "done":
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

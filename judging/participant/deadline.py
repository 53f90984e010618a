"""Time left until a deadline, as the server-rendered text the countdown script updates."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from judging.models.types import utcnow


def time_left(deadline: datetime | None, now: datetime | None = None) -> tuple[int, int, int]:
    """Days, hours and minutes until ``deadline`` (zeros once it has passed)."""
    if deadline is None:
        return (0, 0, 0)
    seconds = max(0, int((deadline - (now or utcnow())).total_seconds()))
    return seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60


def time_left_text(deadline: datetime | None, now: datetime | None = None) -> str:
    """"3 hari 4 jam 5 menit lagi", or that the deadline has passed."""
    if deadline is None:
        return _("Tanpa batas waktu")
    now = now or utcnow()
    if deadline <= now:
        return _("Batas waktu sudah lewat")
    days, hours, minutes = time_left(deadline, now)
    return _("%(days)d hari %(hours)d jam %(minutes)d menit lagi",
             days=days, hours=hours, minutes=minutes)

"""What needs the organizer's attention in a competition, each item with the page that fixes it.

Reuses the rules that gate the phases (``transitions.category_problems``,
``progress.short_of_marks``) so the dashboard and the phase step never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from judging.competitions.transitions import category_problems
from judging.extensions import db
from judging.marking.progress import competition_progress, short_of_marks
from judging.models import Competition, Entry, IndicatorValue, Job, Scoresheet
from judging.models.types import utcnow
from judging.plugin_setup import methods


@dataclass(frozen=True)
class Action:
    """One thing to do, in both languages, and the page (endpoint and arguments) to do it on."""

    message_id: str
    message_en: str
    endpoint: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Countdown:
    """The next deadline of the phase and the whole days and hours left (0 once passed)."""

    what_id: str
    what_en: str
    at: datetime
    days: int
    hours: int

    @property
    def passed(self) -> bool:
        return self.days == 0 and self.hours == 0 and self.at <= utcnow()


def countdown(competition: Competition, now: datetime | None = None) -> Countdown | None:
    """Time left to the deadline that matters in the current phase, if one is set."""
    if competition.phase == "open":
        at, what = competition.deadline_with_grace(), ("Batas pengiriman", "Submission deadline")
    elif competition.phase == "judging":
        at, what = competition.judging_ends, ("Akhir penjurian", "End of judging")
    else:
        return None
    if at is None:
        return None
    seconds = max(0, int((at - (now or utcnow())).total_seconds()))
    return Countdown(what[0], what[1], at, seconds // 86400, seconds % 86400 // 3600)


def needs_attention(competition: Competition) -> list[Action]:
    """Everything blocking or worrying in the competition now, most urgent kinds first."""
    actions = _deadlines(competition)
    if competition.phase in ("draft", "open"):
        actions += [Action(n.message_id, n.message_en, "organizer.category_edit",
                           {"category_id": c.id})
                    for c in competition.categories for n in category_problems(c)]
    if competition.phase in ("judging", "moderation"):
        actions += _marks(competition) + _monev(competition) + _revisits(competition)
    return actions + _jobs(competition)


def _deadlines(competition: Competition) -> list[Action]:
    here = {"competition_id": competition.id}
    if competition.phase in ("draft", "open") and competition.submission_deadline is None:
        return [Action("Batas waktu pengiriman belum diisi.", "The submission deadline is not set.",
                       "organizer.competition_edit", here)]
    left = countdown(competition)
    if left is not None and left.passed:
        return [Action(f"{left.what_id} sudah lewat: lanjutkan ke tahap berikutnya.",
                       f"{left.what_en} has passed: move on to the next phase.",
                       "organizer.competition", here)]
    return []


def _marks(competition: Competition) -> list[Action]:
    short = short_of_marks(competition)
    if not short:
        return []
    return [Action(f"{len(short)} entri belum cukup lembar nilai terkirim.",
                   f"{len(short)} entries have too few submitted score sheets.",
                   "organizer.progress", {"competition_id": competition.id})]


def _monev(competition: Competition) -> list[Action]:
    """Categories whose method reads monev data with submitted entries that have none."""
    out = []
    for category in competition.categories:
        try:
            if not any(i.required for i in methods().get(category.method_key).indicators):
                continue
        except KeyError:  # an uninstalled method is reported by the phase check
            continue
        missing = db.session.scalar(
            select(func.count(Entry.id)).where(
                Entry.category_id == category.id, Entry.status == "submitted",
                ~select(IndicatorValue.id).where(IndicatorValue.entry_id == Entry.id).exists()))
        if missing:
            out.append(Action(
                f"Kategori '{category.name}': {missing} entri belum punya data monev.",
                f"Category '{category.name}': {missing} entries have no monev data.",
                "organizer.monev", {"category_id": category.id}))
    return out


def _revisits(competition: Competition) -> list[Action]:
    ids = [c.id for c in competition.categories]
    count = db.session.scalar(
        select(func.count(Scoresheet.id)).join(Entry, Entry.id == Scoresheet.entry_id)
        .where(Entry.category_id.in_(ids), Scoresheet.revisit_requested_at.is_not(None))
    ) if ids else 0
    if not count:
        return []
    return [Action(f"{count} permintaan tinjau ulang belum dijawab juri.",
                   f"{count} revisit requests are still open.",
                   "organizer.moderation_index", {"competition_id": competition.id})]


def _jobs(competition: Competition) -> list[Action]:
    jobs = db.session.scalars(
        select(Job).where(Job.competition_id == competition.id,
                          Job.state.in_(("queued", "running", "failed")))
        .order_by(Job.created_at.desc()).limit(10))
    return [Action(f"Pekerjaan latar belakang {'gagal' if j.state == 'failed' else 'berjalan'}: "
                   f"{j.params.get('title') or j.kind}.",
                   f"Background job {'failed' if j.state == 'failed' else 'running'}: "
                   f"{j.params.get('title') or j.kind}.",
                   "organizer.job", {"job_id": j.id})
            for j in jobs]


@dataclass(frozen=True)
class Overview:
    """A competition's dashboard: deadline, what needs doing, and how far the work is."""

    countdown: Countdown | None
    actions: list[Action]
    entries: int
    submitted: int
    sheets: int  # score sheets the assigned jurors owe (conflicts excluded)
    sheets_done: int


def overview(competition: Competition) -> Overview:
    """Everything the organizer's home and the competition page show at the top."""
    progress = competition_progress(competition)
    counts = progress.status_counts.values()
    return Overview(
        countdown=countdown(competition), actions=needs_attention(competition),
        entries=sum(sum(c.values()) for c in counts),
        submitted=sum(c["submitted"] for c in counts),
        sheets=sum(j.assigned for j in progress.jurors),
        sheets_done=sum(j.submitted for j in progress.jurors),
    )

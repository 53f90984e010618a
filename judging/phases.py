"""A competition's phases and the gates they open, named in one place.

``draft → open → judging → moderation → final → published``. Services and views ask a
gate (``marks_writable(competition)``) instead of comparing phase names themselves.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from judging.extensions import db
from judging.models import Job
from judging.models.competition import PHASES
from judging.refusals import Notice

FORWARD = dict(zip(PHASES, PHASES[1:], strict=False))
BACKWARD = {after: before for before, after in FORWARD.items()}

MARKING = ("judging", "moderation")
FINAL_JOB = "competition.final"  # the background job that freezes results and enters final
BEFORE_FINAL = ("draft", "open", "judging", "moderation")
FROZEN = ("final", "published")

ALLOWS = {
    "draft": Notice(
        "Menyiapkan kompetisi: kategori, rubrik, peserta dan juri. Peserta belum bisa mengirim.",
        "Preparing: categories, rubrics, entrants and jurors. Participants cannot submit yet.",
    ),
    "open": Notice(
        "Pendaftaran dibuka: peserta mengisi dan mengirim entri sampai batas waktu. Rubrik masih "
        "bisa diubah.",
        "Submissions open: participants fill in and submit entries until the deadline. The "
        "rubric can still change.",
    ),
    "judging": Notice(
        "Penjurian: juri menilai entri yang ditugaskan. Rubrik terkunci.",
        "Judging: jurors score their assigned entries. The rubric is locked.",
    ),
    "moderation": Notice(
        "Moderasi: penyelenggara memeriksa nilai; nilai masih bisa diperbaiki.",
        "Moderation: the organizer reviews marks; marks can still be corrected.",
    ),
    "final": Notice(
        "Final: peringkat dibekukan; sertifikat dan ekspor dibuat dari angka ini.",
        "Final: the ranking is frozen; certificates and exports use these numbers.",
    ),
    "published": Notice(
        "Diumumkan: hasil terlihat oleh publik dan peserta.",
        "Published: results are visible to the public and participants.",
    ),
}

# What a participant reads once entries are closed: the phase in their words, not the organizer's.
FOR_PARTICIPANTS = {
    "judging": Notice(
        "Masa pengiriman sudah ditutup: entri sedang dinilai juri. Entri hanya dapat dilihat.",
        "Submissions are closed: jurors are judging the entries. The entry can only be viewed.",
    ),
    "moderation": Notice(
        "Masa pengiriman sudah ditutup: penyelenggara sedang memeriksa hasil penilaian. Entri "
        "hanya dapat dilihat.",
        "Submissions are closed: the organizer is reviewing the judging. The entry can only be "
        "viewed.",
    ),
    "final": Notice(
        "Penilaian selesai; hasil akan segera diumumkan. Entri hanya dapat dilihat.",
        "Judging is complete; results will be announced soon. The entry can only be viewed.",
    ),
    "published": Notice(
        "Hasil telah diumumkan. Entri hanya dapat dilihat.",
        "Results have been announced. The entry can only be viewed.",
    ),
}


def participant_notice(competition) -> Notice | None:
    """The phase as a participant reads it once submissions are closed; None before that."""
    return FOR_PARTICIPANTS.get(competition.phase)


def at_or_after(competition, phase: str) -> bool:
    """Whether the competition has reached ``phase`` (or gone past it)."""
    return PHASES.index(competition.phase) >= PHASES.index(phase)


def rubric_locked(competition) -> bool:
    """Criteria cannot change once judging has started."""
    return at_or_after(competition, "judging")


def settings_locked(competition) -> bool:
    """Category settings cannot change once the results are frozen."""
    return at_or_after(competition, "final")


def finalising(competition) -> bool:
    """Whether the step to ``final`` is queued or running: what it freezes must hold still."""
    if competition.phase != "moderation":
        return False  # final is entered from moderation only; other phases pay no query
    return bool(db.session.scalar(select(exists().where(
        Job.kind == FINAL_JOB, Job.competition_id == competition.id,
        Job.state.in_(("queued", "running"))))))


def marks_writable(competition) -> bool:
    """Jurors write marks, and organizers ask for revisits, during judging and moderation."""
    return competition.phase in MARKING and not finalising(competition)


def monev_editable(competition) -> bool:
    """Monev data may change until ``final`` freezes the results made from it."""
    return competition.phase in BEFORE_FINAL and not finalising(competition)


def conflicts_open(competition) -> bool:
    """Jurors may declare conflicts until the results are frozen."""
    return competition.phase in BEFORE_FINAL and not finalising(competition)


def results_frozen(competition) -> bool:
    """``final`` and ``published`` read the frozen ranking, never live marks."""
    return competition.phase in FROZEN


def certificates_issuable(competition) -> bool:
    """Certificates are made from frozen results only."""
    return competition.phase in FROZEN


def published(competition) -> bool:
    """Results are visible to the public and to participants."""
    return competition.phase == "published"

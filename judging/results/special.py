"""Special awards outside the ranking (e.g. "Apresiasi Inovasi"), given to named entries."""

from __future__ import annotations

from sqlalchemy import select

from judging.audit import record
from judging.extensions import db
from judging.models import Entry, SpecialAward
from judging.phases import published
from judging.refusals import Refused
from judging.results.awards import MAX_SPECIAL_LABEL


def _check_open(entry: Entry) -> None:
    if published(entry.category.competition):
        raise Refused("Hasil sudah diumumkan; penghargaan khusus tidak bisa diubah lagi.",
                      "Results are published; special awards can no longer change.")


def add_special_award(entry: Entry, label: str, *, actor_id: int | None) -> SpecialAward:
    """Give ``entry`` a special award, audited; the caller commits. Raises Refused."""
    label = " ".join((label or "").split())
    if not 3 <= len(label) <= MAX_SPECIAL_LABEL:
        raise Refused(f"Nama penghargaan harus 3–{MAX_SPECIAL_LABEL} huruf.",
                      f"The award name must be 3–{MAX_SPECIAL_LABEL} characters.")
    if entry.status != "submitted":
        raise Refused("Hanya entri yang sudah dikirim yang bisa diberi penghargaan.",
                      "Only submitted entries can receive an award.")
    _check_open(entry)
    if db.session.scalar(select(SpecialAward).where(SpecialAward.entry_id == entry.id,
                                                    SpecialAward.label == label)):
        raise Refused(f"Entri ini sudah mendapat '{label}'.",
                      f"This entry already has '{label}'.")
    award = SpecialAward(entry_id=entry.id, label=label, created_by_id=actor_id)
    db.session.add(award)
    db.session.flush()
    record("special_award.added", object_type="special_award", object_id=award.id,
           competition_id=entry.category.competition_id,
           after={"entry_id": entry.id, "entry_code": entry.code, "label": label})
    return award


def remove_special_award(award: SpecialAward) -> None:
    """Take a special award back, audited; the caller commits. Raises Refused."""
    _check_open(award.entry)
    record("special_award.removed", object_type="special_award", object_id=award.id,
           competition_id=award.entry.category.competition_id,
           before={"entry_id": award.entry_id, "entry_code": award.entry.code,
                   "label": award.label})
    db.session.delete(award)

"""Load a participant's own entry or evidence from the URL; anything else is 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from judging.extensions import db
from judging.models import Category, Entry, Evidence, User
from judging.permissions import participant_entrants


def own_entry_or_404(user: User, entry_id: int, *, for_update: bool = False) -> Entry:
    """The participant's own entry; any other id is "not found" so nothing leaks."""
    query = select(Entry).where(  # the grants asked inside: one statement fewer
        Entry.id == entry_id, Entry.entrant_id.in_(participant_entrants(user.id))
    )
    if for_update:
        query = query.with_for_update()
    else:  # what the entry page reads, in three queries instead of one a relation
        query = query.options(
            joinedload(Entry.category).joinedload(Category.competition),
            joinedload(Entry.entrant),
            selectinload(Entry.category, Category.criteria),
            selectinload(Entry.evidence),
        )
    entry = db.session.scalar(query)
    if entry is None:
        abort(404)
    return entry


def own_evidence_or_404(entry: Entry, evidence_id: int) -> Evidence:
    """One evidence record of this entry; an id of another entry is "not found"."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.entry_id != entry.id:
        abort(404)
    return evidence

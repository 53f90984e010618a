"""Load a participant's own entry or evidence from the URL; anything else is 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from judging.extensions import db
from judging.models import Category, Competition, Criterion, Entrant, Entry, Evidence, User
from judging.permissions import participant_entrants
from judging.phases import published

# What the entry page reads, prebuilt: the entry with its category, competition and entrant,
# a row per evidence item (one row without when there is none), then, when the page shows
# them, the criteria; set on the entities as eager loads would. Eager-load options cost about
# twice as much on every view of the page, a statement of its own for the evidence a third.
_OWN_ENTRY = (
    select(Entry, Category, Competition, Entrant, Evidence)
    .join(Category, Category.id == Entry.category_id)
    .join(Competition, Competition.id == Category.competition_id)
    .join(Entrant, Entrant.id == Entry.entrant_id)
    .outerjoin(Evidence, Evidence.entry_id == Entry.id)
    .where(Entry.id == bindparam("entry_id"),
           Entry.entrant_id.in_(participant_entrants(bindparam("user_id"))))
    .order_by(Evidence.id)
)
_CRITERIA = (select(Criterion).where(Criterion.category_id == bindparam("category_id"))
             .order_by(Criterion.position, Criterion.id))


def own_entry_or_404(user: User, entry_id: int, *, for_update: bool = False) -> Entry:
    """The participant's own entry; any other id is "not found" so nothing leaks."""
    if not for_update:
        return _entry_for_page(user, entry_id)
    entry = db.session.scalar(
        select(Entry).where(Entry.id == entry_id,
                            Entry.entrant_id.in_(participant_entrants(user.id)))
        .with_for_update())
    if entry is None:
        abort(404)
    return entry


def _entry_for_page(user: User, entry_id: int) -> Entry:
    rows = db.session.execute(_OWN_ENTRY, {"entry_id": entry_id, "user_id": user.id}).all()
    if not rows:
        abort(404)
    entry, category, competition, entrant, _ = rows[0]
    # Kept on the entry as joined eager loads do (the identity map alone holds them weakly).
    set_committed_value(entry, "category", category)
    set_committed_value(entry, "entrant", entrant)
    set_committed_value(category, "competition", competition)
    if _reads_criteria(category, competition):  # else left to load if anything asks
        set_committed_value(category, "criteria", list(db.session.scalars(
            _CRITERIA, {"category_id": category.id})))
    set_committed_value(entry, "evidence", [row[4] for row in rows if row[4] is not None])
    return entry


def _reads_criteria(category: Category, competition: Competition) -> bool:
    """Whether the page shows criteria: evidence slots per criterion, or a published result."""
    return (category.evidence_rules or {}).get("per") == "criterion" or published(competition)


def own_evidence_or_404(entry: Entry, evidence_id: int) -> Evidence:
    """One evidence record of this entry; an id of another entry is "not found"."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.entry_id != entry.id:
        abort(404)
    return evidence

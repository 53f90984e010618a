"""Load a participant's own entry or evidence from the URL; anything else is 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from judging import driver_sql
from judging.extensions import db
from judging.models import Category, Competition, Criterion, Entrant, Entry, Evidence, User
from judging.permissions import participant_entrants
from judging.phases import published
from judging.request_connection import plain_connection

# --- the entry page: plain values ---------------------------------------------------------
# The page only reads, so it gets rows, not entities: building five kinds of ORM entity
# cost more than the statement itself; the rows come straight from the driver's cursor
# (``driver_sql``) on SQLite. One statement brings the entry with its category,
# competition and entrant and a row per evidence item (one row without when there is none);
# the criteria follow only where the page shows them (slots per criterion).


class CompetitionRow(NamedTuple):
    id: int
    name: str
    year: int
    phase: str
    timezone: str
    submission_deadline: datetime | None
    grace_minutes: int

    # the model's own rules, so the plain row answers as the entity does
    deadline_with_grace = Competition.deadline_with_grace
    submissions_open = Competition.submissions_open


class CategoryRow(NamedTuple):
    id: int
    name: str
    method_key: str
    evidence_rules: dict | None
    competition_id: int
    competition: CompetitionRow
    criteria: tuple  # (key, label, guidance) rows; empty unless slots go per criterion


class EntrantRow(NamedTuple):
    id: int
    name: str


class EvidenceRow(NamedTuple):
    id: int
    kind: str
    url: str | None
    label: str
    original_name: str | None
    file_kind: str | None
    size: int | None
    requirement: str | None


@dataclass(frozen=True)
class OwnEntry:
    """What the participant's entry page shows of the entry, read as plain values."""

    id: int
    code: str
    status: str
    description: str
    fields: dict | None
    social_links: list | None
    submitted_at: datetime | None
    updated_at: datetime | None
    category_id: int
    entrant: EntrantRow
    category: CategoryRow
    evidence: tuple[EvidenceRow, ...]


_COMPETITION, _PEOPLE, _EVIDENCE_AT = slice(11, 18), slice(18, 21), 21  # where in a row


def _own_entry(*columns):
    """The participant's own entry (by id, among the entrants they act for) with its category,
    competition and entrant, a row per evidence item (one row without when there is none)."""
    return (
        select(*columns)
        .join(Category, Category.id == Entry.category_id)
        .join(Competition, Competition.id == Category.competition_id)
        .join(Entrant, Entrant.id == Entry.entrant_id)
        .outerjoin(Evidence, Evidence.entry_id == Entry.id)
        .where(Entry.id == bindparam("entry_id"),
               Entry.entrant_id.in_(participant_entrants(bindparam("user_id"))))
        .order_by(Evidence.id)
    )


_OWN_ROWS = _own_entry(*(column.label(f"{column.table.name}_{column.key}") for column in (
    Entry.id, Entry.code, Entry.status, Entry.description, Entry.fields,
    Entry.social_links, Entry.submitted_at, Entry.updated_at,
    Category.name, Category.method_key, Category.evidence_rules,
    Competition.id, Competition.name, Competition.year, Competition.phase,
    Competition.timezone, Competition.submission_deadline, Competition.grace_minutes,
    Entrant.id, Entrant.name, Category.id,
    Evidence.id, Evidence.kind, Evidence.url, Evidence.label, Evidence.original_name,
    Evidence.file_kind, Evidence.size, Evidence.requirement)))  # one name each, for row tuples
_CRITERIA_ROWS = (select(Criterion.key, Criterion.label, Criterion.guidance)
                  .where(Criterion.category_id == bindparam("category_id"))
                  .order_by(Criterion.position, Criterion.id))


def entry_page_or_404(user: User, entry_id: int) -> OwnEntry | Entry:
    """The participant's own entry as the page shows it; any other id is "not found".

    Plain values, except once results are published: the result's reads (ranking, last
    year's, certificates) take entities, so that page reads them as before.
    """
    connection = plain_connection(db)
    rows = driver_sql.rows(connection, _OWN_ROWS, {"entry_id": entry_id, "user_id": user.id})
    if not rows:
        abort(404)
    row = rows[0]
    competition = CompetitionRow(*row[_COMPETITION])
    if published(competition):
        return _entry_for_page(user, entry_id)
    entrant_id, entrant_name, category_id = row[_PEOPLE]
    rules = row[10]
    criteria = tuple(driver_sql.rows(connection, _CRITERIA_ROWS, {"category_id": category_id})
                     ) if _per_criterion(rules) else ()
    category = CategoryRow(category_id, row[8], row[9], rules, competition.id,
                           competition, criteria)
    evidence = tuple(EvidenceRow(*r[_EVIDENCE_AT:]) for r in rows if r[_EVIDENCE_AT] is not None)
    return OwnEntry(*row[:8], category_id, EntrantRow(entrant_id, entrant_name), category,
                    evidence)


def _per_criterion(evidence_rules: dict | None) -> bool:
    return (evidence_rules or {}).get("per") == "criterion"


# The entities, for a page with a published result and for the changes: what the page reads,
# prebuilt: the entry with its category, competition and entrant,
# a row per evidence item (one row without when there is none), then, when the page shows
# them, the criteria; set on the entities as eager loads would. Eager-load options cost about
# twice as much on every view of the page, a statement of its own for the evidence a third.
_OWN_ENTRY = _own_entry(Entry, Category, Competition, Entrant, Evidence)
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
    return _per_criterion(category.evidence_rules) or published(competition)


def own_evidence_or_404(entry: Entry, evidence_id: int) -> Evidence:
    """One evidence record of this entry; an id of another entry is "not found"."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.entry_id != entry.id:
        abort(404)
    return evidence


def warm_up(_absent) -> None:
    """Compile the entry page's reads before a worker's first request (no such entry)."""
    connection = db.session.connection()
    driver_sql.rows(connection, _OWN_ROWS, {"entry_id": 0, "user_id": 0})
    driver_sql.rows(connection, _CRITERIA_ROWS, {"category_id": 0})

"""What a juror has to judge: their competitions, entries and each entry's sheet status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from judging.extensions import db
from judging.marking.marks import sheet_status
from judging.models import (
    Assignment,
    Category,
    Competition,
    ConflictDeclaration,
    Entry,
    Mark,
    RoleGrant,
    Scoresheet,
)


@dataclass(frozen=True)
class EntryRow:
    """One line of a juror's list: the entry, what to call it and how far they are."""

    entry: Entry
    display_name: str
    status: str
    sheet: Scoresheet | None


def display_name(entry: Entry) -> str:
    """The entry as a juror sees it: the code only in blind categories."""
    if entry.category.blind:
        return entry.code
    return f"{entry.entrant.name} ({entry.code})"


def entry_for_scoring(entry_id: int) -> Entry | None:
    """An entry with everything its scoring page and sheet save read, in two queries."""
    return db.session.scalar(
        select(Entry).where(Entry.id == entry_id).options(
            joinedload(Entry.category).joinedload(Category.competition),
            joinedload(Entry.entrant),
            selectinload(Entry.category, Category.criteria),
            selectinload(Entry.evidence),
        )
    )


def juror_competitions(juror_id: int) -> list[Competition]:
    """Competitions where the user holds a juror grant, newest first."""
    granted = select(RoleGrant.competition_id).where(
        RoleGrant.user_id == juror_id, RoleGrant.role == "juror"
    )
    return list(db.session.scalars(
        select(Competition)
        .where(Competition.id.in_(granted))
        .order_by(Competition.year.desc(), Competition.id.desc())
    ))


def assigned_entry_routes(juror_id, competition_id) -> tuple[Select, Select]:
    """The juror's submitted entries in a competition, minus conflicts, as two selects of
    ``Entry`` (joined with its ``Category``): through an entry assignment, through a category
    assignment. An entry may come through both; the list is their union.

    Each starts from the juror's assignments, so it reads the juror's entries rather than
    probing every entry of the competition: at 200 entries, a third of the time on SQLite.
    """
    conflicted = select(ConflictDeclaration.entry_id).where(
        ConflictDeclaration.juror_id == juror_id)
    through_entry = ((Entry.id == Assignment.entry_id)
                     & (Entry.category_id == Assignment.category_id))
    through_category = ((Entry.category_id == Assignment.category_id)
                        & Assignment.entry_id.is_(None))
    return tuple(
        select(Entry).select_from(Assignment).join(Entry, on)
        .join(Category, Category.id == Entry.category_id)
        .where(Assignment.juror_id == juror_id, Assignment.verifier.is_(False),
               Category.competition_id == competition_id, Entry.status == "submitted",
               Entry.id.not_in(conflicted))
        for on in (through_entry, through_category))


def assigned_entries_query(juror_id: int, competition_id: int):
    """Submitted entries the juror judges (category or entry assignment), minus conflicts."""
    judged = union_all(*(route.with_only_columns(Entry.id)
                         for route in assigned_entry_routes(juror_id, competition_id)))
    return (
        select(Entry)
        .join(Category, Category.id == Entry.category_id)
        .where(Entry.id.in_(judged))
        .order_by(Category.position, Category.id, Entry.code)
    )


def assigned_entries(juror_id: int, competition_id: int) -> list[Entry]:
    """The entries of ``assigned_entries_query`` as a list."""
    return list(db.session.scalars(assigned_entries_query(juror_id, competition_id)))


def entry_rows(juror_id: int, competition_id: int) -> list[EntryRow]:
    """The juror's list for one competition with each entry's sheet status."""
    entries = assigned_entries(juror_id, competition_id)
    ids = [e.id for e in entries]
    sheets = {s.entry_id: s for s in db.session.scalars(
        select(Scoresheet).where(Scoresheet.juror_id == juror_id, Scoresheet.entry_id.in_(ids))
    )}
    marked = set(db.session.scalars(
        select(Mark.entry_id).where(Mark.juror_id == juror_id, Mark.entry_id.in_(ids)).distinct()
    ))
    return [
        EntryRow(e, display_name(e), sheet_status(sheets.get(e.id), e.id in marked),
                 sheets.get(e.id))
        for e in entries
    ]


def conflicts_of(juror_id: int, competition_id: int) -> list[ConflictDeclaration]:
    """The juror's own declarations in a competition, to show what left their list."""
    return list(db.session.scalars(
        select(ConflictDeclaration)
        .join(Entry, Entry.id == ConflictDeclaration.entry_id)
        .join(Category, and_(Category.id == Entry.category_id,
                             Category.competition_id == competition_id))
        .where(ConflictDeclaration.juror_id == juror_id)
        .order_by(ConflictDeclaration.declared_at)
    ))

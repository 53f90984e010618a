"""The jury of a competition: jurors, their categories and entries, conflicts, auto-assignment."""

from __future__ import annotations

from sqlalchemy import delete, select

from judging.accounts.grants import Invited, account_for, added, grant
from judging.audit import record
from judging.extensions import db
from judging.marking.balancing import Plan, balance
from judging.marking.progress import assigned_jurors
from judging.models import (
    Assignment,
    Category,
    Competition,
    ConflictDeclaration,
    Entry,
    RoleGrant,
    User,
)
from judging.permissions import conflict_pairs
from judging.refusals import Refused


def jurors_of(competition: Competition) -> list[User]:
    """Accounts holding a juror grant for the competition, by name."""
    return list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "juror", RoleGrant.competition_id == competition.id)
        .order_by(User.name, User.id)
    ))


def require_juror(competition: Competition, user_id: int) -> User:
    """The juror of this competition with that id, or a refusal (no cross-competition ids)."""
    for juror in jurors_of(competition):
        if juror.id == user_id:
            return juror
    raise Refused("Juri tidak ditemukan di kompetisi ini.", "No such juror in this competition.")


def add_juror(competition: Competition, email: str, name: str,
              categories: list[Category]) -> Invited:
    """Grant the juror role (creating the account when new) and assign categories."""
    user, new = account_for(email, name, competition.organisation)
    if grant(user, "juror", competition_id=competition.id):
        record("juror.added", object_type="user", object_id=user.id,
               competition_id=competition.id, after={"email": user.email})
    for category in categories:
        assign_category(user, category, True)
    return added(user, "juror", "juror", competition.organisation, competition.id, new=new)


def assign_category(juror: User, category: Category, on: bool) -> None:
    """Assign (or remove) a juror to a whole category."""
    row = db.session.scalar(select(Assignment).where(
        Assignment.juror_id == juror.id, Assignment.category_id == category.id,
        Assignment.entry_id.is_(None)))
    if on and row is None:
        db.session.add(Assignment(juror_id=juror.id, category_id=category.id))
        action = "assignment.added"
    elif not on and row is not None:
        db.session.delete(row)
        action = "assignment.removed"
    else:
        return
    record(action, object_type="category", object_id=category.id,
           competition_id=category.competition_id, after={"juror_id": juror.id})


def assign_entries(juror: User, category: Category, entries: list[Entry]) -> None:
    """Set exactly which entries of a category the juror judges (replaces earlier picks)."""
    conflicted = conflict_pairs({e.id for e in entries})
    bad = [e.code for e in entries if (juror.id, e.id) in conflicted]
    if bad:
        raise Refused(
            f"Juri menyatakan konflik kepentingan dengan: {', '.join(bad)}.",
            f"The juror declared a conflict of interest with: {', '.join(bad)}.",
        )
    if any(e.category_id != category.id for e in entries):
        raise Refused("Entri bukan milik kategori ini.", "The entry is not in this category.")
    db.session.execute(delete(Assignment).where(
        Assignment.juror_id == juror.id, Assignment.category_id == category.id,
        Assignment.entry_id.is_not(None)))
    for entry in entries:
        db.session.add(Assignment(juror_id=juror.id, category_id=category.id, entry_id=entry.id))
    record("assignment.entries", object_type="category", object_id=category.id,
           competition_id=category.competition_id,
           after={"juror_id": juror.id, "entries": sorted(e.code for e in entries)})


def conflicts_of(competition: Competition) -> list[ConflictDeclaration]:
    """Every conflict declared by the competition's jurors, newest first."""
    return list(db.session.scalars(
        select(ConflictDeclaration).join(Entry).join(Category)
        .where(Category.competition_id == competition.id)
        .order_by(ConflictDeclaration.declared_at.desc())
    ))


def auto_assign(category: Category, pool: list[User], k: int) -> Plan:
    """Give each submitted entry ``k`` jurors from ``pool`` with even loads, no conflicts.

    The pool's earlier assignments in this category are replaced by per-entry ones.
    Raises :class:`Refused` when no entry is submitted or no balanced plan exists.
    """
    entries = list(db.session.scalars(select(Entry).where(
        Entry.category_id == category.id, Entry.status == "submitted").order_by(Entry.id)))
    if not entries:
        raise Refused("Belum ada entri yang dikirim di kategori ini.",
                      "No entry of this category has been submitted yet.")
    if not pool:
        raise Refused("Pilih minimal satu juri.", "Pick at least one juror.")
    ids = {e.id for e in entries}
    try:
        plan = balance(ids, [j.id for j in pool], k, conflict_pairs(ids))
    except Refused as impossible:
        codes = [e.code for e in entries if e.id in set(impossible.about)]
        suffix = f" ({', '.join(codes)})" if codes else ""
        raise Refused(impossible.message_id + suffix, impossible.message_en + suffix) from None
    pool_ids = [j.id for j in pool]
    db.session.execute(delete(Assignment).where(
        Assignment.category_id == category.id, Assignment.juror_id.in_(pool_ids)))
    for entry_id, juror_ids in plan.jurors_of.items():
        for juror_id in juror_ids:
            db.session.add(Assignment(juror_id=juror_id, category_id=category.id,
                                      entry_id=entry_id))
    record("assignment.automatic", object_type="category", object_id=category.id,
           competition_id=category.competition_id,
           after={"k": k, "pool": pool_ids, "loads": {str(j): n for j, n in plan.loads.items()}})
    return plan


def assignment_matrix(competition: Competition) -> dict[tuple[int, int], str]:
    """(juror id, category id) → 'all' for a whole category or 'n entri' for picked entries."""
    rows = db.session.execute(
        select(Assignment.juror_id, Assignment.category_id, Assignment.entry_id)
        .join(Category).where(Category.competition_id == competition.id)
    ).all()
    out: dict[tuple[int, int], str] = {}
    counts: dict[tuple[int, int], int] = {}
    for juror_id, category_id, entry_id in rows:
        if entry_id is None:
            out[(juror_id, category_id)] = "all"
        else:
            counts[(juror_id, category_id)] = counts.get((juror_id, category_id), 0) + 1
    for key, n in counts.items():
        out.setdefault(key, str(n))
    return out


def picked_entries(juror: User, category: Category) -> set[int]:
    """Entries a juror was given one by one in a category."""
    return set(db.session.scalars(select(Assignment.entry_id).where(
        Assignment.juror_id == juror.id, Assignment.category_id == category.id,
        Assignment.entry_id.is_not(None))))


def replace_for_conflict(competition: Competition, declaration_id: int) -> User:
    """Assign the least-loaded free juror to an entry a conflict left short; audited.

    Jurors already judging the category come first, then the rest of the competition's jury.
    """
    declaration = db.session.get(ConflictDeclaration, declaration_id)
    entry = declaration.entry if declaration else None
    if entry is None or entry.category.competition_id != competition.id:
        raise Refused("Konflik tidak ditemukan.", "No such conflict.")
    category = entry.category
    members = list(db.session.scalars(select(Entry).where(Entry.category_id == category.id)))
    assigned = assigned_jurors(competition, members)
    blocked = {j for j, e in conflict_pairs([entry.id]) if e == entry.id}
    load = {j.id: sum(j.id in js for js in assigned.values()) for j in jurors_of(competition)}
    in_category = set().union(*assigned.values()) if assigned else set()
    free = [j for j in jurors_of(competition)
            if j.id not in assigned[entry.id] and j.id not in blocked]
    if not free:
        raise Refused(
            f"Tidak ada juri lain tanpa konflik untuk {entry.code}; tambah juri dulu.",
            f"No other juror without a conflict is free for {entry.code}; add a juror first.")
    juror = min(free, key=lambda j: (j.id not in in_category, load[j.id], j.name, j.id))
    db.session.add(Assignment(juror_id=juror.id, category_id=category.id, entry_id=entry.id))
    db.session.flush()
    record("assignment.replacement", object_type="entry", object_id=entry.id,
           competition_id=competition.id,
           after={"juror_id": juror.id, "replaces": declaration.juror_id,
                  "conflict_id": declaration.id})
    return juror

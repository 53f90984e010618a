"""Who may do what: the one place every view asks.

Each view declares its audience with ``@access(...)``; object-level questions
(may this user manage that competition, see that evidence?) are the ``can_*``
functions below. A route without ``@access`` fails the role × route test.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import exists, or_, select

from judging.extensions import db, login_manager
from judging.models import (
    Assignment,
    Competition,
    ConflictDeclaration,
    Entry,
    RoleGrant,
    User,
)
from judging.phases import published

AUDIENCES = ("public", "authenticated", "admin", "organizer", "juror", "participant")


def access(*audiences: str):
    """Declare and enforce who may reach a view (any of the given audiences)."""
    unknown = set(audiences) - set(AUDIENCES)
    if not audiences or unknown:
        raise ValueError(f"unknown audience {unknown or '(none)'}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if "public" not in audiences:
                user = signed_in_user()
                if not user.is_authenticated:
                    return login_manager.unauthorized()
                if not any(has_audience(user, a) for a in audiences):
                    abort(403)
            return view(*args, **kwargs)

        guarded.access = audiences
        return guarded

    return decorate


def signed_in_user():
    """This request's user (anonymous or signed in), loaded once, without the LocalProxy.

    ``current_user`` resolves through Flask-Login on every attribute; the guard, the menu
    and the locale ask for the same object, which Flask-Login keeps in ``g``.
    """
    user = g.get("_login_user")
    return user if user is not None else current_user._get_current_object()


def has_audience(user: User, audience: str) -> bool:
    """Whether the user belongs to an audience anywhere (objects are checked separately)."""
    if audience in ("public", "authenticated"):
        return True
    if user.is_admin:
        return audience in ("admin", "organizer")
    if audience == "admin":
        return False
    return audience in roles_of(user)


def roles_of(user: User) -> frozenset[str]:
    """The roles the user holds anywhere; read once per request (menu and guards ask often)."""
    cached = g.get("user_roles") if has_request_context() else None
    if cached is not None and cached[0] == user.id:
        return cached[1]
    roles = frozenset(db.session.scalars(
        select(RoleGrant.role).where(RoleGrant.user_id == user.id).distinct()))
    remember_roles(user.id, roles)
    return roles


def remember_roles(user_id: int, roles: frozenset[str],
                   organizer_of: tuple[frozenset[int], frozenset[int]] | None = None) -> None:
    """Keep the roles read along with the signed-in user, so ``roles_of`` asks no more
    (and, when given, the competitions and bodies they organise, so ``organizer_scope`` asks
    no more either)."""
    if has_request_context():
        g.user_roles = (user_id, roles)
        if organizer_of is not None:
            g.organizer_of = (user_id, organizer_of)


def organizer_scope(user: User) -> tuple[frozenset[int], frozenset[int]]:
    """(competition ids, organising body ids) the user holds an organizer grant for: read
    with the signed-in user, or here for anyone else."""
    cached = g.get("organizer_of") if has_request_context() else None
    if cached is not None and cached[0] == user.id:
        return cached[1]
    rows = db.session.execute(select(RoleGrant.competition_id, RoleGrant.organisation_id).where(
        RoleGrant.user_id == user.id, RoleGrant.role == "organizer")).all()
    return organizer_grants(rows)


def organizer_grants(rows) -> tuple[frozenset[int], frozenset[int]]:
    """The (competition ids, organising body ids) of organizer grant rows
    (competition id, organisation id)."""
    return (frozenset(c for c, _ in rows if c is not None),
            frozenset(o for _, o in rows if o is not None))


def require(allowed: bool) -> None:
    """Stop with 403 unless ``allowed``; views call this after loading an object."""
    if not allowed:
        abort(403)


def organizer_grant_filter(user: User):
    """SQL condition for competitions the user manages (admins: all)."""
    if user.is_admin:
        return True
    comp_ids = select(RoleGrant.competition_id).where(
        RoleGrant.user_id == user.id,
        RoleGrant.role == "organizer",
        RoleGrant.competition_id.is_not(None),
    )
    org_ids = select(RoleGrant.organisation_id).where(
        RoleGrant.user_id == user.id,
        RoleGrant.role == "organizer",
        RoleGrant.organisation_id.is_not(None),
    )
    return or_(Competition.id.in_(comp_ids), Competition.organisation_id.in_(org_ids))


def managed_competitions(user: User) -> list[Competition]:
    """Competitions the user organises, newest first."""
    query = select(Competition).where(organizer_grant_filter(user))
    return list(db.session.scalars(query.order_by(Competition.year.desc(), Competition.id.desc())))


def can_manage_competition(user: User, competition: Competition) -> bool:
    """Organizer of that competition, of its organising body, or site admin."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    competitions, bodies = organizer_scope(user)
    return competition.id in competitions or competition.organisation_id in bodies


def organiser_ids(user: User) -> list[int]:
    """Organising bodies where the user may create competitions and manage entrants."""
    from judging.models import Organisation

    if user.is_admin:
        return list(db.session.scalars(select(Organisation.id)))
    return sorted(organizer_scope(user)[1])


def can_manage_organisation(user: User, organisation_id: int) -> bool:
    """Organizer at the level of the organising body (entrants, new competitions)."""
    return user.is_authenticated and organisation_id in organiser_ids(user)


def is_juror_in(user: User, competition: Competition) -> bool:
    """Holds a juror grant for this competition."""
    return user.is_authenticated and db.session.scalar(
        select(
            exists().where(
                RoleGrant.user_id == user.id,
                RoleGrant.role == "juror",
                RoleGrant.competition_id == competition.id,
            )
        )
    )


def has_conflict(user: User, entry: Entry) -> bool:
    """The juror declared a conflict of interest on this entry."""
    return db.session.scalar(
        select(
            exists().where(
                ConflictDeclaration.juror_id == user.id, ConflictDeclaration.entry_id == entry.id
            )
        )
    )


def conflict_pairs(entry_ids) -> set[tuple[int, int]]:
    """Declared conflicts on these entries as (juror id, entry id): jurors kept away from them."""
    if not entry_ids:
        return set()
    rows = db.session.execute(
        select(ConflictDeclaration.juror_id, ConflictDeclaration.entry_id)
        .where(ConflictDeclaration.entry_id.in_(list(entry_ids)))
    )
    return {(juror_id, entry_id) for juror_id, entry_id in rows}


def is_assigned(user: User, entry: Entry) -> bool:
    """Assigned to the entry's category as a whole or to this entry in particular."""
    return db.session.scalar(
        select(
            exists().where(
                Assignment.juror_id == user.id,
                Assignment.category_id == entry.category_id, Assignment.verifier.is_(False),
                or_(Assignment.entry_id.is_(None), Assignment.entry_id == entry.id),
            )
        )
    )


def judge_condition(user_id, entry_column, category_column):
    """SQL condition: the user judges the entry (category-wide or this entry), no conflict."""
    assigned = exists().where(
        Assignment.juror_id == user_id,
        Assignment.category_id == category_column, Assignment.verifier.is_(False),
        or_(Assignment.entry_id.is_(None), Assignment.entry_id == entry_column),
    )
    conflicted = exists().where(
        ConflictDeclaration.juror_id == user_id, ConflictDeclaration.entry_id == entry_column
    )
    return assigned & ~conflicted


def _judge_answers() -> dict:
    return g.setdefault("judge_answers", {}) if has_request_context() else {}


def remember_judge_answer(user_id: int, entry_id: int, allowed: bool) -> None:
    """Keep an answer read along with the entry, so ``can_judge_entry`` asks no more."""
    _judge_answers()[("can_judge", user_id, entry_id)] = allowed


def can_judge_entry(user: User, entry: Entry) -> bool:
    """A juror may score (and see evidence of) an assigned entry they have no conflict with."""
    if not user.is_authenticated:
        return False
    key = ("can_judge", user.id, entry.id)
    answers = _judge_answers()
    if key not in answers:  # the view and the sheet save both ask: once a request
        answers[key] = bool(db.session.scalar(
            select(judge_condition(user.id, entry.id, entry.category_id))))
    return answers[key]


def participant_entrants(user_id: int):
    """SQL subquery: the entrants the user acts for as participant."""
    return select(RoleGrant.entrant_id).where(
        RoleGrant.user_id == user_id, RoleGrant.role == "participant",
        RoleGrant.entrant_id.is_not(None),
    )


def participant_entrant_ids(user: User) -> list[int]:
    """The entrants this participant acts for."""
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(RoleGrant.entrant_id).where(
                RoleGrant.user_id == user.id,
                RoleGrant.role == "participant",
                RoleGrant.entrant_id.is_not(None),
            )
        )
    )


def is_participant_for(user: User, entry: Entry) -> bool:
    """The user acts for the entry's entrant."""
    return entry.entrant_id in participant_entrant_ids(user)


def can_open_evidence_inline(user: User, entry: Entry) -> bool:
    """Jurors judging the entry, its verifiers and organizers may view PDFs and images inline."""
    competition = entry.category.competition
    return (can_manage_competition(user, competition) or can_judge_entry(user, entry)
            or can_verify_entry(user, entry))


def sees_entry_blind(user: User, entry: Entry) -> bool:
    """A juror of a blind category sees the entry's code, never the entrant's names."""
    return bool(entry.category.blind) and not (
        can_manage_competition(user, entry.category.competition) or is_participant_for(user, entry)
    )


def can_see_job(user: User, job, competition: Competition | None) -> bool:
    """A job's creator, an organizer of the job's competition, or the site administrator."""
    if not user.is_authenticated:
        return False
    if job.created_by_id == user.id or user.is_admin:
        return True
    return competition is not None and can_manage_competition(user, competition)


def can_view_evidence(user: User, entry: Entry) -> bool:
    """Organizers and the entrant's participants always; jurors once the entry is submitted;
    the entry's verifikator (SAQ data dukung)."""
    if can_manage_competition(user, entry.category.competition) or is_participant_for(user, entry):
        return True
    return (entry.status == "submitted" and can_judge_entry(user, entry)) or \
        can_verify_entry(user, entry)


def can_download_certificate(user: User, certificate) -> bool:
    """A participant's own standing certificate, once the competition's results are published."""
    return (
        certificate.revoked_at is None
        and published(certificate.competition)
        and is_participant_for(user, certificate.entry)
    )


def verifier_filter(user_id: int, entry_column, category_column):
    """SQL condition: the user is verifikator for the entry (category-wide or this entry)."""
    return exists().where(
        Assignment.juror_id == user_id, Assignment.verifier.is_(True),
        Assignment.category_id == category_column,
        or_(Assignment.entry_id.is_(None), Assignment.entry_id == entry_column),
    )


def can_verify_entry(user: User, entry: Entry) -> bool:
    """A verifikator assigned to the entry's category (or the entry), with no declared conflict."""
    if not user.is_authenticated or not is_juror_in(user, entry.category.competition):
        return False
    assigned = db.session.scalar(select(verifier_filter(user.id, entry.id, entry.category_id)))
    return bool(assigned) and not has_conflict(user, entry)

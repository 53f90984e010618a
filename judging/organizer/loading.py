"""Load an object from the URL and check the organizer may manage it (404, then 403)."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from judging import driver_sql
from judging.extensions import db
from judging.models import Category, Competition, Entrant, Organisation
from judging.permissions import can_manage_competition, can_manage_organisation, require
from judging.unchanged import read_unless_changed


def managed_competition(competition_id: int) -> Competition:
    """The competition, if the signed-in organizer manages it."""
    competition = db.session.get(Competition, competition_id) or abort(404)
    require(can_manage_competition(current_user, competition))
    return competition


class CompetitionLine(NamedTuple):
    """A competition as a page's tabs name it: enough for them and the permission check."""

    id: int
    organisation_id: int
    name: str
    year: int


_LINE = select(Competition.id, Competition.organisation_id, Competition.name,
               Competition.year).where(Competition.id == bindparam("competition_id"))


def managed_competition_line(competition_id: int) -> CompetitionLine:
    """The competition as a plain row, if the signed-in organizer manages it: for a page that
    reads everything else it shows in its own statements (no entity, no JSON columns)."""
    found = read_unless_changed(db.session, ("competition_line", competition_id), lambda: (
        driver_sql.rows(db.session.connection(), _LINE, {"competition_id": competition_id})))
    line = CompetitionLine(*found[0]) if found else abort(404)
    require(can_manage_competition(current_user, line))
    return line


def managed_category(category_id: int) -> Category:
    """The category, if the signed-in organizer manages its competition (read with it)."""
    category = db.session.get(Category, category_id,
                              options=[joinedload(Category.competition)]) or abort(404)
    require(can_manage_competition(current_user, category.competition))
    return category


def managed_organisation(organisation_id: int) -> Organisation:
    """The organising body, if the signed-in user organises at its level."""
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    require(can_manage_organisation(current_user, organisation.id))
    return organisation


def managed_entrant(entrant_id: int) -> Entrant:
    """The entrant, if the signed-in user organises its body."""
    entrant = db.session.get(Entrant, entrant_id) or abort(404)
    require(can_manage_organisation(current_user, entrant.organisation_id))
    return entrant


def warm_up(absent) -> None:
    """Compile the organizer pages' loads before a worker's first request (no such rows)."""
    db.session.get(Competition, 0)
    driver_sql.rows(db.session.connection(), _LINE, {"competition_id": 0})
    db.session.get(Category, 0, options=[joinedload(Category.competition)])
    absent(Competition).categories  # noqa: B018 - the lazy load is what is compiled

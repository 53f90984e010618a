"""A small judging world for the jury tests: one category, entries, a juror, an organizer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.models import Mark


@dataclass
class World:
    competition: object
    category: object
    entries: list
    juror: object
    organizer: object

    @property
    def criteria(self):
        return self.category.criteria


def build_world(make, *, phase="judging", entries=2, blind=False) -> World:
    """A competition in ``phase`` whose juror is assigned to the whole category."""
    competition = make.competition(phase=phase)
    category = make.category(competition, blind=blind)
    items = [make.entry(category, status="submitted") for _ in range(entries)]
    juror = make.juror(competition, [category], email="juri@juara.test", name="Juri Satu")
    organizer = make.organizer(competition, email="panitia@juara.test", name="Panitia")
    make.commit()
    return World(competition, category, items, juror, organizer)


def form_data(world: World, entry, values, *, submit=False, page_html=None, comment=""):
    """The scoring form's fields, with versions as a fresh page would carry them."""
    data = {"overall_comment": comment}
    versions = current_versions(world.juror.id, entry.id)
    for criterion, value in zip(world.criteria, values, strict=True):
        mark = versions.get(criterion.id)
        data[f"mark_{criterion.id}"] = "" if value is None else str(value)
        data[f"comment_{criterion.id}"] = ""
        data[f"version_{criterion.id}"] = str(mark.version) if mark else ""
        data[f"seen_{criterion.id}"] = "" if not mark or mark.value is None else str(mark.value)
    from judging.models import Scoresheet

    sheet = db.session.scalar(select(Scoresheet).where(
        Scoresheet.juror_id == world.juror.id, Scoresheet.entry_id == entry.id))
    data["sheet_version"] = str(sheet.version) if sheet else ""
    data["submit_sheet" if submit else "save"] = "1"
    return data


def current_versions(juror_id, entry_id) -> dict:
    db.session.expire_all()
    return {m.criterion_id: m for m in db.session.scalars(
        select(Mark).where(Mark.juror_id == juror_id, Mark.entry_id == entry_id))}


def stored_marks(juror_id=None) -> dict:
    """Every stored mark as {(juror, entry, criterion): value}."""
    db.session.expire_all()
    query = select(Mark)
    if juror_id is not None:
        query = query.where(Mark.juror_id == juror_id)
    return {(m.juror_id, m.entry_id, m.criterion_id): m.value for m in db.session.scalars(query)}


def values(*numbers) -> list[Decimal]:
    return [Decimal(str(n)) for n in numbers]

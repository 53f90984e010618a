"""Verifikator assignments: a juror of the competition assigned to verify a category's SAQ."""

from __future__ import annotations

from sqlalchemy import select

from judging.audit import record
from judging.extensions import db
from judging.models import Assignment, Category, RoleGrant, User
from judging.refusals import Refused


def category_verifiers(category: Category) -> list[User]:
    """Users assigned as verifikator of the whole category."""
    return list(db.session.scalars(
        select(User).join(Assignment, Assignment.juror_id == User.id)
        .where(Assignment.category_id == category.id, Assignment.verifier.is_(True),
               Assignment.entry_id.is_(None)).order_by(User.name)))


def competition_jurors(category: Category) -> list[User]:
    """Jurors of the category's competition (the pool verifikator come from)."""
    return list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "juror",
               RoleGrant.competition_id == category.competition_id).order_by(User.name)))


def assign_verifier(category: Category, user: User) -> None:
    """Make a juror of the competition verifikator for the category, audited."""
    if user.id not in {u.id for u in competition_jurors(category)}:
        raise Refused("Hanya juri kompetisi ini yang bisa menjadi verifikator.",
                         "Only jurors of this competition can be verifiers.")
    existing = db.session.scalar(select(Assignment).where(
        Assignment.juror_id == user.id, Assignment.category_id == category.id,
        Assignment.entry_id.is_(None)))
    if existing is not None:
        if existing.verifier:
            return
        raise Refused("Juri ini sudah menilai kategori ini; pilih juri lain sebagai "
                         "verifikator.",
                         "This juror already judges the category; choose another verifier.")
    db.session.add(Assignment(juror_id=user.id, category_id=category.id, verifier=True))
    record("saq.verifier_assigned", object_type="category", object_id=category.id,
           competition_id=category.competition_id, after={"user_id": user.id})

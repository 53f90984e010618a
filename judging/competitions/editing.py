"""Creating, editing and copying competitions; local times in, UTC stored."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from judging.audit import record
from judging.extensions import db
from judging.models import Assignment, Category, Competition, Criterion, RoleGrant, User
from judging.refusals import Refused

TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
EDITABLE = (
    "name", "year", "code", "timezone", "submission_deadline", "grace_minutes",
    "judging_starts", "judging_ends", "award_labels", "show_rank_rise",
)
CATEGORY_COPIED = (
    "name", "code", "method_key", "level", "places", "aggregation", "normalise", "weights",
    "thresholds", "blind", "share_comments", "required_marks", "disagreement_threshold",
    "evidence_rules", "description", "position", "monev_mapping",
)


def to_utc(local: datetime | None, tz_name: str) -> datetime | None:
    """A wall-clock time typed in the competition's zone, as an aware UTC moment."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def to_local(moment: datetime | None, tz_name: str) -> datetime | None:
    """A stored UTC moment as naive wall-clock time in the zone, for a form field."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def snapshot(competition: Competition) -> dict:
    """The editable fields as plain JSON, for the audit log."""
    data = {name: getattr(competition, name) for name in EDITABLE}
    for name in ("submission_deadline", "judging_starts", "judging_ends"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _check_unique(organisation_id: int, name: str, year: int, exclude: int | None) -> None:
    clash = db.session.scalar(
        select(Competition.id).where(
            Competition.organisation_id == organisation_id,
            Competition.name == name,
            Competition.year == year,
        )
    )
    if clash and clash != exclude:
        raise Refused(
            f"Kompetisi '{name}' tahun {year} sudah ada di penyelenggara ini.",
            f"Competition '{name}' {year} already exists for this organising body.",
        )


def _check_window(values: dict) -> None:
    starts, ends = values.get("judging_starts"), values.get("judging_ends")
    if starts and ends and ends < starts:
        raise Refused(
            "Akhir masa penjurian harus sesudah awalnya.",
            "The judging window must end after it starts.",
        )
    if values.get("timezone") not in TIMEZONES:
        raise Refused("Zona waktu tidak dikenal.", "Unknown time zone.")


def create_competition(organisation_id: int, values: dict) -> Competition:
    """Add a draft competition (values as from the form, times already UTC)."""
    _check_window(values)
    _check_unique(organisation_id, values["name"], values["year"], None)
    competition = Competition(organisation_id=organisation_id, phase="draft")
    for name in EDITABLE:
        if name in values:
            setattr(competition, name, values[name])
    db.session.add(competition)
    db.session.flush()
    record("competition.created", object_type="competition", object_id=competition.id,
           competition_id=competition.id, after=snapshot(competition))
    return competition


def update_competition(competition: Competition, values: dict) -> None:
    """Change the editable settings and log what changed."""
    _check_window(values)
    _check_unique(competition.organisation_id, values["name"], values["year"], competition.id)
    before = snapshot(competition)
    for name in EDITABLE:
        if name in values:
            setattr(competition, name, values[name])
    after = snapshot(competition)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        record("competition.updated", object_type="competition", object_id=competition.id,
               competition_id=competition.id,
               before={k: before[k] for k in changed}, after={k: after[k] for k in changed})


def copy_competition(source: Competition, *, name: str, year: int, code: str) -> Competition:
    """Start a new year from a past competition: settings, categories, rubrics and jury.

    Entries, marks and results stay behind; deadlines are left empty to be set anew.
    """
    _check_unique(source.organisation_id, name, year, None)
    copy = Competition(
        organisation_id=source.organisation_id, name=name, year=year, code=code,
        timezone=source.timezone, phase="draft", grace_minutes=source.grace_minutes,
        award_labels=list(source.award_labels or []),
        certificate_design=dict(source.certificate_design or {}), logo_key=source.logo_key,
        copied_from_id=source.id, show_rank_rise=source.show_rank_rise,
    )
    db.session.add(copy)
    category_map: dict[int, Category] = {}
    for old in source.categories:
        new = Category(**{f: _plain(getattr(old, f)) for f in CATEGORY_COPIED})
        for c in old.criteria:
            new.criteria.append(Criterion(key=c.key, label=c.label, guidance=c.guidance,
                                          weight=c.weight, max_mark=c.max_mark,
                                          position=c.position))
        copy.categories.append(new)
        category_map[old.id] = new
    db.session.flush()
    _copy_jury(source, copy, category_map)
    _copy_questionnaires(category_map)
    record("competition.copied", object_type="competition", object_id=copy.id,
           competition_id=copy.id, before={"source_id": source.id}, after=snapshot(copy))
    return copy


def _plain(value):
    """Fresh containers so the copy never shares a JSON object with its source."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _copy_jury(source: Competition, copy: Competition, category_map: dict[int, Category]):
    jurors = db.session.scalars(
        select(RoleGrant.user_id).where(
            RoleGrant.role == "juror", RoleGrant.competition_id == source.id
        )
    ).all()
    for user_id in sorted(set(jurors)):
        db.session.add(RoleGrant(user_id=user_id, role="juror", competition_id=copy.id))
    wide = db.session.scalars(
        select(Assignment).where(
            Assignment.category_id.in_(list(category_map)), Assignment.entry_id.is_(None)
        )
    ).all()
    for assignment in wide:
        db.session.add(Assignment(juror_id=assignment.juror_id, verifier=assignment.verifier,
                                  category_id=category_map[assignment.category_id].id))


def _copy_questionnaires(category_map: dict[int, Category]) -> None:
    """Each category's current SAQ questions, unlocked, ready for next year's filling."""
    from judging.saq.questionnaires import copy_questionnaire, current_questionnaire

    for old_id, new in category_map.items():
        questionnaire = current_questionnaire(old_id)
        if questionnaire is not None:
            copy_questionnaire(questionnaire, new)


def organisations_for(user: User, ids: list[int]):
    """The organising bodies (id, name) a user may create competitions for."""
    from judging.models import Organisation

    if not ids:
        return []
    return db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(ids))
        .order_by(Organisation.name)
    ).all()

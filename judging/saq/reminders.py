"""Reminders before the SAQ filling deadline and before masa sanggah closes.

Registered with the mail sweep through ``@deadline_source``; imported by ``job_kinds``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from judging.extensions import db
from judging.mail.audiences import entrant_participants
from judging.mail.reminders import Deadline, deadline_source
from judging.models import Category, Competition, Entry, Questionnaire, SaqResponse
from judging.urls import external_url


def current_questionnaires(*conditions) -> list[Questionnaire]:
    """The newest version of each category's questionnaire that meets ``conditions``."""
    newest = (select(Questionnaire.category_id, func.max(Questionnaire.version).label("v"))
              .group_by(Questionnaire.category_id).subquery())
    return list(db.session.scalars(
        select(Questionnaire).join(newest, (newest.c.category_id == Questionnaire.category_id)
                                   & (newest.c.v == Questionnaire.version))
        .join(Category, Category.id == Questionnaire.category_id)
        .join(Competition, Competition.id == Category.competition_id)
        .where(*conditions).order_by(Questionnaire.id)))


@deadline_source("saq")
def saq_deadlines(now: datetime):
    """Bodies whose SAQ is not submitted yet, grouped by their own (possibly extended) deadline."""
    for questionnaire in current_questionnaires(Questionnaire.locked.is_(True),
                                                Competition.phase == "open"):
        rows = db.session.execute(
            select(Entry, SaqResponse).outerjoin(SaqResponse, (SaqResponse.entry_id == Entry.id)
                                                 & (SaqResponse.questionnaire_id
                                                    == questionnaire.id))
            .where(Entry.category_id == questionnaire.category_id, Entry.status != "withdrawn"))
        due = defaultdict(set)
        for entry, response in rows:
            if response is None or response.status != "submitted":
                at = questionnaire.deadline_for(response)
                if at is not None and at > now:
                    due[at].add(entry.entrant_id)
        for at, entrants in sorted(due.items()):
            yield Deadline("saq", questionnaire.category.competition, at,
                           entrant_participants(entrants), _l("Pengisian SAQ"),
                           external_url("participant.home"),
                           todo=_l("SAQ Anda belum dikirim."))


@deadline_source("masa_sanggah")
def objection_deadlines(now: datetime):
    """Bodies that submitted, while masa sanggah is open: they may still object."""
    for questionnaire in current_questionnaires(
            Questionnaire.objection_opens_at <= now, Questionnaire.objection_closes_at > now,
            Questionnaire.frozen_at.is_(None)):
        entrants = db.session.scalars(
            select(Entry.entrant_id).join(SaqResponse, SaqResponse.entry_id == Entry.id)
            .where(SaqResponse.questionnaire_id == questionnaire.id,
                   SaqResponse.submitted_at.is_not(None)))
        users = entrant_participants(entrants)
        if users:
            yield Deadline("masa_sanggah", questionnaire.category.competition,
                           questionnaire.objection_closes_at, users, _l("Masa sanggah SAQ"),
                           external_url("participant.home"),
                           todo=_l("Hasil verifikasi SAQ Anda dapat disanggah sampai batas "
                                   "waktu ini."))

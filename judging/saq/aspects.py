"""Per-aspect rankings (one SAQ group's verified score) and the special awards made from them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from judging.extensions import db
from judging.models import Category, Entry, QuestionGroup
from judging.refusals import Refused
from judging.results.special import add_special_award
from judging.saq.questionnaires import current_questionnaire
from judging.saq.scores import verified_scores
from judging.scoring.saq import AspectRank, rank_by_score

ROMAN = ("I", "II", "III", "IV", "V")


def aspect_groups(category: Category) -> list[QuestionGroup]:
    """The groups (aspects) of the category's current questionnaire."""
    questionnaire = current_questionnaire(category.id)
    return list(questionnaire.groups) if questionnaire else []


def aspect_ranking(category: Category, group_key: str) -> list[tuple[AspectRank, Entry]]:
    """Bodies ranked by the group's verified score; ties share a rank as in the main ranking."""
    scores = verified_scores(category.id)
    entries = {e.id: e for e in db.session.scalars(
        select(Entry).options(selectinload(Entry.entrant)).where(Entry.id.in_(list(scores))))}
    rows = [(i, entries[i].entrant.name, float(s.groups.get(group_key, 0)))
            for i, s in scores.items() if entries[i].status == "submitted"]
    return [(r, entries[r.entry_id]) for r in rank_by_score(rows)]


def award_label(rank: int, group_label: str) -> str:
    """"Peringkat I Kelengkapan Informasi Berkala"."""
    numeral = ROMAN[rank - 1] if rank <= len(ROMAN) else str(rank)
    return f"Peringkat {numeral} {group_label}"[:120]


def award_aspect(category: Category, group_key: str, places: int, *, actor_id: int) -> int:
    """Give the top ``places`` ranks of an aspect special awards (certificates like any award)."""
    group = next((g for g in aspect_groups(category) if g.key == group_key), None)
    if group is None:
        raise Refused("Aspek tidak ditemukan.", "Aspect not found.")
    if not 1 <= places <= len(ROMAN):
        raise Refused(f"Jumlah peringkat 1–{len(ROMAN)}.", f"Places must be 1–{len(ROMAN)}.")
    given = 0
    for rank, entry in aspect_ranking(category, group_key):
        if rank.rank > places or rank.score <= 0:
            break
        add_special_award(entry, award_label(rank.rank, group.label), actor_id=actor_id)
        given += 1
    return given

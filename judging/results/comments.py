"""Jurors' comments a participant may read with a published result, when the category says so.

Anonymised as "Juri 1, 2, …" in the order of the published per-juror scores, from submitted
sheets only; moderation notes are another table and never read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from judging.extensions import db
from judging.marking.scores import rubric
from judging.models import Entry, Mark, Scoresheet
from judging.plugin_setup import methods
from judging.refusals import Notice
from judging.scoring.types import english


@dataclass(frozen=True)
class JurorComments:
    """One anonymous juror's words: the overall note and (criterion label, comment) lines."""

    juror: Notice
    overall: str
    criteria: list[tuple[Notice, str]] = field(default_factory=list)


def shared_comments(entry: Entry, scored_jurors) -> list[JurorComments]:
    """The entry's comments from submitted sheets, numbered as ``scored_jurors`` (stored ids).

    Empty unless the category shares comments; the caller checks publication.
    """
    if not entry.category.share_comments:
        return []
    sheets = dict(db.session.execute(
        select(Scoresheet.juror_id, Scoresheet.overall_comment)
        .where(Scoresheet.entry_id == entry.id, Scoresheet.status == "submitted")).all())
    order = sorted({int(j) for j in scored_jurors} or sheets)
    words = _criterion_comments(entry, set(sheets))
    out = []
    for number, juror in enumerate(order, start=1):
        overall = (sheets.get(juror) or "").strip()
        lines = words.get(juror, [])
        if overall or lines:
            out.append(JurorComments(Notice(f"Juri {number}", f"Juror {number}"), overall, lines))
    return out


def _criterion_comments(entry: Entry, jurors: set[int]) -> dict[int, list]:
    """Non-empty criterion comments by juror, in the rubric's order."""
    method = methods().methods.get(entry.category.method_key)
    lines = rubric(entry.category.criteria, method)
    position = {line.key: (i, Notice(line.label, english(line.label) or line.label))
                for i, line in enumerate(lines)}
    found: dict[int, list] = {}
    for juror, criterion, comment in db.session.execute(
            select(Mark.juror_id, Mark.criterion_id, Mark.comment)
            .where(Mark.entry_id == entry.id, Mark.juror_id.in_(jurors))):
        if (comment or "").strip() and str(criterion) in position:
            found.setdefault(juror, []).append((*position[str(criterion)], comment.strip()))
    return {juror: [(label, text) for _i, label, text in sorted(items, key=lambda x: x[0])]
            for juror, items in found.items()}

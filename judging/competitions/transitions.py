"""A competition's life: draft → open → judging → moderation → final → published.

Each step is an explicit, audited organizer action. Forward steps check their
preconditions; a step back needs a reason. Entering ``final`` freezes the results and
leaving it backwards discards them (``judging.results.freeze``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from judging.audit import record
from judging.certificates.bundles import active_certificates
from judging.extensions import db
from judging.mail import notify
from judging.models import Assignment, Category, Competition, Entry
from judging.models.types import utcnow
from judging.phases import BACKWARD, FORWARD
from judging.plugin_setup import methods
from judging.refusals import Notice, Refused
from judging.results.freeze import discard_results, freeze_results
from judging.results.inputs import settings_of
from judging.results.readiness import CategoryReadiness, competition_readiness

OVERRIDE_MIN = 5


@dataclass
class Readiness:
    """What stands between the competition and a target phase."""

    target: str
    blockers: list[Notice] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    categories: list[CategoryReadiness] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def gaps(self) -> list:
        """Missing data in any category: going on needs an override with a reason."""
        return [gap for c in self.categories for gap in c.gaps]

    @property
    def all_met(self) -> bool:
        """"All conditions met" is said only when nothing blocks and nothing is missing."""
        return self.ready and not self.gaps and not self.warnings


def readiness(competition: Competition, target: str) -> Readiness:
    """Blockers and warnings for moving ``competition`` to ``target``."""
    result = Readiness(target)
    if BACKWARD.get(competition.phase) == target:
        if competition.phase == "final":
            _standing_certificates(competition, result)
        return result
    checks = {
        "open": _to_open,
        "judging": _to_judging,
        "moderation": _data_gaps,
        "final": _data_gaps,
        "published": lambda c, r: None,
    }
    if FORWARD.get(competition.phase) != target:
        result.blockers.append(Notice(
            f"Tidak bisa pindah dari tahap '{competition.phase}' ke '{target}'.",
            f"Cannot move from phase '{competition.phase}' to '{target}'.",
        ))
        return result
    checks[target](competition, result)
    return result


def _standing_certificates(competition: Competition, result: Readiness) -> None:
    # Leaving final discards the frozen results that certificates were made from.
    standing = len(active_certificates(competition))
    if standing:
        result.blockers.append(Notice(
            f"Masih ada {standing} sertifikat berlaku yang dibuat dari hasil beku; cabut "
            "dulu sebelum mundur dari tahap final.",
            f"{standing} certificates made from the frozen results still stand; revoke them "
            "before leaving the final phase.",
        ))


def _to_open(competition: Competition, result: Readiness) -> None:
    if not competition.categories:
        result.blockers.append(Notice("Belum ada kategori.", "There are no categories yet."))
    if competition.submission_deadline is None:
        result.blockers.append(Notice("Batas waktu pengiriman belum diisi.",
                                      "The submission deadline is not set."))
    elif competition.deadline_with_grace() < utcnow():
        result.warnings.append(Notice("Batas waktu pengiriman sudah lewat.",
                                      "The submission deadline has already passed."))
    for category in competition.categories:
        result.blockers.extend(category_problems(category))


def category_problems(category: Category) -> list[Notice]:
    """Why a category's settings or rubric could not score entries soundly."""
    where_id, where_en = f"Kategori '{category.name}'", f"Category '{category.name}'"
    try:
        method = methods().get(category.method_key)
    except KeyError:
        return [Notice(f"{where_id}: metode '{category.method_key}' tidak terpasang.",
                       f"{where_en}: method '{category.method_key}' is not installed.")]
    problems = [
        Notice(f"{where_id}: {p.message_id}", f"{where_en}: {p.message_en}")
        for p in method.check_settings(settings_of(category))
    ]
    if not category.criteria:
        problems.append(Notice(f"{where_id}: rubrik belum punya kriteria.",
                               f"{where_en}: the rubric has no criteria."))
    elif any(c.weight <= 0 or c.max_mark <= 0 for c in category.criteria):
        problems.append(Notice(f"{where_id}: bobot dan nilai maksimum kriteria harus positif.",
                               f"{where_en}: criterion weights and max marks must be positive."))
    return problems


def _count(n: int, what_id: str, one_en: str, many_en: str) -> tuple[str, str]:
    return f"{n} {what_id}", f"{n} {one_en if n == 1 else many_en}"


def _to_judging(competition: Competition, result: Readiness) -> None:
    ids = [c.id for c in competition.categories]
    with_jurors = set(db.session.scalars(
        select(Assignment.category_id).where(Assignment.category_id.in_(ids))
    )) if ids else set()
    submitted = dict(db.session.execute(
        select(Entry.category_id, func.count()).where(
            Entry.category_id.in_(ids), Entry.status == "submitted"
        ).group_by(Entry.category_id)
    ).all()) if ids else {}
    if not ids:
        result.blockers.append(Notice("Belum ada kategori.", "There are no categories yet."))
    no_jurors = [c.name for c in competition.categories if c.id not in with_jurors]
    if no_jurors:
        n_id, n_en = _count(len(no_jurors), "kategori", "category", "categories")
        result.blockers.append(Notice(
            f"{n_id} belum punya juri: {', '.join(no_jurors)}.",
            f"{n_en} without jurors: {', '.join(no_jurors)}.",
        ))
    empty = [c.name for c in competition.categories if not submitted.get(c.id)]
    if empty:
        n_id, n_en = _count(len(empty), "kategori", "category", "categories")
        result.blockers.append(Notice(
            f"{n_id} belum punya entri yang dikirim: {', '.join(empty)}.",
            f"{n_en} without a submitted entry: {', '.join(empty)}.",
        ))
    if competition.submissions_open():
        result.warnings.append(Notice(
            "Batas waktu pengiriman belum lewat; peserta yang belum mengirim tidak bisa lagi.",
            "The deadline has not passed; participants who have not submitted will be shut out.",
        ))


def _data_gaps(competition: Competition, result: Readiness) -> None:
    result.categories = competition_readiness(competition)


def change_phase(competition: Competition, target: str, *, reason: str = "",
                 override: str = "", progress=None, actor_id: int | None = None) -> Readiness:
    """Move the competition one step and audit it; raise :class:`Refused` when it may not.

    Missing data (``Readiness.gaps``) refuses the step unless ``override`` gives a reason;
    the override is audited and, on entering final, kept with the frozen ranking.
    The caller commits. Warnings are returned for the caller to show. ``progress`` hears
    how far freezing has got (a job's progress bar); ``actor_id`` names who asked when
    there is no signed-in user (a job in the worker).
    """
    source = competition.phase
    reason, override = (reason or "").strip(), (override or "").strip()
    backwards = BACKWARD.get(source) == target
    check = may_change(competition, target, reason=reason, override=override)
    overridden = _override_record(check, override) if check.gaps else None
    competition.phase = target
    if target == "judging" and competition.judging_starts is None:
        competition.judging_starts = utcnow()
    record("competition.phase", object_type="competition", object_id=competition.id,
           competition_id=competition.id, before={"phase": source}, after={"phase": target},
           note=reason, actor_id=actor_id)
    if overridden:
        record("competition.phase_override", object_type="competition",
               object_id=competition.id, competition_id=competition.id,
               before={"phase": source}, after={"phase": target, **overridden}, note=override,
               actor_id=actor_id)
    _run_results_hook(competition, source, target, overridden, progress, actor_id)
    if target == "published" and not backwards:
        notify.results_published_to_all(competition)  # sent once the step commits
    return check


def may_change(competition: Competition, target: str, *, reason: str = "",
               override: str = "") -> Readiness:
    """The step's readiness, or :class:`Refused` when it may not be taken as asked: what a
    page checks before queueing the step to final as a job."""
    reason, override = (reason or "").strip(), (override or "").strip()
    backwards = BACKWARD.get(competition.phase) == target
    if backwards and len(reason) < 5:
        raise Refused(
            "Mundur ke tahap sebelumnya perlu alasan (minimal 5 huruf).",
            "Going back to an earlier phase needs a reason (at least 5 characters).",
        )
    check = readiness(competition, target)
    if not check.ready:
        raise Refused("Tahap belum bisa diubah:", "The phase cannot change yet:", check.blockers)
    if check.gaps and len(override) < OVERRIDE_MIN:
        raise Refused(
            "Data belum lengkap. Lengkapi dulu, atau lanjutkan dengan alasan pengecualian "
            "(minimal 5 huruf) yang dicatat di log audit:",
            "Data is incomplete. Complete it first, or go on with an override reason "
            "(at least 5 characters) recorded in the audit log:",
            [gap.notice for gap in check.gaps],
        )
    return check


def _override_record(check: Readiness, reason: str) -> dict:
    """What was overridden, in both languages, as the audit log and frozen ranking keep it."""
    return {"reason": reason[:2000], "at": utcnow().isoformat(timespec="seconds"),
            "gaps": [{"category_id": c.category.id, "kind": g.kind,
                      "message_id": g.notice.message_id, "message_en": g.notice.message_en}
                     for c in check.categories for g in c.gaps]}


def _run_results_hook(competition: Competition, source: str, target: str,
                      overridden: dict | None = None, progress=None,
                      actor_id: int | None = None) -> None:
    """Freeze results on entering ``final``; discard them when stepping back out of it."""
    if target == "final":
        freeze_results(competition, override=overridden, progress=progress, actor_id=actor_id)
    elif source == "final" and BACKWARD.get(source) == target:
        discard_results(competition)

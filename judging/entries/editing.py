"""Participant services: what an entry asks for, editing it, its evidence, submitting.

Views load and check; these functions change one entry in one transaction, audited.
Files are checked (``inspect_upload``) and counted against the quota before anything
is stored, so a refused upload leaves no file and no row; a stored file whose row
cannot be saved is removed again unless another record uses it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from types import SimpleNamespace
from typing import BinaryIO

from flask import current_app
from sqlalchemy import exists, func, or_, select

from judging import plugin_setup as plugin_events
from judging.audit import record
from judging.entries.rules import EvidenceRules, Slot, build_slots, parse_rules
from judging.evidence import evidence_store
from judging.extensions import db
from judging.i18n import filesize, localtime
from judging.io.files.check import FileRefused, inspect_upload
from judging.io.files.names import display_name
from judging.models import Category, Competition, Entry, Evidence, User
from judging.models.types import utcnow
from judging.permissions import participant_entrant_ids
from judging.phases import participant_notice
from judging.plugin_setup import methods
from judging.refusals import Notice, Refused
from judging.scoring.types import SubmittedEntry

log = logging.getLogger(__name__)


# -- reading -------------------------------------------------------------------------

def own_entries(user: User) -> list[Entry]:
    """The entries of every entrant the participant acts for, newest competition first."""
    return list(db.session.scalars(
        select(Entry).join(Category, Entry.category_id == Category.id)
        .join(Competition, Category.competition_id == Competition.id)
        .where(Entry.entrant_id.in_(participant_entrant_ids(user)))
        .order_by(Competition.year.desc(), Competition.id.desc(), Category.position, Entry.id)
    ))


def entry_rules(entry: Entry) -> EvidenceRules:
    """The category's evidence rules with the app's default limits."""
    config = current_app.config
    return parse_rules(entry.category.evidence_rules,
                       default_file_mb=config["EVIDENCE_MAX_FILE_MB"],
                       default_entry_mb=config["EVIDENCE_MAX_ENTRY_MB"])


def entry_slots(entry: Entry, rules: EvidenceRules) -> tuple[Slot, ...]:
    """The evidence slots the category asks for (per indicator or per criterion)."""
    indicators = methods().get(entry.category.method_key).indicators if rules.per else ()
    if rules.per != "criterion":
        return build_slots(rules, indicators=indicators)  # the criteria are not read
    method = methods().methods.get(entry.category.method_key)
    criteria = [SimpleNamespace(key=c.key, label=method.rubric_text(c.key, c.label),
                                guidance=method.rubric_text(c.key, c.guidance or "", "guidance"))
                for c in entry.category.criteria] if method else entry.category.criteria
    return build_slots(rules, indicators=indicators, criteria=criteria)


def used_bytes(entry: Entry) -> int:
    """Bytes of files attached to the entry (what the quota counts; SAQ data dukung has its own
    per-question limit)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Evidence.size), 0))
        .where(Evidence.entry_id == entry.id, Evidence.kind == "file",
               or_(Evidence.requirement.is_(None), ~Evidence.requirement.startswith("saq:")))
    )
    return int(total or 0)


def counted_bytes(evidence) -> int:
    """``used_bytes`` over evidence already loaded: what the entry page shows, no query."""
    return sum(ev.size or 0 for ev in evidence if ev.kind == "file"
               and not (ev.requirement or "").startswith("saq:"))


def lock_reason(competition: Competition, now: datetime | None = None) -> Notice | None:
    """Why entries of this competition cannot be changed now, or None while they can."""
    now = now or utcnow()
    if competition.submissions_open(now):
        return None
    if competition.phase == "draft":
        return Notice("Pengiriman entri belum dibuka oleh penyelenggara.",
                      "The organizer has not opened entry submissions yet.")
    if competition.phase != "open":
        return participant_notice(competition)
    deadline = localtime(competition.submission_deadline, competition.timezone)
    return Notice(f"Batas waktu pengiriman ({deadline}) sudah lewat. Entri hanya dapat dilihat.",
                  f"The submission deadline ({deadline}) has passed. The entry can only be "
                  "viewed.")


def changed_since_submission(entry: Entry) -> bool:
    """A submitted entry edited afterwards: the participant should submit it again."""
    return (entry.status == "submitted" and entry.submitted_at is not None
            and entry.updated_at is not None and entry.updated_at > entry.submitted_at)


def submission_problems(entry: Entry, rules: EvidenceRules,
                        slots: tuple[Slot, ...]) -> list[Notice]:
    """What must still be filled before the entry can be submitted (empty when ready)."""
    problems = [
        Notice(f"Isian \"{spec.label}\" wajib diisi.", f"The field \"{spec.label}\" is required.")
        for spec in rules.fields
        if spec.required and not str((entry.fields or {}).get(spec.key, "")).strip()
    ]
    if rules.require_links and not entry.social_links:
        problems.append(Notice("Cantumkan minimal satu tautan akun media sosial.",
                               "Give at least one social media account link."))
    if rules.slots_required:
        covered = {e.requirement for e in entry.evidence}
        problems += [Notice(f"Bukti untuk \"{slot.label}\" belum diunggah.",
                            f"Evidence for \"{slot.label}\" has not been uploaded yet.")
                     for slot in slots if slot.key not in covered]
    return problems


# -- changing ------------------------------------------------------------------------

def ensure_editable(entry: Entry) -> None:
    """Refuse any change once submissions are closed for the entry's competition."""
    reason = lock_reason(entry.category.competition)
    if reason:
        raise Refused(reason.message_id, reason.message_en)


def save_details(entry: Entry, *, description: str, fields: dict, social_links: list[str]) -> None:
    """Change the entry's description, category answers and account links; the caller commits."""
    ensure_editable(entry)
    before = _details(entry)
    entry.description = description
    entry.fields = dict(fields)
    entry.social_links = list(social_links)
    after = _details(entry)
    if after != before:
        entry.updated_at = utcnow()
        _audit(entry, "entry.updated", before, after)


def add_file(entry: Entry, stream: BinaryIO, original_name: str, *, requirement: str | None,
             rules: EvidenceRules, slots: tuple[Slot, ...], user: User) -> Evidence:
    """Check, count and store one uploaded file; raise FileRefused/Refused if refused.

    The caller commits; a file this call stored is deleted again if recording it fails.
    """
    ensure_editable(entry)
    _check_requirement(requirement, rules, slots)
    checked = inspect_upload(stream, allowed_kinds=rules.types, max_bytes=rules.max_file_bytes)
    if used_bytes(entry) + checked.size > rules.max_entry_bytes:
        raise _over_quota(rules)
    store = evidence_store()
    existed = store.exists(checked.sha256)
    key = store.put(stream)
    try:
        if key != checked.sha256:
            raise RuntimeError("upload changed between check and store")
        evidence = Evidence(
            entry=entry, kind="file", storage_key=key, original_name=display_name(original_name),
            mime=checked.mime, file_kind=checked.kind, size=checked.size,
            requirement=requirement, uploaded_by_id=user.id,
        )
        db.session.add(evidence)
        entry.updated_at = utcnow()
        db.session.flush()
        _audit(entry, "evidence.added", None, _evidence_summary(evidence))
    except Exception:
        db.session.rollback()
        if not existed and not _referenced(key):
            store.delete(key)
        raise
    return evidence


def add_link(entry: Entry, url: str, *, label: str, requirement: str | None,
             rules: EvidenceRules, slots: tuple[Slot, ...], user: User) -> Evidence:
    """Attach a checked http(s) link as evidence; the caller commits."""
    ensure_editable(entry)
    _check_requirement(requirement, rules, slots)
    evidence = Evidence(entry=entry, kind="link", url=url, label=label[:200],
                        requirement=requirement, uploaded_by_id=user.id)
    db.session.add(evidence)
    entry.updated_at = utcnow()
    db.session.flush()
    _audit(entry, "evidence.added", None, _evidence_summary(evidence))
    return evidence


def remove_evidence(entry: Entry, evidence: Evidence) -> str | None:
    """Delete one evidence record; returns the storage key to drop once the caller commits."""
    ensure_editable(entry)
    key = evidence.storage_key
    summary = _evidence_summary(evidence)
    db.session.delete(evidence)
    entry.updated_at = utcnow()
    _audit(entry, "evidence.removed", summary, None)
    return key


def drop_unreferenced(key: str | None) -> None:
    """After a committed removal: delete the stored file unless another record shares it."""
    if key and not _referenced(key):
        evidence_store().delete(key)


def submit(entry: Entry, rules: EvidenceRules, slots: tuple[Slot, ...]) -> str:
    """Submit (or submit again after edits) before the deadline; returns the audited action.

    Plugins hear of it once the caller commits (``plugin_setup.entry_submitted``).
    """
    ensure_editable(entry)
    problems = submission_problems(entry, rules, slots)
    if problems:
        raise Refused(" ".join(p.message_id for p in problems),
                      " ".join(p.message_en for p in problems))
    before = {"status": entry.status, "submitted_at": _iso(entry.submitted_at)}
    action = "entry.resubmitted" if entry.status == "submitted" else "entry.submitted"
    now = utcnow()
    entry.status, entry.submitted_at, entry.updated_at = "submitted", now, now
    _audit(entry, action, before, {"status": "submitted", "submitted_at": _iso(now)})
    plugin_events.entry_submitted(submitted_payload(entry, action))
    return action


def withdraw(entry: Entry) -> None:
    """Take a submitted entry back before the deadline (the caller commits)."""
    ensure_editable(entry)
    if entry.status != "submitted":
        raise Refused("Entri ini belum dikirim.",
                           "This entry has not been submitted.")
    before = {"status": entry.status, "submitted_at": _iso(entry.submitted_at)}
    entry.status, entry.updated_at = "withdrawn", utcnow()
    _audit(entry, "entry.withdrawn", before, {"status": "withdrawn"})


def submitted_payload(entry: Entry, action: str = "entry.submitted") -> SubmittedEntry:
    """The frozen value handed to ``judging_entry_submitted`` (never an ORM object)."""
    return SubmittedEntry(
        id=entry.id, code=entry.code, category_id=entry.category_id,
        competition_id=entry.category.competition_id, entrant_id=entry.entrant_id,
        entrant_code=entry.entrant.code, entrant_name=entry.entrant.name,
        submitted_at=_iso(entry.submitted_at), resubmission=action == "entry.resubmitted",
        evidence_count=len(entry.evidence),
    )


# -- helpers -------------------------------------------------------------------------

def _check_requirement(requirement: str | None, rules: EvidenceRules,
                       slots: tuple[Slot, ...]) -> None:
    if requirement is None:
        if rules.general or not slots:
            return
    elif requirement in {slot.key for slot in slots}:
        return
    raise Refused("Bagian bukti ini tidak ada di kategori.",
                       "This evidence section does not exist in the category.")


def _over_quota(rules: EvidenceRules) -> FileRefused:
    limit = rules.max_entry_bytes
    return FileRefused(
        "over_quota",
        f"Kuota entri terlampaui: total berkas satu entri paling banyak {filesize(limit, 'id')}. "
        "Hapus bukti yang tidak perlu lalu coba lagi.",
        f"Entry quota exceeded: the files of one entry may total at most {filesize(limit, 'en')}. "
        "Remove evidence you do not need and try again.",
    )


def _referenced(key: str) -> bool:
    return db.session.scalar(select(exists().where(Evidence.storage_key == key)))


def _details(entry: Entry) -> dict:
    return {"description": entry.description, "fields": dict(entry.fields or {}),
            "social_links": list(entry.social_links or [])}


def _evidence_summary(evidence: Evidence) -> dict:
    return {"id": evidence.id, "kind": evidence.kind, "name": evidence.original_name,
            "url": evidence.url, "size": evidence.size, "sha256": evidence.storage_key,
            "requirement": evidence.requirement}


def _audit(entry: Entry, action: str, before: dict | None, after: dict | None) -> None:
    record(action, object_type="entry", object_id=entry.id,
           competition_id=entry.category.competition_id, before=before, after=after)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

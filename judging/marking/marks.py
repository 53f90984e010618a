"""The mark-writing rules, one place for the online form, the offline workbook and moderation.

Who may write (an assigned juror without a conflict, on a submitted entry), when (phase
``judging``; in ``moderation`` only on a revisit the organizer asked for), what (0 to the
criterion's maximum, two decimals, every criterion on submit) and against what (the
versions the writer saw: a stale write is refused whole, nothing overwritten). Every mark
change after a sheet's first submission is audited, so the marks can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from judging.audit import record
from judging.extensions import db
from judging.i18n import label, number, plain_number
from judging.models import AuditEvent, Criterion, Entry, Mark, Scoresheet, User
from judging.models.types import utcnow
from judging.permissions import can_judge_entry
from judging.phases import finalising
from judging.refusals import Notice, Refused

CENT = Decimal("0.01")
Action = Literal["draft", "submit", "keep", "withdraw"]


class WriteRefused(Refused):
    """A write that was not made; ``status`` is the HTTP status a view answers with.

    A :class:`Refused` (both languages) that only adds the status; raised with one
    :class:`Notice`, the pair the rules below return.
    """

    status = 400

    def __init__(self, notice: Notice):
        super().__init__(notice.message_id, notice.message_en)


class NotAllowed(WriteRefused):
    """Wrong person, wrong entry or outside the write window (HTTP 403)."""

    status = 403


class InvalidMarks(WriteRefused):
    """Marks out of range or missing on submit; ``errors`` by criterion id (None = sheet)."""

    def __init__(self, notice: Notice, errors: dict[int | None, Notice]):
        super().__init__(notice)
        self.errors = errors


@dataclass(frozen=True)
class StaleChange:
    """What someone else changed since the writer loaded the sheet."""

    label: str | Notice
    seen: str
    current: str
    changed_at: datetime | None
    changed_by: str


class StaleWrite(WriteRefused):
    """The sheet changed after the writer loaded it (HTTP 409); nothing was written."""

    status = 409

    def __init__(self, notice: Notice, changes: list[StaleChange] | None = None):
        super().__init__(notice)
        self.changes = changes or []


@dataclass(frozen=True)
class MarkInput:
    """One criterion as the writer sends it, with the version and value they saw."""

    value: Decimal | None
    comment: str | None = ""  # None: leave the stored comment as it is
    seen_version: int | None = None  # None: there was no mark when the writer loaded
    seen_value: Decimal | None = None


@dataclass
class SheetInput:
    """A whole sheet write; ``marks`` by criterion id, ``overall_comment`` None = unchanged."""

    marks: dict[int, MarkInput]
    action: Action = "draft"
    overall_comment: str | None = None
    seen_sheet_version: int | None = None
    note: str = ""


# --- rules ---------------------------------------------------------------------------------


def window_problem(entry: Entry, sheet: Scoresheet | None) -> Notice | None:
    """Why marks on this entry cannot be written now, or None when they can."""
    competition = entry.category.competition
    phase = competition.phase
    if phase == "judging":
        return None
    if finalising(competition):
        return Notice(
            "Peringkat sedang dibekukan untuk tahap final; nilai tidak dapat diubah. "
            "Tidak ada yang disimpan.",
            "The ranking is being frozen for the final phase; marks cannot be "
            "changed. Nothing was saved.",
        )
    if phase == "moderation":
        if sheet is not None and sheet.revisit_requested_at is not None:
            return None
        return Notice(
            "Tahap moderasi: nilai hanya dapat diubah pada entri yang diminta "
            "ditinjau ulang oleh penyelenggara. Tidak ada yang disimpan.",
            "Moderation phase: marks can only be changed on entries the organizer "
            "asked to be reviewed again. Nothing was saved.",
        )
    return Notice(
        "Penilaian tidak dibuka pada tahap ini; nilai tidak dapat diubah. Tidak ada "
        "yang disimpan.",
        "Judging is not open in this phase; marks cannot be changed. Nothing was "
        "saved.",
    )


def judge_problem(juror: User, entry: Entry) -> Notice | None:
    """Why this juror may not score this entry at all, or None."""
    if entry.status != "submitted" or not can_judge_entry(juror, entry):
        return Notice(
            "Entri ini tidak ditugaskan kepada Anda atau Anda menyatakan konflik "
            "kepentingan. Tidak ada yang disimpan.",
            "This entry is not assigned to you, or you have declared a conflict of "
            "interest. Nothing was saved.",
        )
    return None


def mark_problem(criterion: Criterion, value: Decimal | None) -> Notice | None:
    """Why a mark is refused (range 0..max, at most two decimals), or None."""
    if value is None:
        return None
    top = criterion.max_mark
    if not value.is_finite() or value < 0 or value > top:
        return Notice(f"Nilai harus antara 0 dan {number(top, 'id', grouping=False)}.",
                      f"The mark must be between 0 and {number(top, 'en', grouping=False)}.")
    if value != value.quantize(CENT):
        return Notice(
            "Nilai paling banyak dua angka di belakang koma.",
            "At most two decimal places.",
        )
    return None


def parse_mark(text: str | None) -> Decimal | None:
    """A typed mark as Decimal (comma or point as decimal sign).

    Not a number: ValueError whose one argument is the :class:`Notice` to show.
    """
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(Notice(
            "Isi dengan angka, misalnya 85 atau 85,5.",
            "Enter a number, for example 85 or 85.5.",
        )) from None
    if not value.is_finite():
        raise ValueError(Notice(
            "Isi dengan angka, misalnya 85 atau 85,5.",
            "Enter a number, for example 85 or 85.5.",
        ))
    return value


# --- reading state -------------------------------------------------------------------------


def load_sheet(juror_id: int, entry_id: int) -> tuple[Scoresheet | None, dict[int, Mark]]:
    """The juror's sheet for an entry and their marks by criterion id."""
    sheet = db.session.scalar(
        select(Scoresheet).where(Scoresheet.juror_id == juror_id, Scoresheet.entry_id == entry_id)
    )
    marks = db.session.scalars(
        select(Mark).where(Mark.juror_id == juror_id, Mark.entry_id == entry_id)
    ).all()
    return sheet, {m.criterion_id: m for m in marks}


def sheet_status(sheet: Scoresheet | None, marks: dict | None = None) -> str:
    """not_started, draft, submitted or revisit: what the juror's list shows."""
    if sheet is None:
        return "draft" if marks else "not_started"
    if sheet.revisit_requested_at is not None:
        return "revisit"
    return sheet.status


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstSheet:
    """A sheet written by its first save: the id and status, all a caller reads back."""

    id: int
    status: str


def save_sheet(juror: User, entry: Entry, data: SheetInput, *,
               actor: User) -> Scoresheet | FirstSheet:
    """Write a juror's sheet for one entry under every rule above; flushes, never commits.

    Raises NotAllowed, InvalidMarks or StaleWrite with nothing written. A database-level
    conflict (another writer got there first) rolls the whole transaction back and
    raises StaleWrite, so a batch of sheets is all-or-nothing.
    """
    problem = judge_problem(juror, entry)
    if problem:
        raise NotAllowed(problem)
    sheet, marks = load_sheet(juror.id, entry.id)
    problem = window_problem(entry, sheet)
    if problem:
        raise NotAllowed(problem)
    criteria = entry.category.criteria
    _check_stale(entry, sheet, marks, criteria, data)
    _check_action(sheet, data)
    if data.action == "withdraw":
        return _withdraw(entry, sheet, data, actor)
    complete = _check_values(criteria, marks, data)
    try:
        if sheet is None and not marks:
            return _first_write(juror, entry, criteria, data, actor)
        sheet = _write(juror, entry, sheet, marks, criteria, data, actor, complete)
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise StaleWrite(Notice(
            "Lembar penilaian ini baru saja diubah di tempat lain. Tidak ada yang "
            "disimpan; muat ulang halaman lalu periksa nilainya.",
            "This scoresheet was just changed elsewhere. Nothing was saved; reload "
            "the page and check the marks.",
        )) from None
    return sheet


def _check_action(sheet: Scoresheet | None, data: SheetInput) -> None:
    """A submitted sheet is resubmitted or withdrawn on purpose, never by a draft save."""
    submitted = sheet is not None and sheet.status == "submitted"
    if data.action == "draft" and submitted:
        raise InvalidMarks(Notice(
            "Penilaian ini sudah terkirim dan dihitung dalam peringkat. Kirim ulang "
            "untuk menyimpan perubahan, atau tarik kembali penilaian secara "
            "eksplisit. Tidak ada yang disimpan.",
            "This sheet is submitted and counts in the ranking. Resubmit to save "
            "changes, or withdraw it explicitly. Nothing was saved.",
        ), {None: Notice(
            "Gunakan Kirim ulang penilaian atau Tarik kembali ke draf.",
            "Use Resubmit sheet or Withdraw to draft.",
        )})
    if data.action == "withdraw" and not submitted:
        raise InvalidMarks(Notice(
            "Penilaian ini belum terkirim; tidak ada yang ditarik kembali.",
            "This sheet is not submitted; there is nothing to withdraw.",
        ),
                           {None: ""})


def _withdraw(entry, sheet: Scoresheet, data: SheetInput, actor) -> Scoresheet:
    """Take a submitted sheet out of the ranking on the juror's explicit request, audited."""
    sheet.status = "draft"
    db.session.flush()
    record("scoresheet.withdrawn", object_type="scoresheet", object_id=sheet.id,
           competition_id=entry.category.competition_id, before={"status": "submitted"},
           after={"status": "draft", "entry_id": entry.id, "juror_id": sheet.juror_id},
           note=data.note, actor_id=actor.id)
    return sheet


def _check_stale(entry, sheet, marks, criteria, data: SheetInput) -> None:
    changes = []
    for criterion in criteria:
        given = data.marks.get(criterion.id)
        if given is None:
            continue
        mark = marks.get(criterion.id)
        current_version = mark.version if mark is not None else None
        if current_version != given.seen_version:
            changes.append(StaleChange(
                criterion.label, plain_number(given.seen_value),
                plain_number(mark.value if mark is not None else None),
                mark.updated_at if mark is not None else None,
                _last_writer(mark),
            ))
    sheet_version = sheet.version if sheet is not None else None
    if sheet_version != data.seen_sheet_version and not changes:
        changes.append(StaleChange(
            Notice("Status lembar penilaian", "Scoresheet status"), "–", _status_text(sheet),
            sheet.updated_at if sheet is not None else None,
            sheet.juror.name if sheet is not None else "–",
        ))
    if changes:
        raise StaleWrite(Notice(
            "Nilai ini sudah diubah di tab atau perangkat lain setelah Anda "
            "membukanya. Tidak ada yang ditimpa; periksa perubahan di bawah lalu "
            "simpan lagi bila perlu.",
            "This mark was changed in another tab or device after you opened it. "
            "Nothing was overwritten; check the changes below and save again if "
            "needed.",
        ), changes)


def _status_text(sheet: Scoresheet | None) -> str:
    status = sheet_status(sheet)
    return "–" if status == "not_started" else label("sheet_status", status)


def _last_writer(mark: Mark | None) -> str:
    """Who made the mark's latest change: the audit log knows after submission, else the juror."""
    if mark is None:
        return "–"
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.object_type == "mark", AuditEvent.object_id == mark.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    actor = event.actor if event is not None and event.actor is not None else None
    return (actor or db.session.get(User, mark.juror_id)).name


def _check_values(criteria, marks, data: SheetInput) -> bool:
    """Refuse out-of-range marks, and a submit with a criterion unmarked; True if complete."""
    errors: dict[int | None, Notice] = {}
    for criterion in criteria:
        given = data.marks.get(criterion.id)
        problem = mark_problem(criterion, given.value) if given else None
        if problem:
            errors[criterion.id] = problem
    if errors:
        raise InvalidMarks(Notice(
            "Ada nilai yang tidak sah. Tidak ada yang disimpan.",
            "Some marks are not valid. Nothing was saved.",
        ), errors)
    missing = {
        c.id: Notice(
            "Kriteria ini wajib dinilai sebelum mengirim.",
            "This criterion must be marked before submitting.",
        )
        for c in criteria
        if _merged_value(c.id, marks, data) is None
    }
    if missing and data.action == "submit":
        raise InvalidMarks(
            Notice(
                "Semua kriteria wajib dinilai sebelum penilaian dikirim. Tidak ada "
                "yang disimpan.",
                "Every criterion must be marked before the scores are submitted. "
                "Nothing was saved.",
            ),
            missing,
        )
    return not missing


def _merged_value(criterion_id, marks, data: SheetInput) -> Decimal | None:
    given = data.marks.get(criterion_id)
    if given is not None:
        return given.value
    mark = marks.get(criterion_id)
    return mark.value if mark is not None else None


def _target_status(sheet: Scoresheet, data: SheetInput, complete: bool) -> str:
    """submit → submitted, draft → draft, keep → unchanged unless the sheet became incomplete."""
    if data.action == "submit":
        return "submitted"
    if data.action == "keep" and sheet.status == "submitted" and complete:
        return "submitted"
    return "draft"


def _write(juror, entry, sheet, marks, criteria, data: SheetInput, actor, complete) -> Scoresheet:
    competition_id = entry.category.competition_id
    if sheet is None:
        sheet = Scoresheet(juror_id=juror.id, entry_id=entry.id, status="draft")
        db.session.add(sheet)
    was_submitted = sheet.submitted_at is not None
    changed = _apply_marks(juror, entry, marks, criteria, data)
    if data.overall_comment is not None:
        sheet.overall_comment = data.overall_comment.strip()
    status = _target_status(sheet, data, complete)
    resubmit = data.action == "submit" and (sheet.status != "submitted" or bool(changed))
    if data.action == "submit" and sheet.revisit_requested_at is not None:
        record("scoresheet.revisited", object_type="scoresheet", object_id=sheet.id,
               competition_id=competition_id, before={"revisit_note": sheet.revisit_note},
               note=data.note, actor_id=actor.id)
        sheet.revisit_requested_at = None
        resubmit = True
    if status == "submitted" and sheet.submitted_at is None:
        sheet.submitted_at = utcnow()
    sheet.status = status
    db.session.flush()
    for mark, before in changed if was_submitted else ():
        record("mark.changed", object_type="mark", object_id=mark.id,
               competition_id=competition_id, before=before, after=_snapshot(mark, full=True),
               note=data.note, actor_id=actor.id)
    if status == "submitted" and not was_submitted:
        for mark in sorted(marks.values(), key=lambda m: m.criterion_id):
            record("mark.submitted", object_type="mark", object_id=mark.id,
                   competition_id=competition_id, after=_snapshot(mark, full=True),
                   note=data.note, actor_id=actor.id)
    if resubmit:
        record("scoresheet.submitted", object_type="scoresheet", object_id=sheet.id,
               competition_id=competition_id,
               after={"entry_id": entry.id, "juror_id": juror.id}, note=data.note,
               actor_id=actor.id)
    return sheet


def _first_write(juror, entry, criteria, data: SheetInput, actor) -> FirstSheet:
    """A sheet's first save: plain inserts of the sheet and its marks, nothing to compare.

    A second writer racing the first one meets the unique keys (IntegrityError, a stale
    write to the caller). On submit every mark is audited as submitted, as on a later one.
    """
    status = "submitted" if data.action == "submit" else "draft"
    sheet_id = db.session.execute(insert(Scoresheet.__table__).values(
        juror_id=juror.id, entry_id=entry.id, status=status,
        overall_comment=(data.overall_comment or "").strip(),
        submitted_at=utcnow() if status == "submitted" else None,
    ).returning(Scoresheet.__table__.c.id)).scalar_one()
    rows = _new_mark_rows(juror, entry, criteria, data)
    if status == "submitted":
        _insert_submitted(rows, entry.category.competition_id, data.note, actor)
        record("scoresheet.submitted", object_type="scoresheet", object_id=sheet_id,
               competition_id=entry.category.competition_id,
               after={"entry_id": entry.id, "juror_id": juror.id}, note=data.note,
               actor_id=actor.id)
    elif rows:
        db.session.execute(insert(Mark.__table__), rows)
    return FirstSheet(sheet_id, status)


def _new_mark_rows(juror, entry, criteria, data: SheetInput) -> list[dict]:
    """The marks a first save stores: every given criterion with a value or a comment."""
    rows = []
    for criterion in criteria:
        given = data.marks.get(criterion.id)
        comment = (given.comment or "").strip() if given is not None else ""
        if given is None or (given.value is None and not comment):
            continue
        rows.append({"juror_id": juror.id, "entry_id": entry.id, "criterion_id": criterion.id,
                     "value": given.value, "comment": comment})
    return rows


def _insert_submitted(rows: list[dict], competition_id, note: str, actor) -> None:
    """Insert the marks of a sheet submitted on its first save, each audited with its id."""
    table = Mark.__table__
    rows = sorted(rows, key=lambda r: r["criterion_id"])
    ids = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                             rows).scalars().all() if rows else []
    for mark_id, row in zip(ids, rows, strict=True):
        value = None if row["value"] is None else str(Decimal(row["value"]).quantize(CENT))
        record("mark.submitted", object_type="mark", object_id=mark_id,
               competition_id=competition_id,
               after={"value": value, "comment": row["comment"], "juror_id": row["juror_id"],
                      "entry_id": row["entry_id"], "criterion_id": row["criterion_id"]},
               note=note, actor_id=actor.id)


def _apply_marks(juror, entry, marks, criteria, data: SheetInput) -> list[tuple[Mark, dict]]:
    """Set the given marks; returns each changed mark with its value before."""
    changed = []
    for criterion in criteria:
        given = data.marks.get(criterion.id)
        if given is None:
            continue
        mark = marks.get(criterion.id)
        if given.comment is None:
            comment = (mark.comment or "") if mark is not None else ""
        else:
            comment = given.comment.strip()
        if mark is None:
            if given.value is None and not comment:
                continue
            mark = Mark(juror_id=juror.id, entry_id=entry.id, criterion_id=criterion.id,
                        value=given.value, comment=comment)
            db.session.add(mark)
            marks[criterion.id] = mark
            changed.append((mark, {"value": None, "comment": ""}))
        elif mark.value != given.value or (mark.comment or "") != comment:
            before = _snapshot(mark)
            mark.value, mark.comment = given.value, comment
            changed.append((mark, before))
    return changed


def _snapshot(mark: Mark, full: bool = False) -> dict:
    value = None if mark.value is None else str(Decimal(mark.value).quantize(CENT))
    snap = {"value": value, "comment": mark.comment or ""}
    if full:
        snap.update(juror_id=mark.juror_id, entry_id=mark.entry_id,
                    criterion_id=mark.criterion_id)
    return snap


# --- replay --------------------------------------------------------------------------------


def replay_marks(competition_id: int) -> dict[tuple[int, int, int], Decimal]:
    """Rebuild every submitted mark of a competition from the audit log alone.

    Keys are (juror id, entry id, criterion id). Covers the marks of every sheet submitted
    at least once (drafts never submitted are not history yet); a cleared mark drops out.
    """
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.competition_id == competition_id,
               AuditEvent.action.in_(("mark.submitted", "mark.changed")))
        .order_by(AuditEvent.id)
    )
    state: dict[tuple[int, int, int], Decimal] = {}
    for event in events:
        after = event.after or {}
        key = (after["juror_id"], after["entry_id"], after["criterion_id"])
        if after.get("value") is None:
            state.pop(key, None)
        else:
            state[key] = Decimal(after["value"])
    return state

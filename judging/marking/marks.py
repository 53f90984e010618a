"""The mark-writing rules, one place for the online form, the offline workbook and moderation.

Who may write (an assigned juror without a conflict, on a submitted entry), when (phase
``judging``; in ``moderation`` only on a revisit the organizer asked for), what (0 to the
criterion's maximum, two decimals, every criterion on submit) and against what (the
versions the writer saw: a stale write is refused whole, nothing overwritten). Every mark
change after a sheet's first submission is audited, so the marks can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from sqlalchemy import Integer, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from judging import driver_sql
from judging.audit import audit_row, prepare_rows, record_rows
from judging.extensions import db
from judging.i18n import label, number, plain_number
from judging.models import AuditEvent, Criterion, Entry, Mark, Scoresheet, User
from judging.models.types import utcnow
from judging.permissions import can_judge_entry
from judging.phases import finalising
from judging.refusals import Notice, Refused
from judging.request_connection import plain_connection, rollback

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


class MarkInput(NamedTuple):
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
#
# The save is the hottest write of judging, so it runs as plain statements: the sheet and its
# marks read in one, every check made on those values, then the writes in as few statements
# as they take (on SQLite the write lock is taken at the first of them and held to commit).
# A later save updates only what changed, each row guarded by the version the writer read:
# a row changed since then updates nothing, and the whole save is refused as stale.


class SheetRow(NamedTuple):
    """The stored sheet as the save reads it."""

    id: int
    juror_id: int
    status: str
    version: int
    overall_comment: str
    submitted_at: datetime | None
    revisit_requested_at: datetime | None
    revisit_note: str
    updated_at: datetime | None


class MarkRow(NamedTuple):
    """One stored mark as the save reads it."""

    id: int
    juror_id: int
    criterion_id: int
    value: Decimal | None
    comment: str
    version: int
    updated_at: datetime | None


@dataclass
class SavedSheet:
    """A sheet as a save left it: the id and status, all a caller reads back.

    A first save inserts the sheet without reading its id back (the save itself never
    needs it); a caller that asks for ``id`` then reads it, once.
    """

    status: str
    juror_id: int
    entry_id: int
    known_id: int | None = None

    @property
    def id(self) -> int:
        if self.known_id is None:
            self.known_id = db.session.scalar(select(_SHEETS.c.id).where(
                _SHEETS.c.juror_id == self.juror_id, _SHEETS.c.entry_id == self.entry_id))
        return self.known_id


@dataclass(frozen=True)
class _Who:
    """Whose sheet a save writes and who writes it, read once (the juror is often a proxy)."""

    juror_id: int
    entry_id: int
    actor_id: int
    competition_id: int
    note: str
    # the save's moment: its rows' times and its audit events' (one value, typed once)
    at: datetime = field(default_factory=utcnow)

    def event(self, action: str, object_type: str, object_id: int | None, **fields) -> dict:
        """An audit row of this save."""
        return audit_row(action, object_type=object_type, object_id=object_id,
                         competition_id=self.competition_id, note=self.note,
                         actor_id=self.actor_id, at=self.at, **fields)

    def saved(self, status: str, sheet_id: int | None = None) -> SavedSheet:
        return SavedSheet(status, self.juror_id, self.entry_id, sheet_id)

    def mark_after(self, criterion_id: int, value, comment) -> dict:
        """A mark's snapshot with whose it is, so the marks replay from the log alone."""
        return {**_snapshot(value, comment), "juror_id": self.juror_id,
                "entry_id": self.entry_id, "criterion_id": criterion_id}


class _Lost(Exception):
    """A guarded write met a row another writer changed after it was read."""


_SHEETS, _MARKS, _ENTRIES = Scoresheet.__table__, Mark.__table__, Entry.__table__
_JUROR, _ENTRY = bindparam("juror_id"), bindparam("entry_id")
_STATE = (
    select(_SHEETS.c.id.label("sheet_id"), _SHEETS.c.status, _SHEETS.c.version.label("sv"),
           _SHEETS.c.overall_comment, _SHEETS.c.submitted_at, _SHEETS.c.revisit_requested_at,
           _SHEETS.c.revisit_note, _SHEETS.c.updated_at.label("s_updated"),
           _MARKS.c.id.label("mark_id"), _MARKS.c.criterion_id, _MARKS.c.value,
           _MARKS.c.comment, _MARKS.c.version.label("mv"), _MARKS.c.updated_at.label("m_updated"))
    .select_from(_ENTRIES)
    .outerjoin(_SHEETS, (_SHEETS.c.entry_id == _ENTRIES.c.id) & (_SHEETS.c.juror_id == _JUROR))
    .outerjoin(_MARKS, (_MARKS.c.entry_id == _ENTRIES.c.id) & (_MARKS.c.juror_id == _JUROR))
    .where(_ENTRIES.c.id == _ENTRY)
)
# Inserts are given every column with a default (``_sheet_row``, ``_mark_row``): a default
# left to SQLAlchemy would send the statement back through its execution layer.
_INSERT_SHEET = insert(_SHEETS)
_INSERT_SHEET_ID = insert(_SHEETS).returning(_SHEETS.c.id)
_INSERT_MARKS = insert(_MARKS)
# The new ids are matched to their rows by criterion (unique per sheet), not by order:
# asking for the parameters' order makes SQLite insert row by row, one statement each.
_INSERT_MARK_IDS = insert(_MARKS).returning(_MARKS.c.criterion_id, _MARKS.c.id)
# An audit row whose object was just inserted (a mark, by ``m_criterion``, or the sheet, by
# ``s_juror``): its id looked up by the insert itself.
_INSERT_NEW_EVENTS = insert(AuditEvent.__table__).values(object_id=func.coalesce(
    bindparam("given_id", type_=Integer),
    select(_MARKS.c.id).where(_MARKS.c.juror_id == bindparam("m_juror"),
                              _MARKS.c.entry_id == bindparam("m_entry"),
                              _MARKS.c.criterion_id == bindparam("m_criterion"))
    .scalar_subquery(),
    select(_SHEETS.c.id).where(_SHEETS.c.juror_id == bindparam("s_juror"),
                               _SHEETS.c.entry_id == bindparam("m_entry"))
    .scalar_subquery()))
_UPDATE_SHEET = (
    update(_SHEETS)
    .where(_SHEETS.c.id == bindparam("s_id"), _SHEETS.c.version == bindparam("seen"))
    .values(status=bindparam("s_status"), overall_comment=bindparam("s_comment"),
            submitted_at=bindparam("s_submitted"), revisit_requested_at=bindparam("s_revisit"),
            version=_SHEETS.c.version + 1, updated_at=bindparam("now"))
)
_UPDATE_MARK = (
    update(_MARKS)
    .where(_MARKS.c.id == bindparam("m_id"), _MARKS.c.version == bindparam("seen"))
    .values(value=bindparam("m_value"), comment=bindparam("m_comment"),
            version=_MARKS.c.version + 1, updated_at=bindparam("now"))
)


def read_state(juror_id: int, entry_id: int) -> tuple[SheetRow | None, dict[int, MarkRow]]:
    """The juror's sheet for an entry (or None) and their marks by criterion id: one statement."""
    rows = db.session.connection().execute(_STATE, {"juror_id": juror_id, "entry_id": entry_id})
    sheet, marks = None, {}
    for row in rows:
        if sheet is None and row.sheet_id is not None:
            sheet = SheetRow(row.sheet_id, juror_id, row.status, row.sv, row.overall_comment,
                             row.submitted_at, row.revisit_requested_at, row.revisit_note,
                             row.s_updated)
        if row.mark_id is not None:
            marks[row.criterion_id] = MarkRow(row.mark_id, juror_id, row.criterion_id,
                                              row.value, row.comment, row.mv, row.m_updated)
    return sheet, marks


def save_sheet(juror: User, entry: Entry, data: SheetInput, *, actor: User,
               state: tuple[SheetRow | None, dict[int, MarkRow]] | None = None) -> SavedSheet:
    """Write a juror's sheet for one entry under every rule above; never commits.

    ``state`` is the sheet and marks as :func:`read_state` gives them, when the caller read
    them in this transaction already (the form's save reads them with the entry).
    Raises NotAllowed, InvalidMarks or StaleWrite with nothing written. A database-level
    conflict (another writer got there first) rolls the whole transaction back and
    raises StaleWrite, so a batch of sheets is all-or-nothing.
    """
    problem = judge_problem(juror, entry)
    if problem:
        raise NotAllowed(problem)
    who = _Who(juror.id, entry.id, actor.id, entry.category.competition_id, data.note)
    sheet, marks = state if state is not None else read_state(who.juror_id, who.entry_id)
    problem = window_problem(entry, sheet)
    if problem:
        raise NotAllowed(problem)
    criteria = entry.category.criteria
    _check_stale(entry, sheet, marks, criteria, data)
    _check_action(sheet, data)
    complete = data.action == "withdraw" or _check_values(criteria, marks, data)
    try:
        if data.action == "withdraw":
            saved = _withdraw(who, sheet)
        elif sheet is None and not marks:
            saved = _first_write(who, criteria, data)
        else:
            saved = _write(who, sheet, marks, criteria, data, complete)
    except (_Lost, IntegrityError):
        rollback(db)  # the session's, or the held connection's plain writes
        raise StaleWrite(Notice(
            "Lembar penilaian ini baru saja diubah di tempat lain. Tidak ada yang "
            "disimpan; muat ulang halaman lalu periksa nilainya.",
            "This scoresheet was just changed elsewhere. Nothing was saved; reload "
            "the page and check the marks.",
        )) from None
    _forget_loaded()
    return saved


def _forget_loaded() -> None:
    """Expire sheets and marks the session holds, so an ORM reader after the save sees it."""
    if not db.session.registry.has():
        return  # no session made: nothing held
    session = db.session
    for obj in list(session.identity_map.values()):
        if isinstance(obj, (Scoresheet, Mark)):
            session.expire(obj)


def _check_action(sheet: SheetRow | None, data: SheetInput) -> None:
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


def _withdraw(who: _Who, sheet: SheetRow) -> SavedSheet:
    """Take a submitted sheet out of the ranking on the juror's explicit request, audited."""
    event = who.event("scoresheet.withdrawn", "scoresheet", sheet.id,
                      before={"status": "submitted"},
                      after={"status": "draft", "entry_id": who.entry_id,
                             "juror_id": sheet.juror_id})
    _guarded(_UPDATE_SHEET, [_sheet_params(sheet, status="draft", now=who.at)])
    record_rows([event])
    return who.saved("draft", sheet.id)


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
            db.session.get(User, sheet.juror_id).name if sheet is not None else "–",
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


def _status_text(sheet) -> str:
    status = sheet_status(sheet)
    return "–" if status == "not_started" else label("sheet_status", status)


def _last_writer(mark) -> str:
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


def _target_status(current: str, data: SheetInput, complete: bool) -> str:
    """submit → submitted, draft → draft, keep → unchanged unless the sheet became incomplete."""
    if data.action == "submit":
        return "submitted"
    if data.action == "keep" and current == "submitted" and complete:
        return "submitted"
    return "draft"


@dataclass
class _Change:
    """A mark the save writes: its stored row (None: new), its value before and after."""

    criterion_id: int
    stored: MarkRow | None
    before: dict
    value: Decimal | None
    comment: str
    id: int | None = None


def _write(who: _Who, sheet: SheetRow | None, marks: dict[int, MarkRow], criteria,
           data: SheetInput, complete: bool) -> SavedSheet:
    """A save of a sheet that has marks already: only what changed is written, guarded.

    Everything is worked out first; the writes follow one another, then the audit rows
    (which need the ids of new rows).
    """
    now = who.at
    was_submitted = sheet is not None and sheet.submitted_at is not None
    current = sheet.status if sheet is not None else "draft"
    changed = _changes(marks, criteria, data)
    status = _target_status(current, data, complete)
    revisit = (data.action == "submit" and sheet is not None
               and sheet.revisit_requested_at is not None)
    resubmit = revisit or (data.action == "submit" and (current != "submitted" or bool(changed)))
    submitted_at = sheet.submitted_at if sheet is not None else None
    if status == "submitted" and submitted_at is None:
        submitted_at = now
    comment = (data.overall_comment.strip() if data.overall_comment is not None
               else sheet.overall_comment if sheet is not None else "")
    params = None
    if sheet is not None:
        params = _sheet_params(sheet, status=status, comment=comment, submitted_at=submitted_at,
                               revisit=None if revisit else sheet.revisit_requested_at, now=now)
    if sheet is None:
        sheet_id = plain_connection(db).execute(
            _INSERT_SHEET_ID, _sheet_row(who, status, comment, submitted_at, now)).scalar_one()
    else:
        sheet_id = sheet.id
        if _sheet_changed(sheet, params):
            _guarded(_UPDATE_SHEET, [params])
    _write_marks(who, changed, now, with_ids=was_submitted or status == "submitted")
    events = []
    if revisit:
        events.append(who.event("scoresheet.revisited", "scoresheet", sheet_id,
                                before={"revisit_note": sheet.revisit_note}))
    for change in changed if was_submitted else ():
        events.append(who.event(
            "mark.changed", "mark", change.id, before=change.before,
            after=who.mark_after(change.criterion_id, change.value, change.comment)))
    if status == "submitted" and not was_submitted:
        events += [who.event("mark.submitted", "mark", mark_id,
                             after=who.mark_after(cid, value, text))
                   for mark_id, cid, value, text in _merged(marks, changed)]
    if resubmit:
        events.append(who.event("scoresheet.submitted", "scoresheet", sheet_id,
                                after={"entry_id": who.entry_id, "juror_id": who.juror_id}))
    record_rows(events)
    return who.saved(status, sheet_id)


def _changes(marks: dict[int, MarkRow], criteria, data: SheetInput) -> list[_Change]:
    """The given marks that differ from the stored ones (new marks with a value or comment)."""
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
            changed.append(_Change(criterion.id, None, {"value": None, "comment": ""},
                                   given.value, comment))
        elif mark.value != given.value or (mark.comment or "") != comment:
            changed.append(_Change(criterion.id, mark, _snapshot(mark.value, mark.comment),
                                   given.value, comment, mark.id))
    return changed


def _write_marks(who: _Who, changed: list[_Change], now, *, with_ids: bool) -> None:
    """Update the changed marks (guarded by the version read) and insert the new ones."""
    _guarded(_UPDATE_MARK, [
        {"m_id": c.stored.id, "seen": c.stored.version, "m_value": c.value,
         "m_comment": c.comment, "now": now}
        for c in changed if c.stored is not None])
    new = [c for c in changed if c.stored is None]
    if not new:
        return
    rows = [_mark_row(who, c.criterion_id, c.value, c.comment, now) for c in new]
    connection = plain_connection(db)
    if not with_ids:
        driver_sql.run_many(connection, _INSERT_MARKS, rows)
        return
    ids = _new_ids(connection, rows)
    for change in new:
        change.id = ids[change.criterion_id]


def _new_ids(connection, rows: list[dict]) -> dict[int, int]:
    """Insert marks of one sheet in one statement; their new ids by criterion id."""
    return dict(connection.execute(_INSERT_MARK_IDS, rows).all())


def _merged(marks: dict[int, MarkRow], changed: list[_Change]) -> list[tuple]:
    """(id, criterion id, value, comment) of every mark after the save, by criterion."""
    merged = {cid: (m.id, cid, m.value, m.comment or "") for cid, m in marks.items()}
    for c in changed:
        merged[c.criterion_id] = (c.id, c.criterion_id, c.value, c.comment)
    return [merged[cid] for cid in sorted(merged)]


def _sheet_params(sheet: SheetRow, *, status: str, comment: str | None = None,
                  submitted_at=False, revisit=False, now: datetime | None = None) -> dict:
    """The guarded sheet update's values: the stored ones except those given."""
    return {"s_id": sheet.id, "seen": sheet.version, "s_status": status,
            "s_comment": sheet.overall_comment if comment is None else comment,
            "s_submitted": sheet.submitted_at if submitted_at is False else submitted_at,
            "s_revisit": sheet.revisit_requested_at if revisit is False else revisit,
            "now": utcnow() if now is None else now}


def _sheet_changed(sheet: SheetRow, params: dict) -> bool:
    return (params["s_status"], params["s_comment"], params["s_submitted"],
            params["s_revisit"]) != (sheet.status, sheet.overall_comment, sheet.submitted_at,
                                     sheet.revisit_requested_at)


def _guarded(statement, rows: list[dict]) -> None:
    """Run version-guarded updates; raise _Lost unless every row matched its version."""
    if not rows:
        return
    connection = plain_connection(db)
    if len(rows) == 1:
        matched = driver_sql.run(connection, statement, rows[0])
    elif connection.dialect.supports_sane_multi_rowcount or connection.dialect.name == "sqlite":
        matched = driver_sql.run_many(connection, statement, rows)  # SQLite's counts are summed
    else:
        for row in rows:
            _guarded(statement, [row])
        return
    if matched != len(rows):
        raise _Lost


def _first_write(who: _Who, criteria, data: SheetInput) -> SavedSheet:
    """A sheet's first save: plain inserts of the sheet and its marks, nothing to compare.

    A second writer racing the first one meets the unique keys (IntegrityError, a stale
    write to the caller). On submit every mark is audited as submitted, as on a later one;
    the audit rows are made before the first write and only given the new ids after it.
    """
    status = "submitted" if data.action == "submit" else "draft"
    now = who.at
    rows = _new_mark_rows(who, criteria, data, now)
    sheet = _sheet_row(who, status, (data.overall_comment or "").strip(),
                       now if status == "submitted" else None, now)
    connection = plain_connection(db)
    if status != "submitted":
        driver_sql.run(connection, _INSERT_SHEET, sheet)
        driver_sql.run_many(connection, _INSERT_MARKS, rows)
        return who.saved(status)
    events = [who.event("mark.submitted", "mark", None,
                        after=who.mark_after(row["criterion_id"], row["value"], row["comment"]))
              for row in rows]
    events.append(who.event("scoresheet.submitted", "scoresheet", None,
                            after={"entry_id": who.entry_id, "juror_id": who.juror_id}))
    driver_sql.run(connection, _INSERT_SHEET, sheet)
    driver_sql.run_many(connection, _INSERT_MARKS, rows)
    for event, row in zip(events, rows, strict=False):
        event["m_criterion"] = row["criterion_id"]
    events[-1]["s_juror"] = who.juror_id
    _record_found(who, events, connection)
    return who.saved(status)


def _record_found(who: _Who, events: list[dict], connection) -> None:
    """Audit rows in one insert; a row about a new mark names it by ``m_criterion``, the one
    about the new sheet by ``s_juror``, and the insert finds their ids (nothing read back)."""
    record_rows(_found_rows(who, events), statement=_INSERT_NEW_EVENTS, connection=connection)


def _found_rows(who: _Who, events: list[dict]) -> list[dict]:
    """The events shaped for ``_INSERT_NEW_EVENTS`` (in place; every row the same keys)."""
    for event in events:
        event["given_id"] = event.pop("object_id")
        event.setdefault("m_criterion", None)
        event.setdefault("s_juror", None)
        event["m_juror"], event["m_entry"] = who.juror_id, who.entry_id
    return events


def _new_mark_rows(who: _Who, criteria, data: SheetInput, now) -> list[dict]:
    """The marks a first save stores, by criterion id: every given one with a value or comment."""
    rows = []
    for criterion in sorted(criteria, key=lambda c: c.id):
        given = data.marks.get(criterion.id)
        comment = (given.comment or "").strip() if given is not None else ""
        if given is None or (given.value is None and not comment):
            continue
        rows.append(_mark_row(who, criterion.id, given.value, comment, now))
    return rows


def _sheet_row(who: _Who, status: str, comment: str, submitted_at, now) -> dict:
    """A new sheet's columns, every default given."""
    return {"juror_id": who.juror_id, "entry_id": who.entry_id, "status": status,
            "overall_comment": comment, "submitted_at": submitted_at, "revisit_note": "",
            "version": 1, "updated_at": now}


def _mark_row(who: _Who, criterion_id: int, value, comment: str, now) -> dict:
    """A new mark's columns, every default given."""
    return {"juror_id": who.juror_id, "entry_id": who.entry_id, "criterion_id": criterion_id,
            "value": value, "comment": comment, "version": 1, "updated_at": now}


def _snapshot(value: Decimal | None, comment: str | None) -> dict:
    """A mark's value (two decimals, as text) and comment, as the audit log keeps them."""
    shown = None if value is None else str(Decimal(value).quantize(CENT))
    return {"value": shown, "comment": comment or ""}


def warm_up(_absent) -> None:
    """Work out the save's write plans before a worker's first save; nothing is written."""
    who = _Who(0, 0, 0, 0, "")
    now = utcnow()
    connection = db.session.connection()
    event = who.event("mark.submitted", "mark", None, after={})
    found = _found_rows(who, [dict(event)])[0]
    sheet = SheetRow(0, 0, "draft", 0, "", None, None, "", now)
    for statement, params in (
            (_INSERT_SHEET, _sheet_row(who, "draft", "", None, now)),
            (_INSERT_MARKS, _mark_row(who, 0, None, "", now)),
            (_INSERT_NEW_EVENTS, found),
            (_UPDATE_SHEET, _sheet_params(sheet, status="draft")),
            (_UPDATE_MARK, {"m_id": 0, "seen": 0, "m_value": None, "m_comment": "",
                            "now": now})):
        driver_sql.prepare(connection, statement, params)
    prepare_rows(connection, event)


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

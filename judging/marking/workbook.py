"""The offline scoring workbook in the app: build it, preview an upload, apply it whole.

The workbook core (``judging.io.xlsx.jury_sheet``) reads and writes the file; this module adds
the app's rules: which entries the juror may write now, what each row would change, and
applying every row through ``marks.save_sheet`` in one transaction. The parsed preview is
kept in a JSON file under ``instance/jury_uploads`` (never in the cookie) until confirmed.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from judging.audit import record
from judging.extensions import db
from judging.i18n import export_words
from judging.marking.assignments import assigned_entries, display_name
from judging.marking.marks import (
    MarkInput,
    NotAllowed,
    SheetInput,
    WriteRefused,
    load_sheet,
    mark_problem,
    save_sheet,
    sheet_status,
    window_problem,
)
from judging.models import Competition, Entry, User
from judging.phases import marks_writable
from judging.refusals import Notice, both
from judging.scoring import types

if TYPE_CHECKING:  # the sheet module pulls in openpyxl: loaded on first use, not at start-up
    from judging.io.xlsx.jury_sheet import SheetProblem

PENDING_DIR = "jury_uploads"
PENDING_HOURS = 12
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _plain_criteria(category) -> list[types.Criterion]:
    return [types.Criterion(key=c.key, label=c.label, weight=float(c.weight),
                            max_mark=float(c.max_mark), guidance=c.guidance or "")
            for c in category.criteria]


def _by_category(entries: list[Entry]) -> dict:
    grouped: dict = {}
    for entry in entries:
        grouped.setdefault(entry.category, []).append(entry)
    return grouped


def build_workbook(juror: User, competition: Competition) -> bytes | None:
    """The juror's workbook: every assigned entry, their current marks pre-filled.

    None when nothing is assigned: a workbook needs at least one visible sheet.
    """
    from judging.io.xlsx.jury_sheet import JurySheetCategory, JurySheetEntry, write_jury_sheet

    categories = []
    for category, entries in _by_category(assigned_entries(juror.id, competition.id)).items():
        rows = []
        for entry in entries:
            sheet, marks = load_sheet(juror.id, entry.id)
            values = {c.key: (float(marks[c.id].value) if c.id in marks
                              and marks[c.id].value is not None else None)
                      for c in category.criteria}
            rows.append(JurySheetEntry(entry.code, display_name(entry), values,
                                       sheet.overall_comment if sheet else None))
        categories.append(JurySheetCategory(category.id, category.name,
                                            _plain_criteria(category), rows))
    if not categories:
        return None
    return write_jury_sheet(juror_name=juror.name, competition_name=competition.name,
                            categories=categories, words=export_words())


def workbook_closed(competition: Competition) -> Notice | None:
    """Why no workbook can be applied in the competition's phase, or None."""
    if marks_writable(competition):
        return None
    return Notice(
        "Penilaian tidak dibuka pada tahap ini; lembar penilaian tidak dapat "
        "diunggah.",
        "Judging is not open in this phase; scoresheets cannot be uploaded.",
    )


@dataclass
class RowPreview:
    """One accepted row: what it changes, and what ``apply`` needs to write it safely."""

    entry_id: int
    code: str
    name: str
    category: str
    row_number: int
    sheet: str
    changes: list[tuple[str | Notice, str, str]]  # (what, old, new)
    pending: dict = field(default_factory=dict)
    complete: bool = False  # every criterion has a mark once the row is applied
    status: str = "not_started"


@dataclass
class Preview:
    """A read upload: accepted rows with their changes, and refused rows / sheets."""

    rows: list[RowPreview]
    problems: list[SheetProblem]

    @property
    def changed_rows(self) -> list[RowPreview]:
        """Rows that change something."""
        return [r for r in self.rows if r.changes]

    @property
    def submittable_rows(self) -> list[RowPreview]:
        """Complete rows not yet submitted: sent for ranking when "Kirim" is ticked."""
        return [r for r in self.rows if r.complete and r.status != "submitted"]

    @property
    def incomplete_rows(self) -> list[RowPreview]:
        """Rows that stay drafts whatever is ticked: some criterion has no mark."""
        return [r for r in self.rows if not r.complete and r.status != "submitted"]


@dataclass
class Applied:
    """What confirming a workbook did, and which of the juror's sheets still await submission."""

    written: int
    submitted: list[str]
    drafts: list[str]


def preview_upload(juror: User, competition: Competition, data: bytes) -> Preview:
    """Read an upload under the juror's current rights; nothing is written."""
    from judging.io.xlsx.jury_sheet import read_jury_sheet

    entries = assigned_entries(juror.id, competition.id)
    states = {e.id: load_sheet(juror.id, e.id) for e in entries}
    allowed: dict = {}
    by_code: dict = {}
    for category, members in _by_category(entries).items():
        writable = [e for e in members if window_problem(e, states[e.id][0]) is None]
        allowed[category.id] = (_plain_criteria(category), {e.code for e in writable})
        by_code.update({(category.id, e.code): e for e in writable})
    result = read_jury_sheet(data, categories=allowed)
    rows, problems = [], list(result.problems)
    for row in result.rows:
        entry = by_code[(row.category_id, row.entry_code)]
        refused = _decimal_problems(entry, row)
        if refused:
            problems += refused
            continue
        rows.append(_row_preview(entry, row, *states[entry.id]))
    problems.sort(key=lambda p: (p.sheet, p.row_number or 0, p.column or ""))
    return Preview(rows, problems)


def _decimal_problems(entry: Entry, row) -> list[SheetProblem]:
    """The app's own mark rule (two decimals at most) on top of the reader's range check."""
    from judging.io.xlsx.jury_sheet import SheetProblem

    problems = []
    for index, criterion in enumerate(entry.category.criteria):
        value = row.marks.get(criterion.key)
        problem = mark_problem(criterion, _decimal(value))
        if problem:
            column = chr(ord("C") + index) if index < 24 else None
            problems.append(SheetProblem(row.sheet, row.row_number, column,
                                         f"{criterion.label}: {problem.message_id}",
                                         f"{criterion.label}: {problem.message_en}"))
    return problems


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).normalize()


def _text(value: Decimal | None) -> str:
    return "–" if value is None else format(value.normalize(), "f").replace(".", ",")


def _row_preview(entry: Entry, row, sheet, marks) -> RowPreview:
    changes, new_marks, seen, complete = [], {}, {}, True
    for criterion in entry.category.criteria:
        mark = marks.get(criterion.id)
        old = mark.value if mark is not None else None
        new = _decimal(row.marks.get(criterion.key))
        complete = complete and (new is not None or old is not None)
        seen[str(criterion.id)] = [mark.version if mark else None,
                                   None if old is None else str(old)]
        new_marks[str(criterion.id)] = None if new is None else str(new)
        if new is not None and (old is None or new != old):
            changes.append((criterion.label, _text(old), _text(new)))
    old_comment = sheet.overall_comment if sheet else ""
    if row.comment is not None and row.comment != (old_comment or ""):
        changes.append((Notice("Catatan umum", "Overall comment"), old_comment or "–",
                        row.comment))
    pending = {
        "entry_id": entry.id, "row_number": row.row_number, "sheet": row.sheet,
        "marks": new_marks, "seen": seen, "comment": row.comment,
        "sheet_version": sheet.version if sheet else None,
        "status": sheet_status(sheet, marks), "changed": bool(changes),
    }
    return RowPreview(entry.id, entry.code, display_name(entry), entry.category.name,
                      row.row_number, row.sheet, changes, pending, complete, pending["status"])


# --- keeping the preview between requests -----------------------------------------------------


def _pending_dir() -> Path:
    folder = Path(current_app.instance_path) / PENDING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_pending(preview: Preview, *, juror: User, competition: Competition,
                  actor: User) -> str:
    """Write the accepted rows to a server-side file; returns its random token."""
    _sweep()
    token = secrets.token_urlsafe(24)
    payload = {"juror_id": juror.id, "competition_id": competition.id, "actor_id": actor.id,
               "created": time.time(), "rows": [r.pending for r in preview.rows]}
    path = _pending_dir() / f"{token}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload))
    tmp.replace(path)
    return token


def load_pending(token: str | None, *, juror: User, competition: Competition,
                 actor: User) -> dict | None:
    """The stored preview for this token if it belongs to these people and is fresh."""
    if not token or not _TOKEN.match(token):
        return None
    path = _pending_dir() / f"{token}.json"
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    fresh = time.time() - payload.get("created", 0) < PENDING_HOURS * 3600
    mine = (payload.get("juror_id"), payload.get("competition_id"), payload.get("actor_id")) == (
        juror.id, competition.id, actor.id)
    return payload if fresh and mine else None


def drop_pending(token: str | None) -> None:
    """Forget a stored preview (applied or discarded)."""
    if token and _TOKEN.match(token):
        (_pending_dir() / f"{token}.json").unlink(missing_ok=True)


def _sweep() -> None:
    limit = time.time() - PENDING_HOURS * 3600
    for path in _pending_dir().glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


# --- applying ----------------------------------------------------------------------------------


class RowRefused(WriteRefused):
    """One row could not be written; the whole upload was rolled back."""

    def __init__(self, refused: WriteRefused, row: dict):
        sheet, number = row.get("sheet"), row.get("row_number")
        super().__init__(Notice(f"Lembar '{sheet}' baris {number}: {refused.message_id}",
                                f"Sheet '{sheet}' row {number}: {refused.message_en}"))
        self.status = refused.status
        self.cause = refused


def apply_pending(payload: dict, *, juror: User, actor: User, submit_complete: bool) -> Applied:
    """Write every row through the scoring rules in the current transaction; all or nothing.

    Returns what was written and submitted, and which sheets remain drafts. Raises
    RowRefused (after rolling back) when any row is refused; the caller commits on success.
    """
    competition = db.session.get(Competition, payload["competition_id"])
    problem = workbook_closed(competition)
    if problem:
        raise NotAllowed(problem)
    on_behalf = actor.id != juror.id
    note = (both(f"Diunggah oleh {actor.name} atas nama juri {juror.name} (lembar penilaian)",
                 f"Uploaded by {actor.name} on behalf of juror {juror.name} (scoresheet)")
            if on_behalf else both("Diunggah dari lembar penilaian", "Uploaded from a scoresheet"))
    written, submitted = 0, []
    for row in payload["rows"]:
        entry = db.session.get(Entry, row["entry_id"])
        data = _sheet_input(row, submit_complete, note)
        if data is None:
            continue
        try:
            if entry is None:
                raise NotAllowed(Notice("Entri tidak ditemukan.", "Entry not found."))
            sheet = save_sheet(juror, entry, data, actor=actor)
        except WriteRefused as refused:
            db.session.rollback()
            raise RowRefused(refused, row) from None
        written += 1
        if data.action == "submit" and row["status"] != "submitted" and sheet.status == "submitted":
            submitted.append(entry.code)
    drafts = unsubmitted_codes(juror, competition)
    record("workbook.applied", object_type="user", object_id=juror.id,
           competition_id=competition.id, after={"sheets": written, "juror_id": juror.id,
                                                 "submit_complete": submit_complete,
                                                 "submitted": submitted, "drafts": drafts},
           note=note, actor_id=actor.id)
    return Applied(written, submitted, drafts)


def unsubmitted_codes(juror: User, competition: Competition) -> list[str]:
    """Codes of the juror's assigned entries whose sheet is not submitted (so not ranked)."""
    codes = []
    for entry in assigned_entries(juror.id, competition.id):
        if sheet_status(*load_sheet(juror.id, entry.id)) != "submitted":
            codes.append(entry.code)
    return codes


def _sheet_input(row: dict, submit_complete: bool, note: str) -> SheetInput | None:
    """The service input for a stored row, or None when the row changes nothing."""
    marks, complete = {}, True
    for criterion_id, new in row["marks"].items():
        version, old = row["seen"][criterion_id]
        value = Decimal(new) if new is not None else (Decimal(old) if old is not None else None)
        complete = complete and value is not None
        marks[int(criterion_id)] = MarkInput(
            value=value, comment=None, seen_version=version,
            seen_value=Decimal(old) if old is not None else None,
        )
    submit = submit_complete and complete and row["status"] != "submitted"
    if not row["changed"] and not submit:
        return None
    return SheetInput(marks=marks, action="submit" if submit_complete and complete else "keep",
                      overall_comment=row["comment"], seen_sheet_version=row["sheet_version"],
                      note=note)

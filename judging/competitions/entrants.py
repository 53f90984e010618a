"""Entrants of an organising body: one by one, from an Excel list, enrolled as entries."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from io import BytesIO

from sqlalchemy import func, or_, select

from judging.audit import record
from judging.extensions import db
from judging.i18n import export_words, indonesian
from judging.models import Category, Entrant, Entry
from judging.models.competition import LEVELS
from judging.models.types import utcnow
from judging.refusals import Notice, Refused

HEADERS = ("Kode", "Nama", "Tingkat", "Wilayah")
# The level names written in entrant workbooks: Indonesian, from the one label table.
LEVEL_LABELS = {key: indonesian("level", key) for key in LEVELS}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


def level_from_text(text: str) -> str | None:
    """A level key from what people type: 'Kabupaten/Kota', 'kabupaten kota', 'OPD'…"""
    cleaned = re.sub(r"[^a-z]+", "_", (text or "").strip().lower()).strip("_")
    if cleaned in LEVELS:
        return cleaned
    for key, label in LEVEL_LABELS.items():
        if re.sub(r"[^a-z]+", "_", label.lower()).strip("_") == cleaned:
            return key
    return None


def search_entrants(organisation_id: int, query: str = "", level: str = "") -> list[Entrant]:
    """Entrants of a body whose code, name or region contains ``query``."""
    stmt = select(Entrant).where(Entrant.organisation_id == organisation_id)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Entrant.code).like(like),
                              func.lower(Entrant.name).like(like),
                              func.lower(Entrant.region).like(like)))
    if level:
        stmt = stmt.where(Entrant.level == level)
    return list(db.session.scalars(stmt.order_by(Entrant.code)))


def check_entrant(code: str, name: str, level: str) -> list[Notice]:
    """What is wrong with one entrant's fields."""
    problems = []
    if not _CODE.match(code or ""):
        problems.append(Notice(
            "Kode wajib diisi: huruf, angka, titik, garis miring atau strip, maksimal 40.",
            "Code is required: letters, digits, dot, slash or dash, at most 40.",
        ))
    if not (name or "").strip():
        problems.append(Notice("Nama wajib diisi.", "Name is required."))
    if level not in LEVELS:
        problems.append(Notice(
            "Tingkat harus salah satu dari: " + ", ".join(LEVEL_LABELS.values()) + ".",
            "Level must be one of: " + ", ".join(LEVEL_LABELS.values()) + ".",
        ))
    return problems


def save_entrant(organisation_id: int, values: dict, entrant: Entrant | None = None) -> Entrant:
    """Add or change one entrant; a code must be unique within the body."""
    code = (values.get("code") or "").strip()
    problems = check_entrant(code, values.get("name", ""), values.get("level", ""))
    if problems:
        raise Refused("Peserta tidak disimpan:", "The entrant was not saved:", problems)
    clash = db.session.scalar(select(Entrant.id).where(
        Entrant.organisation_id == organisation_id, func.lower(Entrant.code) == code.lower()
    ))
    if clash and (entrant is None or clash != entrant.id):
        raise Refused(f"Kode '{code}' sudah dipakai peserta lain.",
                      f"Code '{code}' is already used by another entrant.")
    before = None if entrant is None else _entrant_data(entrant)
    if entrant is None:
        entrant = Entrant(organisation_id=organisation_id)
        db.session.add(entrant)
    entrant.code, entrant.name = code, values["name"].strip()
    entrant.level, entrant.region = values["level"], (values.get("region") or "").strip()
    db.session.flush()
    record("entrant.created" if before is None else "entrant.updated", object_type="entrant",
           object_id=entrant.id, before=before, after=_entrant_data(entrant))
    return entrant


def _entrant_data(entrant: Entrant) -> dict:
    return {"code": entrant.code, "name": entrant.name, "level": entrant.level,
            "region": entrant.region}


EXAMPLE_CODE = "CONTOH"
EXAMPLE_ROW = (EXAMPLE_CODE, "CONTOH - baris ini tidak diimpor, hapus atau timpa",
               "Kelurahan", "Kecamatan Contoh")
# The example row of templates handed out before it was marked; never imported either.
OLD_EXAMPLE_ROW = ("KEL-001", "Kelurahan Contoh", "Kelurahan", "Kecamatan Contoh")


def is_example_row(values: dict) -> bool:
    """The template's example row: code CONTOH, or the unmarked example of older templates."""
    row = tuple(values[name] for name in HEADERS)
    return values["Kode"].strip().upper() == EXAMPLE_CODE or row == OLD_EXAMPLE_ROW


def template_workbook() -> bytes:
    """An empty entrant list with the expected headers and one marked example row.

    Sheet names speak the organizer's language; the headers and level names stay the ones
    the import reads, so the file comes back whichever language it was made in.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    words = export_words()
    sheet.title = words("Daftar peserta")
    sheet.append(list(HEADERS))
    sheet.append(list(EXAMPLE_ROW))
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    levels = DataValidation(type="list", formula1='"' + ",".join(LEVEL_LABELS.values()) + '"',
                            allow_blank=False)
    sheet.add_data_validation(levels)
    levels.add("C2:C5000")
    for column, width in zip("ABCD", (16, 48, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet(words("Petunjuk"))
    notes.append(["Baris 2 (kode CONTOH) hanyalah contoh dan tidak pernah diimpor."])
    notes.append(["Row 2 (code CONTOH) is only an example and is never imported."])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ImportReport:
    """What an entrant import would do (or did), or every row that stops it."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, Notice]] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A fingerprint of the planned changes, so confirm applies what was previewed."""
        plan = json.dumps([self.new, self.changed], sort_keys=True, default=str)
        return hashlib.sha256(plan.encode()).hexdigest()
def read_entrant_rows(data: bytes, max_rows: int) -> tuple[list[tuple[int, dict]], ImportReport]:
    """Rows of the uploaded list (row number, fields) and the problems found in them."""
    from openpyxl import load_workbook

    from judging.io.xlsx.safety import WorkbookRefused, check_workbook_file

    try:
        check_workbook_file(data)
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except WorkbookRefused as refusal:
        raise Refused(refusal.message_id, refusal.message_en) from refusal
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise Refused("Buku kerja tidak bisa dibaca; simpan ulang sebagai .xlsx.",
                      "The workbook cannot be read; save it again as .xlsx.") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(v or "").strip().lower() for v in next(rows, ())]
        positions = {}
        for name in HEADERS:
            if name.lower() not in header:
                raise Refused(
                    f"Kolom '{name}' tidak ada di baris pertama. Pakai templat yang disediakan.",
                    f"Column '{name}' is missing from the first row. Use the template provided.",
                )
            positions[name] = header.index(name.lower())
        report, parsed = ImportReport(), []
        for number, row in enumerate(rows, start=2):
            values = {n: _cell(row, positions[n]) for n in HEADERS}
            if not any(values.values()):
                continue
            if len(parsed) >= max_rows:
                raise Refused(f"Daftar lebih dari {max_rows} baris.",
                              f"The list has more than {max_rows} rows.")
            parsed.append((number, values))
        return parsed, report
    finally:
        book.close()


def _cell(row: tuple, index: int) -> str:
    value = row[index] if index < len(row) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _clean_rows(rows: list[tuple[int, dict]], report: ImportReport) -> list[dict]:
    """Checked fields of every non-example row; problems go to the report by row number."""
    seen: dict[str, int] = {}
    cleaned = []
    for number, values in rows:
        if is_example_row(values):
            report.examples.append(number)
            continue
        level = level_from_text(values["Tingkat"]) or ""
        for problem in check_entrant(values["Kode"], values["Nama"], level):
            report.errors.append((number, problem))
        key = values["Kode"].lower()
        if key and key in seen:
            report.errors.append((number, Notice(
                f"Kode '{values['Kode']}' ganda (sudah ada di baris {seen[key]}).",
                f"Duplicate code '{values['Kode']}' (already on row {seen[key]}).",
            )))
        seen.setdefault(key, number)
        cleaned.append({"row": number, "code": values["Kode"], "name": values["Nama"],
                        "level": level, "region": values["Wilayah"]})
    return cleaned


def preview_entrants(organisation_id: int, data: bytes, max_rows: int = 20_000) -> ImportReport:
    """New, changed (with what changes) and unchanged rows of a list; stores nothing."""
    rows, report = read_entrant_rows(data, max_rows)
    cleaned = _clean_rows(rows, report)
    if not cleaned and not report.errors:
        raise Refused("Daftar peserta kosong (baris contoh tidak dihitung).",
                      "The entrant list is empty (the example row does not count).")
    existing = {e.code.lower(): e for e in search_entrants(organisation_id)}
    for values in cleaned:
        entrant = existing.get(values["code"].lower())
        if entrant is None:
            report.new.append(values)
            continue
        changes = {name: [getattr(entrant, name), values[name]]
                   for name in ("name", "level", "region")
                   if getattr(entrant, name) != values[name]}
        target = report.changed if changes else report.unchanged
        target.append({**values, "code": entrant.code, "changes": changes})
    report.created, report.updated = len(report.new), len(report.changed)
    return report


def import_entrants(organisation_id: int, data: bytes, max_rows: int = 20_000,
                    digest: str | None = None) -> ImportReport:
    """Apply a previewed list; refused when the plan differs from the preview's ``digest``."""
    report = preview_entrants(organisation_id, data, max_rows)
    if report.errors:
        return report
    if digest is not None and digest != report.digest:
        raise Refused("Data peserta berubah sejak pratinjau; unggah daftar lagi.",
                      "The entrants changed since the preview; upload the list again.")
    existing = {e.code.lower(): e for e in search_entrants(organisation_id)}
    for values in report.new + report.changed:
        entrant = existing.get(values["code"].lower())
        if entrant is None:
            entrant = Entrant(organisation_id=organisation_id, code=values["code"])
            db.session.add(entrant)
        entrant.name, entrant.level, entrant.region = (
            values["name"], values["level"], values["region"]
        )
    db.session.flush()
    record("entrant.imported", object_type="organisation", object_id=organisation_id,
           after={"created": report.created, "updated": report.updated,
                  "unchanged": len(report.unchanged), "examples_skipped": report.examples,
                  "new": [v["code"] for v in report.new],
                  "changed": {v["code"]: v["changes"] for v in report.changed}})
    return report


def next_entry_code(category: Category) -> str:
    """``<CAT>-001``, one more than the highest number used in the category."""
    codes = db.session.scalars(select(Entry.code).where(Entry.category_id == category.id))
    numbers = [int(m.group(1)) for c in codes if (m := re.search(r"-(\d+)$", c or ""))]
    return f"{category.code}-{max(numbers, default=0) + 1:03d}"


def enrol(category: Category, entrants: list[Entrant], *, nominate: bool = False) -> list[Entry]:
    """Make entries for entrants not yet in the category (others are skipped).

    Drafts the participant fills and submits, or, by nomination, entries the organizer
    assesses itself: submitted from the start, participant evidence optional.
    """
    if category.competition.phase not in ("draft", "open"):
        raise Refused("Peserta hanya bisa didaftarkan sebelum penjurian dimulai.",
                      "Entrants can only be enrolled before judging starts.")
    already = set(db.session.scalars(select(Entry.entrant_id).where(
        Entry.category_id == category.id)))
    created = []
    for entrant in entrants:
        if entrant.organisation_id != category.competition.organisation_id:
            raise Refused("Peserta bukan milik penyelenggara kompetisi ini.",
                          "The entrant does not belong to this competition's organiser.")
        if entrant.id in already:
            continue
        entry = Entry(category_id=category.id, entrant_id=entrant.id,
                      code=next_entry_code(category), status="submitted" if nominate else "draft",
                      nominated=nominate, submitted_at=utcnow() if nominate else None)
        db.session.add(entry)
        db.session.flush()
        already.add(entrant.id)
        created.append(entry)
    if created:
        record("entry.nominated" if nominate else "entry.enrolled", object_type="category",
               object_id=category.id, competition_id=category.competition_id,
               after={"entries": [[e.code, e.entrant_id] for e in created],
                      "nominated": nominate})
    return created

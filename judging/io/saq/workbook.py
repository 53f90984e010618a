"""The SAQ questionnaire as an Excel sheet, the way the Komisi publishes it: one row a question.

Columns: Kode kelompok, Kelompok, Kode, Pertanyaan, Bobot, Jenis jawaban, Pilihan
("Tidak ada=0; Sebagian=50; Lengkap=100"), Target, Data dukung, Petunjuk. Reading checks
the file's safety first and reports every bad row; nothing here knows Flask or the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from judging.io.xlsx.safety import WorkbookRefused, check_workbook_file

HEADERS = ("Kode kelompok", "Kelompok", "Kode", "Pertanyaan", "Bobot", "Jenis jawaban",
           "Pilihan", "Target", "Data dukung", "Petunjuk")
ANSWER_WORDS = {"ya/tidak": "yes_no", "pilihan": "choice", "angka": "number",
                "persen": "percent", "teks": "text"}
EVIDENCE_WORDS = {"tidak perlu": "none", "berkas": "file", "tautan": "url",
                  "berkas/tautan": "either"}
MAX_QUESTIONS = 500
_KEY = re.compile(r"[A-Za-z0-9_.-]{1,60}")


@dataclass(frozen=True)
class SaqRow:
    """One question as read from or written to the sheet (types as stored keys)."""

    group_key: str
    group_label: str
    key: str
    text: str
    weight: float
    answer_type: str
    options: tuple[tuple[str, float], ...] = ()
    target: float | None = None
    evidence_rule: str = "either"
    help_text: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A sheet row that cannot become a question, with the reason in both languages."""

    row: int
    message_id: str
    message_en: str


def write_saq_workbook(title: str, rows: list[SaqRow]) -> bytes:
    """The questionnaire as ``.xlsx`` bytes, readable back by :func:`read_saq_workbook`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from judging.io.xlsx.cells import set_safe

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "SAQ"
    set_safe(sheet, 1, 1, title).font = Font(bold=True, size=13)
    for column, header in enumerate(HEADERS, start=1):
        set_safe(sheet, 2, column, header).font = Font(bold=True)
    answer_words = {v: k for k, v in ANSWER_WORDS.items()}
    evidence_words = {v: k for k, v in EVIDENCE_WORDS.items()}
    for r, row in enumerate(rows, start=3):
        options = "; ".join(f"{label}={_plain(score)}" for label, score in row.options)
        values = (row.group_key, row.group_label, row.key, row.text, row.weight,
                  answer_words[row.answer_type], options, row.target,
                  evidence_words[row.evidence_rule], row.help_text)
        for column, value in enumerate(values, start=1):
            set_safe(sheet, r, column, value)
    for column, width in zip("ABCDEFGHIJ", (14, 28, 10, 60, 8, 14, 40, 8, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _plain(number: float) -> str:
    return f"{number:g}"


def read_saq_workbook(data: bytes) -> tuple[list[SaqRow], list[RowProblem]]:
    """Questions from the first sheet whose header row has the template's columns."""
    check_workbook_file(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise WorkbookRefused("Buku kerja tidak dapat dibaca; simpan ulang dari Excel.",
                              "The workbook cannot be read; re-save it from Excel.") from exc
    try:
        for sheet in workbook.worksheets:
            rows = list(sheet.iter_rows(max_row=MAX_QUESTIONS + 12, values_only=True))
            start = _header_index(rows)
            if start is not None:
                return _parse(rows, start)
    finally:
        workbook.close()
    raise WorkbookRefused(
        "Tidak ada lembar dengan judul kolom templat SAQ (" + ", ".join(HEADERS[:6]) + ").",
        "No sheet has the SAQ template's column headers (" + ", ".join(HEADERS[:6]) + ").")


def _header_index(rows) -> int | None:
    for i, row in enumerate(rows[:10]):
        cells = [str(c or "").strip().casefold() for c in row]
        if all(h.casefold() in cells for h in HEADERS[:6]):
            return i
    return None


def _parse(rows, start: int) -> tuple[list[SaqRow], list[RowProblem]]:
    header = [str(c or "").strip().casefold() for c in rows[start]]
    where = {h: header.index(h.casefold()) for h in HEADERS if h.casefold() in header}
    out, problems, keys = [], [], set()
    for number, raw in enumerate(rows[start + 1:], start=start + 2):
        cells = {h: _cell(raw, i) for h, i in where.items()}
        if not any(cells.values()):
            continue
        try:
            row = _row(cells)
        except ValueError as exc:
            problems.append(RowProblem(number, *exc.args))
            continue
        if row.key in keys:
            problems.append(RowProblem(number, f"Kode '{row.key}' dipakai dua kali.",
                                       f"Code '{row.key}' is used twice."))
            continue
        keys.add(row.key)
        out.append(row)
    if len(out) > MAX_QUESTIONS:
        raise WorkbookRefused(f"Paling banyak {MAX_QUESTIONS} pertanyaan.",
                              f"At most {MAX_QUESTIONS} questions.")
    return out, problems


def _cell(raw, index: int) -> str:
    value = raw[index] if index < len(raw) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _row(cells: dict[str, str]) -> SaqRow:
    group_key, key = cells.get("Kode kelompok", ""), cells.get("Kode", "")
    if not _KEY.fullmatch(group_key) or not _KEY.fullmatch(key):
        raise ValueError("Kode kelompok dan kode pertanyaan wajib diisi (huruf, angka, . _ -).",
                         "Group code and question code are required (letters, digits, . _ -).")
    text = cells.get("Pertanyaan", "")
    if not text:
        raise ValueError("Teks pertanyaan kosong.", "The question text is empty.")
    answer_type = ANSWER_WORDS.get(cells.get("Jenis jawaban", "").casefold())
    if answer_type is None:
        raise ValueError("Jenis jawaban harus salah satu dari: " + ", ".join(ANSWER_WORDS) + ".",
                         "The answer type must be one of: " + ", ".join(ANSWER_WORDS) + ".")
    evidence = EVIDENCE_WORDS.get((cells.get("Data dukung") or "berkas/tautan").casefold())
    if evidence is None:
        raise ValueError("Data dukung harus salah satu dari: " + ", ".join(EVIDENCE_WORDS) + ".",
                         "Evidence must be one of: " + ", ".join(EVIDENCE_WORDS) + ".")
    weight = _number(cells.get("Bobot", ""), "Bobot", "Weight")
    if weight is None or weight <= 0:
        raise ValueError("Bobot harus angka positif.", "The weight must be a positive number.")
    options = _options(cells.get("Pilihan", "")) if answer_type == "choice" else ()
    target = _number(cells.get("Target", ""), "Target", "Target")
    if answer_type == "number" and (target is None or target <= 0):
        raise ValueError("Pertanyaan angka perlu target positif (nilai penuh).",
                         "A number question needs a positive target (full credit).")
    return SaqRow(group_key, cells.get("Kelompok") or group_key, key, text, weight, answer_type,
                  options, target if answer_type == "number" else None, evidence,
                  cells.get("Petunjuk", ""))


def _number(text: str, name_id: str, name_en: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise ValueError(f"{name_id} '{text}' bukan angka.",
                         f"{name_en} '{text}' is not a number.") from exc


def _options(text: str) -> tuple[tuple[str, float], ...]:
    options = []
    for part in (p.strip() for p in text.split(";")):
        label, _, score = part.rpartition("=")
        value = _number(score.strip(), "Skor pilihan", "Option score")
        if not label.strip() or value is None or not 0 <= value <= 100:
            raise ValueError("Pilihan ditulis 'Label=skor; …' dengan skor 0–100.",
                             "Options are written 'Label=score; …' with scores 0–100.")
        options.append((label.strip(), value))
    if len(options) < 2:
        raise ValueError("Pertanyaan pilihan perlu setidaknya dua pilihan.",
                         "A choice question needs at least two options.")
    return tuple(options)

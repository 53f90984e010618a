"""Read an invitation list (xlsx or CSV): name, e-mail, role, entrant code or categories.

Flask-free. Headers are matched in Indonesian or English; each row keeps its sheet row
number so the preview can name rows with errors.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from judging.io.xlsx.safety import WorkbookRefused, check_workbook_file

HEADERS = {
    "name": ("nama", "name", "nama lengkap"),
    "email": ("email", "e-mail", "surel", "alamat email"),
    "role": ("peran", "role"),
    "entrant": ("kode peserta", "kode", "entrant code", "entrant"),
    "categories": ("kategori", "categories", "category"),
    "language": ("bahasa", "language"),
}
ROLES = {
    "juri": "juror", "juror": "juror", "verifikator": "verifier", "verifier": "verifier",
    "peserta": "participant", "participant": "participant",
    "penyelenggara": "organizer", "panitia": "organizer", "organizer": "organizer",
}


@dataclass
class ListRow:
    """One person to invite, as written in the list (validated later against the database)."""

    row: int
    name: str
    email: str
    role: str  # juror / verifier / participant / organizer, or the raw text when unknown
    entrant: str
    categories: list[str]
    language: str


def read_invitation_list(data: bytes, max_rows: int) -> list[ListRow]:
    """Every non-empty row; raises WorkbookRefused when the file or its header is unusable."""
    table = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header_at, columns = _find_header(table)
    rows = []
    for number, values in enumerate(table[header_at + 1:], start=header_at + 2):
        if not any(str(v).strip() for v in values):
            continue
        rows.append(_row(number, values, columns))
        if len(rows) > max_rows:
            raise WorkbookRefused(f"Daftar melebihi {max_rows} baris.",
                                  f"The list has more than {max_rows} rows.")
    return rows


def _cell(values: list, index: int | None) -> str:
    if index is None or index >= len(values):
        return ""
    value = values[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads whole numbers (entrant codes) as floats
    return " ".join(str(value).split())


def _row(number: int, values: list, columns: dict[str, int]) -> ListRow:
    role = _cell(values, columns.get("role")).lower()
    categories = _cell(values, columns.get("categories")).replace(",", ";").split(";")
    return ListRow(
        row=number, name=_cell(values, columns.get("name")),
        email=_cell(values, columns.get("email")).lower(), role=ROLES.get(role, role),
        entrant=_cell(values, columns.get("entrant")),
        categories=[c.strip() for c in categories if c.strip()],
        language=_cell(values, columns.get("language")).lower()[:2],
    )


def _find_header(table: list[list]) -> tuple[int, dict[str, int]]:
    for index, values in enumerate(table[:10]):
        names = [str(v).strip().lower() for v in values]
        columns = {key: names.index(alias) for key, aliases in HEADERS.items()
                   for alias in aliases if alias in names}
        if "email" in columns and "role" in columns:
            return index, columns
    raise WorkbookRefused(
        "Baris judul kolom tidak ditemukan: perlu kolom 'Nama', 'Email' dan 'Peran'.",
        "No header row found: the list needs 'Name', 'Email' and 'Role' columns.")


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list]:
    import python_calamine

    check_workbook_file(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python()
    except python_calamine.CalamineError as error:
        raise WorkbookRefused("Berkas tidak dapat dibaca; simpan ulang dari Excel.",
                              "The file cannot be read; re-save it from Excel.") from error

"""A complaint-handling category with enrolled entrants, workbooks for it, and a database
fingerprint that proves a refused import changed nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, text

from judging.extensions import db
from tests.workbooks import openpyxl_workbook

HEADER = ["Kode", "Nama", "Laporan Masuk", "Ditindaklanjuti", "Selesai", "Selesai Tepat Waktu",
          "Rata-rata Hari Respons"]
ENTRANTS = [("KEL-001", "Kelurahan Lebak Siliwangi"), ("KEL-002", "Kelurahan Dago"),
            ("KEL-003", "Kelurahan Cipaganti")]


class World:
    """The objects a monev test needs, made through the factories."""

    def __init__(self, make, phase: str = "judging"):
        self.organisation = make.organisation()
        self.competition = make.competition(self.organisation, phase=phase)
        self.category = make.category(self.competition, method_key="complaint_handling",
                                      level="kelurahan", code="LAPOR")
        self.entries = {}
        for code, name in ENTRANTS:
            entrant = make.entrant(self.organisation, code=code, name=name)
            self.entries[code] = make.entry(self.category, entrant)
        self.organizer = make.organizer(self.competition, email="org@juara.test")
        make.commit()


def workbook(rows, *, header=HEADER, title_rows: int = 2) -> bytes:
    """A filled office workbook: title rows, then the header, then ``rows``."""
    sheet = [["REKAP SP4N-LAPOR! 2026"]] + [[] for _ in range(title_rows - 1)]
    return openpyxl_workbook([*sheet, list(header), *[list(r) for r in rows]])


GOOD_ROWS = [
    ["KEL-001", "Kelurahan Lebak Siliwangi", 100, 90, 80, 70, 2.5],
    ["KEL-002", "Kelurahan Dago", "1.234", "1.000", 900, 800, "3,25"],
]
BAD_ROW = ["KEL-003", "Kelurahan Cipaganti", 100, 90, 120, 10, 1]  # Selesai > Laporan Masuk


def fingerprint() -> dict:
    """Row counts of every table plus checksums of the monev tables' contents."""
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    sums = {}
    for name, order in (("indicator_values", "entry_id, indicator_key"),
                        ("indicator_changes", "id"), ("import_batches", "id")):
        rows = db.session.execute(text(f"SELECT * FROM {name} ORDER BY {order}")).all()
        sums[name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    db.session.rollback()
    return {"counts": counts, "sums": sums}


def stored_values(world: World) -> dict[tuple[str, str], str]:
    """The category's indicator values as {(entrant code, key): '12.5000'}."""
    from judging.models import IndicatorValue

    by_id = {entry.id: code for code, entry in world.entries.items()}
    rows = db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.entry_id.in_(list(by_id))))
    return {(by_id[v.entry_id], v.indicator_key): str(v.value) for v in rows}

"""Monev import speed: ``preview_monev`` against a bare python-calamine read, one run.

Generates a 100,000-row × 6-indicator workbook (openpyxl write-only, in a temporary
folder) that looks like a real office's: title rows, a "No" column, a few numbers written
as Indonesian text, empty optional cells, some bad rows and a totals row. Then times, best
of ``--repeat``:

* plain: ``CalamineWorkbook.from_filelike(...).get_sheet_by_index(0).iter_rows()``, all rows;
* preview: ``preview_monev`` on the same bytes (safety check, header, matching, parsing,
  range and cross-column checks, duplicates).

Prints both, the ratio preview/plain (target ≤ 2) and each one's peak memory measured as
the max RSS of a fresh subprocess (target for preview < 500 MB; VmHWM, Linux).

    .venv/bin/python bench/import_monev.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import python_calamine  # noqa: E402

from judging.io.monev.reader import preview_monev  # noqa: E402
from judging.scoring.types import Indicator, RowError  # noqa: E402

INDICATORS = (
    Indicator("masuk", "Laporan Masuk", "Reports received", type="int"),
    Indicator("ditindaklanjuti", "Ditindaklanjuti", "Followed up", type="int"),
    Indicator("selesai", "Selesai", "Completed", type="int"),
    Indicator("tindak_lanjut", "Tindak Lanjut (%)", "Followed up (%)", type="percent", max=100),
    Indicator("saq", "Nilai SAQ", "SAQ", max=100, required=False, aliases=("NILAI S.A.Q.",)),
    Indicator("website", "Skor Website", "Website score", max=100, required=False),
)


def entrants(rows: int) -> list[tuple[str, str]]:
    return [(f"KEL-{i:06d}", f"Kelurahan Nomor {i}") for i in range(rows)]


def validate_row(values) -> list[RowError]:
    """The kind of cross-column rule a method adds: completed ≤ received."""
    done, received = values.get("selesai"), values.get("masuk")
    if done is not None and received is not None and done > received:
        return [RowError("selesai", f"{done:g} lebih besar dari 'Laporan Masuk' ({received:g})",
                         f"{done:g} is greater than 'Laporan Masuk' ({received:g})")]
    return []


def generate(path: Path, rows: int) -> None:
    """Write the workbook with openpyxl write-only, as a large office export would be."""
    rng = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Rekap Monev")
    sheet.append(["REKAP MONEV SP4N-LAPOR! 2024"])
    sheet.append(["Sumber: Dinas Kominfo"])
    sheet.append([])
    sheet.append(["No", "Kode", "Nama Kelurahan", *(i.header for i in INDICATORS[:4]),
                  "NILAI S.A.Q.", "Skor Website", "Keterangan"])
    for n, (code, name) in enumerate(entrants(rows), start=1):
        received = rng.randint(0, 5000)
        followed = rng.randint(0, received)
        done = rng.randint(0, followed)
        percent = round(100 * followed / received, 1) if received else 0
        saq = round(rng.uniform(40, 100), 2) if n % 10 else None
        web = round(rng.uniform(0, 100), 2) if n % 7 else None
        row = [n, code, name, received, followed, done, percent, saq, web, None]
        if n % 100 == 0:
            row[3] = f"{received:,}".replace(",", ".")  # typed as Indonesian text
            row[6] = f"{percent}".replace(".", ",") + "%"
        if n % 5000 == 0:
            row[5] = received + 1  # a row the cross-column rule rejects
        sheet.append(row)
    sheet.append(["", "JUMLAH"])
    book.save(path)


def plain_read(data: bytes) -> int:
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def preview(data: bytes, enrolled: list[tuple[str, str]]):
    return preview_monev(data, indicators=INDICATORS, entrants=enrolled,
                         validate_row=validate_row)


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def child(mode: str, path: str, rows: int) -> None:
    """Do one read in this fresh process and print its own peak RSS in kB.

    VmHWM, not ``ru_maxrss``: the latter starts at the parent's size when forked.
    """
    data = Path(path).read_bytes()
    if mode == "plain":
        plain_read(data)
    else:
        preview(data, entrants(rows))
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


def peak_mb(mode: str, path: Path, rows: int) -> float:
    """Peak RSS of a fresh interpreter doing one ``mode`` read (interpreter included)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), "--rows", str(rows)],
        check=True, capture_output=True, text=True,
    )
    return int(out.stdout.split()[-1]) / 1024  # ru_maxrss is in kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "monev.xlsx")
        start = time.perf_counter()
        generate(path, args.rows)
        data = path.read_bytes()
        print(f"workbook: {args.rows:,} rows × {len(INDICATORS)} indicators, "
              f"{len(data) / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s")
        enrolled = entrants(args.rows)
        result = preview(data, enrolled)
        print(f"preview: {len(result.rows):,} valid rows, {len(result.rejected_rows)} rejected, "
              f"{len(result.missing_entrants)} missing, rows_read={result.rows_read:,}")
        plain = best_of(args.repeat, lambda: plain_read(data))
        full = best_of(args.repeat, lambda: preview(data, enrolled))
        print(f"plain calamine read : {plain:6.2f} s")
        print(f"preview_monev       : {full:6.2f} s")
        print(f"ratio               : {full / plain:6.2f}× (target ≤ 2)")
        plain_mb = peak_mb("plain", path, args.rows)
        full_mb = peak_mb("preview", path, args.rows)
        print(f"peak RSS plain      : {plain_mb:6.0f} MB")
        print(f"peak RSS preview    : {full_mb:6.0f} MB (target < 500)")


if __name__ == "__main__":
    main()

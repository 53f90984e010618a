"""A previewed batch in plain lines for the command line, each said once, in one language."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from judging.io.xlsx.numbers import format_number
from judging.monev.previews import PAGE_ROWS, all_rows, changes_in

SHOWN_REJECTED = 100
SHOWN_MISSING = 20
SHOWN_SUGGESTIONS = 50
SHOWN_CHANGES = 50


class Report:
    """Lines about one batch: mapping, gaps, questions, rejections, missing entrants, changes."""

    def __init__(self, batch, indicators, entries: dict, lang: str) -> None:
        self.batch = batch
        self.summary = batch.summary
        self.headers = {i.key: i.header for i in indicators}
        self.entries = entries
        self.lang = lang

    def say(self, message_id: str, message_en: str) -> str:
        return message_en if self.lang == "en" else message_id

    def n(self, value) -> str:
        return format_number(value, self.lang)

    @property
    def needs_attention(self) -> bool:
        """Rejected rows, a required indicator without column, a question, or a proposal."""
        s = self.summary
        return bool(self.batch.rows_rejected or s["questions"]
                    or any(u["required"] for u in s["unmapped"])
                    or any(m["reason"] == "proposed" for m in s["mapping"]))

    def show(self, echo: Callable[[str], None], missing_report: Path | None) -> None:
        s, b = self.summary, self.batch
        echo(self.say(f"Lembar '{s['sheet']}', baris judul {s['header_row']}.",
                      f"Sheet '{s['sheet']}', header row {s['header_row']}."))
        for line in self.mapping_lines():
            echo(line)
        for line in self.gap_lines():
            echo(line)
        echo(self.say(
            f"Baris dibaca: {self.n(b.rows_read)}; cocok: {self.n(b.rows_valid)}; "
            f"ditolak: {self.n(b.rows_rejected)}.",
            f"Rows read: {self.n(b.rows_read)}; matched: {self.n(b.rows_valid)}; "
            f"rejected: {self.n(b.rows_rejected)}."))
        for error in b.errors[:SHOWN_REJECTED]:
            echo("  " + self.say("DITOLAK ", "REJECTED ") + self.say(error["message_id"],
                                                                   error["message_en"]))
        if len(b.errors) > SHOWN_REJECTED:
            rest = self.n(len(b.errors) - SHOWN_REJECTED)
            echo(self.say(f"  … dan {rest} alasan penolakan lainnya (lihat halaman pratinjau).",
                          f"  … and {rest} more rejection reasons (see the preview page)."))
        self.show_missing(echo, missing_report)
        for row, written, code, name in s["suggestions"][:SHOWN_SUGGESTIONS]:
            echo(self.say(f"  Saran baris {row}: '{written}' mungkin {code} '{name}' "
                          "(tidak diterapkan)",
                          f"  Suggestion row {row}: '{written}' may be {code} '{name}' "
                          "(not applied)"))
        self.show_changes(echo)

    def mapping_lines(self) -> list[str]:
        """One line per header of the sheet: what it maps to and why."""
        lines = [self.say("Pemetaan kolom:", "Column mapping:")]
        for m in self.summary["mapping"]:
            text, target, reason = m["text"], m["target"], m["reason"]
            shown = self.headers.get(target, target)
            proposal = self.headers.get(m["proposal"], m["proposal"])
            lines.append("  " + {
                "entrant": self.say(f"'{text}' → {'kode' if target == 'code' else 'nama'} "
                                    "peserta", f"'{text}' → entrant {target}"),
                "exact": self.say(f"'{text}' → {shown} (sinonim persis)",
                                  f"'{text}' → {shown} (exact synonym)"),
                "confirmed": self.say(f"'{text}' → {shown} (dipetakan dengan --map)",
                                      f"'{text}' → {shown} (mapped with --map)"),
                "remembered": self.say(f"'{text}' → {shown} (pemetaan tersimpan kategori ini)",
                                       f"'{text}' → {shown} (remembered for this category)"),
                "proposed": self.say(
                    f"'{text}' → diabaikan; mirip '{proposal}' (skor {m['score']}), belum "
                    f"diterapkan: konfirmasi dengan --map \"{text}={m['proposal']}\"",
                    f"'{text}' → ignored; similar to '{proposal}' (score {m['score']}), not "
                    f"applied: confirm with --map \"{text}={m['proposal']}\""),
                "companion": self.say(
                    f"'{text}' → diabaikan (kolom pendamping '{proposal}', bukan nilainya)",
                    f"'{text}' → ignored (companion of '{proposal}', not its value)"),
                "ignored": self.say(f"'{text}' → diabaikan (pilihan Anda)",
                                    f"'{text}' → ignored (your choice)"),
            }.get(reason, self.say(f"'{text}' → diabaikan (tidak mirip indikator mana pun)",
                                   f"'{text}' → ignored (resembles no indicator)")))
        return lines

    def gap_lines(self) -> list[str]:
        """Indicators without a column (and what that means), and open scale questions."""
        lines = []
        for gap in self.summary["unmapped"]:
            head = self.headers.get(gap["key"], gap["key"])
            lines.append(self.say(
                f"Indikator wajib '{head}' tidak punya kolom: tidak bisa disimpan sebelum "
                "dipetakan (--map).",
                f"Required indicator '{head}' has no column: nothing can be stored until it "
                "is mapped (--map).") if gap["required"] else self.say(
                f"Indikator '{head}' tidak punya kolom: nilai tersimpan tetap dipakai; peserta "
                "tanpa nilai tersimpan dinilai 0.",
                f"Indicator '{head}' has no column: stored values are kept; entrants without "
                "one are scored as 0."))
        for q in self.summary["questions"]:
            (fr_row, fr), (hu_row, hu) = q["example_fraction"], q["example_hundred"]
            lines.append(self.say(
                f"Kolom '{q['header']}' mencampur skala: {self.n(q['fractions'])} sel pecahan "
                f"0–1 (mis. baris {fr_row}: {self.n(fr)}) dan {self.n(q['hundreds'])} sel 0–100 "
                f"(mis. baris {hu_row}: {self.n(hu)}). Jawab dengan --scale {q['key']}=fraction "
                f"(pecahan ×100) atau --scale {q['key']}=as-written.",
                f"Column '{q['header']}' mixes scales: {self.n(q['fractions'])} fraction cells "
                f"(e.g. row {fr_row}: {self.n(fr)}) and {self.n(q['hundreds'])} 0–100 cells "
                f"(e.g. row {hu_row}: {self.n(hu)}). Answer with --scale {q['key']}=fraction "
                f"(fractions ×100) or --scale {q['key']}=as-written."))
        return lines

    def show_missing(self, echo, missing_report: Path | None) -> None:
        missing = self.summary["missing"]
        if missing_report is not None:
            write_missing(missing_report, missing, self.entries)
        if not missing:
            return
        shown = ", ".join(missing[:SHOWN_MISSING])
        echo(self.say(f"Peserta tanpa baris ({self.n(len(missing))}): {shown}",
                      f"Entrants without a row ({self.n(len(missing))}): {shown}"))
        if missing_report is not None:
            echo(self.say(f"  Daftar lengkap ditulis ke {missing_report}.",
                          f"  The full list was written to {missing_report}."))
        elif len(missing) > SHOWN_MISSING:
            rest = self.n(len(missing) - SHOWN_MISSING)
            echo(self.say(f"  … dan {rest} lainnya; daftar lengkap: --missing-report BERKAS.csv",
                          f"  … and {rest} more; the full list: --missing-report FILE.csv"))

    def show_changes(self, echo) -> None:
        s = self.summary
        echo(self.say(f"Nilai baru: {self.n(s['new_values'])}; nilai berubah: "
                      f"{self.n(s['replaced'])}.",
                      f"New values: {self.n(s['new_values'])}; changed values: "
                      f"{self.n(s['replaced'])}."))
        for change in first_replaced(self.batch):
            echo(f"  {change.code} {change.key}: {self.n(change.old)} → {self.n(change.new)}")


def first_replaced(batch, limit: int = SHOWN_CHANGES) -> list:
    """The first ``limit`` values the batch would replace, read page by page."""
    found = []
    rows = []
    for row in all_rows(batch):
        rows.append(row)
        if len(rows) == PAGE_ROWS:
            found.extend(c for c in changes_in(batch, rows) if c.had_value)
            rows = []
            if len(found) >= limit:
                return found[:limit]
    found.extend(c for c in changes_in(batch, rows) if c.had_value)
    return found[:limit]


def write_missing(path: Path, codes: list[str], entries) -> None:
    """Every entrant without a row, as a CSV a spreadsheet opens."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["kode", "nama"])
        for code in codes:
            out.writerow([code, entries[code].name if code in entries else ""])

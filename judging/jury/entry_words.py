"""The scoring page's fixed words, translated once per language (see ``pages/words.py``)."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from judging.i18n import SHEET_STATUSES
from judging.pages import words

WORDS = {
    "scoring": _l("Penilaian"),
    "other_entries": _l("Entri lain"),
    "previous": _l("Sebelumnya"),
    "next": _l("Berikutnya"),
    "position": _l("%(n)s dari %(total)s"),
    "deadline": _l("Batas penilaian"),
    "go_on": _l("Lanjut ke entri berikutnya yang belum selesai"),
    "all_sent": _l("Semua entri di daftar Anda sudah dikirim."),
    "revisit": _l("Penyelenggara meminta Anda meninjau ulang penilaian ini"),
    "evidence": _l("Bukti"),
    "no_evidence": _l("Belum ada bukti."),
    "monev": _l("Data monev"),
    "no_monev": _l("Belum ada data monev."),
    "mark": _l("Nilai"),
    "comment": _l("Komentar"),
    "overall": _l("Catatan umum"),
    "jury_score": _l("Skor juri"),
    "resubmit": _l("Kirim ulang penilaian"),
    "save_draft": _l("Simpan draf"),
    "submit": _l("Kirim penilaian"),
    "conflict": _l("Nyatakan konflik"),
    "withdraw": _l("Tarik kembali ke draf"),
    "withdraw_hint": _l("Penilaian yang ditarik tidak dihitung dalam peringkat sampai Anda "
                        "mengirimnya lagi."),
    "withdraw_confirm": _l("Saya paham penilaian ini keluar dari peringkat sampai saya "
                           "mengirimnya lagi"),
    # the sheet's badge: ``status_draft`` …, as ``label("sheet_status", …)`` names them
    **{f"status_{key}": text for key, text in SHEET_STATUSES.items()},
}


def page_words(lang: str | None = None) -> SimpleNamespace:
    """Every fixed word of the page in the reader's language (``lang``, when known)."""
    return words.page_words("jury.entry", WORDS, lang)

"""The scoring page's fixed words and dates in the reader's language, looked up once a process.

A template's ``_()`` costs a catalogue lookup through Jinja's call machinery each time, about
twenty of them a page; the words are the same for every page in one language, so the page
gets them here already translated (Markup, as ``_()`` gives them to a template).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from judging.i18n import interface_language, localtime

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
}
KEPT_MOMENTS = 1024  # formatted deadlines a process keeps before starting afresh



def page_words() -> dict[str, Markup]:
    """Every fixed word of the page in the reader's language."""
    kept = current_app.extensions.setdefault("jury_page_words", {})
    lang = interface_language()
    found = kept.get(lang)
    if found is None:
        found = kept[lang] = {key: Markup(str(text)) for key, text in WORDS.items()}
    return found


def moment_text(moment: datetime | None, tz_name: str | None) -> str:
    """``localtime`` of a moment many pages show (the judging deadline), formatted once."""
    kept = current_app.extensions.setdefault("jury_page_moments", {})
    key = (moment, tz_name, interface_language())
    found = kept.get(key)
    if found is None:
        if len(kept) >= KEPT_MOMENTS:
            kept.clear()
        found = kept[key] = localtime(moment, tz_name)
    return found

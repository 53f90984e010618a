"""The participant entry page's fixed words, translated once per language (see
``pages/words.py``)."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from judging.i18n import ENTRY_STATUSES
from judging.pages import words

WORDS = {
    "link_address": _l("Alamat tautan"),
    "deadline_passed": _l("Batas waktu sudah lewat"),
    "deadline": _l("Batas waktu"),
    "no_evidence": _l("Belum ada bukti."),
    "other_evidence": _l("Bukti lainnya"),
    "evidence": _l("Bukti"),
    "your_entries": _l("Entri Anda"),
    "changed": _l("Entri diubah setelah dikirim. Kirim ulang agar perubahan tercatat sebagai "
                  "kiriman Anda."),
    "entry": _l("Entri"),
    "delete_confirm": _l("Hapus bukti ini?"),
    "delete": _l("Hapus"),
    "fill_saq": _l("Isi SAQ (kuesioner penilaian mandiri)"),
    "details": _l("Isian entri"),
    "file_types": _l("Jenis berkas"),
    "link_label": _l("Keterangan"),
    "submit": _l("Kirim entri"),
    "resubmit": _l("Kirim ulang"),
    "entry_code": _l("Kode entri"),
    "upload_offline": _l("Koneksi terputus; bukti sebelumnya tetap aman. Coba lagi."),
    "pick_file": _l("Pilih berkas"),
    "save_details": _l("Simpan isian"),
    "status": _l("Status"),
    "add_link": _l("Tambah tautan"),
    "withdraw_confirm": _l("Tarik entri ini? Anda dapat mengirimnya lagi sebelum batas waktu."),
    "withdraw": _l("Tarik entri"),
    "link": _l("Tautan"),
    "upload": _l("Unggah"),
    "upload_failed": _l("Unggahan gagal; bukti sebelumnya tetap aman."),
    "sent": _l("dikirim"),
    "days": _l("hari"),
    "hours": _l("jam"),
    "left": _l("lagi"),
    "minutes": _l("menit"),
    "used_of": _l("%(used)s dari %(quota)s terpakai"),
    "file_max": _l("maksimal %(size)s per berkas"),
    "grace": _l("tenggang %(n)s menit"),
    # the status badge: ``status_draft`` …, as ``label("entry_status", …)`` names them
    **{f"status_{key}": text for key, text in ENTRY_STATUSES.items()},
}


def page_words(lang: str | None = None) -> SimpleNamespace:
    """Every fixed word of the entry page in the reader's language (``lang``, when known)."""
    return words.page_words("participant.entry", WORDS, lang)

"""One place that names stored keys (phases, statuses, levels, states) for the user.

Code and the database keep English keys (``judging``, ``submitted``); pages show these
labels, which follow the interface language. Templates call ``label(kind, key)``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PHASES = {
    "draft": _l("Draf"),
    "open": _l("Pendaftaran"),
    "judging": _l("Penjurian"),
    "moderation": _l("Moderasi"),
    "final": _l("Final"),
    "published": _l("Diumumkan"),
}
ENTRY_STATUSES = {"draft": _l("Draf"), "submitted": _l("Terkirim"), "withdrawn": _l("Ditarik")}
SHEET_STATUSES = {
    "not_started": _l("Belum dinilai"),
    "draft": _l("Draf"),
    "submitted": _l("Terkirim"),
    "revisit": _l("Diminta ditinjau ulang"),
}
LEVELS = {
    "desa": _l("Desa"),
    "kelurahan": _l("Kelurahan"),
    "kecamatan": _l("Kecamatan"),
    "opd": _l("OPD"),
    "kabupaten_kota": _l("Kabupaten/Kota"),
    "badan_publik": _l("Badan Publik"),
}
JOB_STATES = {
    "queued": _l("Menunggu giliran"),
    "running": _l("Berjalan"),
    "done": _l("Selesai"),
    "failed": _l("Gagal"),
}
BATCH_STATES = {
    "previewed": _l("Pratinjau"),
    "committed": _l("Disimpan"),
    "discarded": _l("Dibuang"),
    "rolled_back": _l("Dibatalkan"),
}
SAQ_DECISIONS = {
    "accepted": _l("Diterima"),
    "adjusted": _l("Disesuaikan"),
    "rejected": _l("Ditolak"),
}
OBJECTION_STATUSES = {
    "open": _l("Menunggu keputusan"),
    "upheld": _l("Diterima"),
    "rejected": _l("Ditolak"),
}
SAQ_STATES = {
    "not_started": _l("Belum mulai"),
    "draft": _l("Sedang diisi"),
    "submitted": _l("Terkirim"),
}
# The default award labels a new competition starts with; organizers may type their own,
# which are shown as typed.
AWARDS = {
    "Peringkat Pertama": _l("Peringkat Pertama"),
    "Peringkat Kedua": _l("Peringkat Kedua"),
    "Peringkat Ketiga": _l("Peringkat Ketiga"),
}
KINDS = {
    "phase": PHASES,
    "entry_status": ENTRY_STATUSES,
    "sheet_status": SHEET_STATUSES,
    "level": LEVELS,
    "job_state": JOB_STATES,
    "batch_state": BATCH_STATES,
    "award": AWARDS,
    "saq_decision": SAQ_DECISIONS,
    "objection_status": OBJECTION_STATUSES,
    "saq_state": SAQ_STATES,
}


def label(kind: str, key: str | None) -> str:
    """The user's-language name of a stored key; an unknown key is shown as it is."""
    if key is None:
        return "–"
    if kind == "method":
        return method_label(key)
    found = KINDS[kind].get(key)
    return str(found) if found is not None else key


def method_label(key: str) -> str:
    """A scoring method's own name (plugins carry it in both languages)."""
    from judging.i18n import pick
    from judging.plugin_setup import methods

    try:
        method = methods().get(key)
    except KeyError:
        return key
    return pick(method.label, method.label_en)

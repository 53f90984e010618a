"""Bahasa Indonesia first, English second: the locale, labels of stored keys, dates.

Code and the database keep English keys (``judging``, ``submitted``); pages show the labels
below, which follow the interface language. Templates call ``label(kind, key)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, current_app, has_request_context
from flask.globals import app_ctx, request_ctx
from flask_babel import force_locale, format_date, format_time, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from judging.extensions import babel
from judging.io.xlsx.numbers import format_decimal, format_number, format_size
from judging.io.xlsx.words import Words
from judging.models.competition import DEFAULT_AWARD_LABELS
from judging.scoring.method import threshold_text

TRANSLATIONS = "translations"
LANGUAGES = ("id", "en")
_SPOKEN: ContextVar[str | None] = ContextVar("judging_spoken_language", default=None)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with a per-user locale and add date filters to Jinja."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    babel.init_app(app, locale_selector=_selected_locale,
                   default_translation_directories=TRANSLATIONS)
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["plain_number"] = plain_number
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["decimal"] = decimal
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.globals.update(label=label, pick=pick, weights_text=weights_text,
                                 thresholds_text=thresholds_text, rubric_text=rubric_text,
                                 band_label=band_label)

    @app.before_request
    def choose_locale_early():
        # Signed in: chosen now, while the user row is fresh. A view that commits expires
        # it, and its flash message would otherwise read the row again for the language.
        ctx = request_ctx._get_current_object()
        if "sid" in ctx.session and ctx.request.endpoint != "static":
            get_locale()

    contexts = app.extensions.setdefault("judging.language_contexts", {})

    @app.context_processor
    def language_context():
        # the same for every page in one language: made once per language and app
        locale = str(get_locale())
        found = contexts.get(locale)
        if found is None:
            translations = get_translations()
            gettext = _template_gettext(translations.ugettext)
            # ``_`` is Jinja's alias that looks ``gettext`` up again on every call; bound directly
            found = contexts[locale] = {
                "current_locale": locale, "languages": app.config["LANGUAGES"],
                "gettext": gettext, "_": gettext,
                "ngettext": _template_ngettext(translations.ungettext)}
        return found


def _template_gettext(lookup):
    """Jinja's new-style ``_()`` bound to this request's catalogue.

    Flask-Babel's own looks the catalogue up again on every call (a few dozen a page);
    the rendering is the same: escaped when autoescaping, always %-formatted.
    """

    @pass_context
    def gettext(context, message, /, **variables):
        text = lookup(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text  # what formatting would give, without its cost (most calls)
        return text % variables

    return gettext


def _template_ngettext(lookup):
    """``ngettext`` for ``{% trans count=… %}``, bound like ``_template_gettext``."""

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        text = lookup(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return ngettext


def select_locale() -> str:
    """The user's saved choice, then this session's choice, then Indonesian."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    ctx = request_ctx._get_current_object()  # looked up once: every page asks
    config = ctx.app.config
    languages = config["LANGUAGES"]
    user = app_ctx.g.get("_login_user") or current_user._get_current_object()  # Flask-Login's
    if user.is_authenticated and user.locale in languages:
        return user.locale
    chosen = ctx.session.get("lang")
    if chosen in languages:
        return chosen
    query = ctx.request
    if query.query_string and query.args.get("lang") in languages:
        return query.args["lang"]
    return config["BABEL_DEFAULT_LOCALE"]


_LOCALES: dict[str, Locale] = {}


def _selected_locale() -> Locale:
    """Flask-Babel's selector: :func:`select_locale` as a kept ``Locale`` (no parse per request)."""
    code = select_locale()
    found = _LOCALES.get(code)
    if found is None:
        found = _LOCALES[code] = Locale.parse(code)
    return found


def warm_up() -> None:
    """Load both languages' catalogue and the locale data the formatters use (Babel reads
    each from disk once per process), so no visitor's first page pays for it."""
    moment = datetime(2026, 1, 1, 12, 30, tzinfo=ZoneInfo("UTC"))
    for lang in LANGUAGES:
        _LOCALES.setdefault(lang, Locale.parse(lang))
        with speaking(lang):
            get_translations()
            localtime(moment, "Asia/Jakarta")
            localtime(moment, "Asia/Jakarta", "long")
            number(1234, lang), decimal(-1.5, lang), filesize(1536, lang)


def to_zone(moment: datetime, tz_name: str | None = None) -> datetime:
    """Convert a stored UTC moment to the competition's zone (default Asia/Jakarta)."""
    zone = ZoneInfo(tz_name or current_app.config["DEFAULT_TIMEZONE"])
    return moment.astimezone(zone)


def localtime(moment: datetime | None, tz_name: str | None = None, fmt: str = "medium") -> str:
    """Jinja filter: a UTC moment in the competition's zone, to the minute, with the zone's name.

    "12 Mei 2025 05.56 WIB" / "May 12, 2025 5:56 AM WIB": deadlines never need seconds.
    """
    if moment is None:
        return "–"
    local = to_zone(moment, tz_name)
    naive = local.replace(tzinfo=None)
    day = format_date(naive, fmt, rebase=False)
    return f"{day} {format_time(naive, 'short', rebase=False)} {local.tzname() or ''}".strip()


def pick(message_id, message_en: str | None = None) -> str:
    """The English text when the interface is in English, else the Indonesian one.

    Services carry both languages (``message_id``/``message_en``) because they run outside
    requests; views and templates choose here. Pass the two texts, or one object that has them,
    or a plugin's ``Text`` (its English in ``en``; a plain string is shown as it is).
    """
    if message_en is None and hasattr(message_id, "message_en"):
        message_id, message_en = message_id.message_id, message_id.message_en
    if not message_en:
        message_en = getattr(message_id, "en", None) or None
    if message_en is not None and interface_language() == "en":
        return message_en
    return message_id


def interface_language() -> str:
    """``en`` when the interface (or :func:`speaking`) is in English, else ``id``."""
    spoken = _SPOKEN.get()
    if spoken is not None:
        return spoken
    return "en" if has_request_context() and str(get_locale()) == "en" else "id"


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Everything inside speaks ``lang``: labels, ``pick``, numbers and the catalogue.

    Exports are written in the language of the person who asked, also in a background job
    (which has an app context but no request); an unknown language is Indonesian.
    """
    lang = lang if lang in LANGUAGES else "id"
    token = _SPOKEN.set(lang)
    try:
        with force_locale(lang):
            yield lang
    finally:
        _SPOKEN.reset(token)


def number(value, lang: str | None = None, *, grouping: bool = True) -> str:
    """A number as the reader writes it (the interface language unless ``lang``); None is –."""
    if value is None:
        return "–"
    return format_number(value, lang or interface_language(), grouping=grouping)


def decimal(value, lang: str | None = None, places: int = 2) -> str:
    """Jinja and code: a score with two decimals in the reader's marks (86,31 / 86.31)."""
    if value is None:
        return "–"
    return format_decimal(value, lang or interface_language(), places)


def filesize(size: int | None, lang: str | None = None) -> str:
    """Jinja and code: bytes in the units upload limits are set in ("10 MB", "0 KB")."""
    return format_size(size, lang or interface_language())


def plain_number(value) -> str:
    """Jinja and marks: a mark as 80,5 or 100, always Indonesian, no thousands marks."""
    return number(value, "id", grouping=False)


# -- labels of stored keys ------------------------------------------------------------

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
MESSAGE_STATES = {
    "waiting": _l("Menunggu"),
    "sending": _l("Sedang dikirim"),
    "sent": _l("Terkirim"),
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
AGGREGATIONS = {
    "mean": _l("Rata-rata"),
    "median": _l("Median"),
    "trimmed": _l("Rata-rata terpangkas"),
}
# The default award labels a new competition starts with (kept on the model); organizers may
# type their own, which are shown as typed.
AWARDS = dict(zip(DEFAULT_AWARD_LABELS, (
    _l("Peringkat Pertama"), _l("Peringkat Kedua"), _l("Peringkat Ketiga")), strict=True))
# Words the exports write (headers, sheet names, notes), Indonesian msgid first; the writers in
# ``io/`` look them up by that msgid in the mapping ``export_words()`` gives them.
EXPORT_WORDS = (
    _l("Ringkasan"), _l("Ringkasan Pemenang %(name)s %(year)s"),
    _l("Hasil Penilaian %(name)s %(year)s"),
    _l("dibuat %(moment)s"), _l("Kategori"), _l("Jenjang"), _l("Penghargaan"), _l("Peringkat"),
    _l("Kode"), _l("Peserta"), _l("Nama Peserta"), _l("Nilai Akhir"), _l("Predikat"),
    _l("Penghargaan Khusus"), _l("Jumlah Juri"), _l("Lolos Tahap"), _l("Catatan"), _l("Ya"),
    _l("Tidak"), _l("Metode: %(method)s · Jenjang: %(level)s"), _l("Peringkat %(name)s"),
    _l("Rata-rata Nilai Juri per Kriteria"), _l("Per Kriteria"), _l("Nilai per Juri"),
    _l("Per Juri"), _l("Juri %(n)s"), _l("Kode peserta"), _l("Peringkat %(year)s"),
    _l("Nilai %(year)s"), _l("Perubahan peringkat"), _l("Perubahan nilai"),
    _l("Tahun lalu (%(year)s)"), _l("Nilai %(method)s"), _l("Berubah"), _l("ya"),
    _l("Bagaimana jika (metode)"),
    _l("Dibekukan dengan pengecualian: %(reason)s (data kurang: %(gaps)s)"),
    # the monev and entrant templates' notes and sheet names (header rows stay as read)
    _l("Data Monev"), _l("(satuan / petunjuk)"), _l("bilangan bulat"), _l("angka"),
    _l("persen (0–100)"), _l("minimal %(n)s"), _l("maksimal %(n)s"), _l("wajib"),
    _l("boleh kosong"), _l("Nilai tidak valid"), _l("Daftar peserta"), _l("Petunjuk"),
    # the jury scoring workbook's titles and messages (its header row is read back as is)
    _l("Lembar Penilaian %(name)s"), _l("Lembar Penilaian Juri — %(name)s"),
    _l("Kategori: %(category)s · Juri: %(juror)s · Isi nilai pada kolom kriteria dan "
       "catatan saja; jangan ubah judul kolom atau kode peserta."),
    _l("Nilai tidak sah"), _l("Isi angka 0 sampai %(max)s untuk %(criterion)s."),
    _l("Isi satu baris per peserta. Jangan ubah kolom Kode dan baris judul; tulis angka "
       "tanpa satuan (contoh: 1.234 atau 87,5)."),
)
JOB_KINDS = {
    "certificates.generate": _l("Membuat sertifikat"),
    "certificates.print": _l("Mencetak sertifikat"),
    "competition.final": _l("Menetapkan hasil final"),
    "export.ranking": _l("Ekspor peringkat"),
    "invitations.bulk": _l("Undangan massal"),
    "invitations.resend": _l("Mengirim ulang undangan"),
    "jobs.selftest": _l("Uji pekerjaan latar"),
    "mail.send": _l("Mengirim surel"),
    "monev.preview": _l("Pratinjau impor monev"),
    "monev.commit": _l("Menyimpan impor monev"),
}
SAQ_ANSWER_TYPES = {
    "yes_no": _l("Ya/tidak"),
    "choice": _l("Pilihan"),
    "number": _l("Angka"),
    "percent": _l("Persen"),
    "text": _l("Teks"),
}
SAQ_EVIDENCE_RULES = {
    "none": _l("Tanpa data dukung"),
    "file": _l("Berkas"),
    "url": _l("Tautan"),
    "either": _l("Berkas atau tautan"),
}
MESSAGE_KINDS = {
    "invitation.juror": _l("Undangan juri"),
    "invitation.verifier": _l("Undangan verifikator"),
    "invitation.participant": _l("Undangan peserta"),
    "invitation.organizer": _l("Undangan penyelenggara"),
    "role.granted": _l("Peran baru"),
    "reminder.deadline": _l("Pengingat tenggat"),
    "revisit": _l("Permintaan tinjau ulang"),
    "verification.published": _l("Hasil verifikasi"),
    "objection.resolved": _l("Keputusan sanggahan"),
    "results.published": _l("Hasil diumumkan"),
    "certificate.issued": _l("Sertifikat terbit"),
}
KINDS = {
    "job_kind": JOB_KINDS,
    "message_kind": MESSAGE_KINDS,
    "saq_answer_type": SAQ_ANSWER_TYPES,
    "saq_evidence_rule": SAQ_EVIDENCE_RULES,
    "phase": PHASES,
    "entry_status": ENTRY_STATUSES,
    "sheet_status": SHEET_STATUSES,
    "level": LEVELS,
    "job_state": JOB_STATES,
    "message_status": MESSAGE_STATES,
    "batch_state": BATCH_STATES,
    "award": AWARDS,
    "saq_decision": SAQ_DECISIONS,
    "objection_status": OBJECTION_STATUSES,
    "saq_state": SAQ_STATES,
    "aggregation": AGGREGATIONS,
}


def indonesian(kind: str, key: str) -> str:
    """The Indonesian name of a stored key whatever the interface language (files, exports)."""
    found = KINDS[kind].get(key)
    return found._args[0] if found is not None else key  # Indonesian is the msgid language


def export_words() -> Words:
    """The exports' words in the language spoken now (see :func:`speaking`), for ``io`` writers."""
    return Words({word._args[0]: str(word) for word in EXPORT_WORDS}, interface_language())


def label(kind: str, key: str | None) -> str:
    """The user's-language name of a stored key; an unknown key is shown as it is."""
    if key is None:
        return "–"
    if kind == "method":
        return method_label(key)
    found = KINDS[kind].get(key)
    return str(found) if found is not None else key


def component_names(method_key: str) -> dict[str, str]:
    """A method's weight components by key, in the reader's language ({} if unknown)."""
    method = _method_or_none(method_key)
    return {c.key: pick(c.label, c.label_en) for c in getattr(method, "components", ())}


def threshold_names(method_key: str) -> dict[str, str]:
    """A method's thresholds by key, in the reader's language ({} if unknown)."""
    method = _method_or_none(method_key)
    return {k: pick(threshold_text(v)) for k, v in getattr(method, "threshold_labels", {}).items()}


def weights_text(method_key: str, weights: dict | None) -> str:
    """A category's weights with the method's component names: "Monev 60 %, Juri 40 %"."""
    names = component_names(method_key)
    return ", ".join(f"{names.get(k, k)} {number(v)} %" for k, v in (weights or {}).items()) or "–"


def thresholds_text(method_key: str, thresholds: dict | None) -> str:
    """A category's thresholds with the method's names: "Nilai SAQ minimum untuk lanjut: 65"."""
    names = threshold_names(method_key)
    shown = [f"{names.get(k, k)}: {number(v)}" for k, v in (thresholds or {}).items()]
    return ", ".join(shown) or "–"


def _method_or_none(key: str):
    from judging.plugin_setup import methods

    try:
        return methods().get(key)
    except KeyError:
        return None


def method_label(key: str) -> str:
    """A scoring method's own name (plugins carry it in both languages)."""
    method = _method_or_none(key)
    return pick(method.label, method.label_en) if method is not None else key


def threshold_label(method_key: str, name: str) -> str:
    """A threshold's name in the reader's language ("Minimum SAQ score to advance")."""
    return threshold_names(method_key).get(name, name)


def rubric_text(method_key: str, key: str, stored: str, field: str = "label") -> str:
    """A rubric label or guidance in the reader's language while it is the method's default."""
    method = _method_or_none(method_key)
    return pick(method.rubric_text(key, stored, field) if method else stored)


def band_label(method_key: str, stored: str | None, empty: str | None = "–") -> str | None:
    """A frozen band in the reader's language when the method declares it; else as stored.

    ``empty`` stands for no band: a dash on pages, ``None`` (an empty cell) in exports.
    """
    if not stored:
        return empty
    method = _method_or_none(method_key)
    return pick(method.band_text(stored) if method else stored)

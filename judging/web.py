"""Blueprints, friendly error pages and what every template can see."""

from __future__ import annotations

from flask import Flask, render_template, request, session
from flask.templating import _default_template_ctx_processor
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter, UnicodeConverter

from judging import layout
from judging.extensions import compress

ERRORS = {
    400: (_l("Permintaan tidak valid"), _l("Permintaan tidak dapat diproses.")),
    403: (_l("Akses ditolak"), _l("Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (
        _l("Halaman tidak ditemukan"),
        _l("Halaman yang Anda cari tidak ada atau sudah dipindah."),
    ),
    405: (_l("Metode tidak diizinkan"), _l("Aksi ini tidak tersedia di halaman ini.")),
    409: (_l("Terjadi konflik"), _l("Data sudah diubah oleh orang lain. Muat ulang halaman.")),
    413: (
        _l("Berkas terlalu besar"),
        _l("Berkas yang Anda kirim melebihi batas ukuran. Perkecil berkas lalu coba lagi."),
    ),
    429: (
        _l("Terlalu banyak percobaan"),
        _l("Tunggu sebentar sebelum mencoba lagi."),
    ),
    500: (
        _l("Terjadi kesalahan"),
        _l("Maaf, terjadi kesalahan di server. Tidak ada data Anda yang hilang; coba lagi."),
    ),
}


class IdConverter(IntegerConverter):
    """``<int:…>`` for database ids: ASCII digits up to the largest BIGINT, else 404.

    Werkzeug's own accepts any Unicode digit and any size, which the database then
    refuses with a server error.
    """

    regex = r"[0-9]{1,19}"

    def __init__(self, map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class SegmentConverter(UnicodeConverter):
    """The default ``<…>`` converter, without control characters and at most 255 long."""

    def __init__(self, map, minlength=1, maxlength=255, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def init_app(app: Flask) -> None:
    """Register every area's blueprint, the error pages and the navigation context."""
    app.url_map.converters.update(int=IdConverter, default=SegmentConverter,
                                  string=SegmentConverter)
    from judging.api.blueprint import bp as api_bp
    from judging.auth.blueprint import bp as auth_bp
    from judging.downloads.blueprint import bp as downloads_bp
    from judging.jury.blueprint import bp as jury_bp
    from judging.organizer.blueprint import bp as organizer_bp
    from judging.participant.blueprint import bp as participant_bp
    from judging.public.blueprint import bp as public_bp

    for blueprint in (public_bp, auth_bp, organizer_bp, jury_bp, participant_bp, downloads_bp,
                      api_bp):
        app.register_blueprint(blueprint)

    for code in ERRORS:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)

    init_compression(app)
    layout.init_app(app)
    _once_per_render(app)


def _once_per_render(app: Flask) -> None:
    """Flask's own context processor (``g``, ``request``, ``session``) runs once per render.

    Each blueprint carries a copy of it, so a blueprint's page would run it twice.
    """
    for name, processors in app.template_context_processors.items():
        if name is not None:
            processors[:] = [p for p in processors if p is not _default_template_ctx_processor]


# Text worth compressing; PDFs, workbooks, archives and images are compressed already.
COMPRESSED_TYPES = ["text/html", "text/css", "text/plain", "text/csv", "application/json",
                    "application/javascript", "text/javascript", "image/svg+xml"]


def init_compression(app: Flask) -> None:
    """Brotli or gzip for text above 500 bytes, except HTML that carries a signed-in secret.

    BREACH: a page that holds a secret (the CSRF token of a signed-in session) and echoes
    something an attacker chose leaks the secret through its compressed length. Pages for
    signed-in people are therefore sent uncompressed; anonymous pages (their token is
    replaced at sign-in), JSON, CSS and JS are compressed.
    """
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_STREAMS", False)  # files (send_file) go as stored
    app.config["COMPRESS_REGISTER"] = False
    compress.init_app(app)

    @app.after_request
    def compress_response(response):
        # A sign-in cookie is enough to leave the page alone: asking ``current_user``
        # would read the user row again after the view's commit expired it.
        if response.mimetype == "text/html" and "sid" in session:
            return response
        return compress.after_request(response)


def render_error(error):
    """A friendly page in the user's language for each HTTP error."""
    code = getattr(error, "code", 500) or 500
    title, message = ERRORS.get(code, ERRORS[500])
    description = getattr(error, "description", None)
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return {"error": str(title), "message": str(message)}, code
    custom = description and description != getattr(type(error), "description", None)
    detail = description if custom else None
    return render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail
    ), code


def render_csrf_error(error):
    """A stale or missing form token: nothing was saved; reload and try again."""
    message = _l(
        "Formulir ini sudah kedaluwarsa atau tidak sah. Tidak ada yang disimpan; "
        "muat ulang halaman lalu coba lagi."
    )
    return render_template(
        "errors/error.html", code=400, title=_l("Formulir kedaluwarsa"), message=message,
        detail=None,
    ), 400

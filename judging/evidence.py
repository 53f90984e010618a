"""Evidence glue for the app: one store per app, and the one way evidence is served.

Participants, jurors and organizers all download through :func:`evidence_response`,
so every evidence response carries the same defences: the MIME type from the checked
kind (never the uploader's header), ``nosniff``, a sandboxing CSP, and attachment
unless a juror or organizer opens a PDF or image inline.
"""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from judging.io.files.check import EXTENSIONS, MIMES, OTHER_EXTENSIONS
from judging.io.files.names import content_disposition, with_extension
from judging.io.files.storage import EvidenceStore, store_from_config
from judging.models import Evidence

EXTENSION_KEY = "judging_evidence_store"
INLINE_KINDS = frozenset({"pdf", "png", "jpeg", "webp"})
EVIDENCE_CSP = "default-src 'none'; sandbox"
CHUNK = 256 * 1024


def evidence_store() -> EvidenceStore:
    """The current app's evidence store, built from its config on first use."""
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions[EXTENSION_KEY] = store_from_config(current_app.config)
    return extensions[EXTENSION_KEY]


def download_name(evidence: Evidence, *, anonymous: bool) -> str:
    """The name the browser saves: the original one, or a neutral one for blind judging.

    Its extension always follows the checked kind, so a PDF never saves as ``.html``.
    """
    kind = evidence.file_kind or ""
    extension = EXTENSIONS.get(kind, ".bin")
    if anonymous or not evidence.original_name:
        prefix = f"{evidence.entry.code}-" if anonymous else ""
        return f"{prefix}bukti-{evidence.id}{extension}"
    return with_extension(evidence.original_name, extension, OTHER_EXTENSIONS.get(kind, ()))


def evidence_response(evidence: Evidence, *, inline: bool, anonymous: bool = False) -> Response:
    """Stream a stored evidence file with the headers that keep its content inert.

    ``inline`` is honoured only for PDFs and images; the caller decides who may ask.
    """
    kind = evidence.file_kind or ""
    mime = MIMES.get(kind, "application/octet-stream")
    handle = evidence_store().open(evidence.storage_key)
    response = Response(wrap_file(request.environ, handle, CHUNK), mimetype=mime,
                        direct_passthrough=True)
    if evidence.size is not None:
        response.content_length = evidence.size
    shown = download_name(evidence, anonymous=anonymous)
    response.headers["Content-Disposition"] = content_disposition(
        shown, inline=inline and kind in INLINE_KINDS
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = EVIDENCE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(key: str, name: str, mime: str = "application/octet-stream") -> Response:
    """A file the app made or keeps (job result, certificate, uploaded workbook) as a download."""
    handle = evidence_store().open(key)
    try:
        data = handle.read()
    finally:
        handle.close()
    response = Response(data, mimetype=mime)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

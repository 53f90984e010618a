"""Reading an upload request: files spooled to anonymous temporary files in ``instance/tmp``.

The form is parsed here, not by Flask's default parser, so that (1) file parts land
in the instance folder next to the store, (2) no part is written past the per-file
limit (the rest is read and dropped, so the client still gets an answer), and (3) a
request that fails for any reason leaves nothing behind: the temporary files have no
name and vanish when closed. ``MAX_CONTENT_LENGTH`` still bounds the whole body (413),
whatever ``Content-Length`` claims. CSRF is checked on the parsed form.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import current_app, request
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.formparser import FormDataParser
from wtforms import ValidationError


def wants_json() -> bool:
    """The upload script asks for JSON; a plain form post gets a redirect."""
    return request.accept_mimetypes.best == "application/json"


class CappedFile:
    """A temporary file that keeps at most ``cap`` + 1 bytes and drops the rest.

    One byte over the cap is enough for the content check to refuse the file as too
    large, without the disk ever holding more.
    """

    def __init__(self, handle: BinaryIO, cap: int) -> None:
        self.handle = handle
        self.cap = cap

    def write(self, data: bytes) -> int:
        room = self.cap + 1 - self.handle.tell()
        if room > 0:
            self.handle.write(data[:room])
        return len(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


@dataclass
class UploadForm:
    """The parsed request: text fields and the uploaded files with their spool files."""

    form: MultiDict
    files: MultiDict
    spools: list[CappedFile] = field(default_factory=list)

    def uploads(self, name: str = "file") -> list[tuple[str, BinaryIO]]:
        """(browser-sent name, seekable spool file) of each non-empty file part."""
        parts: list[FileStorage] = self.files.getlist(name)
        return [(part.filename, part.stream.handle) for part in parts if part.filename]


def temp_folder() -> Path:
    """``instance/tmp``: same disk as the local store, cleaned by the OS on close."""
    folder = Path(current_app.instance_path) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def parsed_upload(max_file_bytes: int):
    """Parse the current multipart request, check its CSRF token, yield an UploadForm.

    Every spool file is closed (and so removed) when the block ends, whatever happens.
    """
    folder = temp_folder()
    spools: list[CappedFile] = []

    def factory(total_content_length, content_type, filename, content_length=None):
        spool = CappedFile(tempfile.TemporaryFile(dir=folder), max_file_bytes)
        spools.append(spool)
        return spool

    parser = FormDataParser(
        stream_factory=factory,
        max_form_memory_size=request.max_form_memory_size,
        max_content_length=request.max_content_length,
        max_form_parts=request.max_form_parts,
        cls=MultiDict,
    )
    try:
        _stream, form, files = parser.parse(
            request.stream, request.mimetype, request.content_length, request.mimetype_params
        )
        _check_csrf(form)
        yield UploadForm(form, files, spools)
    finally:
        for spool in spools:
            spool.handle.close()


def _check_csrf(form: MultiDict) -> None:
    token = form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(exc.args[0] if exc.args else None) from exc

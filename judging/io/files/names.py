"""Uploaded file names, made safe to show and to put in a download header.

The name a participant's browser sends is never used to store anything (evidence is
stored under its content hash); it is kept only so people recognise their files.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

FALLBACK = "berkas"
MAX_LENGTH = 120
MAX_EXTENSION = 10

# Invisible characters that reorder or hide text ("invoice\u202efdp.exe" shows as
# "invoiceexe.pdf"); removed along with every control character.
_HIDDEN = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DRIVE = re.compile(r"^[A-Za-z]:")
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(rf"\.[A-Za-z0-9]{{1,{MAX_EXTENSION}}}$")


def display_name(raw: str) -> str:
    """Return the last path part of ``raw`` without hidden or control characters.

    Browsers and scripts may send full paths, ``../`` parts, NUL bytes or bidi overrides;
    what remains is a short, one-line NFC name that is never empty.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _DRIVE.sub("", name)
    name = "".join(ch for ch in _SPACES.sub(" ", name) if _visible(ch))
    name = _SPACES.sub(" ", name).strip(" .")
    return _shorten(name) or FALLBACK


def content_disposition(name: str, inline: bool = False) -> str:
    """Build a ``Content-Disposition`` value (RFC 6266) that every browser reads safely.

    ``filename`` carries an ASCII fallback for old clients; ``filename*`` (RFC 5987)
    carries the real UTF-8 name, so Indonesian names with accents survive.
    """
    shown = display_name(name)
    disposition = "inline" if inline else "attachment"
    fallback = ascii_fallback(shown)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(shown, safe='')}"


def with_extension(name: str, extension: str, also: tuple[str, ...] = ()) -> str:
    """``name`` ending in ``extension`` (the kind the content check found), never another.

    "laporan.pdf" stays, "ok-as-html.html" becomes "ok-as-html.pdf", "x.pdf.html"
    becomes "x.pdf"; a number after the last dot ("Laporan v1.2") is kept, not taken for
    an extension. ``also`` lists other spellings that may stay (".jpeg" for ".jpg").
    """
    shown = display_name(name)
    accepted = {extension.lower(), *(a.lower() for a in also)}
    for _ in range(2):
        match = _EXTENSION.search(shown)
        if not match or not any(ch.isalpha() for ch in match.group(0)):
            break
        if match.group(0).lower() in accepted:
            return shown
        shown = shown[: match.start()].rstrip(" .")
    return _shorten((shown or FALLBACK) + extension)


def ascii_fallback(name: str) -> str:
    """Return an ASCII-only version of a display name, safe inside double quotes."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = "".join(ch if ch.isprintable() and ch not in '"\\' else "_" for ch in folded)
    folded = _SPACES.sub(" ", folded).strip()
    match = _EXTENSION.search(folded)
    extension = match.group(0) if match else ""
    if not folded[: len(folded) - len(extension)].strip(" ._"):
        return FALLBACK + extension.lower()
    return folded.strip(" .")


def _visible(ch: str) -> bool:
    return ch not in _HIDDEN and unicodedata.category(ch) not in ("Cc", "Cs")


def _shorten(name: str) -> str:
    if len(name) <= MAX_LENGTH:
        return name
    match = _EXTENSION.search(name)
    extension = match.group(0) if match else ""
    stem = name[: MAX_LENGTH - len(extension)].rstrip(" .")
    return stem + extension if stem else name[:MAX_LENGTH]

"""Find PDFs and images that are also something else, or PDFs that act when opened.

A PDF reader skips bytes it does not understand and an image decoder stops at its end
marker, while a browser or another tool reading the same bytes may find a web page. So
markup anywhere in the file, text before ``%PDF-``, and JavaScript or launch actions
(also inside compressed object streams) are reported here and refused by the caller.
"""

from __future__ import annotations

import re
import zlib
from typing import BinaryIO

CHUNK = 1024 * 1024
OVERLAP = 64  # longer than any tag or name looked for, even hex-escaped
HTML = re.compile(rb"<(html|head|body|script|svg|iframe|!doctype)[\s>/]", re.I)
_PDF_WHITESPACE = b" \t\r\n\x00\x0c"
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Names that start actions: scripts, launching programs, actions on open/close/focus.
_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|AA)(?![^\s/<>\[\]()%{}])")
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"\bobj\b")
_DICT_WINDOW = 4096


def markup_anywhere(stream: BinaryIO) -> bool:
    """True when HTML-like tags appear anywhere in the stream, read chunk by chunk."""
    stream.seek(0)
    carry = b""
    while chunk := stream.read(CHUNK):
        if HTML.search(carry + chunk):
            return True
        carry = chunk[-OVERLAP:]
    return False


def pdf_problem(stream: BinaryIO, max_unpacked: int) -> str | None:
    """``"polyglot"``, ``"active"``, ``"unreadable"``, ``"bomb"`` or ``None`` for a clean PDF.

    The whole PDF is read into memory: uploads are bounded by the evidence size limit.
    """
    stream.seek(0)
    data = stream.read()
    start = data.find(b"%PDF-")
    if data[:start].strip(_PDF_WHITESPACE) or HTML.search(data):
        return "polyglot"
    structure, object_streams = _split_streams(data)
    if _ACTIVE.search(unescape_names(structure)):
        return "active"
    return _object_streams_problem(object_streams, max_unpacked)


def unescape_names(data: bytes) -> bytes:
    """Undo ``#xx`` escapes, so ``/J#61vaScript`` reads as ``/JavaScript``."""
    if b"#" not in data:
        return data
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _split_streams(data: bytes) -> tuple[bytes, list[tuple[bool, memoryview]]]:
    """The PDF without its stream bodies, and the bodies of its object streams.

    Stream bodies (compressed pages, images) are left out of the name search, where
    random bytes could spell ``/JS``; a body ends at the first ``endstream`` whatever
    its ``/Length`` claims, so a lying length cannot hide objects from the search.
    """
    view = memoryview(data)
    parts, object_streams, position = [], [], 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        parts.append(view[position:match.end()])
        head = _stream_dictionary(data, match.start())
        if b"/ObjStm" in head:
            object_streams.append((b"/Filter" in head, view[match.end():end]))
        position = end
    parts.append(view[position:])
    return b"".join(parts), object_streams


def _object_streams_problem(object_streams, max_unpacked: int) -> str | None:
    """Inflate every object stream (compressed dictionaries) and look for actions inside."""
    budget = max_unpacked
    for compressed, body in object_streams:
        inside = bytes(body)
        if compressed:
            inflater = zlib.decompressobj()
            try:
                inside = inflater.decompress(body, budget + 1)
            except zlib.error:
                return "unreadable"
            if len(inside) > budget:
                return "bomb"
            if not inflater.eof:
                return "unreadable"
            budget -= len(inside)
        if _ACTIVE.search(unescape_names(inside)):
            return "active"
    return None


def _stream_dictionary(data: bytes, stream_at: int) -> bytes:
    """The object header and dictionary in front of a ``stream`` keyword, names unescaped."""
    window = data[max(0, stream_at - _DICT_WINDOW):stream_at]
    starts = [m.end() for m in _OBJ.finditer(window)]
    return unescape_names(window[starts[-1]:] if starts else window)

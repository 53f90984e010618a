"""Certificate PDFs from plain values: one, a printable batch, or many in parallel.

The app layer turns frozen results into ``CertificateContext`` values (never ORM
objects) and names the files a certificate may show in ``resources``; this module
renders them. Rendering is sandboxed (Jinja) and allowlisted (URL fetcher), so text
typed by users can neither run template code nor make WeasyPrint read a file or URL.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from judging.io.certificates import render as cert_render
from judging.io.certificates.fetcher import FetchAttempt

__all__ = [
    "CertificateContext",
    "CertificateDesign",
    "CertificateError",
    "FetchAttempt",
    "Signatory",
    "available_layouts",
    "render_batch",
    "render_certificate",
    "render_each",
]

Resources = dict[str, bytes | Path]
KINDS = ("winner", "participation")
MAX_SIGNATORIES = 3
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

available_layouts = cert_render.available_layouts


class CertificateError(ValueError):
    """Bad certificate input, with the message in Indonesian and English."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


@dataclass(frozen=True)
class Signatory:
    """One person signing; ``signature_image`` is a resource name, not a path or URL."""

    name: str
    position: str
    signature_image: str | None = None

    def __post_init__(self):
        _require_text(self, ("name", "position"), optional=("signature_image",))


@dataclass(frozen=True)
class CertificateContext:
    """Everything one certificate shows, as plain values."""

    serial: str
    verification_code: str
    verify_url: str
    organiser_name: str
    organiser_logo: str | None
    competition_name: str
    category_name: str
    entrant_name: str
    award: str
    band: str | None
    kind: str
    place: str
    date_text: str
    signatories: list[Signatory] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    sample: bool = False  # a design preview: watermarked "CONTOH", never issued

    def __post_init__(self):
        _require_text(self, _CONTEXT_TEXT, optional=("organiser_logo", "band"))
        if self.kind not in KINDS:
            raise CertificateError(
                f"Jenis sertifikat tidak dikenal: {self.kind!r} (winner/participation).",
                f"Unknown certificate kind: {self.kind!r} (winner/participation).",
            )
        if len(self.signatories) > MAX_SIGNATORIES or not all(
            isinstance(s, Signatory) for s in self.signatories
        ):
            raise CertificateError(
                f"Sertifikat memuat paling banyak {MAX_SIGNATORIES} penanda tangan.",
                f"A certificate has at most {MAX_SIGNATORIES} signatories.",
            )
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in self.extra.items()):
            raise CertificateError(
                "Keterangan tambahan harus berupa teks.", "Extra lines must be text."
            )


_CONTEXT_TEXT = (
    "serial", "verification_code", "verify_url", "organiser_name", "competition_name",
    "category_name", "entrant_name", "award", "kind", "place", "date_text",
)


@dataclass(frozen=True)
class CertificateDesign:
    """The organizer's choice of layout and colours; colours go into CSS, so hex only."""

    layout: str = "klasik"
    primary_colour: str = "#0b4f6c"
    accent_colour: str = "#c9a227"

    def __post_init__(self):
        if self.layout not in available_layouts():
            raise CertificateError(
                f"Tata letak sertifikat tidak dikenal: {self.layout!r}.",
                f"Unknown certificate layout: {self.layout!r}.",
            )
        for colour in (self.primary_colour, self.accent_colour):
            if not isinstance(colour, str) or not _HEX_COLOUR.fullmatch(colour):
                raise CertificateError(
                    f"Warna harus berupa kode hex seperti #0b4f6c, bukan {colour!r}.",
                    f"A colour must be a hex code such as #0b4f6c, not {colour!r}.",
                )


def _require_text(obj, names, optional=()) -> None:
    for name in (*names, *optional):
        value = getattr(obj, name)
        if not isinstance(value, str) and not (name in optional and value is None):
            raise CertificateError(
                f"Isian sertifikat {name!r} harus berupa teks.",
                f"Certificate field {name!r} must be text.",
            )


def render_certificate(
    ctx: CertificateContext,
    design: CertificateDesign,
    *,
    resources: Resources,
    fetch_log: list[FetchAttempt] | None = None,
) -> bytes:
    """One certificate as a PDF, e.g. a participant's download or the organizer's preview."""
    return render_batch([ctx], design, resources=resources, fetch_log=fetch_log)


def render_batch(
    ctxs: Sequence[CertificateContext],
    design: CertificateDesign,
    *,
    resources: Resources,
    fetch_log: list[FetchAttempt] | None = None,
) -> bytes:
    """One PDF, one certificate a page, for printing a whole batch at once."""
    if not ctxs:
        raise CertificateError("Tidak ada sertifikat untuk dicetak.", "No certificates to print.")
    html = cert_render.document_html(ctxs, design)
    return cert_render.write_pdf(html, resources, attempts=fetch_log)


def render_each(
    ctxs: Sequence[CertificateContext],
    design: CertificateDesign,
    *,
    resources: Resources,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """One PDF per certificate, in order, spread over the CPU cores for big batches.

    ``progress(done, total)`` is called in this process as chunks finish.
    """
    ctxs = list(ctxs)
    workers = min(workers or _cpu_count(), len(ctxs))
    if workers <= 1:
        return _render_serial(ctxs, design, resources, progress)
    return _render_parallel(ctxs, design, resources, workers, progress)


def _render_serial(ctxs, design, resources, progress) -> list[bytes]:
    cache: dict = {}
    pdfs = []
    for ctx in ctxs:
        html = cert_render.document_html([ctx], design)
        pdfs.append(cert_render.write_pdf(html, resources, cache=cache))
        if progress:
            progress(len(pdfs), len(ctxs))
    return pdfs


def _render_parallel(ctxs, design, resources, workers, progress) -> list[bytes]:
    size = max(1, min(25, math.ceil(len(ctxs) / (workers * 4))))
    chunks = [ctxs[i : i + size] for i in range(0, len(ctxs), size)]
    results: list[list[bytes] | None] = [None] * len(chunks)
    done = 0
    with ProcessPoolExecutor(
        workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(design, resources)
    ) as pool:
        pending = {pool.submit(_render_chunk, chunk): i for i, chunk in enumerate(chunks)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                if future.exception() is not None:
                    pool.shutdown(cancel_futures=True)
                    raise future.exception()
                results[index] = future.result()
                done += len(chunks[index])
                if progress:
                    progress(done, len(ctxs))
    return [pdf for chunk in results for pdf in chunk]


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _mp_context():
    # A single-threaded parent (job worker, CLI, bench) forks: the children start warm,
    # with WeasyPrint imported and fonts loaded. A threaded parent (web server) must not
    # fork mid-lock, so its workers come from a forkserver that imported WeasyPrint once.
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["judging.io.certificates.pdfs"])
    return context


_worker_state: dict = {}


def _init_worker(design: CertificateDesign, resources: Resources) -> None:
    """Per-worker set-up: the design and resources arrive once, images are cached."""
    _worker_state.update(design=design, resources=resources, cache={})


def _render_chunk(ctxs: list[CertificateContext]) -> list[bytes]:
    state = _worker_state
    return [
        cert_render.write_pdf(
            cert_render.document_html([ctx], state["design"]),
            state["resources"],
            cache=state["cache"],
        )
        for ctx in ctxs
    ]

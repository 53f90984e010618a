"""Certificate engine: sandboxed Jinja → HTML → WeasyPrint → PDF bytes.

Works on plain values only (the dataclasses in ``certificates``); knows nothing of
Flask or the database. Per-process state (the font configuration, the compiled
templates) is built once and reused, so a worker pays the set-up cost once. WeasyPrint
itself is imported by the first render, never at start-up (it costs seconds).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from pathlib import Path

import segno
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from judging.io.certificates.fetcher import resource_url

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates" / "certificates"


def harfbuzz_subset_available() -> bool:
    """Whether fast font subsetting works (without it a certificate takes ~8× longer)."""
    import ctypes.util

    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None and ctypes.util.find_library("harfbuzz-subset") is not None

_env = ImmutableSandboxedEnvironment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@functools.cache
def available_layouts() -> tuple[str, ...]:
    """Layout names an organizer may pick: the non-partial templates in the folder."""
    return tuple(sorted(p.stem for p in TEMPLATE_DIR.glob("*.html") if p.name[0] != "_"))


@functools.cache
def _font_config():
    """WeasyPrint's font configuration, made once per process; warns when subsetting is slow."""
    from weasyprint.text.fonts import FontConfiguration

    if not harfbuzz_subset_available():
        log.warning(
            "libharfbuzz-subset not found: WeasyPrint falls back to a much slower font "
            "subsetter (install the Debian package libharfbuzz-subset0)"
        )
    return FontConfiguration()


def document_html(ctxs, design) -> str:
    """One self-contained HTML document, one certificate a page, in ``design``'s layout."""
    template = _env.get_template(f"{design.layout}.html")
    return template.render(
        design=dataclasses.asdict(design),
        certificates=[_page_values(ctx, design) for ctx in ctxs],
    )


def _page_values(ctx, design) -> dict:
    values = dataclasses.asdict(ctx)
    values["qr_svg"] = _qr_svg(ctx.verify_url, design.primary_colour)
    values["logo_url"] = resource_url(ctx.organiser_logo) if ctx.organiser_logo else None
    for signatory in values["signatories"]:
        image = signatory["signature_image"]
        signatory["image_url"] = resource_url(image) if image else None
    return values


@functools.lru_cache(maxsize=1024)
def _qr_svg(url: str, colour: str) -> Markup:
    # segno draws the modules as one path; the URL itself never reaches the markup.
    svg = segno.make(url, error="m").svg_inline(
        border=2, dark=colour, light="#ffffff", omitsize=True, svgclass="qr", lineclass=None
    )
    return Markup(svg)


def write_pdf(html: str, resources, *, attempts: list | None = None, cache=None) -> bytes:
    """Render ``html`` with the allowlisted fetcher; the PDF carries no attachments."""
    from weasyprint import HTML

    from judging.io.certificates.fetcher import ResourceFetcher

    fetcher = ResourceFetcher(resources, attempts)
    document = HTML(string=html, url_fetcher=fetcher).render(
        font_config=_font_config(), cache=cache
    )
    _drop_attachments(document)
    return document.write_pdf(attachments=None)


def _drop_attachments(document) -> None:
    # Templates never ask for attachments; this makes sure no markup can.
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]

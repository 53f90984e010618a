"""A competition's certificate design: layout, colours, wording, signatories and images.

Stored as plain JSON in ``competition.certificate_design``; images (logo, signatures)
are checked by content and kept in the evidence store, the JSON holding only their
keys. Rendering gets them back as an allowlist of named resources. A competition
without its own logo shows its organising body's, unless the organizer removed it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from babel.dates import format_date

from judging.audit import record
from judging.evidence import evidence_store
from judging.io.certificates.pdfs import (
    MAX_SIGNATORIES,
    CertificateDesign,
    CertificateError,
    Signatory,
)
from judging.io.files.check import EXTENSIONS, MB, FileRefused, inspect_upload, sniff
from judging.io.files.storage import MissingEvidence
from judging.models import Competition, Organisation
from judging.refusals import Refused

IMAGE_KINDS = ("png", "jpeg", "webp")
MAX_IMAGE_BYTES = 2 * MB
TEXT_LIMIT = 200


@dataclass(frozen=True)
class StoredImage:
    """An uploaded image: its evidence-store key and checked kind."""

    key: str
    kind: str

    def resource_name(self, stem: str) -> str:
        """The allowlisted name templates use, e.g. ``logo.png``."""
        return stem + EXTENSIONS[self.kind]


@dataclass(frozen=True)
class SignatorySetting:
    """One signatory as the organizer entered them."""

    name: str
    position: str
    image: StoredImage | None = None


@dataclass(frozen=True)
class DesignSettings:
    """Everything an organizer chooses about the look of a competition's certificates."""

    layout: str = "klasik"
    primary_colour: str = "#0b4f6c"
    accent_colour: str = "#c9a227"
    place: str = ""
    date_text: str = ""
    organiser_name: str = ""
    signatories: tuple[SignatorySetting, ...] = field(default_factory=tuple)
    logo: StoredImage | None = None
    use_body_logo: bool = True  # False once the organizer removes the logo

    def engine_design(self) -> CertificateDesign:
        """The engine's validated design (layout and colours)."""
        return CertificateDesign(self.layout, self.primary_colour, self.accent_colour)


def design_settings(competition: Competition) -> DesignSettings:
    """The saved design, defaults where nothing was chosen (tolerates old or partial JSON)."""
    data = dict(competition.certificate_design or {})
    defaults = DesignSettings()
    people = tuple(
        SignatorySetting(str(p.get("name", "")), str(p.get("position", "")), _image(p.get("image")))
        for p in data.get("signatories") or [] if isinstance(p, dict)
    )[:MAX_SIGNATORIES]
    logo = _image(data.get("logo"))
    use_body_logo = data.get("use_body_logo", True) is not False
    if logo is None and competition.logo_key:
        logo = StoredImage(competition.logo_key, str(data.get("logo_kind") or "png"))
    if logo is None and use_body_logo:
        logo = body_logo(competition.organisation)
    return DesignSettings(
        layout=str(data.get("layout") or defaults.layout),
        primary_colour=str(data.get("primary_colour") or defaults.primary_colour),
        accent_colour=str(data.get("accent_colour") or defaults.accent_colour),
        place=str(data.get("place") or ""),
        date_text=str(data.get("date_text") or ""),
        organiser_name=str(data.get("organiser_name") or ""),
        signatories=people,
        logo=logo,
        use_body_logo=use_body_logo,
    )


def body_logo(organisation: Organisation | None) -> StoredImage | None:
    """The organising body's logo, its kind read from the stored bytes; None without one."""
    if organisation is None or not organisation.logo_key:
        return None
    try:
        handle = evidence_store().open(organisation.logo_key)
    except MissingEvidence:
        return None
    try:
        kind = sniff(handle.read(16))
    finally:
        handle.close()
    return StoredImage(organisation.logo_key, kind) if kind in IMAGE_KINDS else None


def _image(value) -> StoredImage | None:
    if isinstance(value, dict) and value.get("key") and value.get("kind") in IMAGE_KINDS:
        return StoredImage(str(value["key"]), str(value["kind"]))
    return None


def save_design(competition: Competition, settings: DesignSettings) -> None:
    """Validate and store a design, audited; refuses bad layouts, colours or too much text."""
    try:
        settings.engine_design()
    except CertificateError as error:
        raise Refused(error.message_id, error.message_en) from None
    if len(settings.signatories) > MAX_SIGNATORIES:
        raise Refused(
            f"Paling banyak {MAX_SIGNATORIES} penanda tangan.",
            f"At most {MAX_SIGNATORIES} signatories.",
        )
    texts = [settings.place, settings.date_text, settings.organiser_name]
    texts += [t for s in settings.signatories for t in (s.name, s.position)]
    if any(len(t) > TEXT_LIMIT for t in texts):
        raise Refused(
            f"Teks pada sertifikat paling panjang {TEXT_LIMIT} karakter per isian.",
            f"Certificate text is limited to {TEXT_LIMIT} characters per field.",
        )
    before = competition.certificate_design or {}
    after = asdict(settings)
    after["signatories"] = list(after["signatories"])
    competition.certificate_design = after
    competition.logo_key = settings.logo.key if settings.logo else None
    body = competition.organisation
    if settings.logo and body is not None and not body.logo_key:
        body.logo_key = settings.logo.key  # the body's first logo: its next competitions reuse it
    record("certificates.design", object_type="competition", object_id=competition.id,
           competition_id=competition.id, before=before, after=after)


def store_image(stream: BinaryIO) -> StoredImage:
    """Check an uploaded logo or signature by content (PNG, JPEG, WebP) and store it."""
    try:
        checked = inspect_upload(stream, allowed_kinds=IMAGE_KINDS, max_bytes=MAX_IMAGE_BYTES)
    except FileRefused as refusal:
        raise Refused(refusal.message_id, refusal.message_en) from None
    return StoredImage(evidence_store().put(stream), checked.kind)


def resources(settings: DesignSettings) -> dict[str, bytes]:
    """The images a certificate may show, by allowlisted name; nothing else is fetchable."""
    wanted = {}
    if settings.logo:
        wanted[settings.logo.resource_name("logo")] = settings.logo.key
    for index, person in enumerate(settings.signatories, start=1):
        if person.image:
            wanted[person.image.resource_name(f"ttd-{index}")] = person.image.key
    store = evidence_store()
    found = {}
    for name, key in wanted.items():
        handle = store.open(key)
        try:
            found[name] = handle.read()
        finally:
            handle.close()
    return found


def signatories(settings: DesignSettings) -> list[Signatory]:
    """The engine's signatories, images named as in :func:`resources`."""
    return [
        Signatory(p.name, p.position,
                  p.image.resource_name(f"ttd-{i}") if p.image else None)
        for i, p in enumerate(settings.signatories, start=1)
    ]


def logo_name(settings: DesignSettings) -> str | None:
    """The logo's resource name, or None when the competition has no logo."""
    return settings.logo.resource_name("logo") if settings.logo else None


def date_text(settings: DesignSettings, issued_at: datetime, timezone: str) -> str:
    """The date printed: the organizer's own text, else the issue date in Indonesian."""
    if settings.date_text:
        return settings.date_text
    local = issued_at.astimezone(ZoneInfo(timezone or "Asia/Jakarta"))
    return format_date(local.date(), format="d MMMM y", locale="id")


def warm_up(absent) -> None:
    """Compile the body's read behind the public page's logo before a worker's first request."""
    absent(Competition).organisation  # noqa: B018 - the lazy load is what is compiled

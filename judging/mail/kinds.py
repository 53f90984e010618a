"""Every kind of message Juara sends: its template, its subject, and whether it may be refused."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A message kind; ``reminder`` kinds are skipped for people who turned reminders off."""

    key: str
    template: str
    subject: object  # lazy msgid with %(competition)s-style placeholders
    reminder: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (other services register theirs, e.g. SAQ); duplicate keys are refused."""
    if kind.key in KINDS and KINDS[kind.key] != kind:
        raise ValueError(f"message kind {kind.key!r} registered twice")
    KINDS[kind.key] = kind
    return kind


INVITATION_ROLES = ("juror", "verifier", "participant", "organizer")

for _role, _subject in (
    ("juror", _l("Undangan menjadi juri %(competition)s")),
    ("verifier", _l("Undangan menjadi verifikator %(competition)s")),
    ("participant", _l("Undangan menjadi peserta %(competition)s")),
    ("organizer", _l("Undangan menjadi penyelenggara %(competition)s")),
):
    register(Kind(f"invitation.{_role}", "invitation", _subject))

register(Kind("role.granted", "role_granted", _l("Peran baru di Juara: %(competition)s")))
register(Kind("reminder.deadline", "reminder", _l("Pengingat tenggat: %(deadline)s"),
              reminder=True))
register(Kind("revisit", "revisit", _l("Diminta ditinjau ulang: %(competition)s")))
register(Kind("verification.published", "verification_published",
              _l("Hasil verifikasi diterbitkan: %(competition)s")))
register(Kind("objection.resolved", "objection_resolved",
              _l("Sanggahan Anda telah diputuskan: %(competition)s")))
register(Kind("results.published", "results_published",
              _l("Hasil diumumkan: %(competition)s")))
register(Kind("certificate.issued", "certificate_issued",
              _l("Sertifikat Anda sudah terbit: %(competition)s")))

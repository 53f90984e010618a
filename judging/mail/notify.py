"""Messages for the events people must hear about, recorded in the caller's transaction.

They go out after it commits (``outgoing``); views that want the job itself use ``send_later``.
"""

from __future__ import annotations

from judging.extensions import db
from judging.jobs import enqueue
from judging.mail.compose import compose
from judging.mail.kinds import INVITATION_ROLES
from judging.mail.outgoing import forget
from judging.models import Job, Message, User
from judging.urls import external_url


def invitation(invited, role: str, what: str, *, competition_id: int | None = None,
               organisation_id: int | None = None) -> Message | None:
    """The set-password link when one was made, else the notice that a role was granted.

    ``invited`` is the organizer's ``Invited`` result; its link rules are decided there.
    """
    if role not in INVITATION_ROLES:
        raise ValueError(f"unknown invitation role {role!r}")
    scope = {"competition_id": competition_id, "organisation_id": organisation_id}
    if invited.link:
        return compose(f"invitation.{role}", invited.user,
                       {"role": role, "competition": what, "link": invited.link,
                        "expires": invited.expires_at}, **scope)
    return compose("role.granted", invited.user,
                   {"role": role, "competition": what, "link": external_url("auth.login")},
                   **scope)


def revisit(user: User, *, what: str, entry: str, note: str, competition, link: str):
    """A juror's sheet (``what="sheet"``) or a participant's entry sent back for revisit."""
    return compose("revisit", user, {"what": what, "entry": entry, "note": note,
                                     "competition": competition.name, "link": link},
                   competition_id=competition.id)


def results_published(user: User, competition) -> Message | None:
    """The competition's results are public; the link is the public results page."""
    return compose("results.published", user, {
        "competition": competition.name,
        "link": external_url("public.results", competition_id=competition.id)},
        competition_id=competition.id, dedupe_key=f"results:{competition.id}:{user.id}")


def results_published_to_all(competition) -> list[Message]:
    """Every participant behind an entry and every juror: the results are public."""
    from judging.mail.audiences import entry_participants, jurors

    people = {user.id: user for user in entry_participants(competition) + jurors(competition)}
    found = [results_published(user, competition) for user in people.values()]
    return [message for message in found if message is not None]


def certificates_issued(certificates) -> list[Message]:
    """Each new certificate, to the participant accounts of its entry's entrant."""
    from judging.mail.audiences import entrant_participants

    messages = []
    for certificate in certificates:
        entrant = certificate.entry.entrant
        for user in entrant_participants([entrant.id]):
            messages.append(certificate_issued(user, certificate, entrant.name))
    return [message for message in messages if message is not None]


def sheet_sent_back(juror: User, sheet, entry, competition) -> Message | None:
    """The juror's sheet for ``entry`` is back in draft, with the moderator's note."""
    return revisit(juror, what="sheet", entry=entry.code, note=sheet.revisit_note or "",
                   competition=competition, link=external_url("jury.entry", entry_id=entry.id))


def certificate_issued(user: User, certificate, entrant_name: str) -> Message | None:
    """A certificate of the participant's entrant was issued (sent once per certificate)."""
    competition = certificate.competition
    return compose("certificate.issued", user, {
        "competition": competition.name, "entrant": entrant_name, "serial": certificate.serial,
        "link": external_url("participant.certificates")},
        competition_id=competition.id, dedupe_key=f"certificate:{certificate.id}:{user.id}")


def verification_published(user: User, competition, entrant_name: str, link: str,
                           until=None) -> Message | None:
    """SAQ verification results published; ``until`` is the end of masa sanggah, if any."""
    return compose("verification.published", user, {
        "competition": competition.name, "entrant": entrant_name, "link": link,
        "until": until, "timezone": competition.timezone}, competition_id=competition.id)


def objection_resolved(user: User, competition, entrant_name: str, decision: str,
                       link: str) -> Message | None:
    """An objection (sanggahan) was decided; ``decision`` is the verifier's short answer."""
    return compose("objection.resolved", user, {
        "competition": competition.name, "entrant": entrant_name, "decision": decision,
        "link": link}, competition_id=competition.id)


def send_later(messages, *, competition_id: int | None = None,
               user_id: int | None = None) -> Job | None:
    """Commit and hand the recorded messages to one background job (None when there are none)."""
    db.session.flush()
    ids = [m.id for m in messages if m is not None]
    if not ids:
        return None
    job = enqueue("mail.send", params={"ids": ids}, competition_id=competition_id,
                  user_id=user_id)
    forget(ids)
    return job

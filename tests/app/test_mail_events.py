"""The events that mail people once they commit: results published, certificates issued,
a sheet sent back for revisit — each in the recipient's language, with canonical links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.mail.outbox import list_outbox, read_message
from judging.models import Certificate, Message
from tests.app.jury_world import build_world as jury_world
from tests.app.test_certificates_world import CONFIG
from tests.app.test_certificates_world import build_world as certificate_world

BASE = "https://juara.example.go.id"


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG, "BASE_URL": BASE}


def messages(kind: str) -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(select(Message).where(Message.kind == kind)
                                   .order_by(Message.to_email)))


def outbox_for(email: str):
    """The outbox copies addressed to ``email``, read in full."""
    return [read_message(m.name) for m in list_outbox() if email in m.to]


@pytest.mark.parametrize("language,subject,body", [
    ("id", "Hasil diumumkan", "sudah diumumkan"),
    ("en", "Results published", "have been published"),
])
def test_publishing_results_mails_every_participant_and_juror(web, make, language, subject,
                                                               body):
    world = certificate_world(make)
    juror = make.juror(world.comp, [world.category], email="juri@juara.test", locale=language)
    for user in (world.first, world.second):
        user.locale = language
    make.commit()
    web.login(world.organizer.email)
    response = web.post(f"/organizer/competitions/{world.comp.id}/phase",
                        {"target": "published"})
    assert response.status_code in (302, 303)
    sent = messages("results.published")
    assert sorted(m.to_email for m in sent) == sorted(
        u.email for u in (world.first, world.second, juror))
    assert all(m.status == "sent" and m.language == language for m in sent)
    [copy] = outbox_for(juror.email)
    assert copy.subject.startswith(subject) and body in copy.text
    assert f"{BASE}/results/{world.comp.id}" in copy.text


def test_a_refused_step_mails_nobody(web, make):
    world = certificate_world(make, phase="moderation")
    web.login(world.organizer.email)
    web.post(f"/organizer/competitions/{world.comp.id}/phase", {"target": "published"})
    assert messages("results.published") == [] and list_outbox() == []


@pytest.mark.parametrize("language,subject,link_text", [
    ("id", "Sertifikat Anda sudah terbit", "Unduh sertifikat"),
    ("en", "Your certificate has been issued", "Download certificate"),
])
def test_issuing_certificates_mails_the_entrants_participants(web, make, language, subject,
                                                              link_text):
    world = certificate_world(make)
    world.first.locale = world.second.locale = language
    make.commit()
    web.login(world.organizer.email)
    web.post(f"/organizer/competitions/{world.comp.id}/certificates/generate")
    issued = {c.entry.entrant_id: c for c in db.session.scalars(select(Certificate))}
    sent = messages("certificate.issued")
    assert sorted(m.to_email for m in sent) == sorted([world.first.email, world.second.email])
    assert all(m.status == "sent" and m.language == language for m in sent)
    [copy] = outbox_for(world.first.email)
    assert copy.subject.startswith(subject) and link_text in copy.html
    assert issued[world.entrants[0].id].serial in copy.text
    assert f"{BASE}/participant/certificates" in copy.text


def test_running_the_batch_again_mails_nothing_new(web, make):
    world = certificate_world(make)
    web.login(world.organizer.email)
    for _ in range(2):
        web.post(f"/organizer/competitions/{world.comp.id}/certificates/generate")
    assert len(messages("certificate.issued")) == 2 and len(list_outbox()) == 2


@pytest.mark.parametrize("language,subject,words", [
    ("id", "Diminta ditinjau ulang", ("dikembalikan untuk ditinjau ulang", "Catatan:")),
    ("en", "Sent back for revisit", ("was sent back for revisit", "Note:")),
])
def test_a_sheet_sent_back_mails_the_juror(web, make, language, subject, words):
    world = jury_world(make, phase="moderation")
    world.juror.locale = language
    make.commit()
    entry = world.entries[0]
    web.login(world.organizer.email)
    response = web.post(f"/organizer/category/{world.category.id}/moderation/revisit",
                        {"juror_id": world.juror.id, "entry_id": entry.id,
                         "note": "Mohon cek inovasi"})
    assert response.status_code == 302
    [message] = messages("revisit")
    assert message.to_email == world.juror.email and message.status == "sent"
    [copy] = outbox_for(world.juror.email)
    assert copy.subject.startswith(subject) and entry.code in copy.text
    assert all(word in copy.text for word in words) and "Mohon cek inovasi" in copy.html
    assert f"{BASE}/jury/entry/{entry.id}" in copy.text


def test_a_refused_revisit_mails_nobody(web, make):
    world = jury_world(make, phase="final")
    web.login(world.organizer.email)
    response = web.post(f"/organizer/category/{world.category.id}/moderation/revisit",
                        {"juror_id": world.juror.id, "entry_id": world.entries[0].id,
                         "note": "Mohon cek inovasi"})
    assert response.status_code == 403
    assert messages("revisit") == [] and list_outbox() == []


def test_only_committed_mail_is_handed_to_the_job(app, make):
    from judging.mail import notify
    from judging.mail.outgoing import send_committed

    competition = make.competition(name="IKP 2025")
    user = make.user(email="p@juara.test")
    make.commit()
    notify.results_published(user, competition)
    db.session.flush()
    db.session.rollback()
    assert send_committed() is None and messages("results.published") == []
    notify.results_published(user, competition)
    db.session.commit()
    job = send_committed()
    assert job.kind == "mail.send" and job.state == "done"
    assert [m.status for m in messages("results.published")] == ["sent"]
    assert send_committed() is None

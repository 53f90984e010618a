"""Each kind of message in both languages, with links under the canonical base URL."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from judging.mail import notify
from judging.mail.outbox import list_outbox, read_message
from judging.models.types import utcnow

BASE = "https://juara.example.go.id"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": BASE}


def person(make, language):
    return make.user(locale=language, name="Siti")


def invited(user, link):
    return SimpleNamespace(user=user, link=link, expires_at=utcnow() + timedelta(days=7))


EXPECTED = {
    "invitation.juror": ("Undangan menjadi juri", "Invitation to judge"),
    "invitation.verifier": ("Undangan menjadi verifikator", "Invitation to verify"),
    "invitation.participant": ("Undangan menjadi peserta", "Invitation to take part"),
    "invitation.organizer": ("Undangan menjadi penyelenggara", "Invitation to organise"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("language", ["id", "en"])
def test_invitations_in_each_language_carry_the_link(make, kind, language):
    user = person(make, language)
    link = f"{BASE}/auth/invitation/abc"
    message = notify.invitation(invited(user, link), kind.split(".")[1], "IKP 2025")
    subject_id, subject_en = EXPECTED[kind]
    assert message.kind == kind and message.language == language
    assert message.subject.startswith(subject_en if language == "en" else subject_id)
    assert "IKP 2025" in message.subject
    assert link in message.body_text and f'href="{link}"' in message.body_html
    greeting = "Dear Siti" if language == "en" else "Yth. Siti"
    assert greeting in message.body_text and greeting in message.body_html


@pytest.mark.parametrize("language,text", [("id", "Masuk dengan email"),
                                           ("en", "Sign in with your e-mail")])
def test_existing_account_is_told_of_the_new_role(make, language, text):
    user = person(make, language)
    message = notify.invitation(invited(user, None), "juror", "IKP 2025")
    assert message.kind == "role.granted" and text in message.body_text
    assert f"{BASE}/auth/login" in message.body_text


@pytest.mark.parametrize("language,words", [
    ("id", ("Hasil diumumkan", "sudah diumumkan")),
    ("en", ("Results published", "have been published")),
])
def test_results_published(make, language, words):
    competition = make.competition(name="IKP 2025")
    message = notify.results_published(person(make, language), competition)
    assert message.subject.startswith(words[0]) and words[1] in message.body_text
    assert f"{BASE}/results/{competition.id}" in message.body_html
    assert notify.results_published(message and db_user(message), competition) is None


def db_user(message):
    from judging.extensions import db
    from judging.models import User

    return db.session.get(User, message.user_id)


@pytest.mark.parametrize("language,words", [
    ("id", ("Diminta ditinjau ulang", "dikembalikan untuk ditinjau ulang", "Catatan:")),
    ("en", ("Sent back for revisit", "was sent back for revisit", "Note:")),
])
def test_sheet_sent_back(make, language, words):
    competition = make.competition(name="IKP 2025")
    message = notify.revisit(person(make, language), what="sheet", entry="KEL-01",
                             note="Cek skor 3", competition=competition,
                             link=f"{BASE}/jury/entry/1")
    assert message.subject.startswith(words[0])
    assert words[1] in message.body_text and words[2] in message.body_text
    assert "Cek skor 3" in message.body_html and f"{BASE}/jury/entry/1" in message.body_text


@pytest.mark.parametrize("language,words", [
    ("id", ("Hasil verifikasi diterbitkan", "mengajukan sanggahan sampai")),
    ("en", ("Verification results published", "may object until")),
])
def test_verification_published(make, language, words):
    competition = make.competition(name="KIP 2025")
    message = notify.verification_published(
        person(make, language), competition, "Dinas A", f"{BASE}/saq/1",
        until=utcnow() + timedelta(days=5))
    assert message.subject.startswith(words[0]) and words[1] in message.body_text
    assert "Dinas A" in message.body_text and f"{BASE}/saq/1" in message.body_html


@pytest.mark.parametrize("language,words", [
    ("id", ("Sanggahan Anda telah diputuskan", "Keputusan:")),
    ("en", ("Your objection has been decided", "Decision:")),
])
def test_objection_resolved(make, language, words):
    competition = make.competition(name="KIP 2025")
    message = notify.objection_resolved(person(make, language), competition, "Dinas A",
                                        "Diterima", f"{BASE}/saq/1")
    assert message.subject.startswith(words[0]) and words[1] in message.body_text
    assert "Diterima" in message.body_html


@pytest.mark.parametrize("language,words", [
    ("id", ("Sertifikat Anda sudah terbit", "Unduh sertifikat")),
    ("en", ("Your certificate has been issued", "Download certificate")),
])
def test_certificate_issued(make, language, words):
    competition = make.competition(name="IKP 2025")
    certificate = SimpleNamespace(id=9, serial="IKP-2025/001", competition=competition)
    message = notify.certificate_issued(person(make, language), certificate, "Kelurahan A")
    assert message.subject.startswith(words[0]) and words[1] in message.body_html
    assert "IKP-2025/001" in message.body_text
    assert f"{BASE}/participant/certificates" in message.body_text


def test_messages_have_no_tracking(make):
    message = notify.invitation(invited(person(make, "id"), f"{BASE}/x"), "juror", "IKP")
    assert "<img" not in message.body_html.lower()
    assert "utm_" not in message.body_html


def test_outbox_receives_a_sent_message(app, make):
    user = person(make, "en")
    message = notify.invitation(invited(user, f"{BASE}/auth/invitation/t"), "juror", "IKP")
    job = notify.send_later([message])
    assert job.state == "done" and message.status == "sent" and message.attempts == 1
    assert message.body_text == ""  # links are not kept once delivered
    [stored] = list_outbox()
    assert stored.to == f"{user.name} <{user.email}>" and stored.subject == message.subject
    full = read_message(stored.name)
    assert f"{BASE}/auth/invitation/t" in full.text and "<html" in full.html
    assert read_message("../secret_key") is None


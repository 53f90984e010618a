"""The participant portal: own entries only, filling, deadlines, submit, withdraw, re-submit."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import AuditEvent, Entry
from judging.models.types import utcnow
from judging.plugin_setup import methods
from judging.scoring.hookspecs import hookimpl
from judging.scoring.types import SubmittedEntry
from tests.app.test_evidence_uploads import build_world, pdf_bytes, upload


@pytest.fixture
def world(make):
    return build_world(make)


def entry_page(web, entry_id):
    return web.get(f"/participant/entries/{entry_id}")


def submit(web, entry_id):
    return web.post(f"/participant/entries/{entry_id}/submit")


def status_of(entry_id) -> str:
    db.session.rollback()
    return db.session.get(Entry, entry_id).status


def test_home_lists_only_own_entries_with_deadline_and_countdown(web, world):
    web.login("p@juara.test")
    page = web.get("/participant/").get_data(as_text=True)
    assert world.entry.entrant.name in page
    assert world.other_entry.entrant.name not in page
    assert f"/participant/entries/{world.entry.id}" in page
    assert f"/participant/entries/{world.other_entry.id}" not in page
    assert "data-countdown=" in page and "hari" in page and "lagi" in page
    assert "WIB" in page  # the deadline is shown in the competition's zone (Asia/Jakarta)
    assert "js/upload.js" in page


def test_deadline_is_shown_in_the_competition_time_zone(web, world):
    world.competition.timezone = "Asia/Jayapura"
    world.competition.submission_deadline = utcnow().replace(
        hour=14, minute=59, second=0, microsecond=0) + timedelta(days=2)
    db.session.commit()
    web.login("p@juara.test")
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert "23.59" in page or "23:59" in page
    assert "WIT" in page


def test_another_entrants_entry_is_404_without_its_data(web, world):
    world.other_entry.description = "Rahasia dapur kelurahan lain"
    db.session.commit()
    web.login("p@juara.test")
    for method, url in [
        ("get", f"/participant/entries/{world.other_entry.id}"),
        ("post", f"/participant/entries/{world.other_entry.id}"),
        ("post", f"/participant/entries/{world.other_entry.id}/submit"),
        ("post", f"/participant/entries/{world.other_entry.id}/withdraw"),
        ("post", f"/participant/entries/{world.other_entry.id}/links"),
        ("get", "/participant/entries/99999"),
    ]:
        response = getattr(web, method)(url)
        assert response.status_code == 404, url
        body = response.get_data(as_text=True)
        assert "Rahasia dapur" not in body and world.other_entry.entrant.name not in body
    assert status_of(world.other_entry.id) == "draft"


def test_jurors_and_organizers_cannot_use_participant_pages(web, world, make):
    make.juror(world.competition, [world.category], email="juri@juara.test")
    make.commit()
    web.login("juri@juara.test")
    assert web.get(f"/participant/entries/{world.entry.id}").status_code == 403


def test_fields_description_and_account_links_are_saved(web, world):
    world.category.evidence_rules = {"fields": [
        {"key": "website", "label": "Alamat situs web", "type": "url", "required": True},
        {"key": "ppid", "label": "Nama PPID", "required": False},
    ]}
    db.session.commit()
    web.login("p@juara.test")
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert "Alamat situs web" in page and "Nama PPID" in page
    response = web.post(f"/participant/entries/{world.entry.id}", {
        "description": "Kelurahan ramah informasi.",
        "field_website": "https://kel-contoh.go.id",
        "field_ppid": "Ibu Sari",
        "social_links": "https://instagram.com/kelcontoh\n\nhttps://x.com/kelcontoh\n",
    })
    assert response.status_code == 303
    entry = db.session.get(Entry, world.entry.id)
    db.session.refresh(entry)
    assert entry.description == "Kelurahan ramah informasi."
    assert entry.fields == {"website": "https://kel-contoh.go.id", "ppid": "Ibu Sari"}
    assert entry.social_links == ["https://instagram.com/kelcontoh", "https://x.com/kelcontoh"]


@pytest.mark.parametrize("field, value", [
    ("social_links", "javascript:alert(1)"),
    ("social_links", "https://ok.example.org\nftp://files.example.org"),
    ("field_website", "kel-contoh"),
])
def test_bad_links_are_refused_with_a_message_and_nothing_saved(web, world, field, value):
    world.category.evidence_rules = {"fields": [{"key": "website", "label": "Situs",
                                                 "type": "url"}]}
    world.entry.description = "lama"
    db.session.commit()
    web.login("p@juara.test")
    response = web.post(f"/participant/entries/{world.entry.id}",
                        {"description": "baru", field: value})
    assert response.status_code == 400
    assert "http://" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Entry, world.entry.id).description == "lama"


class Recorder:
    """Hears every submission, and whether it was already committed when it heard."""

    def __init__(self, entry_id):
        self.entry_id, self.seen, self.committed = entry_id, [], []

    @hookimpl
    def judging_entry_submitted(self, entry):
        self.seen.append(entry)
        self.committed.append(committed_status(self.entry_id))


class Broken:
    @hookimpl(tryfirst=True)
    def judging_entry_submitted(self, entry):
        raise RuntimeError("plugin bug")


def committed_status(entry_id) -> str:
    """The entry's status as another connection sees it: only what was committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(Entry.status).where(Entry.id == entry_id))


@pytest.fixture
def plugins(app):
    """Register throw-away plugins on the app's own manager; unregister them afterwards."""
    names = []

    def register(plugin):
        names.append(type(plugin).__name__)
        methods().pm.register(plugin, name=names[-1])
        return plugin

    yield register
    for name in names:
        methods().pm.unregister(name=name)


def test_submit_then_edit_then_resubmit_is_audited_and_hooked(app, web, world, plugins):
    recorder = plugins(Recorder(world.entry.id))
    web.login("p@juara.test")
    assert submit(web, world.entry.id).status_code == 303
    assert status_of(world.entry.id) == "submitted"
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert "Terkirim" in page and "Kirim ulang" in page
    upload(web, world.entry.id, pdf_bytes(), "tambahan.pdf")
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert 'id="changed-notice"' in page
    submit(web, world.entry.id)
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert 'id="changed-notice"' not in page
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == world.entry.id)
        .order_by(AuditEvent.id)).all()
    assert actions == ["entry.submitted", "evidence.added", "entry.resubmitted"]
    assert [e.resubmission for e in recorder.seen] == [False, True]
    assert recorder.committed == ["submitted", "submitted"]  # heard after the commit
    first = recorder.seen[0]
    assert isinstance(first, SubmittedEntry) and first.id == world.entry.id
    assert first.entrant_code == world.entry.entrant.code
    assert first.competition_id == world.competition.id
    assert first.submitted_at.endswith("+00:00")
    assert [e.evidence_count for e in recorder.seen] == [0, 1]


def test_a_failing_plugin_neither_undoes_the_submission_nor_silences_the_others(
        web, world, plugins, caplog):
    plugins(Broken())  # called first (tryfirst), so it would hide the recorder
    recorder = plugins(Recorder(world.entry.id))
    web.login("p@juara.test")
    with caplog.at_level(logging.WARNING):
        assert submit(web, world.entry.id).status_code == 303
    assert status_of(world.entry.id) == "submitted"
    assert [e.id for e in recorder.seen] == [world.entry.id]
    assert "Broken" in caplog.text and "plugin bug" in caplog.text


def test_a_refused_submission_tells_no_plugin(web, world, plugins):
    recorder = plugins(Recorder(world.entry.id))
    world.competition.submission_deadline = utcnow() - timedelta(minutes=5)
    db.session.commit()
    web.login("p@juara.test")
    submit(web, world.entry.id)
    assert status_of(world.entry.id) != "submitted" and recorder.seen == []


def test_withdraw_before_the_deadline_then_submit_again(web, world):
    web.login("p@juara.test")
    submit(web, world.entry.id)
    assert web.post(f"/participant/entries/{world.entry.id}/withdraw").status_code == 303
    assert status_of(world.entry.id) == "withdrawn"
    submit(web, world.entry.id)
    assert status_of(world.entry.id) == "submitted"


def test_after_the_deadline_submit_is_refused_and_the_page_says_why(app, web, world):
    world.competition.submission_deadline = utcnow() - timedelta(minutes=5)
    db.session.commit()
    web.login("p@juara.test")
    response = submit(web, world.entry.id)
    assert response.status_code == 303
    assert status_of(world.entry.id) == "draft"
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "sudah lewat" in page and 'id="lock-reason"' in page
    assert "upload-form" not in page and 'id="submit-entry"' not in page
    assert upload(web, world.entry.id, pdf_bytes(), "telat.pdf",
                  Accept="application/json").status_code == 400
    from tests.app.test_evidence_uploads import evidence_count

    assert evidence_count() == 0
    assert web.post(f"/participant/entries/{world.entry.id}/withdraw").status_code == 303


def test_grace_minutes_are_honoured(web, world):
    world.competition.submission_deadline = utcnow() - timedelta(minutes=5)
    world.competition.grace_minutes = 15
    db.session.commit()
    web.login("p@juara.test")
    submit(web, world.entry.id)
    assert status_of(world.entry.id) == "submitted"
    world.competition.grace_minutes = 2
    db.session.commit()
    assert web.post(f"/participant/entries/{world.entry.id}/withdraw").status_code == 303
    assert status_of(world.entry.id) == "submitted"


@pytest.mark.parametrize("phase, words", [("draft", "belum dibuka"),
                                          ("judging", "sedang dinilai juri"),
                                          ("moderation", "sedang memeriksa"),
                                          ("final", "akan segera diumumkan"),
                                          ("published", "Hasil telah diumumkan")])
def test_outside_the_open_phase_the_entry_is_read_only(web, world, phase, words):
    world.competition.phase = phase
    world.entry.description = "Isian kami"
    db.session.commit()
    web.login("p@juara.test")
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert words in page and "Isian kami" in page
    assert "Simpan isian" not in page and "tahap penilaian" not in page
    home = web.get("/participant/").get_data(as_text=True)
    assert words in home and "tahap penilaian" not in home
    response = web.post(f"/participant/entries/{world.entry.id}", {"description": "diubah"})
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(Entry, world.entry.id).description == "Isian kami"


def test_after_publication_the_participant_reads_so_in_english_too(web, world):
    world.competition.phase = "published"
    db.session.commit()
    web.login("p@juara.test")
    page = web.get(f"/participant/entries/{world.entry.id}?lang=en").get_data(as_text=True)
    assert "Results have been announced" in page and "moved to judging" not in page
    home = web.get("/participant/?lang=en").get_data(as_text=True)
    assert "Results have been announced" in home


def test_required_links_and_fields_block_submission_until_filled(web, world):
    world.category.evidence_rules = {"require_links": True, "fields": [
        {"key": "website", "label": "Alamat situs web", "type": "url", "required": True}]}
    db.session.commit()
    web.login("p@juara.test")
    page = entry_page(web, world.entry.id).get_data(as_text=True)
    assert "media sosial" in page and "wajib diisi" in page
    submit(web, world.entry.id)
    assert status_of(world.entry.id) == "draft"
    web.post(f"/participant/entries/{world.entry.id}", {
        "field_website": "https://kel.go.id", "social_links": "https://instagram.com/kel"})
    submit(web, world.entry.id)
    assert status_of(world.entry.id) == "submitted"


def test_entry_page_leaves_a_place_for_results(app):
    source = app.jinja_env.loader.get_source(app.jinja_env, "participant/entry.html")[0]
    assert "{% block entry_result %}" in source

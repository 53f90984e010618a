"""Phase steps: preconditions, reasons for going back, audit rows, the results hook."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from judging.competitions import transitions as phases
from judging.extensions import db
from judging.models import AuditEvent, Competition, Entry, Scoresheet
from judging.models.types import utcnow
from tests.app.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def step(org, world, target, reason="", override="Uji tahap dengan data sengaja kurang"):
    return org.post(f"/organizer/competitions/{world.competition.id}/phase",
                    {"target": target, "reason": reason, "override": override},
                    follow_redirects=True)


def phase_of(world):
    db.session.expire_all()
    return db.session.get(Competition, world.competition.id).phase


def ready_for_judging(make, world):
    category = world.category()
    make.entry(category, status="submitted", submitted_at=utcnow())
    make.juror(world.competition, [category])
    world.competition.phase = "open"
    make.commit()
    return category


def test_page_shows_phase_allowances_and_what_is_missing(org, world):
    page = org.get(f"/organizer/competitions/{world.competition.id}").get_data(as_text=True)
    assert "Menyiapkan kompetisi" in page
    assert "Belum ada kategori." in page
    assert 'data-confirm="Pindahkan kompetisi ke tahap Pendaftaran?"' in page


def test_open_refused_without_categories_then_allowed(org, world):
    page = step(org, world, "open").get_data(as_text=True)
    assert "Belum ada kategori." in page and phase_of(world) == "draft"
    world.category()
    db.session.commit()
    step(org, world, "open")
    assert phase_of(world) == "open"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.phase"))
    assert event.before == {"phase": "draft"} and event.after == {"phase": "open"}
    assert event.actor_id == world.organizer.id and event.at is not None


def test_open_refused_when_weights_do_not_total_100_or_no_deadline(org, world):
    category = world.category()
    category.weights = {**category.weights, "saq": 10}
    world.competition.submission_deadline = None
    db.session.commit()
    page = step(org, world, "open").get_data(as_text=True)
    assert "harus 100" in page and "Batas waktu pengiriman belum diisi." in page
    assert phase_of(world) == "draft"


def test_judging_needs_jurors_and_submitted_entries(org, world, make):
    a, b = world.category(name="A"), world.category(name="B")
    world.category(name="C")
    make.entry(a, status="submitted")
    make.entry(b, status="draft")
    make.juror(world.competition, [a])
    world.competition.phase = "open"
    make.commit()
    page = step(org, world, "judging").get_data(as_text=True)
    assert "2 kategori belum punya juri: B, C." in page
    assert "2 kategori belum punya entri yang dikirim: B, C." in page
    assert phase_of(world) == "open"


def test_skipping_a_phase_is_refused(org, world, make):
    ready_for_judging(make, world)
    page = step(org, world, "final").get_data(as_text=True)
    assert "Tidak bisa pindah" in page and phase_of(world) == "open"


def test_going_back_needs_a_reason_and_is_logged(org, world, make):
    ready_for_judging(make, world)
    step(org, world, "judging")
    assert phase_of(world) == "judging"
    page = step(org, world, "open", reason="").get_data(as_text=True)
    assert "perlu alasan" in page and phase_of(world) == "judging"
    step(org, world, "open", reason="Perpanjangan batas waktu")
    assert phase_of(world) == "open"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "competition.phase")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.note == "Perpanjangan batas waktu"
    assert event.before == {"phase": "judging"} and event.after == {"phase": "open"}


def test_moderation_with_unmarked_entries_needs_an_override(org, world, make):
    category = ready_for_judging(make, world)
    category.required_marks = 2
    world.competition.phase = "judging"
    make.commit()
    page = org.get(f"/organizer/competitions/{world.competition.id}").get_data(as_text=True)
    assert "1 entri belum punya nilai monev untuk indikator wajib" in page
    assert "Semua syarat terpenuhi" not in page
    page = step(org, world, "moderation", override="").get_data(as_text=True)
    assert phase_of(world) == "judging" and "alasan pengecualian" in page
    org.post(f"/organizer/competitions/{world.competition.id}/phase",
             {"target": "moderation", "override": "Juri kedua menilai saat moderasi"})
    assert phase_of(world) == "moderation"


@pytest.fixture
def freeze_spy(monkeypatch):
    """Stand-ins for freezing and discarding results that record their calls."""
    calls = []
    monkeypatch.setattr(phases, "freeze_results",
                        lambda competition, **_kw: calls.append(("freeze", competition.phase)))
    monkeypatch.setattr(phases, "discard_results",
                        lambda competition, **_: calls.append(("discard", competition.phase)))
    return calls


def test_entering_final_freezes_and_stepping_back_discards(org, world, make, freeze_spy):
    ready_for_judging(make, world)
    world.competition.phase = "moderation"
    make.commit()
    step(org, world, "final")
    assert phase_of(world) == "final" and freeze_spy == [("freeze", "final")]
    step(org, world, "published")
    step(org, world, "final", reason="Salah ketik nama peserta")
    assert freeze_spy == [("freeze", "final"), ("freeze", "final")]
    step(org, world, "moderation", reason="Nilai juri perlu dikoreksi")
    assert phase_of(world) == "moderation"
    assert freeze_spy[-1] == ("discard", "moderation")


def test_a_failing_freeze_rolls_the_step_back(org, world, make, monkeypatch):
    ready_for_judging(make, world)
    world.competition.phase = "moderation"
    make.commit()

    def refuse(competition, **_kw):
        raise ValueError("Bobot tidak valid")

    monkeypatch.setattr(phases, "freeze_results", refuse)
    page = step(org, world, "final").get_data(as_text=True)
    assert "Bobot tidak valid" in page and phase_of(world) == "moderation"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.phase")
                             ) is None


def test_submitted_sheets_satisfy_required_marks(make, world):
    category = ready_for_judging(make, world)
    entry = db.session.scalar(select(Entry).where(Entry.category_id == category.id))
    juror = make.juror(world.competition, [category])
    db.session.add(Scoresheet(juror_id=juror.id, entry_id=entry.id, status="submitted",
                              submitted_at=utcnow()))
    make.commit()
    assert phases.readiness(world.competition, "judging").ready
    world.competition.phase = "judging"
    assert phases.readiness(world.competition, "moderation").warnings == []


def test_deadline_in_the_past_is_only_a_warning(make, world):
    world.category()
    world.competition.submission_deadline = utcnow() - timedelta(days=1)
    check = phases.readiness(world.competition, "open")
    assert check.ready and "sudah lewat" in check.warnings[0].message_id

"""Online scoring: the form, drafts and submission, range checks, the running score."""

from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.models import Scoresheet
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks


def test_juror_sees_assigned_entries_with_status_and_deadline(web, make):
    world = build_world(make)
    web.login("juri@juara.test")
    page = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    for entry in world.entries:
        assert entry.code in page and entry.entrant.name in page
    assert "Belum dinilai" in page
    assert "2 entri belum terkirim" in page


def test_draft_then_submit_stores_marks_and_shows_the_jury_score(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    assert "Komitmen organisasi" in page and "Dukungan pimpinan" in page
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, None, None]))
    assert response.status_code == 302
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.entry_id == entry.id))
    assert sheet.status == "draft"
    assert sorted(v for v in stored_marks().values()) == [Decimal("70"), Decimal("80")]

    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 90, "60,5"], submit=True))
    assert response.status_code == 302
    db.session.expire_all()
    assert sheet.status == "submitted" and sheet.submitted_at is not None
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    # (80 + 70 + 90 + 60.5) / 4 with equal weights and max 100
    assert "75,13" in page
    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    assert 'data-status="submitted"' in listing and "1 entri belum terkirim" in listing


def test_out_of_range_marks_are_refused_with_field_messages_and_nothing_saved(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    for bad in ("101", "-1", "50.555", "abc"):
        response = web.post(f"/jury/entry/{entry.id}/score",
                            form_data(world, entry, [80, bad, 90, 70]))
        assert response.status_code == 400, bad
        page = response.get_data(as_text=True)
        assert 'class="error"' in page and "Tidak ada yang disimpan" in page
    assert stored_marks() == {}
    assert db.session.scalar(select(Scoresheet)) is None


def test_overlong_comments_are_refused_with_what_was_typed_kept(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [80, "70,5", 90, 70])
    data[f"comment_{world.criteria[1].id}"] = "panjang " * 700
    response = web.post(f"/jury/entry/{entry.id}/score", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Komentar paling banyak 5000 karakter." in page
    assert f'id="mark_{world.criteria[1].id}"' in page and 'value="70,5"' in page
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 90, 70], comment="x" * 5001))
    assert response.status_code == 400
    assert "Komentar paling banyak 5000 karakter." in response.get_data(as_text=True)
    assert stored_marks() == {}


def test_a_mark_typed_with_a_comma_is_shown_back_as_typed_after_a_refusal(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, ["80,25", "abc", 90, 70]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="80,25"' in page and 'value="abc"' in page
    assert "Isi dengan angka" in page


def test_submit_requires_every_criterion(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 90, None], submit=True))
    assert response.status_code == 400
    assert "wajib dinilai" in response.get_data(as_text=True)
    assert stored_marks() == {}


def test_blind_category_never_shows_the_entrant_name(web, make):
    world = build_world(make, blind=True)
    entry = world.entries[0]
    web.login("juri@juara.test")
    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    for html in (listing, page):
        assert entry.code in html
        assert entry.entrant.name not in html
    assert f"<title>{entry.code}" in page


def test_entry_page_shows_evidence_links_and_monev_figures(web, make):
    from judging.models import Evidence, IndicatorValue

    world = build_world(make, blind=True)
    entry = world.entries[0]
    pdf = Evidence(entry_id=entry.id, kind="file", storage_key="a" * 64, file_kind="pdf",
                   original_name="Laporan.pdf", label="Laporan PPID", size=10)
    link = Evidence(entry_id=entry.id, kind="link", url="https://instagram.com/ppid",
                    label="Instagram PPID")
    db.session.add_all([pdf, link])
    db.session.add(IndicatorValue(entry_id=entry.id, indicator_key="nilai_saq",
                                  value=Decimal("87.5")))
    make.commit()
    web.login("juri@juara.test")
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    assert f'href="/evidence/{pdf.id}?inline=1"' in page
    assert "Laporan PPID" in page and 'href="https://instagram.com/ppid"' in page
    assert "Nilai SAQ" in page and "87,5 poin" in page and "(0–100, bobot 25)" in page


def _submitted_sheet(web, world, entry):
    web.post(f"/jury/entry/{entry.id}/score",
             form_data(world, entry, [80, 70, 90, 60], submit=True))
    db.session.expire_all()
    return db.session.scalar(select(Scoresheet).where(Scoresheet.entry_id == entry.id))


def test_saving_a_draft_never_silently_withdraws_a_submitted_sheet(web, make):
    """Issue 15 item 4: "Simpan draf" on a submitted sheet used to drop it from the ranking."""
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    sheet = _submitted_sheet(web, world, entry)
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    assert 'id="save-draft"' not in page and "Kirim ulang penilaian" in page
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [85, 70, 90, 60]))
    assert response.status_code == 400
    assert "sudah terkirim" in response.get_data(as_text=True)
    db.session.expire_all()
    assert sheet.status == "submitted"
    assert Decimal("85") not in stored_marks().values()


def test_withdrawing_a_submitted_sheet_needs_its_confirmation_and_is_audited(web, make):
    from judging.models import AuditEvent

    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    sheet = _submitted_sheet(web, world, entry)
    data = form_data(world, entry, [80, 70, 90, 60])
    del data["save"]
    data["withdraw"] = "1"
    assert web.post(f"/jury/entry/{entry.id}/score", data).status_code == 400
    db.session.expire_all()
    assert sheet.status == "submitted"
    data = {**form_data(world, entry, [80, 70, 90, 60]), "withdraw": "1", "confirm_withdraw": "y"}
    del data["save"]
    assert web.post(f"/jury/entry/{entry.id}/score", data).status_code == 302
    db.session.expire_all()
    assert sheet.status == "draft"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "scoresheet.withdrawn"))


def test_a_sheet_submitted_on_its_first_save_is_audited_mark_by_mark(web, make):
    """The first save inserts directly; a submit still leaves one audit event per mark."""
    from judging.marking.marks import replay_marks
    from judging.models import AuditEvent, Mark

    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, "90,25", 60], submit=True))
    assert response.status_code == 302
    stored = stored_marks()
    assert replay_marks(world.competition.id) == stored and len(stored) == 4
    assert {m.version for m in db.session.scalars(db.select(Mark))} == {1}
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
               if e.action.startswith(("mark.", "scoresheet."))]
    assert actions == ["mark.submitted"] * 4 + ["scoresheet.submitted"]


def test_a_first_draft_save_then_a_change_keeps_versions_and_audits_nothing(web, make):
    """A draft is not history yet; a second save updates the inserted marks by version."""
    from judging.models import AuditEvent, Mark

    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    for marks in ([80, None, None, None], [81, 70, None, None]):
        response = web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, marks))
        assert response.status_code == 302
    versions = {m.criterion_id: (m.value, m.version) for m in db.session.scalars(db.select(Mark))}
    first, second = world.criteria[0].id, world.criteria[1].id
    assert versions == {first: (Decimal("81"), 2), second: (Decimal("70"), 1)}
    assert not db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action.startswith("mark."))).all()


def test_a_refused_save_shows_the_page_with_its_evidence(web, make):
    """The save reads no evidence unless it shows the page again; then it does."""
    from judging.models import Evidence

    world = build_world(make)
    entry = world.entries[0]
    db.session.add(Evidence(entry_id=entry.id, kind="link", url="https://a.example/lap",
                            label="Laporan tahunan"))
    db.session.commit()
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 900, None]))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Laporan tahunan" in page and "https://a.example/lap" in page
    assert stored_marks() == {}

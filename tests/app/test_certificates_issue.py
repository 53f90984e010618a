"""Issuing certificates from frozen results: phases, serials, codes, PDFs, revoke, re-issue."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from judging.certificates import bundles, issue, serials
from judging.certificates.design import DesignSettings, save_design, store_image
from judging.competitions import transitions as phases
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.certificates.fetcher import ResourceFetcher
from judging.jobs import enqueue
from judging.models import AuditEvent, Certificate, Job
from judging.plugin_setup import methods
from judging.refusals import Refused
from judging.scoring import hookimpl
from tests.app.test_certificates_world import CONFIG, build_world, pdf_text
from tests.unit.test_certificates_helpers import png_bytes


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG}


@pytest.fixture
def world(app, make):
    return build_world(make)


def generate(world, participation=False, for_winners=False) -> Job:
    return enqueue(issue.GENERATE_KIND, competition_id=world.comp.id, user_id=world.organizer.id,
                   params={"competition_id": world.comp.id, "participation": participation,
                           "participation_for_winners": for_winners, "mime": "application/zip"})


def certificates(world) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.competition_id == world.comp.id).order_by(Certificate.serial)))


def stored_pdf(cert: Certificate) -> bytes:
    handle = evidence_store().open(cert.storage_key)
    try:
        return handle.read()
    finally:
        handle.close()


@pytest.mark.parametrize("phase", ["draft", "open", "judging", "moderation"])
def test_no_certificate_before_final(app, make, phase):
    world = build_world(make, phase=phase)
    with pytest.raises(Refused) as refused:
        issue.ensure_issuable(world.comp)
    assert "final" in refused.value.message_id
    job = generate(world)
    assert job.state == "failed" and "final" in job.message
    assert certificates(world) == []


def test_winners_get_numbered_certificates_with_unique_codes(world):
    job = generate(world)
    assert job.state == "done" and job.percent == 100
    rows = certificates(world)
    assert [(c.serial, c.entry.entrant.name, c.award) for c in rows] == [
        ("IKP-2023/MS/001", "Kelurahan Sukamaju", "Peringkat Pertama"),
        ("IKP-2023/MS/002", "Kelurahan Cibeunying", "Peringkat Kedua"),
        ("IKP-2023/MS/003", "Desa Mekarsari", "Apresiasi Inovasi"),
    ]
    assert rows[0].band == "Informatif" and rows[0].result_id == world.results[0].id
    codes = {c.code for c in rows}
    assert len(codes) == 3
    assert all(len(code) >= 16 and set(code) <= set(serials.CODE_ALPHABET) for code in codes)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action ==
                                                       "certificates.generate"))
    assert audit.actor_id == world.organizer.id and len(audit.after["issued"]) == 3


def test_pdf_shows_name_award_serial_and_code(world):
    generate(world)
    first = certificates(world)[0]
    text = pdf_text(stored_pdf(first))
    for wanted in ("Kelurahan Sukamaju", "Peringkat Pertama", "IKP-2023/MS/001", first.code,
                   "Informatif", "IKP Fest 2023", "Media Sosial"):
        assert wanted in text


def test_job_result_is_a_zip_of_every_standing_certificate(world):
    job = generate(world)
    assert job.result_name == "sertifikat-IKP-2023.zip"
    handle = evidence_store().open(job.result_key)
    archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    handle.close()
    names = archive.namelist()
    assert names[0] == "IKP-2023-MS-001_Kelurahan-Sukamaju.pdf" and len(names) == 3
    assert "Peringkat Kedua" in pdf_text(archive.read(names[1]))


def test_participation_only_for_entries_without_an_award(world):
    """Issue 15 item 8: winners used to receive a participation certificate as well."""
    generate(world, participation=True)
    rows = certificates(world)
    winners = {c.entry_id for c in rows if c.kind == "winner"}
    participation = [c for c in rows if c.kind == "participation"]
    assert len(winners) == 3 and len(participation) == 1
    assert participation[0].entry_id not in winners
    assert participation[0].serial == "IKP-2023/MS/004"
    text = pdf_text(stored_pdf(participation[0]))
    assert "PARTISIPASI" in text.replace(" ", "").upper()
    again = generate(world, participation=True)
    assert again.state == "done" and len(certificates(world)) == 4
    assert again.message.startswith("0 sertifikat baru")


def test_winners_get_participation_too_when_the_organizer_asks(world):
    generate(world, participation=True, for_winners=True)
    participation = [c for c in certificates(world) if c.kind == "participation"]
    assert sorted(c.entry.entrant.name for c in participation) == [
        "Desa Mekarsari", "Kelurahan Cibeunying", "Kelurahan Sukamaju", "Kelurahan Tamansari"]


def test_serials_continue_after_the_highest_in_the_organising_body(world, make):
    other_year = make.competition(world.body, name="IKP Fest lama", year=2022, code="IKP-2023")
    old_entry = make.entry(make.category(other_year, code="MS"), world.entrants[0])
    db.session.add(Certificate(organisation_id=world.body.id, competition_id=other_year.id,
                               entry_id=old_entry.id, kind="winner", award="X",
                               serial="IKP-2023/MS/007", code="A" * 20))
    elsewhere = make.organisation(code="LAIN")
    foreign = make.competition(elsewhere, code="IKP-2023")
    foreign_entry = make.entry(make.category(foreign, code="MS"))
    db.session.add(Certificate(organisation_id=elsewhere.id, competition_id=foreign.id,
                               entry_id=foreign_entry.id, kind="winner", award="X",
                               serial="IKP-2023/MS/050", code="B" * 20))
    make.commit()
    generate(world)
    assert [c.serial for c in certificates(world)] == [
        "IKP-2023/MS/008", "IKP-2023/MS/009", "IKP-2023/MS/010"]


def test_a_failed_batch_leaves_no_certificate(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(issue, "render_each", broken)
    job = generate(world)
    assert job.state == "failed"
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_a_serial_taken_meanwhile_fails_the_batch_cleanly(world, monkeypatch):
    real = issue.render_each

    def render_while_someone_issues(ctxs, *args, **kwargs):
        pdfs = real(ctxs, *args, **kwargs)
        entry = world.entries[3]
        db.session.add(Certificate(organisation_id=world.body.id, competition_id=world.comp.id,
                                   entry_id=entry.id, kind="winner", award="Lain",
                                   serial=ctxs[0].serial, code="C" * 20))
        db.session.commit()  # another writer's transaction
        return pdfs

    monkeypatch.setattr(issue, "render_each", render_while_someone_issues)
    job = generate(world)
    assert job.state == "failed" and "Nomor seri" in job.message
    assert [c.award for c in certificates(world)] == ["Lain"]


def test_plugins_add_lines_to_the_certificate(world):
    class Plugin:
        @staticmethod
        @hookimpl
        def judging_certificate_context(certificate):
            return {"Nilai akhir": f"{certificate.total} (peringkat {certificate.rank})"}

    plugin = Plugin()
    methods().pm.register(plugin, name="test-certificate-lines")
    try:
        generate(world)
    finally:
        methods().pm.unregister(plugin)
    assert "Nilai akhir: 90.00 (peringkat 1)" in pdf_text(stored_pdf(certificates(world)[0]))


def test_revoke_needs_a_reason_and_is_audited(world):
    generate(world)
    cert = certificates(world)[0]
    with pytest.raises(Refused):
        issue.revoke(cert, "  ")
    issue.revoke(cert, "Salah nama")
    db.session.commit()
    assert cert.revoked_at is not None and cert.revoke_reason == "Salah nama"
    with pytest.raises(Refused):
        issue.revoke(cert, "lagi")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoke"))
    assert event.object_id == cert.id and event.after["reason"] == "Salah nama"


def test_reissue_gives_a_new_serial_and_code_and_revokes_the_old(world):
    generate(world)
    old = certificates(world)[0]
    new = issue.reissue(old, "Nama entrant diperbaiki")
    db.session.commit()
    assert old.revoked_at is not None and old.revoke_reason == "Nama entrant diperbaiki"
    assert new.replaces_id == old.id and new.serial == "IKP-2023/MS/004"
    assert new.code != old.code and new.award == old.award and new.revoked_at is None
    assert new.serial in pdf_text(stored_pdf(new))
    with pytest.raises(Refused):
        issue.reissue(old, "lagi")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"certificate.revoke", "certificate.reissue"} <= actions


def test_reissue_after_a_rename_snapshots_the_new_name_and_says_what_changed(world):
    generate(world)
    old = certificates(world)[0]
    printed = old.snapshot["entrant_name"]
    old.entry.entrant.name = "Kelurahan Sukamaju Baru"
    db.session.commit()
    assert old.snapshot["entrant_name"] == printed and old.snapshot["rank"] == 1
    new = issue.reissue(old, "Nama resmi berubah")
    db.session.commit()
    assert new.snapshot["entrant_name"] == "Kelurahan Sukamaju Baru"
    assert [(c["field"], c["before"], c["after"]) for c in new.changes] == [
        ("entrant_name", printed, "Kelurahan Sukamaju Baru")]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "certificate.reissue")).one()
    assert event.after["changes"][0]["field"] == "entrant_name"


def test_reissue_refused_once_no_longer_final(world):
    generate(world)
    cert = certificates(world)[0]
    world.comp.phase = "moderation"
    with pytest.raises(Refused):
        issue.reissue(cert, "alasan")


HOSTILE = [
    '<link rel=attachment href="file:///etc/passwd">',
    "url(file:///etc/passwd)",
    "<img src=http://127.0.0.1:9/>",
]


def test_hostile_names_are_printed_literally_and_fetch_only_the_logo(world, monkeypatch):
    for entrant, name in zip(world.entrants, HOSTILE, strict=False):
        entrant.name = name
    save_design(world.comp, DesignSettings(organiser_name=HOSTILE[2], place=HOSTILE[1],
                                           logo=store_image(io.BytesIO(png_bytes()))))
    db.session.commit()
    asked = []
    real_fetch = ResourceFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(ResourceFetcher, "fetch", spy)
    generate(world)
    rows = certificates(world)
    assert len(rows) == 3
    assert set(asked) == {"resource:logo.png"}
    text = pdf_text(stored_pdf(rows[0]))
    assert "file:///etc/passwd" in text and "127.0.0.1:9" in text
    assert b"/EmbeddedFile" not in stored_pdf(rows[0])


def test_leaving_final_is_blocked_while_certificates_stand(world):
    generate(world)
    with pytest.raises(Refused) as refused:
        phases.change_phase(world.comp, "moderation", reason="Nilai juri diperbaiki")
    assert "3 sertifikat" in str(refused.value.problems[0])
    db.session.rollback()
    for cert in certificates(world):
        issue.revoke(cert, "Hasil dihitung ulang")
    phases.change_phase(world.comp, "moderation", reason="Nilai juri diperbaiki")
    assert world.comp.phase == "moderation"


def test_bundles_keep_serials_in_numeric_order_past_999(world):
    for serial, code in (("IKP-2023/MS/1000", "D" * 20), ("IKP-2023/MS/999", "E" * 20)):
        db.session.add(Certificate(organisation_id=world.body.id, competition_id=world.comp.id,
                                   entry_id=world.entries[0].id, kind="winner", award=serial,
                                   serial=serial, code=code))
    db.session.flush()
    assert [c.serial for c in bundles.active_certificates(world.comp)] == [
        "IKP-2023/MS/999", "IKP-2023/MS/1000"]
    assert serials.next_numbers(world.body.id, {"IKP-2023/MS/"}) == {"IKP-2023/MS/": 1001}

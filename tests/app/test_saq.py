"""The online SAQ through the pages: fill, submit, verify, object, resolve, rank, and who may."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import (
    Answer,
    AuditEvent,
    ConflictDeclaration,
    IndicatorValue,
    Objection,
    SaqResponse,
    Verification,
)
from judging.models.types import utcnow
from judging.results.inputs import category_inputs
from judging.results.readiness import category_readiness
from tests.fixtures.worlds.saq_world import PDF, build, fill


@pytest.fixture
def world(make):
    return build(make)


def _response(world, entry=None):
    return db.session.scalar(select(SaqResponse).where(
        SaqResponse.entry_id == (entry or world.entry).id))


def _submit(web, world):
    web.login(world.body.email)
    fill(web, world)
    return web.post(f"/participant/entries/{world.entry.id}/saq/submit", {"group": "berkala"})


def test_body_fills_page_per_group_and_submits(web, world):
    web.login(world.body.email)
    page = web.get(f"/participant/entries/{world.entry.id}/saq/berkala").get_data(as_text=True)
    assert "Ada profil badan publik?" in page and "Jumlah pelatihan PPID" not in page
    fill(web, world)
    autosave = web.client.post(
        f"/participant/entries/{world.entry.id}/saq/questions/{world.question('B2').id}",
        data={"value": "90"}, headers={"Accept": "application/json",
                                       "X-CSRFToken": web.token()})
    assert autosave.json["ok"] and autosave.json["done"] == 4 and autosave.json["total"] == 4
    assert autosave.json["progress"] == {"berkala": [2, 2], "ppid": [2, 2]}
    response = web.post(f"/participant/entries/{world.entry.id}/saq/submit", {"group": "ppid"})
    assert response.status_code == 303
    db.session.expire_all()
    assert _response(world).status == "submitted"
    late = web.post(f"/participant/entries/{world.entry.id}/saq/questions/"
                    f"{world.question('B2').id}", {"value": "10"})
    assert late.status_code == 303
    db.session.expire_all()
    assert "sudah dikirim" in web.get(late.location).get_data(as_text=True)
    assert db.session.scalar(select(SaqResponse)).status == "submitted"


def test_incomplete_or_wrong_answers_are_refused(web, world):
    web.login(world.body.email)
    base = f"/participant/entries/{world.entry.id}/saq/questions"
    web.post(f"{base}/{world.question('A1').id}", {"value": "ya"})
    refused = web.post(f"/participant/entries/{world.entry.id}/saq/submit", {"group": "berkala"})
    assert "belum lengkap" in web.get(refused.location).get_data(as_text=True)
    bad = web.client.post(f"{base}/{world.question('B2').id}", data={"value": "140"},
                          headers={"Accept": "application/json", "X-CSRFToken": web.token()})
    assert bad.status_code == 409 and not bad.json["ok"]
    db.session.expire_all()
    assert _response(world).status == "draft"


@pytest.mark.parametrize("url", [
    "http://ppid.example.go.id/", "https://127.0.0.1/x", "https://localhost/x",
    "https://10.1.2.3/", "https://169.254.169.254/latest", "https://[::1]/",
    "https://0x7f.1/", "https://2130706433/", "https://printer.local/", "javascript:alert(1)",
    "https://intranet/",
])
def test_links_must_be_public_https(web, world, url):
    web.login(world.body.email)
    q = world.question("A2")
    response = web.post(f"/participant/entries/{world.entry.id}/saq/questions/{q.id}/link",
                        {"url": url})
    assert response.status_code == 303
    db.session.expire_all()
    assert all(a.url is None for a in _answers(world))


def test_evidence_file_checked_by_content_and_size(web, world):
    web.login(world.body.email)
    q = world.question("A1")
    url = f"/participant/entries/{world.entry.id}/saq/questions/{q.id}/file"
    fake = web.post(url, {"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "bukti.pdf")},
                    content_type="multipart/form-data")
    assert fake.status_code == 303
    world.questionnaire.evidence_max_bytes = 64
    db.session.commit()
    big = web.post(url, {"file": (io.BytesIO(PDF + b"0" * 100), "besar.pdf")},
                   content_type="multipart/form-data")
    assert big.status_code == 303
    world.questionnaire.evidence_max_bytes = 2 * 1024 * 1024
    db.session.commit()
    db.session.expire_all()
    assert _response(world) is None or not any(
        a.evidence_id for a in _answers(world))
    ok = web.post(url, {"file": (io.BytesIO(PDF), "profil.pdf")},
                  content_type="multipart/form-data")
    assert ok.status_code == 303
    db.session.expire_all()
    [answer] = [a for a in _answers(world) if a.evidence_id]
    assert answer.evidence.file_kind == "pdf" and answer.evidence.original_name == "profil.pdf"
    download = web.get(f"/evidence/{answer.evidence_id}")
    try:
        assert download.data == PDF
    finally:
        download.close()


def _answers(world):
    return list(db.session.scalars(select(Answer)))


def test_a_body_never_sees_or_writes_another_bodys_saq(web, world):
    _submit(web, world)
    web.logout()
    web.login(world.other_body.email)
    assert web.get(f"/participant/entries/{world.entry.id}/saq/berkala").status_code == 404
    post = web.post(f"/participant/entries/{world.entry.id}/saq/questions/"
                    f"{world.question('A1').id}", {"value": "tidak"})
    assert post.status_code == 404
    answer = next(a for a in _answers(world) if a.evidence_id is None and a.url)
    assert answer.response.entry_id == world.entry.id


def test_verification_accept_adjust_reject_and_scores(web, world):
    _submit(web, world)
    web.logout()
    web.login(world.verifier.email)
    queue = web.get("/jury/verification").get_data(as_text=True)
    assert world.entry.entrant.name in queue and world.other.entrant.name not in queue
    answers = {a.question.key: a for a in _answers(world)}
    decide = lambda key, **data: web.post(f"/jury/verification/answers/{answers[key].id}", data)  # noqa: E731
    decide("A1", decision="accepted")
    decide("A2", decision="adjusted", score="100", reason="Laporan lengkap di situs")
    decide("B1", decision="rejected", reason="Sertifikat pelatihan tidak ada")
    refused = decide("B2", decision="rejected")  # no reason
    assert "alasan" in web.get(refused.location).get_data(as_text=True).lower()
    decide("B2", decision="accepted")
    page = web.get(f"/jury/verification/{_response(world).id}").get_data(as_text=True)
    # (2×100 + 3×100 + 1×0 + 4×80) / 10 = 82
    assert 'id="verified-score">82' in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "saq.verified"))


def test_verifiers_only_their_assigned_bodies_and_conflicts_respected(web, world, make):
    _submit(web, world)
    web.logout()
    stranger = make.juror(world.competition)
    make.commit()
    web.login(stranger.email)
    response_id = _response(world).id
    assert world.entry.entrant.name not in web.get("/jury/verification").get_data(as_text=True)
    assert web.get(f"/jury/verification/{response_id}").status_code == 404
    answer = _answers(world)[0]
    assert web.post(f"/jury/verification/answers/{answer.id}",
                    {"decision": "accepted"}).status_code == 404
    web.logout()
    db.session.add(ConflictDeclaration(juror_id=world.verifier.id, entry_id=world.entry.id,
                                       reason="Mantan pegawai"))
    make.commit()
    web.login(world.verifier.email)
    assert world.entry.entrant.name not in web.get("/jury/verification").get_data(as_text=True)
    assert web.get(f"/jury/verification/{response_id}").status_code == 404
    assert db.session.scalar(select(Verification)) is None


def _verify_all(web, world, **overrides):
    for answer in _answers(world):
        data = overrides.get(answer.question.key, {"decision": "accepted"})
        web.post(f"/jury/verification/answers/{answer.id}", data)


def test_masa_sanggah_object_resolve_freeze_and_ranking(web, world, make):
    _submit(web, world)
    world.entry.status = "submitted"
    make.commit()
    web.logout()
    web.login(world.verifier.email)
    _verify_all(web, world, A2={"decision": "rejected", "reason": "Tautan mati"},
                B1={"decision": "rejected", "reason": "Tidak ada bukti"})
    web.logout()
    body_page = f"/participant/entries/{world.entry.id}/saq/berkala"
    web.login(world.body.email)
    assert "Tautan mati" not in web.get(body_page).get_data(as_text=True)  # not yet published
    web.logout()
    web.login(world.organizer.email)
    web.post(f"/organizer/categories/{world.category.id}/saq/objections/open", {"days": "5"})
    web.logout()
    web.login(world.body.email)
    page = web.get(body_page).get_data(as_text=True)
    assert "Tautan mati" in page and world.verifier.name not in page
    answers = {a.question.key: a for a in _answers(world)}
    for key in ("A2", "B1"):
        web.post(f"/participant/entries/{world.entry.id}/saq/questions/"
                 f"{answers[key].question_id}/objection",
                 {"reason": f"Bukti {key} ada", "url": "https://ppid.example.go.id/baru"},
                 content_type="multipart/form-data")
    assert db.session.scalar(select(Objection).where(Objection.answer_id == answers["A2"].id))
    web.logout()
    web.login(world.verifier.email)
    late = web.post(f"/jury/verification/answers/{answers['A1'].id}",
                    {"decision": "rejected", "reason": "x"})
    assert "sanggah" in web.get(late.location).get_data(as_text=True).lower()
    objections = {o.answer.question.key: o for o in db.session.scalars(select(Objection))}
    web.post(f"/jury/verification/objections/{objections['A2'].id}",
             {"outcome": "upheld", "resolution": "Tautan baru valid"})
    web.post(f"/jury/verification/objections/{objections['B1'].id}",
             {"outcome": "rejected", "resolution": "Sertifikat tidak sah"})
    web.logout()
    web.login(world.organizer.email)
    web.post(f"/organizer/categories/{world.category.id}/saq/objections/close")
    db.session.expire_all()
    assert world.questionnaire.frozen_at is not None
    # A1 100×2, A2 upheld → self 50×3, B1 rejected 0, B2 80×4: (200+150+0+320)/10 = 67
    db.session.add(IndicatorValue(entry_id=world.entry.id, indicator_key="nilai_saq",
                                  value=Decimal("20")))  # an old import: the online SAQ wins
    db.session.flush()
    inputs = category_inputs(world.category)
    [cohort] = inputs.cohort
    assert cohort.indicators["nilai_saq"] == 67.0
    advanced = inputs.method.score(inputs.cohort, inputs.settings)[world.entry.id].advanced
    assert advanced  # 67 ≥ gate 65
    web.logout()
    web.login(world.body.email)
    page = web.get(body_page).get_data(as_text=True)
    assert "Tautan baru valid" in page
    assert "Sertifikat tidak sah" in web.get(body_page.replace("berkala", "ppid")).get_data(
        as_text=True)
    web.logout()
    web.login(world.verifier.email)
    frozen = web.post(f"/jury/verification/objections/{objections['A2'].id}",
                      {"outcome": "rejected", "resolution": "ubah"})
    assert frozen.status_code == 303
    db.session.expire_all()
    assert db.session.get(Objection, objections["A2"].id).status == "upheld"


def test_readiness_counts_the_verified_online_saq_as_its_monev_value(web, world, make):
    _submit(web, world)
    web.logout()
    web.login(world.verifier.email)
    _verify_all(web, world)
    for entry in (world.entry, world.other):
        entry.status = "submitted"
        db.session.add(IndicatorValue(entry_id=entry.id, indicator_key="nilai_website",
                                      value=Decimal("80")))
    make.commit()
    [gap] = [g for g in category_readiness(world.category).gaps if g.kind == "monev"]
    assert world.other.code in str(gap) and world.entry.code not in str(gap)


def test_objections_only_in_the_window(web, world):
    _submit(web, world)
    web.logout()
    web.login(world.verifier.email)
    _verify_all(web, world)
    web.logout()
    web.login(world.body.email)
    answer = _answers(world)[0]
    web.post(f"/participant/entries/{world.entry.id}/saq/questions/{answer.question_id}/objection",
             {"reason": "Keberatan"}, content_type="multipart/form-data")
    assert db.session.scalar(select(Objection)) is None


def test_deadline_passed_and_extension_for_one_body(web, world):
    world.competition.submission_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    web.login(world.body.email)
    q = world.question("A1")
    web.post(f"/participant/entries/{world.entry.id}/saq/questions/{q.id}", {"value": "ya"})
    assert _response(world) is None
    web.logout()
    web.login(world.organizer.email)
    local = (utcnow() + timedelta(days=2)).astimezone(ZoneInfo("Asia/Jakarta"))
    response = web.post(f"/organizer/categories/{world.category.id}/saq/entries/"
                        f"{world.entry.id}/extend",
                        {"until": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 303
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "saq.deadline_extended"))
    web.logout()
    web.login(world.body.email)
    web.post(f"/participant/entries/{world.entry.id}/saq/questions/{q.id}", {"value": "ya"})
    db.session.expire_all()
    assert _response(world).deadline_override is not None
    web.logout()
    web.login(world.other_body.email)
    web.post(f"/participant/entries/{world.other.id}/saq/questions/{q.id}", {"value": "ya"})
    assert _response(world, world.other) is None


def test_organizer_progress_counts_and_pages(web, world):
    _submit(web, world)
    web.logout()
    web.login(world.organizer.email)
    page = web.get(f"/organizer/categories/{world.category.id}/saq/progress").get_data(
        as_text=True)
    assert "(2)" in page and world.other.entrant.name in page
    not_started = web.get(f"/organizer/categories/{world.category.id}/saq/progress"
                          "?state=not_started").get_data(as_text=True)
    assert world.other.entrant.name in not_started
    assert world.entry.entrant.name not in not_started


def test_outsiders_cannot_reach_organizer_saq_pages(web, world, make):
    other_organizer = make.organizer(make.competition())
    make.commit()
    web.login(other_organizer.email)
    assert web.get(f"/organizer/categories/{world.category.id}/saq").status_code == 403
    web.logout()
    web.login(world.body.email)
    assert web.get(f"/organizer/categories/{world.category.id}/saq/progress").status_code == 403

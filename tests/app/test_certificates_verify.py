"""Public verification by code, and participants downloading only their own certificates."""

from __future__ import annotations

import pytest
from babel.dates import format_date
from sqlalchemy import select

from judging.certificates import issue
from judging.extensions import db
from judging.i18n import to_zone
from judging.jobs import enqueue
from judging.models import Certificate
from tests.app.test_certificates_world import CONFIG, build_world, pdf_text


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG}


@pytest.fixture
def world(app, make):
    built = build_world(make)
    enqueue(issue.GENERATE_KIND, competition_id=built.comp.id, user_id=built.organizer.id,
            params={"competition_id": built.comp.id, "participation": True,
                    "participation_for_winners": True})
    built.certs = list(db.session.scalars(select(Certificate).order_by(Certificate.serial)))
    return built


def publish(world):
    world.comp.phase = "published"
    db.session.commit()


def cert_of(world, entrant_index: int, kind: str = "winner") -> Certificate:
    entry = world.entries[entrant_index]
    return next(c for c in world.certs if c.entry_id == entry.id and c.kind == kind)


def test_a_valid_code_is_confirmed(world, client):
    publish(world)
    cert = cert_of(world, 0)
    page = client.get(f"/verify/{cert.code}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="verify-valid"' in body
    for wanted in ("Kelurahan Sukamaju", "Peringkat Pertama", "IKP Fest 2023",
                   "IKP-2023/MS/001", "Diskominfo Kota Contoh"):
        assert wanted in body
    assert "verify-revoked" not in body and "verify-unknown" not in body


def test_verification_shows_the_issued_snapshot_after_an_entrant_rename(world, client):
    """Issue 15 item 2: verification used to name the entrant's new name."""
    publish(world)
    cert = cert_of(world, 0)
    cert.entry.entrant.name = "Kelurahan Nama Baru"
    db.session.commit()
    body = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Kelurahan Sukamaju" in body and "Kelurahan Nama Baru" not in body
    assert 'id="verify-rank"' in body


def test_a_code_typed_loosely_still_matches(world, client):
    publish(world)
    cert = cert_of(world, 1)
    loose = "-".join(cert.code[i:i + 4] for i in range(0, 20, 4)).lower()
    answer = client.get("/verify", query_string={"code": f" {loose} "})
    assert answer.status_code == 303 and answer.location.endswith(f"/verify/{cert.code}")
    assert "Kelurahan Cibeunying" in client.get(answer.location).get_data(as_text=True)


@pytest.mark.parametrize("code", ["ABCDEFGHJKLMNPQRSTUV", "x", "<img src=x onerror=alert(1)>"])
def test_an_unknown_code_is_said_to_be_unknown(world, client, code):
    page = client.get(f"/verify/{code}")
    body = page.get_data(as_text=True)
    assert page.status_code == 404 and 'id="verify-unknown"' in body
    assert "Kode tidak dikenal" in body and "<img src=x" not in body
    assert "Kelurahan" not in body


def test_a_revoked_certificate_is_shown_as_revoked_with_its_date(world, client):
    publish(world)
    cert = cert_of(world, 0)
    issue.revoke(cert, "Data keliru")
    db.session.commit()
    body = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert 'id="verify-revoked"' in body and "DICABUT" in body
    assert "verify-valid" not in body
    shown = format_date(to_zone(cert.revoked_at, world.comp.timezone).date(), format="d MMMM y",
                        locale="id")
    assert f"dicabut pada {shown}" in body and "Kelurahan Sukamaju" in body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_before_publication_verification_reveals_no_award(world, client, lang):
    """Issue 12, item 7: the results page is 404 until publication, so is the award."""
    cert = cert_of(world, 0)
    revoked = cert_of(world, 1)
    issue.revoke(revoked, "Data keliru")
    db.session.commit()
    assert client.get(f"/results/{world.comp.id}").status_code == 404
    for code in (cert.code, revoked.code):
        page = client.get(f"/verify/{code}", query_string={"lang": lang})
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="verify-pending"' in body
        for secret in ("Kelurahan Sukamaju", "Kelurahan Cibeunying", "Peringkat", "IKP-2023/MS/",
                       "IKP Fest 2023", "verify-valid", "verify-revoked", "verify-award"):
            assert secret not in body
    wanted = "once the competition's results are published" if lang == "en" else "diumumkan"
    assert wanted in body
    publish(world)
    body = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert 'id="verify-valid"' in body and "Kelurahan Sukamaju" in body
    assert "Peringkat Pertama" in body and "verify-pending" not in body


def test_the_public_home_has_the_verification_form(app, client):
    body = client.get("/").get_data(as_text=True)
    assert 'id="verify-form"' in body and 'name="code"' in body


def test_participant_downloads_own_certificates_once_published(world, web):
    web.login(world.first.email)
    own = cert_of(world, 0)
    assert web.get(f"/participant/certificates/{own.id}/pdf").status_code == 404  # still final
    assert "IKP-2023/MS/001" not in web.get("/participant/certificates").get_data(as_text=True)
    publish(world)
    listing = web.get("/participant/certificates").get_data(as_text=True)
    assert own.serial in listing and cert_of(world, 1).serial not in listing
    pdf = web.get(f"/participant/certificates/{own.id}/pdf")
    assert pdf.status_code == 200 and "Kelurahan Sukamaju" in pdf_text(pdf.data)
    participation = cert_of(world, 0, "participation")
    assert web.get(f"/participant/certificates/{participation.id}/pdf").status_code == 200


def test_participant_cannot_download_another_entrants_certificate(world, web):
    publish(world)
    web.login(world.first.email)
    for other in (cert_of(world, 1), cert_of(world, 2), cert_of(world, 1, "participation")):
        assert web.get(f"/participant/certificates/{other.id}/pdf").status_code == 404
    assert web.get("/participant/certificates/999999/pdf").status_code == 404
    assert web.get(f"/organizer/certificates/{cert_of(world, 1).id}/pdf").status_code == 403


def test_a_revoked_certificate_is_no_longer_downloadable(world, web):
    publish(world)
    own = cert_of(world, 0)
    issue.revoke(own, "Dibatalkan")
    db.session.commit()
    web.login(world.first.email)
    assert web.get(f"/participant/certificates/{own.id}/pdf").status_code == 404
    assert "Dicabut" in web.get("/participant/certificates").get_data(as_text=True)

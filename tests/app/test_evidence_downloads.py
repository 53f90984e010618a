"""Evidence downloads: who may fetch what, and headers that keep the content inert."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import select

from judging.extensions import db
from judging.io.files.storage import S3Store
from judging.models import ConflictDeclaration, Evidence
from tests.app.test_evidence_uploads import build_world, pdf_bytes, png_bytes, upload, xlsx_bytes


@pytest.fixture
def world(make):
    return build_world(make)


def uploaded(web, world, data, name) -> Evidence:
    web.login("p@juara.test")
    assert upload(web, world.entry.id, data, name).status_code == 303
    web.logout()
    return db.session.scalars(select(Evidence).order_by(Evidence.id.desc())).first()


def download(web, evidence_id, inline=False):
    response = web.get(f"/evidence/{evidence_id}" + ("?inline=1" if inline else ""))
    response.get_data()
    response.close()  # releases the stored file's handle
    return response


def assert_inert(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_participant_downloads_own_file_as_attachment_with_checked_mime(web, world):
    evidence = uploaded(web, world, pdf_bytes(), "Laporan Akhir.pdf")
    web.login("p@juara.test")
    response = download(web, evidence.id, inline=True)  # participants always get attachment
    assert response.status_code == 200
    assert response.data == pdf_bytes()
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Laporan%20Akhir.pdf" in response.headers["Content-Disposition"]
    assert_inert(response)


def test_mime_comes_from_the_content_not_the_upload_header(web, world):
    web.login("p@juara.test")
    from io import BytesIO

    web.post(f"/participant/entries/{world.entry.id}/evidence",
             {"file": (BytesIO(png_bytes()), "gambar.pdf", "text/html")})
    evidence = db.session.scalars(select(Evidence)).one()
    response = download(web, evidence.id)
    assert response.mimetype == "image/png"


def test_another_entrants_evidence_is_404_with_no_data(web, world):
    evidence = uploaded(web, world, pdf_bytes(b"rahasia"), "rahasia-kami.pdf")
    web.login("other@juara.test")
    response = download(web, evidence.id)
    assert response.status_code == 404
    assert b"rahasia" not in response.data
    assert download(web, 424242).status_code == 404


def test_juror_sees_submitted_assigned_evidence_inline_for_pdfs_and_images(web, world, make):
    pdf = uploaded(web, world, pdf_bytes(), "laporan.pdf")
    image = uploaded(web, world, png_bytes(), "foto.png")
    sheet = uploaded(web, world, xlsx_bytes(), "data.xlsx")
    make.juror(world.competition, [world.category], email="juri@juara.test")
    make.commit()
    web.login("juri@juara.test")
    assert download(web, pdf.id).status_code == 404  # not submitted yet
    world.entry.status = "submitted"
    db.session.commit()
    for evidence, mime in ((pdf, "application/pdf"), (image, "image/png")):
        response = download(web, evidence.id, inline=True)
        assert response.status_code == 200 and response.mimetype == mime
        assert response.headers["Content-Disposition"].startswith("inline;")
        assert_inert(response)
        plain = download(web, evidence.id)
        assert plain.headers["Content-Disposition"].startswith("attachment;")
    response = download(web, sheet.id, inline=True)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert_inert(response)


def test_unassigned_or_conflicted_juror_gets_404(web, world, make):
    evidence = uploaded(web, world, pdf_bytes(), "laporan.pdf")
    world.entry.status = "submitted"
    other_category = make.category(world.competition)
    make.juror(world.competition, [other_category], email="lain@juara.test")
    conflicted = make.juror(world.competition, [world.category], email="konflik@juara.test")
    db.session.add(ConflictDeclaration(juror_id=conflicted.id, entry_id=world.entry.id,
                                       reason="Kerabat"))
    make.commit()
    for email in ("lain@juara.test", "konflik@juara.test"):
        web.login(email)
        assert download(web, evidence.id).status_code == 404, email
        web.logout()


def test_organizer_of_the_competition_sees_all_and_others_do_not(web, world, make):
    evidence = uploaded(web, world, png_bytes(), "foto.png")
    make.organizer(world.competition, email="org@juara.test")
    make.organizer(make.competition(), email="org-lain@juara.test")
    make.commit()
    web.login("org@juara.test")
    response = download(web, evidence.id, inline=True)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline;")
    web.logout()
    web.login("org-lain@juara.test")
    assert download(web, evidence.id).status_code == 404


def test_blind_category_hides_the_original_name_from_jurors(web, world, make):
    evidence = uploaded(web, world, pdf_bytes(), f"Profil {world.entry.entrant.name}.pdf")
    world.category.blind = True
    world.entry.status = "submitted"
    make.juror(world.competition, [world.category], email="juri@juara.test")
    make.commit()
    web.login("juri@juara.test")
    disposition = download(web, evidence.id).headers["Content-Disposition"]
    assert world.entry.code in disposition
    assert "Profil" not in disposition


def test_anonymous_visitor_is_sent_to_login(web, world):
    evidence = uploaded(web, world, pdf_bytes(), "laporan.pdf")
    response = download(web, evidence.id)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


class TestS3:
    """The same views with the evidence in an S3 bucket (moto)."""

    @pytest.fixture
    def app_config(self, app_config, monkeypatch):
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        return {**app_config, "EVIDENCE_STORAGE": "s3", "S3_BUCKET": "juara-bukti",
                "S3_REGION": "us-east-1"}

    @pytest.fixture(autouse=True)
    def bucket(self, app_config):
        with mock_aws():
            boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="juara-bukti")
            yield

    def test_upload_and_download_through_the_views(self, app, web, world):
        from judging.evidence import evidence_store

        assert isinstance(evidence_store(), S3Store)
        evidence = uploaded(web, world, pdf_bytes(b"s3"), "di-awan.pdf")
        objects = boto3.client("s3", region_name="us-east-1").list_objects_v2(
            Bucket="juara-bukti")["Contents"]
        assert [o["Key"] for o in objects] == [f"evidence/{evidence.storage_key[:2]}/"
                                               f"{evidence.storage_key[2:4]}/"
                                               f"{evidence.storage_key}"]
        web.login("p@juara.test")
        response = download(web, evidence.id)
        assert response.status_code == 200 and response.data == pdf_bytes(b"s3")
        assert_inert(response)
        web.post(f"/participant/entries/{world.entry.id}/evidence/{evidence.id}/delete")
        listed = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket="juara-bukti")
        assert listed.get("KeyCount") == 0


@pytest.mark.parametrize(("data", "name", "saved_as"), [
    (pdf_bytes(), "ok-as-html.html", "ok-as-html.pdf"),
    (pdf_bytes(), "x.pdf.html", "x.pdf"),
    (pdf_bytes(), "laporan.PDF", "laporan.PDF"),
    (pdf_bytes(), "Laporan v1.2", "Laporan v1.2.pdf"),
    (png_bytes(), "gambar.pdf", "gambar.png"),
    (png_bytes(), "halaman.svg", "halaman.png"),
])
def test_download_extension_follows_the_checked_kind(web, world, data, name, saved_as):
    evidence = uploaded(web, world, data, name)
    web.login("p@juara.test")
    disposition = download(web, evidence.id).headers["Content-Disposition"]
    assert f'filename="{saved_as}"' in disposition
    assert disposition.endswith("''" + saved_as.replace(" ", "%20"))


@pytest.mark.parametrize("data", [
    pdf_bytes(b"x" * 3000 + b"<html><script>alert(1)</script></html>"),
    b"Hello\n" + pdf_bytes(),
    pdf_bytes(b"2 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj"),
    png_bytes() + b"<html><script>alert(1)</script></html>",
])
def test_polyglots_and_scripted_pdfs_are_refused_with_a_clear_message(app, web, world, data):
    web.login("p@juara.test")
    response = upload(web, world.entry.id, data, "bukti.pdf", Accept="application/json")
    assert response.status_code == 400
    assert "tidak diterima" in response.json["errors"][0]
    assert db.session.scalars(select(Evidence)).first() is None

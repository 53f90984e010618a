"""The design preview is watermarked CONTOH, issued certificates never are; the body's logo
is the default logo and the organizer can remove it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from judging.certificates.design import design_settings
from judging.evidence import evidence_store
from judging.extensions import db
from judging.models import Certificate, Competition, Organisation
from tests.app.test_certificates_pages import design_form, url
from tests.app.test_certificates_world import CONFIG, build_world
from tests.unit.test_certificates_helpers import png_bytes

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
WATERMARK = re.compile(r"\bCONTOH\b")


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG}


@pytest.fixture
def world(app, make, web):
    built = build_world(make)
    web.login(built.organizer.email)
    return built


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_the_preview_says_contoh_and_an_issued_certificate_does_not(world, web):
    preview = pdftotext(web.get(url(world, "/preview.pdf")).data)
    assert WATERMARK.search(preview) and "sertifikat resmi" in preview
    web.post(url(world, "/generate"), {})
    issued = db.session.scalars(select(Certificate)).first()
    text = pdftotext(web.get(f"/organizer/certificates/{issued.id}/pdf").data)
    assert issued.serial in text and "Kelurahan Sukamaju" in text
    assert not WATERMARK.search(text) and "sertifikat resmi" not in text


def test_the_body_logo_is_the_default_and_can_be_removed(world, web):
    body = db.session.get(Organisation, world.comp.organisation_id)
    body.logo_key = evidence_store().put(io.BytesIO(png_bytes(40, 40)))
    db.session.commit()
    comp = db.session.get(Competition, world.comp.id)
    assert design_settings(comp).logo.key == body.logo_key
    assert design_settings(comp).logo.kind == "png"
    web.post(url(world, "/design"), design_form(remove_logo="y"),
             content_type="multipart/form-data")
    db.session.expire_all()
    assert design_settings(db.session.get(Competition, world.comp.id)).logo is None


def test_a_competition_logo_becomes_the_body_logo_when_it_has_none(world, web):
    web.post(url(world, "/design"), design_form(logo=(io.BytesIO(png_bytes(60, 60)), "l.png")),
             content_type="multipart/form-data")
    db.session.expire_all()
    comp = db.session.get(Competition, world.comp.id)
    assert comp.organisation.logo_key == comp.logo_key is not None

"""Absolute links come from BASE_URL, never from the Host header; unknown hosts get 400."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from judging import create_app
from judging.config import ConfigurationError
from judging.extensions import db
from judging.models import Certificate, Invitation
from judging.urls import external_url
from tests.app.organizer_world import build_world
from tests.app.test_certificates_world import CONFIG
from tests.app.test_certificates_world import build_world as certificate_world

CANONICAL = "https://juara.example.go.id"


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG, "BASE_URL": CANONICAL}


def add_juror(web, competition_id: int, **extra):
    return web.post(f"/organizer/competitions/{competition_id}/jury/add",
                    {"email": "juri.baru@juara.test", "name": "Juri Baru"}, **extra)


def as_evil_host(web, path: str, data: dict):
    """The signed-in organizer's own cookie and form token, sent with ``Host: evil.example``."""
    token = web.token()  # first: fetching it may update the session cookie
    cookie = web.client.get_cookie("juara_session").value
    raw = web.client.application.test_client(use_cookies=False)
    return raw.post(path, data={**data, "csrf_token": token},
                    headers={"Host": "evil.example", "Cookie": f"juara_session={cookie}"})


def test_juror_add_from_an_unknown_host_is_refused_and_writes_nothing(web, make):
    world = build_world(make)
    web.login(world.organizer.email)
    response = as_evil_host(web, f"/organizer/competitions/{world.competition.id}/jury/add",
                            {"email": "juri.baru@juara.test", "name": "Juri Baru"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Permintaan tidak valid" in page and "tidak dilayani" in page
    assert "evil.example" not in page
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_invitation_link_is_on_the_canonical_host(web, make):
    world = build_world(make)
    web.login(world.organizer.email)
    response = add_juror(web, world.competition.id)  # Host: localhost, trusted in tests
    links = re.findall(r"https?://[^\s\"'<]+/auth/invitation/[\w-]+",
                       response.get_data(as_text=True))
    assert response.status_code == 200 and links
    assert all(link.startswith(CANONICAL + "/auth/invitation/") for link in links)


def test_reissued_certificate_verify_url_and_qr_use_the_canonical_host(web, make, tmp_path):
    world = certificate_world(make)
    web.login(world.organizer.email)
    web.post(f"/organizer/competitions/{world.comp.id}/certificates/generate")
    old = db.session.scalar(select(Certificate).order_by(Certificate.serial))
    refused = as_evil_host(web, f"/organizer/certificates/{old.id}/reissue", {"reason": "Nama"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Certificate, old.id).revoked_at is None
    web.post(f"/organizer/certificates/{old.id}/reissue", {"reason": "Nama"})  # on localhost
    new = db.session.scalar(select(Certificate).where(Certificate.replaces_id == old.id))
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(web.get(f"/organizer/certificates/{new.id}/pdf").data)
    assert f"{CANONICAL}/verify/{new.code}" in _pdf_text(pdf)
    assert _qr_text(pdf, tmp_path) == f"{CANONICAL}/verify/{new.code}"


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", text.stdout)


def _qr_text(path, tmp_path) -> str:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (QR decoder) not installed")
    image_module = pytest.importorskip("PIL.Image")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", path, tmp_path / "c"],
                   check=True)
    with image_module.open(tmp_path / "c.png") as image:
        (decoded,) = [code.text for code in zxingcpp.read_barcodes(image)]
    return decoded


def test_links_outside_requests_use_the_base_url(app):
    assert external_url("public.verify", code="ABC") == f"{CANONICAL}/verify/ABC"


def test_base_url_with_a_path_prefix(app):
    app.config["BASE_URL"] = "https://pemda.example.go.id/juara"
    assert external_url("auth.login") == "https://pemda.example.go.id/juara/auth/login"


def test_production_refuses_to_start_without_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("JUDGING_BASE_URL")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigurationError, match="JUDGING_BASE_URL is not set"):
        create_app({"AUTO_UPGRADE": False})
    with pytest.raises(ConfigurationError, match="not a web address"):
        create_app({"AUTO_UPGRADE": False, "BASE_URL": "juara.example.go.id"})


def test_development_starts_without_base_url_and_trusts_localhost(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("JUDGING_BASE_URL")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"AUTO_UPGRADE": False})
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_production_trusts_only_the_base_url_host(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("JUDGING_BASE_URL", CANONICAL + "/")
    app = create_app({"AUTO_UPGRADE": False})
    assert app.config["BASE_URL"] == CANONICAL
    assert app.config["TRUSTED_HOSTS"] == ["juara.example.go.id"]
    client = app.test_client()
    assert client.get("/auth/login", base_url=CANONICAL).status_code == 200
    assert client.get("/auth/login", base_url="http://localhost").status_code == 400

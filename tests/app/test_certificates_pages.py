"""Organizer certificate pages: design and preview, generate, list, revoke, re-issue, downloads."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import Certificate, Competition, Job
from tests.app.test_certificates_world import CONFIG, build_world, page_count, pdf_text
from tests.unit.test_certificates_helpers import png_bytes


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG}


@pytest.fixture
def world(app, make, web):
    built = build_world(make)
    web.login(built.organizer.email)
    return built


def url(world, tail="") -> str:
    return f"/organizer/competitions/{world.comp.id}/certificates{tail}"


def generate(web, world, **form):
    return web.post(url(world, "/generate"), form)


def certificates(world) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.competition_id == world.comp.id).order_by(Certificate.serial)))


@pytest.mark.parametrize("phase", ["draft", "open", "judging", "moderation"])
def test_generate_is_refused_with_a_message_before_final(app, make, web, phase):
    world = build_world(make, phase=phase)
    web.login(world.organizer.email)
    page = web.get(url(world)).get_data(as_text=True)
    assert 'id="certificates-refusal"' in page and "tahap final" in page
    answer = generate(web, world, participation="y")
    assert answer.status_code == 303 and answer.location.endswith(url(world))
    assert "tahap final" in web.get(url(world)).get_data(as_text=True)
    assert certificates(world) == [] and db.session.scalar(select(Job.id)) is None


def test_generate_runs_a_job_whose_result_is_the_zip(world, web):
    answer = generate(web, world)
    assert answer.status_code == 303 and "/organizer/jobs/" in answer.location
    job_page = web.get(answer.location).get_data(as_text=True)
    assert 'value="100"' in job_page and 'id="job-download"' in job_page
    download = web.get(answer.location + "/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert len(archive.namelist()) == 3
    listing = web.get(url(world)).get_data(as_text=True)
    for cert in certificates(world):
        assert cert.serial in listing and cert.code in listing


def test_participation_checkbox_reaches_the_job(world, web):
    generate(web, world, participation="y")
    assert sum(c.kind == "participation" for c in certificates(world)) == 1  # non-winners only


def test_other_organizers_are_refused(app, make, web):
    world = build_world(make)
    generate_as = make.organizer(make.competition())
    make.commit()
    web.login(generate_as.email)
    assert web.get(url(world)).status_code == 403
    assert generate(web, world).status_code == 403
    assert web.get(url(world, "/preview.pdf")).status_code == 403


def test_revoke_and_reissue_from_the_list(world, web):
    generate(web, world)
    first = certificates(world)[0]
    assert web.post(f"/organizer/certificates/{first.id}/revoke", {"reason": ""}).status_code == 303
    db.session.expire_all()
    assert first.revoked_at is None
    web.post(f"/organizer/certificates/{first.id}/revoke", {"reason": "Nama salah"})
    db.session.expire_all()
    assert first.revoked_at is not None
    web.post(f"/organizer/certificates/{first.id}/reissue", {"reason": "Nama diperbaiki"})
    db.session.expire_all()
    replacement = db.session.scalar(select(Certificate).where(Certificate.replaces_id == first.id))
    assert replacement.serial == "IKP-2023/MS/004" and replacement.code != first.code
    listing = web.get(url(world)).get_data(as_text=True)
    assert "Dicabut" in listing and replacement.serial in listing


def test_zip_and_single_pdf_downloads(world, web):
    generate(web, world)
    rows = certificates(world)
    web.post(f"/organizer/certificates/{rows[1].id}/revoke", {"reason": "Dibatalkan"})
    archive = zipfile.ZipFile(io.BytesIO(web.get(url(world, "/archive.zip")).data))
    assert [n.split("_")[0] for n in archive.namelist()] == ["IKP-2023-MS-001", "IKP-2023-MS-003"]
    single = web.get(f"/organizer/certificates/{rows[0].id}/pdf")
    assert single.mimetype == "application/pdf" and "Kelurahan Sukamaju" in pdf_text(single.data)


def test_print_job_makes_one_pdf_one_certificate_a_page(world, web):
    generate(web, world)
    answer = web.post(url(world, "/print"))
    job = db.session.get(Job, answer.location.rsplit("/", 1)[1])
    assert job.state == "done"
    pdf = web.get(f"/organizer/jobs/{job.id}/download")
    assert pdf.mimetype == "application/pdf" and page_count(pdf.data) == 3
    text = pdf_text(pdf.data)
    assert all(c.serial in text for c in certificates(world))


def design_form(**changes) -> dict:
    form = {"layout": "modern", "primary_colour": "#112233", "accent_colour": "#aa8800",
            "organiser_name": "Dinas Kominfo Kota Contoh", "place": "Bandung",
            "date_text": "12 Desember 2023",
            "signatories-0-name": "Dr. Ahmad Fauzi", "signatories-0-position": "Kepala Dinas",
            "signatories-1-name": "", "signatories-1-position": "",
            "signatories-2-name": "", "signatories-2-position": ""}
    form.update(changes)
    return form


def test_design_is_saved_with_logo_and_signature_and_previewed(world, web):
    form = design_form(logo=(io.BytesIO(png_bytes(60, 60)), "logo.png"),
                       **{"signatories-0-image": (io.BytesIO(png_bytes(80, 24)), "ttd.png")})
    answer = web.post(url(world, "/design"), form, content_type="multipart/form-data")
    assert answer.status_code == 303
    db.session.expire_all()
    comp = db.session.get(Competition, world.comp.id)
    design = comp.certificate_design
    assert design["layout"] == "modern" and design["place"] == "Bandung"
    assert design["logo"]["kind"] == "png" and comp.logo_key == design["logo"]["key"]
    assert design["signatories"][0]["image"]["kind"] == "png"
    page = web.get(url(world, "/design")).get_data(as_text=True)
    assert 'value="Dr. Ahmad Fauzi"' in page and "preview.pdf" in page
    preview = web.get(url(world, "/preview.pdf"))
    assert preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline")
    text = pdf_text(preview.data)
    for wanted in ("Kelurahan Sukamaju", "Peringkat Pertama", "Bandung, 12 Desember 2023",
                   "Dr. Ahmad Fauzi", "Kepala Dinas"):
        assert wanted in text
    assert db.session.scalar(select(Certificate.id)) is None  # a preview issues nothing


def test_design_keeps_images_when_saved_again_without_uploads(world, web):
    web.post(url(world, "/design"), design_form(logo=(io.BytesIO(png_bytes()), "l.png")),
             content_type="multipart/form-data")
    web.post(url(world, "/design"), design_form(place="Cimahi"),
             content_type="multipart/form-data")
    db.session.expire_all()
    design = db.session.get(Competition, world.comp.id).certificate_design
    assert design["place"] == "Cimahi" and design["logo"] is not None


@pytest.mark.parametrize(("changes", "message"), [
    ({"primary_colour": "red;}body{"}, "hex"),
    ({"layout": "../../etc/passwd"}, "Not a valid choice"),
    ({"signatories-1-name": "Tanpa Jabatan"}, "nama dan jabatan"),
    ({"logo": (io.BytesIO(b"<html><script>x</script></html>"), "logo.png")}, "tidak diterima"),
])
def test_bad_design_input_is_refused_and_nothing_saved(world, web, changes, message):
    answer = web.post(url(world, "/design"), design_form(**changes),
                      content_type="multipart/form-data")
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert message.lower() in body.lower()
    db.session.expire_all()
    assert db.session.get(Competition, world.comp.id).certificate_design == {}


def test_a_non_image_logo_gets_a_clear_message(world, web):
    answer = web.post(url(world, "/design"),
                      design_form(logo=(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "logo.png")),
                      content_type="multipart/form-data")
    assert answer.status_code == 400
    assert "PNG" in answer.get_data(as_text=True)


def test_qr_code_on_an_issued_certificate_opens_its_verification_page(world, web, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (QR decoder) not installed")
    image_module = pytest.importorskip("PIL.Image")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    generate(web, world)
    cert = certificates(world)[0]
    (tmp_path / "c.pdf").write_bytes(web.get(f"/organizer/certificates/{cert.id}/pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", tmp_path / "c.pdf",
                    tmp_path / "c"], check=True)
    with image_module.open(tmp_path / "c.png") as image:
        (decoded,) = [code.text for code in zxingcpp.read_barcodes(image)]
    assert decoded == f"{web.client.application.config['BASE_URL']}/verify/{cert.code}"
    path = re.sub(r"^https?://[^/]+", "", decoded)
    world.comp.phase = "published"  # verification shows the recipient once results are public
    db.session.commit()
    assert "Kelurahan Sukamaju" in web.get(path).get_data(as_text=True)

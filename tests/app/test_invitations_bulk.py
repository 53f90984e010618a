"""Bulk invitations: upload → preview (new, existing, errors by row) → one job sends all."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Invitation, Job, Message, RoleGrant, User
from tests.app.organizer_world import build_world


@pytest.fixture
def app_config(app_config, smtp_server):
    _inbox, port = smtp_server
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "BASE_URL": "https://juara.example.go.id"}


@pytest.fixture
def world(make):
    world = build_world(make)
    world.cat = world.category(name="Website", code="WEB")
    world.entrant = make.entrant(world.body, code="KEL-01", name="Kelurahan Satu")
    make.commit()
    return world


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def csv_file(rows, header="Nama,Email,Peran,Kode peserta,Kategori,Bahasa"):
    text = "\n".join([header, *(",".join(r) for r in rows)])
    return (io.BytesIO(text.encode("utf-8-sig")), "daftar.csv")


def upload(org, world, file):
    response = org.post(f"/organizer/competitions/{world.competition.id}/invitations/preview",
                        {"upload": file}, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def confirm(org, world, page):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    return org.post(f"/organizer/competitions/{world.competition.id}/invitations/confirm",
                    {"token": token})


def test_preview_sorts_rows_and_names_errors_by_row(org, world, make):
    make.user("lama@juara.test", name="Lama")
    make.commit()
    page = upload(org, world, csv_file([
        ("Juri Baru", "baru@juara.test", "juri", "", "WEB", "en"),
        ("", "lama@juara.test", "verifikator", "", "", ""),
        ("Peserta", "p@juara.test", "peserta", "KEL-01", "", ""),
        ("X", "bukan-email", "juri", "", "", ""),
        ("Y", "y@juara.test", "bos", "", "", ""),
        ("Z", "z@juara.test", "peserta", "NOPE", "", ""),
        ("", "tanpa.nama@juara.test", "juri", "", "", ""),
        ("Juri Baru", "baru@juara.test", "juri", "", "WEB", "en"),
    ]))
    assert "2 akun baru" in page and "1 akun yang sudah ada" in page
    assert "5 baris bermasalah" in page
    errors = re.search(r'id="bulk-errors">(.*?)</table>', page, re.S).group(1)
    for row, text in ((5, "Alamat email tidak valid"), (6, "Peran tidak dikenal"),
                      (7, "Kode peserta tidak ditemukan"), (8, "Nama wajib diisi"),
                      (9, "Baris ganda")):
        assert re.search(rf"<td>{row}</td><td>[^<]*</td><td>{text}", errors), row
    assert db.session.scalar(select(func.count()).select_from(RoleGrant).where(
        RoleGrant.role == "juror")) == 0  # a preview grants nothing


def test_confirm_grants_roles_and_mails_each_person_in_their_language(org, world, make,
                                                                      smtp_server):
    inbox, _port = smtp_server
    make.user("lama@juara.test", name="Lama")
    make.commit()
    page = upload(org, world, csv_file([
        ("Juri Baru", "baru@juara.test", "juri", "", "WEB", "en"),
        ("", "lama@juara.test", "verifikator", "", "", ""),
        ("Peserta", "p@juara.test", "peserta", "KEL-01", "", ""),
        ("Panitia", "panitia@juara.test", "penyelenggara", "", "", ""),
    ]))
    response = confirm(org, world, page)
    job = db.session.scalar(select(Job).where(Job.kind == "invitations.bulk"))
    assert response.status_code == 303 and job.state == "done" and job.done == job.total == 8
    [juror] = inbox.to("baru@juara.test")
    assert juror["Subject"] == "Invitation to judge IKP Fest"
    link = re.search(r"https://juara\.example\.go\.id/auth/invitation/\S+",
                     juror.get_body(("plain",)).get_content()).group(0)
    [existing] = inbox.to("lama@juara.test")
    assert existing["Subject"] == "Peran baru di Juara: IKP Fest"
    assert "/auth/invitation/" not in existing.get_body(("plain",)).get_content()
    assert inbox.to("p@juara.test")[0]["Subject"] == "Undangan menjadi peserta IKP Fest"
    assert inbox.to("panitia@juara.test")[0]["Subject"] == \
        "Undangan menjadi penyelenggara IKP Fest"
    user = db.session.scalar(select(User).where(User.email == "baru@juara.test"))
    assert user.locale == "en"
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3

    org.logout()
    token = link.rsplit("/", 1)[1]
    accept = org.get(f"/auth/invitation/{token}")
    assert accept.status_code == 200


def test_a_thousand_invitations_in_one_job_through_smtp(org, world, smtp_server):
    inbox, _port = smtp_server
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "Email", "Peran", "Kode peserta", "Kategori"])
    for n in range(1000):
        sheet.append([f"Juri {n}", f"juri{n}@juara.test", "juri", "", "Website"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    page = upload(org, world, (data, "daftar.xlsx"))
    assert "1000 akun baru" in page and "… dan 800 lagi" in page
    confirm(org, world, page)
    jobs = db.session.scalars(select(Job).where(Job.kind == "invitations.bulk")).all()
    assert len(jobs) == 1 and jobs[0].state == "done" and jobs[0].done == 2000
    assert len(inbox.messages) == 1000
    assert db.session.scalar(select(func.count()).select_from(Message).where(
        Message.status == "sent")) == 1000


def test_resend_reaches_only_those_who_never_accepted(org, world, make, smtp_server):
    inbox, _port = smtp_server
    page = upload(org, world, csv_file([
        ("A", "a@juara.test", "juri", "", "", ""),
        ("B", "b@juara.test", "juri", "", "", ""),
    ]))
    confirm(org, world, page)
    accepted = db.session.scalar(select(User).where(User.email == "b@juara.test"))
    accepted.set_password("a good long password")
    db.session.commit()
    page = org.get(f"/organizer/competitions/{world.competition.id}/invitations")
    assert "1 orang belum menerima" in page.get_data(as_text=True)
    org.post(f"/organizer/competitions/{world.competition.id}/invitations/resend")
    assert len(inbox.to("a@juara.test")) == 2 and len(inbox.to("b@juara.test")) == 1


def test_a_bad_file_is_refused_with_a_message(org, world):
    response = org.post(f"/organizer/competitions/{world.competition.id}/invitations/preview",
                        {"upload": (io.BytesIO(b"foo,bar\n1,2"), "x.csv")},
                        content_type="multipart/form-data", follow_redirects=True)
    assert "Baris judul kolom tidak ditemukan" in response.get_data(as_text=True)


def test_a_forged_confirmation_is_refused(org, world):
    response = org.post(f"/organizer/competitions/{world.competition.id}/invitations/confirm",
                        {"token": "not-signed"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0

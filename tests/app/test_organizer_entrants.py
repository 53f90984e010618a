"""Entrants: one by one, the Excel list (template, refusals by row), enrolment, invitations."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Entrant, Entry, Invitation, RoleGrant, User
from judging.models.types import utcnow
from tests.app.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def workbook(rows, header=("Kode", "Nama", "Tingkat", "Wilayah")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(org, world, data: bytes, name="peserta.xlsx"):
    return org.post(f"/organizer/organisations/{world.body.id}/entrants/import",
                    {"workbook": (BytesIO(data), name)}, content_type="multipart/form-data",
                    follow_redirects=True)


def confirm(org, world, preview_page: str):
    """Press "Simpan perubahan" on a preview page."""
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', preview_page).group(1)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', preview_page).group(1)
    return org.post(f"/organizer/organisations/{world.body.id}/entrants/import/confirm",
                    {"key": key, "digest": digest}, follow_redirects=True)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_add_search_and_edit_entrant(org, world):
    url = f"/organizer/organisations/{world.body.id}/entrants"
    org.post(url + "/new", {"code": "KEL-001", "name": "Kelurahan Cihapit",
                            "level": "kelurahan", "region": "Bandung Wetan"})
    org.post(url + "/new", {"code": "KEC-001", "name": "Kecamatan Coblong",
                            "level": "kecamatan", "region": "Kota Bandung"})
    page = org.get(url + "?q=cihapit").get_data(as_text=True)
    assert "Kelurahan Cihapit" in page and "Kecamatan Coblong" not in page
    page = org.get(url + "?level=kecamatan").get_data(as_text=True)
    assert "Kecamatan Coblong" in page and "Kelurahan Cihapit" not in page
    entrant = db.session.scalar(select(Entrant).where(Entrant.code == "KEL-001"))
    org.post(f"/organizer/entrants/{entrant.id}", {"code": "KEL-001", "name": "Kel. Cihapit",
                                                   "level": "kelurahan", "region": "BW"})
    db.session.expire_all()
    assert db.session.get(Entrant, entrant.id).name == "Kel. Cihapit"
    page = org.post(url + "/new", {"code": "kel-001", "name": "Kembar", "level": "kelurahan"},
                    follow_redirects=True).get_data(as_text=True)
    assert "sudah dipakai" in page and count(Entrant) == 2


def test_template_downloads_with_the_expected_headers(org, world):
    response = org.get(f"/organizer/organisations/{world.body.id}/entrants/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["Kode", "Nama", "Tingkat", "Wilayah"]


def test_import_creates_and_updates(org, world, make):
    make.entrant(world.body, code="OPD-1", name="Dinas Lama", level="opd")
    make.commit()
    page = upload(org, world, workbook([
        ("OPD-1", "Dinas Kesehatan", "OPD", "Kota Bandung"),
        ("DS-7", "Desa Sukamaju", "desa", "Kab. Bandung"),
        (None, None, None, None),
        (101, "Kabupaten Garut", "Kabupaten/Kota", "Jawa Barat"),
    ])).get_data(as_text=True)
    assert "2 baru, 1 berubah, 0 tidak berubah" in page
    assert "<del>Dinas Lama</del> → <ins>Dinas Kesehatan</ins>" in page
    assert db.session.scalar(select(Entrant.name).where(Entrant.code == "OPD-1")) == "Dinas Lama"
    assert count(Entrant) == 1
    page = confirm(org, world, page).get_data(as_text=True)
    assert "2 baru, 1 diperbarui, 0 tidak berubah" in page
    names = dict(db.session.execute(select(Entrant.code, Entrant.name)).all())
    assert names == {"OPD-1": "Dinas Kesehatan", "DS-7": "Desa Sukamaju",
                     "101": "Kabupaten Garut"}
    assert db.session.scalar(select(Entrant.level).where(Entrant.code == "101")) == \
        "kabupaten_kota"


def test_template_example_row_is_marked_and_never_imported(org, world, make):
    make.entrant(world.body, code="KEL-001", name="Kelurahan Cibeunying", level="kelurahan",
                 region="Bandung")
    make.commit()
    template = org.get(f"/organizer/organisations/{world.body.id}/entrants/template.xlsx").data
    example = [c.value for c in load_workbook(BytesIO(template)).active[2]]
    assert example[0] == "CONTOH" and "tidak diimpor" in example[1]
    page = upload(org, world, template).get_data(as_text=True)
    assert "Daftar peserta kosong (baris contoh tidak dihitung)." in page
    old_template = workbook([("KEL-001", "Kelurahan Contoh", "Kelurahan", "Kecamatan Contoh"),
                             ("KEL-002", "Kelurahan Dago", "Kelurahan", "Bandung")])
    page = upload(org, world, old_template).get_data(as_text=True)
    assert "1 baru, 0 berubah, 0 tidak berubah" in page
    assert "Baris contoh templat (baris 2) dilewati" in page
    confirm(org, world, page)
    names = dict(db.session.execute(select(Entrant.code, Entrant.name)).all())
    assert names == {"KEL-001": "Kelurahan Cibeunying", "KEL-002": "Kelurahan Dago"}


def test_import_confirm_is_audited_and_refused_when_data_changed(org, world, make):
    entrant = make.entrant(world.body, code="OPD-1", name="Dinas Lama", level="opd")
    make.commit()
    page = upload(org, world, workbook([("OPD-1", "Dinas Baru", "OPD", "")])).get_data(
        as_text=True)
    entrant.name = "Dinas Lain"
    db.session.commit()
    refused = confirm(org, world, page).get_data(as_text=True)
    assert "Data peserta berubah sejak pratinjau" in refused
    assert db.session.scalar(select(Entrant.name)) == "Dinas Lain"
    page = upload(org, world, workbook([("OPD-1", "Dinas Baru", "OPD", "")])).get_data(
        as_text=True)
    confirm(org, world, page)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entrant.imported"))
    assert event.after["changed"] == {"OPD-1": {"name": ["Dinas Lain", "Dinas Baru"]}}


def test_import_with_a_bad_row_stores_nothing_and_names_rows(org, world):
    response = upload(org, world, workbook([
        ("A-1", "Desa Satu", "Desa", ""),
        ("A-2", "", "Desa", ""),
        ("A-1", "Desa Kembar", "Desa", ""),
        ("A-3", "Desa Tiga", "Provinsi", ""),
    ]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tidak ada yang disimpan" in page
    assert "Nama wajib diisi." in page
    assert "Kode &#39;A-1&#39; ganda (sudah ada di baris 2)." in page
    assert "Tingkat harus salah satu dari" in page
    for row in ("<td class=\"num\">3</td>", "<td class=\"num\">4</td>",
                "<td class=\"num\">5</td>"):
        assert row in page
    assert count(Entrant) == 0


def test_import_refuses_non_workbooks_and_missing_columns(org, world):
    page = upload(org, world, b"Kode,Nama\nA,B\n", "peserta.xlsx").get_data(as_text=True)
    assert "bukan buku kerja Excel" in page
    page = upload(org, world, workbook([("A", "B", "Desa")], header=("Kode", "Nama", "Tingkat"))
                  ).get_data(as_text=True)
    assert "Kolom &#39;Wilayah&#39; tidak ada" in page
    assert count(Entrant) == 0


def test_enrol_generates_entry_codes_and_skips_the_enrolled(org, world, make):
    category = world.category(code="KIP", level="opd")
    a = make.entrant(world.body, code="OPD-1", level="opd")
    b = make.entrant(world.body, code="OPD-2", level="opd")
    make.entrant(world.body, code="KEL-1", level="kelurahan")
    make.commit()
    page = org.get(f"/organizer/categories/{category.id}").get_data(as_text=True)
    assert "OPD-1" in page and "KEL-1" not in page
    org.post(f"/organizer/categories/{category.id}/enrol", {"entrants": [str(a.id)]})
    org.post(f"/organizer/categories/{category.id}/enrol",
             {"entrants": [str(a.id), str(b.id)]})
    codes = dict(db.session.execute(select(Entry.entrant_id, Entry.code)).all())
    assert codes == {a.id: "KIP-001", b.id: "KIP-002"}
    assert db.session.scalar(select(Entry.status).where(Entry.entrant_id == a.id)) == "draft"
    assert count(AuditEvent) >= 2


def test_enrolling_another_bodys_entrant_is_refused(org, world, make):
    category = world.category()
    stranger = make.entrant(make.organisation(), code="X-1")
    make.commit()
    page = org.post(f"/organizer/categories/{category.id}/enrol",
                    {"entrants": [str(stranger.id)]}, follow_redirects=True
                    ).get_data(as_text=True)
    assert "bukan milik penyelenggara" in page and count(Entry) == 0


def invite(org, entrant, email="admin.kel@juara.test"):
    return org.post(f"/organizer/entrants/{entrant.id}/invite",
                    {"email": email, "name": "Admin Kelurahan"})


def link_path(page: str) -> str:
    start = page.index('id="invitation-link" value="') + len('id="invitation-link" value="')
    link = page[start:page.index('"', start)]
    return link[link.index("/auth/"):]


def test_participant_invitation_sets_password_once(org, world, make, client):
    entrant = make.entrant(world.body, code="KEL-9")
    make.commit()
    page = invite(org, entrant).get_data(as_text=True)
    path = link_path(page)
    user = db.session.scalar(select(User).where(User.email == "admin.kel@juara.test"))
    assert user.password_hash is None
    assert db.session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == "participant")).entrant_id == entrant.id
    org.logout()
    form = org.get(path)
    assert form.status_code == 200
    accepted = org.post(path, {"name": "Admin Kelurahan", "password": "kata sandi panjang",
                               "confirm": "kata sandi panjang"})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/participant/")
    org.logout()
    reused = org.get(path)
    assert reused.status_code == 410 and "sudah dipakai" in reused.get_data(as_text=True)


def test_expired_invitation_link_is_refused(org, world, make):
    entrant = make.entrant(world.body, code="KEL-8")
    make.commit()
    path = link_path(invite(org, entrant).get_data(as_text=True))
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    org.logout()
    response = org.get(path)
    assert response.status_code == 410 and "kedaluwarsa" in response.get_data(as_text=True)
    response = org.post(path, {"name": "X", "password": "kata sandi panjang",
                               "confirm": "kata sandi panjang"})
    assert response.status_code == 410
    assert db.session.scalar(select(User).where(User.email == "admin.kel@juara.test")
                             ).password_hash is None


def test_invitation_refuses_a_bad_email(org, world, make):
    entrant = make.entrant(world.body, code="KEL-7")
    make.commit()
    page = org.post(f"/organizer/entrants/{entrant.id}/invite", {"email": "bukan-email"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Alamat email tidak valid." in page
    assert count(User) == 1 and count(Invitation) == 0


def test_nomination_creates_submitted_entries_without_participant_evidence(org, world, make):
    from judging.marking.assignments import assigned_entries

    category = world.category(code="MEDSOS", level="opd")
    a = make.entrant(world.body, code="OPD-1", level="opd")
    b = make.entrant(world.body, code="OPD-2", level="opd")
    juror = make.juror(world.competition, [category])
    make.commit()
    org.post(f"/organizer/categories/{category.id}/enrol", {"entrants": [str(a.id)]})
    page = org.post(f"/organizer/categories/{category.id}/enrol",
                    {"entrants": [str(b.id)], "nominate": "y"},
                    follow_redirects=True).get_data(as_text=True)
    assert "1 peserta dinominasikan (entri terkirim)." in page
    entries = {e.entrant_id: e for e in db.session.scalars(select(Entry))}
    assert entries[a.id].status == "draft" and not entries[a.id].nominated
    nominated = entries[b.id]
    assert nominated.status == "submitted" and nominated.nominated
    assert nominated.submitted_at is not None and nominated.evidence == []
    # rankable at once: the category's jurors have it on their list
    assert [e.id for e in assigned_entries(juror.id, world.competition.id)] == [nominated.id]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entry.nominated"))
    assert event.after["entries"] == [[nominated.code, b.id]]

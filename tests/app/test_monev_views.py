"""Monev pages: template, upload → preview → confirm/discard/rollback, and every refusal
leaving the database exactly as it was."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from judging.extensions import db
from judging.models import ImportBatch
from tests import workbooks as wb
from tests.app.monev_world import (
    BAD_ROW,
    GOOD_ROWS,
    HEADER,
    World,
    fingerprint,
    stored_values,
    workbook,
)


@pytest.fixture
def world(make, web):
    world = World(make)
    web.login("org@juara.test")
    return world


def url(world, tail: str = "") -> str:
    return f"/organizer/categories/{world.category.id}/monev{tail}"


def upload(web, world, data: bytes, name: str = "monev.xlsx"):
    return web.post(url(world, "/upload"), {"workbook": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def latest_batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.query(ImportBatch).order_by(ImportBatch.id.desc()).first()


def test_template_lists_the_method_columns_and_enrolled_entrants(world, web):
    response = web.get(url(world, "/template.xlsx"))
    assert response.status_code == 200
    assert "monev-LAPOR.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[3]] == HEADER
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in (5, 6, 7)] == [
        ("KEL-001", "Kelurahan Lebak Siliwangi"), ("KEL-002", "Kelurahan Dago"),
        ("KEL-003", "Kelurahan Cipaganti")]


def test_preview_shows_counts_rejections_gaps_suggestions_and_extra_columns(world, web):
    rows = [[*GOOD_ROWS[0], "catatan"], [None, "Kel. Dago", 10, 5, 5, 5, 1, ""],
            [*BAD_ROW, ""]]
    before = fingerprint()
    response = upload(web, world, workbook(rows, header=[*HEADER, "Keterangan"]))
    assert response.status_code == 303
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="monev-rows-read">3<' in page and 'id="monev-rows-valid">1<' in page
    assert "Baris 6, kolom &#39;Selesai&#39;: &#39;Selesai&#39; (120) lebih besar" in page
    assert "KEL-002 — Kelurahan Dago" in page  # no row matched it
    assert "mungkin KEL-002 \"Kelurahan Dago\"" in page  # the suggestion, not applied
    assert re.search(r'data-reason="none">\s*<td>Keterangan</td>', page)
    assert 'id="monev-confirm" disabled data-needs-skip' in page
    after = fingerprint()
    assert after["counts"]["indicator_values"] == before["counts"]["indicator_values"] == 0
    assert after["counts"]["import_batches"] == 1


def test_confirm_needs_the_skip_choice_then_stores_valid_rows_once(world, web):
    upload(web, world, workbook([*GOOD_ROWS, BAD_ROW]))
    batch = latest_batch()
    commit_url = url(world, f"/batches/{batch.id}/commit")
    before = fingerprint()
    refused = web.post(commit_url, {}, follow_redirects=True).get_data(as_text=True)
    assert "1 baris ditolak" in refused
    assert fingerprint() == before

    response = web.post(commit_url, {"skip_invalid": "y"})
    assert response.status_code == 303
    assert stored_values(world)[("KEL-002", "laporan_masuk")] == "1234.0000"
    page = web.get(url(world)).get_data(as_text=True)
    assert "1.234" in page and "3,25" in page

    stored = fingerprint()
    again = web.post(commit_url, {"skip_invalid": "y"}, follow_redirects=True)
    assert "sudah dikonfirmasi dan disimpan" in again.get_data(as_text=True)
    assert fingerprint() == stored


def test_reimport_preview_shows_old_and_new_values_and_rollback_restores(world, web):
    upload(web, world, workbook(GOOD_ROWS))
    first = latest_batch()
    web.post(url(world, f"/batches/{first.id}/commit"), {})
    changed = [["KEL-001", "Kelurahan Lebak Siliwangi", 100, 95, 80, 70, 2.5]]
    page = web.get(upload(web, world, workbook(changed)).headers["Location"]).get_data(
        as_text=True)
    assert "1 nilai, 1 di antaranya mengganti nilai lama" in page
    assert '<td class="num">90</td>\n        <td class="num">95</td>' in page
    second = latest_batch()
    web.post(url(world, f"/batches/{second.id}/commit"), {})
    assert stored_values(world)[("KEL-001", "ditindaklanjuti")] == "95.0000"
    web.post(url(world, f"/batches/{second.id}/rollback"), {})
    assert stored_values(world)[("KEL-001", "ditindaklanjuti")] == "90.0000"
    assert latest_batch().state == "rolled_back"


def test_discard_keeps_nothing(world, web):
    upload(web, world, workbook(GOOD_ROWS))
    batch = latest_batch()
    web.post(url(world, f"/batches/{batch.id}/discard"), {})
    assert latest_batch().state == "discarded"
    before = fingerprint()
    page = web.post(url(world, f"/batches/{batch.id}/commit"), {}, follow_redirects=True)
    assert "sudah berstatus" in page.get_data(as_text=True)
    assert fingerprint() == before


def good_file() -> bytes:
    return workbook(GOOD_ROWS)


REFUSED = {
    "csv": (lambda: b"Kode;Nama;Laporan Masuk\nKEL-001;Dago;10\n", "bukan buku kerja Excel"),
    "pdf": (lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n", "bukan buku kerja Excel"),
    "xls": (wb.old_xls, "Excel lama (.xls)"),
    "encrypted": (lambda: wb.password_protected(good_file()), "dilindungi kata sandi"),
    "truncated": (lambda: good_file()[: len(good_file()) // 2], "terpotong atau rusak"),
    "zip-bomb": (lambda: wb.replace_member(good_file(), "xl/worksheets/sheet1.xml",
                                           b" " * (20 * 1024 * 1024)), "bom zip"),
    "many-members": (lambda: wb.zip_members(
        {**{f"xl/media/i{i}.png": b"x" for i in range(1001)}, "xl/workbook.xml": "<w/>"}),
        "demi keamanan"),
    "entities": (lambda: wb.replace_member(
        good_file(), "xl/sharedStrings.xml",
        wb.BILLION_LAUGHS + '<sst xmlns="x"><si><t>&lol4;</t></si></sst>'), "DTD"),
    "no-header": (lambda: wb.openpyxl_workbook([["Apa", "Ini"], [1, 2]]), "baris judul kolom"),
    "duplicate-column": (lambda: workbook(GOOD_ROWS, header=[*HEADER[:3], "Selesai",
                                                             *HEADER[4:]]), "sama-sama"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_files_say_why_and_change_nothing(world, web, case):
    make_data, expected = REFUSED[case]
    upload(web, world, good_file())
    web.post(url(world, f"/batches/{latest_batch().id}/commit"), {})
    before = fingerprint()
    response = upload(web, world, make_data(), name="data.xlsx")
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert fingerprint() == before


def test_a_sheet_over_the_row_limit_is_refused(world, web, app):
    app.config["IMPORT_MAX_ROWS"] = 2
    before = fingerprint()
    response = upload(web, world, workbook([*GOOD_ROWS, *GOOD_ROWS, BAD_ROW]))
    assert response.status_code == 400
    assert "melebihi batas" in response.get_data(as_text=True)
    assert fingerprint() == before


def test_english_interface_shows_english_reasons(world, web):
    world.organizer.locale = "en"
    db.session.commit()
    response = upload(web, world, b"not a workbook")
    assert "not an Excel workbook" in response.get_data(as_text=True)
    page = web.get(upload(web, world, workbook([BAD_ROW])).headers["Location"])
    assert "Row 4, column &#39;Selesai&#39;: &#39;Completed&#39; (120)" in page.get_data(
        as_text=True)


def test_frozen_results_refuse_imports_and_rollbacks(world, web):
    upload(web, world, good_file())
    batch = latest_batch()
    web.post(url(world, f"/batches/{batch.id}/commit"), {})
    world.competition.phase = "final"
    db.session.commit()
    before = fingerprint()
    response = upload(web, world, good_file())
    assert response.status_code == 400 and "hasil sudah dibekukan" in response.get_data(
        as_text=True)
    page = web.post(url(world, f"/batches/{batch.id}/rollback"), {}, follow_redirects=True)
    assert "hasil sudah dibekukan" in page.get_data(as_text=True)
    assert fingerprint() == before
    assert 'id="monev-frozen"' in web.get(url(world)).get_data(as_text=True)


def test_a_batch_confirmed_through_another_category_is_refused(world, web, make):
    upload(web, world, good_file())
    batch = latest_batch()
    other = make.category(world.competition, method_key="complaint_handling", code="LAIN")
    make.commit()
    before = fingerprint()
    response = web.post(f"/organizer/categories/{other.id}/monev/batches/{batch.id}/commit",
                        {"skip_invalid": "y"}, follow_redirects=True)
    assert "milik kategori lain" in response.get_data(as_text=True)
    assert fingerprint() == before
    assert web.get(f"/organizer/categories/{other.id}/monev/batches/{batch.id}"
                   ).status_code == 404


def test_only_organizers_of_the_competition_reach_the_pages(world, web, make):
    upload(web, world, good_file())
    batch = latest_batch()
    stranger_comp = make.competition()
    make.organizer(stranger_comp, email="other@juara.test")
    make.juror(world.competition, [world.category], email="juri@juara.test")
    make.commit()
    for email in ("other@juara.test", "juri@juara.test"):
        web.login(email)
        before = fingerprint()
        assert web.get(url(world)).status_code == 403
        assert web.get(url(world, "/template.xlsx")).status_code == 403
        assert upload(web, world, good_file()).status_code == 403
        assert web.post(url(world, f"/batches/{batch.id}/commit"),
                        {"skip_invalid": "y"}).status_code == 403
        assert fingerprint() == before


def test_the_uploaded_file_is_kept_with_its_batch(world, web):
    data = workbook(GOOD_ROWS)
    upload(web, world, data, name="rekap dago.xlsx")
    batch = latest_batch()
    response = web.get(url(world, f"/batches/{batch.id}/file"))
    assert response.status_code == 200 and response.data == data
    assert "rekap" in response.headers["Content-Disposition"]


def test_template_filled_and_saved_again_by_libreoffice_imports(world, web):
    template = openpyxl.load_workbook(io.BytesIO(web.get(url(world, "/template.xlsx")).data))
    sheet = template.active
    for row, values in ((5, (100, 90, 80, 70, 2.5)), (6, (10, 10, 10, 10, None))):
        for offset, value in enumerate(values):
            sheet.cell(row, 3 + offset, value)
    out = io.BytesIO()
    template.save(out)
    resaved = wb.libreoffice_resave(out.getvalue())
    page = web.get(upload(web, world, resaved).headers["Location"]).get_data(as_text=True)
    assert 'id="monev-rows-valid">2<' in page and 'id="monev-rows-rejected">0<' in page
    assert "KEL-003 — Kelurahan Cipaganti" in page  # left empty: listed as missing
    web.post(url(world, f"/batches/{latest_batch().id}/commit"), {})
    values = stored_values(world)
    assert values[("KEL-001", "rata_hari_respons")] == "2.5000"
    assert ("KEL-002", "rata_hari_respons") not in values and len(values) == 9


def test_an_upload_without_a_file_asks_for_one(world, web):
    before = fingerprint()
    response = web.post(url(world, "/upload"), {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Pilih berkas .xlsx" in response.get_data(as_text=True)
    assert fingerprint() == before

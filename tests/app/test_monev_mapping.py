"""Monev imports you can trust: headers proposed not guessed, 0–100 scales, companion
columns, remembered mappings, --map, and no workbook left behind by a preview that ends
without a commit. Each workbook is saved by openpyxl and again by LibreOffice."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from judging.competitions.editing import copy_competition
from judging.extensions import db
from judging.models import Category, ImportBatch
from tests import workbooks as wb
from tests.fixtures.worlds.monev_world import ENTRANTS, HEADER, World, stored_values

UNFAMILIAR = "Rerata Waktu Respon (hari)"  # not a listed synonym of "Rata-rata Hari Respons"
ROWS = [["KEL-001", "Kelurahan Lebak Siliwangi", 100, 90, 80, 70, 2.5],
        ["KEL-002", "Kelurahan Dago", 50, 40, 30, 20, 4]]


def saved(rows, *, header=HEADER, formats=None, saver="openpyxl") -> bytes:
    """A workbook with a title row, the header on row 3, ``rows`` below; optionally re-saved."""
    data = wb.openpyxl_workbook([["REKAP 2026"], [], list(header), *[list(r) for r in rows]],
                                formats=formats)
    if saver == "libreoffice":
        data = wb.libreoffice_resave(data)
        if data is None:
            pytest.skip("LibreOffice is not installed")
    return data


@pytest.fixture(params=["openpyxl", "libreoffice"])
def saver(request):
    return request.param


@pytest.fixture
def world(make, web):
    world = World(make)
    web.login("org@juara.test")
    return world


def base(category) -> str:
    return f"/organizer/categories/{category.id}/monev"


def upload(web, category, data: bytes):
    response = web.post(base(category) + "/upload", {"workbook": (io.BytesIO(data), "m.xlsx")},
                        content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return latest()


def latest() -> ImportBatch:
    db.session.expire_all()
    return db.session.query(ImportBatch).order_by(ImportBatch.id.desc()).first()


def mapping_of(batch) -> dict[str, tuple[str, str]]:
    return {m["text"]: (m["target"], m["reason"]) for m in batch.summary["mapping"]}


def confirm(web, category, batch, **form):
    return web.post(f"{base(category)}/batches/{batch.id}/commit", form)


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def test_an_unfamiliar_header_is_proposed_and_stored_only_once_confirmed(world, web, saver):
    header = [*HEADER[:-1], UNFAMILIAR]
    batch = upload(web, world.category, saved(ROWS, header=header, saver=saver))
    target, reason = mapping_of(batch)[UNFAMILIAR]
    assert (target, reason) == ("", "proposed")
    proposal = next(m for m in batch.summary["mapping"] if m["text"] == UNFAMILIAR)
    assert proposal["proposal"] == "rata_hari_respons" and proposal["score"] >= 75
    page = web.get(f"{base(world.category)}/batches/{batch.id}").get_data(as_text=True)
    assert re.search(r'data-reason="proposed">\s*<td>Rerata Waktu Respon \(hari\)</td>', page)
    assert "Rata-rata Hari Respons ★ usulan" in page
    assert re.search(r"Indikator (&#34;|&quot;|\")Rata-rata Hari Respons\S* tidak punya kolom",
                     page)
    assert confirm(web, world.category, batch).status_code == 303
    assert ("KEL-001", "rata_hari_respons") not in stored_values(world)  # not guessed

    batch = upload(web, world.category, saved(ROWS, header=header, saver=saver))
    col = proposal["col"]
    response = web.post(f"{base(world.category)}/batches/{batch.id}/mapping",
                        {f"map-{col}": "rata_hari_respons"})
    assert response.status_code == 303
    batch = latest()
    assert mapping_of(batch)[UNFAMILIAR] == ("rata_hari_respons", "confirmed")
    assert confirm(web, world.category, batch).status_code == 303
    assert stored_values(world)[("KEL-002", "rata_hari_respons")] == "4.0000"


def test_percent_formatted_and_text_percent_score_cells_import_on_0_to_100(make, web, saver):
    organisation = make.organisation()
    competition = make.competition(organisation, phase="judging")
    category = make.category(competition, method_key="information_disclosure", code="KIP")
    for code, name in ENTRANTS:
        make.entry(category, make.entrant(organisation, code=code, name=name))
    make.organizer(competition, email="kip@juara.test")
    make.commit()
    web.login("kip@juara.test")
    rows = [["KEL-001", "a", 0.92, 0.875], ["KEL-002", "b", "91,02%", 0.5],
            ["KEL-003", "c", 0.9, "88 %"]]
    data = saved(rows, header=["Kode", "Nama", "Nilai SAQ", "Nilai Website"], saver=saver,
                 formats={"C4": "0%", "C6": "0.00%", "D4": "0.0%", "D5": "0%"})
    batch = upload(web, category, data)
    assert batch.summary["questions"] == []
    changes = {(c.code, c.key): str(c.new) for c in _changes(batch)}
    assert changes[("KEL-001", "nilai_saq")] == "92.0000"
    assert changes[("KEL-002", "nilai_saq")] == "91.0200"
    assert changes[("KEL-003", "nilai_saq")] == "90.0000"
    assert changes[("KEL-001", "nilai_website")] == "87.5000"
    assert changes[("KEL-003", "nilai_website")] == "88.0000"


def test_a_mixed_scale_column_is_a_question_until_answered(make, web, saver):
    organisation = make.organisation()
    competition = make.competition(organisation, phase="judging")
    category = make.category(competition, method_key="information_disclosure", code="KIP")
    for code, name in ENTRANTS:
        make.entry(category, make.entrant(organisation, code=code, name=name))
    make.organizer(competition, email="kip@juara.test")
    make.commit()
    web.login("kip@juara.test")
    rows = [["KEL-001", "a", 0.92, 80], ["KEL-002", "b", 91, 70], ["KEL-003", "c", 85.5, 60]]
    batch = upload(web, category, saved(rows, header=["Kode", "Nama", "Nilai SAQ",
                                                       "Nilai Website"], saver=saver))
    assert [q["key"] for q in batch.summary["questions"]] == ["nilai_saq"]
    page = web.get(f"{base(category)}/batches/{batch.id}").get_data(as_text=True)
    assert 'id="monev-scale-nilai_saq"' in page and 'id="monev-confirm" disabled' in page
    response = confirm(web, category, batch)
    assert response.status_code == 303 and latest().state == "previewed"
    web.post(f"{base(category)}/batches/{batch.id}/mapping", {"scale-nilai_saq": "fraction"})
    batch = latest()
    assert batch.summary["questions"] == []
    saq = {c.code: str(c.new) for c in _changes(batch) if c.key == "nilai_saq"}
    assert saq == {"KEL-001": "92.0000", "KEL-002": "91.0000", "KEL-003": "85.5000"}


def test_a_companion_percent_column_beside_its_base_imports_both_correctly(world, web, saver):
    header = ["Kode", "Nama", "Laporan Masuk", "Ditindaklanjuti", "% Ditindaklanjuti",
              "Selesai", "Persentase Selesai", "Selesai Tepat Waktu", "Rata-rata Hari Respons"]
    rows = [["KEL-001", "a", 100, 90, 0.9, 80, "80%", 70, 2.5],
            ["KEL-002", "b", 50, 40, 0.8, 30, "60%", 20, 4]]
    batch = upload(web, world.category, saved(rows, header=header, saver=saver))
    mapping = mapping_of(batch)
    assert mapping["% Ditindaklanjuti"] == ("", "companion")
    assert mapping["Persentase Selesai"] == ("", "companion")
    assert mapping["Ditindaklanjuti"] == ("ditindaklanjuti", "exact")
    assert batch.rows_rejected == 0
    assert confirm(web, world.category, batch).status_code == 303
    values = stored_values(world)
    assert values[("KEL-001", "ditindaklanjuti")] == "90.0000"
    assert values[("KEL-002", "selesai")] == "30.0000"


def test_a_confirmed_mapping_is_remembered_and_copied_to_the_next_year(world, web, saver):
    header = [*HEADER[:-1], UNFAMILIAR]
    batch = upload(web, world.category, saved(ROWS, header=header, saver=saver))
    col = next(m["col"] for m in batch.summary["mapping"] if m["text"] == UNFAMILIAR)
    web.post(f"{base(world.category)}/batches/{batch.id}/mapping",
             {f"map-{col}": "rata_hari_respons"})
    assert confirm(web, world.category, latest()).status_code == 303
    copy = copy_competition(world.competition, name="Penghargaan 2027", year=2027,
                            code="AW-2027")
    db.session.commit()
    next_year = db.session.query(Category).filter_by(competition_id=copy.id).one()
    assert next_year.monev_mapping == db.session.get(Category, world.category.id).monev_mapping
    from judging.monev.previews import read_workbook

    preview = read_workbook(next_year, saved(ROWS, header=header, saver=saver))
    reasons = {m.text: (m.target, m.reason) for m in preview.mapping}
    assert reasons[UNFAMILIAR] == ("rata_hari_respons", "remembered")


def test_a_refused_or_discarded_preview_leaves_no_file_behind(world, web, app, runner, tmp_path):
    header = ["Kode", "Nama", "Laporan masuk", "Jumlah Laporan Masuk", "Selesai"]
    before = stored_files(app)
    doubled = web.post(base(world.category) + "/upload",
                       {"workbook": (io.BytesIO(saved([["KEL-001", "a", 1, 1, 1]],
                                                      header=header)), "m.xlsx")},
                       content_type="multipart/form-data")
    assert doubled.status_code == 400 and stored_files(app) == before
    batch = upload(web, world.category, saved(ROWS))
    assert len(stored_files(app)) == len(before) + 1
    web.post(f"{base(world.category)}/batches/{batch.id}/discard")
    assert latest().state == "discarded" and latest().storage_key is None
    assert stored_files(app) == before
    path = tmp_path / "m.xlsx"
    path.write_bytes(saved(ROWS))
    assert runner.invoke(args=["import-monev", str(world.category.id), str(path)]).exit_code == 0
    assert stored_files(app) == before  # a preview-only run keeps nothing
    committed = upload(web, world.category, saved(ROWS))
    assert confirm(web, world.category, committed).status_code == 303
    assert len(stored_files(app)) == len(before) + 1  # kept: "download original"
    assert web.get(f"{base(world.category)}/batches/{committed.id}/file").status_code == 200


def _changes(batch):
    from judging.monev.previews import pending_changes

    return pending_changes(batch)


def counted_parses(monkeypatch) -> list[int]:
    """Every time calamine parses a workbook, and every time a stored upload is opened."""
    import python_calamine

    from judging.evidence import evidence_store

    found: list[int] = []
    parse = python_calamine.CalamineWorkbook.from_filelike
    store = type(evidence_store())
    open_stored = store.open
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike",
                        lambda handle: found.append(1) or parse(handle))
    monkeypatch.setattr(store, "open", lambda self, key: found.append(2) or open_stored(self, key))
    return found


def test_applying_a_mapping_judges_the_rows_again_without_reading_the_file_again(
        world, web, monkeypatch):
    from judging.io.monev import books

    books.forget()
    parses = counted_parses(monkeypatch)
    header = [*HEADER[:-1], UNFAMILIAR]
    batch = upload(web, world.category, saved(ROWS, header=header))
    col = next(m["col"] for m in batch.summary["mapping"] if m["text"] == UNFAMILIAR)
    response = web.post(f"{base(world.category)}/batches/{batch.id}/mapping",
                        {f"map-{col}": "rata_hari_respons"})
    assert response.status_code == 303
    assert mapping_of(latest())[UNFAMILIAR] == ("rata_hari_respons", "confirmed")
    assert parses == [1]  # parsed once, at the upload; the stored file never opened


def test_a_mapping_applied_where_the_read_is_no_longer_kept_reads_the_stored_file(
        world, web, monkeypatch):
    from judging.io.monev import books

    header = [*HEADER[:-1], UNFAMILIAR]
    batch = upload(web, world.category, saved(ROWS, header=header))
    books.forget()  # e.g. another worker read the upload, or it was long ago
    parses = counted_parses(monkeypatch)
    col = next(m["col"] for m in batch.summary["mapping"] if m["text"] == UNFAMILIAR)
    web.post(f"{base(world.category)}/batches/{batch.id}/mapping",
             {f"map-{col}": "rata_hari_respons"})
    assert mapping_of(latest())[UNFAMILIAR] == ("rata_hari_respons", "confirmed")
    assert parses == [2, 1]
    assert confirm(web, world.category, latest()).status_code == 303
    assert stored_values(world)[("KEL-002", "rata_hari_respons")] == "4.0000"

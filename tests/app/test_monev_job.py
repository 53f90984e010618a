"""Large monev workbooks are previewed by a background job with progress."""

from __future__ import annotations

import io

import pytest

from judging.extensions import db
from judging.models import ImportBatch, Job
from judging.monev.sizing import estimated_rows
from tests import workbooks as wb
from tests.fixtures.worlds.monev_world import (
    ENTRANTS,
    GOOD_ROWS,
    HEADER,
    World,
    fingerprint,
    stored_values,
    workbook,
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "IMPORT_BACKGROUND_ROWS": 4}


def test_row_estimate_reads_the_sheet_dimension_or_its_size():
    assert estimated_rows(workbook(GOOD_ROWS)) == (5, True)
    raw = wb.raw_xlsx([["Kode", "Nama"], *[[f"K{i}", "x"] for i in range(100)]],
                      with_refs=False)
    rows, exact = estimated_rows(raw)
    assert not exact and 0 < rows < 100


def counted_checks(monkeypatch) -> list[int]:
    """Every safety pass over an upload (each inflates the whole file) made from now on."""
    from judging.io.xlsx import safety

    checked: list[int] = []
    real = safety._check_directory
    monkeypatch.setattr(safety, "_check_directory",
                        lambda *args: checked.append(1) or real(*args))
    return checked


def test_a_large_upload_runs_as_a_job_and_ends_in_a_previewed_batch(make, web, monkeypatch):
    checked = counted_checks(monkeypatch)
    world = World(make)
    web.login("org@juara.test")
    rows = [[code, name, 10, 5, 5, 5, 1] for code, name in
            [("KEL-001", "Kelurahan Lebak Siliwangi"), ("KEL-002", "Kelurahan Dago"),
             ("KEL-003", "Kelurahan Cipaganti")]]
    response = web.post(f"/organizer/categories/{world.category.id}/monev/upload",
                        {"workbook": (io.BytesIO(workbook(rows)), "besar.xlsx")},
                        content_type="multipart/form-data")
    assert response.status_code == 303 and "/organizer/jobs/" in response.headers["Location"]
    db.session.expire_all()
    job = db.session.query(Job).one()
    assert (job.kind, job.state) == ("monev.preview", "done")
    batch = db.session.get(ImportBatch, job.params["batch_id"])
    assert (batch.state, batch.rows_valid, batch.filename) == ("previewed", 3, "besar.xlsx")
    assert len(checked) == 1  # checked in the request; the job reuses what it found
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert f"batch #{batch.id}" in page
    assert f"/organizer/categories/{world.category.id}/monev" in page


def test_a_job_refusal_fails_the_job_and_stores_no_batch(make, web):
    world = World(make)
    web.login("org@juara.test")
    before = fingerprint()
    bad = wb.openpyxl_workbook([["Kode", "Nama", "Apa"], *[[f"K{i}", "x", 1] for i in range(9)]])
    response = web.post(f"/organizer/categories/{world.category.id}/monev/upload",
                        {"workbook": (io.BytesIO(bad), "besar.xlsx")},
                        content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.expire_all()
    job = db.session.query(Job).one()
    assert job.state == "failed" and "baris judul kolom" in job.message
    after = fingerprint()
    assert after["sums"] == before["sums"]
    assert after["counts"]["import_batches"] == 0 and after["counts"]["indicator_values"] == 0


def test_a_large_batch_is_stored_by_a_job_and_a_second_confirm_is_refused(make, web, app):
    world = World(make)
    web.login("org@juara.test")
    app.config["IMPORT_BACKGROUND_ROWS"] = 100
    web.post(f"/organizer/categories/{world.category.id}/monev/upload",
             {"workbook": (io.BytesIO(workbook(GOOD_ROWS)), "monev.xlsx")},
             content_type="multipart/form-data")
    batch = db.session.query(ImportBatch).one()
    app.config["IMPORT_BACKGROUND_ROWS"] = 1
    commit_url = f"/organizer/categories/{world.category.id}/monev/batches/{batch.id}/commit"
    response = web.post(commit_url, {})
    assert response.status_code == 303 and "/organizer/jobs/" in response.headers["Location"]
    db.session.expire_all()
    job = db.session.query(Job).filter_by(kind="monev.commit").one()
    assert job.state == "done" and batch.state == "committed"
    assert stored_values(world)[("KEL-002", "selesai")] == "900.0000"
    before = fingerprint()
    again = web.post(commit_url, {}, follow_redirects=True)
    assert "sudah dikonfirmasi dan disimpan" in again.get_data(as_text=True)
    assert fingerprint() == before


def test_a_small_upload_is_checked_once_before_its_preview(make, web, monkeypatch, app):
    app.config["IMPORT_BACKGROUND_ROWS"] = 1_000
    checked = counted_checks(monkeypatch)
    world = World(make)
    web.login("org@juara.test")
    response = web.post(f"/organizer/categories/{world.category.id}/monev/upload",
                        {"workbook": (io.BytesIO(workbook(GOOD_ROWS)), "kecil.xlsx")},
                        content_type="multipart/form-data")
    assert response.status_code == 303 and "/batches/" in response.headers["Location"]
    assert len(checked) == 1


def large_batch_with_a_proposal(make, web):
    """A previewed 5-row batch (over this module's limit of 4) whose last header is only
    proposed; returns the world, the batch and that header's column."""
    world = World(make)
    web.login("org@juara.test")
    header = [*HEADER[:-1], "Rerata Waktu Respon (hari)"]
    rows = [[code, name, 10, 5, 5, 5, 2] for code, name in ENTRANTS]
    rows += [["KEL-404", "Tidak ada", 1, 1, 1, 1, 1], ["KEL-405", "Tidak ada", 1, 1, 1, 1, 1]]
    web.post(f"/organizer/categories/{world.category.id}/monev/upload",
             {"workbook": (io.BytesIO(workbook(rows, header=header)), "besar.xlsx")},
             content_type="multipart/form-data")
    db.session.expire_all()
    batch = db.session.get(ImportBatch, db.session.query(Job).one().params["batch_id"])
    col = next(m["col"] for m in batch.summary["mapping"] if m["reason"] == "proposed")
    return world, batch, col


def test_a_large_mapping_not_kept_by_this_process_is_applied_by_a_job(make, web):
    from judging.io.monev import books

    world, batch, col = large_batch_with_a_proposal(make, web)
    books.forget()  # the preview was read by the worker, not by this web process
    response = web.post(f"/organizer/categories/{world.category.id}/monev/batches/"
                        f"{batch.id}/mapping", {f"map-{col}": "rata_hari_respons"})
    assert response.status_code == 303 and "/organizer/jobs/" in response.headers["Location"]
    db.session.expire_all()
    job = db.session.query(Job).filter_by(kind="monev.decide").one()
    assert job.state == "done" and f"batch #{batch.id}" in job.message
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.summary["columns"]["rata_hari_respons"] == "Rerata Waktu Respon (hari)"


def test_a_large_mapping_kept_by_this_process_is_applied_at_once(make, web):
    world, batch, col = large_batch_with_a_proposal(make, web)
    response = web.post(f"/organizer/categories/{world.category.id}/monev/batches/"
                        f"{batch.id}/mapping", {f"map-{col}": "rata_hari_respons"})
    assert response.status_code == 303 and "/batches/" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.query(Job).filter_by(kind="monev.decide").count() == 0
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.summary["columns"]["rata_hari_respons"] == "Rerata Waktu Respon (hari)"

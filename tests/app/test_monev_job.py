"""Large monev workbooks are previewed by a background job with progress."""

from __future__ import annotations

import io

import pytest

from judging.extensions import db
from judging.models import ImportBatch, Job
from judging.monev.sizing import estimated_rows
from tests import workbooks as wb
from tests.app.monev_world import GOOD_ROWS, World, fingerprint, workbook


@pytest.fixture
def app_config(app_config):
    return {**app_config, "IMPORT_BACKGROUND_ROWS": 4}


def test_row_estimate_reads_the_sheet_dimension_or_its_size():
    assert estimated_rows(workbook(GOOD_ROWS)) == (5, True)
    raw = wb.raw_xlsx([["Kode", "Nama"], *[[f"K{i}", "x"] for i in range(100)]],
                      with_refs=False)
    rows, exact = estimated_rows(raw)
    assert not exact and 0 < rows < 100


def test_a_large_upload_runs_as_a_job_and_ends_in_a_previewed_batch(make, web):
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

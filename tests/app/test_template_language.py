"""Files the app reads back keep importing when exported in English."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from judging.extensions import db
from tests.app.test_monev_views import latest_batch, upload, url
from tests.fixtures.worlds.monev_world import HEADER, World


def english_organizer(make, web):
    world = World(make)
    world.organizer.locale = "en"
    db.session.commit()
    web.login("org@juara.test")
    return world


def test_english_monev_template_notes_in_english_header_as_read(make, web):
    world = english_organizer(make, web)
    book = openpyxl.load_workbook(io.BytesIO(web.get(url(world, "/template.xlsx")).data))
    sheet = book.active
    assert sheet.title == "Monev data"
    assert sheet["A2"].value.startswith("Fill in one row per participant.")
    assert [c.value for c in sheet[3]] == HEADER  # the importer's header, whatever the language
    guides = [c.value for c in sheet[4]]
    assert guides[1] == "(unit / guidance)" and "required" in " ".join(guides[2:])
    rules = sheet.data_validations.dataValidation
    assert {r.errorTitle for r in rules} == {"Invalid value"}


def test_english_monev_template_round_trips(make, web):
    world = english_organizer(make, web)
    book = openpyxl.load_workbook(io.BytesIO(web.get(url(world, "/template.xlsx")).data))
    sheet = book.active
    for column in range(3, len(HEADER) + 1):
        sheet.cell(5, column, 1)
    out = io.BytesIO()
    book.save(out)
    assert upload(web, world, out.getvalue()).status_code in (302, 303)
    batch = latest_batch()
    assert batch.state == "previewed" and (batch.rows_valid, batch.rows_rejected) == (1, 0)


def test_english_entrant_template_round_trips(make, web):
    from judging.models import Entrant
    from tests.app.test_organizer_entrants import confirm
    from tests.app.test_organizer_entrants import upload as upload_entrants
    from tests.fixtures.worlds.organizer_world import build_world

    world = build_world(make)
    web.login(world.organizer.email)
    web.post("/auth/language", {"lang": "en"})
    data = web.get(f"/organizer/organisations/{world.body.id}/entrants/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Participant list", "Notes"]
    book.active.append(["KEL-009", "Kelurahan Dago", "Kelurahan", "Bandung"])
    out = io.BytesIO()
    book.save(out)
    page = upload_entrants(web, world, out.getvalue()).get_data(as_text=True)
    confirm(web, world, page)
    assert db.session.scalar(select(Entrant.name).where(Entrant.code == "KEL-009")) == (
        "Kelurahan Dago")


def test_saq_questionnaire_exported_in_english_imports_back(make, web):
    from judging.io.saq.workbook import read_saq_workbook, write_saq_workbook
    from tests.app.test_saq_organizer import _upload
    from tests.fixtures.worlds.saq_world import ROWS

    competition = make.competition(phase="open")
    category = make.category(competition)
    organizer = make.organizer(competition)
    make.commit()
    web.login(organizer.email)
    web.post("/auth/language", {"lang": "en"})
    assert _upload(web, category, write_saq_workbook("SAQ", ROWS)).status_code == 303
    exported = web.get(f"/organizer/categories/{category.id}/saq/export").data
    assert read_saq_workbook(exported)[0] == ROWS
    assert _upload(web, category, exported).status_code == 303


def test_english_jury_workbook_notes_in_english_and_round_trips(make, web):
    from tests.app.test_jury_workbook import _download, _fill, _rows, _token
    from tests.app.test_jury_workbook import _upload as upload_marks
    from tests.fixtures.worlds.jury_world import build_world, stored_marks

    world = build_world(make)
    a = world.entries[0]
    world.juror.locale = "en"
    db.session.commit()
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(blank)).worksheets[0]
    assert sheet["A1"].value.startswith("Juror scoring workbook — ")
    assert "Fill in only the criterion and comment columns" in sheet["A2"].value
    assert {v.errorTitle for v in sheet.data_validations.dataValidation} == {"Invalid mark"}
    assert sheet["A3"].value == "Kode Peserta"  # the header the reader checks, in any language
    row = _rows(blank)[a.code]
    filled = _fill(blank, {(row, 3): 45, (row, 4): 60, (row, 5): 70, (row, 6): 80.5})
    page = upload_marks(web, base + "/workbook", filled).get_data(as_text=True)
    web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    marks = stored_marks()
    assert sorted(float(marks[(world.juror.id, a.id, c.id)]) for c in world.criteria) == [
        45, 60, 70, 80.5]

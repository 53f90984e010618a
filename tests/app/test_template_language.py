"""Files the app reads back keep importing when exported in English."""

from __future__ import annotations

import io

import openpyxl

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

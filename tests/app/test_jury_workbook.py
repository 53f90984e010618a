"""The offline scoring workbook: download, preview, confirm all-or-nothing, refusals."""

import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Scoresheet
from tests.app.jury_world import build_world, form_data, stored_marks

FIRST_ROW = 4


def _download(web, url) -> bytes:
    response = web.get(url)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def _fill(data: bytes, edits) -> bytes:
    """edits: {(row, column): value} on the first sheet."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for (row, column), value in edits.items():
        ws.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(web, url, data: bytes):
    return web.post(url, {"workbook": (io.BytesIO(data), "nilai.xlsx")},
                    content_type="multipart/form-data")


def _rows(data: bytes) -> dict:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return {ws.cell(row=r, column=1).value: r for r in range(FIRST_ROW, ws.max_row + 1)}


def _token(page: str) -> str:
    return page.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_upload_previews_changes_then_confirm_saves_all(web, make):
    world = build_world(make)
    a, b = world.entries
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{a.id}/score", form_data(world, a, [40, None, None, None]))
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    rows = _rows(blank)
    assert set(rows) == {a.code, b.code}
    filled = _fill(blank, {
        (rows[a.code], 3): 45, (rows[a.code], 4): 60, (rows[a.code], 5): 70,
        (rows[a.code], 6): 80.5, (rows[a.code], 7): "Bagus",
        (rows[b.code], 3): 30,
    })
    response = _upload(web, base + "/workbook", filled)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "40" in page and "→ 45" in page and "→ 80,5" in page and "Bagus" in page
    assert stored_marks() == {(world.juror.id, a.id, world.criteria[0].id): Decimal("40")}

    response = web.post(base + "/workbook/confirm",
                        {"token": _token(page), "submit_complete": "y", "confirm": "1"})
    assert response.status_code == 302
    marks = stored_marks()
    assert [marks[(world.juror.id, a.id, c.id)] for c in world.criteria] == [
        Decimal("45"), Decimal("60"), Decimal("70"), Decimal("80.5")]
    assert marks[(world.juror.id, b.id, world.criteria[0].id)] == Decimal("30")
    sheets = {s.entry_id: s for s in db.session.scalars(select(Scoresheet))}
    assert sheets[a.id].status == "submitted" and sheets[a.id].overall_comment == "Bagus"
    assert sheets[b.id].status == "draft"  # incomplete rows stay drafts
    # the preview is used up
    again = web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    assert again.status_code == 302 and stored_marks() == marks


def test_bad_rows_and_changed_headers_are_refused_row_by_row_with_nothing_saved(web, make):
    world = build_world(make)
    second_category = make.category(world.competition, name="Kategori Kedua")
    extra = make.entry(second_category, status="submitted")
    from judging.models import Assignment

    db.session.add(Assignment(juror_id=world.juror.id, category_id=second_category.id))
    make.commit()
    a, b = world.entries
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    rows = _rows(blank)
    wb = load_workbook(io.BytesIO(blank))
    first, second = wb.worksheets[0], wb.worksheets[1]
    first.cell(row=rows[a.code], column=1, value="ZZ-999")  # wrong entry code
    first.cell(row=rows[b.code], column=3, value=150)  # out of range
    second.cell(row=3, column=3, value="Nilai bebas")  # header changed
    second.cell(row=FIRST_ROW, column=3, value=50)
    out = io.BytesIO()
    wb.save(out)
    response = _upload(web, base + "/workbook", out.getvalue())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="workbook-problem"') == 3
    assert "ZZ-999" in page and "150" in page and "Judul kolom C diubah" in page
    assert 'id="workbook-confirm"' not in page
    assert stored_marks() == {}
    assert db.session.scalar(select(func.count(Scoresheet.id))) == 0
    assert extra.id


def test_a_mark_changed_online_after_preview_makes_confirm_refuse_everything(web, make):
    world = build_world(make)
    a, b = world.entries
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    rows = _rows(blank)
    filled = _fill(blank, {(rows[a.code], 3): 11, (rows[b.code], 3): 22})
    page = _upload(web, base + "/workbook", filled).get_data(as_text=True)
    web.post(f"/jury/entry/{b.id}/score", form_data(world, b, [99, None, None, None]))
    before = stored_marks()
    response = web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    assert response.status_code == 409
    assert "Tidak ada yang disimpan" in response.get_data(as_text=True)
    assert stored_marks() == before


def test_discard_saves_nothing(web, make):
    world = build_world(make)
    a = world.entries[0]
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    filled = _fill(blank, {(_rows(blank)[a.code], 3): 11})
    page = _upload(web, base + "/workbook", filled).get_data(as_text=True)
    assert web.post(base + "/workbook/confirm",
                    {"token": _token(page), "discard": "1"}).status_code == 302
    assert stored_marks() == {}


def test_upload_refused_outside_the_write_window(web, make):
    world = build_world(make)
    a = world.entries[0]
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    filled = _fill(blank, {(_rows(blank)[a.code], 3): 11})
    page = _upload(web, base + "/workbook", filled).get_data(as_text=True)
    world.competition.phase = "final"
    make.commit()
    assert _upload(web, base + "/workbook", filled).status_code == 403
    response = web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    assert response.status_code == 403
    assert stored_marks() == {}


def test_organizer_uploads_on_a_jurors_behalf_and_the_audit_says_so(web, make):
    world = build_world(make)
    a = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{a.id}/score", form_data(world, a, [10, 10, 10, 10], submit=True))
    web.login("panitia@juara.test")
    base = f"/organizer/competition/{world.competition.id}/juror/{world.juror.id}"
    blank = _download(web, base + "/workbook.xlsx")
    filled = _fill(blank, {(_rows(blank)[a.code], 3): 55})
    response = _upload(web, base + "/workbook", filled)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Juri Satu" in page
    response = web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    assert response.status_code == 302
    assert stored_marks()[(world.juror.id, a.id, world.criteria[0].id)] == Decimal("55")
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mark.changed"))
    assert change.actor_id == world.organizer.id
    assert "atas nama juri Juri Satu" in change.note
    assert change.before["value"] == "10.00" and change.after["value"] == "55.00"
    sheet = db.session.scalar(select(Scoresheet))
    assert sheet.status == "submitted"  # a submitted sheet stays submitted when complete


def test_a_juror_cannot_use_another_jurors_preview(web, make):
    world = build_world(make)
    make.juror(world.competition, [world.category], email="juri2@juara.test")
    make.commit()
    a = world.entries[0]
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    page = _upload(web, base + "/workbook",
                   _fill(blank, {(_rows(blank)[a.code], 3): 11})).get_data(as_text=True)
    web.login("juri2@juara.test")
    response = web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    assert response.status_code == 302
    assert stored_marks() == {}


def test_preview_lists_what_will_be_submitted_and_saving_names_the_remaining_drafts(web, make):
    world = build_world(make)
    a, b = world.entries
    web.login("juri@juara.test")
    base = f"/jury/competition/{world.competition.id}"
    blank = _download(web, base + "/workbook.xlsx")
    rows = _rows(blank)
    filled = _fill(blank, {
        (rows[a.code], 3): 45, (rows[a.code], 4): 60, (rows[a.code], 5): 70,
        (rows[a.code], 6): 80, (rows[b.code], 3): 30,
    })
    page = _upload(web, base + "/workbook", filled).get_data(as_text=True)
    will_submit = page.split('id="workbook-will-submit"')[1].split("</ul>")[0]
    stay_draft = page.split('id="workbook-stay-draft"')[1].split("</ul>")[0]
    assert a.code in will_submit and b.code not in will_submit
    assert b.code in stay_draft and a.code not in stay_draft

    # saved without ticking "Kirim": the page says each sheet is still a draft to submit
    web.post(base + "/workbook/confirm", {"token": _token(page), "confirm": "1"})
    shown = web.get(base).get_data(as_text=True)
    assert "2 lembar penilaian tersimpan dari berkas; 0 dikirim untuk peringkat." in shown
    assert f"Masih draf dan belum dihitung dalam peringkat: {a.code}, {b.code}." in shown
    assert {s.status for s in db.session.scalars(select(Scoresheet))} == {"draft"}

    # ticking "Kirim" submits the complete sheet and names only the one left
    page = _upload(web, base + "/workbook", filled).get_data(as_text=True)
    assert a.code in page.split('id="workbook-will-submit"')[1].split("</ul>")[0]
    web.post(base + "/workbook/confirm",
             {"token": _token(page), "submit_complete": "y", "confirm": "1"})
    shown = web.get(base).get_data(as_text=True)
    assert "1 lembar penilaian tersimpan dari berkas; 1 dikirim untuk peringkat." in shown
    assert f"Masih draf dan belum dihitung dalam peringkat: {b.code}." in shown
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "workbook.applied").order_by(AuditEvent.id.desc())).first()
    assert event.after["submitted"] == [a.code] and event.after["drafts"] == [b.code]

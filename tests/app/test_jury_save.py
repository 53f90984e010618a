"""A later save of a scoresheet: only what changed is written, guarded by the versions read,
audited as before; the notice after a save comes from the redirect, not the session."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event as sql_events
from sqlalchemy import select, update

from judging.extensions import db
from judging.marking import marks as service
from judging.marking.marks import replay_marks
from judging.models import AuditEvent, Mark, Scoresheet
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks


def _events(*prefixes) -> list[AuditEvent]:
    return [e for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith(prefixes)]


def _versions() -> dict:
    db.session.expire_all()
    return {m.criterion_id: m.version for m in db.session.scalars(select(Mark))}


def _sheet() -> Scoresheet:
    db.session.expire_all()
    return db.session.scalar(select(Scoresheet))


def test_resubmitting_one_changed_mark_writes_and_audits_only_that_mark(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, 90, 60],
                                                        submit=True))
    sheet_version = _sheet().version
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, "75,5", 90, 60], submit=True))
    assert response.status_code == 302
    ids = [c.id for c in world.criteria]
    assert _versions() == {ids[0]: 1, ids[1]: 2, ids[2]: 1, ids[3]: 1}
    assert _sheet().version == sheet_version  # the sheet row itself did not change
    later = _events("mark.", "scoresheet.")[5:]
    assert [e.action for e in later] == ["mark.changed", "scoresheet.submitted"]
    changed = later[0]
    mark = db.session.scalar(select(Mark).where(Mark.criterion_id == ids[1]))
    assert changed.object_id == mark.id and changed.actor_id == world.juror.id
    assert changed.before == {"value": "70.00", "comment": ""}
    assert changed.after == {"value": "75.50", "comment": "", "juror_id": world.juror.id,
                             "entry_id": entry.id, "criterion_id": ids[1]}
    assert replay_marks(world.competition.id) == stored_marks()


def test_submitting_a_draft_audits_every_mark_and_sets_the_sheet_once(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, None, None]))
    draft = _sheet()
    assert (draft.status, draft.version, draft.submitted_at) == ("draft", 1, None)
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 90, 60], submit=True,
                                  comment="  Baik  "))
    assert response.status_code == 302
    sheet = _sheet()
    assert (sheet.status, sheet.version, sheet.overall_comment) == ("submitted", 2, "Baik")
    assert sheet.submitted_at is not None
    actions = [e.action for e in _events("mark.", "scoresheet.")]
    assert actions == ["mark.submitted"] * 4 + ["scoresheet.submitted"]
    submitted = _events("mark.submitted")
    assert [e.after["criterion_id"] for e in submitted] == sorted(c.id for c in world.criteria)
    assert {e.object_id for e in submitted} == {m.id for m in db.session.scalars(select(Mark))}
    assert replay_marks(world.competition.id) == stored_marks()
    # the save happened at one moment: its sheet, the marks it wrote and its audit events
    moments = {e.at for e in _events("mark.", "scoresheet.")[-5:]}
    assert moments == {sheet.submitted_at} == {sheet.updated_at}


def test_a_first_submit_has_one_moment_for_its_rows_and_events(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, 90, 60],
                                                        submit=True))
    sheet = _sheet()
    marks = db.session.scalars(select(Mark)).all()
    events = _events("mark.", "scoresheet.")
    assert len(marks) == 4 and len(events) == 5
    assert ({sheet.submitted_at, sheet.updated_at} | {m.updated_at for m in marks}
            | {e.at for e in events}) == {sheet.updated_at}


def test_several_changed_marks_are_written_together(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, 60, None]))
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [81, 71, 61, None]))
    assert response.status_code == 302
    assert sorted(_versions().values()) == [2, 2, 2]
    assert sorted(stored_marks().values()) == [61, 71, 81]


def test_a_draft_changing_only_marks_leaves_the_sheet_version(web, make):
    """Another tab's sheet version stays good when only marks changed (as before)."""
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, None, None, None]))
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [81, 70, None, None]))
    assert _sheet().version == 1
    web.post(f"/jury/entry/{entry.id}/score",
             form_data(world, entry, [81, 70, None, None], comment="Catatan"))
    assert _sheet().version == 2 and _sheet().overall_comment == "Catatan"


def test_a_sheet_changed_between_check_and_write_is_refused_whole(app, make, monkeypatch):
    """The sheet's guarded UPDATE matches no row: stale, marks untouched too."""
    world = build_world(make)
    entry = world.entries[0]
    first = world.criteria[0]
    with app.test_request_context():
        service.save_sheet(world.juror, entry, service.SheetInput(
            {first.id: service.MarkInput(Decimal(5))}), actor=world.juror)
        db.session.commit()
        seen = db.session.scalar(select(Mark)).version
        real_check = service._check_stale

        def check_then_lose_race(*args):
            real_check(*args)
            db.session.execute(update(Scoresheet).values(version=Scoresheet.version + 1)
                               .execution_options(synchronize_session=False))

        monkeypatch.setattr(service, "_check_stale", check_then_lose_race)
        with pytest.raises(service.StaleWrite):
            service.save_sheet(world.juror, entry, service.SheetInput(
                {first.id: service.MarkInput(Decimal(9), seen_version=seen,
                                             seen_value=Decimal(5))},
                overall_comment="baru", seen_sheet_version=1), actor=world.juror)
    assert list(stored_marks().values()) == [Decimal(5)]
    assert _sheet().version == 1 and _sheet().overall_comment == ""


def test_one_of_several_marks_lost_refuses_the_whole_save(app, make, monkeypatch):
    """Changed marks are updated together; the count of rows matched must be all of them."""
    world = build_world(make)
    entry = world.entries[0]
    first, second = world.criteria[0], world.criteria[1]
    with app.test_request_context():
        service.save_sheet(world.juror, entry, service.SheetInput(
            {first.id: service.MarkInput(Decimal(5)), second.id: service.MarkInput(Decimal(6))}),
            actor=world.juror)
        db.session.commit()
        real_check = service._check_stale

        def check_then_lose_race(*args):
            real_check(*args)
            db.session.execute(update(Mark).where(Mark.criterion_id == second.id)
                               .values(value=Decimal(7), version=Mark.version + 1)
                               .execution_options(synchronize_session=False))

        monkeypatch.setattr(service, "_check_stale", check_then_lose_race)
        with pytest.raises(service.StaleWrite):
            service.save_sheet(world.juror, entry, service.SheetInput(
                {first.id: service.MarkInput(Decimal(8), seen_version=1, seen_value=Decimal(5)),
                 second.id: service.MarkInput(Decimal(9), seen_version=1,
                                              seen_value=Decimal(6))},
                seen_sheet_version=1), actor=world.juror)
    assert sorted(stored_marks().values()) == [Decimal(5), Decimal(6)]
    assert set(_versions().values()) == {1}


def test_events_recorded_earlier_in_the_transaction_keep_their_order(app, make):
    from judging.audit import record

    world = build_world(make)
    entry = world.entries[0]
    with app.test_request_context():
        record("juror.added", object_type="user", object_id=world.juror.id,
               actor_id=world.organizer.id)
        service.save_sheet(world.juror, entry, service.SheetInput(
            {c.id: service.MarkInput(Decimal(5)) for c in world.criteria}, action="submit"),
            actor=world.juror)
        db.session.commit()
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-6:] == ["juror.added"] + ["mark.submitted"] * 4 + ["scoresheet.submitted"]


def test_an_orm_sheet_loaded_before_a_save_is_read_fresh_after_it(app, make):
    """The save writes plain rows; sheets the session already holds are not left stale."""
    world = build_world(make)
    entry = world.entries[0]
    with app.test_request_context():
        marks = {c.id: service.MarkInput(Decimal(5)) for c in world.criteria}
        service.save_sheet(world.juror, entry, service.SheetInput(marks), actor=world.juror)
        db.session.commit()
        sheet, _ = service.load_sheet(world.juror.id, entry.id)
        assert sheet.status == "draft"
        versions = {m.criterion_id: m.version for m in service.load_sheet(
            world.juror.id, entry.id)[1].values()}
        saved = service.save_sheet(world.juror, entry, service.SheetInput(
            {cid: service.MarkInput(Decimal(6), seen_version=versions[cid],
                                    seen_value=Decimal(5)) for cid in marks},
            action="submit", seen_sheet_version=1), actor=world.juror)
        assert (saved.id, saved.status) == (sheet.id, "submitted")
        assert service.load_sheet(world.juror.id, entry.id)[0].status == "submitted"
        db.session.commit()


@pytest.mark.parametrize(("lang", "submit", "key", "text"), [
    ("id", True, "submitted", "Penilaian terkirim."),
    ("en", True, "submitted", "Scores submitted."),
    ("id", False, "draft", "Draf tersimpan."),
])
def test_the_saved_notice_comes_from_the_redirect_without_a_session_write(web, make, lang,
                                                                       submit, key, text):
    world = build_world(make)
    entry = world.entries[0]
    world.juror.locale = lang
    db.session.commit()
    web.login("juri@juara.test")
    web.get(f"/jury/entry/{entry.id}")  # the page's CSRF token is in the session
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [80, 70, 90, 60], submit=submit))
    assert response.status_code == 302
    assert response.location == f"/jury/entry/{entry.id}?saved={key}"
    assert "Set-Cookie" not in response.headers
    page = web.get(response.location)
    assert "Set-Cookie" not in page.headers
    assert f'class="flash flash-success" id="page-notice">{text}</p>' in page.get_data(
        as_text=True)


def test_only_known_notice_keys_show_anything(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    for key in ("<script>alert(1)</script>", "Penilaian terkirim.", ""):
        page = web.get(f"/jury/entry/{entry.id}", query_string={"saved": key})
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert 'id="page-notice"' not in body and "<script>alert" not in body


def test_the_redirect_after_a_save_keeps_the_script_root_and_the_entry(web, make):
    """The address is built from a pattern made once: each root and entry gets its own."""
    world = build_world(make, entries=3)
    web.login("juri@juara.test")
    for entry, root in zip(world.entries, ("", "/juara", ""), strict=True):
        sheet = form_data(world, entry, [80, 70, 90, 60])
        sheet["csrf_token"] = web.token()
        response = web.client.post(f"/jury/entry/{entry.id}/score", data=sheet,
                                   environ_overrides={"SCRIPT_NAME": root})
        assert response.status_code == 302
        assert response.location == f"{root}/jury/entry/{entry.id}?saved=draft"


def test_an_edit_of_the_criteria_is_seen_by_the_next_save(web, make):
    """The criteria are built once per process for each set as stored: an edit is a new set."""
    from judging.models import Criterion

    world = build_world(make, entries=3)
    web.login("juri@juara.test")
    first, second, third = world.entries
    top = world.criteria[0]
    assert web.post(f"/jury/entry/{first.id}/score",
                    form_data(world, first, [95, 70, 90, 60])).status_code == 302
    db.session.execute(update(Criterion).where(Criterion.id == top.id)
                       .values(max_mark=Decimal(90)))
    db.session.commit()
    refused = web.post(f"/jury/entry/{second.id}/score",
                       form_data(world, second, [95, 70, 90, 60]))
    assert refused.status_code == 400
    assert "Nilai harus antara 0 dan 90." in refused.get_data(as_text=True)
    data = form_data(world, third, [80, 70, 90, 60], submit=True)  # the page before the edit
    db.session.add(Criterion(category_id=world.category.id, key="baru", label="Kriteria baru",
                             weight=Decimal(1), position=99))
    db.session.commit()
    refused = web.post(f"/jury/entry/{third.id}/score", data)
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Kriteria baru" in body and "Semua kriteria wajib dinilai" in body
    assert {e for _, e, _ in stored_marks()} == {first.id}


def test_a_first_submit_audits_each_mark_and_the_sheet_by_their_ids(web, make):
    """The insert finds each new mark's id itself: every event names its own mark."""
    world = build_world(make, entries=2)
    web.login("juri@juara.test")
    for entry in world.entries:  # a second sheet: ids must not come from the first one
        response = web.post(f"/jury/entry/{entry.id}/score",
                            form_data(world, entry, [80, 70, 90, 60], submit=True))
        assert response.status_code == 302
    marks = {(m.entry_id, m.criterion_id): m.id for m in db.session.scalars(select(Mark))}
    sheets = {s.entry_id: s.id for s in db.session.scalars(select(Scoresheet))}
    submitted = _events("mark.submitted")
    assert len(submitted) == 8
    for event in submitted:
        assert event.object_id == marks[(event.after["entry_id"], event.after["criterion_id"])]
    assert [(e.object_id, e.after["entry_id"]) for e in _events("scoresheet.submitted")] == [
        (sheets[entry.id], entry.id) for entry in world.entries]


@pytest.fixture
def cursor_runs():
    """(first word, whether SQLAlchemy's execution context ran it) of each statement."""
    seen = []

    def before(_conn, _cursor, statement, _parameters, context, _many):
        seen.append((statement.split()[0].upper(), context is not None))

    sql_events.listen(db.engine, "before_cursor_execute", before)
    yield seen
    sql_events.remove(db.engine, "before_cursor_execute", before)


def test_a_save_runs_every_statement_on_the_drivers_cursor_on_sqlite(web, make, cursor_runs):
    """The read, the inserts, the guarded update and the audit rows skip SQLAlchemy's
    execution layer on SQLite (its listeners still see them); elsewhere they take its path."""
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    first = form_data(world, entry, [80, 70, 90, 60], submit=True)
    db.session.remove()
    cursor_runs.clear()
    assert web.post(f"/jury/entry/{entry.id}/score", first).status_code == 302
    saved_first = list(cursor_runs)
    later = form_data(world, entry, [81, 70, 90, 60], submit=True)
    db.session.remove()
    cursor_runs.clear()
    assert web.post(f"/jury/entry/{entry.id}/score", later).status_code == 302
    words = {word for word, _ in saved_first + cursor_runs}
    assert words == {"SELECT", "INSERT", "UPDATE"}
    on_driver = db.engine.dialect.name == "sqlite"
    assert [by_sqlalchemy for _, by_sqlalchemy in saved_first + cursor_runs] == [
        not on_driver] * (len(saved_first) + len(cursor_runs))
    assert _events("mark.changed")[0].after["value"] == "81.00"


def test_a_first_save_stores_every_default_and_reads_its_id_only_when_asked(app, make):
    world = build_world(make)
    entry = world.entries[0]
    with app.test_request_context():
        saved = service.save_sheet(world.juror, entry, service.SheetInput(
            {c.id: service.MarkInput(Decimal(5)) for c in world.criteria[:2]}),
            actor=world.juror)
        assert saved.known_id is None and saved.status == "draft"
        sheet = _sheet()
        assert saved.id == sheet.id
        db.session.commit()
    sheet = _sheet()
    assert (sheet.revisit_note, sheet.version, sheet.overall_comment) == ("", 1, "")
    assert sheet.updated_at is not None and sheet.revisit_requested_at is None
    marks = db.session.scalars(select(Mark)).all()
    assert [(m.version, m.comment, m.updated_at) for m in marks] == [
        (1, "", sheet.updated_at)] * 2


def test_a_repeated_field_counts_once_by_its_first_value_and_missing_ones_are_empty(web, make):
    """The form is read into a plain dict once; it answers as ``request.form.get`` did."""
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [80, 70, 90, 60])
    first, second = world.criteria[0].id, world.criteria[1].id
    data[f"mark_{first}"] = ["81", "500"]  # a second value would be refused as out of range
    del data[f"comment_{second}"], data["overall_comment"]
    assert web.post(f"/jury/entry/{entry.id}/score", data).status_code == 302
    assert sorted(stored_marks().values()) == [60, 70, 81, 90]
    assert _sheet().status == "draft" and _sheet().overall_comment == ""

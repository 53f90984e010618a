"""Two tabs on one sheet: the stale write is refused with what changed; nothing overwritten."""

from decimal import Decimal

from tests.app.jury_world import build_world, form_data, stored_marks


def test_a_stale_tab_gets_409_showing_old_and_current_values(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [50, 50, 50, 50]))
    tab_a = form_data(world, entry, [10, 20, 30, 40], submit=True)
    tab_b = form_data(world, entry, [77, 50, 50, 50])
    assert web.post(f"/jury/entry/{entry.id}/score", tab_b).status_code == 302
    after_b = stored_marks()

    response = web.post(f"/jury/entry/{entry.id}/score", tab_a)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="stale"' in page and "Tidak ada yang ditimpa" in page
    first = world.criteria[0].label
    row = page.split(first, 2)[1]  # the stale table's row for the changed criterion
    assert "50" in row and "77" in row and "Juri Satu" in row
    assert stored_marks() == after_b
    assert after_b[(world.juror.id, entry.id, world.criteria[0].id)] == Decimal("77")
    # the juror's own typing survives in the re-shown form
    assert 'value="10"' in page


def test_resubmitting_after_seeing_the_change_succeeds(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    tab_a = form_data(world, entry, [10, 20, 30, 40], submit=True)
    assert web.post(f"/jury/entry/{entry.id}/score",
                    form_data(world, entry, [60, None, None, None])).status_code == 302
    assert web.post(f"/jury/entry/{entry.id}/score", tab_a).status_code == 409
    fresh = form_data(world, entry, [10, 20, 30, 40], submit=True)
    assert web.post(f"/jury/entry/{entry.id}/score", fresh).status_code == 302
    assert sorted(stored_marks().values()) == [Decimal(v) for v in ("10", "20", "30", "40")]


def test_a_sheet_submitted_elsewhere_makes_an_old_draft_stale(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [1, 2, 3, 4]))
    old_page = form_data(world, entry, [1, 2, 3, 4])
    assert web.post(f"/jury/entry/{entry.id}/score",
                    form_data(world, entry, [1, 2, 3, 4], submit=True)).status_code == 302
    response = web.post(f"/jury/entry/{entry.id}/score", old_page)
    assert response.status_code == 409
    assert "Status lembar penilaian" in response.get_data(as_text=True)


def test_mark_version_mismatch_in_the_service_is_refused(app, make):
    """The service itself, without the form: a stale seen version raises StaleWrite."""
    import pytest

    from judging.extensions import db
    from judging.marking.marks import MarkInput, SheetInput, StaleWrite, save_sheet

    world = build_world(make)
    entry = world.entries[0]
    first = world.criteria[0]
    context = app.test_request_context()
    context.push()
    save_sheet(world.juror, entry, SheetInput({first.id: MarkInput(Decimal(5))}),
               actor=world.juror)
    db.session.commit()
    with pytest.raises(StaleWrite):
        save_sheet(world.juror, entry, SheetInput(
            {first.id: MarkInput(Decimal(9), seen_version=None)}, seen_sheet_version=1),
            actor=world.juror)
    db.session.rollback()
    context.pop()
    assert list(stored_marks().values()) == [Decimal(5)]


def test_a_writer_losing_the_race_at_flush_gets_stale_and_nothing_written(app, make,
                                                                         monkeypatch):
    """Another worker bumps the version between our check and our UPDATE (version_id_col)."""
    import pytest
    from sqlalchemy import update

    from judging.extensions import db
    from judging.marking import marks as service
    from judging.models import Mark

    world = build_world(make)
    entry = world.entries[0]
    first = world.criteria[0]
    with app.test_request_context():
        service.save_sheet(world.juror, entry, service.SheetInput(
            {first.id: service.MarkInput(Decimal(5))}), actor=world.juror)
        db.session.commit()
        mark = db.session.scalar(db.select(Mark))
        seen = mark.version
        real_check = service._check_stale

        def check_then_lose_race(*args):
            real_check(*args)
            db.session.execute(update(Mark).where(Mark.id == mark.id)
                               .values(value=Decimal(7), version=Mark.version + 1)
                               .execution_options(synchronize_session=False))

        monkeypatch.setattr(service, "_check_stale", check_then_lose_race)
        with pytest.raises(service.StaleWrite):
            service.save_sheet(world.juror, entry, service.SheetInput(
                {first.id: service.MarkInput(Decimal(9), seen_version=seen,
                                             seen_value=Decimal(5))},
                seen_sheet_version=1), actor=world.juror)
    # the rolled-back transaction took the racing write with it: the stored mark is untouched
    assert list(stored_marks().values()) == [Decimal(5)]

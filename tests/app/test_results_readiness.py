"""Readiness before moderation and final: every gap per category, overrides with a reason."""

from io import BytesIO

from sqlalchemy import delete, select

from judging.competitions import transitions as phases
from judging.extensions import db
from judging.models import AuditEvent, IndicatorValue, Mark, Scoresheet
from judging.refusals import Refused
from judging.results.freeze import current_ranking
from tests.app.results_world import build_results_world


def _strip(world, *, marks=True, monev_entry=None):
    """No juror marks at all, and (optionally) no monev for one entry."""
    if marks:
        db.session.execute(delete(Mark))
        db.session.execute(delete(Scoresheet))
    if monev_entry is not None:
        db.session.execute(delete(IndicatorValue).where(
            IndicatorValue.entry_id == monev_entry.id))
    db.session.commit()


def kinds(check):
    return {gap.kind for gap in check.gaps}


def test_final_with_no_marks_and_missing_monev_is_refused_without_an_override(app, make):
    """Issue 15 item 1: this used to freeze "Juara I … (0.00)" saying all conditions were met."""
    world = build_results_world(make)
    _strip(world, monev_entry=world.entries[1])
    check = phases.readiness(world.competition, "final")
    assert {"no_score", "unsubmitted", "monev"} <= kinds(check)
    assert not check.all_met
    try:
        phases.change_phase(world.competition, "final")
    except Refused as refused:
        assert "alasan pengecualian" in refused.message_id
        texts = " ".join(p.message_id for p in refused.problems)
        assert "monev" in texts and "BP-002" in texts and "belum punya nilai juri" in texts
    else:
        raise AssertionError("final was reached with no marks")
    db.session.rollback()
    assert world.competition.phase == "moderation"


def test_open_revisit_request_is_a_gap(app, make):
    from judging.models.types import utcnow

    world = build_results_world(make)
    sheet = db.session.scalars(select(Scoresheet)).first()
    sheet.revisit_requested_at = utcnow()
    db.session.commit()
    assert "revisit" in kinds(phases.readiness(world.competition, "final"))


def test_complete_data_says_all_conditions_met(app, make):
    world = build_results_world(make)
    check = phases.readiness(world.competition, "final")
    assert check.gaps == [] and check.all_met


def test_override_is_audited_and_shown_on_the_frozen_ranking_and_export(web, make):
    world = build_results_world(make)
    _strip(world, marks=False, monev_entry=world.entries[1])
    web.login("panitia@juara.test")
    page = web.get(f"/organizer/competitions/{world.competition.id}").get_data(as_text=True)
    assert "Semua syarat terpenuhi" not in page
    assert "indikator wajib" in page and f"/organizer/categories/{world.category.id}/monev" in page
    url = f"/organizer/competitions/{world.competition.id}/phase"
    web.post(url, {"target": "final"})
    db.session.expire_all()
    assert world.competition.phase == "moderation"
    web.post(url, {"target": "final", "override": "Data monev BP-002 menyusul dari Komisi"})
    db.session.expire_all()
    assert world.competition.phase == "final"
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "competition.phase_override"))
    assert event.note == "Data monev BP-002 menyusul dari Komisi"
    assert event.after["gaps"][0]["kind"] == "monev"
    assert current_ranking(world.category).override["reason"].startswith("Data monev")
    ranking = web.get(f"/organizer/categories/{world.category.id}/ranking").get_data(as_text=True)
    assert 'id="ranking-override"' in ranking and "menyusul dari Komisi" in ranking
    from openpyxl import load_workbook

    from judging.results.export import ranking_workbook

    book = load_workbook(BytesIO(ranking_workbook(world.competition)), read_only=True)
    texts = [str(c) for ws in book.worksheets for row in ws.iter_rows(max_row=2, values_only=True)
             for c in row if c]
    assert any("Dibekukan dengan pengecualian" in t and "menyusul" in t for t in texts)

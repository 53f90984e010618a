"""The dashboard's counts come from grouped statements; the jurors' scores behind the
disagreement table are kept between requests, and every change to what they are made
from shows on the next one."""

from decimal import Decimal

import pytest

from judging.extensions import db
from judging.marking import progress
from judging.models import Assignment, ConflictDeclaration, Mark, Scoresheet
from tests.app.test_organizer_progress import score, scored_pair
from tests.fixtures.worlds.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


def test_assignments_conflicts_and_withdrawn_entries_count_as_the_rules_say(world, make):
    category = world.category(name="KIP OPD", required_marks=2)
    entries = [make.entry(category, status="submitted", code=f"KIP-{n:03d}") for n in range(4)]
    make.entry(category, status="withdrawn", code="KIP-009")
    rina = make.juror(world.competition, [category], name="Rina")  # the whole category
    budi = make.juror(world.competition, [], name="Budi")
    for entry in entries[:2]:  # two entries only, one of them twice (category-wide too)
        db.session.add(Assignment(juror_id=budi.id, category_id=category.id, entry_id=entry.id))
    db.session.add(Assignment(juror_id=budi.id, category_id=category.id))
    verifier = make.juror(world.competition, [], name="Vera")
    db.session.add(Assignment(juror_id=verifier.id, category_id=category.id, verifier=True))
    db.session.add(ConflictDeclaration(juror_id=rina.id, entry_id=entries[3].id, reason="kerabat"))
    score(rina, entries[0], 0.8)
    score(rina, entries[3], 0.8)  # conflicted: never counted
    score(budi, entries[0], 0.7)
    make.commit()
    data = progress.competition_progress(world.competition)
    loads = {j.juror.name: (j.assigned, j.submitted) for j in data.jurors}
    assert loads == {"Budi": (4, 1), "Rina": (3, 1), "Vera": (0, 0)}
    assert [j.juror.name for j in data.jurors] == ["Budi", "Rina", "Vera"]
    assert dict(data.status_counts[category.id]) == {"submitted": 4, "withdrawn": 1}
    assert [(f.entry.code, f.marks, f.required) for f in data.short] == [
        ("KIP-001", 0, 2), ("KIP-002", 0, 2), ("KIP-003", 0, 2)]


def test_kept_scores_are_read_again_after_any_change(world, make, monkeypatch):
    category, entry, _rina, budi = scored_pair(world, make, (0.9, 0.8))
    reads = []
    real = progress._sheet_scores
    monkeypatch.setattr(progress, "_sheet_scores", lambda *a: reads.append(1) or real(*a))

    def spread():
        flags = progress.competition_progress(world.competition).disagreements
        return [(f.entry.code, f.spread) for f in flags]

    assert spread() == [] and spread() == [] and len(reads) == 1
    mark = db.session.scalars(db.select(Mark).where(Mark.juror_id == budi.id)).first()
    mark.value = Decimal("0")  # a mark changed after submission
    make.commit()
    assert spread() and spread()[0][0] == "KIP-001" and len(reads) == 2
    db.session.add(ConflictDeclaration(juror_id=budi.id, entry_id=entry.id, reason="kerabat"))
    make.commit()
    assert spread() == [] and len(reads) == 3
    db.session.execute(db.delete(ConflictDeclaration))
    sheet = db.session.scalars(db.select(Scoresheet).where(Scoresheet.juror_id == budi.id)).one()
    sheet.status = "draft"
    make.commit()
    assert spread() == [] and len(reads) == 4
    sheet.status = "submitted"
    make.commit()
    assert spread()[0][0] == "KIP-001"
    category.disagreement_threshold = Decimal("99")  # applied to the kept scores
    make.commit()
    assert spread() == [] and len(reads) == 5


def test_kept_disagreements_follow_a_jurors_new_name(world, make):
    *_, budi = scored_pair(world, make)

    def named():
        return [sorted(f.scores) for f in
                progress.competition_progress(world.competition).disagreements]

    assert named() == named() == [["Budi", "Rina"]]
    budi.name = "Budi Santoso"
    make.commit()
    assert named() == [["Budi Santoso", "Rina"]]


def test_a_scoring_juror_no_longer_on_the_panel_is_still_named(world, make):
    """The scoring jurors' names come with the juror loads; one whose juror grant was
    withdrawn after scoring is missing from them and is read by id instead."""
    from judging.models import RoleGrant

    *_, budi = scored_pair(world, make)

    def flagged():
        data = progress.competition_progress(world.competition)
        return [j.juror.name for j in data.jurors], [sorted(f.scores) for f in data.disagreements]

    assert flagged() == (["Budi", "Rina"], [["Budi", "Rina"]])
    db.session.execute(db.delete(RoleGrant).where(RoleGrant.user_id == budi.id))
    make.commit()
    assert flagged() == (["Rina"], [["Budi", "Rina"]])


def test_the_page_statements_run_on_the_drivers_cursor(world, make, web):
    """On SQLite each of the dashboard's statements takes ``driver_sql``'s path (a plan kept
    for it), not SQLAlchemy's result objects."""
    from judging import driver_sql
    from judging.marking import tallies
    from judging.organizer import loading

    if db.engine.dialect.name != "sqlite":
        pytest.skip("other databases take SQLAlchemy's own path")
    category = world.category(name="KIP OPD", required_marks=2)
    make.entry(category, status="submitted", code="KIP-001")
    make.juror(world.competition, [category], name="Rina")
    make.commit()
    driver_sql.forget_plans()
    web.login(world.organizer.email)
    page = web.get(f"/organizer/competitions/{world.competition.id}/progress")
    assert page.status_code == 200 and "KIP-001" in page.get_data(as_text=True)
    planned = {key[0] for key in driver_sql._PLANS}
    for statement in (loading._LINE, tallies.CATEGORY_COUNTS, tallies.JUROR_LOADS_NO_CONFLICTS,
                      tallies.SHORT_OF_MARKS_NO_CONFLICTS, tallies.RUBRICS):
        assert id(statement) in planned


def test_conflicts_are_looked_up_only_where_one_is_declared(world, make):
    """The summary read with the categories counts the competition's conflict declarations:
    with none, the loads and short-of-marks statements leave their lookup out; the first one
    declared is counted at once."""
    from sqlalchemy import event

    category = world.category(name="KIP OPD", required_marks=1)
    entries = [make.entry(category, status="submitted", code=f"KIP-{n:03d}") for n in range(2)]
    rina = make.juror(world.competition, [category], name="Rina")
    score(rina, entries[0], 0.8)
    make.commit()
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    def counts():
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            data = progress.competition_progress(world.competition)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        looked = [s for s in seen if "AS counted" in s or "AS assigned" in s]
        assert len(looked) == 2
        return ([(j.juror.name, j.assigned, j.submitted) for j in data.jurors],
                [(f.entry.code, f.marks) for f in data.short],
                sum("conflict_declarations" in s for s in looked))

    assert counts() == ([("Rina", 2, 1)], [("KIP-001", 0)], 0)
    db.session.add(ConflictDeclaration(juror_id=rina.id, entry_id=entries[0].id, reason="kerabat"))
    make.commit()
    assert counts() == ([("Rina", 1, 0)], [("KIP-000", 0), ("KIP-001", 0)], 2)


def test_a_sheet_submitted_by_another_worker_shows_at_the_next_view(world, make, web):
    """The page's kept reads follow a commit made on another connection (another worker)."""
    from tests.app.test_unchanged_reads import _commit_elsewhere

    category = world.category(name="KIP OPD", required_marks=1)
    entry = make.entry(category, status="submitted", code="KIP-001")
    rina = make.juror(world.competition, [category], name="Rina")
    for criterion in category.criteria:
        db.session.add(Mark(juror_id=rina.id, entry_id=entry.id, criterion_id=criterion.id,
                            value=criterion.max_mark))
    sheet = Scoresheet(juror_id=rina.id, entry_id=entry.id, status="draft")
    db.session.add(sheet)
    make.commit()
    web.login(world.organizer.email)
    url = f"/organizer/competitions/{world.competition.id}/progress"

    def tables():
        page = web.get(url).get_data(as_text=True)
        short = page[page.index("Entri dengan penilaian kurang"):page.index("Juri berbeda")]
        return "KIP-001" in short, "1/1" in page

    assert tables() == tables() == (True, False)
    _commit_elsewhere("UPDATE scoresheets SET status = :status, version = version + 1 "
                      "WHERE id = :id", {"status": "submitted", "id": sheet.id})
    assert tables() == (False, True)

"""The live ranking is computed once per change of its inputs, and never served stale."""

from decimal import Decimal

import pytest
from sqlalchemy import event, select, text, update

from judging.extensions import db
from judging.models import Category, ConflictDeclaration, Entrant, IndicatorValue, Mark, User
from judging.results import inputs as inputs_module
from judging.results import live
from judging.results.live import live_ranking, live_window
from tests.fixtures.worlds.results_world import build_results_world, put_marks


@pytest.fixture
def reads(monkeypatch):
    """How many times the category's marks were read from the database, and how many of
    those reads were of every mark (not only those written since the last read)."""
    count = {"marks": 0, "all": 0}
    original = inputs_module.mark_rows

    def counting(category, since=None):
        count["marks"] += 1
        count["all"] += since is None
        return original(category, since)

    monkeypatch.setattr(inputs_module, "mark_rows", counting)
    return count


def totals(ranking) -> dict[str, Decimal]:
    return {line.entry_code: line.ranked.total for line in ranking.lines}


def uncached(category) -> dict[str, Decimal]:
    """The ranking computed from the inputs directly, past any kept result."""
    computed = live._rank(category, inputs_module.ranked_entries(category))
    codes = {i: e.code for i, e in computed.entries.items()}
    return {codes[r.entry_id]: r.total for r in computed.ranked}


def test_pages_of_an_unchanged_category_are_ranked_once(app, make, reads):
    world = build_results_world(make, phase="judging")
    whole = live_ranking(world.category)
    page, count = live_window(world.category, 1, 2)
    again = live_ranking(world.category)
    assert reads["marks"] == 1 and count == 4
    assert page.lines == whole.lines[1:3] and again.lines == whole.lines


def _mark(world):
    put_marks(world.jurors[0], world.entries[1], world.category.criteria, (100,) * 4)


def _monev(world):
    value = db.session.scalar(select(IndicatorValue).where(
        IndicatorValue.entry_id == world.entries[2].id,
        IndicatorValue.indicator_key == "nilai_website"))
    value.value = Decimal("20")


def _conflict(world):
    db.session.add(ConflictDeclaration(juror_id=world.jurors[0].id,
                                       entry_id=world.entries[0].id, reason="saudara"))


def _sheet_back_to_draft(world):
    put_marks(world.jurors[0], world.entries[0], world.category.criteria, (90,) * 4,
              status="draft")


def _withdrawn(world):
    world.entries[0].status = "withdrawn"


def _weights(world):
    category = db.session.get(Category, world.category.id)
    category.weights = {**category.weights, "presentation": 0, "website": 60}


def _rubric(world):
    db.session.get(Category, world.category.id).criteria[0].max_mark = Decimal("200")


def _renamed(world):
    entrant = db.session.get(Entrant, world.entries[3].entrant_id)
    entrant.name = "Dinas Baru"


@pytest.mark.parametrize(("change", "marks_read"), [
    (_mark, 2), (_monev, 1), (_conflict, 1), (_sheet_back_to_draft, 1), (_withdrawn, 2),
    (_weights, 1), (_rubric, 1), (_renamed, 1),  # the marks are read again only when they moved
])
def test_any_change_of_an_input_shows_in_the_next_live_ranking(app, make, reads, change,
                                                               marks_read):
    world = build_results_world(make, phase="judging")
    before = live_ranking(world.category)
    change(world)
    make.commit()
    after = live_ranking(world.category)
    assert reads["marks"] == marks_read
    assert totals(after) == uncached(world.category)
    assert (after.lines != before.lines) or (
        [line.ranked.name for line in after.lines] != [line.ranked.name for line in before.lines])


def test_the_inputs_summary_is_read_in_one_statement_with_the_saq_share(app, make):
    """Every page of a live ranking reads the summary first: marks, sheets, monev values,
    conflicts and the online SAQ's answers, verifications and objections in one round trip."""
    world = build_results_world(make, phase="judging")  # its method scores the online SAQ
    first = inputs_module.category_fingerprint(world.category)  # the rubric loaded with it
    db.session.commit()
    with db.engine.connect() as other:  # a commit elsewhere: the summary must be read again
        other.execute(update(User).where(User.id == world.jurors[0].id).values(name="Lain"))
        other.commit()
    assert world.category.criteria  # the category and rubric loaded again after the commit
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        summary = inputs_module.category_fingerprint(world.category)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert len(seen) == 1
    assert len(summary) == inputs_module.SAQ_SUMMARY + 3  # answers, verifications, objections
    assert summary == first


def test_a_mark_written_while_the_ranking_is_read_shows_in_the_next_one(app, make, monkeypatch):
    """Another connection commits a mark after the fingerprint was read: the ranking read
    then is kept under the older fingerprint, so the next one is computed afresh."""
    world = build_results_world(make, phase="judging")
    target = world.entries[2]
    original = live.category_inputs
    written = []

    def write_meanwhile(category, entries, rows=None, **kept):
        if not written:
            with db.engine.connect() as other:
                other.execute(update(Mark).where(Mark.entry_id == target.id)
                              .values(value=Decimal("100"), version=Mark.version + 1))
                other.commit()
            written.append(True)
        return original(category, entries, rows, **kept)

    before = uncached(world.category)
    monkeypatch.setattr(live, "category_inputs", write_meanwhile)
    live_ranking(world.category)
    db.session.rollback()  # the request ends; the next one starts a new transaction
    after = totals(live_ranking(world.category))
    assert after == uncached(world.category) and after[target.code] > before[target.code]


def test_a_raw_update_of_one_mark_is_seen(app, make):
    """Imports and bulk tools write with plain SQL; the version they bump is enough."""
    world = build_results_world(make, phase="judging")
    before = totals(live_ranking(world.category))
    db.session.execute(text("UPDATE marks SET value = 0, version = version + 1 "
                            "WHERE entry_id = :e"), {"e": world.entries[0].id})
    make.commit()
    after = totals(live_ranking(world.category))
    assert after != before and after == uncached(world.category)


def _deleted(world):
    db.session.delete(db.session.scalars(
        select(Mark).where(Mark.entry_id == world.entries[1].id)).first())


def _raw_update(world):
    db.session.execute(text("UPDATE marks SET value = 0, version = version + 1 "
                            "WHERE entry_id = :e"), {"e": world.entries[0].id})


@pytest.mark.parametrize(("change", "read_all"), [
    (_mark, False),  # a juror's save: only the marks written since are read
    (_sheet_back_to_draft, False),
    (_deleted, True),  # the rows kept cannot tell a mark went: all read again
    (_raw_update, True),  # a write that kept the old time shows in the version sum
    (_withdrawn, True),
])
def test_after_a_change_only_the_new_marks_are_read_when_that_is_safe(app, make, reads,
                                                                      change, read_all):
    world = build_results_world(make, phase="judging")
    live_ranking(world.category)
    change(world)
    make.commit()
    after = live_ranking(world.category)
    assert reads["all"] == 1 + read_all
    assert totals(after) == uncached(world.category)
    app.extensions.pop("juara.live_rankings")
    assert after.lines == live_ranking(world.category).lines  # as read afresh, every column


def test_the_cache_keeps_a_bounded_number_of_marks():
    """Province-scale categories are few at a time: the oldest go once the marks exceed the
    budget, though the newest stays whatever its size."""
    from judging.results.livecache import Computed, LiveCache

    def computed(marks: int) -> Computed:
        return Computed(entries={}, criteria=[], marks=[0] * marks, ranked=[])

    cache = LiveCache(kept=8, kept_marks=100)
    for category_id in (1, 2, 3):
        cache.put(category_id, ("k",), computed(40))
    assert [cache.get(c, ("k",)) is not None for c in (1, 2, 3)] == [False, True, True]
    cache.put(4, ("k",), computed(500))
    assert cache.get(4, ("k",)) is not None
    assert [cache.get(c, ("k",)) is not None for c in (2, 3)] == [False, False]

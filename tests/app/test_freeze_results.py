"""Freezing at final: results equal the live ranking, do not move, and reopening discards them."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from judging.competitions.transitions import change_phase
from judging.extensions import db
from judging.models import AuditEvent, Competition, IndicatorValue, Result
from judging.plugin_setup import methods
from judging.results.freeze import current_ranking, discard_results, freeze_results
from judging.results.live import live_ranking
from judging.scoring.hookspecs import hookimpl
from judging.scoring.types import CategoryInfo
from tests.app.results_world import build_results_world, put_marks


def snapshot(ranking):
    return [(line.ranked.entry_id, line.ranked.rank, line.ranked.total, line.ranked.components,
             line.ranked.band, line.award, line.ranked.jurors_counted, line.ranked.flags,
             line.ranked.juror_scores) for line in ranking.lines]


def results_of(category):
    db.session.expire_all()
    return list(db.session.scalars(select(Result).where(Result.category_id == category.id)
                                   .order_by(Result.rank)))


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_frozen_results_equal_the_live_ranking_at_the_moment_of_freezing(app, make):
    world = build_results_world(make)
    live = snapshot(live_ranking(world.category))
    world.competition.phase = "final"
    freeze_results(world.competition)
    db.session.commit()

    frozen = current_ranking(world.category)
    assert frozen.frozen and snapshot(frozen) == live
    rows = results_of(world.category)
    assert [r.award for r in rows] == ["Peringkat Pertama", "Peringkat Kedua",
                                       "Peringkat Ketiga", None]
    assert rows[0].total == Decimal("90.50") and rows[0].components["presentation"] == "85.00"
    assert rows[0].breakdown["juror_scores"] == {str(world.jurors[0].id): 90.0,
                                                 str(world.jurors[1].id): 80.0}
    assert rows[3].flags == ["not_advanced"] and rows[3].advanced is False
    assert actions().count("results.frozen") == 1


def test_a_later_mark_or_import_does_not_move_frozen_results(app, make):
    world = build_results_world(make, phase="final")
    freeze_results(world.competition)
    db.session.commit()
    before = snapshot(current_ranking(world.category))

    third = world.entries[2]  # a late, generous mark and a new SAQ value for the third entry
    put_marks(world.jurors[0], third, world.category.criteria, (100, 100, 100, 100))
    value = db.session.scalar(select(IndicatorValue).where(
        IndicatorValue.entry_id == third.id, IndicatorValue.indicator_key == "nilai_saq"))
    value.value = Decimal("100")
    db.session.commit()

    assert snapshot(live_ranking(world.category)) != before  # the live numbers did move
    assert snapshot(current_ranking(world.category)) == before  # the frozen ones did not


def test_reopening_discards_the_snapshot_and_is_logged(app, make):
    world = build_results_world(make, phase="moderation")
    change_phase(world.competition, "final")
    db.session.commit()
    assert len(results_of(world.category)) == 4

    change_phase(world.competition, "moderation", reason="Nilai juri 2 perlu dikoreksi")
    db.session.commit()
    assert results_of(world.category) == []
    discarded = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "results.discarded"))
    assert discarded.object_id == world.category.id
    assert discarded.before["entries"] == 4
    assert discarded.before["awarded"][0] == {
        "entry_id": world.entries[0].id, "rank": 1, "total": "90.50",
        "award": "Peringkat Pertama"}
    assert actions()[-2:] == ["competition.phase", "results.discarded"]
    assert not current_ranking(world.category).frozen


def test_stepping_back_from_published_keeps_the_frozen_numbers(app, make):
    world = build_results_world(make, phase="final")
    freeze_results(world.competition)
    db.session.commit()
    before = snapshot(current_ranking(world.category))
    world.competition.phase = "published"
    db.session.commit()

    put_marks(world.jurors[1], world.entries[1], world.category.criteria, (100, 100, 100, 100))
    change_phase(world.competition, "final", reason="Salah ketik nama kategori")
    db.session.commit()
    assert snapshot(current_ranking(world.category)) == before
    assert actions().count("results.frozen") == 1


def test_discarding_nothing_records_nothing(app, make):
    world = build_results_world(make)
    assert discard_results(world.competition) == 0
    assert "results.discarded" not in actions()


class FrozenListener:
    """Hears frozen rankings, and what another connection could see at that moment."""

    def __init__(self):
        self.calls, self.committed = [], []

    @hookimpl
    def judging_ranking_frozen(self, category, results):
        self.calls.append((category, results))
        with db.engine.connect() as connection:
            self.committed.append((
                connection.scalar(select(Competition.phase).where(
                    Competition.id == category.competition_id)),
                connection.scalar(select(func.count(Result.id)).where(
                    Result.category_id == category.id)),
            ))


class Exploding:
    @hookimpl(tryfirst=True)
    def judging_ranking_frozen(self, category, results):
        raise RuntimeError("webhook mati")


@pytest.fixture
def listener(app):
    plugin, broken = FrozenListener(), Exploding()
    methods().pm.register(plugin, name="test-frozen-listener")
    methods().pm.register(broken, name="test-frozen-exploding")
    yield plugin
    methods().pm.unregister(name="test-frozen-listener")
    methods().pm.unregister(name="test-frozen-exploding")


def test_plugins_hear_of_each_frozen_category_once_the_phase_change_commits(
        app, make, web, listener):
    world = build_results_world(make, phase="moderation")
    live = live_ranking(world.category)
    web.login(world.organizer.email)
    response = web.post(f"/organizer/competitions/{world.competition.id}/phase",
                        {"target": "final"})
    assert response.status_code == 302
    [(category, results)] = listener.calls
    assert isinstance(category, CategoryInfo)
    assert category.id == world.category.id and category.method == "information_disclosure"
    assert results == tuple(line.ranked for line in live.lines)
    assert listener.committed == [("final", 4)]  # the phase and the rows were already saved


def test_a_rolled_back_freeze_tells_no_plugin(app, make, listener):
    world = build_results_world(make, phase="moderation")
    change_phase(world.competition, "final")
    db.session.rollback()
    db.session.commit()
    assert listener.calls == []

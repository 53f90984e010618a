"""Live-ranking inputs left on disk: another process starts from them and is never stale."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from judging.extensions import db
from judging.models import Mark
from judging.results import inputs as inputs_module
from judging.results import live, livesnapshot
from judging.results.live import live_ranking
from tests.fixtures.worlds.results_world import build_results_world, put_marks

ROOT = Path(__file__).resolve().parents[2]

# Another process on the same database and instance folder: it sets one entry's marks.
SAVE = """
import sys
from decimal import Decimal
from judging import create_app
from judging.extensions import db
from judging.models import Mark
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "t",
                  "BASE_URL": "http://127.0.0.1:5000", "AUTO_UPGRADE": False})
with app.app_context():
    for mark in db.session.scalars(db.select(Mark).where(Mark.entry_id == int(sys.argv[2]))):
        mark.value = Decimal(sys.argv[3])
    db.session.commit()
"""


@pytest.fixture
def reads(monkeypatch):
    """How many reads of every mark of the category were made."""
    count = {"all": 0}
    original = inputs_module.mark_rows

    def counting(category, since=None):
        count["all"] += since is None
        return original(category, since)

    monkeypatch.setattr(inputs_module, "mark_rows", counting)
    return count


def totals(ranking) -> dict:
    return {line.entry_code: line.ranked.total for line in ranking.lines}


def uncached(category) -> dict:
    computed = live._rank(category, inputs_module.ranked_entries(category))
    codes = {i: e.code for i, e in computed.entries.items()}
    return {codes[r.entry_id]: r.total for r in computed.ranked}


def another_process(app, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JUDGING_INSTANCE_PATH": app.instance_path}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=120)


def fresh_process(app) -> None:
    """What a new worker or CLI run has: nothing kept in memory."""
    app.extensions.pop("juara.live_rankings", None)


def test_a_fresh_process_starts_from_the_inputs_left_on_disk(app, make, reads):
    world = build_results_world(make, phase="judging")
    before = live_ranking(world.category)
    assert list(Path(app.instance_path, "rankings").glob("*.inputs"))
    fresh_process(app)
    after = live_ranking(world.category)
    assert reads["all"] == 1  # the first read only
    assert after.lines == before.lines


def test_a_save_in_another_process_shows_in_the_next_read(app, make, reads):
    world = build_results_world(make, phase="judging")
    target = world.entries[0]
    before = totals(live_ranking(world.category))
    make.commit()
    another_process(app, "-c", SAVE, app.config["SQLALCHEMY_DATABASE_URI"], str(target.id), "0")
    db.session.rollback()  # the next request's transaction
    kept_here = totals(live_ranking(world.category))  # this process had it kept
    fresh_process(app)
    from_disk = totals(live_ranking(world.category))  # a new process, from the snapshot
    assert reads["all"] == 1  # both brought up to date by reading only the marks written
    assert kept_here == from_disk == uncached(world.category)
    assert from_disk[target.code] < before[target.code]


def test_the_cli_in_a_fresh_process_shows_a_save_made_after_the_snapshot(app, make):
    world = build_results_world(make, phase="judging")
    live_ranking(world.category)  # leaves the snapshot
    make.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    another_process(app, "-c", SAVE, url, str(world.entries[1].id), "0")
    printed = another_process(app, "-c", (
        "import sys; from judging import create_app; "
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1], 'SECRET_KEY': 't', "
        "'BASE_URL': 'http://127.0.0.1:5000', 'AUTO_UPGRADE': False}); "
        "r = app.test_cli_runner().invoke(args=['ranking', sys.argv[2]]); "
        "print(r.output)"), url, str(world.category.id))
    lines = json.loads(printed.stdout)["lines"]
    db.session.rollback()
    expected = uncached(world.category)
    assert {line["entry_code"]: line["total"] for line in lines} == {
        code: f"{total:.2f}" for code, total in expected.items()}


def _deleted(world):
    db.session.delete(db.session.scalars(
        select(Mark).where(Mark.entry_id == world.entries[1].id)).first())


def _raw_update(world):  # a write that kept the old time shows in the version sum
    db.session.execute(text("UPDATE marks SET value = 0, version = version + 1 "
                            "WHERE entry_id = :e"), {"e": world.entries[0].id})


def _sheet_back_to_draft(world):
    put_marks(world.jurors[0], world.entries[0], world.category.criteria, (90,) * 4,
              status="draft")


def _mark(world):
    put_marks(world.jurors[0], world.entries[1], world.category.criteria, (100,) * 4)


def _emptied(world):  # a mark that counted no longer does
    db.session.scalars(select(Mark).where(Mark.entry_id == world.entries[0].id)).first() \
        .value = None


CHANGES = [_mark, _emptied, _deleted, _raw_update, _sheet_back_to_draft]


@pytest.mark.parametrize("change", CHANGES)
def test_a_snapshot_never_makes_a_result_wrong(app, make, change):
    world = build_results_world(make, phase="judging")
    before = live_ranking(world.category)
    change(world)
    make.commit()
    fresh_process(app)
    after = live_ranking(world.category)
    assert totals(after) == uncached(world.category)
    assert after.lines != before.lines
    fresh_process(app)
    assert live_ranking(world.category).lines == after.lines  # the snapshot left after


@pytest.mark.parametrize("change", CHANGES)
def test_a_kept_ranking_brought_up_to_date_equals_one_read_afresh(app, make, change):
    """Only the changed marks are judged again, or only their values replaced."""
    world = build_results_world(make, phase="judging")
    live_ranking(world.category)
    change(world)
    make.commit()
    updated = live_ranking(world.category)
    computed = app.extensions["juara.live_rankings"].kept(world.category.id)[1]
    afresh = live._rank(world.category, inputs_module.ranked_entries(world.category))
    for column in ("juror_id", "entry_id", "criterion", "value"):
        assert getattr(computed.marks, column).tolist() == getattr(afresh.marks, column).tolist()
    assert updated.lines == live._lines(world.category, afresh, afresh.ranked)


def test_a_damaged_snapshot_is_read_afresh(app, make, reads):
    world = build_results_world(make, phase="judging")
    before = live_ranking(world.category)
    for path in Path(app.instance_path, "rankings").glob("*.inputs"):
        path.write_bytes(path.read_bytes()[:200])
    fresh_process(app)
    assert live_ranking(world.category).lines == before.lines
    assert reads["all"] == 2  # read afresh


def test_marks_newer_than_the_database_are_not_trusted(app, make, reads, monkeypatch):
    """A backup put back under the instance folder: its snapshot is ahead of the marks."""
    world = build_results_world(make, phase="judging")
    live_ranking(world.category)
    original = livesnapshot.load

    def ahead(category):
        kept = original(category)
        total, greatest, latest = kept.parts["mark_summary"]
        kept.parts["mark_summary"] = (total, greatest + 1, latest)
        return kept

    monkeypatch.setattr(livesnapshot, "load", ahead)
    fresh_process(app)
    after = totals(live_ranking(world.category))
    assert reads["all"] == 2  # read afresh
    assert after == uncached(world.category)

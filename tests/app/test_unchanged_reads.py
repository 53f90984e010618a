"""Reads answered from a connection's last rows while the database is unchanged
(``judging/unchanged.py``), and the ranking page built on them: never stale after a write."""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy import select, text

from judging.extensions import db
from judging.models import Entrant
from judging.unchanged import read_unless_changed
from tests.fixtures.worlds.results_world import build_results_world


def _counted_name(entrant_id: int):
    """A read of the entrant's name that counts how often it ran."""
    calls: list[str] = []

    def read():
        calls.append("read")
        return db.session.scalar(select(Entrant.name).where(Entrant.id == entrant_id))

    return calls, lambda: read_unless_changed(db.session, ("name", entrant_id), read)


def _commit_elsewhere(statement: str, params: dict) -> None:
    """A write committed by another connection: on SQLite one outside this process's pool,
    as another server worker's would be."""
    db.session.commit()  # end this session's snapshot first
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(db.engine.url.database)
        try:
            other.execute(re.sub(r":(\w+)", r"?", statement), list(params.values()))
            other.commit()
        finally:
            other.close()
    else:
        with db.engine.connect() as other:
            other.execute(text(statement), params)
            other.commit()


def test_an_unchanged_database_is_not_read_again(app, make):
    world = build_results_world(make, phase="judging")
    calls, name = _counted_name(world.entries[0].entrant_id)
    assert name() == name() == "Dinas Kominfo"
    db.session.commit()  # a new transaction on the same, unchanged database
    assert name() == "Dinas Kominfo"
    assert len(calls) == (1 if db.engine.dialect.name == "sqlite" else 3)


def test_a_commit_by_another_connection_is_read(app, make):
    world = build_results_world(make, phase="judging")
    entrant_id = world.entries[0].entrant_id
    calls, name = _counted_name(entrant_id)
    assert name() == "Dinas Kominfo"
    _commit_elsewhere("UPDATE entrants SET name = :name WHERE id = :id",
                      {"name": "Dinas Baru", "id": entrant_id})
    assert name() == "Dinas Baru"


def test_the_sessions_own_change_is_read_and_its_rollback_too(app, make):
    world = build_results_world(make, phase="judging")
    entrant = db.session.get(Entrant, world.entries[0].entrant_id)
    calls, name = _counted_name(entrant.id)
    assert name() == "Dinas Kominfo"
    entrant.name = "Belum Disimpan"  # pending: flushed before the read
    assert name() == "Belum Disimpan"
    db.session.rollback()
    assert name() == "Dinas Kominfo"


def _total(html: str, code: str) -> str:
    row = re.search(rf'data-entry="{code}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r"<strong>([^<]+)</strong>", row).group(1)


def test_the_ranking_page_shows_a_jurors_save_committed_elsewhere(app, make, web):
    world = build_results_world(make, phase="judging")
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    before = web.get(url).get_data(as_text=True)
    assert _total(before, "BP-002") == _total(web.get(url).get_data(as_text=True), "BP-002")
    _commit_elsewhere(  # juror 1 raises every mark of the second entry to 100
        "UPDATE marks SET value = :value, version = version + 1 "
        "WHERE juror_id = :juror AND entry_id = :entry",
        {"value": 100, "juror": world.jurors[0].id, "entry": world.entries[1].id})
    after = web.get(url).get_data(as_text=True)
    assert _total(after, "BP-002") != _total(before, "BP-002")

"""Import batches: preview, all-or-nothing commit, double submit, re-import, rollback."""

from __future__ import annotations

import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from judging.extensions import db
from judging.models import AuditEvent, IndicatorChange
from judging.monev.batches import (
    build_batch,
    commit_batch,
    discard_batch,
    pending_changes,
    rollback_batch,
)
from judging.refusals import Refused
from tests.app.monev_world import BAD_ROW, GOOD_ROWS, World, fingerprint, stored_values, workbook


@contextmanager
def refused(pattern: str):
    """The block is refused, and the English text of the refusal matches ``pattern``."""
    with pytest.raises(Refused) as caught:
        yield
    assert re.search(pattern, caught.value.message_en), caught.value.message_en


@pytest.fixture
def world(make):
    return World(make)


def preview(world, rows, **kwargs):
    batch = build_batch(world.category, workbook(rows), filename="monev.xlsx",
                        user_id=world.organizer.id, **kwargs)
    db.session.commit()
    return batch


def commit(world, batch, skip_invalid=False):
    try:
        commit_batch(batch.id, category_id=world.category.id, skip_invalid=skip_invalid,
                     actor_id=world.organizer.id)
    except Refused:
        db.session.rollback()
        raise
    db.session.commit()


def test_preview_keeps_counts_reasons_and_the_file_but_no_values(world, app):
    batch = preview(world, [*GOOD_ROWS, BAD_ROW])
    assert (batch.state, batch.rows_read, batch.rows_valid, batch.rows_rejected) == (
        "previewed", 3, 2, 1)
    assert batch.errors == [{
        "row": 6, "column": "Selesai",
        "message_id": "Baris 6, kolom 'Selesai': 'Selesai' (120) lebih besar dari "
                      "'Laporan Masuk' (100)",
        "message_en": "Row 6, column 'Selesai': 'Completed' (120) is greater than "
                      "'Reports received' (100)",
    }]
    assert batch.summary["missing"] == []
    changes = {(c.code, c.key): c.new for c in pending_changes(batch)}
    assert {key: str(new) for (code, key), new in changes.items() if code == "KEL-002"} == {
        "laporan_masuk": "1234.0000", "ditindaklanjuti": "1000.0000", "selesai": "900.0000",
        "selesai_tepat_waktu": "800.0000", "rata_hari_respons": "3.2500"}
    assert len(batch.file_sha256) == 64 and batch.storage_key
    assert stored_values(world) == {}


def test_rejected_rows_block_the_commit_unless_skipped_explicitly(world):
    batch = preview(world, [*GOOD_ROWS, BAD_ROW])
    before = fingerprint()
    with refused("1 rows were rejected"):
        commit(world, batch)
    assert fingerprint() == before
    commit(world, batch, skip_invalid=True)
    values = stored_values(world)
    assert values[("KEL-001", "laporan_masuk")] == "100.0000"
    assert values[("KEL-002", "rata_hari_respons")] == "3.2500"
    assert not any(code == "KEL-003" for code, _ in values)
    assert len(values) == 10
    assert batch.state == "committed" and batch.skip_invalid
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "monev.commit"))
    assert event.object_id == batch.id and event.after["values"] == 10


def test_a_second_confirm_imports_nothing_twice(world):
    batch = preview(world, GOOD_ROWS)
    commit(world, batch)
    before = fingerprint()
    with refused("already confirmed"):
        commit(world, batch)
    assert fingerprint() == before
    assert db.session.query(IndicatorChange).count() == 10


def test_reimport_shows_old_to_new_and_rollback_restores(world):
    first = preview(world, GOOD_ROWS)
    commit(world, first)
    changed = [["KEL-001", "Kelurahan Lebak Siliwangi", 100, 95, 80, 70, 2.5]]
    second = preview(world, changed)
    changes = pending_changes(second)
    assert [(c.code, c.key, c.old, c.new) for c in changes] == [
        ("KEL-001", "ditindaklanjuti", Decimal("90.0000"), Decimal("95.0000"))]
    commit(world, second)
    assert stored_values(world)[("KEL-001", "ditindaklanjuti")] == "95.0000"

    before = fingerprint()
    with refused(f"#{second.id}"):
        rollback_batch(first.id, category_id=world.category.id, actor_id=None)
    db.session.rollback()
    assert fingerprint() == before

    rollback_batch(second.id, category_id=world.category.id, actor_id=None)
    db.session.commit()
    assert stored_values(world)[("KEL-001", "ditindaklanjuti")] == "90.0000"
    rollback_batch(first.id, category_id=world.category.id, actor_id=None)
    db.session.commit()
    assert stored_values(world) == {}
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("monev.rollback") == 2


def test_frozen_results_refuse_preview_commit_and_rollback(world):
    batch = preview(world, GOOD_ROWS)
    commit(world, batch)
    waiting = preview(world, [["KEL-003", "Kelurahan Cipaganti", 5, 5, 5, 5, 1]])
    world.competition.phase = "final"
    db.session.commit()
    before = fingerprint()
    with refused("frozen"):
        build_batch(world.category, workbook(GOOD_ROWS), filename="x.xlsx", user_id=None)
    with refused("frozen"):
        commit(world, waiting)
    with refused("frozen"):
        rollback_batch(batch.id, category_id=world.category.id, actor_id=None)
    db.session.rollback()
    assert fingerprint() == before


def test_batches_are_reached_only_through_their_category(world, make):
    batch = preview(world, GOOD_ROWS)
    other = make.category(world.competition, method_key="complaint_handling", code="LAIN")
    make.commit()
    before = fingerprint()
    with refused("another category"):
        commit_batch(batch.id, category_id=other.id, skip_invalid=True, actor_id=None)
    db.session.rollback()
    assert fingerprint() == before


def test_discarded_batch_cannot_be_confirmed(world):
    batch = preview(world, GOOD_ROWS)
    discard_batch(batch.id, category_id=world.category.id, actor_id=None)
    db.session.commit()
    before = fingerprint()
    with refused("'discarded'"):
        commit(world, batch)
    assert fingerprint() == before
    assert stored_values(world) == {}


def test_an_entrant_withdrawn_after_the_preview_blocks_the_commit(world):
    batch = preview(world, GOOD_ROWS)
    world.entries["KEL-002"].status = "withdrawn"
    db.session.commit()
    before = fingerprint()
    with refused("KEL-002"):
        commit(world, batch)
    assert fingerprint() == before


def test_the_claim_inside_the_transaction_stops_a_confirm_that_saw_a_stale_state(world):
    batch = preview(world, GOOD_ROWS)
    assert batch.state == "previewed"  # loaded into this session as previewed
    db.session.execute(text("UPDATE import_batches SET state = 'committed' WHERE id = :id"),
                       {"id": batch.id})  # another worker got there first
    assert batch.state == "previewed"  # this session still believes it waits
    with refused("already confirmed"):
        commit_batch(batch.id, category_id=world.category.id, skip_invalid=False, actor_id=None)
    db.session.rollback()
    assert stored_values(world) == {}
    assert db.session.query(IndicatorChange).count() == 0

"""The tables every scoresheet save writes carry no index a lookup cannot do without.

Each index is one more page a save dirties and the WAL (and its checkpoint) copies. An
index on the columns a unique key begins with serves nothing the key does not; the juror's
lookups still go through an index, not a scan.
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from judging.extensions import db

SAVED_TABLES = ("marks", "scoresheets")


def _keys(table: str) -> tuple[list[tuple], list[tuple]]:
    """(indexes, unique keys) of a table as their column tuples, from the live database."""
    inspector = inspect(db.engine)
    indexes = [tuple(i["column_names"]) for i in inspector.get_indexes(table)
               if not i.get("unique")]
    uniques = [tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)]
    return indexes, uniques


@pytest.mark.parametrize("table", SAVED_TABLES)
def test_no_index_repeats_the_start_of_a_unique_key(app, table):
    with app.app_context():
        indexes, uniques = _keys(table)
    assert uniques, f"{table} has its unique key"
    repeated = [columns for columns in indexes
                for unique in uniques if unique[:len(columns)] == columns]
    assert repeated == []


@pytest.mark.parametrize("sql", [
    "SELECT id FROM marks WHERE juror_id = 1 AND entry_id IN (1, 2, 3)",
    "SELECT entry_id FROM marks WHERE juror_id = 1",
    "SELECT id FROM scoresheets WHERE juror_id = 1 AND entry_id IN (1, 2, 3)",
    "SELECT id FROM scoresheets WHERE juror_id = 1",
    "DELETE FROM marks WHERE juror_id = 1",  # a user's deletion cascades through this
])
def test_lookups_by_juror_use_the_unique_key(app, sql):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's planner scans tables this small whatever their "
                        "indexes; the plan is checked on SQLite")
        with db.engine.connect() as connection:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    assert any("USING" in step and "INDEX" in step for step in plan), plan
    assert not any(step.startswith("SCAN") and "INDEX" not in step for step in plan), plan

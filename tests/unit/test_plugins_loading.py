"""Plugin discovery: built-ins by path, installed plugins by entry point, failures reported."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from judging.scoring import (
    CohortEntry,
    DuplicateMethodError,
    JurorMark,
    hookimpl,
    load_methods,
    rank_category,
)
from judging.scoring.plugins import BUILTIN_DIR

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "plugin_fixtures" / "site"
BUILTINS = {"complaint_handling", "social_media", "information_disclosure"}


@pytest.fixture
def installed(monkeypatch):
    """Make the test-only distributions in plugin_fixtures/site look pip-installed."""
    monkeypatch.syspath_prepend(str(SITE))
    yield
    sys.modules.pop("juara_fixture_exhibition", None)


def test_builtins_load_by_path():
    registry = load_methods(entry_points=False)
    assert set(registry.methods) == BUILTINS
    assert registry.owners["social_media"] == "builtin.social_media"
    assert registry.errors == []
    assert registry.pm.project_name == "judging"


def test_missing_builtin_folder_is_reported(tmp_path):
    registry = load_methods(builtin_dir=tmp_path / "hilang", entry_points=False)
    assert registry.methods == {}
    assert registry.errors == [("builtin", f"folder {tmp_path / 'hilang'} not found")]


def test_get_names_unknown_keys_and_lists_known_ones():
    registry = load_methods(entry_points=False)
    assert registry.get("social_media").key == "social_media"
    with pytest.raises(KeyError, match="'lomba_x' tidak tersedia.*complaint_handling"):
        registry.get("lomba_x")


def test_choices_for_forms_in_both_languages():
    registry = load_methods(entry_points=False)
    assert registry.choices()[0] == ("information_disclosure", "Monev Keterbukaan Informasi Publik")
    assert [k for k, _ in registry.choices("en")] == [
        "complaint_handling",
        "information_disclosure",
        "social_media",
    ]


def test_broken_builtin_is_reported_not_fatal(tmp_path, caplog):
    (tmp_path / "complaint_handling.py").write_text(
        (BUILTIN_DIR / "complaint_handling.py").read_text()
    )
    (tmp_path / "rusak.py").write_text("import json\nraise RuntimeError('salah ketik')\n")
    (tmp_path / "_helper.py").write_text("raise RuntimeError('never imported')\n")
    with caplog.at_level(logging.WARNING, logger="judging.scoring.plugins"):
        registry = load_methods(builtin_dir=tmp_path, entry_points=False)
    assert set(registry.methods) == {"complaint_handling"}
    assert registry.errors == [("builtin.rusak", "RuntimeError: salah ketik")]
    assert "builtin.rusak" in caplog.text and "salah ketik" in caplog.text
    assert "judging_builtin_rusak" not in sys.modules


class Raising:
    """A plugin whose registry hook raises."""

    @hookimpl
    def judging_scoring_methods(self):
        raise ValueError("database plugin tidak siap")


class Misspelt:
    """A plugin implementing a hook that does not exist."""

    @hookimpl
    def judging_scoring_method(self):
        return []


class WrongArguments:
    """A plugin asking for an argument the hook does not give."""

    @hookimpl
    def judging_entry_submitted(self, entry, user):
        pass


class NotAMethod:
    @hookimpl
    def judging_scoring_methods(self):
        return [dict]


class KeylessMethod:
    @hookimpl
    def judging_scoring_methods(self):
        from judging.scoring import ScoringMethod

        return [type("Keyless", (ScoringMethod,), {"label": "Tanpa kunci"})]


@pytest.mark.parametrize(
    ("plugin", "reason"),
    [
        (KeylessMethod(), "scoring method 'Keyless': key must be lower-case"),
        (Raising(), "ValueError: database plugin tidak siap"),
        (Misspelt(), "unknown hook 'judging_scoring_method'"),
        (WrongArguments(), "hook 'judging_entry_submitted'.*Argument.*'user'"),
        (NotAMethod(), "is not a ScoringMethod subclass"),
    ],
)
def test_faulty_plugin_is_skipped_with_its_name(plugin, reason):
    registry = load_methods(entry_points=False, extra_plugins=[plugin])
    assert set(registry.methods) == BUILTINS
    [(name, why)] = registry.errors
    assert name == type(plugin).__name__
    assert re.search(reason, why, re.S), why


def test_two_plugins_claiming_one_key_stop_start_up():
    social_media = type(load_methods(entry_points=False).get("social_media"))

    class Copycat(social_media):
        label = "Tiruan"

    class Rival:
        @hookimpl
        def judging_scoring_methods(self):
            return [Copycat]

    with pytest.raises(DuplicateMethodError) as caught:
        load_methods(entry_points=False, extra_plugins=[Rival()])
    assert caught.value.key == "social_media"
    assert set(caught.value.plugins) == {"Rival", "builtin.social_media"}
    assert "'social_media' is claimed by both plugin 'Rival'" in str(caught.value)


def test_installed_plugins_come_through_entry_points(installed):
    registry = load_methods()
    assert set(registry.methods) == BUILTINS | {"exhibition"}
    assert registry.owners["exhibition"] == "exhibition"
    assert registry.errors == [
        ("broken_fixture", "ImportError: No module named 'juara_fixture_missing_dependency'")
    ]
    assert load_methods(entry_points=False).methods.keys() == BUILTINS


def test_test_only_method_runs_end_to_end(installed):
    method = load_methods().get("exhibition")
    cohort = [
        CohortEntry(3, "Stan C", {"pengunjung": 200, "kepuasan": 40}),
        CohortEntry(1, "Stan A", {"pengunjung": 400, "kepuasan": 90}),
        CohortEntry(2, "Stan B", {"pengunjung": 100, "kepuasan": 80}),
    ]
    given = {
        (1, 1): (9, 8),
        (2, 1): (8, 8),
        (3, 1): (10, 9),
        (1, 2): (7, 9),
        (2, 2): (9, 9),
        (3, 2): (8, 7),
        (1, 3): (10, 10),
    }
    marks = [
        JurorMark(j, e, key, v)
        for (j, e), values in given.items()
        for key, v in zip(("desain", "penyajian"), values, strict=True)
    ]
    ranked = rank_category(
        method, method.default_settings(), cohort, list(method.criteria), marks, conflicts={(3, 1)}
    )
    # Stan A: monev 50 + 45 = 95; jurors 86 and 80 (juror 3 conflicted) -> 83
    #         0.3 × 95 + 0.7 × 83 = 28.5 + 58.1
    # Stan B: monev 12.5 + 40 = 52.5; jurors 78, 90, 76 -> 81.33; 15.75 + 56.931
    # Stan C: satisfaction 40 < 50, not advanced: 0.3 × (25 + 20)
    assert [(r.name, r.rank, r.total, r.band, r.jurors_counted) for r in ranked] == [
        ("Stan A", 1, Decimal("86.60"), "Istimewa", 2),
        ("Stan B", 2, Decimal("72.68"), "Baik", 3),
        ("Stan C", 3, Decimal("13.50"), None, 0),
    ]
    assert ranked[0].juror_scores == {1: pytest.approx(86), 2: pytest.approx(80)}
    assert ranked[2].subscores == {"visitors": 50.0, "satisfaction": 40}


def test_scoring_imports_neither_flask_nor_a_database():
    # judging/__init__.py is the Flask app factory, so the parent package is stubbed:
    # the claim under test is about judging.scoring and the built-in plugins only.
    code = f"""
import sys, types
pkg = types.ModuleType("judging")
pkg.__path__ = [{str(ROOT / "judging")!r}]
sys.modules["judging"] = pkg
from judging.scoring import load_methods
assert set(load_methods(entry_points=False).methods) == {BUILTINS!r}
heavy = {{"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "psycopg"}}
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"

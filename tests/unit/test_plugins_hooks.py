"""Each hook is called with its documented arguments (Datasette style: in-test plugins).

Every hook specification needs a ``test_hook_<name>`` in a ``test_plugins_*.py`` file;
test_plugins_docs.py checks. The app's own call paths (a participant submitting, an
organizer moving to ``final``, a certificate batch, an export) are driven in tests/app.
"""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal

import pytest

from judging.scoring import (
    CategoryInfo,
    CategoryResults,
    CertificateInfo,
    CohortEntry,
    CompetitionInfo,
    Component,
    Criterion,
    JurorMark,
    MonevScore,
    ScoringMethod,
    SubmittedEntry,
    hookimpl,
    load_methods,
    rank_category,
)


class Flat(ScoringMethod):
    key = "flat"
    label = "Datar"
    label_en = "Flat"
    criteria = (Criterion("isi", "Isi", 1),)
    components = (
        Component("monev", "Monev", "Monev", 50),
        Component("jury", "Juri", "Jury", 50, jury=True),
    )

    def score(self, cohort, settings):
        return {e.entry_id: MonevScore({"monev": 40.0}) for e in cohort}


class Recorder:
    """Records the arguments of every event hook it receives."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def judging_scoring_methods(self):
        return [Flat]

    @hookimpl
    def judging_entry_submitted(self, entry):
        self.calls.append(("entry_submitted", entry))

    @hookimpl
    def judging_ranking_frozen(self, category, results):
        self.calls.append(("ranking_frozen", category, results))


class Exploding:
    """Fails in every event hook; the others must still be called."""

    @hookimpl(tryfirst=True)
    def judging_entry_submitted(self, entry):
        raise RuntimeError("webhook mati")

    @hookimpl
    def judging_certificate_context(self, certificate):
        raise RuntimeError("tidak ada")


class BuiltinLike:
    """Registered like the built-ins (trylast), so outside plugins override it."""

    @hookimpl(trylast=True)
    def judging_certificate_context(self, certificate):
        return {"ttd": "Kepala Dinas", "warna": "biru"}

    @hookimpl(trylast=True)
    def judging_export_sheets(self, competition, categories):
        return [("Bawaan", ["a"], [[1]])]


def test_hook_judging_scoring_methods():
    registry = load_methods(entry_points=False, extra_plugins=[Recorder()])
    assert registry.get("flat").label == "Datar"
    assert registry.owners["flat"] == "Recorder"


def test_hook_judging_entry_submitted(caplog):
    recorder = Recorder()
    registry = load_methods(entry_points=False, extra_plugins=[Exploding(), recorder])
    entry = SubmittedEntry(id=7, code="KEL-01-A", category_id=2, competition_id=1,
                           entrant_id=4, entrant_code="KEL-01", entrant_name="Kelurahan Sukajadi",
                           submitted_at="2025-05-01T02:00:00+00:00")
    with caplog.at_level(logging.WARNING):
        registry.entry_submitted(entry)
    assert recorder.calls == [("entry_submitted", entry)]
    assert "Exploding" in caplog.text and "webhook mati" in caplog.text


def test_hook_judging_ranking_frozen():
    recorder = Recorder()
    registry = load_methods(entry_points=False, extra_plugins=[recorder])
    method = registry.get("flat")
    results = rank_category(
        method,
        method.default_settings(),
        [CohortEntry(1, "A", {})],
        list(method.criteria),
        [JurorMark(1, 1, "isi", 60)],
    )
    category = CategoryInfo(id=3, name="Kelurahan", code="KEL", competition_id=1,
                            method="flat", level="kelurahan", places=3)
    registry.ranking_frozen(category, results)
    [(_, got_category, got_results)] = recorder.calls
    assert got_category == category and got_results == tuple(results)
    assert got_results[0].total == Decimal("50.00")  # 0.5 × 40 + 0.5 × 60


def test_hook_judging_certificate_context():
    class Outside:
        @hookimpl
        def judging_certificate_context(self, certificate):
            return {"warna": "merah", "kode_pendek": certificate.code[:4]}

    class ReturnsList:
        @hookimpl
        def judging_certificate_context(self):
            return ["bukan", "dict"]

    registry = load_methods(
        entry_points=False, extra_plugins=[BuiltinLike(), Exploding(), ReturnsList(), Outside()]
    )
    context = registry.certificate_context(CertificateInfo(
        serial="KIP-2025-001", code="ABCD-1234", entrant_name="Kelurahan Sukajadi",
        category_name="Kelurahan", competition_name="Lomba 2025", method="flat",
        kind="rank", award="Juara 1", rank=1, total="90.50"))
    assert context == {"ttd": "Kepala Dinas", "warna": "merah", "kode_pendek": "ABCD"}


def test_hook_judging_export_sheets():
    class Extra:
        @hookimpl
        def judging_export_sheets(self, competition, categories):
            rows = [[c.name, len(c.results)] for c in categories]
            return [
                (f"Rekap {competition.year}", ["Kategori", "Peserta"], rows),
                ("rusak", ["tanpa baris"]),
            ]

    registry = load_methods(entry_points=False, extra_plugins=[BuiltinLike(), Extra()])
    sheets = registry.export_sheets(
        CompetitionInfo(id=1, name="Lomba", year=2025, code="LMB", phase="final"),
        (CategoryResults(id=3, name="Desa", code="DS", competition_id=1, method="flat",
                         level="desa", places=3, results=()),),
    )
    assert sheets == [
        ("Rekap 2025", ["Kategori", "Peserta"], [["Desa", 0]]),
        ("Bawaan", ["a"], [[1]]),
    ]


def test_payloads_are_frozen():
    entry = SubmittedEntry(id=1, code="A", category_id=1, competition_id=1, entrant_id=1,
                           entrant_code="E", entrant_name="N", submitted_at="")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.id = 2  # a plugin cannot change what the next plugin hears

"""Header mapping: exact synonyms, proposals by similarity, companions, the organizer's say."""

from __future__ import annotations

import pytest

from judging.io.monev.mapping import HeaderMatcher
from judging.scoring.types import Indicator

INDICATORS = (
    Indicator("masuk", "Laporan Masuk", "Reports received", type="int"),
    Indicator("selesai", "Selesai", "Completed", type="int"),
    Indicator("tepat", "Selesai Tepat Waktu", "Completed on time", type="int"),
    Indicator("hari", "Rata-rata Hari Respons", "Average days", scale="days", required=False),
    Indicator("tl_pct", "Tindak Lanjut (%)", "Followed up (%)", type="percent", max=100),
    Indicator("saq", "Nilai SAQ", "SAQ score", max=100, scale="score"),
)


def match(text, **kw):
    found = HeaderMatcher(INDICATORS, **kw).match(3, text)
    return found.target, found.reason, found.proposal


@pytest.mark.parametrize("text, proposal", [
    ("Jml Lap. Masuk", "masuk"),                      # abbreviations
    ("Rerata Waktu Respon (hari)", "hari"),           # another word, a unit in parentheses
    ("Respons Hari Rata-rata", "hari"),               # word order
    ("Skor S.A.Q", "saq"),
])
def test_similar_headers_are_proposed_never_applied(text, proposal):
    assert match(text) == ("", "proposed", proposal)


@pytest.mark.parametrize("text, base", [
    ("% Selesai", "selesai"), ("Persentase Selesai", "selesai"),
    ("Rasio Laporan Masuk", "masuk"), ("Selesai (%)", "selesai"),
])
def test_companion_columns_never_map_to_their_base(text, base):
    assert match(text) == ("", "companion", base)


def test_exact_synonyms_and_a_percent_indicator_own_header():
    assert match("LAPORAN  masuk")[:2] == ("masuk", "exact")
    assert match("Tindak Lanjut (%)")[:2] == ("tl_pct", "exact")
    assert match("Catatan Verifikator")[:2] == ("", "none")


def test_the_organizers_choice_wins_this_time_then_remembered():
    assert match("Jml Lap. Masuk", choices={"Jml Lap. Masuk": "masuk"})[:2] == (
        "masuk", "confirmed")
    assert match("jml lap masuk", remembered={"Jml Lap. Masuk": "masuk"})[:2] == (
        "masuk", "remembered")
    assert match("Selesai", choices={"selesai": ""})[:2] == ("", "ignored")
    assert match("Selesai", choices={"selesai": "no_such_key"})[:2] == ("selesai", "exact")

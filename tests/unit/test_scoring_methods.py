"""The three built-in methods against numbers worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from judging.scoring import CategorySettings, CohortEntry, JurorMark, load_methods, rank_category


@pytest.fixture(scope="module")
def methods():
    return load_methods(entry_points=False).methods


def monev_of(method, rows, settings=None):
    cohort = [CohortEntry(i, f"E{i}", row) for i, row in enumerate(rows, start=1)]
    return method.score(cohort, settings or method.default_settings())


def lapor(masuk, tl, selesai, tepat, hari):
    return {
        "laporan_masuk": masuk,
        "ditindaklanjuti": tl,
        "selesai": selesai,
        "selesai_tepat_waktu": tepat,
        "rata_hari_respons": hari,
    }


# -- complaint_handling ---------------------------------------------------------------


def test_complaint_formula(methods):
    # f = 90/100, c = 80/100, t = 60/80, r = (5 - 2)/5
    # monev = 100 × (0.30×0.9 + 0.30×0.8 + 0.25×0.75 + 0.15×0.6) = 27 + 24 + 18.75 + 9
    score = monev_of(methods["complaint_handling"], [lapor(100, 90, 80, 60, 2)])[1]
    assert score.components["monev"] == pytest.approx(78.75)
    assert score.subscores == pytest.approx(
        {"follow_up": 90, "completion": 80, "on_time": 75, "response": 60}
    )
    assert score.flags == ()


def test_complaint_response_clamped_and_nothing_completed(methods):
    # selesai = 0 gives t = 0; 7 days is past the target so r = 0: 100 × 0.30 × 0.5
    slow = monev_of(methods["complaint_handling"], [lapor(10, 5, 0, 0, 7)])[1]
    assert slow.components["monev"] == pytest.approx(15.0)
    # same-day response: r = 1 -> 0.3 + 0.3 + 0.25 + 0.15 = 100
    fast = monev_of(methods["complaint_handling"], [lapor(4, 4, 4, 4, 0)])[1]
    assert fast.components["monev"] == pytest.approx(100.0)


def test_missing_response_time_scores_zero_and_is_flagged(methods):
    # r = 0: 100 × (0.30 + 0.30 + 0.25)
    score = monev_of(methods["complaint_handling"], [lapor(10, 10, 10, 10, None)])[1]
    assert score.components["monev"] == pytest.approx(85.0)
    assert score.flags == ("no_response_time",)


def test_non_numbers_are_named(methods):
    [error] = methods["information_disclosure"].validate_row(
        {"nilai_saq": "tujuh puluh", "nilai_website": 80}
    )
    assert error.message_id == "'Nilai SAQ' bukan angka ('tujuh puluh')"
    [error] = methods["information_disclosure"].validate_row(
        {"nilai_saq": 70, "nilai_website": 100.5}
    )
    assert error.message_en == "'Website verification score' (100.5) is more than 100"


def test_zero_complaints_gives_zero_and_a_flag(methods):
    score = monev_of(methods["complaint_handling"], [lapor(0, 0, 0, 0, None)])[1]
    assert score.components == {"monev": 0.0}
    assert "no_complaints" in score.flags
    assert set(score.subscores.values()) == {0.0}


def test_complaint_rows_cross_checked(methods):
    method = methods["complaint_handling"]
    assert method.validate_row(lapor(100, 100, 90, 90, 3.5)) == []
    errors = method.validate_row(lapor(100, 101, 120, 50, 3))
    assert [e.column for e in errors] == ["ditindaklanjuti", "selesai"]
    assert errors[1].message_id == "'Selesai' (120) lebih besar dari 'Laporan Masuk' (100)"
    assert errors[1].message_en == "'Completed' (120) is greater than 'Reports received' (100)"
    late = method.validate_row(lapor(100, 90, 80, 81, 3))
    assert [e.column for e in late] == ["selesai_tepat_waktu"]


def test_single_values_checked_before_cross_rules(methods):
    method = methods["complaint_handling"]
    errors = method.validate_row(lapor(None, 2.5, -1, 0, None))
    assert [e.column for e in errors] == ["laporan_masuk", "ditindaklanjuti", "selesai"]
    assert errors[0].message_id == "'Laporan Masuk' wajib diisi"
    assert errors[1].message_id == "'Ditindaklanjuti' harus bilangan bulat (2,5)"
    assert errors[1].message_en == "'Followed up' must be a whole number (2.5)"
    assert errors[2].message_en == "'Completed' (-1) is less than 0"


def test_indicators_have_headers_aliases_and_units(methods):
    lapor_method = methods["complaint_handling"]
    masuk = lapor_method.indicator("laporan_masuk")
    assert masuk.header == "Laporan Masuk"
    assert "Jumlah Laporan Masuk" in masuk.aliases
    saq = methods["information_disclosure"].indicator("nilai_saq")
    assert saq.header == "Nilai SAQ" and "NILAI S.A.Q." in saq.aliases
    for method in methods.values():
        for ind in method.indicators:
            assert ind.unit and ind.guidance and ind.aliases, ind.key


# -- social_media ---------------------------------------------------------------------


def fair(awal, akhir, posts, interaksi, masuk, dibalas):
    return {
        "pengikut_awal": awal,
        "pengikut_akhir": akhir,
        "unggahan": posts,
        "interaksi": interaksi,
        "komentar_masuk": masuk,
        "komentar_dibalas": dibalas,
    }


def test_fair_within_cohort(methods):
    # reach log10(1+akhir): 3, 2, 1 (max 3); growth: 2, 0.5, 0 (max 2)
    # posts: 50, 25, 0; er = interaksi ÷ (posts × akhir): 0.1, 0.2, 0 (max 0.2)
    # R: 30/40, none in -> 0, 10/10
    scores = monev_of(
        methods["social_media"],
        [
            fair(333, 999, 50, 4995, 40, 30),
            fair(66, 99, 25, 495, 0, 0),
            fair(9, 9, 0, 0, 10, 10),
        ],
    )
    # A: F = 0.5 + 0.5 = 1, A = 1, I = 0.5, R = 0.75 -> 100 × 3.25 ÷ 4
    assert scores[1].components["monev"] == pytest.approx(81.25)
    # B: F = 0.5 × 2/3 + 0.5 × 0.25, A = 0.5, I = 1, R = 0
    assert scores[2].components["monev"] == pytest.approx(100 * (1 / 3 + 1 / 8 + 1.5) / 4)
    assert scores[2].subscores["followers"] == pytest.approx(100 * (1 / 3 + 1 / 8))
    # C: F = 0.5 × 1/3, A = 0, I = 0, R = 1
    assert scores[3].components["monev"] == pytest.approx(100 * (1 / 6 + 1) / 4)


def test_all_zero_cohort_scores_zero(methods):
    scores = monev_of(methods["social_media"], [fair(0, 0, 0, 0, 0, 0)] * 3)
    assert [s.components["monev"] for s in scores.values()] == [0.0, 0.0, 0.0]


def test_fair_rows_cross_checked(methods):
    errors = methods["social_media"].validate_row(fair(10, 20, 5, 9, 3, 4))
    assert [e.column for e in errors] == ["komentar_dibalas"]


# -- information_disclosure -----------------------------------------------------------


def kip_rank(method, rows, presentation, settings=None):
    """Rank KIP entries; every juror gives ``presentation`` on every criterion (max 100)."""
    cohort = [
        CohortEntry(i, f"Badan {i}", {"nilai_saq": s, "nilai_website": w})
        for i, (s, w) in enumerate(rows, start=1)
    ]
    marks = [JurorMark(1, e.entry_id, c.key, presentation) for e in cohort for c in method.criteria]
    settings = settings or method.default_settings()
    ranked = rank_category(method, settings, cohort, list(method.criteria), marks)
    return {r.entry_id: r for r in ranked}


def test_gate_exactly_at_65_advances(methods):
    ranked = kip_rank(methods["information_disclosure"], [(65, 70), (64.99, 70)], 80)
    at, below = ranked[1], ranked[2]
    assert at.advanced and at.components["presentation"] == Decimal("80.00")
    # 0.3 × 70 + 0.4 × 65 + 0.3 × 80 = 21 + 26 + 24
    assert at.total == Decimal("71.00")
    assert not below.advanced and below.components["presentation"] == Decimal("0.00")
    assert below.jurors_counted == 0 and "not_advanced" in below.flags
    assert "few_marks" not in below.flags
    # 21 + 25.996 = 46.996
    assert below.total == Decimal("47.00") and below.band == "Kurang Informatif"


def test_gate_threshold_is_configurable(methods):
    method = methods["information_disclosure"]
    settings = CategorySettings(weights={}, thresholds={"gate_saq": 60})
    assert kip_rank(method, [(64.99, 70)], 80, settings)[1].advanced


def test_band_edges_on_two_decimal_totals(methods):
    method = methods["information_disclosure"]
    ranked = kip_rank(method, [(90, 90), (89.97, 90)], 90)
    # 27 + 36 + 27 = 90.00; 27 + 35.988 + 27 = 89.988 -> 89.99
    assert (ranked[1].total, ranked[1].band) == (Decimal("90.00"), "Informatif")
    assert (ranked[2].total, ranked[2].band) == (Decimal("89.99"), "Menuju Informatif")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100.00", "Informatif"),
        ("90.00", "Informatif"),
        ("89.99", "Menuju Informatif"),
        ("80.00", "Menuju Informatif"),
        ("79.99", "Cukup Informatif"),
        ("60.00", "Cukup Informatif"),
        ("59.99", "Kurang Informatif"),
        ("40.00", "Kurang Informatif"),
        ("39.99", "Tidak Informatif"),
        ("0.00", "Tidak Informatif"),
    ],
)
def test_kip_bands(methods, total, band):
    assert methods["information_disclosure"].band(Decimal(total)) == band


def test_methods_without_bands_give_none(methods):
    assert methods["complaint_handling"].band(Decimal("99.00")) is None


def test_default_weights_and_rubrics(methods):
    weights = {k: m.default_settings().weights for k, m in methods.items()}
    assert weights == {
        "complaint_handling": {"monev": 60, "jury": 40},
        "social_media": {"monev": 50, "jury": 50},
        "information_disclosure": {"website": 30, "saq": 40, "presentation": 30},
    }
    rubric = {k: [c.weight for c in m.criteria] for k, m in methods.items()}
    assert rubric == {
        "complaint_handling": [30, 30, 20, 20],
        "social_media": [25] * 4,
        "information_disclosure": [25] * 4,
    }

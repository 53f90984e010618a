"""The ranking engine against hand-worked numbers: aggregation, normalisation, ties."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from judging.scoring import (
    CategorySettings,
    CohortEntry,
    Component,
    Criterion,
    JurorMark,
    MarkColumns,
    MonevScore,
    ScoringMethod,
    juror_jury_score,
    rank_category,
)


class Direct(ScoringMethod):
    """Test method: the monev component is the ``monev`` indicator itself; gate on it."""

    key = "direct"
    label = "Langsung"
    label_en = "Direct"
    criteria = (Criterion("nilai", "Nilai", 1, max_mark=100),)
    components = (
        Component("monev", "Monev", "Monev", 60),
        Component("jury", "Juri", "Jury", 40, jury=True),
    )
    default_thresholds = {"gate": 0.0}

    def score(self, cohort, settings):
        gate = self.threshold(settings, "gate")
        return {
            e.entry_id: MonevScore(
                {"monev": e.indicators["monev"]},
                dict(e.indicators),
                advanced=e.indicators["monev"] >= gate,
            )
            for e in cohort
        }


METHOD = Direct()
ONE = list(Direct.criteria)
TWO = [Criterion("a", "A", 3, max_mark=10), Criterion("b", "B", 1, max_mark=5)]


def settings(**kw):
    return CategorySettings(weights=kw.pop("weights", {}), **kw)


def entries(*monev, names=None):
    names = names or [f"Entri {i}" for i in range(1, len(monev) + 1)]
    pairs = zip(names, monev, strict=True)
    return [CohortEntry(i, n, {"monev": m}) for i, (n, m) in enumerate(pairs, start=1)]


def marks(table):
    """{juror: {entry: score}} on the single criterion (max 100)."""
    return [JurorMark(j, e, "nilai", v) for j, row in table.items() for e, v in row.items()]


def by_id(ranked):
    return {r.entry_id: r for r in ranked}


# -- one juror's score ----------------------------------------------------------------


def test_juror_score_is_weighted_share_of_max():
    # (3 × 8/10 + 1 × 4/5) ÷ 4 × 100 = (2.4 + 0.8) ÷ 4 × 100
    assert juror_jury_score(TWO, {"a": 8, "b": 4}) == pytest.approx(80.0)
    assert juror_jury_score(TWO, {"a": 5, "b": 5}) == pytest.approx(62.5)


def test_juror_missing_a_criterion_has_not_scored():
    assert juror_jury_score(TWO, {"a": 8}) is None
    assert juror_jury_score(TWO, {"a": 8, "b": None}) is None


def test_engine_counts_only_complete_jurors():
    given = [JurorMark(1, 1, "a", 8), JurorMark(1, 1, "b", 4), JurorMark(2, 1, "a", 2)]
    result = rank_category(METHOD, settings(required_marks=2), entries(50), TWO, given)[0]
    assert result.jurors_counted == 1
    assert result.juror_scores == {1: pytest.approx(80.0)}
    assert result.components["jury"] == Decimal("80.00")
    assert "few_marks" in result.flags


# -- aggregation ----------------------------------------------------------------------

FIVE = {1: {1: 40}, 2: {1: 60}, 3: {1: 70}, 4: {1: 90}, 5: {1: 100}}


@pytest.mark.parametrize(
    ("how", "jury"),
    [
        ("mean", "72.00"),  # 360 ÷ 5
        ("median", "70.00"),
        ("trimmed", "73.33"),  # 40 and 100 dropped: 220 ÷ 3
    ],
)
def test_aggregation(how, jury):
    result = rank_category(METHOD, settings(aggregation=how), entries(50), ONE, marks(FIVE))[0]
    assert result.components["jury"] == Decimal(jury)
    assert result.jurors_counted == 5


def test_median_of_even_count_is_middle_mean():
    table = {1: {1: 40}, 2: {1: 60}, 3: {1: 90}, 4: {1: 100}}
    result = rank_category(METHOD, settings(aggregation="median"), entries(0), ONE, marks(table))
    assert result[0].components["jury"] == Decimal("75.00")


def test_trimmed_mean_needs_four_jurors():
    table = {1: {1: 40}, 2: {1: 60}, 3: {1: 100}}
    result = rank_category(METHOD, settings(aggregation="trimmed"), entries(0), ONE, marks(table))
    assert result[0].components["jury"] == Decimal("66.67")


def test_total_is_weighted_sum_of_shown_components():
    # monev 80.005 is shown as 80.01; 0.6 × 80.01 + 0.4 × 72 = 48.006 + 28.8 = 76.806
    result = rank_category(METHOD, settings(), entries(80.005), ONE, marks(FIVE))[0]
    assert result.components == {"monev": Decimal("80.01"), "jury": Decimal("72.00")}
    assert result.total == Decimal("76.81")
    assert result.weights == {"monev": 60.0, "jury": 40.0}


def test_category_weights_override_defaults():
    custom = settings(weights={"monev": 25, "jury": 75})
    result = rank_category(METHOD, custom, entries(80), ONE, marks(FIVE))[0]
    assert result.total == Decimal("74.00")  # 20 + 54


def test_weights_not_summing_to_100_are_refused():
    with pytest.raises(ValueError, match="Jumlah bobot komponen 90, harus 100"):
        rank_category(METHOD, settings(weights={"monev": 50}), entries(80), ONE, [])


# -- conflicts, disagreement, gate ------------------------------------------------------


def test_conflicted_juror_left_out_of_that_entry_only():
    table = {1: {1: 60, 2: 60}, 2: {1: 100, 2: 90}, 3: {1: 80, 2: 60}}
    ranked = by_id(
        rank_category(METHOD, settings(), entries(0, 0), ONE, marks(table), conflicts={(2, 1)})
    )
    assert ranked[1].jurors_counted == 2 and ranked[1].components["jury"] == Decimal("70.00")
    assert 2 not in ranked[1].juror_scores
    assert ranked[2].jurors_counted == 3 and ranked[2].components["jury"] == Decimal("70.00")


def test_disagreement_flag_uses_raw_spread():
    table = {1: {1: 50, 2: 70}, 2: {1: 80, 2: 85}}
    ranked = by_id(
        rank_category(METHOD, settings(disagreement_threshold=20), entries(0, 0), ONE, marks(table))
    )
    assert "disagreement" in ranked[1].flags  # 30 apart
    assert "disagreement" not in ranked[2].flags  # 15 apart


def test_not_advanced_entries_get_no_jury_component():
    table = {1: {1: 90, 2: 90}}
    ranked = by_id(
        rank_category(
            METHOD, settings(thresholds={"gate": 50}), entries(49.99, 50), ONE, marks(table)
        )
    )
    assert not ranked[1].advanced and ranked[1].components["jury"] == Decimal("0.00")
    assert ranked[1].juror_scores == {} and ranked[1].total == Decimal("29.99")
    assert ranked[2].advanced and ranked[2].total == Decimal("66.00")  # 30 + 36


def test_bad_marks_are_refused_with_who_and_where():
    with pytest.raises(ValueError, match="juror 7, entri/entry 1 .Entri 1., kriteria/criterion"):
        rank_category(METHOD, settings(), entries(0), ONE, marks({7: {1: 101}}))
    twice = marks({7: {1: 50}}) * 2
    with pytest.raises(ValueError, match="Duplicate mark"):
        rank_category(METHOD, settings(), entries(0), ONE, twice)


# -- z-score normalisation ----------------------------------------------------------------


def test_zscore_normalisation():
    # juror 1: 60 70 80 (mean 70, z = -√1.5, 0, √1.5); juror 2: 90 50 70 (z = √1.5, -√1.5, 0)
    # per entry mean z: 0, -√1.5/2, √1.5/2; all six scores: mean 70, std √(1000/6)
    # mapped back: 70, 70 - √250/2 = 62.0943, 70 + √250/2 = 77.9057
    table = {1: {1: 60, 2: 70, 3: 80}, 2: {1: 90, 2: 50, 3: 70}}
    raw = by_id(rank_category(METHOD, settings(), entries(0, 0, 0), ONE, marks(table)))
    assert [raw[i].components["jury"] for i in (1, 2, 3)] == [
        Decimal("75.00"),
        Decimal("60.00"),
        Decimal("75.00"),
    ]
    norm = by_id(
        rank_category(METHOD, settings(normalise=True), entries(0, 0, 0), ONE, marks(table))
    )
    assert [norm[i].components["jury"] for i in (1, 2, 3)] == [
        Decimal("70.00"),
        Decimal("62.09"),
        Decimal("77.91"),
    ]
    assert norm[3].juror_scores == {1: 80.0, 2: 70.0}  # raw scores stay visible


def test_zscore_juror_with_one_score_for_everyone_counts_as_zero():
    # juror 3 gives 50 to all: z = 0; juror 1 as above; all six: mean 60, std √(800/6)
    # entry 3: 60 + √(800/6) × √1.5/2 = 60 + √200/2 = 67.0711
    table = {1: {1: 60, 2: 70, 3: 80}, 3: {1: 50, 2: 50, 3: 50}}
    norm = by_id(
        rank_category(METHOD, settings(normalise=True), entries(0, 0, 0), ONE, marks(table))
    )
    assert [norm[i].components["jury"] for i in (1, 2, 3)] == [
        Decimal("52.93"),
        Decimal("60.00"),
        Decimal("67.07"),
    ]


def test_zscore_clamped_to_100():
    # juror 1: 100 then nine 99s (z of entry 1 = 3); juror 2 gives 0 to entries 2..10
    table = {1: {1: 100, **{e: 99 for e in range(2, 11)}}, 2: {e: 0 for e in range(2, 11)}}
    norm = by_id(
        rank_category(METHOD, settings(normalise=True), entries(*[0] * 10), ONE, marks(table))
    )
    assert norm[1].components["jury"] == Decimal("100.00")


# -- ties and ranks ---------------------------------------------------------------------


def test_tie_broken_by_jury_component():
    # A: 0.6 × 70 + 0.4 × 40 = 58; B: 0.6 × 60 + 0.4 × 55 = 58 -> B wins on jury
    ranked = rank_category(
        METHOD, settings(), entries(70, 60, names=["A", "B"]), ONE, marks({1: {1: 40, 2: 55}})
    )
    assert [(r.name, r.rank, r.total) for r in ranked] == [
        ("B", 1, Decimal("58.00")),
        ("A", 2, Decimal("58.00")),
    ]


def test_tie_broken_by_monev_component():
    # weights 10/90: 5.000 + 63 and 5.004 + 63 both show 68.00; jury equal; B's monev higher
    custom = settings(weights={"monev": 10, "jury": 90})
    ranked = rank_category(
        METHOD, custom, entries(50, 50.04, names=["A", "B"]), ONE, marks({1: {1: 70, 2: 70}})
    )
    assert [(r.name, r.rank, r.total) for r in ranked] == [
        ("B", 1, Decimal("68.00")),
        ("A", 2, Decimal("68.00")),
    ]


def test_full_tie_shares_rank_and_lists_by_name():
    names = ["Juara", "Desa Zeta", "Desa alfa", "Akhir"]
    ranked = rank_category(
        METHOD,
        settings(),
        entries(90, 70, 70, 10, names=names),
        ONE,
        marks({1: {1: 90, 2: 70, 3: 70, 4: 10}}),
    )
    assert [(r.rank, r.name) for r in ranked] == [
        (1, "Juara"),
        (2, "Desa alfa"),
        (2, "Desa Zeta"),
        (4, "Akhir"),
    ]


def test_ranking_does_not_depend_on_input_order():
    rng = random.Random(7)
    cohort = [
        CohortEntry(i, f"Kel {rng.choice('ABC')}", {"monev": rng.choice([50, 60.5, 70])})
        for i in range(1, 80)
    ]
    given = [
        JurorMark(j, e.entry_id, c.key, rng.randint(0, 10) / 2 * c.max_mark / 5)
        for j in range(1, 6)
        for e in cohort
        for c in TWO
        if rng.random() > 0.05
    ]
    shared = set()
    for how in ("mean", "median", "trimmed"):
        for normalise in (False, True):
            s = settings(aggregation=how, normalise=normalise)
            first = rank_category(METHOD, s, cohort, TWO, given, {(2, 5), (3, 9)})
            for _ in range(3):
                shuffled_entries, shuffled_marks = cohort[:], given[:]
                rng.shuffle(shuffled_entries)
                rng.shuffle(shuffled_marks)
                again = rank_category(
                    METHOD, s, shuffled_entries, TWO, shuffled_marks, {(3, 9), (2, 5)}
                )
                assert again == first
            if len({r.rank for r in first}) < len(first):
                shared.add((how, normalise))
    assert ("median", False) in shared  # the data does produce shared ranks


def test_tie_break_keeps_a_website_difference_the_reader_can_see():
    """KIP: equal totals, SAQ and presentation; website 74.51 beats 74.50 (issue 15, item 7)."""
    from plugins.information_disclosure import InformationDisclosure

    kip = InformationDisclosure()
    cohort = [CohortEntry(1, "Dinas A", {"nilai_saq": 80.10, "nilai_website": 74.50}),
              CohortEntry(2, "Dinas B", {"nilai_saq": 80.10, "nilai_website": 74.51})]
    rubric = list(kip.criteria)
    given = [JurorMark(1, e, c.key, 80) for e in (1, 2) for c in rubric]
    ranked = rank_category(kip, settings(), cohort, rubric, given)
    assert ranked[0].total == ranked[1].total
    assert [(r.name, r.rank, str(r.components["website"])) for r in ranked] == [
        ("Dinas B", 1, "74.51"),
        ("Dinas A", 2, "74.50"),
    ]


def test_marks_as_columns_rank_exactly_as_mark_objects():
    """A large category hands the engine NumPy columns; the ranking must not change."""
    import numpy as np

    rng = random.Random(11)
    cohort = [CohortEntry(i, f"Desa {i}", {"monev": rng.choice([50, 60.5, 70])})
              for i in range(1, 60)]
    given = [JurorMark(j, e.entry_id, c.key, rng.randint(0, 10) / 2 * c.max_mark / 5)
             for j in (3, 8, 12, 20) for e in cohort for c in TWO if rng.random() > 0.05]
    given += [JurorMark(3, 999, "a", 5.0), JurorMark(8, 1, "other criterion", 1.0)]
    keys = ("b", "other criterion", "a")  # any order: columns index their own key list
    columns = MarkColumns(
        juror_id=np.array([m.juror_id for m in given], np.int64),
        entry_id=np.array([m.entry_id for m in given], np.int64),
        criterion=np.array([keys.index(m.criterion_key) for m in given], np.int64),
        value=np.array([m.value for m in given], np.float64), criterion_keys=keys)
    for how in ("mean", "trimmed"):
        s = settings(aggregation=how, normalise=how == "trimmed")
        assert rank_category(METHOD, s, cohort, TWO, columns, {(8, 5)}) == rank_category(
            METHOD, s, cohort, TWO, given, {(8, 5)})


def test_marks_as_columns_are_checked_like_mark_objects():
    import numpy as np

    columns = MarkColumns(juror_id=np.array([1]), entry_id=np.array([1]),
                          criterion=np.array([0]), value=np.array([101.0]),
                          criterion_keys=("nilai",))
    with pytest.raises(ValueError, match="Mark 101 outside 0–100"):
        rank_category(METHOD, settings(), entries(80), ONE, columns)

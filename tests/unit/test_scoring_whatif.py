"""What-if rankings against a hand-worked case: a harsh juror reorders under z-score."""

from __future__ import annotations

from decimal import Decimal

from judging.scoring.types import CategorySettings, CohortEntry, JurorMark
from judging.scoring.whatif import variant_of, what_if
from tests.unit.test_scoring_ranking import METHOD, ONE

# Jurors 1 and 2 agree; juror 3 is harsh and likes A best.
#          A   B   C
# juror 1  80  90  70
# juror 2  80  90  70
# juror 3  50  20  20
TABLE = {1: {1: 80, 2: 90, 3: 70}, 2: {1: 80, 2: 90, 3: 70}, 3: {1: 50, 2: 20, 3: 20}}
COHORT = [CohortEntry(i, n, {"monev": 50}) for i, n in ((1, "A"), (2, "B"), (3, "C"))]
MARKS = [JurorMark(j, e, "nilai", v) for j, row in TABLE.items() for e, v in row.items()]
JURY_ONLY = {"monev": 0, "jury": 100}


def run(**kw):
    settings = CategorySettings(weights=JURY_ONLY, **kw)
    return what_if(METHOD, settings, COHORT, ONE, MARKS)


def test_harsh_juror_changes_the_order_under_z_score():
    result = run()
    lines = {line.name: line for line in result.lines}
    # mean: A (80+80+50)/3 = 70.00, B (90+90+20)/3 = 66.67, C (70+70+20)/3 = 53.33
    assert [line.name for line in result.lines] == ["A", "B", "C"]
    assert lines["A"].totals["mean"] == Decimal("70.00")
    assert lines["B"].totals["mean"] == Decimal("66.67")
    # median: A 80, B 90, C 70 -> B first
    assert lines["B"].ranks["median"] == 1 and lines["B"].totals["median"] == Decimal("90.00")
    # z-scores: jurors 1-2 give A 0, B +1.2247, C -1.2247 (sd 8.165);
    # juror 3 gives A +1.4142, B and C -0.7071 (sd 14.142).
    # mean z: A 0.4714, B 0.5808, C -1.0518; back on the scale of all nine scores
    # (mean 63.33, sd 25.82): A 75.50, B 78.33, C 36.17 -> B before A.
    assert lines["B"].ranks["zscore"] == 1 and lines["A"].ranks["zscore"] == 2
    assert lines["A"].totals["zscore"] == Decimal("75.50")
    assert lines["B"].totals["zscore"] == Decimal("78.33")
    assert lines["C"].totals["zscore"] == Decimal("36.17")
    assert lines["A"].changed and lines["B"].changed and not lines["C"].changed
    assert lines["B"].moved("zscore", "mean") == 1 and lines["A"].moved("zscore", "mean") == -1
    assert result.stable_places == 0 and not result.stable


def test_three_jurors_make_trimmed_mean_equal_the_mean_and_the_result_says_so():
    result = run()
    for line in result.lines:
        assert line.totals["trimmed"] == line.totals["mean"]
    assert result.trimmed_is_mean and result.short_of_trim == result.judged == 3


def test_four_jurors_trim_and_agreeing_jurors_are_stable():
    table = {j: {1: 90, 2: 80, 3: 70} for j in (1, 2, 3)} | {4: {1: 60, 2: 50, 3: 40}}
    marks = [JurorMark(j, e, "nilai", v) for j, row in table.items() for e, v in row.items()]
    result = what_if(METHOD, CategorySettings(weights=JURY_ONLY), COHORT, ONE, marks)
    assert not result.trimmed_is_mean
    a = result.lines[0]
    assert a.totals["mean"] == Decimal("82.50") and a.totals["trimmed"] == Decimal("90.00")
    assert result.stable and result.stable_places == 3 and result.checked_places == 3


def test_the_category_own_variant_is_the_base():
    assert variant_of(CategorySettings(weights={}, aggregation="median")) == "median"
    assert variant_of(CategorySettings(weights={}, normalise=True)) == "zscore"
    assert variant_of(CategorySettings(weights={}, aggregation="median", normalise=True)) is None
    result = run(normalise=True)
    assert result.base == result.current == "zscore"
    assert [line.name for line in result.lines] == ["B", "A", "C"]
    assert run(aggregation="median", normalise=True).base == "mean"

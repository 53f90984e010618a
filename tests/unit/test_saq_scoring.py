"""SAQ scoring against figures worked out by hand."""

from decimal import Decimal

from judging.scoring.saq import (
    AnswerState,
    QuestionSpec,
    is_answered,
    rank_by_score,
    saq_score,
    self_credit,
    verified_credit,
)

YESNO = QuestionSpec("q1", "a", 2, "yes_no")
CHOICE = QuestionSpec("q2", "a", 3, "choice", options=(("Tidak ada", 0), ("Sebagian", 50),
                                                       ("Lengkap", 100)))
NUMBER = QuestionSpec("q3", "b", 1, "number", target=12)
PERCENT = QuestionSpec("q4", "b", 4, "percent")
TEXT = QuestionSpec("q5", "b", 1, "text")
ALL = (YESNO, CHOICE, NUMBER, PERCENT, TEXT)


def test_credit_by_answer_type():
    assert self_credit(YESNO, "ya") == 100 and self_credit(YESNO, "tidak") == 0
    assert self_credit(CHOICE, "1") == 50
    assert self_credit(CHOICE, "7") == 0  # no such option: not an answer
    assert self_credit(NUMBER, "9") == 75  # partial credit 9 / 12
    assert self_credit(NUMBER, "30") == 100  # capped at the target
    assert self_credit(PERCENT, "62,5") == 62.5
    assert self_credit(TEXT, "  ") == 0 and self_credit(TEXT, "Perda 3/2020") == 100


def test_incomplete_answers():
    assert not is_answered(PERCENT, "101")
    assert not is_answered(NUMBER, "-1")
    assert not is_answered(YESNO, "mungkin")
    assert not is_answered(NUMBER, "nan")
    assert is_answered(CHOICE, "2")


def test_self_assessed_score_by_weight():
    answers = {"q1": AnswerState("ya"), "q2": AnswerState("1"), "q3": AnswerState("9"),
               "q4": AnswerState("50"), "q5": AnswerState("ada")}
    score = saq_score(ALL, answers, verified=False)
    # group a: (2×100 + 3×50) / 5 = 70; group b: (1×75 + 4×50 + 1×100) / 6 = 62.5
    assert score.groups == {"a": Decimal("70.00"), "b": Decimal("62.50")}
    # overall: (200 + 150 + 75 + 200 + 100) / 11 = 725 / 11 = 65.909… → 65.91
    assert score.overall == Decimal("65.91")


def test_verified_adjusted_rejected_and_unverified():
    answers = {
        "q1": AnswerState("ya", decision="accepted"),
        "q2": AnswerState("2", decision="adjusted", verified_score=50),
        "q3": AnswerState("12", decision="rejected"),
        "q4": AnswerState("80", decision="accepted"),
        "q5": AnswerState("ada"),  # not verified yet: counts 0
    }
    score = saq_score(ALL, answers)
    # a: (2×100 + 3×50) / 5 = 70; b: (0 + 4×80 + 0) / 6 = 53.333… → 53.33
    assert score.groups == {"a": Decimal("70.00"), "b": Decimal("53.33")}
    # overall: (200 + 150 + 320) / 11 = 60.909… → 60.91
    assert score.overall == Decimal("60.91")


def test_objection_outcomes():
    rejected = AnswerState("12", decision="rejected", objection="upheld")
    assert verified_credit(NUMBER, rejected) == 100  # upheld without a score: the claim stands
    partly = AnswerState("12", decision="rejected", objection="upheld", objection_score=40)
    assert verified_credit(NUMBER, partly) == 40
    refused = AnswerState("12", decision="rejected", objection="rejected", objection_score=90)
    assert verified_credit(NUMBER, refused) == 0
    pending = AnswerState("2", decision="adjusted", verified_score=30, objection="open")
    assert verified_credit(CHOICE, pending) == 30
    assert verified_credit(CHOICE, AnswerState("2", decision="adjusted", verified_score=140)) == 100


def test_empty_questionnaire_scores_zero():
    assert saq_score((), {}).overall == Decimal("0.00")


def test_rank_by_score_shares_ties_and_ignores_input_order():
    rows = [(3, "Dinas C", 80.004), (1, "dinas a", 90), (2, "Dinas B", 80.0), (4, "Badan D", 70)]
    ranked = rank_by_score(rows)
    assert [(r.entry_id, r.rank, r.score) for r in ranked] == [
        (1, 1, Decimal("90.00")), (2, 2, Decimal("80.00")), (3, 2, Decimal("80.00")),
        (4, 4, Decimal("70.00")),
    ]
    assert rank_by_score(reversed(rows)) == ranked

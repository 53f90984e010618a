"""Awards: top places get the competition's labels, ties share them, the gate and specials."""

import pytest

from judging.extensions import db
from judging.results.awards import award_label
from judging.results.live import live_ranking
from judging.results.special import add_special_award
from tests.app.results_world import build_results_world

TIED = [
    ("Satu", 95, 95, (90,) * 4, (90,) * 4),
    ("Dua A", 85, 85, (80,) * 4, (80,) * 4),
    ("Dua B", 85, 85, (80,) * 4, (80,) * 4),
    ("Empat", 80, 80, (70,) * 4, (70,) * 4),
    ("Lima", 75, 75, (60,) * 4, (60,) * 4),
]


def awards(category):
    return [(line.ranked.name, line.ranked.rank, line.award)
            for line in live_ranking(category).lines]


def test_shared_ranks_share_the_award_and_push_the_next_rank_down(app, make):
    world = build_results_world(make, rows=TIED)
    assert awards(world.category) == [
        ("Satu", 1, "Peringkat Pertama"),
        ("Dua A", 2, "Peringkat Kedua"),
        ("Dua B", 2, "Peringkat Kedua"),
        ("Empat", 4, None),
        ("Lima", 5, None),
    ]


def test_labels_come_from_the_competition_and_places_from_the_category(app, make):
    world = build_results_world(make, rows=TIED)
    world.competition.award_labels = ["Juara I", "Juara II", "Juara III"]
    world.category.places = 4
    db.session.commit()
    assert [a for _, _, a in awards(world.category)] == [
        "Juara I", "Juara II", "Juara II", "Peringkat 4", None]


def test_an_entry_that_did_not_pass_the_gate_gets_no_ranking_award(app, make):
    rows = [("Lolos", 70, 70, (50,) * 4, (50,) * 4), ("Gagal", 60, 100, (), ())]
    world = build_results_world(make, rows=rows)
    world.category.places = 2
    db.session.commit()
    assert awards(world.category) == [("Lolos", 1, "Peringkat Pertama"), ("Gagal", 2, None)]


def test_special_awards_sit_beside_the_ranking(app, make):
    world = build_results_world(make)
    add_special_award(world.entries[3], "Apresiasi Inovasi", actor_id=None)
    last = live_ranking(world.category).lines[3]
    assert last.award is None and last.special_awards == ("Apresiasi Inovasi",)
    assert last.is_winner


@pytest.mark.parametrize("label", ["", "ab", "x" * 121])
def test_special_award_names_must_be_sensible(app, make, label):
    from judging.refusals import Refused

    world = build_results_world(make)
    with pytest.raises(Refused):
        add_special_award(world.entries[0], label, actor_id=None)


@pytest.mark.parametrize(("rank", "places", "expected"), [
    (1, 3, "A"), (3, 3, "C"), (4, 3, None), (0, 3, None), (2, 0, None)])
def test_award_label_rule(rank, places, expected):
    assert award_label(rank, places, ["A", "B", "C"]) == expected

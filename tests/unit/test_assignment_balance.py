"""Automatic jury assignment: even loads, conflicts never assigned, honest 'impossible'."""

import itertools
import random

import pytest

from judging.marking.balancing import balance
from judging.refusals import Refused


def check_plan(plan, entries, jurors, k, conflicts):
    assert set(plan.jurors_of) == set(entries)
    for entry, picked in plan.jurors_of.items():
        assert len(picked) == k and len(set(picked)) == k
        assert set(picked) <= set(jurors)
        assert not any((j, entry) in conflicts for j in picked)
    loads = [sum(j in p for p in plan.jurors_of.values()) for j in jurors]
    assert loads == [plan.loads[j] for j in jurors]
    assert max(loads) - min(loads) <= 1


def balanced_exists(entries, jurors, k, conflicts) -> bool:
    """Brute force over every choice of k jurors per entry (tiny cases only)."""
    options = [
        [c for c in itertools.combinations(jurors, k) if not any((j, e) in conflicts for j in c)]
        for e in entries
    ]
    for combo in itertools.product(*options):
        loads = [sum(j in c for c in combo) for j in jurors]
        if max(loads) - min(loads) <= 1:
            return True
    return False


def test_simple_pool_is_split_evenly():
    plan = balance(range(1, 11), [100, 200, 300], 2)
    assert sorted(plan.loads.values()) == [6, 7, 7]


@pytest.mark.parametrize("seed", range(60))
def test_random_pools_are_balanced_and_conflict_free(seed):
    rng = random.Random(seed)
    entries = rng.sample(range(1, 500), rng.randint(1, 40))
    jurors = rng.sample(range(1000, 1100), rng.randint(1, 9))
    k = rng.randint(1, len(jurors))
    conflicts = {
        (j, e) for j in jurors for e in entries if rng.random() < rng.choice([0, 0.05, 0.2])
    }
    try:
        plan = balance(entries, jurors, k, conflicts)
    except Refused as refusal:
        assert refusal.message_id and refusal.message_en
        if refusal.about:  # named entries really lack k conflict-free jurors
            for e in refusal.about:
                assert sum((j, e) not in conflicts for j in jurors) < k
        return
    check_plan(plan, entries, jurors, k, conflicts)


@pytest.mark.parametrize("seed", range(80))
def test_impossible_only_when_brute_force_agrees(seed):
    rng = random.Random(1000 + seed)
    entries = list(range(1, rng.randint(2, 5)))
    jurors = list(range(10, 10 + rng.randint(2, 4)))
    k = rng.randint(1, 2)
    conflicts = {(j, e) for j in jurors for e in entries if rng.random() < 0.3}
    exists = balanced_exists(entries, jurors, k, conflicts)
    if exists:
        check_plan(balance(entries, jurors, k, conflicts), entries, jurors, k, conflicts)
    else:
        with pytest.raises(Refused):
            balance(entries, jurors, k, conflicts)


def test_pool_too_small_after_conflicts_names_the_entries():
    with pytest.raises(Refused) as refused:
        balance([1, 2], [10, 11], 2, {(10, 2)})
    assert refused.value.about == (2,)
    assert "konflik" in refused.value.message_id


def test_even_split_blocked_by_conflicts_is_refused():
    # Every entry still has juror 10, but juror 11 may judge none: loads 2/0 are not even.
    with pytest.raises(Refused) as refused:
        balance([1, 2], [10, 11], 1, {(11, 1), (11, 2)})
    assert refused.value.about == ()
    assert "merata" in refused.value.message_id


def test_no_entries_gives_empty_plan_and_k_zero_is_refused():
    assert balance([], [1, 2], 2).jurors_of == {}
    with pytest.raises(Refused):
        balance([1], [1], 0)

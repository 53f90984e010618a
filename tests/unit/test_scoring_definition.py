"""A scoring method's declaration is checked when the class is defined."""

from __future__ import annotations

import pytest

from judging.scoring import (
    CategorySettings,
    Component,
    Criterion,
    Flag,
    MethodDefinitionError,
    ScoringMethod,
)

RUBRIC = (Criterion("isi", "Isi", 1),)


def define(**attrs):
    body = {
        "key": "contoh",
        "label": "Contoh",
        "label_en": "Example",
        "criteria": RUBRIC,
        "components": (
            Component("monev", "Monev", "Monev", 70),
            Component("jury", "Juri", "Jury", 30, jury=True),
        ),
    }
    body.update(attrs)
    return type("Contoh", (ScoringMethod,), body)


def test_a_sound_declaration_defines():
    method = define()()
    assert method.jury_component().key == "jury"
    assert method.default_settings() == CategorySettings(weights={"monev": 70, "jury": 30})


def test_weights_must_sum_to_100():
    with pytest.raises(MethodDefinitionError, match="'contoh'.*sum to 90, not 100"):
        define(
            components=(
                Component("monev", "M", "M", 60),
                Component("jury", "J", "J", 30, jury=True),
            )
        )


@pytest.mark.parametrize("jury_flags", [(False, False), (True, True)])
def test_exactly_one_jury_component(jury_flags):
    with pytest.raises(MethodDefinitionError, match="exactly one component must have jury"):
        define(
            components=(
                Component("a", "A", "A", 50, jury=jury_flags[0]),
                Component("b", "B", "B", 50, jury=jury_flags[1]),
            )
        )


def test_other_declaration_mistakes_are_named():
    with pytest.raises(MethodDefinitionError, match="key must be lower-case"):
        define(key="Bad Key")
    with pytest.raises(MethodDefinitionError, match="criteria .* must not be empty"):
        define(criteria=())
    with pytest.raises(MethodDefinitionError, match="components keys must be unique"):
        define(components=(Component("a", "A", "A", 50), Component("a", "A", "A", 50, jury=True)))
    with pytest.raises(MethodDefinitionError, match="criteria must be a tuple of Criterion"):
        define(criteria=[Criterion("isi", "Isi", 1)])


def test_a_method_labels_its_own_flags_and_the_engines_in_both_languages():
    method = define(flags=(Flag("tanpa_data", "Tanpa data", "No data"),))
    assert method.flag("tanpa_data") == Flag("tanpa_data", "Tanpa data", "No data")
    assert method.flag("few_marks").label == "Nilai juri kurang"
    assert method.flag_labels("en") == {"few_marks": "Fewer jury marks than required",
                                        "disagreement": "Jurors disagree",
                                        "tanpa_data": "No data"}
    assert method.flag("dari_plugin_lain").label == "dari_plugin_lain"  # undeclared: its key


def test_built_in_methods_label_every_flag_they_set():
    from judging.scoring import load_methods

    registry = load_methods(entry_points=False)
    declared = {f.key for m in registry.methods.values() for f in m.flags}
    assert {"no_complaints", "no_response_time", "missing_indicators",
            "not_advanced"} <= declared
    assert all(f.label and f.label_en for m in registry.methods.values() for f in m.flags)


def test_flag_declaration_mistakes_are_named():
    with pytest.raises(MethodDefinitionError, match="flags must be a tuple of Flag"):
        define(flags=("tanpa_data",))
    with pytest.raises(MethodDefinitionError, match="needs a lower-case key, a label and"):
        define(flags=(Flag("tanpa_data", "Tanpa data", ""),))
    with pytest.raises(MethodDefinitionError, match="must not reuse the engine's keys"):
        define(flags=(Flag("few_marks", "Sedikit", "Few"),))
    with pytest.raises(MethodDefinitionError, match="flags keys must be unique"):
        define(flags=(Flag("a", "A", "A"), Flag("a", "B", "B")))


def test_a_base_without_key_is_not_checked_until_derived():
    base = type("Base", (ScoringMethod,), {"label": "Dasar"})
    with pytest.raises(MethodDefinitionError, match="component weights sum to 0"):
        type("Child", (base,), {"key": "anak", "label_en": "Child", "criteria": RUBRIC})


def test_settings_problems_in_both_languages():
    method = define(default_thresholds={"batas": 65.0})()
    bad = CategorySettings(
        weights={"monev": 80, "juri": 20}, thresholds={"ambang": 1}, aggregation="mode"
    )
    problems = method.check_settings(bad)
    assert [p.message_en for p in problems] == [
        "Unknown component 'juri'",
        "Component weights add up to 110, must be 100",
        "Unknown threshold 'ambang'",
        "Unknown aggregation 'mode'",
    ]
    assert problems[1].message_id == "Jumlah bobot komponen 110, harus 100"
    assert method.check_settings(method.default_settings()) == []
    assert method.threshold(CategorySettings(weights={}), "batas") == 65.0

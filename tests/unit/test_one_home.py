"""One home per rule: one bilingual refusal, one view helper for it, one number formatter."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from judging.entries.links import LinkRefused, clean_url
from judging.io.xlsx.numbers import format_number
from judging.marking.balancing import balance
from judging.refusals import Notice, Refused, both

PACKAGE = Path(__file__).resolve().parents[2] / "judging"
AREAS = ("auth", "organizer", "jury", "participant", "public", "api", "downloads")


def modules(*folders: str):
    for folder in folders or ("",):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text())


def test_only_refusals_defines_a_bilingual_exception_outside_io():
    """io sits below refusals and keeps its own; everything above raises ``Refused``."""
    found = []
    for path, tree in modules():
        if "io" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                names = [a.arg for a in node.args.args]
                if "message_id" in names and "message_en" in names:
                    found.append(str(path.relative_to(PACKAGE)))
    assert found == ["refusals.py"]


def calls(node, name: str) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == name for n in ast.walk(node))


def test_no_area_repeats_the_refusal_block():
    """``except Refused → rollback → flash / else commit`` lives only in ``pages.outcome``."""
    found = []
    for path, tree in modules(*AREAS, "pages"):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try) or path.name == "outcome.py":
                continue
            refused = [h for h in node.handlers if h.type is not None and "Refused" in {
                n.id for n in ast.walk(h.type) if isinstance(n, ast.Name)}]
            if any(calls(h, "rollback") for h in refused) and (
                    calls(ast.Module(node.body + node.orelse, []), "commit")):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []


def test_a_link_refusal_is_a_refused_with_both_languages():
    with pytest.raises(Refused) as caught:
        clean_url("javascript:alert(1)")
    assert isinstance(caught.value, LinkRefused)
    assert "http" in caught.value.message_id and "http" in caught.value.message_en


def test_an_impossible_assignment_is_a_refused_naming_its_entries():
    with pytest.raises(Refused) as caught:
        balance([1, 2], [10], 1, conflicts=[(10, 2)])
    assert caught.value.about == (2,)


def test_refused_shows_indonesian_outside_a_request_and_keeps_problems():
    refusal = Refused("Ditolak.", "Refused.", [Notice("Satu.", "One.")])
    assert (str(refusal), [str(p) for p in refusal.problems]) == ("Ditolak.", ["Satu."])
    assert both(refusal.message_id, refusal.message_en) == "Ditolak. / Refused."


@pytest.mark.parametrize(("value", "options", "shown"), [
    (1234.5, {}, "1.234,5"),
    (1234.5, {"lang": "en"}, "1,234.5"),
    (Decimal("80.50"), {"grouping": False}, "80,5"),
    (Decimal("100.00"), {"grouping": False}, "100"),
    (2.345, {"grouping": False, "places": 2}, "2,35"),
    (80.001, {"grouping": False, "places": 2, "lang": "en"}, "80"),
    (20000, {"lang": "en"}, "20,000"),
])
def test_the_one_number_formatter(value, options, shown):
    assert format_number(value, **options) == shown


def test_entry_lock_reasons_carry_both_languages():
    from judging.entries.editing import lock_reason
    from judging.models import Competition

    reason = lock_reason(Competition(phase="judging"))
    assert "dinilai juri" in reason.message_id and "judging" in reason.message_en

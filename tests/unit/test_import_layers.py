"""The import-layer check on the real package, and on small made-up packages it must catch."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_layers import check, tier_of

ROOT = Path(__file__).resolve().parents[2]


def write_package(root: Path, files: dict[str, str]) -> Path:
    """A throw-away ``judging`` package made of ``files`` (path → source)."""
    for name, source in files.items():
        path = root / "judging" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in [path.parent, *path.parent.parents]:
            if folder == root:
                break
            (folder / "__init__.py").touch()
        path.write_text(source)
    return root


def test_the_package_imports_only_downwards_and_has_no_cycles():
    assert [str(p) for p in check(ROOT)] == []


def test_a_service_importing_an_area_is_caught(tmp_path):
    root = write_package(tmp_path, {
        "organizer/views_home.py": "",
        "results/freeze.py": "from judging.organizer.views_home import x\n",
    })
    problems = check(root)
    assert [p.what for p in problems] == [
        "service judging.results.freeze imports area judging.organizer.views_home"
    ]
    assert problems[0].where == "judging/results/freeze.py:1"


def test_imports_inside_functions_count(tmp_path):
    root = write_package(tmp_path, {
        "jury/views_marks.py": "",
        "marking/marks.py": "def later():\n    from judging.jury import views_marks\n",
    })
    assert [p.what for p in check(root)] == [
        "service judging.marking.marks imports area judging.jury.views_marks"
    ]


def test_one_area_importing_another_is_caught(tmp_path):
    root = write_package(tmp_path, {
        "public/views_results.py": "",
        "api/views_results.py": "import judging.public.views_results\n",
    })
    assert [p.what for p in check(root)] == [
        "area judging.api.views_results imports another area's judging.public.views_results"
    ]


def test_a_cycle_in_one_tier_is_caught(tmp_path):
    root = write_package(tmp_path, {
        "i18n.py": "from judging.refusals import Refused\n",
        "refusals.py": "def pick():\n    from judging import i18n\n",
    })
    assert [(p.where, p.what) for p in check(root)] == [
        ("judging.i18n → judging.refusals", "import cycle")
    ]


def test_a_blueprint_registering_its_views_is_the_allowed_cycle(tmp_path):
    root = write_package(tmp_path, {
        "jury/blueprint.py": "bp = 1\nfrom judging.jury import views_marks\n",
        "jury/views_marks.py": "from judging.jury.blueprint import bp\n",
    })
    assert check(root) == []


def test_a_module_outside_every_tier_is_named():
    with pytest.raises(LookupError, match="judging.labels"):
        tier_of("judging.labels")

"""docs/plugins.md stays the plugin manual: every hook documented and tested, example runs."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import sys
import typing
from pathlib import Path

import pytest

from judging.scoring import hookspecs, types
from judging.scoring.plugins import new_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("judging_") and inspect.isfunction(obj)
)
TESTED = {
    name
    for path in (ROOT / "tests" / "unit").glob("test_plugins_*.py")
    for name in re.findall(r"^def (test_hook_\w+)\(", path.read_text(), flags=re.M)
}


def test_every_hookspec_is_a_hook_and_only_those():
    """The hooks counted here are exactly the ones pluggy registers from the module."""
    registered = {
        name for name in vars(new_plugin_manager().hook)
        if name.startswith("judging_")
    }
    assert registered == set(HOOKS) and "judging_scoring_methods" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_arguments_are_named_types(hook):
    """Every argument is annotated with a frozen dataclass (or a tuple of them) from types."""
    hints = typing.get_type_hints(getattr(hookspecs, hook))
    hints.pop("return", None)
    for name, hint in hints.items():
        inner = typing.get_args(hint) or (hint,)
        for cls in (c for c in inner if c is not Ellipsis):
            assert cls.__module__ == types.__name__, f"{hook}({name}) is not a scoring type"
            assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    assert inspect.getdoc(getattr(hookspecs, hook)), f"{hook} has no docstring"
    section = re.search(rf"^### {hook}\n(.*?)(?=^##)", DOCS, flags=re.M | re.S)
    assert section, f"docs/plugins.md has no '### {hook}' section"
    assert f"def {hook}(" in section.group(1), f"the {hook} section has no example"
    hints = typing.get_type_hints(getattr(hookspecs, hook))
    hints.pop("return", None)
    for hint in hints.values():
        for cls in typing.get_args(hint) or (hint,):
            if cls is not Ellipsis:
                assert cls.__name__ in section.group(1), f"{hook} section never names {cls}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    assert f"test_hook_{hook}" in TESTED, f"no test_hook_{hook} in tests/unit/test_plugins_*.py"


def code_after(label: str) -> str:
    match = re.search(rf"File `{re.escape(label)}`:\n\n```\w+\n(.*?)```", DOCS, flags=re.S)
    assert match, f"docs/plugins.md lost the block for {label}"
    return match.group(1)


def test_documented_example_plugin_passes_its_documented_tests(tmp_path, monkeypatch):
    package = tmp_path / "juara_kebersihan"
    package.mkdir()
    (package / "__init__.py").write_text(code_after("src/juara_kebersihan/__init__.py"))
    (tmp_path / "doc_kebersihan_tests.py").write_text(code_after("tests/test_kebersihan.py"))
    assert 'kebersihan = "juara_kebersihan"' in code_after("pyproject.toml")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        tests = importlib.import_module("doc_kebersihan_tests")
        names = [n for n in vars(tests) if n.startswith("test_")]
        assert names == ["test_kebersihan_end_to_end", "test_rows_are_cross_checked",
                         "test_every_text_has_english"]
        for name in names:
            getattr(tests, name)()
    finally:
        sys.modules.pop("doc_kebersihan_tests", None)
        sys.modules.pop("juara_kebersihan", None)

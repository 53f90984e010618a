"""The lock files `make` installs from are in step with pyproject.toml: a dependency added
without regenerating them fails here, and .ci/lock.py notices a changed dependency."""

import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def load_lock_tool():
    spec = importlib.util.spec_from_file_location("lock_tool", ROOT / ".ci" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins(lock: str) -> dict[str, set[str]]:
    """Package name -> versions pinned (two when a marker splits them by Python version)."""
    found: dict[str, set[str]] = {}
    for name, version in PIN.findall((ROOT / lock).read_text()):
        found.setdefault(canonicalize_name(name), set()).add(version)
    return found


@pytest.mark.parametrize(("lock", "extra"), [("requirements.lock", None),
                                             ("requirements-test.lock", "test")])
def test_every_dependency_is_pinned_within_its_range(lock, extra):
    wanted = PROJECT["dependencies"] + (PROJECT["optional-dependencies"][extra] if extra else [])
    pinned = pins(lock)
    for line in wanted:
        requirement = Requirement(line)
        versions = pinned.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is missing from {lock}: run make {lock}"
        assert all(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"{lock} pins {requirement.name} {versions}, outside {requirement.specifier}")


def test_every_lock_pin_has_hashes():
    for lock in ("requirements.lock", "requirements-test.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
        for entry in entries[1:]:
            assert "--hash=sha256:" in entry, f"{lock}: no hash for {entry.splitlines()[0]}"


def test_the_test_lock_installs_the_same_versions_as_the_runtime_lock():
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: test[name] for name in runtime} == runtime


def test_both_locks_carry_the_stamp_of_the_current_pyproject():
    tool = load_lock_tool()
    assert tool.main(["check", str(ROOT / "requirements.lock")]) == 0
    assert tool.main(["check", str(ROOT / "requirements-test.lock"), "--extra", "test"]) == 0


def test_a_changed_dependency_puts_the_lock_out_of_step(tmp_path):
    tool = load_lock_tool()
    pyproject = tmp_path / "pyproject.toml"
    original = (ROOT / "pyproject.toml").read_text()
    pyproject.write_text(original)
    lock = ROOT / "requirements.lock"
    assert tool.in_step(lock, pyproject, None)
    pyproject.write_text(original.replace('"redis>=5",', '"redis>=5",\n    "tabulate>=0.9",'))
    assert not tool.in_step(lock, pyproject, None)
    assert tool.main(["check", str(lock), "--pyproject", str(pyproject)]) == 1


def test_a_comment_or_setting_elsewhere_in_pyproject_keeps_the_lock(tmp_path):
    tool = load_lock_tool()
    pyproject = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text().replace("line-length = 100", "line-length = 99")
    pyproject.write_text("# a note\n" + text)
    assert tool.in_step(ROOT / "requirements.lock", pyproject, None)
    assert tool.in_step(ROOT / "requirements-test.lock", pyproject, "test")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_regenerates_the_lock_only_when_pyproject_is_newer(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-test.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    for tool in ("python", "uv"):
        (tmp_path / ".venv" / "bin" / tool).touch()
    outside = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "INSTALLER")
    env = {k: v for k, v in os.environ.items() if k not in outside}

    def plan(target):
        return subprocess.run(["make", "-n", target], cwd=tmp_path, env=env, check=True,
                              capture_output=True, text=True).stdout

    os.utime(tmp_path / "pyproject.toml", (1, 1))
    quiet = plan(".venv/.installed-test")
    assert "lock.py update" not in quiet
    assert "install.sh requirements-test.lock test" in quiet
    os.utime(tmp_path / "pyproject.toml")  # edited now: newer than both locks
    edited = plan(".venv/.installed-test")
    assert "lock.py update requirements.lock" in edited
    assert "lock.py update requirements-test.lock --extra test" in edited

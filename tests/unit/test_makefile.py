"""`make run` for a newcomer: the address it serves and prints follows PORT/HOST, and make
prints what the user needs rather than its recipes."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args, env=None, cwd=ROOT):
    # A fresh top-level make: under `make test` the parent's MAKELEVEL/MAKEFLAGS would make
    # this one print "Entering directory" lines.
    outside = ("PORT", "HOST", "JUDGING_BASE_URL", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    environ = {k: v for k, v in os.environ.items() if k not in outside}
    environ.update(env or {})
    return subprocess.run(["make", "-f", str(ROOT / "Makefile"), *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, check=True).stdout


def test_run_serves_and_announces_the_port_and_host_from_the_environment():
    plan = make("-n", "run", env={"PORT": "5101", "HOST": "127.0.0.2"})
    assert "--host 127.0.0.2 --port 5101" in plan
    assert "http://127.0.0.2:5101/" in plan
    assert ":5000" not in plan


def test_run_defaults_to_localhost_5000():
    plan = make("-n", "run")
    assert "--host 127.0.0.1 --port 5000" in plan


def test_demo_banner_uses_the_same_address():
    shown = make("-n", "--eval", "probe:\n\techo $(JUDGING_BASE_URL)", "probe",
                 env={"PORT": "5101"})
    assert "http://127.0.0.1:5101" in shown
    kept = make("-n", "--eval", "probe:\n\techo $(JUDGING_BASE_URL)", "probe",
                env={"PORT": "5101", "JUDGING_BASE_URL": "https://juara.example.go.id"})
    assert "https://juara.example.go.id" in kept


def test_recipes_are_not_echoed(tmp_path):
    assert make("clean", cwd=tmp_path) == ""

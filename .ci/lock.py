#!/usr/bin/env python3
"""Keep a lock file in step with pyproject.toml: regenerate it with uv only when the
dependencies it was made from changed, so adding a dependency to pyproject.toml is all a
developer does and an unchanged lock is never re-resolved.

    lock.py update requirements.lock                    regenerate when out of step
    lock.py update requirements-test.lock --extra test --constraint requirements.lock
    lock.py check requirements-test.lock --extra test   exit 1 when out of step

Only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = "# in step with pyproject.toml: "


def made_from(pyproject: Path, extra: str | None) -> dict:
    """What a lock is resolved from: the Python floor, the dependencies, the extra's."""
    project = tomllib.loads(pyproject.read_text())["project"]
    source = {"requires-python": project.get("requires-python", ""),
              "dependencies": project.get("dependencies", [])}
    if extra:
        source[extra] = project.get("optional-dependencies", {}).get(extra, [])
    return source


def stamp(pyproject: Path, extra: str | None) -> str:
    text = json.dumps(made_from(pyproject, extra), sort_keys=True)
    return STAMP + hashlib.sha256(text.encode()).hexdigest()[:16]


def in_step(lock: Path, pyproject: Path, extra: str | None) -> bool:
    if not lock.exists():
        return False
    with lock.open() as lines:
        return lines.readline().rstrip("\n") == stamp(pyproject, extra)


def uv_binary() -> str | None:
    """uv beside this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return str(beside)
    return shutil.which("uv")


def python_floor(pyproject: Path) -> str:
    found = re.search(r">=\s*(\d+\.\d+)", made_from(pyproject, None)["requires-python"])
    return found.group(1) if found else f"{sys.version_info[0]}.{sys.version_info[1]}"


def compile_lock(uv: str, lock: Path, pyproject: Path, extra: str | None,
                 constraint: Path | None) -> None:
    """uv pip compile for every platform, with hashes; pins already in the lock are kept."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / lock.name
        if lock.exists():  # uv keeps the versions of the file it writes to
            out.write_text(lock.read_text())
        command = [uv, "pip", "compile", str(pyproject.name), "--quiet", "--universal",
                   "--generate-hashes", "--python", sys.executable,
                   "--python-version", python_floor(pyproject), "-o", str(out),
                   "--custom-compile-command", f"make {lock.name}"]
        if extra:
            command += ["--extra", extra]
        if constraint:
            command += ["--constraint", str(constraint)]
        env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
        subprocess.run(command, cwd=pyproject.parent, check=True, env=env)
        lock.write_text(stamp(pyproject, extra) + "\n" + out.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("update", "check"))
    parser.add_argument("lock", type=Path)
    parser.add_argument("--extra")
    parser.add_argument("--constraint", type=Path)
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    lock = args.lock.resolve()
    if in_step(lock, args.pyproject, args.extra):
        if args.action == "update":
            lock.touch()  # newer than pyproject.toml: make stops asking
        return 0
    if args.action == "check":
        return 1
    uv = uv_binary()
    if uv is None:
        print(f"{lock.name} is out of step with pyproject.toml and uv is not installed "
              "to update it.", file=sys.stderr)
        return 0
    print(f"pyproject.toml changed: updating {lock.name}")
    compile_lock(uv, lock, args.pyproject, args.extra, args.constraint)
    return 0


if __name__ == "__main__":
    sys.exit(main())

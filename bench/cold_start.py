"""A newcomer's first ``make run``: a fresh clone, empty package caches, time to the first page.

The committed HEAD of a repository (this one by default) is cloned into a new directory and
``make run`` is started there with empty pip and uv caches, on a free port. The script
notes when the install finished (``.venv/.installed`` appears), when the server was
announced (after ``db upgrade`` and the demo) and when ``/`` first answered 200, then stops
the server and removes the clone. ``--installer pip`` times the pip fallback instead;
``--compare`` runs both, one after the other, and prints ``ratio=`` (uv ÷ pip, wall time to
the first page). Timings are noisy on a shared machine: CPU seconds are printed too.

Run: .venv/bin/python bench/cold_start.py [--source REPO] [--installer uv|pip] [--compare]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 900
# Variables of an enclosing make, venv or Juara setup that would change what a newcomer sees.
OUTSIDE = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL",
           "PORT", "HOST", "INSTALLER")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def watch(stream, marks: dict, start: float, log: list) -> None:
    """Keep make's output and note when the server is announced."""
    for line in stream:
        log.append(line)
        if "is served at" in line and "served" not in marks:
            marks["served"] = time.perf_counter() - start


def cold_run(source: str, installer: str | None) -> dict:
    """One cold ``make run``; seconds to each milestone and the CPU seconds it cost."""
    scratch = Path(tempfile.mkdtemp(prefix="juara-cold-"))
    clone = scratch / "juara"
    subprocess.run(["git", "clone", "--quiet", source, str(clone)], check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in OUTSIDE and
           not k.startswith("JUDGING_")}
    env.update(PIP_CACHE_DIR=str(scratch / "pip-cache"), UV_CACHE_DIR=str(scratch / "uv-cache"),
               PORT=str(port), HOST="127.0.0.1")
    if installer:
        env["INSTALLER"] = installer
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    make = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    marks: dict = {}
    log: list = []
    reader = threading.Thread(target=watch, args=(make.stdout, marks, start, log), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        while time.perf_counter() - start < TIMEOUT_S and make.poll() is None:
            if "installed" not in marks and (clone / ".venv" / ".installed").exists():
                marks["installed"] = time.perf_counter() - start
            if "served" in marks and answers_200(url):
                marks["first_page"] = time.perf_counter() - start
                break
            time.sleep(0.2)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
        reader.join(timeout=5)
        shutil.rmtree(scratch, ignore_errors=True)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks["cpu"] = (cpu_after.ru_utime - cpu_before.ru_utime
                    + cpu_after.ru_stime - cpu_before.ru_stime)
    if "first_page" not in marks:
        sys.stderr.write("".join(log[-40:]))
        raise SystemExit(f"no 200 from {url} within {TIMEOUT_S} s (make exited {make.poll()})")
    return marks


def report(name: str, marks: dict) -> None:
    installed = marks.get("installed", float("nan"))
    print(f"{name}: install {installed:.1f} s, "
          f"db upgrade + demo {marks['served'] - installed:.1f} s, "
          f"first page {marks['first_page']:.1f} s after `make run` "
          f"(CPU {marks['cpu']:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="repository to clone (its HEAD)")
    parser.add_argument("--installer", choices=("uv", "pip"), default=None)
    parser.add_argument("--compare", action="store_true", help="uv and pip, ratio= uv/pip")
    args = parser.parse_args()
    if not args.compare:
        report(args.installer or "make run", cold_run(args.source, args.installer))
        return 0
    uv = cold_run(args.source, "uv")
    report("uv", uv)
    pip = cold_run(args.source, "pip")
    report("pip", pip)
    print(f"ratio={uv['first_page'] / pip['first_page']:.2f} (cold first page, uv / pip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

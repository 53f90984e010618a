"""Start-up: ``create_app()`` beside importing the bare stack and making a ``Flask()``.

Each side runs in a fresh interpreter (nothing cached in ``sys.modules``), several
times, and the median counts. The baseline imports what any Flask + SQLAlchemy app of
this kind must (flask, flask_sqlalchemy, flask_login, flask_wtf, flask_babel,
sqlalchemy) and builds a ``Flask()``; Juara's side builds the whole app on an empty
SQLite database. Also timed: ``flask --app judging --help``, which every CLI command
pays. Target: ``ratio=`` (create_app ÷ bare stack) at most 2.

Run: .venv/bin/python bench/startup.py [repeats]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0

BARE = """
import time
t = time.perf_counter()
import flask, flask_sqlalchemy, flask_login, flask_wtf, flask_babel, sqlalchemy
flask.Flask("bare")
print(time.perf_counter() - t)
"""

JUARA = """
import time
t = time.perf_counter()
from judging import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///%(db)s", "SECRET_KEY": "bench",
            "BASE_URL": "http://127.0.0.1:5000", "AUTO_UPGRADE": False})
print(time.perf_counter() - t)
"""


def timed_child(code: str, env: dict) -> float:
    """Seconds the child reports for its own work (interpreter start-up excluded)."""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def timed_cli(env: dict) -> float:
    """Wall seconds of ``flask --app judging --help``, interpreter start-up included."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "judging", "--help"], env=env,
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(repeats: int = 5) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, JUDGING_INSTANCE_PATH=scratch,
                   PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="")
        env.pop("DATABASE_URL", None)
        juara_code = JUARA % {"db": Path(scratch) / "bench.db"}
        timed_child(juara_code, env)  # warm the bytecode caches once, uncounted
        bare, juara, cli = [], [], []
        for _ in range(repeats):  # interleaved, so a busy neighbour hurts both sides alike
            bare.append(timed_child(BARE, env))
            juara.append(timed_child(juara_code, env))
            cli.append(timed_cli(env))
    bare_s, juara_s, cli_s = (statistics.median(x) for x in (bare, juara, cli))
    ratio = juara_s / bare_s
    print(f"bare stack import + Flask(): {bare_s:.3f} s (median of {repeats})")
    print(f"create_app():               {juara_s:.3f} s")
    print(f"flask --app judging --help: {cli_s:.3f} s (wall, interpreter included)")
    print(f"ratio={ratio:.2f} (target <= {TARGET_RATIO:g})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))

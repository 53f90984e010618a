"""20 jurors × 30 marks submitted at once against a real gunicorn server with 4 workers.

Runs on SQLite (a file copied from the test database) and on PostgreSQL (the test
database itself) — whichever the suite runs on. Every request must succeed and exactly
600 marks must be stored, with every sheet submitted.
"""

from __future__ import annotations

import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, func, select

from judging import ROOT
from judging.extensions import db
from judging.models import Criterion, Mark, Scoresheet
from tests.conftest import csrf_from

JURORS, ENTRIES, CRITERIA = 20, 3, 10
TIMEOUT = 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep 302s visible: a successful form post answers with a redirect."""

    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One juror's browser: its own cookies, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _world(make):
    competition = make.competition(phase="judging")
    category = make.category(competition)
    for n in range(len(category.criteria), CRITERIA):
        category.criteria.append(Criterion(key=f"tambahan_{n}", label=f"Kriteria {n + 1}",
                                           weight=Decimal(10), max_mark=Decimal(100),
                                           position=n))
    entries = [make.entry(category, status="submitted") for _ in range(ENTRIES)]
    jurors = [make.juror(competition, [category], email=f"juri{i}@juara.test")
              for i in range(JURORS)]
    make.commit()
    assert len(category.criteria) == CRITERIA
    return [c.id for c in category.criteria], [e.id for e in entries], [j.email for j in jurors]


def _server_database(database_url: str, tmp_path: Path) -> str:
    if not database_url.startswith("sqlite"):
        return database_url
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    target_path = tmp_path / "server.db"
    target = sqlite3.connect(target_path)
    with target:
        source.backup(target)  # includes what is still in the WAL file
    source.close()
    target.close()
    return f"sqlite:///{target_path}"


def _start_server(url: str, tmp_path: Path, port: int) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        JUDGING_DATABASE_URL=url, JUDGING_SECRET_KEY="concurrency-test-secret",
        JUDGING_INSTANCE_PATH=str(tmp_path / "server-instance"),
        JUDGING_RATELIMIT_ENABLED="false", JUDGING_AUTO_UPGRADE="false",
        JUDGING_JOBS_IMMEDIATE="true",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:  # the child keeps its own copy of the handle
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind",
             f"127.0.0.1:{port}", "--timeout", "120", "judging:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    return process, log


def _wait_ready(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited:\n{log.read_text()[-3000:]}"
        try:
            if Client(base).request("/auth/login")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server not ready in 60 s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _juror_run(base, email, entry_ids, criterion_ids, start: threading.Barrier) -> list[str]:
    """Log in, then submit every entry's sheet; returns the failures seen."""
    client, errors = Client(base), []
    status, page = client.request("/auth/login")
    status, _ = client.request("/auth/login", {"csrf_token": csrf_from(page), "email": email,
                                               "password": "correct horse battery"})
    if status != 302:
        return [f"{email} login: {status}"]
    start.wait(timeout=TIMEOUT)
    for number, entry_id in enumerate(entry_ids):
        status, page = client.request(f"/jury/entry/{entry_id}")
        if status != 200:
            errors.append(f"{email} GET entry {entry_id}: {status}")
            continue
        data = {"csrf_token": csrf_from(page), "sheet_version": "", "submit_sheet": "1",
                "overall_comment": f"catatan {email}"}
        for position, criterion_id in enumerate(criterion_ids):
            data[f"mark_{criterion_id}"] = str(50 + (position * 3 + number) % 50)
            data[f"comment_{criterion_id}"] = ""
            data[f"version_{criterion_id}"] = data[f"seen_{criterion_id}"] = ""
        status, page = client.request(f"/jury/entry/{entry_id}/score", data)
        if status != 302:
            errors.append(f"{email} POST entry {entry_id}: {status} {page[:300]}")
    return errors


def test_twenty_jurors_submitting_at_once_store_exactly_600_marks(app, make, database_url,
                                                                   tmp_path):
    criterion_ids, entry_ids, emails = _world(make)
    db.session.commit()
    server_url = _server_database(database_url, tmp_path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process, log = _start_server(server_url, tmp_path, port)
    try:
        _wait_ready(process, base, log)
        start = threading.Barrier(JURORS)
        with ThreadPoolExecutor(max_workers=JURORS) as pool:
            futures = [pool.submit(_juror_run, base, email, entry_ids, criterion_ids, start)
                       for email in emails]
            errors = [e for f in futures for e in f.result(timeout=300)]
    finally:
        _stop(process)
    assert errors == [], errors[:5]
    engine = create_engine(server_url)
    try:
        with engine.connect() as connection:
            marks = connection.scalar(select(func.count()).select_from(Mark.__table__))
            submitted = connection.scalar(select(func.count()).select_from(
                Scoresheet.__table__).where(Scoresheet.__table__.c.status == "submitted"))
            jurors = connection.scalar(select(func.count(func.distinct(
                Mark.__table__.c.juror_id))))
    finally:
        engine.dispose()
    assert marks == JURORS * ENTRIES * CRITERIA == 600
    assert submitted == JURORS * ENTRIES
    assert jurors == JURORS

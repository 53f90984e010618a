"""Login and verification limits that hold across workers, addresses and storages."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from judging import ROOT
from judging.extensions import db
from judging.ratelimit_storage import SQLiteStorage
from tests.app.test_marks_concurrency import (
    Client,
    _free_port,
    _server_database,
    _stop,
    _wait_ready,
)
from tests.conftest import csrf_from

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ACCOUNT_LIMIT": "10 per 15 minutes", "VERIFY_RATE_LIMIT": "5 per minute"}


def login_from(web, address: str, email: str, password: str = "wrong password!"):
    return web.login(email, password) if address is None else web.post(
        "/auth/login", {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address})


def test_the_default_storage_is_a_file_every_worker_shares(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "sqlite:///" + os.path.join(
        app.instance_path, "ratelimits.db")


def test_two_storages_on_one_file_count_together(tmp_path):
    uri = f"sqlite:///{tmp_path / 'limits.db'}"
    first, second = SQLiteStorage(uri), SQLiteStorage(uri)  # as two workers would
    assert [first.incr("k", 60), second.incr("k", 60), first.incr("k", 60, 3)] == [1, 2, 5]
    assert second.get("k") == 5 and 55 < second.get_expiry("k") - time.time() <= 60
    assert first.incr("short", 0) == 1 and second.get("short") == 0  # expired at once
    second.clear("k")
    assert first.get("k") == 0 and first.check()


def test_a_third_address_is_refused_after_ten_failures_on_one_account(web, make):
    make.user("korban@juara.test")
    make.user("lain@juara.test")
    make.commit()
    for n in range(10):
        answer = login_from(web, f"10.0.0.{n % 2 + 1}", "korban@juara.test")
        assert answer.status_code == 401
    locked = login_from(web, "10.0.0.3", "korban@juara.test", PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "akun ini" in locked.get_data(as_text=True)
    other = login_from(web, "10.0.0.3", "lain@juara.test", PASSWORD)
    assert other.status_code == 302  # the lock is per account, not per address


def test_unknown_accounts_lock_the_same_way(web):
    codes = [login_from(web, "10.0.1.1", "tidak.ada@juara.test").status_code
             for _ in range(11)]
    assert codes == [401] * 10 + [429]


def test_behind_a_proxy_the_forwarded_client_address_is_counted(app, make, tmp_path,
                                                                 monkeypatch):
    from judging import create_app

    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "proxied"))
    proxied = create_app({**app.config, "PROXY_COUNT": 1, "LOGIN_RATE_LIMIT": "2 per minute",
                          "WTF_CSRF_ENABLED": False})
    client = proxied.test_client()

    def status(address: str) -> int:
        return client.post("/auth/login", data={"email": "x@juara.test", "password": "x"},
                           headers={"X-Forwarded-For": address}).status_code

    try:
        assert [status("203.0.113.5") for _ in range(3)][-1] == 429
        assert status("203.0.113.6") != 429  # the proxy's own address is not what is counted
    finally:
        with proxied.app_context():  # its pooled connection, not left for the collector
            db.engine.dispose()


def test_certificate_verification_is_rate_limited(client):
    codes = [client.get(f"/verify/ZZZZ{n:04d}").status_code for n in range(6)]
    assert codes == [404] * 5 + [429]
    assert client.get("/verify?code=ABCD").status_code == 429  # one budget for both


def test_limits_hold_on_redis(app, web, make, redis_url):
    redis = pytest.importorskip("redis")
    from judging.extensions import limiter

    app.config["RATELIMIT_STORAGE_URI"] = redis_url
    limiter.init_app(app)
    make.user("korban@juara.test")
    make.commit()
    codes = [login_from(web, "10.0.2.1", "korban@juara.test").status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    assert redis.Redis.from_url(redis_url).keys("*login-account*")


def _start_gunicorn(database: str, tmp_path, port: int, redis: str | None):
    """As README's production section says: gunicorn, two workers, wsgi:app."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JUDGING_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(JUDGING_DATABASE_URL=database, JUDGING_SECRET_KEY="limits-test-secret",
               JUDGING_INSTANCE_PATH=str(tmp_path / "server-instance"),
               JUDGING_BASE_URL=f"http://127.0.0.1:{port}", JUDGING_AUTO_UPGRADE="false")
    if redis:
        env["REDIS_URL"] = redis
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    return process, log


def _wrong_passwords(base: str, count: int) -> list[int]:
    """``count`` wrong passwords from one address, each for a different account."""
    codes = []
    for n in range(count):
        client = Client(base)
        _, page = client.request("/auth/login")
        status, _ = client.request("/auth/login", {
            "csrf_token": csrf_from(page), "email": f"tebakan{n}@juara.test",
            "password": "bukan kata sandinya"})
        codes.append(status)
    return codes


@pytest.mark.parametrize("storage", ["embedded", "redis"])
def test_eleventh_wrong_password_gets_429_with_two_gunicorn_workers(
        app, database_url, tmp_path, storage, request):
    redis = request.getfixturevalue("redis_url") if storage == "redis" else None
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process, log = _start_gunicorn(_server_database(database_url, tmp_path), tmp_path, port,
                                   redis)
    try:
        _wait_ready(process, base, log)
        codes = _wrong_passwords(base, 14)
    finally:
        _stop(process)
    assert codes == [401] * 10 + [429] * 4, codes

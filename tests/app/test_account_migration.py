"""The account-origin migration keeps every grant on SQLite (foreign keys on), fills in who
created each password-less account, and revokes links of accounts that already have a password."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from judging import create_app
from judging.database import MIGRATIONS, bind_migrate
from judging.extensions import db
from tests.conftest import base_config

BEFORE = [
    "INSERT INTO organisations (id, name, code, created_at) VALUES "
    "(1, 'A', 'A', '2026-01-01 00:00:00'), (2, 'B', 'B', '2026-01-01 00:00:00')",
    "INSERT INTO entrants (id, organisation_id, code, name, level, region, created_at) "
    "VALUES (1, 1, 'E1', 'Kelurahan', 'kelurahan', '', '2026-01-01 00:00:00')",
    "INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at) VALUES "
    "(1, 'invitee@x.id', 'Invitee', NULL, 0, 0, '2026-01-01 00:00:00'), "
    "(2, 'active@x.id', 'Active', 'scrypt:1:1:1$x$y', 0, 0, '2026-01-02 00:00:00')",
    "INSERT INTO role_grants (id, user_id, role, entrant_id, created_at) VALUES "
    "(1, 1, 'participant', 1, '2026-01-01 00:00:00'), (2, 2, 'participant', 1, "
    "'2026-01-02 00:00:00')",
    "INSERT INTO role_grants (id, user_id, role, organisation_id, created_at) VALUES "
    "(3, 1, 'organizer', 2, '2026-01-03 00:00:00')",
    "INSERT INTO invitations (id, token_hash, user_id, purpose, created_at, expires_at) VALUES "
    "(1, 'a', 1, 'participant', '2026-01-01 00:00:00', '2099-01-01 00:00:00'), "
    "(2, 'b', 2, 'juror', '2026-01-05 00:00:00', '2099-01-01 00:00:00')",
    "INSERT INTO user_sessions (id, user_id, created_at, last_seen_at) VALUES "
    "('s', 2, '2026-01-02 00:00:00', '2026-01-02 00:00:00')",
]


def test_upgrade_keeps_grants_and_fills_account_origin(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'old.db'}"))
    bind_migrate(app)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="648bf727edd8")
        with db.engine.begin() as connection:
            for statement in BEFORE:
                connection.execute(text(statement))
        upgrade(directory=str(MIGRATIONS), revision="a1c0u7e5ec01")
        with db.engine.connect() as connection:
            def rows(sql):
                return connection.execute(text(sql)).all()

            assert rows("SELECT COUNT(*) FROM role_grants") == [(3,)]
            assert rows("SELECT COUNT(*) FROM user_sessions") == [(1,)]
            assert rows("SELECT id, created_by_organisation_id, password_set_at IS NOT NULL "
                        "FROM users ORDER BY id") == [(1, 1, 0), (2, None, 1)]
            assert rows("SELECT id, used_at IS NOT NULL FROM invitations ORDER BY id") == [
                (1, 0), (2, 1)]
            assert rows("PRAGMA foreign_keys") == [(1,)]
        db.engine.dispose()

"""The flask commands: accounts and the demo."""

import io

from sqlalchemy import func, inspect, select

from judging.extensions import db
from judging.models import Category, Competition, Entrant, RoleGrant, Scoresheet, User


def test_create_user_makes_an_organizer(runner):
    result = runner.invoke(args=["create-user", "--email", "Sari@Diskominfo.go.id",
                                 "--name", "Sari", "--password", "a-long-password",
                                 "--organizer-of", "IKP"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sari@diskominfo.go.id"))
    assert user.check_password("a-long-password")
    role = db.session.scalar(select(RoleGrant.role).where(RoleGrant.user_id == user.id))
    assert role == "organizer"


def test_create_user_refuses_duplicates_and_short_passwords(runner, make):
    make.user("a@juara.test")
    make.commit()
    dup = runner.invoke(args=["create-user", "--email", "a@juara.test", "--name", "A",
                              "--password", "a-long-password"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    short = runner.invoke(args=["create-user", "--email", "b@juara.test", "--name", "B",
                                "--password", "short"])
    assert short.exit_code != 0 and "10 characters" in short.output


def test_demo_loads_once_and_prints_logins(runner):
    result = runner.invoke(args=["demo", "--once"])
    assert result.exit_code == 0, result.output
    assert "penyelenggara@ikpfest.example" in result.output
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 2  # + KIP e-monev
    assert db.session.scalar(select(func.count()).select_from(Category)) == 4
    assert db.session.scalar(select(func.count()).select_from(Entrant)) >= 12
    submitted = select(func.count()).select_from(Scoresheet).where(Scoresheet.status == "submitted")
    assert db.session.scalar(submitted) == 2 * 13  # two of three jurors are done
    again = runner.invoke(args=["demo", "--once"])
    assert "already loaded" in again.output
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 2


def test_each_demo_role_can_sign_in(runner, web):
    runner.invoke(args=["demo", "--once"])
    for email, start in [("penyelenggara@ikpfest.example", "/organizer/"),
                         ("juri1@ikpfest.example", "/jury/"),
                         ("kel-001@ikpfest.example", "/participant/"),
                         ("verifikator@ikpfest.example", "/jury/"),
                         ("bp-01@ikpfest.example", "/participant/")]:
        response = web.login(email, "juara-demo-2026")
        assert response.headers["Location"].endswith(start), email
        assert web.get(start).status_code == 200
        web.logout()


def test_demo_kip_saq_at_every_stage(runner):
    from judging.models import Objection, SaqResponse

    runner.invoke(args=["demo", "--once"])
    statuses = db.session.scalars(select(SaqResponse.status)).all()
    assert sorted(statuses) == ["draft"] + ["submitted"] * 4  # and one body not started
    assert sorted(db.session.scalars(select(Objection.status))) == ["rejected", "upheld"]


def test_demo_entries_have_evidence_that_opens(runner, web):
    """The demo's PDFs and images pass the upload checks and open for every viewer."""
    from judging.evidence import evidence_store
    from judging.io.files.check import inspect_upload
    from judging.models import Entry, Evidence

    runner.invoke(args=["demo", "--once"])
    files = db.session.scalars(select(Evidence).where(Evidence.kind == "file")).all()
    assert {e.file_kind for e in files} == {"pdf", "png"}
    assert len({e.entry_id for e in files}) >= 6
    for evidence in files:
        with evidence_store().open(evidence.storage_key) as handle:
            checked = inspect_upload(io.BytesIO(handle.read()), allowed_kinds=("pdf", "png"),
                                     max_bytes=2**20)
        assert checked.kind == evidence.file_kind
    own = db.session.scalar(select(Evidence).join(Entry).join(Entrant)
                            .where(Entrant.code == "KEL-001"))
    for email in ("penyelenggara@ikpfest.example", "juri1@ikpfest.example",
                  "kel-001@ikpfest.example"):
        web.login(email, "juara-demo-2026")
        for evidence in (own, files[1]):
            shown = web.get(f"/evidence/{evidence.id}")
            shown.close()
            assert shown.status_code == 200, (email, evidence.id)
            assert shown.mimetype in ("application/pdf", "image/png")
        web.logout()


def test_demo_upgrade_migrates_an_empty_database_then_loads(tmp_path, monkeypatch):
    """`make run` runs one process: `demo --upgrade` does what `db upgrade` did first."""
    from judging import create_app
    from tests.conftest import base_config

    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    empty = base_config(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")  # AUTO_UPGRADE off
    fresh = create_app(empty)
    with fresh.app_context():
        try:
            assert not inspect(db.engine).has_table("competitions")
            result = fresh.test_cli_runner().invoke(args=["demo", "--once", "--upgrade"])
            assert result.exit_code == 0, result.output
            assert "penyelenggara@ikpfest.example" in result.output
            assert db.session.scalar(select(func.count()).select_from(Competition)) == 2
        finally:
            db.session.remove()
            db.engine.dispose()

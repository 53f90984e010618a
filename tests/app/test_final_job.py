"""Entering final runs as a job: the phase form queues it, the job freezes and moves the phase."""

from sqlalchemy import select

from judging.competitions.final_job import KIND, start_final
from judging.extensions import db
from judging.models import AuditEvent, Competition, Job, Result
from tests.app.results_world import build_results_world


def fresh(world):
    db.session.expire_all()
    return db.session.get(Competition, world.competition.id)


def test_the_phase_form_queues_the_freeze_and_shows_its_progress(app, make, web):
    world = build_results_world(make, phase="moderation")
    web.login(world.organizer.email)
    response = web.post(f"/organizer/competitions/{world.competition.id}/phase",
                        {"target": "final"})
    job = db.session.scalar(select(Job).where(Job.kind == KIND))
    assert response.status_code == 302 and response.location.endswith(f"/jobs/{job.id}")
    assert job.state == "done" and (job.done, job.total) == (2, 2)  # one category, then the step
    assert "Tahap sekarang: final." in job.message and "The phase is now final." in job.message
    assert fresh(world).phase == "final"
    assert len(db.session.scalars(select(Result).where(
        Result.category_id == world.category.id)).all()) == 4
    page = web.get(f"/organizer/jobs/{job.id}").get_data(as_text=True)
    assert "Membekukan hasil Monev KIP" in page and "Tahap sekarang: final." in page
    assert web.get(f"/organizer/jobs/{job.id}/status").json["percent"] == 100


def test_the_job_names_who_asked_though_no_one_is_signed_in(app, make):
    world = build_results_world(make, phase="moderation")
    job = start_final(world.competition, reason="", user_id=world.organizer.id, title="t",
                      back_url="/")
    assert job.state == "done" and fresh(world).phase == "final"
    actors = {e.action: e.actor_id for e in db.session.scalars(select(AuditEvent))}
    assert actors["competition.phase"] == actors["results.frozen"] == world.organizer.id


def test_a_refused_step_fails_the_job_with_the_reason_and_changes_nothing(app, make, web):
    world = build_results_world(make, phase="judging")
    job = start_final(world.competition, reason="", user_id=world.organizer.id, title="t",
                      back_url="/")
    assert job.state == "failed" and "Tidak bisa pindah" in job.message
    assert "Cannot move" in job.message
    assert fresh(world).phase == "judging"
    assert db.session.scalar(select(Result)) is None


def test_a_second_request_while_one_is_waiting_gets_the_same_job(app, make):
    world = build_results_world(make, phase="moderation")
    waiting = Job(id="waiting-final", kind=KIND, params={}, competition_id=world.competition.id,
                  state="running")
    db.session.add(waiting)
    db.session.commit()
    again = start_final(world.competition, reason="", user_id=None, title="t", back_url="/")
    assert again.id == "waiting-final" and fresh(world).phase == "moderation"


def test_while_the_freeze_waits_marks_monev_and_conflicts_are_closed(app, make):
    from judging.phases import conflicts_open, finalising, marks_writable, monev_editable

    world = build_results_world(make, phase="moderation")
    competition = fresh(world)
    assert marks_writable(competition) and monev_editable(competition)
    db.session.add(Job(id="queued-final", kind=KIND, params={},
                       competition_id=competition.id, state="queued"))
    db.session.commit()
    assert finalising(competition)
    assert not (marks_writable(competition) or monev_editable(competition)
                or conflicts_open(competition))
    db.session.get(Job, "queued-final").state = "failed"  # e.g. its worker died
    db.session.commit()
    assert marks_writable(competition) and not finalising(competition)


def _moving_marks(monkeypatch, times):
    """change_phase that, the first ``times`` calls, sees a mark change behind its back."""
    from sqlalchemy import update

    from judging.competitions import final_job
    from judging.models import Mark
    from judging.models.types import utcnow

    real, calls = final_job.change_phase, []

    def change_phase(*args, **kwargs):
        check = real(*args, **kwargs)
        calls.append(1)
        if len(calls) <= times:
            db.session.execute(update(Mark).values(updated_at=utcnow()))
        return check

    monkeypatch.setattr(final_job, "change_phase", change_phase)
    return calls


def test_a_mark_changed_while_freezing_is_frozen_again_with_the_new_value(app, make,
                                                                        monkeypatch):
    world = build_results_world(make, phase="moderation")
    calls = _moving_marks(monkeypatch, times=1)
    job = start_final(world.competition, reason="", user_id=None, title="t", back_url="/")
    assert job.state == "done" and len(calls) == 2
    assert fresh(world).phase == "final"
    assert len(db.session.scalars(select(Result)).all()) == 4


def test_marks_that_keep_changing_fail_the_freeze_and_change_nothing(app, make, monkeypatch):
    world = build_results_world(make, phase="moderation")
    calls = _moving_marks(monkeypatch, times=99)
    job = start_final(world.competition, reason="", user_id=None, title="t", back_url="/")
    assert job.state == "failed" and len(calls) == 3
    assert "terus berubah" in job.message and "kept changing" in job.message
    assert fresh(world).phase == "moderation" and db.session.scalar(select(Result)) is None

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

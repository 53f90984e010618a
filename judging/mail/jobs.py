"""Background jobs that deliver mail, with progress the organizer can watch."""

from __future__ import annotations

from judging.extensions import db
from judging.jobs import after_each_job, job_handler
from judging.mail.delivery import deliver, due_messages
from judging.mail.outgoing import send_committed


def deliver_with_progress(messages, progress, offset: int = 0, total: int | None = None) -> int:
    """Deliver with progress after each committed chunk (see ``delivery.CLAIM_EVERY``)."""
    total = offset + len(messages) if total is None else total

    def report(done: int) -> None:
        progress(offset + done, total, f"{done} / {len(messages)} email")

    db.session.flush()  # messages just recorded get their ids
    sent = deliver([m.id for m in messages], report)
    progress(offset + len(messages), total, f"{sent} / {len(messages)} email")
    return sent


@job_handler("mail.send")
def send_job(job, progress) -> None:
    """Deliver the job's messages (or every due one) that no other sender has taken."""
    messages = due_messages(job.params.get("ids"))
    total = len(messages)
    progress(0, total, f"0 / {total}")
    sent = deliver_with_progress(messages, progress)
    job.message = (f"{sent} terkirim, {total - sent} gagal, menunggu atau dikirim job lain. / "
                   f"{sent} sent, {total - sent} failed, waiting or sent by another job.")


after_each_job(send_committed)  # mail a job recorded (e.g. certificates issued) once committed

"""Background jobs that deliver mail, with progress the organizer can watch."""

from __future__ import annotations

from judging.jobs import after_each_job, job_handler
from judging.mail.delivery import deliver, due_messages
from judging.mail.outgoing import send_committed

COMMIT_EVERY = 25  # outcomes committed in small groups: a crash re-sends at most this many


def deliver_with_progress(messages, progress, offset: int = 0, total: int | None = None) -> int:
    """Deliver with progress; outcomes are committed every ``COMMIT_EVERY`` messages."""
    total = offset + len(messages) if total is None else total

    def report(done: int) -> None:
        if done % COMMIT_EVERY == 0 or done == len(messages):
            progress(offset + done, total, f"{done} / {len(messages)} email")

    sent = deliver(messages, report)
    progress(offset + len(messages), total, f"{sent} / {len(messages)} email")
    return sent


@job_handler("mail.send")
def send_job(job, progress) -> None:
    """Deliver the job's messages (or every due one)."""
    messages = due_messages(job.params.get("ids"))
    total = len(messages)
    progress(0, total, f"0 / {total}")
    sent = deliver_with_progress(messages, progress)
    job.message = (f"{sent} terkirim, {total - sent} gagal atau menunggu. / "
                   f"{sent} sent, {total - sent} failed or waiting.")


after_each_job(send_committed)  # mail a job recorded (e.g. certificates issued) once committed

"""Background jobs that deliver mail, with progress the organizer can watch."""

from __future__ import annotations

from judging.jobs import job_handler
from judging.mail.delivery import deliver, due_messages


@job_handler("mail.send")
def send_job(job, progress) -> None:
    """Deliver the job's messages (or every due one); each outcome is committed as it happens."""
    ids = job.params.get("ids")
    messages = due_messages(ids)
    total = len(messages)
    progress(0, total, f"0 / {total}")
    sent = deliver(messages, lambda done: progress(done, total, f"{done} / {total}"))
    job.message = (f"{sent} terkirim, {total - sent} gagal atau menunggu. / "
                   f"{sent} sent, {total - sent} failed or waiting.")

"""The periodic mail sweep: record due reminders, then hand every due message to a job.

Due includes messages another job was handed but has not sent yet: the job that claims one
first sends it, the other skips it. A claim older than ``MAIL_CLAIM_SECONDS`` was left by a
sender that died, and is due again.
"""

from __future__ import annotations

from judging.extensions import db
from judging.jobs import enqueue, periodic
from judging.mail.delivery import due_messages
from judging.mail.outgoing import forget
from judging.mail.reminders import queue_due_reminders
from judging.models import Job
from judging.models.types import utcnow


def sweep() -> Job | None:
    """Run by the worker every ten minutes and by ``flask mail sweep``; safe to repeat."""
    queue_due_reminders(utcnow())
    db.session.commit()
    forget()  # the job below sends every due message, these included
    ids = [m.id for m in due_messages()]
    if not ids:
        return None
    return enqueue("mail.send", params={"ids": ids}, competition_id=None, user_id=None)


@periodic("mail.sweep", minutes=10)
def periodic_sweep() -> None:
    """The worker's ten-minute sweep: due reminders, retries, and abandoned claims."""
    sweep()

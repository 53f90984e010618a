"""Mail recorded in a transaction goes out only once that transaction commits.

Services record ``Message`` rows and never commit. Every new message is noted as it is
flushed; a commit keeps the notes, a rollback forgets them; at the end of the request or
job ``send_committed`` hands the kept ones to one ``mail.send`` job.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from judging.extensions import db
from judging.jobs import enqueue
from judging.models import Job, Message

FLUSHED = "juara.mail.flushed"
COMMITTED = "juara.mail.committed"


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context) -> None:
    ids = [item.id for item in session.new if isinstance(item, Message)]
    if ids:
        session.info.setdefault(FLUSHED, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    ids = session.info.pop(FLUSHED, None)
    if ids:
        session.info.setdefault(COMMITTED, []).extend(ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(FLUSHED, None)


def forget(ids=None) -> None:
    """Someone else sends these (or, with no ids, every committed message): do not again."""
    if ids is None:
        db.session.info.pop(COMMITTED, None)
        return
    gone = set(ids)
    kept = [i for i in db.session.info.get(COMMITTED, ()) if i not in gone]
    db.session.info[COMMITTED] = kept


def send_committed(user_id: int | None = None) -> Job | None:
    """One ``mail.send`` job for the committed messages never tried yet; None when none."""
    ids = db.session.info.pop(COMMITTED, None)
    if not ids:
        return None
    waiting = list(db.session.scalars(select(Message.id).where(
        Message.id.in_(ids), Message.status == "waiting", Message.attempts == 0)))
    if not waiting:
        return None
    return enqueue("mail.send", params={"ids": waiting}, competition_id=None, user_id=user_id)

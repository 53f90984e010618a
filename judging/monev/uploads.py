"""Uploaded monev workbooks are kept only for committed batches ("download original").

Files are stored by content hash, so one file may serve several batches or even an
evidence record: it is deleted only when nothing references it any more. A discard
queues its file, checked before and deleted after the transaction commits; a preview
that was refused or never staged forgets its file at once.
"""

from __future__ import annotations

from sqlalchemy import event, exists, or_, select
from sqlalchemy.orm import Session

from judging.evidence import evidence_store
from judging.extensions import db
from judging.models import Competition, Evidence, ImportBatch, Organisation

_QUEUED = "monev_release_keys"
_DOOMED = "monev_doomed_keys"


def referenced(key: str) -> bool:
    """True while a batch, an evidence record or a logo still points at ``key``."""
    return bool(db.session.scalar(select(or_(
        exists().where(ImportBatch.storage_key == key),
        exists().where(Evidence.storage_key == key),
        exists().where(Competition.logo_key == key),
        exists().where(Organisation.logo_key == key),
    ))))


def forget_upload(key: str | None) -> None:
    """Delete a workbook nothing refers to now (after a rollback or a refused preview)."""
    if key and not referenced(key):
        evidence_store().delete(key)


def release_upload(key: str) -> None:
    """Delete ``key`` once the current transaction commits, if nothing refers to it then."""
    db.session.info.setdefault(_QUEUED, set()).add(key)


@event.listens_for(Session, "before_commit")
def _check_released(session: Session) -> None:
    keys = session.info.pop(_QUEUED, None)
    if keys:
        session.flush()
        session.info[_DOOMED] = [k for k in keys if not referenced(k)]


@event.listens_for(Session, "after_commit")
def _delete_released(session: Session) -> None:
    for key in session.info.pop(_DOOMED, ()):
        evidence_store().delete(key)


@event.listens_for(Session, "after_rollback")
def _keep_released(session: Session) -> None:
    session.info.pop(_QUEUED, None)
    session.info.pop(_DOOMED, None)

"""Each message is claimed before it is sent: two senders over the same waiting messages
deliver each exactly once, and a claim left by a sender that died is taken again."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from judging.extensions import db
from judging.mail import notify
from judging.mail.delivery import claim, deliver
from judging.mail.sweep import sweep
from judging.models import Message, User
from judging.models.types import utcnow


@pytest.fixture
def app_config(app_config, smtp_server):
    _inbox, port = smtp_server
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "BASE_URL": "https://juara.example.go.id"}


def waiting_messages(count: int) -> list[int]:
    """``count`` committed invitations, waiting, never tried (as a request leaves them)."""
    messages = []
    for n in range(count):
        user = User(email=f"orang{n}@juara.test", name=f"Orang {n}")  # invited: no password
        db.session.add(user)
        db.session.flush()
        invited = SimpleNamespace(user=user, link=f"https://juara.example.go.id/auth/i/{n}",
                                  expires_at=utcnow() + timedelta(days=7))
        messages.append(notify.invitation(invited, "juror", "IKP 2025"))
    db.session.commit()
    return [m.id for m in messages]


def received(inbox) -> Counter:
    return Counter(str(m["To"]) for m in inbox.messages)


def statuses() -> Counter:
    db.session.rollback()  # end the test's read, to see what the senders committed
    return Counter(db.session.scalars(select(Message.status)))


def run_together(app, *senders) -> list:
    """Start every sender at once, each in its own thread and app context (own session)."""
    start, outcomes, errors = threading.Barrier(len(senders)), [None] * len(senders), []

    def run(index, sender):
        with app.app_context():
            try:
                start.wait()
                outcomes[index] = sender()
            except Exception as error:  # reported below, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return outcomes


def test_two_senders_at_once_deliver_each_message_once(app, smtp_server):
    inbox, _port = smtp_server
    inbox.delay = 0.01  # the two SMTP sessions overlap
    ids = waiting_messages(60)
    sent = run_together(app, lambda: deliver(ids), lambda: deliver(list(reversed(ids))))
    assert sum(sent) == 60 and len(inbox.messages) == 60
    assert set(received(inbox).values()) == {1} and len(received(inbox)) == 60
    assert statuses() == {"sent": 60}
    assert db.session.scalars(select(Message.claimed_by).where(
        Message.claimed_by.is_not(None))).all() == []


def test_the_sweep_during_a_send_job_sends_nothing_twice(app, smtp_server):
    inbox, _port = smtp_server
    inbox.delay = 0.01
    ids = waiting_messages(60)
    run_together(app, lambda: deliver(ids), lambda: sweep() and None)
    assert len(inbox.messages) == 60 and set(received(inbox).values()) == {1}
    assert statuses() == {"sent": 60}


def test_a_claimed_message_is_left_to_its_sender(app, smtp_server):
    inbox, _port = smtp_server
    ids = waiting_messages(3)
    taken = claim(ids)
    assert [m.id for m in taken] == ids and {m.status for m in taken} == {"sending"}
    assert claim(ids) == []  # a second sender gets none of them
    assert sweep() is None and deliver(ids) == 0
    assert inbox.messages == [] and statuses() == {"sending": 3}


def test_an_abandoned_claim_is_taken_again_by_the_sweep(app, smtp_server):
    inbox, _port = smtp_server
    ids = waiting_messages(3)
    claim(ids)  # the sender dies here, before sending anything
    assert sweep() is None
    long_ago = utcnow() - timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] + 1)
    db.session.execute(update(Message).values(claimed_at=long_ago))
    db.session.commit()
    job = sweep()
    assert job.state == "done" and statuses() == {"sent": 3}
    assert len(inbox.messages) == 3 and set(received(inbox).values()) == {1}

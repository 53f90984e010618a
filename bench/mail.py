"""Sending 1,000 invitation e-mails through Juara, against plain smtplib, in the same run.

Starts a real SMTP server (aiosmtpd) in a separate process on a free loopback port.
Juara's path: composed ``Message`` rows (bilingual templates, rendered beforehand, as the
bulk job does) delivered by the ``mail.send`` job — Flask-Mailman over one SMTP session,
each outcome recorded, progress committed. The baseline: ``smtplib`` sending the very same
subjects, text and HTML, built with the standard library's ``email`` package, over one
session. Prints messages per second for both and ``ratio=`` (Juara's time / smtplib's).

    .venv/bin/python bench/mail.py [--messages 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import socket
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judging import create_app  # noqa: E402
from judging.extensions import db  # noqa: E402
from judging.jobs import enqueue  # noqa: E402
from judging.mail.compose import compose  # noqa: E402
from judging.mail.delivery import email_of  # noqa: E402
from judging.models import Competition, Message, Organisation, User  # noqa: E402
from judging.models.types import utcnow  # noqa: E402


class Sink:
    """Accepts every message and keeps only a count."""

    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def serve(port: int, ready) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(n: int) -> list[int]:
    """``n`` waiting invitation messages, composed like the bulk job does."""
    body = Organisation(name="Diskominfo", code="DK")
    db.session.add(body)
    db.session.flush()
    competition = Competition(organisation_id=body.id, name="IKP 2026", year=2026, code="IKP")
    users = [User(email=f"juri{i}@bench.test", name=f"Juri {i}", locale=("id", "en")[i % 2])
             for i in range(n)]
    db.session.add_all([competition, *users])
    db.session.flush()
    expires = utcnow()
    messages = [compose("invitation.juror", user, {
        "role": "juror", "competition": competition.name, "expires": expires,
        "link": f"https://juara.example.go.id/auth/invitation/token{user.id}"},
        competition_id=competition.id) for user in users]
    db.session.commit()
    return [m.id for m in messages]


def reset(ids: list[int], bodies: dict) -> list[tuple]:
    """Make the messages wait again; return the same messages as plain values for smtplib."""
    out = []
    for message in db.session.scalars(db.select(Message).where(Message.id.in_(ids))):
        message.status, message.attempts, message.sent_at = "waiting", 0, None
        message.body_text, message.body_html = bodies[message.id]
        mime = email_of(message)
        out.append((mime.from_email, mime.to[0], message.subject, *bodies[message.id]))
    db.session.commit()
    return out


def baseline(port: int, prepared) -> float:
    """Plain stdlib: build each text + HTML message and send it over one SMTP session."""
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, to, subject, text, html in prepared:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, to, subject
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            smtp.send_message(message)
    return time.perf_counter() - start


def juara(ids: list[int]) -> float:
    start = time.perf_counter()
    job = enqueue("mail.send", params={"ids": ids}, competition_id=None, user_id=None)
    elapsed = time.perf_counter() - start
    assert job.state == "done", job.message
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["JUDGING_INSTANCE_PATH"] = str(Path(folder) / "instance")
            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                              "SECRET_KEY": "bench", "AUTO_UPGRADE": True,
                              "JOBS_IMMEDIATE": True, "MAIL_SERVER": "127.0.0.1",
                              "MAIL_PORT": port})
            with app.app_context():
                ids = seed(args.messages)
                bodies = {m.id: (m.body_text, m.body_html) for m in db.session.scalars(
                    db.select(Message))}
                best_base = best_juara = float("inf")
                for _ in range(args.repeat):
                    prepared = reset(ids, bodies)
                    best_base = min(best_base, baseline(port, prepared))
                    best_juara = min(best_juara, juara(ids))
                sent = db.session.scalar(db.select(db.func.count()).select_from(Message)
                                         .where(Message.status == "sent"))
                assert sent == args.messages, sent
    finally:
        server.terminate()
        server.join(5)
    n = args.messages
    print(f"smtplib: {n} messages in {best_base:.2f} s = {n / best_base:.0f} messages/s")
    print(f"juara:   {n} messages in {best_juara:.2f} s = {n / best_juara:.0f} messages/s")
    print(f"ratio={best_juara / best_base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

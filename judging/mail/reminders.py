"""Deadline reminders: sources register upcoming deadlines; a sweep sends each reminder once.

A source is a function ``(now) -> iterable of Deadline``. Built-in: submission and judging;
other services (SAQ filling, masa sanggah) register theirs with ``@deadline_source("key")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from judging.mail.compose import compose
from judging.models import Message, User
from judging.urls import external_url

SOURCES: dict[str, Callable[[datetime], Iterable[Deadline]]] = {}


@dataclass
class Deadline:
    """One deadline of one competition and who still has something to do before it."""

    key: str
    competition: object
    due_at: datetime
    recipients: list[User]
    label: object  # lazy msgid: translated in each recipient's language
    link: str
    todo: object = None  # lazy msgid: what is still to do
    extra: dict = field(default_factory=dict)


def deadline_source(key: str):
    """Register a function returning the upcoming deadlines of kind ``key``."""

    def decorate(function):
        if key in SOURCES and SOURCES[key] is not function:
            raise ValueError(f"deadline source {key!r} registered twice")
        SOURCES[key] = function
        return function

    return decorate


def threshold(due_at: datetime, now: datetime, days: Iterable[int]) -> int | None:
    """The reminder due now: the fewest days-before whose moment has passed; None if none."""
    if due_at <= now:
        return None
    passed = [d for d in days if due_at - timedelta(days=d) <= now]
    return min(passed) if passed else None


def optout_link(user: User) -> str:
    """A signed link that lets the recipient turn reminders off without signing in."""
    from judging.mail.optout import token_for

    return external_url("auth.reminders_off", token=token_for(user))


def queue_due_reminders(now: datetime) -> list[Message]:
    """Record every reminder due at ``now`` that was not sent before (one per threshold)."""
    days = current_app.config["MAIL_REMINDER_DAYS"]
    messages = []
    for _key, source in sorted(SOURCES.items()):
        for deadline in source(now):
            before = threshold(deadline.due_at, now, days)
            if before is None:
                continue
            for user in deadline.recipients:
                message = remind(deadline, user, before)
                if message is not None:
                    messages.append(message)
    return messages


def remind(deadline: Deadline, user: User, before: int) -> Message | None:
    """One reminder; the dedupe key makes a second sweep a no-op."""
    competition = deadline.competition
    due = f"{deadline.due_at:%Y%m%d%H%M}"
    dedupe = f"reminder:{deadline.key}:{competition.id}:{due}:{before}:{user.id}"
    return compose("reminder.deadline", user, {
        "deadline": deadline.label, "competition": competition.name, "due": deadline.due_at,
        "timezone": competition.timezone, "days": before, "todo": deadline.todo,
        "link": deadline.link, "optout_link": optout_link(user), **deadline.extra,
    }, competition_id=competition.id, dedupe_key=dedupe)

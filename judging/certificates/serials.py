"""Serial numbers (``IKP-2023/MS/001``) and unguessable verification codes.

A serial is unique in the organising body (a database constraint); the next number
is max()+1 of the serials already issued with the same prefix, read inside the write
transaction, and a clash with a concurrent writer is retried by the caller.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select

from judging.extensions import db
from judging.models import Category, Certificate, Competition

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread on paper
CODE_LENGTH = 20  # 100 random bits
SEQUENCE_WIDTH = 3
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def serial_prefix(competition: Competition, category: Category) -> str:
    """``competition code / category code /``, the part every serial of a category shares."""
    return f"{competition.code}/{category.code}/"


def format_serial(prefix: str, number: int) -> str:
    """``IKP-2023/MS/`` and 7 → ``IKP-2023/MS/007``."""
    return f"{prefix}{number:0{SEQUENCE_WIDTH}d}"


def next_numbers(organisation_id: int, prefixes: set[str]) -> dict[str, int]:
    """For each prefix, the first number after every serial already issued in the body."""
    numbers = dict.fromkeys(prefixes, 1)
    for prefix in prefixes:
        serials = db.session.scalars(
            select(Certificate.serial).where(
                Certificate.organisation_id == organisation_id,
                Certificate.serial.startswith(prefix, autoescape=True),
            )
        )
        for serial in serials:
            tail = serial[len(prefix):]
            if tail.isdigit():
                numbers[prefix] = max(numbers[prefix], int(tail) + 1)
    return numbers


def taken_serials(organisation_id: int, serials: list[str]) -> set[str]:
    """Which of ``serials`` someone else issued meanwhile (checked before staging a batch)."""
    if not serials:
        return set()
    return set(
        db.session.scalars(
            select(Certificate.serial).where(
                Certificate.organisation_id == organisation_id, Certificate.serial.in_(serials)
            )
        )
    )


def new_code() -> str:
    """A verification code: 20 characters from an unambiguous alphabet (100 random bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed (spaces, dashes, lower case) → the stored form of a code."""
    return _NOT_CODE.sub("", (raw or "").upper())[:40]

"""Password rules in one place: the ASVS V6.2 policy and a sign-in check that costs the same
whether or not the account exists.

Policy (OWASP ASVS 5.0 V6.2): at least 10 characters, at least 128 allowed, any characters,
no composition rules, and refuse passwords found in a list of common and breached passwords
(the 30,000 most common from the ``zxcvbn`` package's password list) or made of the account's
own e-mail or name.
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128

TOO_SHORT = ("Kata sandi minimal 10 karakter.", "The password must have at least 10 characters.")
TOO_LONG = ("Kata sandi paling banyak 128 karakter.",
            "The password must have at most 128 characters.")
COMMON = ("Kata sandi ini terlalu umum atau pernah bocor; pilih yang lain, misalnya beberapa kata "
          "acak.", "This password is too common or has appeared in a breach; choose another, "
          "for example a few random words.")
PERSONAL = ("Kata sandi tidak boleh sama dengan email atau nama Anda.",
            "The password must not be your e-mail address or name.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Common and breached passwords shipped with the ``zxcvbn`` package, lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> tuple[str, str] | None:
    """Why a new password is refused, as (Indonesian, English) text, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = "".join(password.split()).casefold()
    if folded in common_passwords():
        return COMMON
    personal = {email.casefold(), email.split("@")[0].casefold(), "".join(name.split()).casefold()}
    if folded in personal - {""}:
        return PERSONAL
    return None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash made like real ones, checked when there is no real one to check."""
    return generate_password_hash("no account has this password")


def verify(user, password: str) -> bool:
    """True when ``user`` exists and has this password; one scrypt check either way.

    Unknown e-mails and accounts without a password are checked against a dummy hash, so
    the answer takes as long as for a real account and timing tells nothing.
    """
    stored = getattr(user, "password_hash", None)
    matches = check_password_hash(stored or _dummy_hash(), password)
    return bool(stored) and matches

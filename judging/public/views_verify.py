"""Public certificate verification: anyone holding a certificate can check its code."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import format_date

from judging.certificates.serials import normalise_code
from judging.certificates.verification import describe, find_by_code, replacement_of
from judging.extensions import limiter
from judging.i18n import to_zone
from judging.permissions import access
from judging.public.blueprint import bp


def verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# One budget for the form and the code pages: codes cannot be guessed faster through either.
verify_budget = limiter.shared_limit(verify_limit, scope="verify")


@bp.route("/verify")
@verify_budget
@access("public")
def verify_form():
    """The code form; a submitted code goes to its own page (bookmarkable, like the QR)."""
    code = normalise_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("public.verify", code=code), 303)
    return render_template("public/verify.html", searched=False, code="", facts=None)


@bp.route("/verify/<code>")
@verify_budget
@access("public")
def verify(code: str):
    """Confirms a certificate, or says plainly that the code is unknown or it was revoked.

    Before the competition's results are published, nothing about the award is shown.
    """
    cert = find_by_code(code)
    if cert is None:
        return render_template("public/verify.html", searched=True, code=code[:60],
                               facts=None), 404
    if cert.competition.phase != "published":
        # Like the results page (404 until publication): confirm the code, reveal nothing.
        return render_template("public/verify.html", searched=True, code=cert.code,
                               facts=None, pending=True)
    facts = describe(cert)
    facts["issued_text"] = local_date(cert.issued_at, facts["timezone"])
    facts["revoked_text"] = local_date(cert.revoked_at, facts["timezone"])
    replacement = replacement_of(cert) if cert.revoked_at else None
    return render_template("public/verify.html", searched=True, code=cert.code,
                           facts=facts, replaced=replacement is not None)


def local_date(moment, timezone: str) -> str | None:
    """A stored moment as a date in the competition's zone, in the reader's language."""
    return format_date(to_zone(moment, timezone).date(), "long") if moment else None

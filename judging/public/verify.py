"""Public certificate verification: anyone holding a certificate can check its code."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from judging.certificates.serials import normalise_code
from judging.certificates.verification import describe, find_by_code, replacement_of
from judging.permissions import access
from judging.public.blueprint import bp


@bp.route("/verify")
@access("public")
def verify_form():
    """The code form; a submitted code goes to its own page (bookmarkable, like the QR)."""
    code = normalise_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("public.verify", code=code), 303)
    return render_template("public/verify.html", searched=False, code="", facts=None)


@bp.route("/verify/<code>")
@access("public")
def verify(code: str):
    """Confirms a certificate, or says plainly that the code is unknown or it was revoked."""
    cert = find_by_code(code)
    if cert is None:
        return render_template("public/verify.html", searched=True, code=code[:60],
                               facts=None), 404
    replacement = replacement_of(cert) if cert.revoked_at else None
    return render_template("public/verify.html", searched=True, code=cert.code,
                           facts=describe(cert), replaced=replacement is not None)

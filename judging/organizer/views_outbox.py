"""The embedded outbox: the site administrator reads what Juara would have mailed."""

from __future__ import annotations

import re

from flask import Response, abort, current_app, render_template

from judging.mail.outbox import list_outbox, outbox_path, read_message
from judging.organizer.blueprint import bp
from judging.permissions import access

LINK = re.compile(r"https?://[^\s<>\"']+")
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox allow-popups"


@bp.route("/outbox")
@access("admin")
def outbox():
    """The newest messages in the outbox."""
    return render_template("organizer/outbox.html", messages=list_outbox(),
                           folder=outbox_path(), backend=current_app.config["MAIL_BACKEND"])


@bp.route("/outbox/<name>")
@access("admin")
def outbox_message(name: str):
    """One message: its plain text and the links it carries."""
    message = read_message(name) or abort(404)
    return render_template("organizer/outbox_message.html", message=message,
                           links=list(dict.fromkeys(LINK.findall(message.text))))


@bp.route("/outbox/<name>/html")
@access("admin")
def outbox_message_html(name: str):
    """The HTML version, inert: no scripts, no outside resources."""
    message = read_message(name) or abort(404)
    response = Response(message.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

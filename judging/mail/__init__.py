"""Outgoing e-mail: compose in the recipient's language, record, deliver in background jobs.

A service package: no blueprint, never commits on its own (jobs commit through ``Progress``),
except delivery, which commits each claim before sending so no other sender sends it too.
Flask-Mailman is bound on first delivery, not at start-up, like the other libraries only
jobs need.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response, current_app

BACKENDS = {
    "outbox": "judging.mail.outbox",
    "smtp": "flask_mailman.backends.smtp.EmailBackend",
    "locmem": "flask_mailman.backends.locmem.EmailBackend",
}
_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Choose the backend: SMTP when ``MAIL_SERVER`` is set, else the outbox in ``instance/``."""
    chosen = app.config.get("MAIL_BACKEND")
    chosen = chosen or ("smtp" if app.config.get("MAIL_SERVER") else "outbox")
    app.config["MAIL_BACKEND"] = BACKENDS.get(chosen, chosen)
    from judging.mail import outgoing  # noqa: F401  (notes messages as transactions commit)

    app.after_request(send_after_request)


def send_after_request(response: Response) -> Response:
    """Mail the request committed goes to a job once the view is done; never breaks the page."""
    from judging.extensions import db
    from judging.mail.outgoing import send_committed

    if not db.session.registry.has():
        return response  # no database session this request: nothing was committed
    try:
        send_committed()
    except Exception:  # the page's own work is committed; the sweep retries the mail
        log.exception("Could not hand the committed mail to a job")
    return response


def connection(**options):
    """A backend connection for the current app; Flask-Mailman is bound here once."""
    app = current_app._get_current_object()
    if "juara_mail" not in app.extensions:
        with _LOCK:
            if "juara_mail" not in app.extensions:
                from flask_mailman import Mail

                app.extensions["juara_mail"] = Mail(app)
    return app.extensions["juara_mail"].get_connection(**options)

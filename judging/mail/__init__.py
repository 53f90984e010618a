"""Outgoing e-mail: compose in the recipient's language, record, deliver in background jobs.

A service package: no blueprint, never commits on its own (jobs commit through ``Progress``).
"""

from __future__ import annotations

from flask import Flask
from flask_mailman import Mail

BACKENDS = {
    "outbox": "judging.mail.outbox",
    "smtp": "flask_mailman.backends.smtp.EmailBackend",
    "locmem": "flask_mailman.backends.locmem.EmailBackend",
}

mail = Mail()


def init_app(app: Flask) -> None:
    """Bind Flask-Mailman to the chosen backend and schedule the periodic mail sweep."""
    chosen = app.config.get("MAIL_BACKEND")
    chosen = chosen or ("smtp" if app.config.get("MAIL_SERVER") else "outbox")
    app.config["MAIL_BACKEND"] = BACKENDS.get(chosen, chosen)
    mail.init_app(app)
    huey = app.extensions["huey"]
    from huey import crontab

    @huey.periodic_task(crontab(minute="*/10"), name="juara.mail_sweep")
    def mail_sweep() -> None:
        from judging.mail.sweep import sweep

        with app.app_context():
            sweep()

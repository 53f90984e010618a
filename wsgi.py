"""Entry point for WSGI servers: ``gunicorn wsgi:app``."""

from judging import create_app

app = create_app()

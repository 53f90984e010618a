"""Gunicorn settings read from the project folder (``gunicorn wsgi:app`` picks this file up).

Each worker warms up once after loading the app (templates compiled, heavy libraries
imported: ``judging/warmup.py``), so no visitor's request pays for it.
"""


def post_worker_init(worker):
    """Run the app's warm-up, if it has one, before the worker takes requests."""
    warm_up = getattr(worker.wsgi, "extensions", {}).get("warm_up")
    if warm_up is not None:
        warm_up()

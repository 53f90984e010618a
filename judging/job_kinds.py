"""Every module that registers a background job handler, imported once at start-up.

The queue (``judging.jobs``) knows no job kinds; the app factory calls :func:`register`.
"""

from judging.jobs import job_handler


@job_handler("jobs.selftest")
def selftest(job, progress) -> None:
    """A job that only reports progress: lets operators check that the worker runs."""
    progress(1, 1, "ok")


import judging.accounts.bulk_invitations  # noqa: E402,F401  (invitations.bulk, .resend)
import judging.certificates.bundles  # noqa: E402,F401  (certificates.print)
import judging.certificates.issue  # noqa: E402,F401  (certificates.generate)
import judging.competitions.final_job  # noqa: E402,F401  (competition.final)
import judging.mail.deadlines  # noqa: E402,F401  (submission and judging reminders)
import judging.mail.jobs  # noqa: E402,F401  (mail.send)
import judging.mail.sweep  # noqa: E402,F401  (mail.sweep, every ten minutes)
import judging.monev.jobs  # noqa: E402,F401  (monev.preview, .decide, .commit)
import judging.results.jobs  # noqa: E402,F401  (export.ranking)
import judging.saq.reminders  # noqa: E402,F401  (SAQ and masa sanggah reminders)


def register() -> None:
    """Nothing to do: importing this module registered every handler above."""

"""Monev imports as the app sees them: batches, their commit and rollback, the CLI and jobs.

The pure reading of workbooks lives in :mod:`judging.io.monev.reader`; this package turns
a preview into an :class:`~judging.models.ImportBatch` and moves indicator values.
"""

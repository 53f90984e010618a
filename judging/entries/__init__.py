"""Entries: what a category asks of an entry, filling it, its evidence, submitting it."""

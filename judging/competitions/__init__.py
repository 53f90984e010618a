"""Competitions: creating and copying them, categories, entrants, audit log, phase steps."""

"""The juror's area: assignments, conflict declarations, scoring, offline sheets."""

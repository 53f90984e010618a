"""Marking: the jury's rules — marks, scores, moderation, conflicts, workbooks, assignments."""

"""The organizer workspace: competitions, categories, entrants, juries, phases, progress."""

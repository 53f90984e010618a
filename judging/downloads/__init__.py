"""Downloads shared by several roles: evidence files for participants, jurors and organizers."""

"""Accounts: invitations and role grants for the people an organizer brings in."""

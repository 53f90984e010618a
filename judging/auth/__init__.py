"""Signing in and out, invitations and language choice."""

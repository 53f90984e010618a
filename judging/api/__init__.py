"""Read-only JSON for other government portals."""

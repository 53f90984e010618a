"""A small organizer world shared by the organizer tests: one body, one organizer."""

from __future__ import annotations

from datetime import timedelta

from judging.models.types import utcnow


class World:
    """Objects a test needs, created through the factories."""

    def __init__(self, make):
        self.make = make
        self.body = make.organisation(name="Diskominfo Kota Bandung", code="BDG")
        self.organizer = make.user("org@juara.test", name="Sari Penyelenggara")
        make.grant(self.organizer, "organizer", organisation_id=self.body.id)
        self.competition = make.competition(
            self.body, name="IKP Fest", year=2026, code="IKP-2026",
            submission_deadline=utcnow() + timedelta(days=5))

    def category(self, method_key="information_disclosure", **kw):
        return self.make.category(self.competition, method_key=method_key, **kw)


def build_world(make) -> World:
    """A committed world (each test module wraps this in its ``world`` fixture)."""
    world = World(make)
    make.commit()
    return world

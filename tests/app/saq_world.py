"""A KIP category with a small locked SAQ, a body, a verifier and an organizer."""

from __future__ import annotations

from dataclasses import dataclass

from judging.extensions import db
from judging.io.saq.workbook import SaqRow
from judging.models import Assignment
from judging.saq.questionnaires import import_rows, lock

ROWS = [
    SaqRow("berkala", "Informasi berkala", "A1", "Ada profil badan publik?", 2, "yes_no",
           evidence_rule="either"),
    SaqRow("berkala", "Informasi berkala", "A2", "Kelengkapan laporan", 3, "choice",
           options=(("Tidak ada", 0), ("Sebagian", 50), ("Lengkap", 100)), evidence_rule="url"),
    SaqRow("ppid", "Komitmen PPID", "B1", "Jumlah pelatihan PPID", 1, "number", target=4,
           evidence_rule="none"),
    SaqRow("ppid", "Komitmen PPID", "B2", "Persentase permohonan dijawab", 4, "percent",
           evidence_rule="none"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class SaqWorld:
    competition: object
    category: object
    questionnaire: object
    entry: object
    other: object
    body: object
    other_body: object
    verifier: object
    organizer: object

    def question(self, key):
        return next(q for g in self.questionnaire.groups for q in g.questions if q.key == key)


def build(make, *, locked: bool = True) -> SaqWorld:
    competition = make.competition(phase="open")
    category = make.category(competition, method_key="information_disclosure")
    questionnaire = import_rows(category, ROWS, title="SAQ 2026")
    if locked:
        lock(questionnaire)
    entry = make.entry(category)
    other = make.entry(category)
    body = make.participant(entry.entrant)
    other_body = make.participant(other.entrant)
    verifier = make.juror(competition)
    db.session.add(Assignment(juror_id=verifier.id, category_id=category.id, verifier=True))
    organizer = make.organizer(competition)
    make.commit()
    return SaqWorld(competition, category, questionnaire, entry, other, body, other_body,
                    verifier, organizer)


def fill(web, world, entry=None):
    """Answer every question of the world's SAQ through the pages."""
    entry = entry or world.entry
    base = f"/participant/entries/{entry.id}/saq/questions"
    values = {"A1": "ya", "A2": "1", "B1": "3", "B2": "80"}
    for key, value in values.items():
        response = web.post(f"{base}/{world.question(key).id}", {"value": value})
        assert response.status_code == 303, response.get_data(as_text=True)
    web.post(f"{base}/{world.question('A1').id}/link", {"url": "https://ppid.example.go.id/profil"})
    web.post(f"{base}/{world.question('A2').id}/link", {"url": "https://ppid.example.go.id/lap"})

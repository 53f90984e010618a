"""The demo's KIP e-monev: a six-group SAQ filled online, verified, and in masa sanggah.

Everything goes through the SAQ services (the same rules as the pages), so the demo shows
bodies at each stage: not started, filling, submitted, verified with one objection upheld
and one rejected.
"""

from __future__ import annotations

from datetime import timedelta

from judging.competitions.categories import create_category
from judging.extensions import db
from judging.io.saq.workbook import SaqRow
from judging.models import Assignment, Entrant, Entry, Organisation, RoleGrant, User
from judging.models.types import utcnow

GROUPS = [
    ("kualitas", "Kualitas Informasi"),
    ("sarana", "Sarana dan Prasarana"),
    ("jenis", "Jenis Informasi"),
    ("pelayanan", "Pelayanan Informasi"),
    ("komitmen", "Komitmen PPID"),
    ("digital", "Digitalisasi dan Inovasi"),
]
LEVELS = (("Tidak ada", 0), ("Sebagian", 50), ("Lengkap", 100))
TOPICS = ("Daftar Informasi Publik (DIP) ditetapkan dan diumumkan",
          "Informasi berkala diperbarui setiap enam bulan",
          "Jumlah kanal layanan informasi",
          "Persentase permohonan informasi yang dijawab tepat waktu",
          "Uraian inovasi layanan informasi")
BODIES = [
    ("BP-01", "Dinas Komunikasi dan Informatika", "verified"),
    ("BP-02", "Badan Perencanaan Pembangunan Daerah", "verified"),
    ("BP-03", "Dinas Lingkungan Hidup", "verified"),
    ("BP-04", "Dinas Sosial", "submitted"),
    ("BP-05", "Satpol PP", "draft"),
    ("BP-06", "Dinas Pariwisata", "not_started"),
]


def questionnaire_rows() -> list[SaqRow]:
    """Six groups × five questions: yes/no, choice, number, percent and text."""
    rows = []
    for g, (key, label) in enumerate(GROUPS, start=1):
        kinds = (("yes_no", {}), ("choice", {"options": LEVELS}), ("number", {"target": 4}),
                 ("percent", {}), ("text", {}))
        for q, (kind, extra) in enumerate(kinds, start=1):
            rows.append(SaqRow(key, label, f"{g}.{q}", f"{label}: {TOPICS[q - 1]}",
                               float(q % 3 + 1), kind, evidence_rule="url",
                               help_text="Lampirkan tautan dokumen pada situs PPID.", **extra))
    return rows


def answer_for(answer_type: str, strength: int) -> str:
    """A plausible answer, better for stronger bodies."""
    return {"yes_no": "ya" if strength > 1 else "tidak", "choice": str(min(strength, 2)),
            "number": str(strength + 1), "percent": str(60 + 12 * strength),
            "text": "Aplikasi permohonan informasi daring terhubung WhatsApp."}[answer_type]


def load_kip_demo(body: Organisation, user) -> list[tuple[str, str]]:
    """A second competition, open for SAQ filling, with a verifier in masa sanggah."""
    from judging.saq import filling, objections, questionnaires, verification

    now = utcnow()
    competition = _competition(body, now)
    category = create_category(competition, name="Badan Publik Perangkat Daerah", code="BP",
                               method_key="information_disclosure", level="badan_publik")
    db.session.flush()
    questionnaire = questionnaires.import_rows(category, questionnaire_rows(),
                                               title=f"SAQ Monev KIP {now.year}")
    questionnaires.lock(questionnaire)
    verifier = user("verifikator", "Hendra Gunawan (Verifikator KI)")
    db.session.flush()
    db.session.add(RoleGrant(user=verifier, role="juror", competition_id=competition.id))
    db.session.add(Assignment(juror=verifier, category_id=category.id, verifier=True))
    logins = [("verifier", verifier.email)]
    questions = questionnaires.questions_of(questionnaire)
    entries = []
    for number, (code, name, stage) in enumerate(BODIES, start=1):
        entry = _entry(body, category, code, name, number)
        if number == 1:
            participant = user(code.lower(), f"PPID {name}")
            db.session.flush()
            db.session.add(RoleGrant(user=participant, role="participant",
                                     entrant_id=entry.entrant_id))
            logins.append(("participant (SAQ)", participant.email))
        entries.append((entry, stage, 3 - number % 3))
    for entry, stage, strength in entries:
        if stage == "not_started":
            continue
        shown = questions if stage != "draft" else questions[:12]
        for q in shown:
            filling.save_value(entry, q, answer_for(q.answer_type, strength))
            filling.save_link(entry, q, f"https://ppid.{entry.code.lower()}.example.go.id/{q.key}")
        if stage != "draft":
            filling.submit(entry, questionnaire)
    db.session.flush()
    for entry, stage, _ in entries:
        if stage == "verified":
            _verify(_ordered(entry, questionnaire, questions), verifier, verification)
    objections.open_window(questionnaire, 5)
    _objections(entries[0][0], _ordered(entries[0][0], questionnaire, questions), verifier,
                objections)
    return logins


def _competition(body: Organisation, now):
    from judging.models import Competition

    competition = Competition(organisation=body, name="Monev Keterbukaan Informasi Publik",
                              year=now.year, code=f"KIP-{now.year}", phase="open",
                              submission_deadline=now + timedelta(days=10))
    db.session.add(competition)
    return competition


def _entry(body: Organisation, category, code: str, name: str, number: int) -> Entry:
    entrant = Entrant(organisation=body, code=code, name=name, level="badan_publik",
                      region="Kota Bandung")
    entry = Entry(category_id=category.id, entrant=entrant, code=f"BP-{number:03d}",
                  status="submitted", submitted_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    return entry


def _ordered(entry: Entry, questionnaire, questions) -> list:
    from judging.saq.filling import answers_by_question, response_for

    answers = answers_by_question(response_for(entry, questionnaire, create=False))
    return [answers[q.id] for q in questions if q.id in answers]


def _verify(answers: list, verifier: User, verification) -> None:
    for n, answer in enumerate(answers):
        if n == 1:
            verification.decide(answer, "rejected", score=None, verifier_id=verifier.id,
                                reason="Tautan tidak memuat dokumen DIP yang ditetapkan.")
        elif n == 3:
            verification.decide(answer, "adjusted", score=verification.parse_score("50"),
                                reason="Hanya sebagian laporan tersedia.",
                                verifier_id=verifier.id)
        else:
            verification.decide(answer, "accepted", score=None, reason="",
                                verifier_id=verifier.id)


def _objections(entry: Entry, answers: list, verifier: User, objections) -> None:
    """The rejected answer's objection is upheld; the adjusted one's is rejected."""
    for answer, upheld in ((answers[1], True), (answers[3], False)):
        objection = objections.file_objection(
            entry, answer, "Dokumen tersedia di tautan baru.",
            url=f"https://ppid.{entry.code.lower()}.example.go.id/sanggah/{answer.id}",
            user_id=None)
        objections.resolve(objection, upheld, score=None, resolver_id=verifier.id,
                           resolution="Dokumen pada tautan baru sah." if upheld else
                           "Dokumen baru bertanggal setelah batas pengisian.")

"""A realistic demo: IKP Fest with three categories, entrants, organizer, jurors, participants."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from judging.competitions.categories import create_category
from judging.demo_evidence import attach_demo_evidence
from judging.extensions import db
from judging.models import (
    Assignment,
    Competition,
    Entrant,
    Entry,
    IndicatorValue,
    Organisation,
    RoleGrant,
    User,
)
from judging.models.types import utcnow

DEMO_PASSWORD = "juara-demo-2026"
DOMAIN = "ikpfest.example"

CATEGORIES = [
    (
        "Pengelolaan Pengaduan SP4N-LAPOR! Kelurahan", "PP", "complaint_handling", "kelurahan",
        [
            ("KEL-001", "Kelurahan Lebak Siliwangi", "Kecamatan Coblong",
             {"laporan_masuk": 120, "ditindaklanjuti": 114, "selesai": 102,
              "selesai_tepat_waktu": 90, "rata_hari_respons": 1.8}),
            ("KEL-002", "Kelurahan Cihapit", "Kecamatan Bandung Wetan",
             {"laporan_masuk": 86, "ditindaklanjuti": 80, "selesai": 71,
              "selesai_tepat_waktu": 66, "rata_hari_respons": 2.4}),
            ("KEL-003", "Kelurahan Tamansari", "Kecamatan Bandung Wetan",
             {"laporan_masuk": 143, "ditindaklanjuti": 121, "selesai": 97,
              "selesai_tepat_waktu": 70, "rata_hari_respons": 3.9}),
            ("KEL-004", "Kelurahan Sukaluyu", "Kecamatan Cibeunying Kaler",
             {"laporan_masuk": 54, "ditindaklanjuti": 54, "selesai": 50,
              "selesai_tepat_waktu": 49, "rata_hari_respons": 1.1}),
        ],
    ),
    (
        "Pengelolaan Media Sosial Kecamatan", "MS", "social_media", "kecamatan",
        [
            ("KEC-001", "Kecamatan Coblong", "Kota Bandung",
             {"pengikut_awal": 8200, "pengikut_akhir": 11950, "unggahan": 214, "interaksi": 48200,
              "komentar_masuk": 610, "komentar_dibalas": 540}),
            ("KEC-002", "Kecamatan Sumur Bandung", "Kota Bandung",
             {"pengikut_awal": 5100, "pengikut_akhir": 6020, "unggahan": 158, "interaksi": 21400,
              "komentar_masuk": 320, "komentar_dibalas": 190}),
            ("KEC-003", "Kecamatan Bandung Wetan", "Kota Bandung",
             {"pengikut_awal": 12800, "pengikut_akhir": 14100, "unggahan": 301, "interaksi": 67100,
              "komentar_masuk": 905, "komentar_dibalas": 720}),
            ("KEC-004", "Kecamatan Cicendo", "Kota Bandung",
             {"pengikut_awal": 3900, "pengikut_akhir": 6100, "unggahan": 122, "interaksi": 15800,
              "komentar_masuk": 140, "komentar_dibalas": 131}),
        ],
    ),
    (
        "Keterbukaan Informasi Publik Perangkat Daerah", "KIP", "information_disclosure", "opd",
        [
            ("OPD-001", "Dinas Kesehatan", "Kota Bandung",
             {"nilai_saq": 92.5, "nilai_website": 88}),
            ("OPD-002", "Dinas Pendidikan", "Kota Bandung",
             {"nilai_saq": 81.25, "nilai_website": 79.5}),
            ("OPD-003", "Dinas Perhubungan", "Kota Bandung",
             {"nilai_saq": 64.9, "nilai_website": 70}),
            ("OPD-004", "Dinas Kependudukan dan Pencatatan Sipil", "Kota Bandung",
             {"nilai_saq": 88, "nilai_website": 91}),
            ("OPD-005", "Badan Pendapatan Daerah", "Kota Bandung",
             {"nilai_saq": 73.4, "nilai_website": 66.75}),
        ],
    ),
]

EVIDENCE_ENTRIES = 3  # the first entries of each category get a demo PDF and image

JURORS = [
    ("juri1", "Dr. Rina Kusumawati, M.Si."),
    ("juri2", "Bambang Hermawan, S.Sos."),
    ("juri3", "Prof. Dedi Supriadi"),
]


def user(email: str, name: str, **extra) -> User:
    """A demo account with the shared demo password."""
    account = User(email=f"{email}@{DOMAIN}", name=name, **extra)
    account.set_password(DEMO_PASSWORD)
    db.session.add(account)
    return account


def load_demo() -> list[tuple[str, str]]:
    """Create the demo and return (role, e-mail) pairs to print."""
    body = Organisation(name="Dinas Komunikasi dan Informatika Kota Bandung", code="IKP")
    db.session.add(body)
    now = utcnow()
    competition = Competition(
        organisation=body,
        name="IKP Fest",
        year=now.year,
        code=f"IKP-{now.year}",
        phase="judging",
        submission_deadline=now - timedelta(days=3),
        judging_starts=now - timedelta(days=2),
        judging_ends=now + timedelta(days=14),
    )
    db.session.add(competition)
    organizer = user("penyelenggara", "Sari Wulandari (Diskominfo)")
    admin = user("admin", "Administrator Juara", is_admin=True)
    db.session.flush()
    db.session.add(RoleGrant(user=organizer, role="organizer", organisation_id=body.id))
    jurors = [user(key, name) for key, name in JURORS]
    logins = [("admin", admin.email), ("organizer", organizer.email)]
    logins += [("juror", j.email) for j in jurors]
    for name, code, method_key, level, entrants in CATEGORIES:
        category = create_category(
            competition, name=name, code=code, method_key=method_key, level=level
        )
        db.session.flush()
        for number, (entrant_code, entrant_name, region, values) in enumerate(entrants, 1):
            entrant = Entrant(
                organisation=body, code=entrant_code, name=entrant_name, level=level, region=region
            )
            entry = Entry(
                category_id=category.id, entrant=entrant, code=f"{code}-{number:03d}",
                status="submitted", submitted_at=now - timedelta(days=4),
                description=f"Entri {entrant_name} untuk {name}.",
            )
            db.session.add(entry)
            db.session.flush()
            for key, value in values.items():
                db.session.add(
                    IndicatorValue(entry_id=entry.id, indicator_key=key, value=Decimal(str(value)))
                )
            if number <= EVIDENCE_ENTRIES:
                db.session.add_all(attach_demo_evidence(entry, organizer, number))
            if number == 1:
                participant = user(entrant_code.lower(), f"Admin {entrant_name}")
                db.session.flush()
                db.session.add(
                    RoleGrant(user=participant, role="participant", entrant_id=entrant.id)
                )
                logins.append(("participant", participant.email))
        for juror in jurors:
            db.session.add(Assignment(juror=juror, category_id=category.id))
    for juror in jurors:
        db.session.add(RoleGrant(user=juror, role="juror", competition_id=competition.id))
    db.session.flush()
    score_for_demo(competition, jurors[1:])
    from judging.demo_saq import load_kip_demo

    logins += load_kip_demo(body, user)
    db.session.commit()
    return logins


def score_for_demo(competition: Competition, jurors: list[User]) -> None:
    """Two jurors have already submitted their sheets, through the same rules as the web form;
    the first juror still has everything to do."""
    from judging.marking.marks import MarkInput, SheetInput, save_sheet

    for number, juror in enumerate(jurors):
        for category in competition.categories:
            entries = db.session.scalars(
                select(Entry).where(Entry.category_id == category.id).order_by(Entry.id)
            )
            for entry in entries:
                marks = {
                    criterion.id: MarkInput(value=demo_mark(criterion, entry.id, number))
                    for criterion in category.criteria
                }
                save_sheet(juror, entry, SheetInput(marks=marks, action="submit"), actor=juror)


def demo_mark(criterion, entry_id: int, juror_number: int) -> Decimal:
    """A plausible, repeatable mark between 60 % and 95 % of the criterion's maximum."""
    share = 60 + (entry_id * 7 + criterion.position * 5 + juror_number * 11) % 36
    return (Decimal(criterion.max_mark) * share / 100).quantize(Decimal("1"))

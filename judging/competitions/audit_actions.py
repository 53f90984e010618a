"""Every audited action and stored key in words, Bahasa Indonesia first, English second.

The audit log stores English keys (``category.updated``, ``weights``); readers see these
sentences. A test reads every ``record(...)`` call in ``judging/`` and fails on an action
missing here, so a new action cannot reach the log as a raw key.
"""

from __future__ import annotations

from typing import NamedTuple


class Action(NamedTuple):
    """A short name for the filter menu and a sentence with ``{actor}`` and ``{object}``."""

    name_id: str
    name_en: str
    sentence_id: str
    sentence_en: str


def _a(name_id: str, name_en: str, sentence_id: str, sentence_en: str) -> Action:
    return Action(name_id, name_en, sentence_id, sentence_en)


ACTIONS: dict[str, Action] = {
    "competition.created": _a(
        "Lomba dibuat", "Competition created",
        "{actor} membuat lomba {object}.",
        "{actor} created competition {object}."),
    "competition.updated": _a(
        "Pengaturan lomba diubah", "Competition settings changed",
        "{actor} mengubah pengaturan lomba {object}.",
        "{actor} changed the settings of competition {object}."),
    "competition.copied": _a(
        "Lomba disalin ke tahun baru", "Competition copied to a new year",
        "{actor} menyalin lomba ke tahun baru sebagai {object}.",
        "{actor} copied the competition to a new year as {object}."),
    "competition.phase": _a(
        "Tahap lomba diubah", "Competition phase changed",
        "{actor} memindahkan lomba {object} ke tahap berikutnya.",
        "{actor} moved competition {object} to another phase."),
    "competition.phase_override": _a(
        "Tahap diubah meski ada kekurangan", "Phase changed despite gaps",
        "{actor} memindahkan lomba {object} ke tahap lain meski data belum lengkap.",
        "{actor} moved competition {object} to another phase despite missing data."),
    "category.created": _a(
        "Kategori dibuat", "Category created",
        "{actor} membuat kategori {object}.",
        "{actor} created category {object}."),
    "category.updated": _a(
        "Pengaturan kategori diubah", "Category settings changed",
        "{actor} mengubah pengaturan kategori {object}.",
        "{actor} changed the settings of category {object}."),
    "category.rubric": _a(
        "Rubrik diubah", "Rubric changed",
        "{actor} mengubah rubrik kategori {object}.",
        "{actor} changed the rubric of category {object}."),
    "entrant.created": _a(
        "Peserta ditambahkan", "Entrant added",
        "{actor} menambahkan peserta {object}.",
        "{actor} added entrant {object}."),
    "entrant.updated": _a(
        "Data peserta diubah", "Entrant changed",
        "{actor} mengubah data peserta {object}.",
        "{actor} changed entrant {object}."),
    "entrant.imported": _a(
        "Daftar peserta diimpor", "Entrant list imported",
        "{actor} mengimpor daftar peserta.",
        "{actor} imported the entrant list."),
    "entry.enrolled": _a(
        "Peserta didaftarkan ke kategori", "Entrants enrolled",
        "{actor} mendaftarkan peserta ke kategori {object}.",
        "{actor} enrolled entrants in category {object}."),
    "entry.nominated": _a(
        "Peserta dinominasikan", "Entrants nominated",
        "{actor} menominasikan peserta di kategori {object}.",
        "{actor} nominated entrants in category {object}."),
    "entry.updated": _a(
        "Isian entri diubah", "Entry details changed",
        "{actor} mengubah isian entri {object}.",
        "{actor} changed the details of entry {object}."),
    "entry.submitted": _a(
        "Entri dikirim", "Entry submitted",
        "{actor} mengirim entri {object}.",
        "{actor} submitted entry {object}."),
    "entry.resubmitted": _a(
        "Entri dikirim ulang", "Entry submitted again",
        "{actor} mengirim ulang entri {object}.",
        "{actor} submitted entry {object} again."),
    "entry.withdrawn": _a(
        "Entri ditarik", "Entry withdrawn",
        "{actor} menarik entri {object}.",
        "{actor} withdrew entry {object}."),
    "evidence.added": _a(
        "Bukti diunggah", "Evidence added",
        "{actor} menambahkan bukti pada entri {object}.",
        "{actor} added evidence to entry {object}."),
    "evidence.removed": _a(
        "Bukti dihapus", "Evidence removed",
        "{actor} menghapus bukti dari entri {object}.",
        "{actor} removed evidence from entry {object}."),
    "juror.added": _a(
        "Juri ditambahkan", "Juror added",
        "{actor} menambahkan {object} sebagai juri.",
        "{actor} added {object} as a juror."),
    "assignment.added": _a(
        "Juri ditugaskan", "Juror assigned",
        "{actor} menugaskan juri di kategori {object}.",
        "{actor} assigned a juror to category {object}."),
    "assignment.removed": _a(
        "Tugas juri dicabut", "Juror unassigned",
        "{actor} mencabut tugas juri di kategori {object}.",
        "{actor} removed a juror from category {object}."),
    "assignment.entries": _a(
        "Entri juri dipilih", "Juror's entries chosen",
        "{actor} memilih entri yang dinilai juri di kategori {object}.",
        "{actor} chose which entries a juror judges in category {object}."),
    "assignment.automatic": _a(
        "Pembagian juri otomatis", "Jurors assigned automatically",
        "{actor} membagi juri secara otomatis di kategori {object}.",
        "{actor} assigned jurors automatically in category {object}."),
    "assignment.replacement": _a(
        "Juri pengganti", "Replacement juror",
        "{actor} menunjuk juri pengganti untuk entri {object}.",
        "{actor} named a replacement juror for entry {object}."),
    "conflict.declared": _a(
        "Konflik kepentingan dinyatakan", "Conflict declared",
        "{actor} menyatakan konflik kepentingan atas entri {object}.",
        "{actor} declared a conflict of interest with entry {object}."),
    "conflict.recorded": _a(
        "Konflik kepentingan dicatat", "Conflict recorded",
        "{actor} mencatat konflik kepentingan juri atas entri {object}.",
        "{actor} recorded a juror's conflict of interest with entry {object}."),
    "mark.changed": _a(
        "Nilai diubah", "Mark changed",
        "{actor} mengubah nilai {object}.",
        "{actor} changed the mark {object}."),
    "mark.submitted": _a(
        "Nilai dikirim", "Mark submitted",
        "{actor} mengirim nilai {object}.",
        "{actor} submitted the mark {object}."),
    "scoresheet.submitted": _a(
        "Lembar penilaian dikirim ulang", "Score sheet submitted again",
        "{actor} mengirim ulang lembar penilaian {object}.",
        "{actor} submitted score sheet {object} again."),
    "scoresheet.withdrawn": _a(
        "Lembar penilaian ditarik", "Score sheet withdrawn",
        "{actor} menarik lembar penilaian {object} untuk diubah.",
        "{actor} withdrew score sheet {object} to change it."),
    "scoresheet.revisit_requested": _a(
        "Peninjauan ulang diminta", "Revisit requested",
        "{actor} meminta juri meninjau ulang lembar penilaian {object}.",
        "{actor} asked the juror to revisit score sheet {object}."),
    "scoresheet.revisited": _a(
        "Lembar penilaian ditinjau ulang", "Score sheet revisited",
        "{actor} meninjau ulang lembar penilaian {object}.",
        "{actor} revisited score sheet {object}."),
    "moderation.note": _a(
        "Catatan moderasi", "Moderation note",
        "{actor} menulis catatan moderasi untuk {object}.",
        "{actor} wrote a moderation note on {object}."),
    "workbook.applied": _a(
        "Lembar kerja juri diunggah", "Juror workbook uploaded",
        "{actor} mengunggah lembar kerja penilaian juri {object}.",
        "{actor} uploaded the scoring workbook of juror {object}."),
    "monev.commit": _a(
        "Data monev disimpan", "Monev data saved",
        "{actor} menyimpan impor data monev {object}.",
        "{actor} saved monev import {object}."),
    "monev.discard": _a(
        "Impor monev dibuang", "Monev import discarded",
        "{actor} membuang impor data monev {object}.",
        "{actor} discarded monev import {object}."),
    "monev.rollback": _a(
        "Impor monev dibatalkan", "Monev import rolled back",
        "{actor} membatalkan impor data monev {object}.",
        "{actor} rolled back monev import {object}."),
    "results.frozen": _a(
        "Peringkat dibekukan", "Ranking frozen",
        "{actor} membekukan peringkat kategori {object}.",
        "{actor} froze the ranking of category {object}."),
    "results.discarded": _a(
        "Peringkat beku dibuang", "Frozen ranking discarded",
        "{actor} membuang peringkat beku kategori {object}.",
        "{actor} discarded the frozen ranking of category {object}."),
    "special_award.added": _a(
        "Penghargaan khusus diberikan", "Special award given",
        "{actor} memberikan penghargaan khusus {object}.",
        "{actor} gave the special award {object}."),
    "special_award.removed": _a(
        "Penghargaan khusus dicabut", "Special award removed",
        "{actor} mencabut penghargaan khusus {object}.",
        "{actor} removed the special award {object}."),
    "certificates.design": _a(
        "Desain sertifikat diubah", "Certificate design changed",
        "{actor} mengubah desain sertifikat lomba {object}.",
        "{actor} changed the certificate design of {object}."),
    "certificates.generate": _a(
        "Sertifikat diterbitkan", "Certificates issued",
        "{actor} menerbitkan sertifikat lomba {object}.",
        "{actor} issued the certificates of {object}."),
    "certificate.revoke": _a(
        "Sertifikat dicabut", "Certificate revoked",
        "{actor} mencabut sertifikat {object}.",
        "{actor} revoked certificate {object}."),
    "certificate.reissue": _a(
        "Sertifikat diterbitkan ulang", "Certificate reissued",
        "{actor} menerbitkan ulang sertifikat sebagai {object}.",
        "{actor} reissued a certificate as {object}."),
    "invitation.created": _a(
        "Undangan dibuat", "Invitation created",
        "{actor} membuat tautan undangan untuk {object}.",
        "{actor} created an invitation link for {object}."),
    "invitation.accepted": _a(
        "Undangan diterima", "Invitation accepted",
        "{actor} menerima undangan dan memasang kata sandi.",
        "{actor} accepted the invitation and set a password."),
    "account.notice_pending": _a(
        "Pemberitahuan peran tertunda", "Role notice pending",
        "{actor} memberi peran kepada {object}; akun ini tidak menerima tautan baru.",
        "{actor} gave {object} a role; the account gets no new link."),
    "participant.granted": _a(
        "Akun peserta ditambahkan", "Participant account added",
        "{actor} memberi akses peserta untuk {object}.",
        "{actor} gave participant access for {object}."),
    "password.changed": _a(
        "Kata sandi diganti", "Password changed",
        "{actor} mengganti kata sandinya.",
        "{actor} changed their password."),
    "mail.reminders": _a(
        "Pengingat e-mail diatur", "Mail reminders set",
        "{actor} mengubah pilihan pengingat e-mail.",
        "{actor} changed their mail reminders."),
    "user.disabled": _a(
        "Akun dinonaktifkan", "Account disabled",
        "{actor} menonaktifkan akun {object}.",
        "{actor} disabled the account of {object}."),
    "user.enabled": _a(
        "Akun diaktifkan", "Account enabled",
        "{actor} mengaktifkan kembali akun {object}.",
        "{actor} enabled the account of {object}."),
    "saq.questionnaire_imported": _a(
        "Kuesioner SAQ diimpor", "SAQ questionnaire imported",
        "{actor} mengimpor kuesioner SAQ {object}.",
        "{actor} imported SAQ questionnaire {object}."),
    "saq.questionnaire_locked": _a(
        "Kuesioner SAQ dikunci", "SAQ questionnaire locked",
        "{actor} mengunci kuesioner SAQ {object}.",
        "{actor} locked SAQ questionnaire {object}."),
    "saq.settings_changed": _a(
        "Pengaturan SAQ diubah", "SAQ settings changed",
        "{actor} mengubah pengaturan kuesioner SAQ {object}.",
        "{actor} changed the settings of SAQ questionnaire {object}."),
    "saq.deadline_extended": _a(
        "Batas SAQ diperpanjang", "SAQ deadline extended",
        "{actor} memperpanjang batas pengisian SAQ {object}.",
        "{actor} extended the SAQ deadline of {object}."),
    "saq.submitted": _a(
        "SAQ dikirim", "SAQ submitted",
        "{actor} mengirim SAQ {object}.",
        "{actor} submitted SAQ {object}."),
    "saq.verified": _a(
        "Jawaban SAQ diverifikasi", "SAQ answer verified",
        "{actor} memverifikasi jawaban SAQ {object}.",
        "{actor} verified SAQ answer {object}."),
    "saq.verifier_assigned": _a(
        "Verifikator ditugaskan", "Verifier assigned",
        "{actor} menugaskan verifikator di kategori {object}.",
        "{actor} assigned a verifier to category {object}."),
    "saq.objections_opened": _a(
        "Masa sanggah dibuka", "Masa sanggah opened",
        "{actor} membuka masa sanggah kuesioner {object}.",
        "{actor} opened masa sanggah for questionnaire {object}."),
    "saq.objections_closed": _a(
        "Masa sanggah ditutup", "Masa sanggah closed",
        "{actor} menutup masa sanggah kuesioner {object}.",
        "{actor} closed masa sanggah for questionnaire {object}."),
    "saq.objection_filed": _a(
        "Sanggahan diajukan", "Objection filed",
        "{actor} mengajukan sanggahan {object}.",
        "{actor} filed objection {object}."),
    "saq.objection_resolved": _a(
        "Sanggahan diputus", "Objection decided",
        "{actor} memutus sanggahan {object}.",
        "{actor} decided objection {object}."),
}

# Any action added later and not yet named here still reads as a sentence.
UNKNOWN = _a(
    "Perubahan lain", "Other change", "{actor} mengubah {object}.", "{actor} changed {object}."
)

# Objects by kind, shown before their name or number.
OBJECT_KINDS: dict[str, tuple[str, str]] = {
    "competition": ("lomba", "competition"), "category": ("kategori", "category"),
    "entry": ("entri", "entry"), "entrant": ("peserta", "entrant"), "user": ("akun", "account"),
    "mark": ("nilai", "mark"), "scoresheet": ("lembar penilaian", "score sheet"),
    "moderation_note": ("catatan", "note"), "import_batch": ("impor", "import"),
    "certificate": ("sertifikat", "certificate"), "special_award": ("penghargaan", "award"),
    "organisation": ("badan", "body"), "saq_questionnaire": ("kuesioner", "questionnaire"),
    "saq_response": ("SAQ", "SAQ"), "saq_answer": ("jawaban", "answer"),
    "saq_objection": ("sanggahan", "objection"),
}

# Stored keys of before/after snapshots; keys not named here are shown humanised.
KEYS: dict[str, tuple[str, str]] = {
    "name": ("Nama", "Name"), "code": ("Kode", "Code"), "year": ("Tahun", "Year"),
    "level": ("Tingkat", "Level"), "region": ("Wilayah", "Region"),
    "places": ("Jumlah juara", "Places awarded"),
    "aggregation": ("Agregasi nilai juri", "Jury aggregation"),
    "normalise": ("Normalisasi per juri", "Per-juror normalisation"),
    "blind": ("Penjurian buta", "Blind judging"),
    "share_comments": ("Komentar juri untuk peserta", "Jurors' comments to participants"),
    "required_marks": ("Penilaian juri minimum per entri", "Minimum jury marks per entry"),
    "disagreement_threshold": ("Ambang selisih nilai antar juri", "Juror disagreement threshold"),
    "weights": ("Bobot", "Weight"), "thresholds": ("Ambang", "Threshold"),
    "description": ("Keterangan", "Description"), "criteria": ("Kriteria", "Criterion"),
    "timezone": ("Zona waktu", "Time zone"),
    "submission_deadline": ("Batas pengiriman", "Submission deadline"),
    "grace_minutes": ("Kelonggaran (menit)", "Grace (minutes)"),
    "judging_starts": ("Penjurian mulai", "Judging starts"),
    "judging_ends": ("Penjurian selesai", "Judging ends"),
    "award_labels": ("Sebutan juara", "Award labels"),
    "show_rank_rise": ("Tanda naik peringkat", "Rank-rise mark"),
    "source_id": ("Disalin dari", "Copied from"), "phase": ("Tahap", "Phase"),
    "reason": ("Alasan", "Reason"), "at": ("Waktu", "Time"), "gaps": ("Kekurangan", "Gaps"),
    "status": ("Status", "Status"), "submitted_at": ("Dikirim pada", "Submitted at"),
    "juror_id": ("Juri", "Juror"), "entry_id": ("Entri", "Entry"), "user_id": ("Akun", "Account"),
    "category_id": ("Kategori", "Category"), "criterion_id": ("Kriteria", "Criterion"),
    "replaces": ("Menggantikan juri", "Replaces juror"), "conflict_id": ("Konflik", "Conflict"),
    "value": ("Nilai", "Mark"), "comment": ("Komentar", "Comment"), "note": ("Catatan", "Note"),
    "revisit_note": ("Catatan peninjauan", "Revisit note"), "text": ("Catatan", "Note"),
    "email": ("E-mail", "E-mail"), "entries": ("Entri", "Entries"),
    "k": ("Juri per entri", "Jurors per entry"), "pool": ("Juri yang dibagi", "Jurors shared out"),
    "loads": ("Beban juri", "Jurors' loads"),
    "assignment_removed": ("Tugas juri dicabut", "Juror unassigned"),
    "entry_assignment_rows": ("Penugasan entri dihapus", "Entry assignments removed"),
    "sheets": ("Lembar", "Sheets"),
    "submit_complete": ("Kirim yang lengkap", "Submit complete sheets"),
    "submitted": ("Dikirim", "Submitted"), "drafts": ("Draf", "Drafts"),
    "reminders_off": ("Pengingat dimatikan", "Reminders off"), "created": ("Baru", "New"),
    "updated": ("Diubah", "Changed"), "unchanged": ("Tetap", "Unchanged"),
    "examples_skipped": ("Baris contoh dilewati", "Example rows skipped"),
    "new": ("Kode baru", "New codes"), "changed": ("Perubahan", "Changes"),
    "nominated": ("Nominasi", "Nominated"), "values": ("Nilai monev", "Monev values"),
    "rows_valid": ("Baris sah", "Valid rows"), "rows_rejected": ("Baris ditolak", "Rejected rows"),
    "skip_invalid": ("Lewati baris salah", "Skip bad rows"), "awarded": ("Juara", "Winners"),
    "totals": ("Nilai akhir", "Totals"), "entry_code": ("Kode entri", "Entry code"),
    "label": ("Sebutan", "Label"), "fields": ("Isian", "Answers"),
    "social_links": ("Akun media sosial", "Social media accounts"), "kind": ("Jenis", "Kind"),
    "url": ("Tautan", "Link"), "size": ("Ukuran", "Size"),
    "requirement": ("Syarat bukti", "Evidence requirement"), "issued": ("Diterbitkan", "Issued"),
    "participation": ("Sertifikat peserta", "Participation certificates"),
    "serial": ("Nomor seri", "Serial"), "revoked_at": ("Dicabut pada", "Revoked at"),
    "replaces_id": ("Menggantikan", "Replaces"), "deadline": ("Batas waktu", "Deadline"),
    "decision": ("Keputusan", "Decision"), "score": ("Skor", "Score"),
    "version": ("Versi", "Version"), "questions": ("Pertanyaan", "Questions"),
    "evidence_max_bytes": ("Ukuran bukti maksimum", "Largest evidence file"),
    "closes_at": ("Ditutup pada", "Closes at"), "question": ("Pertanyaan", "Question"),
    "resolution": ("Keputusan", "Decision"), "purpose": ("Untuk", "For"),
    "days": ("Berlaku (hari)", "Valid (days)"), "role": ("Peran", "Role"),
    "organisation_id": ("Badan", "Body"), "disabled": ("Nonaktif", "Disabled"),
    "rank": ("Peringkat", "Rank"), "total": ("Nilai akhir", "Total"),
    "award": ("Penghargaan", "Award"), "changes": ("Yang berubah", "What changed"),
    "max": ("Nilai maks.", "Max. mark"), "weight": ("Bobot", "Weight"),
    "signatories": ("Penanda tangan", "Signatories"), "place": ("Tempat", "Place"),
    "date_text": ("Tanggal", "Date"), "organiser_name": ("Penyelenggara", "Organiser"),
    "logo": ("Logo", "Logo"), "layout": ("Tata letak", "Layout"),
    "primary_colour": ("Warna utama", "Main colour"),
    "accent_colour": ("Warna aksen", "Accent colour"),
    "use_body_logo": ("Logo badan", "Body's logo"), "position": ("Jabatan", "Position"),
    "image": ("Tanda tangan", "Signature"),
}

# Kept for traceability but meaningless to a reader (hashes, storage keys, row ids).
HIDDEN = frozenset({"sha256", "file_sha256", "id", "key"})

# Keys whose stored value is one of a label kind of ``i18n.KINDS``.
LABELLED = {"phase": "phase", "level": "level", "aggregation": "aggregation",
            "decision": "saq_decision", "award": "award"}
# The status key's label kind by object.
STATUS_KINDS = {"entry": "entry_status", "scoresheet": "sheet_status",
                "saq_objection": "objection_status"}
# Keys naming another object by id, and the kind of object they name.
REFERENCES = {"juror_id": "user", "user_id": "user", "replaces": "user", "entry_id": "entry",
              "category_id": "category", "criterion_id": "criterion", "source_id": "competition",
              "organisation_id": "organisation", "replaces_id": "certificate", "pool": "user"}
# Maps keyed by the id of an object (juror id → entries given, entry id → total).
KEYED_BY = {"loads": "user", "totals": "entry"}
# Final scores, shown with two decimals like every score ("90,50").
SCORES = frozenset({"total", "totals"})
# Keys holding a moment (ISO text), shown in the competition's time zone.
MOMENTS = frozenset({"submission_deadline", "judging_starts", "judging_ends", "submitted_at",
                     "revoked_at", "deadline", "closes_at", "at"})

# Coded values of a few keys: ``purpose``, ``role``, evidence ``kind``, a missing link's ``reason``.
WORDED_KEYS = frozenset({"purpose", "role", "kind", "reason"})
WORDS: dict[str, tuple[str, str]] = {
    "juror": ("juri", "juror"), "participant": ("peserta", "participant"),
    "organizer": ("penyelenggara", "organizer"), "verifier": ("verifikator", "verifier"),
    "file": ("berkas", "file"), "link": ("tautan", "link"),
    "has_password": ("akun sudah memiliki kata sandi", "the account already has a password"),
    "other_body": ("akun milik badan lain", "the account belongs to another body"),
}

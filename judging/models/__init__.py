"""SQLAlchemy models, one module per aggregate; imported here so metadata is complete."""

from judging.models.audit import AuditEvent
from judging.models.competition import Category, Competition, Criterion
from judging.models.entrant import Entrant, Entry, Evidence
from judging.models.job import Job
from judging.models.jury import Assignment, ConflictDeclaration, Mark, ModerationNote, Scoresheet
from judging.models.mail import Message
from judging.models.monev import ImportBatch, ImportBatchPage, IndicatorChange, IndicatorValue
from judging.models.organisation import Organisation
from judging.models.results import Certificate, Result, SpecialAward
from judging.models.saq import (
    Answer,
    Objection,
    Question,
    QuestionGroup,
    Questionnaire,
    SaqResponse,
    Verification,
)
from judging.models.user import Invitation, RoleGrant, User, UserSession

__all__ = [
    "Answer",
    "Objection",
    "Question",
    "QuestionGroup",
    "Questionnaire",
    "SaqResponse",
    "Verification",
    "Assignment",
    "AuditEvent",
    "Category",
    "Certificate",
    "Competition",
    "ConflictDeclaration",
    "Criterion",
    "Entrant",
    "Entry",
    "Evidence",
    "ImportBatch",
    "ImportBatchPage",
    "IndicatorChange",
    "IndicatorValue",
    "Invitation",
    "Job",
    "Mark",
    "Message",
    "ModerationNote",
    "Organisation",
    "Result",
    "RoleGrant",
    "Scoresheet",
    "SpecialAward",
    "User",
    "UserSession",
]

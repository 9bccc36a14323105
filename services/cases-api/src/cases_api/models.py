"""Every ORM model, imported in one place so metadata (and Alembic) sees all tables."""

from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    ClockExceptionRecord,
    DisputeEvent,
    RequestCorrection,
    RequestTransition,
)
from cases_api.audit.models import AuditEvent
from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian
from cases_api.core.db import Base
from cases_api.idempotency.models import IdempotencyKey
from cases_api.la_transfers.models import CommissioningChange, LaTransfer
from cases_api.placements.models import Placement
from cases_api.plans.models import FamilySubmission, Plan, PlanVersion
from cases_api.privacy.models import DisposalTombstone, LegalHold, SubjectAccessExport
from cases_api.provisions.models import Establishment, Provision, ProvisionNeed
from cases_api.reassessments.models import ReassessmentRequest
from cases_api.reviews.models import AnnualReview, ScheduledReviewMeeting
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    RoundChild,
    RoundDecision,
    RoundProposal,
)
from cases_api.tribunal_orders.models import TribunalOrder, TribunalOrderStep

__all__ = [
    "AdviceRequestRecord",
    "AllocationRound",
    "AnnualReview",
    "AssessmentRequest",
    "AuditEvent",
    "Base",
    "Child",
    "ChildGuardian",
    "ChildNeed",
    "ClockExceptionRecord",
    "CommissioningChange",
    "Consultation",
    "DisposalTombstone",
    "DisputeEvent",
    "Establishment",
    "FamilySubmission",
    "Guardian",
    "IdempotencyKey",
    "LaTransfer",
    "LegalHold",
    "Placement",
    "Plan",
    "PlanVersion",
    "Provision",
    "ProvisionNeed",
    "ReassessmentRequest",
    "RequestCorrection",
    "RequestTransition",
    "RoundChild",
    "RoundDecision",
    "RoundProposal",
    "ScheduledReviewMeeting",
    "SubjectAccessExport",
    "TribunalOrder",
    "TribunalOrderStep",
]

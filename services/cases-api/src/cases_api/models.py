"""Every ORM model, imported in one place so metadata (and Alembic) sees all tables."""

from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    ClockExceptionRecord,
    DisputeEvent,
    RequestTransition,
)
from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian
from cases_api.core.db import Base
from cases_api.provisions.models import Establishment, Provision, ProvisionNeed

__all__ = [
    "AdviceRequestRecord",
    "AssessmentRequest",
    "Base",
    "Child",
    "ChildGuardian",
    "ChildNeed",
    "ClockExceptionRecord",
    "DisputeEvent",
    "Establishment",
    "Guardian",
    "Provision",
    "ProvisionNeed",
    "RequestTransition",
]

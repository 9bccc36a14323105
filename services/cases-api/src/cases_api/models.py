"""Every ORM model, imported in one place so metadata (and Alembic) sees all tables."""

from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian
from cases_api.core.db import Base
from cases_api.provisions.models import Establishment, Provision, ProvisionNeed

__all__ = [
    "Base",
    "Child",
    "ChildGuardian",
    "ChildNeed",
    "Establishment",
    "Guardian",
    "Provision",
    "ProvisionNeed",
]

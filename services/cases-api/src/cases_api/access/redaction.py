"""Field visibility per role: what a caller sees of a record it may see.

Schools see a child's education record and contact with the family, not the family's details:
no ethnicity, home postcode or home location, and no social care sections of plans (D, H1, H2).
Service clients see the social care sections only with `social_care:read`, and home postcodes and
locations only with `locations:read` (a finance system has neither).
"""

from cases_api.access.scope import Scope
from cases_api.auth.principal import Role
from cases_api.auth.scopes import LOCATIONS_READ, SOCIAL_CARE_READ
from cases_api.children.schemas import ChildRead
from cases_api.plans.schemas import PlanDiffRead, PlanVersionRead

SCHOOL_HIDDEN_CHILD_FIELDS = ("ethnicity", "home_postcode", "home_location")
SCHOOL_HIDDEN_SECTIONS = ("d", "h1", "h2")


def _hides_family_details(scope: Scope) -> bool:
    return scope.role is Role.SCHOOL


def redact_child(child: ChildRead, scope: Scope) -> ChildRead:
    """The child as this caller may see it."""
    child = _child_for_service_client(child, scope)
    if not _hides_family_details(scope):
        return child
    return child.model_copy(update=dict.fromkeys(SCHOOL_HIDDEN_CHILD_FIELDS))


def redact_version(version: PlanVersionRead, scope: Scope) -> PlanVersionRead:
    """The plan version as this caller may see it (withheld sections come back empty)."""
    version = _version_for_service_client(version, scope)
    if not _hides_family_details(scope):
        return version
    sections = version.sections.model_copy(update={name: [] for name in SCHOOL_HIDDEN_SECTIONS})
    withheld = [name.upper() for name in SCHOOL_HIDDEN_SECTIONS]
    return version.model_copy(update={"sections": sections, "withheld_sections": withheld})


def redact_diff(diff: PlanDiffRead, scope: Scope) -> PlanDiffRead:
    """The diff without the sections this caller may not see."""
    diff = _diff_for_service_client(diff, scope)
    if not _hides_family_details(scope):
        return diff
    hidden = {name.upper() for name in SCHOOL_HIDDEN_SECTIONS}
    kept = [section for section in diff.sections if section.section.upper() not in hidden]
    count = sum(len(section.changes) for section in kept)
    return diff.model_copy(update={"sections": kept, "change_count": count})


# --- service clients: fields their scopes do not open ---------------------------------------

SERVICE_LOCATION_FIELDS = ("home_postcode", "home_location")
SOCIAL_CARE_SECTIONS = ("d", "h1", "h2")


def _lacks(scope: Scope, needed: str) -> bool:
    return scope.role is Role.SERVICE and needed not in scope.principal.scopes


def _child_for_service_client(child: ChildRead, scope: Scope) -> ChildRead:
    if not _lacks(scope, LOCATIONS_READ):
        return child
    return child.model_copy(update=dict.fromkeys(SERVICE_LOCATION_FIELDS))


def _version_for_service_client(version: PlanVersionRead, scope: Scope) -> PlanVersionRead:
    if not _lacks(scope, SOCIAL_CARE_READ):
        return version
    sections = version.sections.model_copy(update={name: [] for name in SOCIAL_CARE_SECTIONS})
    withheld = [name.upper() for name in SOCIAL_CARE_SECTIONS]
    return version.model_copy(update={"sections": sections, "withheld_sections": withheld})


def _diff_for_service_client(diff: PlanDiffRead, scope: Scope) -> PlanDiffRead:
    if not _lacks(scope, SOCIAL_CARE_READ):
        return diff
    hidden = {name.upper() for name in SOCIAL_CARE_SECTIONS}
    kept = [section for section in diff.sections if section.section.upper() not in hidden]
    count = sum(len(section.changes) for section in kept)
    return diff.model_copy(update={"sections": kept, "change_count": count})

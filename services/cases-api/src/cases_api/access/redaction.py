"""Field visibility per role: what a caller sees of a record it may see.

Schools see what teaching the child needs: the child (not ethnicity, home postcode or home
location), plan sections A, B, C, E, F and I, their own placements with their cost, guardians'
names and contact details. Not: plan sections D, G, H1, H2, J, K (social care, health provision,
personal budget, advice), other placements' cost, mediation and tribunal records, identity
provider ids, unverified claimants, who verified a link.

Parents see their own guardian account in full; of the other guardians of their child, only
the verified ones, and only their names and relationship to the child.

A record flagged `do_not_disclose` (a court order, a risk of harm) keeps its contact details
(a guardian's email and phone; a child's home postcode and home location) from everyone but
the LA's officers, who see the details and the flag.

Service clients see the social care sections only with `social_care:read`, and home postcodes and
locations only with `locations:read` (a finance system has neither).
"""

from cases_api.access.scope import Scope
from cases_api.auth.principal import Role
from cases_api.auth.scopes import LOCATIONS_READ, SOCIAL_CARE_READ
from cases_api.children.schemas import ChildRead, GuardianLinkRead, GuardianRead
from cases_api.placements.schemas import PlacementRead
from cases_api.plans.family_schemas import FamilySubmissionRead
from cases_api.plans.schemas import PlanDiffRead, PlanVersionRead
from cases_api.rounds.schemas import ProposalExchange

SCHOOL_HIDDEN_CHILD_FIELDS = ("ethnicity", "home_postcode", "home_location")
CHILD_CONTACT_FIELDS = ("home_postcode", "home_location")
GUARDIAN_CONTACT_FIELDS = ("email", "phone")
# Sections A–F and I are what teaching the child needs; D (social care needs) stays withheld
# as before (social care records are not the school's), and the rest is not teaching's.
SCHOOL_HIDDEN_SECTIONS = ("d", "g", "h1", "h2", "j", "k")


def _hides_family_details(scope: Scope) -> bool:
    return scope.role is Role.SCHOOL


def _sees_flags(scope: Scope) -> bool:
    """Only the LA's officers see do-not-disclose flags and the details they protect."""
    return scope.role is Role.OFFICER


# --- children ------------------------------------------------------------------------------


def redact_child(child: ChildRead, scope: Scope) -> ChildRead:
    """The child as this caller may see it."""
    child = _child_for_service_client(child, scope)
    if _sees_flags(scope):
        return child
    hidden: dict[str, object] = {"do_not_disclose": None}
    if child.do_not_disclose:
        hidden |= dict.fromkeys(CHILD_CONTACT_FIELDS)
    if _hides_family_details(scope):
        hidden |= dict.fromkeys(SCHOOL_HIDDEN_CHILD_FIELDS)
    return child.model_copy(update=hidden)


# --- guardians -----------------------------------------------------------------------------


def _is_own_account(guardian: GuardianRead, scope: Scope) -> bool:
    own = scope.principal.guardian_external_id
    return scope.role is Role.PARENT and own is not None and guardian.external_id == own


def redact_guardian(guardian: GuardianRead, scope: Scope) -> GuardianRead:
    """A guardian account as this caller may see it (a parent sees only its own, in full)."""
    if _sees_flags(scope):
        return guardian
    if _is_own_account(guardian, scope):
        return guardian.model_copy(update={"do_not_disclose": None})
    hidden: dict[str, object] = {"do_not_disclose": None, "external_id": None}
    if guardian.do_not_disclose or scope.role is Role.PARENT:
        hidden |= dict.fromkeys(GUARDIAN_CONTACT_FIELDS)
    return guardian.model_copy(update=hidden)


def redact_guardian_links(links: list[GuardianLinkRead], scope: Scope) -> list[GuardianLinkRead]:
    """A child's guardians as this caller may see them: officers all; a parent its own link
    and the other verified guardians' names; schools and clients the verified guardians."""
    if _sees_flags(scope):
        return links
    return [
        _redact_link(link, scope)
        for link in links
        if link.verified or _is_own_account(link.guardian, scope)
    ]


def _redact_link(link: GuardianLinkRead, scope: Scope) -> GuardianLinkRead:
    hidden: dict[str, object] = {"guardian": redact_guardian(link.guardian, scope)}
    hidden["verified_by"] = None  # an officer's identity is the LA's business
    if not _is_own_account(link.guardian, scope):
        hidden["verified_at"] = None
    return link.model_copy(update=hidden)


# --- placements ----------------------------------------------------------------------------


def redact_placement(
    placement: PlacementRead, scope: Scope, *, establishment_urn: int | None
) -> PlacementRead:
    """A school sees the cost of its own placements (it is party to them: the top-up it is
    paid), not what the LA pays another setting."""
    if not _hides_family_details(scope):
        return placement
    if establishment_urn is not None and establishment_urn in scope.principal.school_urns:
        return placement
    return placement.model_copy(update={"annual_cost_pence": None})


# --- plans ---------------------------------------------------------------------------------


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


def redact_submission(submission: FamilySubmissionRead, scope: Scope) -> FamilySubmissionRead:
    """A family submission; to a parent, another guardian's identity-provider subject is null."""
    if scope.role is not Role.PARENT or submission.submitted_by == scope.principal.subject:
        return submission
    return submission.model_copy(update={"submitted_by": None})


# --- matching exchanges ----------------------------------------------------------------------


def exchange_child_ids(exchange: ProposalExchange) -> list[str]:
    """The ids of the children in an exchange's request."""
    return [str(child.get("id")) for child in exchange.request.get("children", [])]


def redact_exchange(
    exchange: ProposalExchange, scope: Scope, *, undisclosed: set[str]
) -> ProposalExchange:
    """The stored exchange, without the home location of a child flagged do-not-disclose for
    anyone but officers (the stored record itself is untouched)."""
    if _sees_flags(scope) or not undisclosed:
        return exchange
    children = [
        child | {"location": None} if str(child.get("id")) in undisclosed else child
        for child in exchange.request.get("children", [])
    ]
    return exchange.model_copy(update={"request": exchange.request | {"children": children}})


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

"""Who may start a request for assessment, and with what in the body."""

from datetime import date

from cases_api.access.bodies import require_only, require_value
from cases_api.access.scope import Scope
from cases_api.assessments.models import RequestSource
from cases_api.assessments.schemas import AssessmentRequestCreate
from cases_api.auth.principal import Role
from cases_api.core.errors import Forbidden

_FAMILY_OR_SCHOOL_FIELDS = ("child_id", "source", "received_on", "submitted_by_urn")


def check_new_request(scope: Scope, data: AssessmentRequestCreate, *, today: date) -> int | None:
    """403 unless this caller may start this request; returns the submitting school's URN."""
    role = scope.role
    if role is Role.OFFICER:
        return data.submitted_by_urn
    if role is Role.PARENT:
        require_only(data, may_set=_FAMILY_OR_SCHOOL_FIELDS[:3], role=role.value)
        require_value("source", data.source, allowed=[RequestSource.PARENT], role=role.value)
        require_value("received_on", data.received_on, allowed=[today], role=role.value)
        return None
    if role is Role.SCHOOL:
        urns = scope.principal.school_urns
        require_only(data, may_set=_FAMILY_OR_SCHOOL_FIELDS, role=role.value)
        require_value("source", data.source, allowed=[RequestSource.SCHOOL], role=role.value)
        require_value("received_on", data.received_on, allowed=[today], role=role.value)
        urn = data.submitted_by_urn if data.submitted_by_urn is not None else urns[0]
        require_value("submitted_by_urn", urn, allowed=urns, role=role.value)
        return urn
    raise Forbidden("Service clients do not start requests for assessment.")

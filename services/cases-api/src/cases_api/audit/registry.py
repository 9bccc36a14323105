"""What each operation touches, read from its path template; a few operations say more here."""

import re
from dataclasses import dataclass

from cases_api.audit.models import AuditAction

# Bulk lists of children (and of per-child records across children), exports and overrides:
# the caller must say why (`X-Access-Reason`).
REASON_REQUIRED = frozenset(
    {
        "listChildren",
        "listAssessmentRequests",
        "listOverdueAssessmentRequests",
        "listAssessmentRequestsDueSoon",
        "listTwentyWeekCompliancePlans",
        "listDisputeEvents",
        "listPlans",
        "listOverdueReviews",
        "listTransfersWithoutNamedSetting",
        "listPlacements",
        "listRoundChildren",
        "listRoundProgress",
        "requestProposal",
        "getProposal",
        "getProposalExchange",
        "diffProposals",
        "listDecisions",
        "listConsultations",
        "decideChild",
        "listRetentionDue",
        "createSubjectAccessExport",
        "getSubjectAccessExport",
        "getSubjectAccessExportDocument",
        "markSubjectAccessRedactions",
        "releaseSubjectAccessExport",
        "placeLegalHold",
        "liftLegalHold",
    }
)

EXPORTS = frozenset(
    {
        "createSubjectAccessExport",
        "getSubjectAccessExport",
        "getSubjectAccessExportDocument",
        "releaseSubjectAccessExport",
    }
)

# Where the path template alone names the wrong thing (a diff is a read of two versions).
RESOURCE_OVERRIDES = {
    "diffPlanVersions": ("versions", "number"),
    "diffProposals": ("proposals", "number"),
}

_PARAMETER = re.compile(r"^\{(\w+)\}$")


@dataclass(frozen=True, slots=True)
class AuditSpec:
    """How one operation is audited."""

    operation_id: str
    action: AuditAction
    resource_type: str
    resource_param: str | None
    reason_required: bool


def pairs_of(segments: list[str]) -> list[tuple[str, str]]:
    """(collection, identifier) pairs along a path: `plans/{plan_id}/versions` → [(plans, …)]."""
    return [
        (segments[index], segments[index + 1])
        for index in range(len(segments) - 1)
        if not _PARAMETER.match(segments[index])
    ]


def spec_for(*, operation_id: str, method: str, path_template: str) -> AuditSpec:
    """The audit spec of an operation, from its path template and method."""
    segments = [part for part in path_template.split("/") if part and part != "v1"]
    resource_param: str | None
    if operation_id in RESOURCE_OVERRIDES:
        resource_type, resource_param = RESOURCE_OVERRIDES[operation_id]
    else:
        resource_type, resource_param = _resource_of(segments)
    if operation_id in EXPORTS:
        action = AuditAction.EXPORT
    elif method in ("GET", "HEAD"):
        action = AuditAction.READ
    else:
        action = AuditAction.WRITE
    return AuditSpec(
        operation_id=operation_id,
        action=action,
        resource_type=resource_type,
        resource_param=resource_param,
        reason_required=operation_id in REASON_REQUIRED,
    )


def _resource_of(segments: list[str]) -> tuple[str, str | None]:
    """The deepest collection followed by an identifier, else the last named segment."""
    identified = [
        (collection, match.group(1))
        for collection, identifier in pairs_of(segments)
        if (match := _PARAMETER.match(identifier))
    ]
    if identified:
        return identified[-1]
    named = [part for part in segments if not _PARAMETER.match(part)]
    return (named[-1] if named else "root"), None

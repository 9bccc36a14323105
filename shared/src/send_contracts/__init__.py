"""Wire models and enums shared by the SEND cases API and the matching service."""

from send_contracts.codes import NeedCode, ProvisionKind
from send_contracts.matching import (
    AssignmentOut,
    ChildIn,
    Location,
    NearerAlternative,
    PreferenceNotHonoured,
    ProposalOptions,
    ProposalRequest,
    ProposalResponse,
    ProposalStatus,
    ProposalTotals,
    ProvisionIn,
    RefusalReason,
    SolverInfo,
    UnplacedOut,
    UnplacedReason,
    WhyNot,
)
from send_contracts.problem import PROBLEM_MEDIA_TYPE, Problem, ProblemField

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "AssignmentOut",
    "ChildIn",
    "Location",
    "NearerAlternative",
    "NeedCode",
    "PreferenceNotHonoured",
    "Problem",
    "ProblemField",
    "ProposalOptions",
    "ProposalRequest",
    "ProposalResponse",
    "ProposalStatus",
    "ProposalTotals",
    "ProvisionIn",
    "ProvisionKind",
    "RefusalReason",
    "SolverInfo",
    "UnplacedOut",
    "UnplacedReason",
    "WhyNot",
]

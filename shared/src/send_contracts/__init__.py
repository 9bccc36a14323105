"""Wire models and enums shared by the SEND cases API and the matching service."""

from send_contracts.codes import NeedCode, ProvisionKind
from send_contracts.problem import PROBLEM_MEDIA_TYPE, Problem, ProblemField

__all__ = ["PROBLEM_MEDIA_TYPE", "NeedCode", "Problem", "ProblemField", "ProvisionKind"]

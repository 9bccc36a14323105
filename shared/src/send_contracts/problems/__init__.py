"""RFC 9457 problems for both services: the problem types and their pages, the exception
handlers, request-validation translation and the 500 net. Needs the `http` extra (FastAPI)."""

from send_contracts.problem import FieldRuleError
from send_contracts.problems.errors import ProblemError
from send_contracts.problems.handlers import install_problems
from send_contracts.problems.middleware import UnexpectedErrorMiddleware
from send_contracts.problems.responses import problem_response
from send_contracts.problems.types import (
    COMMON_PROBLEM_TYPES,
    PROBLEM_TYPE_BASE,
    ProblemRegistry,
    ProblemType,
)

__all__ = [
    "COMMON_PROBLEM_TYPES",
    "PROBLEM_TYPE_BASE",
    "FieldRuleError",
    "ProblemError",
    "ProblemRegistry",
    "ProblemType",
    "UnexpectedErrorMiddleware",
    "install_problems",
    "problem_response",
]

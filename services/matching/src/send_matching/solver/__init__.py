"""The placement solver: plain data in, plain data out (stdlib, numpy, OR-Tools, HiGHS).

It imports nothing from the web layer, pydantic or the contracts package; `send_matching.mapping`
is the only bridge.
"""

from send_matching.solver.engine import propose
from send_matching.solver.model import (
    Alternative,
    Assignment,
    Child,
    Instance,
    Options,
    Proposal,
    Provision,
    RefusalGround,
    RefusedPreference,
    SolverInfo,
    Status,
    Totals,
    Unplaced,
    UnplacedReason,
    WhyNot,
)

__all__ = [
    "Alternative",
    "Assignment",
    "Child",
    "Instance",
    "Options",
    "Proposal",
    "Provision",
    "RefusalGround",
    "RefusedPreference",
    "SolverInfo",
    "Status",
    "Totals",
    "Unplaced",
    "UnplacedReason",
    "WhyNot",
    "propose",
]

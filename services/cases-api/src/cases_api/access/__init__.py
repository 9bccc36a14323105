"""One place that decides what each caller may see and change. See README.md for the matrix."""

from cases_api.access.deps import ScopeDep
from cases_api.access.scope import Scope

__all__ = ["Scope", "ScopeDep"]

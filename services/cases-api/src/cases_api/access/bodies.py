"""Mass assignment: which fields of a request body each role may set.

Input models already refuse unknown fields (422); this refuses known fields the caller's role
may not set (403, naming them), and values a role may set only one way.
"""

from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from cases_api.core.errors import Forbidden


def require_only(body: BaseModel, *, may_set: Collection[str], role: str) -> None:
    """403 if the body sets a field outside ``may_set``."""
    refused = sorted(body.model_fields_set - set(may_set))
    if refused:
        raise Forbidden(f"A {role} may not set {', '.join(refused)}.", fields=refused, role=role)


def require_value(field: str, sent: Any, *, allowed: Collection[Any], role: str) -> None:
    """403 unless ``sent`` is one of the values this role may give ``field``."""
    if sent not in allowed:
        shown = ", ".join(sorted(str(value) for value in allowed))
        raise Forbidden(f"A {role} may set {field} only to {shown}.", fields=[field], role=role)

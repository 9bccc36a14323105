"""Typed references to records in request bodies. Every id a body names is declared with one of
these types, and `access.references` checks each against the caller's scope before the route
runs (422 "not a known …", alike for unknown and out-of-scope ids). The OpenAPI document shows
the kind as `x-reference`."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field


@dataclass(frozen=True, slots=True)
class Reference:
    """What kind of record a body field names."""

    kind: str
    noun: str


ChildReference = Annotated[
    uuid.UUID, Reference("child", "child"), Field(json_schema_extra={"x-reference": "child"})
]
RequestReference = Annotated[
    uuid.UUID,
    Reference("request", "request for assessment"),
    Field(json_schema_extra={"x-reference": "request"}),
]
PlanReference = Annotated[
    uuid.UUID, Reference("plan", "plan"), Field(json_schema_extra={"x-reference": "plan"})
]
GuardianReference = Annotated[
    uuid.UUID,
    Reference("guardian", "guardian"),
    Field(json_schema_extra={"x-reference": "guardian"}),
]
# The directory is published to every caller, and a child may be placed out of its LA's area
# (an independent special school in another county): any provision in the directory is known.
ProvisionReference = Annotated[
    uuid.UUID,
    Reference("provision", "provision (not in the directory)"),
    Field(json_schema_extra={"x-reference": "provision"}),
]

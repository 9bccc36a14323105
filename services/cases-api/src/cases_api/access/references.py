"""Every record a request body names, checked against the caller's scope in one place.

`check_body_references` is a dependency of every creating POST (through `IdempotencyDep`, so it
runs after the route's role check and before any replay) and of the other routes whose body
names records (`BodyReferencesChecked`): before the route's work begins, each field
of the body declared with a reference type (`core.references`: `ChildRef`, `PlanRef` …), at any
depth, is resolved within the caller's `Scope`. An id that does not exist and an id the caller
cannot see both answer 422 "not a known …" (`UnknownReference`), listing every such field, so a
body cannot probe for records. What the caller may then do with a record it sees (write it,
link it) is the route's own check.
"""

import json
import typing
import uuid
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from cases_api.access.deps import ScopeDep
from cases_api.access.scope import Scope
from cases_api.assessments.models import AssessmentRequest
from cases_api.children.models import Guardian
from cases_api.core.deps import SessionDep
from cases_api.core.errors import UnknownReference
from cases_api.core.references import Reference
from cases_api.plans.models import Plan
from cases_api.provisions.models import Provision

Resolver = Callable[[Session, Scope, uuid.UUID], bool]


def _child(session: Session, scope: Scope, record_id: uuid.UUID) -> bool:
    return scope.find_child(session, record_id) is not None


def _request(session: Session, scope: Scope, record_id: uuid.UUID) -> bool:
    query = sa.select(AssessmentRequest.id).where(
        AssessmentRequest.id == record_id, scope.requests_filter()
    )
    return session.scalar(query) is not None


def _plan(session: Session, scope: Scope, record_id: uuid.UUID) -> bool:
    query = sa.select(Plan.id).where(Plan.id == record_id, scope.children_filter(Plan.child_id))
    return session.scalar(query) is not None


def _guardian(session: Session, scope: Scope, record_id: uuid.UUID) -> bool:
    query = sa.select(Guardian.id).where(Guardian.id == record_id, scope.guardians_filter())
    return session.scalar(query) is not None


def _provision(session: Session, scope: Scope, record_id: uuid.UUID) -> bool:
    return session.get(Provision, record_id) is not None


RESOLVERS: dict[str, Resolver] = {
    "child": _child,
    "request": _request,
    "plan": _plan,
    "guardian": _guardian,
    "provision": _provision,
}


def references_in(body: BaseModel, location: str = "body") -> Iterator[tuple[str, Reference, Any]]:
    """Every (location, kind, id) a body names, at any depth."""
    for name, info in type(body).model_fields.items():
        reference = _reference_of(info.annotation, info.metadata)
        for where, item in _located(f"{location}.{name}", getattr(body, name)):
            if reference is not None and item is not None:
                yield where, reference, item
            elif isinstance(item, BaseModel):
                yield from references_in(item, where)


def _located(where: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, list):
        return [(f"{where}[{index}]", item) for index, item in enumerate(value)]
    return [(where, value)]


def _reference_of(annotation: Any, metadata: list[Any]) -> Reference | None:
    for item in metadata:
        if isinstance(item, Reference):
            return item
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, Reference):
            return item
    for arg in typing.get_args(annotation):
        found = _reference_of(arg, [])
        if found is not None:
            return found
    return None


def check_references(session: Session, scope: Scope, body: BaseModel) -> None:
    """422 listing every reference in the body that is unknown or outside the caller's scope."""
    errors = []
    for location, reference, record_id in references_in(body):
        if not RESOLVERS[reference.kind](session, scope, record_id):
            errors.append(
                {"location": location, "message": f"{record_id} is not a known {reference.noun}"}
            )
    if errors:
        detail = "; ".join(
            f"{error['location'].removeprefix('body.')} {error['message']}" for error in errors
        )
        raise UnknownReference(f"{detail}.", errors=errors)


async def body_of(request: Request) -> BaseModel | None:
    """The request's body as its route's model (None when it has none or it is malformed)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return None
    model = route.body_field.field_info.annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    raw = await request.body()
    try:
        return model.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError):
        return None  # the route's own validation answers a malformed body


def check_body_references(
    session: SessionDep,
    scope: ScopeDep,
    body: Annotated[BaseModel | None, Depends(body_of)],
) -> None:
    """The `/v1` dependency (see the module's docstring)."""
    if body is not None:
        check_references(session, scope, body)


BodyReferencesChecked = Annotated[None, Depends(check_body_references)]

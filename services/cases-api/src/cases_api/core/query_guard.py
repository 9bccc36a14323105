"""Query strings are checked before any route reads them: unknown parameters are refused, so a
mistyped filter never silently returns everything, and so is a NUL character, which no filter
holds and PostgreSQL cannot compare."""

from fastapi import Request
from fastapi.dependencies.models import Dependant

from cases_api.core.errors import InvalidInput

_declared: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def _declared_query_names(dependant: Dependant) -> frozenset[str]:
    key = id(dependant)
    if key not in _declared:
        _declared[key] = frozenset(_query_names(dependant))
    return _declared[key]


async def reject_unknown_query_params(request: Request) -> None:
    """A dependency for every /v1 route: 422 naming each query parameter the route does not take
    or that holds a NUL character."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    with_nul = sorted(
        {name for name, value in request.query_params.multi_items() if "\x00" in value}
    )
    if with_nul:
        raise InvalidInput(
            "A query parameter holds the NUL character (U+0000).",
            errors=[
                {"location": f"query.{name}", "message": "may not hold U+0000"} for name in with_nul
            ],
        )
    unknown = sorted(set(request.query_params) - _declared_query_names(dependant))
    if unknown:
        raise InvalidInput(
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            errors=[
                {"location": f"query.{name}", "message": "not a parameter of this operation"}
                for name in unknown
            ],
        )

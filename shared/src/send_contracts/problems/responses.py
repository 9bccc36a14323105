"""A problem+json response (RFC 9457) for a request."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from send_contracts.problem import PROBLEM_MEDIA_TYPE, Problem
from send_contracts.problems.types import COMMON_PROBLEMS, ProblemRegistry


def registry_of(request: Request) -> ProblemRegistry:
    """The app's problem types (`install_problems` puts them on its state)."""
    app = request.scope.get("app")
    registry = getattr(getattr(app, "state", None), "problem_types", None)
    return registry if isinstance(registry, ProblemRegistry) else COMMON_PROBLEMS


def problem_response(
    request: Request,
    *,
    status: int,
    detail: str | None,
    type_slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """The problem for this request; its `type` is the slug's page, or the status's generic one."""
    registry = registry_of(request)
    # An unregistered slug (a test walks every one raised) falls back to the status's type
    # rather than turning the answer into a 500.
    problem_type = (registry.get(type_slug) if type_slug else None) or registry.for_status(status)
    problem = Problem(
        type=problem_type.uri if problem_type else "about:blank",
        title=title or (problem_type.title if problem_type else "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        **extensions,
    )
    response_headers = dict(headers or {})
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        response_headers["X-Request-ID"] = request_id
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=response_headers,
    )

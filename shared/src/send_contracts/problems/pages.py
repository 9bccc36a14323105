"""`GET /problems` and `GET /problems/{slug}`: the page each problem `type` URI resolves to.

HTML for people following the link; JSON when the client asks for it (`Accept: application/json`)."""

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from send_contracts.problems.responses import problem_response, registry_of
from send_contracts.problems.types import PROBLEM_TYPE_BASE, ProblemType

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{body}</main></body></html>
"""


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def _as_json(problem_type: ProblemType) -> dict[str, object]:
    return {
        "type": problem_type.uri,
        "title": problem_type.title,
        "status": problem_type.status,
        "description": problem_type.description,
        "advice": problem_type.advice,
    }


def _as_html(problem_type: ProblemType) -> str:
    return (
        f"<h1>{escape(problem_type.title)}</h1>"
        f"<p>HTTP status {problem_type.status}. Problem type <code>{escape(problem_type.uri)}"
        "</code> (RFC 9457).</p>"
        f"<h2>What it means</h2><p>{escape(problem_type.description)}</p>"
        f"<h2>What to do</h2><p>{escape(problem_type.advice)}</p>"
        f'<p><a href="{PROBLEM_TYPE_BASE.rstrip("/")}">Every problem type</a></p>'
    )


async def problem_type_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    problem_type = registry_of(request).get(slug)
    if problem_type is None:
        return problem_response(request, status=404, detail=f"No problem type is named {slug!r}.")
    if _wants_json(request):
        return JSONResponse(_as_json(problem_type))
    return HTMLResponse(_PAGE.format(title=escape(problem_type.title), body=_as_html(problem_type)))


async def problem_types_index(request: Request) -> Response:
    types = sorted(registry_of(request), key=lambda t: (t.status, t.slug))
    if _wants_json(request):
        return JSONResponse({"items": [_as_json(t) for t in types]})
    rows = "".join(
        f'<li><a href="{escape(t.uri)}">{escape(t.title)}</a> ({t.status}): '
        f"{escape(t.description)}</li>"
        for t in types
    )
    return HTMLResponse(
        _PAGE.format(title="Problem types", body=f"<h1>Problem types</h1><ul>{rows}</ul>")
    )


def problem_pages() -> list[Route]:
    base = PROBLEM_TYPE_BASE.rstrip("/")
    return [
        Route(base, problem_types_index, methods=["GET"]),
        Route(f"{base}/{{slug}}", problem_type_page, methods=["GET"]),
    ]

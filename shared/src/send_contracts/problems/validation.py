"""FastAPI's request validation errors, told as a client needs them: 400 for a body that is not
JSON, 415 for a body that is not sent as JSON, 422 naming every invalid input by location."""

from collections.abc import Sequence
from email.message import Message
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import Response

from send_contracts.problem import FieldRuleError, ProblemField
from send_contracts.problems.responses import problem_response

JSON_MEDIA_TYPE = "application/json"
_ACCEPT_HEADER_BY_METHOD = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}
# Pydantic prefixes the message of an error raised in a validator with its kind.
_VALIDATOR_PREFIXES = ("Value error, ", "Assertion failed, ")


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _message(error: dict[str, Any]) -> str:
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError | AssertionError) and str(cause):
        return str(cause)
    message = str(error.get("msg", ""))
    for prefix in _VALIDATOR_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def _location(error: dict[str, Any]) -> str:
    parts = [str(part) for part in error.get("loc", ())]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, FieldRuleError):
        parts.extend(cause.field.split("."))
    return ".".join(parts)


def invalid_fields(errors: Sequence[Any]) -> list[ProblemField]:
    """Each error as a location and a message a person can act on."""
    fields: list[ProblemField] = []
    for error in errors:
        field = ProblemField(location=_location(error), message=_message(error))
        if field not in fields:
            fields.append(field)
    return fields


def _malformed_json(request: Request, errors: Sequence[Any]) -> Response | None:
    broken = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if broken is None:
        return None
    position = broken.get("loc", ())[-1]
    where = f" (at character {position})" if isinstance(position, int) else ""
    return problem_response(
        request,
        status=400,
        detail=f"The request body is not valid JSON{where}; nothing in it was read.",
        type_slug="malformed-json",
    )


def _wrong_media_type(request: Request, exc: RequestValidationError) -> Response | None:
    """A JSON operation sent a body of another media type: FastAPI passes it on as raw bytes,
    which fail the body's schema."""
    content_type = request.headers.get("content-type")
    if is_json_media_type(content_type) or not isinstance(exc.body, bytes) or not exc.body:
        return None
    if not any(tuple(e.get("loc", ()))[:1] == ("body",) for e in exc.errors()):
        return None
    sent = f"`{content_type.split(';')[0].strip()}`" if content_type else "no Content-Type"
    headers = {}
    if accept_header := _ACCEPT_HEADER_BY_METHOD.get(request.method):
        headers[accept_header] = JSON_MEDIA_TYPE
    return problem_response(
        request,
        status=415,
        detail=f"This operation takes a JSON body (Content-Type: {JSON_MEDIA_TYPE}); "
        f"the request sent {sent}.",
        type_slug="unsupported-media-type",
        headers=headers,
    )


async def request_validation_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    refusal = _malformed_json(request, errors) or _wrong_media_type(request, exc)
    if refusal is not None:
        return refusal
    fields = invalid_fields(errors)
    count = len(fields)
    return problem_response(
        request,
        status=422,
        detail=f"{count} invalid input{'s' if count != 1 else ''}: "
        + "; ".join(f"{field.location}: {field.message}" for field in fields[:5]),
        type_slug="invalid-input",
        errors=[field.model_dump() for field in fields],
    )

"""Errors raised on purpose, each answered with its problem type; and a rule broken by one field."""

from typing import Any


class ProblemError(Exception):
    """Base of every error a service raises on purpose: its status, title and problem type."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(
        self, detail: str, *, headers: dict[str, str] | None = None, **extensions: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


class FieldRuleError(ValueError):
    """Raised by a model validator for a rule of the whole body that one field breaks, so the
    problem's `errors[].location` names that field (`body.places_taken`), not the bare `body`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message

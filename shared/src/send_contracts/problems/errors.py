"""Errors raised on purpose, each answered with its problem type."""

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

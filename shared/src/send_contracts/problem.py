"""RFC 9457 problem details, the body of every error either service returns."""

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemField(BaseModel):
    """One invalid input: where it is and what is wrong with it."""

    location: str = Field(
        description="Dotted path of the offending input, e.g. `body.places_total`."
    )
    message: str


class Problem(BaseModel):
    """Problem details (RFC 9457). Extra members are allowed, as the RFC permits."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short, human-readable summary of the problem type.")
    status: int = Field(ge=400, le=599)
    detail: str | None = Field(default=None, description="Explanation specific to this occurrence.")
    instance: str | None = Field(default=None, description="URI of this occurrence (the request).")
    errors: list[ProblemField] | None = Field(
        default=None, description="For validation problems: every invalid input."
    )


class FieldRuleError(ValueError):
    """Raised by a model validator for a rule of the whole body that one field breaks, so the
    problem's `errors[].location` names that field (`body.places_taken`), not the bare `body`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message

"""Building blocks for request and response bodies."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
)

from cases_api.core.time import today

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_CASE_DATE = date(2000, 1, 1)
LATEST_CASE_DATE = date(2100, 12, 31)


def _iso_text_only(value: object) -> object:
    # Pydantic's lax mode reads 0 or "0" as 1 January 1970; a date here is only ever ISO text.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


def not_in_the_future(value: date) -> date:
    """A validator for days that have already happened."""
    if value > today():
        raise ValueError("the date is in the future")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text_only)]
"""A date in a body or a query: ISO 8601 text only (no numbers, no timestamps)."""
CaseDate = Annotated[IsoDate, Field(ge=EARLIEST_CASE_DATE, le=LATEST_CASE_DATE)]
"""A day in a case's life: this century, not some typo'd year."""
PastDate = Annotated[CaseDate, AfterValidator(not_in_the_future)]
"""A case date that has already come."""


def holds_nul(value: object) -> bool:
    """Whether a text, or any text inside a list or mapping, holds U+0000, which PostgreSQL
    cannot store in text or JSON (it would fail the write, not the request)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_nul(item) for item in value)
    return False


class InputModel(BaseModel):
    """A request body: unknown fields are refused, so typos and mass assignment never pass."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        if holds_nul(value):
            raise ValueError("text may not hold the NUL character (U+0000)")
        return value


class OutputModel(BaseModel):
    """A response body, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


def _normalise_postcode(value: str) -> str:
    match = _POSTCODE.match(value.upper())
    if not match:
        raise ValueError("not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


Postcode = Annotated[
    str,
    Field(
        min_length=5,
        max_length=8,
        pattern=r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$",
        examples=["LE11 3TU"],
    ),
    AfterValidator(_normalise_postcode),
]
LaCode = Annotated[
    str, Field(pattern=r"^\d{3}$", description="DfE LA code (three digits).", examples=["855"])
]
# Numbers in bodies are strict: JSON `true` or "12" is an error, not a silently coerced 1 or 12.
StrictNumber = Strict()

Urn = Annotated[
    int,
    StrictNumber,
    Field(ge=100000, le=9999999, description="Unique Reference Number (GIAS).", examples=[120285]),
]
Age = Annotated[int, StrictNumber, Field(ge=0, le=25)]
Pence = Annotated[
    int, StrictNumber, Field(ge=0, le=10_000_000_00, description="Money in pence (GBP).")
]
Places = Annotated[int, StrictNumber, Field(ge=0, le=100_000)]


class Location(BaseModel):
    """WGS84 coordinates."""

    model_config = ConfigDict(extra="forbid")

    lat: Annotated[float, StrictNumber] = Field(ge=-90, le=90, examples=[52.772])
    lon: Annotated[float, StrictNumber] = Field(ge=-180, le=180, examples=[-1.206])


LEGAL_BASIS_HELP = (
    "The regulation or rule that sets this due date, e.g. 'SEND Regulations 2014 reg 13(2)'."
)
LEGAL_BASES_HELP = (
    "The legal basis of each deadline above that is a bare date, keyed by the field's name."
)
LegalBases = Annotated[dict[str, str], Field(description=LEGAL_BASES_HELP)]


def legal_bases_of(**bases: str) -> Any:
    """A ``legal_bases`` field whose citations are the same on every record of a model."""
    return Field(default_factory=lambda: dict(bases), description=LEGAL_BASES_HELP)

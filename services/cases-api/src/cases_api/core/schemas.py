"""Building blocks for request and response bodies."""

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class InputModel(BaseModel):
    """A request body: unknown fields are refused, so typos and mass assignment never pass."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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

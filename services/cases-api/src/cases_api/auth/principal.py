"""Who is calling: the verified identity every `/v1` request carries."""

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PARENT = "parent"
    SCHOOL = "school"
    OFFICER = "officer"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Principal:
    """A caller as its token describes it."""

    subject: str
    role: Role
    la_code: str | None = None
    school_urns: tuple[int, ...] = field(default_factory=tuple)
    guardian_id: str | None = None
    # OAuth scopes of a service client (`auth.scopes`); people carry none.
    scopes: frozenset[str] = field(default_factory=frozenset)

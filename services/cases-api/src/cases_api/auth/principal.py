"""Who is calling: the verified identity every `/v1` request carries."""

import hashlib
import json
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
    guardian_external_id: str | None = None
    issuer: str = ""
    # OAuth scopes of a service client (`auth.scopes`); people carry none.
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def identity_key(self) -> str:
        """A stable hash of everything the token says about the caller: two principals that
        differ in any of it (another LA sharing the subject, another role) never share it."""
        parts = [
            self.issuer,
            self.subject,
            self.role.value,
            self.la_code,
            sorted(self.school_urns),
            self.guardian_external_id,
            sorted(self.scopes),
        ]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

"""Each route's access policy, declared where the route is defined.

    @router.get(
        "/children",
        ...,
        dependencies=[policy(Audit.read("children"), reason=Reason.bulk(...),
                             scopes=("children:read",))],
    )

The policy says what the audit trail records for the route (`audit.recorder` reads it), when the
caller must say why (`X-Access-Reason`), and which OAuth scopes a service client needs. The
dependency it returns enforces the last two; a route that declares none fails a test.
"""

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Header, Request
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute

from cases_api.audit.models import AuditAction
from cases_api.auth.deps import CurrentPrincipal
from cases_api.auth.principal import Principal, Role
from cases_api.auth.scopes import SERVICE_SCOPES
from cases_api.core.errors import Forbidden, InvalidInput

REASON_HEADER = "X-Access-Reason"


@dataclass(frozen=True, slots=True)
class Audit:
    """What the audit trail records for a route: the action and the resource it names (the
    path parameter that identifies it, when there is one)."""

    action: AuditAction
    resource_type: str
    resource_param: str | None = None

    @classmethod
    def read(cls, resource_type: str, resource_param: str | None = None) -> "Audit":
        return cls(AuditAction.READ, resource_type, resource_param)

    @classmethod
    def write(cls, resource_type: str, resource_param: str | None = None) -> "Audit":
        return cls(AuditAction.WRITE, resource_type, resource_param)

    @classmethod
    def export(cls, resource_type: str, resource_param: str | None = None) -> "Audit":
        return cls(AuditAction.EXPORT, resource_type, resource_param)


@dataclass(frozen=True, slots=True)
class Reason:
    """When the caller must say why (`X-Access-Reason`): always (subject access, overrides), or
    for a bulk read (an officer's list across the LA's children, unless one of `narrowed_by`
    narrows it to ordinary case work). Absent: never.

    Parents and schools list only their own children. A service client's reads are bounded by
    its scopes instead: a system would send the same reason on every call, and a reason sent as
    a constant protects nobody (the audit trail still records each call)."""

    when: Literal["always", "bulk"]
    what: str
    narrowed_by: tuple[str, ...] = ()

    @classmethod
    def always(cls, what: str) -> "Reason":
        return cls("always", what)

    @classmethod
    def bulk(cls, what: str, *, narrowed_by: tuple[str, ...] = ()) -> "Reason":
        return cls("bulk", what, narrowed_by)

    def applies_to(self, principal: Principal, request: Request) -> bool:
        """Whether this call needs a reason."""
        if self.when == "always":
            return True
        if principal.role is not Role.OFFICER:
            return False
        return not any(request.query_params.get(name) for name in self.narrowed_by)

    def rule(self) -> str:
        """When the header is required, in words (the 422 and the OpenAPI say it)."""
        if self.when == "always":
            return f"required on {self.what}"
        rule = f"required from officers on {self.what} across the LA"
        if self.narrowed_by:
            names = " or ".join(f"`{name}`" for name in self.narrowed_by)
            rule += f", unless narrowed by {names}"
        return (
            f"{rule}; parents and schools (who list only their own) and service clients "
            "(bounded by their scopes) need none"
        )


@dataclass(frozen=True, slots=True)
class RoutePolicy:
    """A route's audit, reason requirement and service-client scopes."""

    audit: Audit
    reason: Reason | None
    scopes: tuple[str, ...]

    def missing_scopes(self, principal: Principal) -> list[str]:
        """The scopes a service client lacks for this route (people carry none: their role
        governs them)."""
        if principal.role is not Role.SERVICE:
            return []
        return [scope for scope in self.scopes if scope not in principal.scopes]

    def enforce(self, principal: Principal, request: Request, reason: str | None) -> None:
        """403 naming the missing scopes; 422 when a needed reason is missing or blank."""
        missing = self.missing_scopes(principal)
        if missing:
            raise Forbidden(
                f"This service client's token lacks the scope(s) {' '.join(missing)} needed here.",
                missing_scopes=missing,
            )
        if (
            self.reason
            and not (reason or "").strip()
            and self.reason.applies_to(principal, request)
        ):
            raise InvalidInput(
                f"Say why you need this ({REASON_HEADER} header): it is {self.reason.rule()}. "
                "It is recorded in the audit trail.",
                errors=[{"location": "header.x-access-reason", "message": "required here"}],
            )


class _Guard:
    def __init__(self, declared: RoutePolicy) -> None:
        self.policy = declared


class _PlainGuard(_Guard):
    async def __call__(self, request: Request, principal: CurrentPrincipal) -> None:
        self.policy.enforce(principal, request, None)


class _ReasonGuard(_Guard):
    async def __call__(
        self,
        request: Request,
        principal: CurrentPrincipal,
        reason: Annotated[str | None, Header(alias=REASON_HEADER)] = None,
    ) -> None:
        self.policy.enforce(principal, request, reason)


def policy(
    audit: Audit, *, reason: Reason | None = None, scopes: tuple[str, ...] = ()
) -> DependsParam:
    """A route's policy, as the dependency that enforces it (put it in the route's
    `dependencies`). `scopes` are what a service client needs; routes without any are closed to
    service clients by role (writes) or open to every caller (the directory)."""
    unknown = [scope for scope in scopes if scope not in SERVICE_SCOPES]
    if unknown:
        raise ValueError(f"Unknown service scopes {unknown}; declare them in auth.scopes.")
    declared = RoutePolicy(audit=audit, reason=reason, scopes=tuple(scopes))
    guard = _ReasonGuard(declared) if reason else _PlainGuard(declared)
    return DependsParam(dependency=guard)


def policy_of(route: APIRoute) -> RoutePolicy | None:
    """The policy a route declares, if any."""
    for dependency in route.dependencies:
        declared = getattr(dependency.dependency, "policy", None)
        if isinstance(declared, RoutePolicy):
            return declared
    return None

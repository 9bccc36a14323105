"""Reading who the caller is from an identity provider's claims, by the names configured in
`Settings` (docs/identity-providers.md): the role from a string or an array of role or group
names, mapped to our roles; the LA from a claim or a group name; school URNs; a parent's
guardian external id."""

import re
from typing import Any

from cases_api.auth.principal import Principal, Role
from cases_api.auth.scopes import parse_scopes
from cases_api.core.errors import Unauthenticated
from cases_api.settings import Settings

# Roles whose every read and write is bound to one LA.
LA_BOUND = (Role.OFFICER, Role.SERVICE, Role.ADMIN)
LA_CODE = re.compile(r"\d{3}")


def claim_at(claims: dict[str, Any], path: str) -> Any:
    """The value at a claim name or a dotted path (`realm_access.roles`); None when absent. A
    claim whose own name holds dots (a URI claim) is found too."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _names(value: Any, claim: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise Unauthenticated(f"The {claim} claim must be a string or a list of strings.")


def role_from(claims: dict[str, Any], settings: Settings) -> Role:
    """The one role the token's role claim maps to. Names that map to no role are ignored (IdPs
    send many, e.g. `offline_access`); names mapping to two different roles are refused, as a
    token must not leave the service to pick the more powerful one."""
    names = _names(claim_at(claims, settings.claim_role), settings.claim_role)
    mapping: dict[str, str] = {role.value: role.value for role in Role} | settings.role_map
    roles = {Role(mapping[name]) for name in names if name in mapping}
    if not roles:
        shown = ", ".join(repr(name) for name in names) or "nothing"
        raise Unauthenticated(f"No known role in the token's {settings.claim_role} ({shown}).")
    if len(roles) > 1:
        shown = ", ".join(sorted(role.value for role in roles))
        raise Unauthenticated(f"The token names more than one role ({shown}); it needs one.")
    return roles.pop()


def la_code_from(claims: dict[str, Any], settings: Settings) -> str | None:
    """The LA code from its claim, else from the one group name matching the LA pattern."""
    direct = claim_at(claims, settings.claim_la_code)
    if direct is not None and not isinstance(direct, list):
        return str(direct) or None
    if settings.claim_la_groups is None or settings.la_group_pattern is None:
        return None
    pattern = re.compile(settings.la_group_pattern)
    groups = _names(claim_at(claims, settings.claim_la_groups), settings.claim_la_groups)
    found = {match.group("la") for name in groups if (match := pattern.fullmatch(name))}
    if len(found) > 1:
        raise Unauthenticated(f"The token's groups name more than one LA ({sorted(found)}).")
    return found.pop() if found else None


def principal_from(claims: dict[str, Any], settings: Settings) -> Principal:
    """The principal verified claims describe; `Unauthenticated` when one is missing for the
    role."""
    role = role_from(claims, settings)
    la_code = la_code_from(claims, settings)
    if role in LA_BOUND and not la_code:
        raise Unauthenticated(f"A {role} token must carry an LA ({settings.claim_la_code}).")
    if la_code is not None and not LA_CODE.fullmatch(la_code):
        raise Unauthenticated(f"The token's LA {la_code!r} is not a three-digit LA code.")
    urns = claim_at(claims, settings.claim_school_urns) or []
    if not isinstance(urns, list) or not all(
        isinstance(urn, int) and not isinstance(urn, bool) for urn in urns
    ):
        raise Unauthenticated(f"{settings.claim_school_urns} must be a list of integers.")
    if role is Role.SCHOOL and not urns:
        raise Unauthenticated(f"A school token must carry {settings.claim_school_urns}.")
    guardian = claim_at(claims, settings.claim_guardian_external_id)
    if role is Role.PARENT and not guardian:
        raise Unauthenticated(
            f"A parent token must carry {settings.claim_guardian_external_id} (the guardian's "
            "external id)."
        )
    return Principal(
        subject=str(claims["sub"]),
        role=role,
        la_code=la_code if role in LA_BOUND else None,
        school_urns=tuple(urns) if role is Role.SCHOOL else (),
        guardian_external_id=str(guardian) if role is Role.PARENT else None,
        issuer=str(claims["iss"]),
        scopes=_service_scopes(claims) if role is Role.SERVICE else frozenset(),
    )


def _service_scopes(claims: dict[str, Any]) -> frozenset[str]:
    """The standard `scope` claim, or `scp` as Entra ID sends it."""
    return parse_scopes(claims["scope"] if "scope" in claims else claims.get("scp"))

"""FastAPI dependencies: the current principal, and role requirements."""

from collections.abc import Callable, Coroutine
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cases_api.auth.principal import Principal, Role
from cases_api.auth.tokens import TokenVerifier
from cases_api.core.errors import Forbidden, Unauthenticated

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="An OAuth2 access token (JWT) from the council's identity provider.",
)


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller; every `/v1` route depends on this. Checked on the event loop (a
    signature check is far cheaper than a hop to a worker thread), unless the keys may have to
    be fetched from the identity provider."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("A bearer token is required.")
    verifier: TokenVerifier = request.app.state.token_verifier
    if verifier.fetches_keys:
        return await anyio.to_thread.run_sync(verifier.verify, credentials.credentials)
    return verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Coroutine[None, None, Principal]]:
    """A dependency that lets only the given roles through (403 for the others)."""
    allowed = frozenset(roles)

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise Forbidden(f"This action needs one of the roles: {names}.")
        return principal

    return check


async def refuse_admins(principal: CurrentPrincipal) -> None:
    """403 for administrators on children's case records, whatever the id: they configure the
    service and read the audit trail, and see no child's records (put on the case routers)."""
    if principal.role is Role.ADMIN:
        raise Forbidden(
            "Administrators configure the service and read the audit trail; a child's records "
            "are open to the LA's officers, the child's school and family."
        )


Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]
OfficerOrAdmin = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.ADMIN))]

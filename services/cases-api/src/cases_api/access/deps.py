"""The request's scope, built once from the verified principal."""

from typing import Annotated

from fastapi import Depends

from cases_api.access.scope import Scope
from cases_api.auth.deps import CurrentPrincipal


async def get_scope(principal: CurrentPrincipal) -> Scope:
    """What this caller may see and change."""
    return Scope(principal)


ScopeDep = Annotated[Scope, Depends(get_scope)]

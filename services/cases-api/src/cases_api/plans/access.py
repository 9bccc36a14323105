"""Who may change a child's case records: admins anywhere, officers within their own LA.

Plans, reviews and placements all check through here until scoping is centralised.
"""

import uuid

from sqlalchemy.orm import Session

from cases_api.auth.principal import Principal, Role
from cases_api.children.models import Child
from cases_api.core.errors import Forbidden, InvalidInput


def ensure_may_write_for(principal: Principal, child: Child) -> None:
    """403 unless the caller may change this child's records."""
    if principal.role is Role.OFFICER and principal.la_code != child.la_code:
        raise Forbidden(f"Officers may change only their own LA's cases (LA {child.la_code}).")


def child_for_write(session: Session, *, child_id: uuid.UUID, principal: Principal) -> Child:
    """The child named in a request body (422 if unknown), once the caller may write for it."""
    child = session.get(Child, child_id)
    if child is None:
        raise InvalidInput(f"child_id {child_id} is not a known child.")
    ensure_may_write_for(principal, child)
    return child

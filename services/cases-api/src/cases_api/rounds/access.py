"""Who may see and change rounds: officers of the round's LA, admins, and (reading) service
clients of that LA. Rounds of another LA are not visible at all (404)."""

import uuid

from sqlalchemy.orm import Session

from cases_api.auth.principal import Principal, Role
from cases_api.core.errors import Conflict, Forbidden, NotFound
from cases_api.rounds.models import AllocationRound, RoundStatus

_READERS = (Role.OFFICER, Role.ADMIN, Role.SERVICE)


def visible_round(
    session: Session, *, round_id: uuid.UUID, principal: Principal
) -> AllocationRound:
    """The round, if the caller may see it."""
    if principal.role not in _READERS:
        raise Forbidden("Allocation rounds are for the LA's officers.")
    found = session.get(AllocationRound, round_id)
    if found is None or (principal.role is not Role.ADMIN and found.la_code != principal.la_code):
        raise NotFound(f"No allocation round with id {round_id}.")
    return found


def open_round_for_write(
    session: Session, *, round_id: uuid.UUID, principal: Principal
) -> AllocationRound:
    """The round, if the caller may change it and it is still open (409 once closed)."""
    if principal.role not in (Role.OFFICER, Role.ADMIN):
        raise Forbidden("Only the LA's officers change allocation rounds.")
    found = visible_round(session, round_id=round_id, principal=principal)
    if found.status is RoundStatus.CLOSED:
        raise Conflict("The round is closed; open a new round.", round_status="closed")
    return found

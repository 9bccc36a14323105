"""Do-not-disclose flags, looked up to withhold more (never to show more): the lookup is not
narrowed by the caller's scope, because a flag on a child the caller cannot otherwise see must
still be honoured in a record it can (a round's stored matching exchange)."""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.children.models import Child


def undisclosed_child_ids(session: Session, child_ids: list[str]) -> set[str]:
    """Which of these children are flagged do-not-disclose (ids as text, as exchanges hold
    them; ids that are not children's are ignored)."""
    wanted = []
    for text in child_ids:
        try:
            wanted.append(uuid.UUID(text))
        except ValueError:
            continue
    query = sa.select(Child.id).where(Child.id.in_(wanted), Child.do_not_disclose.is_(True))
    return {str(child_id) for child_id in session.scalars(query)}

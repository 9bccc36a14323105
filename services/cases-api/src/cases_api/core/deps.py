"""The unit of work: one session per request, committed by this dependency and nowhere else."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cases_api.core.db import read_only

# Methods whose routes only read: their transaction takes no write lock (see `read_only`).
READ_METHODS = frozenset({"GET", "HEAD"})


def get_session(request: Request) -> Iterator[Session]:
    """A session for the request. Services only flush; the commit happens here, before the
    response is sent (scope="function"), so a failed commit becomes an error, never a false 2xx."""
    session: Session = request.app.state.session_factory()
    try:
        if request.method in READ_METHODS:
            read_only(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

"""Every error as `application/problem+json` (RFC 9457): the shared handlers (domain errors,
FastAPI's own, bugs) and the database's failures, which only cases-api has."""

import structlog
from fastapi import FastAPI, Request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import Response

from cases_api.core.problem_types import CASES_PROBLEM_TYPES
from send_contracts.problems import install_problems, problem_response

__all__ = ["database_is_busy", "install_problem_handlers", "problem_response"]

log = structlog.get_logger(__name__)


async def _integrity_error(request: Request, exc: Exception) -> Response:
    # Services check the rules they know first; this catches the race where two requests pass
    # those checks at once and the database's constraint decides.
    log.warning("integrity_error", error=str(getattr(exc, "orig", exc))[:200])
    return problem_response(
        request,
        status=409,
        detail="The change conflicts with data saved at the same moment; nothing was saved. "
        "Read the record again and retry.",
        type_slug="conflict",
        title="Conflict",
    )


async def _stale_data(request: Request, exc: Exception) -> Response:
    # Services turn a lost optimistic-version race into their own 409; this is the net for any
    # they do not, so such a race is never a 500.
    log.warning("stale_data", error=str(exc)[:200])
    return problem_response(
        request,
        status=409,
        detail="Someone else changed this record at the same moment; nothing was saved. "
        "Read it again and retry.",
        type_slug="conflict",
        title="Conflict",
    )


# SQLite: SQLITE_BUSY, SQLITE_LOCKED (primary codes). PostgreSQL: lock_not_available,
# serialization_failure, deadlock_detected, query_canceled (a statement or lock timeout).
_SQLITE_BUSY_CODES = frozenset({5, 6})
_POSTGRES_BUSY_STATES = frozenset({"55P03", "40001", "40P01", "57014"})


def database_is_busy(exc: Exception) -> bool:
    """Whether the database answered but was too busy (a lock or pool wait ran out), as opposed
    to not answering at all."""
    if isinstance(exc, PoolTimeoutError):
        return True
    orig = getattr(exc, "orig", None)
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        return sqlite_code & 0xFF in _SQLITE_BUSY_CODES
    return getattr(orig, "sqlstate", None) in _POSTGRES_BUSY_STATES


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    if database_is_busy(exc):
        log.warning("database_busy", error=str(getattr(exc, "orig", exc))[:200])
        return problem_response(
            request,
            status=503,
            detail="The database is busy with other requests and this one waited too long; "
            "nothing was saved. Try again in a moment.",
            type_slug="database-busy",
            title="Service busy",
            headers={"Retry-After": "1"},
        )
    log.error("database_unavailable", error=str(getattr(exc, "orig", exc))[:200])
    return problem_response(
        request,
        status=503,
        detail="The database is not answering; nothing was saved. Retry shortly.",
        type_slug="database-unavailable",
        title="Service unavailable",
        headers={"Retry-After": "5"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the app can raise to a problem+json response. Call it before adding
    other middleware: the 500 middleware sits innermost, inside the request id and the audit."""
    install_problems(app, CASES_PROBLEM_TYPES)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)

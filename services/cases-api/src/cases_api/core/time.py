"""Clock helpers: timezone-aware UTC everywhere."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC."""
    return utcnow().date()

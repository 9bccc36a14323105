"""Optimistic concurrency over HTTP: ETags from row versions, `If-Match` required on updates."""

from cases_api.core.errors import PreconditionFailed, PreconditionRequired


def etag_for(version: int) -> str:
    """The strong ETag of a row at this version."""
    return f'"v{version}"'


def check_if_match(if_match: str | None, *, current_version: int) -> None:
    """428 without `If-Match`, 412 when it names no current representation."""
    if not if_match:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last read, so no one's changes are overwritten."
        )
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in candidates or etag_for(current_version) in candidates:
        return
    raise PreconditionFailed(
        "The record has changed since you read it; read it again and reapply your change.",
        current_etag=etag_for(current_version),
    )

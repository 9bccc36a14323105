"""Optimistic concurrency over HTTP: ETags from row versions, `If-Match` required on updates,
`If-None-Match` answered with 304 on reads (RFC 9110 §13.1)."""

from collections.abc import Mapping

from cases_api.core.errors import PreconditionFailed, PreconditionRequired


def etag_for(version: int) -> str:
    """The strong ETag of a row at this version."""
    return f'"v{version}"'


def _listed_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def check_if_match(if_match: str | None, *, current_version: int) -> None:
    """428 without `If-Match`, 412 when it names no current representation."""
    check_if_match_etag(if_match, current_etag=etag_for(current_version))


def check_if_match_etag(if_match: str | None, *, current_etag: str) -> None:
    """428 without `If-Match`, 412 when it names no current representation. The comparison is
    strong (RFC 9110 §13.1.1): a weak tag `W/"…"` never matches, whatever it names."""
    if not if_match:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last read, so no one's changes are overwritten."
        )
    candidates = _listed_tags(if_match)
    if "*" in candidates or current_etag in candidates:
        return
    raise PreconditionFailed(
        "The record has changed since you read it; read it again and reapply your change.",
        current_etag=current_etag,
    )


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def none_match_fails(if_none_match: str | None, etag: str | None) -> bool:
    """Whether a read's `If-None-Match` names the representation it would get, so the answer is
    304. The comparison is weak (RFC 9110 §13.1.2): `W/"v1"` matches `"v1"`."""
    if not if_none_match or not etag:
        return False
    candidates = _listed_tags(if_none_match)
    return "*" in candidates or _opaque(etag) in {_opaque(tag) for tag in candidates}


def answers_not_modified(
    method: str, status: int, request_headers: Mapping[str, str], etag: str | None
) -> bool:
    """Whether a successful read is answered 304 Not Modified instead of its body."""
    return (
        method in {"GET", "HEAD"}
        and status == 200
        and none_match_fails(request_headers.get("if-none-match"), etag)
    )

"""The problem types: what each `type` URI names, what it means and what a client should do."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PROBLEM_TYPE_BASE = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem. Its `slug` is the last segment of its type URI and never changes."""

    slug: str
    title: str
    status: int
    description: str
    advice: str

    @property
    def uri(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug


COMMON_PROBLEM_TYPES: tuple[ProblemType, ...] = (
    ProblemType(
        "bad-request",
        "Bad request",
        400,
        "The request could not be understood as it was sent.",
        "Correct the request as the detail says; sending it again unchanged fails again.",
    ),
    ProblemType(
        "malformed-json",
        "Malformed JSON",
        400,
        "The request body was sent as JSON but is not valid JSON (a missing quote or brace, "
        "a trailing comma, text that is not UTF-8).",
        "Fix the body's syntax at the position the detail gives; nothing in it was read.",
    ),
    ProblemType(
        "unauthenticated",
        "Unauthenticated",
        401,
        "The request carries no bearer token, or one that is expired, not a JWT, not signed by "
        "a trusted issuer, or not meant for this service.",
        "Get a fresh token from the identity provider and send it as `Authorization: Bearer`.",
    ),
    ProblemType(
        "forbidden",
        "Forbidden",
        403,
        "The caller is known, but their role, organisation or scopes do not allow this.",
        "Do not retry: ask for the access the detail names, or act through someone who has it.",
    ),
    ProblemType(
        "not-found",
        "Not found",
        404,
        "There is no such resource, or the caller may not know that it exists.",
        "Check the path and identifiers; a record outside the caller's remit looks the same.",
    ),
    ProblemType(
        "method-not-allowed",
        "Method not allowed",
        405,
        "The resource exists but does not support this HTTP method.",
        "Use one of the methods the `Allow` header lists.",
    ),
    ProblemType(
        "not-acceptable",
        "Not acceptable",
        406,
        "None of the media types the `Accept` header asks for can be produced.",
        "Accept `application/json` (and `application/problem+json` for errors).",
    ),
    ProblemType(
        "conflict",
        "Conflict",
        409,
        "The request conflicts with the current state of the record, or with a change saved "
        "at the same moment; nothing was saved.",
        "Read the record again, decide whether the change still makes sense, and retry.",
    ),
    ProblemType(
        "precondition-failed",
        "Precondition failed",
        412,
        "The `If-Match` ETag no longer matches the record: someone changed it since it was read.",
        "Read the record again for its new ETag, reapply the change and send it with that ETag.",
    ),
    ProblemType(
        "content-too-large",
        "Content too large",
        413,
        "The request body is over the service's size limit.",
        "Send less in one request (split a batch, for example); the detail gives the limit.",
    ),
    ProblemType(
        "unsupported-media-type",
        "Unsupported media type",
        415,
        "The operation takes a JSON body, but the request's `Content-Type` is something else "
        "(text/plain, a form) or missing.",
        "Send the body as JSON with `Content-Type: application/json`; the `Accept-Post` or "
        "`Accept-Patch` header names the media types accepted.",
    ),
    ProblemType(
        "invalid-input",
        "Invalid input",
        422,
        "The request was understood, but some inputs break the operation's rules. Every "
        "invalid input is listed in `errors`, each with its `location` (such as "
        "`body.places_total` or `query.limit`) and a message.",
        "Correct each input listed in `errors` and send the request again.",
    ),
    ProblemType(
        "precondition-required",
        "Precondition required",
        428,
        "The operation changes a record and needs the `If-Match` header, so that a change made "
        "meanwhile by someone else is not overwritten.",
        "Read the record, then send the change with `If-Match` set to the ETag it returned.",
    ),
    ProblemType(
        "internal-error",
        "Internal server error",
        500,
        "A fault in the service; it is logged with the request id. Nothing was saved.",
        "Retry later; if it persists, report it quoting the `X-Request-ID` of the response.",
    ),
    ProblemType(
        "service-unavailable",
        "Service unavailable",
        503,
        "The service cannot answer now (starting, overloaded or a dependency is down).",
        "Retry after the `Retry-After` header's delay.",
    ),
)

# The type a bare HTTP status gets when the code raising it named none (a 404 for an unknown
# route, a 405 from the router).
_GENERIC_BY_STATUS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "content-too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    428: "precondition-required",
    500: "internal-error",
    503: "service-unavailable",
}


class ProblemRegistry:
    """Every problem type one service can answer with, by slug."""

    def __init__(self, types: Iterable[ProblemType]) -> None:
        self._types: dict[str, ProblemType] = {}
        for problem_type in types:
            known = self._types.get(problem_type.slug)
            if known is not None and known != problem_type:
                raise ValueError(f"problem type {problem_type.slug!r} is registered twice")
            self._types[problem_type.slug] = problem_type

    def __iter__(self) -> Iterator[ProblemType]:
        return iter(self._types.values())

    def __contains__(self, slug: object) -> bool:
        return slug in self._types

    def get(self, slug: str) -> ProblemType | None:
        return self._types.get(slug)

    def for_status(self, status: int) -> ProblemType | None:
        """The generic type of an HTTP status, if it has one."""
        slug = _GENERIC_BY_STATUS.get(status)
        return self._types.get(slug) if slug else None


COMMON_PROBLEMS = ProblemRegistry(COMMON_PROBLEM_TYPES)

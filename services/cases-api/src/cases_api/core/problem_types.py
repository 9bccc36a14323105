"""The problem types only cases-api answers with, beside the common ones (`send_contracts`)."""

from send_contracts.problems import ProblemType

CASES_PROBLEM_TYPES = (
    ProblemType(
        "no-free-place",
        "No free place",
        409,
        "The provision has no free place left: every place is taken or held.",
        "Choose another provision, or free a place there first (end or release a placement).",
    ),
    ProblemType(
        "database-busy",
        "Service busy",
        503,
        "The database was busy with other requests and this one waited too long for a lock or "
        "a connection. Nothing was saved.",
        "Send the same request again after the `Retry-After` delay.",
    ),
    ProblemType(
        "database-unavailable",
        "Service unavailable",
        503,
        "The database does not answer. Nothing was saved.",
        "Retry after the `Retry-After` delay; if it lasts, tell the service's operators.",
    ),
    ProblemType(
        "schema-not-at-head",
        "Service not ready",
        503,
        "The database's schema is not at the revision this release needs (it has not been "
        "migrated yet, or it is ahead of this release). Nothing was read or saved.",
        "Operators: run `cases-api migrate` with this release; clients: retry later.",
    ),
    ProblemType(
        "identity-provider-unavailable",
        "Service unavailable",
        503,
        "The identity provider's signing keys cannot be fetched, so no token can be checked.",
        "Retry shortly; the token itself may well be fine.",
    ),
    ProblemType(
        "matching-unavailable",
        "Matching service unavailable",
        503,
        "The placement matching service is down, slow or failing. Nothing was changed here.",
        "Retry after the `Retry-After` delay; the round and its data are as they were.",
    ),
    ProblemType(
        "matching-contract-broken",
        "Bad gateway",
        502,
        "The matching service answered with something that breaks its contract; it was not stored.",
        "Retry after the `Retry-After` delay; if it lasts, tell the service's operators.",
    ),
)

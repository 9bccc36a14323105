"""Domain errors. Services raise these; the shared problem handlers answer each with its problem
type, which must be registered (`core.problem_types`)."""

from send_contracts.problems import FieldRuleError, ProblemError


class DomainError(ProblemError):
    """Base of every error a service raises on purpose. Carries its HTTP status and title."""


class NotFound(DomainError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class Unauthenticated(DomainError):
    status = 401
    title = "Unauthenticated"
    type_slug = "unauthenticated"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class PreconditionRequired(DomainError):
    status = 428
    title = "Precondition required"
    type_slug = "precondition-required"


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition failed"
    type_slug = "precondition-failed"


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule the schema cannot express."""

    status = 422
    title = "Invalid input"
    type_slug = "invalid-input"

    @classmethod
    def in_body(cls, field: str, message: str) -> "InvalidInput":
        """A rule broken by one field of the request body, named in `errors`."""
        return cls(message, errors=[{"location": f"body.{field}", "message": message}])

    @classmethod
    def broken_rule(cls, error: ValueError) -> "InvalidInput":
        """A schema's rule checked again on a record's merged state (a PATCH), by its field
        where the rule names one."""
        if isinstance(error, FieldRuleError):
            return cls.in_body(error.field, error.message)
        return cls(str(error))


class UnknownReference(InvalidInput):
    """A record named in a request body that does not exist or that the caller cannot see:
    both answer alike, so a body cannot probe for records (`access.references`)."""

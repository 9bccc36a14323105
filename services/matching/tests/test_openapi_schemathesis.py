"""Property-based test of the matching service's OpenAPI document with schemathesis: no server
errors, and every response conforms to the documented schema, status codes and headers.

The service is stateless and unauthenticated (cases-api is its only caller, on a private network),
so there are no roles to vary and no links to follow. Bounded and deterministic; `make fuzz` raises
`SCHEMATHESIS_EXAMPLES`."""

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from send_matching.app import create_app
from send_matching.settings import Settings

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25")) * 2

schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(max_body_bytes=2 * 1024 * 1024))
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_matching_service_honours_its_openapi_document(case: Any) -> None:
    # Cross-field rules (unique ids, preferences naming known provisions) cannot be said in JSON
    # Schema, so a schema-valid body may rightly get a 422: that one check is left out.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])

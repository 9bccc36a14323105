"""The application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
import structlog
from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from cases_api.access.openapi import declare_policies_in_openapi
from cases_api.assessments.router import router as assessments_router
from cases_api.assessments.views_router import router as assessment_views_router
from cases_api.audit.recorder import AuditOutcomeMiddleware, record_access
from cases_api.audit.router import router as audit_router
from cases_api.auth.deps import get_principal, refuse_admins
from cases_api.auth.tokens import TokenVerifier
from cases_api.children.router import router as children_router
from cases_api.core.conditional import NotModifiedMiddleware
from cases_api.core.db import create_db_engine, create_session_factory
from cases_api.core.gateway import install_gateway
from cases_api.core.middleware import BodySizeLimitMiddleware
from cases_api.core.openapi import install_openapi
from cases_api.core.problems import install_problem_handlers
from cases_api.core.query_guard import reject_unknown_query_params
from cases_api.deadlines.router import router as deadlines_router
from cases_api.health.router import router as health_router
from cases_api.idempotency.deps import Replay, replay_response
from cases_api.la_transfers.router import router as la_transfers_router
from cases_api.matching_client import MatchingClient
from cases_api.placements.router import router as placements_router
from cases_api.plans.router import router as plans_router
from cases_api.privacy.router import router as privacy_router
from cases_api.provisions.router import router as provisions_router
from cases_api.reassessments.router import router as reassessments_router
from cases_api.reviews.router import router as reviews_router
from cases_api.rounds.router import consultations_router
from cases_api.rounds.router import router as rounds_router
from cases_api.schema_check import CachedSchemaCheck, SchemaNotAtHead, require_schema_at_head
from cases_api.settings import Settings, get_settings
from cases_api.transfers.router import router as transfers_router
from cases_api.tribunal_orders.router import router as tribunal_orders_router
from send_contracts.docs import install_offline_docs
from send_contracts.logs import configure_logging
from send_contracts.request_id import RequestIdMiddleware

API_VERSION = "1.0.0"

log = structlog.get_logger(__name__)

DESCRIPTION = """
Case management for the SEND services of English local authorities: children, requests for
EHC needs assessment with their statutory clocks, plans, reviews, and the directory of provisions
with their places and costs.

Every `/v1` route needs a bearer token (JWT). Every error is `application/problem+json`
(RFC 9457). Lists are cursor-paginated (`next_cursor`, `Link: rel="next"`). Updates need
`If-Match` with the record's ETag. Money is in pence.

Every `/v1` call is recorded in an append-only audit trail (who, role, organisation, what, when,
request id, outcome, reason). Subject access exports and legal holds, and an officer's list across
the LA's children (not their queues, nor a list narrowed to one child), need
an `X-Access-Reason` header saying why (422 without one); each operation that needs it says when.

Service clients (other council systems) carry OAuth scopes (`serviceClient` security scheme); each
operation names the scopes it needs, and a missing one is a 403 naming it.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured app; tests pass their own settings."""
    settings = settings or get_settings()
    configure_logging("cases-api", level=settings.log_level, json=settings.log_json)
    engine = create_db_engine(settings)
    matching_client = MatchingClient(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        await anyio.to_thread.run_sync(_refuse_a_schema_not_at_head, engine)
        yield
        matching_client.close()
        engine.dispose()

    app = FastAPI(
        title="SEND cases API",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # served offline by install_offline_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.token_verifier = TokenVerifier(settings)
    app.state.matching_client = matching_client
    app.state.schema_check = CachedSchemaCheck()

    install_problem_handlers(app)
    app.add_exception_handler(Replay, replay_response)
    app.add_middleware(NotModifiedMiddleware)
    app.add_middleware(AuditOutcomeMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware, logger="cases_api.access")
    install_gateway(app, settings)

    app.include_router(health_router)
    v1 = APIRouter(
        prefix="/v1",
        dependencies=[
            Depends(get_principal),
            Depends(record_access, scope="function"),
            Depends(reject_unknown_query_params),
        ],
    )
    v1.include_router(provisions_router)
    case_records = [Depends(refuse_admins)]
    for router in (
        children_router,
        assessment_views_router,
        assessments_router,
        plans_router,
        reviews_router,
        transfers_router,
        placements_router,
        rounds_router,
        consultations_router,
        tribunal_orders_router,
        la_transfers_router,
        reassessments_router,
        deadlines_router,
    ):
        v1.include_router(router, dependencies=case_records)
    v1.include_router(privacy_router)
    v1.include_router(audit_router)
    app.include_router(v1)
    install_openapi(app)
    install_offline_docs(app)
    declare_policies_in_openapi(app)
    return app


def _refuse_a_schema_not_at_head(engine: Engine) -> None:
    """Any ASGI server: the app does not start on a schema it was not built for. A database that
    does not answer yet is not refused here; /readyz says not ready until it does."""
    try:
        require_schema_at_head(engine)
    except OperationalError:
        log.warning("database not reachable at startup; the schema is checked by /readyz")
    except SchemaNotAtHead as refusal:
        log.error("refusing to start", reason=str(refusal))
        engine.dispose()
        raise

"""HTTP routes of phase transfers. Thin: parse, call, present."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.core.time import today
from cases_api.plans.http import AsOfQuery, LaCodeQuery, ViewCount
from cases_api.statutory import PhaseTransfer
from cases_api.transfers import queries, service
from cases_api.transfers.queries import UnnamedFilters
from cases_api.transfers.schemas import ChildTransfersRead, UnnamedTransferRead, present_unnamed

router = APIRouter(tags=["phase transfers"])

InfantToJuniorQuery = Annotated[
    bool, Query(description="Count infant → junior moves (where the LA's schools split at Y3).")
]
TransferQuery = Annotated[
    list[PhaseTransfer] | None, Query(description="Only these transfers; repeat for several.")
]
WithinDaysQuery = Annotated[
    int | None,
    Query(
        ge=0,
        le=3650,
        description="Only deadlines at most this many days after as_of "
        "(passed deadlines included).",
    ),
]


def _filters(
    scope: ScopeDep,
    as_of: AsOfQuery = None,
    la_code: LaCodeQuery = None,
    transfer: TransferQuery = None,
    deadline_within_days: WithinDaysQuery = None,
    include_infant_to_junior: InfantToJuniorQuery = False,
) -> UnnamedFilters:
    return UnnamedFilters(
        as_of=as_of or today(),
        la_code=la_code,
        transfers=transfer or (),
        deadline_within_days=deadline_within_days,
        include_infant_to_junior=include_infant_to_junior,
        scope=scope,
    )


UnnamedFiltersDep = Annotated[UnnamedFilters, Depends(_filters)]


@router.get(
    "/children/{child_id}/phase-transfers",
    operation_id="getChildPhaseTransfers",
    summary="A child's phase transfers: when each happens, its deadline, and its status",
    dependencies=[policy(Audit.read("children", "child_id"), scopes=("plans:read",))],
)
def get_child_phase_transfers(
    child_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    as_of: AsOfQuery = None,
    include_infant_to_junior: InfantToJuniorQuery = False,
) -> ChildTransfersRead:
    """A child's phase transfers (into school, to secondary, to post-16): when each happens,
    the 15 February or 31 March deadline for the plan naming the new setting, and whether it
    is met. Who may call: the LA's officers; the child's school and family, for their own
    children; service clients with the scopes named under `security`. Administrators get
    403. A record you may not see is 404, exactly as one that does not exist."""
    return service.child_transfers(
        session,
        child_id=child_id,
        as_of=as_of or today(),
        include_infant_to_junior=include_infant_to_junior,
        scope=scope,
    )


@router.get(
    "/phase-transfers/unnamed",
    operation_id="listTransfersWithoutNamedSetting",
    summary="Children in the coming transfer round whose final plan names no setting for the "
    "new phase, nearest deadline first",
    dependencies=[policy(Audit.read("unnamed"), scopes=("plans:read",))],
)
def list_transfers_without_named_setting(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: UnnamedFiltersDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[UnnamedTransferRead]:
    """Children moving phase in the coming transfer round whose final plan names no setting for
    the new phase yet, nearest deadline first. Who may call: the LA's officers (their LA's
    cases); schools and families (only their own children's); service clients with the
    scopes named under `security`. Administrators get 403."""
    rows, next_cursor = queries.list_unnamed(session, filters=filters, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    return Page(
        items=[
            present_unnamed(
                plan,
                child,
                as_of=filters.as_of,
                include_infant_to_junior=filters.include_infant_to_junior,
            )
            for plan, child in rows
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/phase-transfers/unnamed/count",
    operation_id="countTransfersWithoutNamedSetting",
    summary="How many children in the coming transfer round have no named setting yet",
    dependencies=[policy(Audit.read("count"), scopes=("plans:read",))],
)
def count_transfers_without_named_setting(
    session: SessionDep,
    filters: UnnamedFiltersDep,
) -> ViewCount:
    """How many children in the coming transfer round have no named setting yet (the same
    filters as the list). Who may call: the LA's officers (their LA's cases); schools and
    families (only their own children's); service clients with the scopes named under
    `security`. Administrators get 403."""
    return ViewCount(count=queries.count_unnamed(session, filters=filters), as_of=filters.as_of)

"""The proposal presenter on its own: provisions and children by name, money exact in pence, and
the change codes of a diff. No database, no HTTP."""

import uuid
from datetime import UTC, datetime
from typing import Any

from cases_api.rounds.presenting import (
    ChildName,
    Exchange,
    Promise,
    ProvisionFacts,
    changes_between,
    child_ids_named,
    present_proposal_view,
    provision_ids_named,
)
from cases_api.rounds.schemas import ProposalListItem
from cases_api.statutory import school_year_name
from send_contracts import ProvisionKind
from send_contracts.matching import ProposalRequest, ProposalResponse

AMIRA, LEO, NOOR = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
CASTLE, BROOK, GRANGE, GONE = (str(uuid.UUID(int=n)) for n in (101, 102, 103, 104))
FACTS = {
    CASTLE: ProvisionFacts(name="Castle ASD Base", urn=120001, kind=ProvisionKind.RESOURCE_BASE),
    BROOK: ProvisionFacts(name="Brook Special School", urn=120002, kind=None),
}
NAMES = {AMIRA: ChildName(given_name="Amira", family_name="Khan")}


def _child(child_id: str, age: int = 11) -> dict[str, Any]:
    return {
        "id": child_id,
        "location": {"lat": 52.7, "lon": -1.2},
        "age": age,
        "primary_need": "ASD",
        "suitable_kinds": ["resource_base", "special_school", "independent"],
        "preferences": [],
    }


def _provision(provision_id: str, name: str, kind: str) -> dict[str, Any]:
    return {
        "id": provision_id,
        "name": name,
        "kind": kind,
        "location": {"lat": 52.7, "lon": -1.2},
        "capacity": 1,
        "designated_needs": [],
        "min_age": 4,
        "max_age": 18,
        "annual_cost": 0.29,
    }


def _request(*children: dict[str, Any]) -> ProposalRequest:
    return ProposalRequest.model_validate(
        {
            "children": list(children),
            "provisions": [
                _provision(CASTLE, "Castle (as sent)", "resource_base"),
                _provision(BROOK, "Brook (as sent)", "special_school"),
                _provision(GRANGE, "Grange School", "independent"),
            ],
        }
    )


def _assignment(child_id: str, provision_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "provision_id": provision_id,
        "distance_km": 2.41,
        "annual_cost": 0.29,
        "transport_cost": 964.07,
        "preference_honoured": False,
        "explanation": "Lowest total cost",
        "nearer_alternatives": [],
    } | overrides


def _response(
    assignments: list[dict[str, Any]], unplaced: list[dict[str, Any]] | None = None, **totals: Any
) -> ProposalResponse:
    return ProposalResponse.model_validate(
        {
            "status": "optimal",
            "assignments": assignments,
            "unplaced": unplaced or [],
            "preferences_not_honoured": [],
            "totals": {
                "children": len(assignments) + len(unplaced or []),
                "placed": len(assignments),
                "unplaced": len(unplaced or []),
                "preferences_requested": 0,
                "preferences_honoured": 0,
                "annual_cost": 0.29,
                "transport_cost": 964.07,
                "total_cost": 964.36,
                "distance_km": 2.41,
                "budget": None,
                "overspend": 0,
            }
            | totals,
            "solver": {
                "engine": "min_cost_flow",
                "seconds": 0.01,
                "gap": 0,
                "time_limit_reached": False,
            },
        }
    )


HEADER = ProposalListItem(
    id=uuid.UUID(int=9),
    number=1,
    status="optimal",
    placed=1,
    unplaced=1,
    annual_cost_pence=29,
    requested_by="officer",
    created_at=datetime(2027, 3, 1, tzinfo=UTC),
)


def test_provisions_are_named_and_money_is_exact_pence() -> None:
    request = _request(_child(AMIRA), _child(LEO, age=4))
    response = _response(
        [
            _assignment(
                AMIRA,
                GRANGE,
                explanation=f"Lowest total cost; {BROOK} was asked for but is full; {GONE} too.",
                nearer_alternatives=[
                    {"provision_id": CASTLE, "distance_km": 1.2, "why_not": "full"}
                ],
            )
        ],
        unplaced=[
            {
                "child_id": LEO,
                "reason": "capacity",
                "detail": f"2 admissible provisions, all full: {CASTLE}, {BROOK}",
            }
        ],
        budget=0.07,
        overspend=0.22,
    )
    view = present_proposal_view(
        header=HEADER, request=request, response=response, provisions=FACTS, names=NAMES
    )

    (placed,) = view.assignments
    # 0.29 * 100 is 28.999999999999996: truncating would lose a penny.
    assert (placed.annual_cost_pence, placed.transport_cost_pence) == (29, 96407)
    assert placed.explanation == (
        f"Lowest total cost; Brook Special School (URN 120002) was asked for but is full; {GONE} too."
    )
    assert (placed.child.given_name, placed.child.year_group, placed.child.primary_need) == (
        "Amira",
        "Year 7",
        "ASD",
    )
    # Known to the request but not to the directory: the name sent, no URN.
    assert (placed.provision.name, placed.provision.urn, placed.provision.kind) == (
        "Grange School",
        None,
        "independent",
    )
    (nearer,) = placed.nearer_alternatives
    assert (nearer.provision.name, nearer.provision.urn, nearer.why_not) == (
        "Castle ASD Base",
        120001,
        "full",
    )
    (left,) = view.unplaced_children
    assert left.detail == (
        "2 admissible provisions, all full: Castle ASD Base (URN 120001), "
        "Brook Special School (URN 120002)"
    )
    # A child the caller may not see keeps the id and the facts the request held, no name.
    assert (left.child.given_name, left.child.family_name, left.child.year_group) == (
        None,
        None,
        "Reception",
    )
    totals = view.totals
    assert (totals.annual_cost_pence, totals.transport_cost_pence, totals.total_cost_pence) == (
        29,
        96407,
        96436,
    )
    assert (totals.budget_pence, totals.overspend_pence) == (7, 22)
    assert view.number == 1
    assert view.solver.engine == "min_cost_flow"


def test_what_to_look_up() -> None:
    request = _request(_child(AMIRA))
    response = _response([_assignment(AMIRA, CASTLE, explanation=f"Not {GONE}")])
    assert provision_ids_named(request, response) == {CASTLE, BROOK, GRANGE, GONE}
    assert child_ids_named(response) == {AMIRA}


def test_year_groups_follow_school_year_ages() -> None:
    assert [school_year_name(age) for age in (3, 4, 5, 11, 15, 18)] == [
        "Nursery",
        "Reception",
        "Year 1",
        "Year 7",
        "Year 11",
        "Year 14",
    ]


def test_each_change_has_its_code() -> None:
    kids = [str(uuid.UUID(int=n)) for n in range(10, 17)]
    moved, lost, newly, kept, accepted, elsewhere, left = kids
    first = Exchange(
        request=_request(*(_child(k) for k in kids)),
        response=_response(
            [
                _assignment(moved, CASTLE),
                _assignment(lost, CASTLE),
                _assignment(kept, BROOK),
                _assignment(accepted, CASTLE),
                _assignment(elsewhere, CASTLE),
                _assignment(left, GRANGE),
            ],
            unplaced=[{"child_id": newly, "reason": "capacity", "detail": "full"}],
        ),
    )
    second = Exchange(
        request=_request(*(_child(k) for k in (moved, lost, newly, kept))),
        response=_response(
            [_assignment(moved, GRANGE), _assignment(newly, BROOK), _assignment(kept, BROOK)],
            unplaced=[{"child_id": lost, "reason": "capacity", "detail": "full"}],
        ),
    )
    promises = {accepted: Promise(provision_id=CASTLE), elsewhere: Promise(provision_id=BROOK)}

    changes = changes_between(
        first=first, second=second, promises=promises, provisions=FACTS, names={}
    )

    by_child = {str(c.child_id): c for c in changes}
    assert {k: c.change.value for k, c in by_child.items()} == {
        moved: "moved",
        lost: "lost_place",
        newly: "newly_placed",
        accepted: "accepted_or_placed",
        elsewhere: "promised_elsewhere",
        left: "left_round",
    }
    promised = by_child[elsewhere].promised_provision
    assert promised is not None
    assert promised.name == "Brook Special School"
    assert by_child[moved].after_provision is not None
    assert by_child[moved].after_provision.name == "Grange School"
    assert by_child[left].promised_provision is None
    # Read the other way round, the children left out of the earlier proposal are not there.
    backwards = changes_between(first=second, second=first, promises={}, provisions=FACTS, names={})
    assert {str(c.child_id): c.change.value for c in backwards} == {
        moved: "moved",
        lost: "newly_placed",
        newly: "lost_place",
        accepted: "newly_placed",
        elsewhere: "newly_placed",
        left: "newly_placed",
    }

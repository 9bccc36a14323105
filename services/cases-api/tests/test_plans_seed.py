"""The demo plans seed: plans from requests and the caseload, reviews due and overdue, placements
within capacity, a transfer round with and without named settings; deterministic."""

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access.scope import Scope
from cases_api.assessments.models import AssessmentRequest, RequestSource, RequestTransition
from cases_api.auth.principal import Principal, Role
from cases_api.children.models import Child, ChildNeed, SenStatus, Sex
from cases_api.deadlines.gathering import gather
from cases_api.deadlines.rows import RecordKind
from cases_api.demo.plans_seed import seed_plans
from cases_api.demo.seed import seed_directory
from cases_api.placements.models import Placement
from cases_api.plans.models import Plan, PlanVersion
from cases_api.provisions.models import Provision
from cases_api.reviews.models import AnnualReview, ScheduledReviewMeeting
from cases_api.reviews.queries import OverdueFilters, count_overdue
from cases_api.statutory import MilestoneStatus, RequestState
from cases_api.statutory.deadlines import DeadlineKind
from cases_api.transfers.queries import UnnamedFilters, count_unnamed
from send_contracts import NeedCode

TODAY = date(2026, 11, 1)

# The queues read what one LA's officer reads: a query is always given the caller's scope.
LA_855 = Scope(Principal(subject="seed-test", role=Role.OFFICER, la_code="855"))


def _children(session: Session, count: int) -> list[Child]:
    rng = random.Random(7)
    children = []
    for n in range(count):
        born = date(2007, 9, 1) + timedelta(days=rng.randint(0, 365 * 16))
        needs = rng.sample(list(NeedCode), k=rng.randint(1, 3))
        children.append(
            Child(
                la_code="855",
                given_name=f"Given{n:03d}",
                family_name="Seeded",
                date_of_birth=born,
                sex=Sex.FEMALE,
                home_postcode="LE11 3TU",
                sen_status=SenStatus.EHC_PLAN if n % 10 else SenStatus.SEN_SUPPORT,
                need_rows=[ChildNeed(rank=r, need=need) for r, need in enumerate(needs, 1)],
            )
        )
    session.add_all(children)
    session.flush()
    return children


def _request(session: Session, child: Child, steps: list[tuple[RequestState, date]]) -> None:
    request = AssessmentRequest(
        child_id=child.id,
        la_code=child.la_code,
        source=RequestSource.PARENT,
        received_on=date(2026, 3, 2),
        state=steps[-1][0],
    )
    session.add(request)
    session.flush()
    previous = RequestState.RECEIVED
    for state, on in steps:
        session.add(
            RequestTransition(
                request_id=request.id,
                to_state=state,
                from_state=previous,
                occurred_on=on,
                recorded_by="test",
            )
        )
        previous = state
    session.flush()
    session.expire(request)


@pytest.fixture
def county(session: Session) -> list[Child]:
    seed_directory(session)
    children = _children(session, 240)
    drafted, finalised = date(2026, 7, 1), date(2026, 7, 20)
    path = [
        (RequestState.DECIDED_TO_ASSESS, date(2026, 4, 1)),
        (RequestState.ADVICE_REQUESTED, date(2026, 4, 3)),
        (RequestState.DECIDED_TO_ISSUE, date(2026, 6, 20)),
        (RequestState.DRAFT_ISSUED, drafted),
    ]
    _request(session, children[0], [*path, (RequestState.FINAL_ISSUED, finalised)])
    _request(session, children[10], path)  # a draft only
    return children


def _fingerprint(session: Session) -> list[Any]:
    rows = session.execute(
        sa.select(Child.given_name, PlanVersion.number, PlanVersion.kind, PlanVersion.issued_on)
        .join(Plan, Plan.child_id == Child.id)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .order_by(Child.given_name, PlanVersion.number)
    ).all()
    reviews = session.execute(
        sa.select(Child.given_name, AnnualReview.meeting_on, AnnualReview.outcome)
        .join(Plan, Plan.child_id == Child.id)
        .join(AnnualReview, AnnualReview.plan_id == Plan.id)
        .order_by(Child.given_name, AnnualReview.meeting_on)
    ).all()
    return [tuple(row) for row in rows] + [tuple(row) for row in reviews]


def test_the_seed_builds_every_stage(session: Session, county: list[Child]) -> None:
    made = seed_plans(session, today=TODAY)
    # Every EHC-status child has a plan, plus the two (on SEN support) with requests.
    assert made == sum(c.sen_status is SenStatus.EHC_PLAN for c in county) + 2

    from_request = session.scalars(sa.select(Plan).where(Plan.child_id == county[0].id)).one()
    assert from_request.assessment_request_id is not None
    kinds = [v.kind for v in from_request.versions]
    assert kinds[:2] == ["draft", "final"]
    assert from_request.made_on == date(2026, 7, 20)
    drafted_only = session.scalars(sa.select(Plan).where(Plan.child_id == county[10].id)).one()
    assert [v.kind for v in drafted_only.versions] == ["draft"]

    version_kinds = Counter(session.scalars(sa.select(PlanVersion.kind)))
    assert version_kinds["amendment_notice"] > 0
    assert version_kinds["reissue"] > 0
    outcomes = Counter(session.scalars(sa.select(AnnualReview.outcome)))
    assert outcomes["amend"] > outcomes["maintain"] > 0
    assert count_overdue(session, filters=OverdueFilters(as_of=TODAY, scope=LA_855)) > 0

    unnamed = count_unnamed(session, filters=UnnamedFilters(as_of=TODAY, scope=LA_855))
    in_round = session.scalar(
        sa.select(sa.func.count())
        .select_from(Plan)
        .where(Plan.named_setting_from >= date(2027, 9, 1))
    )
    assert unnamed > 0
    assert in_round


def test_placements_stay_within_capacity(session: Session, county: list[Child]) -> None:
    before = dict(session.execute(sa.select(Provision.id, Provision.places_taken)).all())
    seed_plans(session, today=TODAY)
    session.expire_all()
    placed = Counter(session.scalars(sa.select(Placement.provision_id)))
    assert sum(placed.values()) > 0
    for provision in session.scalars(sa.select(Provision)):
        assert provision.places_taken == before[provision.id] + placed[provision.id]
        assert provision.places_taken <= provision.places_total


def test_the_seed_is_deterministic(session: Session, county: list[Child]) -> None:
    fingerprints = []
    for _ in range(2):
        savepoint = session.begin_nested()
        seed_plans(session, today=TODAY)
        fingerprints.append(_fingerprint(session))
        savepoint.rollback()
    assert fingerprints[0] == fingerprints[1]
    assert len(fingerprints[0]) > 200


def test_reviews_due_in_the_coming_two_months_have_their_meeting_scheduled(
    session: Session, county: list[Child]
) -> None:
    seed_plans(session, today=TODAY)
    soon = session.scalars(
        sa.select(Plan).where(
            Plan.ceased_on.is_(None),
            Plan.next_review_due > TODAY,
            Plan.next_review_due <= TODAY + timedelta(days=61),
        )
    ).all()
    scheduled = {row.plan_id: row for row in session.scalars(sa.select(ScheduledReviewMeeting))}
    assert soon
    assert set(scheduled) == {plan.id for plan in soon}
    for plan in soon:
        meeting = scheduled[plan.id]
        assert TODAY < meeting.meeting_on <= plan.next_review_due  # type: ignore[operator]
    rows = gather(session, scope=LA_855, as_of=TODAY)
    notices = [
        row.deadline.status
        for row in rows
        if row.record is RecordKind.SCHEDULED_REVIEW
        and row.deadline.kind is DeadlineKind.REVIEW_INVITATIONS
    ]
    statuses = Counter(notices)
    assert statuses[MilestoneStatus.MET] > statuses[MilestoneStatus.OVERDUE]
    assert statuses[MilestoneStatus.DUE_SOON] > 0

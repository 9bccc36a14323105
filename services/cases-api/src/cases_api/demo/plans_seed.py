"""Demo EHC plans, annual reviews, placements and a phase-transfer round, on top of the children
(and their requests) seeded before. Everything goes through the services, so every rule holds:
comment windows, review cycles, and never a place beyond a provision's total. Deterministic."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.assessments.models import AssessmentRequest
from cases_api.auth.principal import Principal, Role
from cases_api.children.models import Child, SenStatus
from cases_api.demo import proportions as dfe
from cases_api.demo.county import DEMO_LA_CODE
from cases_api.demo.plan_content import build_sections
from cases_api.placements import service as placements
from cases_api.placements.places import NoFreePlace
from cases_api.placements.schemas import PlacementCreate
from cases_api.plans import service as plans
from cases_api.plans.models import IN_FORCE_KINDS, Plan, VersionKind
from cases_api.plans.schemas import PlanCreate, PlanVersionCreate
from cases_api.plans.sections import NamedSetting, PlanSections, SettingCode
from cases_api.provisions.models import Provision, ProvisionNeed
from cases_api.reviews import scheduling
from cases_api.reviews import service as reviews
from cases_api.reviews.models import ReviewOutcome
from cases_api.reviews.schemas import (
    CeaseReason,
    ReviewCreate,
    ReviewDecision,
    ScheduledReviewCreate,
)
from cases_api.statutory import (
    RequestState,
    TransferDue,
    academic_year_start,
    can_finalise_draft,
    next_transfer,
    school_year_age,
)
from cases_api.statutory.review_meetings import invitations_due
from send_contracts import NeedCode

SEED = 20_261_129
SEEDER = Scope(Principal(subject="demo-seed", role=Role.OFFICER, la_code=DEMO_LA_CODE))
ANY = "*"  # the seeder always writes the current version

# The county in the domain brief: 224 of 428 Year 6 children had no named secondary placement a
# month before the deadline, so about half are named.
NAMED_FOR_TRANSFER_SHARE = 204 / 428
# Cycles whose meeting never happened, from the DfE's expected reviews with a meeting recorded.
MEETING_MISSED_SHARE = 1 - dfe.REVIEW_MEETING_HELD_SHARE
# Not a DfE figure (SEN2 does not collect review papers): an assumption for the demo.
REVIEW_PAPERS_ON_TIME_SHARE = 0.8
# Plans whose review falls due this soon have their next meeting scheduled (reg 20(3), (4)).
SCHEDULE_AHEAD = timedelta(days=61)
_ALL_ADVICE = ["education", "educational_psychologist", "health", "social_care"]


@dataclass
class _Places:
    """Provisions with their free places, kept in step with the places the seeder takes."""

    provisions: list[Provision]
    needs: dict[uuid.UUID, set[NeedCode]]
    free: dict[uuid.UUID, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> "_Places":
        provisions = list(session.scalars(sa.select(Provision).order_by(Provision.name)))
        needs: dict[uuid.UUID, set[NeedCode]] = {p.id: set() for p in provisions}
        for row in session.scalars(sa.select(ProvisionNeed)):
            needs[row.provision_id].add(row.need)
        # The seeded caseload fills only part of what is free, so the demo county keeps places
        # for in-year moves and for the coming allocation round to find.
        free = {p.id: p.free_places * 3 // 5 for p in provisions}
        return cls(provisions=provisions, needs=needs, free=free)

    def pick(self, rng: random.Random, *, age: int, need: NeedCode) -> Provision | None:
        """A provision taking this school-year age and need with a place free, or None."""
        fitting = [
            p
            for p in self.provisions
            if self.free[p.id] > 0
            and p.admits.admits(age)
            and (not self.needs[p.id] or need in self.needs[p.id])
        ]
        return rng.choice(fitting) if fitting else None


def seed_plans(session: Session, *, today: date) -> int:
    """Plans for the seeded children, with their reviews, placements and transfers; how many."""
    rng = random.Random(SEED)
    # Its own stream, so scheduling meetings leaves every other seeded figure as it was.
    scheduling_rng = random.Random(SEED + 1)
    places = _Places.load(session)
    requests = _plan_requests(session)
    children = session.scalars(
        sa.select(Child).order_by(
            Child.date_of_birth, Child.family_name, Child.given_name, Child.id
        )
    ).all()
    made = 0
    for child in children:
        plan = _seed_child(session, rng, child, requests.get(child.id), places, today)
        if plan is None:
            continue
        made += 1
        if plan.made_on is not None:
            _simulate_reviews(session, rng, plan, child, today)
            _schedule_next_review(session, scheduling_rng, plan, today)
            _name_for_transfer(session, rng, plan, child, places, today)
    session.flush()
    return made


_ISSUED_WITH_THE_PLAN = (RequestState.DRAFT_ISSUED, RequestState.FINAL_ISSUED)


def _plan_requests(session: Session) -> dict[uuid.UUID, AssessmentRequest]:
    """Each child's latest request that reached a draft or a final plan."""
    found = session.scalars(
        sa.select(AssessmentRequest)
        .where(AssessmentRequest.state.in_(_ISSUED_WITH_THE_PLAN))
        .order_by(AssessmentRequest.received_on, AssessmentRequest.id)
    )
    return {request.child_id: request for request in found}


def _phase_start(child: Child, provision: Provision, *, today: date) -> date:
    """The 1 September the child joined the year group the provision starts with."""
    years_in = school_year_age(date_of_birth=child.date_of_birth, on=today) - provision.admits.low
    return date(academic_year_start(today) - years_in, 9, 1)


def _hand_issue_to_plan(session: Session, request: AssessmentRequest) -> tuple[date, date | None]:
    """Take the draft and the final out of the request's simulated history, so the plan issues
    them again (the one way a request enters those states); returns their days."""
    drafted = request.entered_on(RequestState.DRAFT_ISSUED)
    assert drafted is not None, "only requests that reached a draft are handed over"
    finalised = request.entered_on(RequestState.FINAL_ISSUED)
    for step in [t for t in request.transitions if t.to_state in _ISSUED_WITH_THE_PLAN]:
        request.transitions.remove(step)
    request.state = RequestState.DECIDED_TO_ISSUE
    session.flush()
    return drafted, finalised


def _seed_child(
    session: Session,
    rng: random.Random,
    child: Child,
    request: AssessmentRequest | None,
    places: _Places,
    today: date,
) -> Plan | None:
    needs = child.needs or [NeedCode.OTH]
    if request is not None:
        drafted, finalised = _hand_issue_to_plan(session, request)
        # The simulation left fewer than 15 days only where the family waived the window.
        waived = finalised is not None and not can_finalise_draft(
            draft_sent_on=drafted, on=finalised
        )
        advice = [str(a.advice) for a in request.advice_requests] or _ALL_ADVICE[:3]
    elif child.sen_status is SenStatus.EHC_PLAN:
        drafted, finalised = _established_plan_dates(rng, child, today)
        waived, advice = False, _ALL_ADVICE[: rng.choice((3, 4))]
    else:
        return None
    if drafted is None or drafted < date(2000, 1, 1):
        return None
    sections = build_sections(
        rng, needs=needs, advice_on=drafted - timedelta(days=14), advice=advice, named=None
    )
    plan = plans.create_plan(
        session,
        data=PlanCreate(
            child_id=child.id,
            assessment_request_id=request.id if request is not None else None,
            issued_on=drafted,
            comments_waived=waived,
            sections=sections,
        ),
        scope=SEEDER,
    )
    if finalised is None:
        return plan
    age = school_year_age(date_of_birth=child.date_of_birth, on=today)
    provision = places.pick(rng, age=age, need=needs[0])
    # The setting the child attends now, named from the day they joined its first year group
    # (a plan finalised before then names it from that September).
    named = (
        NamedSetting(
            provision_id=provision.id,
            description=provision.name,
            starts_on=max(finalised, _phase_start(child, provision, today=today)),
        )
        if provision is not None
        else NamedSetting(setting_code=_setting_code(rng, age), starts_on=finalised)
    )
    plans.add_version(
        session,
        plan_id=plan.id,
        data=PlanVersionCreate(
            kind=VersionKind.FINAL,
            issued_on=finalised,
            comments_waived=waived,
            sections=sections.model_copy(update={"i": named}),
        ),
        if_match=ANY,
        scope=SEEDER,
    )
    if provision is not None and named.starts_on is not None:
        _place(session, child, provision, min(named.starts_on, today), places, today=today)
    return plan


def _established_plan_dates(rng: random.Random, child: Child, today: date) -> tuple[date, date]:
    """A plan made some years ago (after the child turned two), drafted weeks before."""
    earliest = child.date_of_birth + timedelta(days=2 * 365)
    span = max((today - earliest).days, 120)
    finalised = today - timedelta(days=rng.randint(60, min(span, 4 * 365)))
    return finalised - timedelta(days=rng.randint(16, 40)), finalised


def _setting_code(rng: random.Random, age: int) -> SettingCode:
    if age < 4:
        return SettingCode.EYP
    if age >= 16 and rng.random() < 0.4:
        return SettingCode.NEET
    return rng.choice([SettingCode.EHE, SettingCode.OLA, SettingCode.OTH])


def _place(
    session: Session,
    child: Child,
    provision: Provision,
    starts_on: date,
    places: _Places,
    *,
    today: date,
) -> None:
    # A child moving phase next September leaves this place on the last day of August.
    transfer = next_transfer(date_of_birth=child.date_of_birth, today=today)
    ends_on = None
    if transfer is not None and transfer.transfer_on - today < timedelta(days=366):
        ends_on = max(starts_on, transfer.transfer_on - timedelta(days=1))
    try:
        placements.create_placement(
            session,
            data=PlacementCreate(
                child_id=child.id, provision_id=provision.id, starts_on=starts_on, ends_on=ends_on
            ),
            scope=SEEDER,
        )
    except NoFreePlace:
        places.free[provision.id] = 0
        return
    places.free[provision.id] -= 1


def _review_papers(rng: random.Random, *, meeting: date, today: date) -> ReviewCreate:
    """The meeting with its papers (reg 20(3), (4), (7)): most sent on time, some late, and
    a report not yet sent for some recent meetings."""
    on_time = rng.random() < REVIEW_PAPERS_ON_TIME_SHARE
    before = rng.randint(14, 35) if on_time else rng.randint(3, 13)
    invitations = meeting - timedelta(days=before)
    advice = min(meeting, invitations + timedelta(days=rng.randint(0, 7)))
    report = meeting + timedelta(days=rng.randint(3, 14) if on_time else rng.randint(15, 40))
    return ReviewCreate(
        meeting_on=meeting,
        invitations_sent_on=invitations,
        advice_circulated_on=advice,
        report_sent_on=report if report <= today else None,
    )


def _schedule_next_review(session: Session, rng: random.Random, plan: Plan, today: date) -> None:
    """The next meeting of a plan whose review falls due in the coming two months, a few weeks
    before the due day: its notice and advice mostly sent on time once due, a few not yet; where
    the notice is not yet due, about half already sent."""
    due = plan.next_review_due
    if plan.ceased_on is not None or due is None or not today < due <= today + SCHEDULE_AHEAD:
        return
    meeting = max(today + timedelta(days=1), due - timedelta(days=rng.randint(0, 21)))
    notice_due = invitations_due(meeting)
    if notice_due <= today:
        sent = rng.random() < REVIEW_PAPERS_ON_TIME_SHARE
        notice = notice_due - timedelta(days=rng.randint(0, 10)) if sent else None
    else:
        notice = today - timedelta(days=rng.randint(0, 7)) if rng.random() < 0.5 else None
    advice = min(today, notice + timedelta(days=rng.randint(0, 7))) if notice else None
    scheduling.schedule(
        session,
        plan_id=plan.id,
        data=ScheduledReviewCreate(
            meeting_on=meeting, invitations_sent_on=notice, advice_circulated_on=advice
        ),
        today=today,
        scope=SEEDER,
    )


def _simulate_reviews(
    session: Session, rng: random.Random, plan: Plan, child: Child, today: date
) -> None:
    """Review cycles up to today: most meetings held around the due date, some missed."""
    while plan.ceased_on is None and plan.next_review_due is not None:
        due = plan.next_review_due
        if due >= today or rng.random() < MEETING_MISSED_SHARE:
            return
        early = rng.random() < 0.7
        meeting = (
            due - timedelta(days=rng.randint(0, 40))
            if early
            else due + timedelta(days=rng.randint(1, 90))
        )
        meeting = max(meeting, plan.last_review_meeting_on or plan.made_on or meeting)
        if meeting > today:
            return
        review = reviews.record_review(
            session,
            plan_id=plan.id,
            data=_review_papers(rng, meeting=meeting, today=today),
            today=today,
            scope=SEEDER,
        )
        on_time = rng.random() < dfe.REVIEW_DECISIONS_WITHIN_4_WEEKS_SHARE
        decided = meeting + timedelta(days=rng.randint(5, 28) if on_time else rng.randint(29, 75))
        if decided > today:
            continue
        outcome = rng.choices(
            [ReviewOutcome(name) for name in dfe.REVIEW_OUTCOME_SHARES],
            weights=list(dfe.REVIEW_OUTCOME_SHARES.values()),
        )[0]
        reason = None
        if outcome is ReviewOutcome.CEASE:
            adult = school_year_age(date_of_birth=child.date_of_birth, on=decided) >= 19
            reason = (
                CeaseReason.MAXIMUM_AGE
                if adult
                else rng.choice(
                    [CeaseReason.NEEDS_MET_WITHOUT_PLAN, CeaseReason.MOVED_TO_ANOTHER_LA]
                )
            )
        reviews.decide_review(
            session,
            review_id=review.id,
            data=ReviewDecision(
                decision_notified_on=decided,
                outcome=outcome,
                cease_reason=int(reason) if reason is not None else None,
            ),
            if_match=ANY,
            today=today,
            scope=SEEDER,
        )
        if outcome is ReviewOutcome.AMEND:
            _amend(
                session,
                rng,
                plan,
                notice_on=decided + timedelta(days=rng.randint(0, 14)),
                today=today,
            )


def _amend(
    session: Session, rng: random.Random, plan: Plan, *, notice_on: date, today: date
) -> None:
    """An amendment notice with more support in F, then the amended plan if its time has come."""
    if plan.latest_kind not in IN_FORCE_KINDS or notice_on > today:
        return
    current = PlanSections.model_validate(plan.latest_version.sections)
    more = [
        line.model_copy(update={"hours_per_week": line.hours_per_week + 0.5}) if n == 0 else line
        for n, line in enumerate(current.f)
    ]
    amended = current.model_copy(update={"f": more})
    for kind, on in (
        (VersionKind.AMENDMENT_NOTICE, notice_on),
        (VersionKind.REISSUE, notice_on + timedelta(days=rng.randint(15, 70))),
    ):
        if on > today:
            return
        _issue(session, plan, kind=kind, on=on, sections=amended)


def _name_for_transfer(
    session: Session,
    rng: random.Random,
    plan: Plan,
    child: Child,
    places: _Places,
    today: date,
) -> None:
    """For about half of the coming round, a re-issued plan naming the new phase's setting."""
    due = next_transfer(date_of_birth=child.date_of_birth, today=today)
    if due is None or plan.ceased_on is not None or plan.latest_kind not in IN_FORCE_KINDS:
        return
    if rng.random() >= NAMED_FOR_TRANSFER_SHARE:
        return
    latest_on = plan.latest_version.issued_on
    issued = max(latest_on, today - timedelta(days=rng.randint(0, 90)))
    current = PlanSections.model_validate(plan.latest_version.sections)
    _issue(
        session,
        plan,
        kind=VersionKind.REISSUE,
        on=issued,
        sections=current.model_copy(update={"i": _new_phase_setting(rng, child, due, places)}),
    )


def _new_phase_setting(
    rng: random.Random, child: Child, due: TransferDue, places: _Places
) -> NamedSetting:
    need = child.needs[0] if child.needs else NeedCode.OTH
    age = school_year_age(date_of_birth=child.date_of_birth, on=due.transfer_on)
    provision = places.pick(rng, age=age, need=need)
    if provision is None:
        return NamedSetting(setting_code=_setting_code(rng, age), starts_on=due.transfer_on)
    return NamedSetting(
        provision_id=provision.id, description=provision.name, starts_on=due.transfer_on
    )


def _issue(
    session: Session, plan: Plan, *, kind: VersionKind, on: date, sections: PlanSections
) -> None:
    plans.add_version(
        session,
        plan_id=plan.id,
        data=PlanVersionCreate(kind=kind, issued_on=on, sections=sections),
        if_match=ANY,
        scope=SEEDER,
    )

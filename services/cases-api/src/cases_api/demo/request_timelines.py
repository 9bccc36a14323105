"""Simulated histories of requests for assessment, in the DfE's proportions (pure: rng in)."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cases_api.demo import proportions as dfe
from cases_api.statutory import AdviceType, ExceptionGround, RequestState

_WITHDRAWN_BEFORE_DECISION = dfe.REQUEST_OUTCOME_SHARES["withdrawn"]
_NOT_ISSUED = dfe.ASSESSMENT_OUTCOME_SHARES["plan_not_issued"]
_WITHDRAWN_IN_ASSESSMENT = dfe.ASSESSMENT_OUTCOME_SHARES["withdrawn"]
_WAIVED_SHARE = 0.1  # families who waive the comment window: an assumption, no DfE figure


@dataclass(kw_only=True)
class SimulatedRequest:
    """What happened on one request up to ``today``: the states entered (in order, with dates),
    the advice sought, the exceptions recorded, and whether the family waived comments."""

    received_on: date
    steps: list[tuple[RequestState, date]] = field(default_factory=list)
    advice: list[tuple[AdviceType, date, date | None]] = field(default_factory=list)
    exceptions: list[tuple[ExceptionGround, date, date]] = field(default_factory=list)
    comments_waived: bool = False

    @property
    def state(self) -> RequestState:
        return self.steps[-1][0] if self.steps else RequestState.RECEIVED


def simulate_request(rng: random.Random, *, received_on: date, today: date) -> SimulatedRequest:
    """A lawful history for a request received on ``received_on``, cut off at ``today``."""
    full = _full_history(rng, received_on)
    return _as_of(full, today)


def _full_history(rng: random.Random, received_on: date) -> SimulatedRequest:
    request = SimulatedRequest(received_on=received_on)

    def on(days: int) -> date:
        return received_on + timedelta(days=days)

    if rng.random() < _WITHDRAWN_BEFORE_DECISION:
        request.steps.append((RequestState.WITHDRAWN, on(rng.randint(5, 40))))
        return request
    on_time = rng.random() < dfe.REQUEST_DECISIONS_WITHIN_6_WEEKS_SHARE
    decision = rng.randint(21, 42) if on_time else rng.randint(43, 84)
    if rng.random() >= dfe.REQUESTS_ASSESSED_SHARE_OF_DECIDED:
        request.steps.append((RequestState.REFUSED_TO_ASSESS, on(decision)))
        return request
    asked = decision + rng.randint(1, 5)
    request.steps += [(RequestState.DECIDED_TO_ASSESS, on(decision))]
    request.steps += [(RequestState.ADVICE_REQUESTED, on(asked))]
    kinds = [AdviceType.EDUCATION, AdviceType.EDUCATIONAL_PSYCHOLOGIST, AdviceType.HEALTH]
    if rng.random() < 0.6:
        kinds.append(AdviceType.SOCIAL_CARE)
    target_final = _final_plan_day(rng)
    # Late advice is one of the commonest reasons a plan is late: give it to late plans.
    late_advice = target_final > 140 and rng.random() < 0.5
    arrivals = [asked + rng.randint(18, 70 if late_advice else 38) for _ in kinds]
    request.advice = [(kind, on(asked), on(day)) for kind, day in zip(kinds, arrivals, strict=True)]
    if rng.random() < dfe.NEW_PLANS_WITH_EXCEPTION_SHARE:
        request.exceptions.append(_exception(rng, on(asked + rng.randint(0, 30))))

    outcome = rng.random()
    if outcome < _WITHDRAWN_IN_ASSESSMENT:
        request.steps.append((RequestState.WITHDRAWN, on(asked + rng.randint(10, 40))))
        return request
    if outcome < _WITHDRAWN_IN_ASSESSMENT + _NOT_ISSUED:
        within = rng.random() < dfe.NO_PLAN_DECISIONS_WITHIN_16_WEEKS_SHARE
        day = max(max(arrivals) + 3, rng.randint(84, 112) if within else rng.randint(113, 180))
        request.steps.append((RequestState.DECIDED_NOT_TO_ISSUE, on(day)))
        return request

    # Work back from the final plan's day, so a late plan is late while advice and drafting
    # drag on (as it is in practice), not while a draft sits unanswered.
    request.comments_waived = rng.random() < _WAIVED_SHARE
    window = rng.randint(2, 10) if request.comments_waived else rng.randint(15, 25)
    drafting = rng.randint(3, 10)
    earliest_decision = max(arrivals) + rng.randint(2, 10)
    final = max(target_final, earliest_decision + drafting + window)
    drafted = final - window
    request.steps += [
        (RequestState.DECIDED_TO_ISSUE, on(drafted - drafting)),
        (RequestState.DRAFT_ISSUED, on(drafted)),
        (RequestState.FINAL_ISSUED, on(final)),
    ]
    return request


def _final_plan_day(rng: random.Random) -> int:
    """Days from receipt to the final plan, in the DfE's timeliness bands (within 20 weeks,
    20 to 52 weeks, over 52 weeks)."""
    band = rng.random()
    if band < dfe.NEW_PLANS_WITHIN_20_WEEKS_SHARE:
        return rng.randint(95, 140)
    if band < dfe.NEW_PLANS_WITHIN_20_WEEKS_SHARE + dfe.NEW_PLANS_20_TO_52_WEEKS_SHARE:
        return rng.randint(141, 364)
    return rng.randint(365, 430)


def _exception(rng: random.Random, start: date) -> tuple[ExceptionGround, date, date]:
    ground = rng.choice(list(ExceptionGround))
    days = rng.randint(5, 21) if not ground.needs_four_weeks else rng.randint(28, 42)
    return ground, start, start + timedelta(days=days - 1)


def _as_of(full: SimulatedRequest, today: date) -> SimulatedRequest:
    steps = []
    for state, day in full.steps:
        if day > today:
            break
        steps.append((state, day))
    asked = any(state is RequestState.ADVICE_REQUESTED for state, _ in steps)
    drafted = any(state is RequestState.DRAFT_ISSUED for state, _ in steps)
    return SimulatedRequest(
        received_on=full.received_on,
        steps=steps,
        advice=[
            (kind, requested, received if received is not None and received <= today else None)
            for kind, requested, received in full.advice
            if asked
        ],
        exceptions=[exception for exception in full.exceptions if exception[1] <= today],
        comments_waived=full.comments_waived and drafted,
    )

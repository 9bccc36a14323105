"""Pure functions presenting a stored proposal in the LA's terms: children and provisions by name,
money in pence, explanations naming provisions, and what changed between two proposals. No
database: the callers load the lookups (`cases_api.rounds.reading`)."""

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cases_api.rounds.schemas import (
    AlternativeView,
    AssignmentView,
    ChangeCode,
    ChildRef,
    PreferenceNotHonouredView,
    ProposalChange,
    ProposalListItem,
    ProposalTotalsView,
    ProposalView,
    ProvisionRef,
    RoundChildProgress,
    UnplacedView,
)
from cases_api.rounds.tracking import ChildOnRoute
from cases_api.statutory import school_year_name
from send_contracts import ProvisionKind
from send_contracts.matching import ProposalRequest, ProposalResponse

_UUID = re.compile(r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b")


@dataclass(frozen=True, kw_only=True)
class ProvisionFacts:
    name: str
    urn: int | None
    kind: ProvisionKind | None


@dataclass(frozen=True, kw_only=True)
class ChildName:
    given_name: str
    family_name: str


@dataclass(frozen=True, kw_only=True)
class Promise:
    """A place promised to a child (an accepted or overridden decision) at a provision."""

    provision_id: str | None


def pence(pounds: float) -> int:
    """Pounds as the matching contract gives them, in exact integer pence."""
    return round(pounds * 100)


def provision_ids_named(request: ProposalRequest, response: ProposalResponse) -> set[str]:
    """Every provision id the proposal mentions, in its fields or in its texts."""
    ids = {provision.id for provision in request.provisions}
    for assignment in response.assignments:
        ids.add(assignment.provision_id)
        ids.update(alternative.provision_id for alternative in assignment.nearer_alternatives)
        ids.update(_UUID.findall(assignment.explanation))
    for unplaced in response.unplaced:
        ids.update(_UUID.findall(unplaced.detail))
    ids.update(refused.provision_id for refused in response.preferences_not_honoured)
    return ids


def child_ids_named(*responses: ProposalResponse) -> set[str]:
    """Every child id the proposals mention."""
    return {
        child_id
        for response in responses
        for child_id in (
            *(a.child_id for a in response.assignments),
            *(u.child_id for u in response.unplaced),
            *(p.child_id for p in response.preferences_not_honoured),
        )
    }


class _Namer:
    """Children and provisions by id, from the lookups, falling back on the request."""

    def __init__(
        self,
        *,
        request: ProposalRequest | None,
        provisions: Mapping[str, ProvisionFacts],
        names: Mapping[str, ChildName],
    ) -> None:
        self._names = names
        self._children = {c.id: c for c in request.children} if request else {}
        # One reference per child and provision, shared by every mention: a proposal of
        # thousands of children mentions each provision many times.
        self._child_refs: dict[str, ChildRef] = {}
        self._provision_refs: dict[str, ProvisionRef] = {}
        self._provisions = dict(provisions)
        for sent in request.provisions if request else ():
            self._provisions.setdefault(
                sent.id, ProvisionFacts(name=sent.name, urn=None, kind=sent.kind)
            )

    def child(self, child_id: str) -> ChildRef:
        if (known := self._child_refs.get(child_id)) is None:
            known = self._child_refs[child_id] = self._child(child_id)
        return known

    def provision(self, provision_id: str) -> ProvisionRef:
        if (known := self._provision_refs.get(provision_id)) is None:
            known = self._provision_refs[provision_id] = self._provision(provision_id)
        return known

    def _child(self, child_id: str) -> ChildRef:
        sent = self._children.get(child_id)
        name = self._names.get(child_id)
        return ChildRef(
            id=uuid.UUID(child_id),
            given_name=name.given_name if name else None,
            family_name=name.family_name if name else None,
            year_group=school_year_name(sent.age) if sent else None,
            primary_need=sent.primary_need if sent else None,
        )

    def _provision(self, provision_id: str) -> ProvisionRef:
        facts = self._provisions.get(provision_id)
        return ProvisionRef(
            id=uuid.UUID(provision_id),
            name=facts.name if facts else None,
            urn=facts.urn if facts else None,
            kind=facts.kind if facts else None,
        )

    def text(self, text: str) -> str:
        """The text with each known provision id replaced by `Name (URN n)`."""

        def label(match: re.Match[str]) -> str:
            facts = self._provisions.get(match.group(0))
            if facts is None:
                return match.group(0)
            return f"{facts.name} (URN {facts.urn})" if facts.urn is not None else facts.name

        return _UUID.sub(label, text)


def present_proposal_view(
    *,
    header: ProposalListItem,
    request: ProposalRequest,
    response: ProposalResponse,
    provisions: Mapping[str, ProvisionFacts],
    names: Mapping[str, ChildName],
) -> ProposalView:
    """A stored proposal in the LA's terms."""
    namer = _Namer(request=request, provisions=provisions, names=names)
    totals = response.totals
    return ProposalView(
        **header.model_dump(),
        assignments=[
            AssignmentView(
                child=namer.child(a.child_id),
                provision=namer.provision(a.provision_id),
                distance_km=a.distance_km,
                annual_cost_pence=pence(a.annual_cost),
                transport_cost_pence=pence(a.transport_cost),
                preference_honoured=a.preference_honoured,
                explanation=namer.text(a.explanation),
                nearer_alternatives=[
                    AlternativeView(
                        provision=namer.provision(n.provision_id),
                        distance_km=n.distance_km,
                        why_not=n.why_not,
                    )
                    for n in a.nearer_alternatives
                ],
            )
            for a in response.assignments
        ],
        unplaced_children=[
            UnplacedView(
                child=namer.child(u.child_id), reason=u.reason, detail=namer.text(u.detail)
            )
            for u in response.unplaced
        ],
        preferences_not_honoured=[
            PreferenceNotHonouredView(
                child=namer.child(p.child_id),
                provision=namer.provision(p.provision_id),
                reason=p.reason,
            )
            for p in response.preferences_not_honoured
        ],
        totals=ProposalTotalsView(
            children=totals.children,
            placed=totals.placed,
            unplaced=totals.unplaced,
            preferences_requested=totals.preferences_requested,
            preferences_honoured=totals.preferences_honoured,
            annual_cost_pence=pence(totals.annual_cost),
            transport_cost_pence=pence(totals.transport_cost),
            total_cost_pence=pence(totals.total_cost),
            distance_km=totals.distance_km,
            budget_pence=pence(totals.budget) if totals.budget is not None else None,
            overspend_pence=pence(totals.overspend),
        ),
        solver=response.solver,
    )


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """One stored proposal: what was asked and what came back."""

    request: ProposalRequest
    response: ProposalResponse


def _change_code(
    *, before: str | None, after: str | None, in_after_request: bool, promise: Promise | None
) -> ChangeCode | None:
    if after is not None:
        if before is None:
            return ChangeCode.NEWLY_PLACED
        return ChangeCode.MOVED if before != after else None
    if in_after_request:
        return ChangeCode.LOST_PLACE if before is not None else None
    if promise is None:
        return ChangeCode.LEFT_ROUND
    if promise.provision_id is not None and promise.provision_id == before:
        return ChangeCode.ACCEPTED_OR_PLACED
    return ChangeCode.PROMISED_ELSEWHERE


def changes_between(
    *,
    first: Exchange,
    second: Exchange,
    promises: Mapping[str, Promise],
    provisions: Mapping[str, ProvisionFacts],
    names: Mapping[str, ChildName],
) -> list[ProposalChange]:
    """Each child of the first proposal whose outcome differs in the second, by child id, with
    why. `promises` holds the places promised to children before the second was asked for: the
    only reason, besides leaving the cohort, that a child is left out of a later request."""
    placed_before = {a.child_id: a.provision_id for a in first.response.assignments}
    placed_after = {a.child_id: a.provision_id for a in second.response.assignments}
    in_first = {c.id for c in first.request.children}
    in_second = {c.id for c in second.request.children}
    before_namer = _Namer(request=first.request, provisions=provisions, names=names)
    after_namer = _Namer(request=second.request, provisions=provisions, names=names)
    changes = []
    for child_id in sorted(in_first | set(placed_after)):
        before, after = placed_before.get(child_id), placed_after.get(child_id)
        promise = promises.get(child_id)
        code = _change_code(
            before=before, after=after, in_after_request=child_id in in_second, promise=promise
        )
        if code is None:
            continue
        promised = (
            promise.provision_id
            if promise is not None
            and code in (ChangeCode.ACCEPTED_OR_PLACED, ChangeCode.PROMISED_ELSEWHERE)
            else None
        )
        name = names.get(child_id)
        changes.append(
            ProposalChange(
                child_id=uuid.UUID(child_id),
                given_name=name.given_name if name else None,
                family_name=name.family_name if name else None,
                change=code,
                before_provision=before_namer.provision(before) if before else None,
                after_provision=after_namer.provision(after) if after else None,
                promised_provision=after_namer.provision(promised) if promised else None,
            )
        )
    return changes


def ids_in(values: Iterable[str]) -> list[uuid.UUID]:
    """The values that are UUIDs, as UUIDs (ids in a stored proposal are ours, but a purged
    child's texts hold a placeholder)."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def present_progress(
    child: ChildOnRoute,
    *,
    name: ChildName | None,
    age_at_entry: int,
    provision: ProvisionFacts | None,
) -> RoundChildProgress:
    """A child's place on the route, as the API shows it: names where the caller may see them."""
    return RoundChildProgress(
        child_id=child.child_id,
        given_name=name.given_name if name else None,
        family_name=name.family_name if name else None,
        year_group=school_year_name(age_at_entry),
        stage=child.progress.stage,
        provision_id=child.provision_id,
        provision_name=provision.name if provision else None,
        provision_urn=provision.urn if provision else None,
        decision_id=child.decision_id,
        consultation_id=child.consultation_id,
        school_reply_due_on=child.consultation_due_on,
        school_answered_on=child.school_answered_on,
        plan_id=child.plan_id,
        notice_version=child.notice_version,
        notice_issued_on=child.notice_issued_on,
        comments_until=child.progress.comments_until,
        may_issue_from=child.progress.may_issue_from,
        plan_due_by=child.progress.plan_due_by,
        plan_due_basis=child.progress.plan_due_basis,
        plan_issued_on=child.plan_issued_on,
        overdue=child.progress.overdue,
    )

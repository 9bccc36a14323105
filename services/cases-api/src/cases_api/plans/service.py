"""EHC plans' operations. Versions are only ever added; services flush, the request commits."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.assessments.models import AssessmentRequest
from cases_api.assessments.service import record_plan_issued
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.plans.diff import diff_sections
from cases_api.plans.models import IN_FORCE_KINDS, Plan, PlanVersion, VersionKind
from cases_api.plans.schemas import PlanCreate, PlanDiffRead, PlanVersionCreate, present_diff
from cases_api.plans.sections import NamedSetting, PlanSections
from cases_api.provisions.models import Provision
from cases_api.rounds.models import Consultation, ConsultationStatus
from cases_api.statutory import (
    CommentWindowOpen,
    require_can_finalise_draft,
    review_due,
    school_year_age,
    school_year_name,
)

# Which kinds of version may follow the latest one.
_MAY_FOLLOW: dict[VersionKind, frozenset[VersionKind]] = {
    VersionKind.DRAFT: frozenset({VersionKind.DRAFT}),
    VersionKind.FINAL: frozenset({VersionKind.DRAFT}),
    # A revised amendment notice (another setting proposed after a school declined) restarts
    # the family's 15 days (reg 22(2)(c)).
    VersionKind.AMENDMENT_NOTICE: frozenset(
        {VersionKind.FINAL, VersionKind.REISSUE, VersionKind.AMENDMENT_NOTICE}
    ),
    VersionKind.REISSUE: frozenset(
        {VersionKind.AMENDMENT_NOTICE, VersionKind.FINAL, VersionKind.REISSUE}
    ),
}
# Versions that give the family 15 days to comment before the plan is made final or re-issued.
_COMMENTED_KINDS = (VersionKind.DRAFT, VersionKind.AMENDMENT_NOTICE)


def get_plan(session: Session, *, plan_id: uuid.UUID, scope: Scope) -> Plan:
    """The plan with this id, if the caller may see its child."""
    plan = session.get(Plan, plan_id)
    if plan is None or not scope.can_see_child(session, plan.child_id):
        raise NotFound(f"No plan with id {plan_id}.")
    return plan


def get_version(session: Session, *, plan_id: uuid.UUID, number: int, scope: Scope) -> PlanVersion:
    """Version `number` of the plan."""
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    if not 1 <= number <= len(plan.versions):
        raise NotFound(f"Plan {plan_id} has no version {number}.")
    return plan.versions[number - 1]


def create_plan(session: Session, *, data: PlanCreate, scope: Scope) -> Plan:
    """Start a child's plan with its draft."""
    child = scope.child_in_body(session, data.child_id)
    in_force = session.scalar(
        sa.select(Plan.id).where(Plan.child_id == child.id, Plan.ceased_on.is_(None))
    )
    if in_force is not None:
        raise Conflict(
            f"Child {child.id} already has a plan that has not ceased ({in_force}); "
            "add a version to it instead.",
            plan_id=str(in_force),
        )
    _check_request(session, request_id=data.assessment_request_id, child=child)
    _check_sections(session, kind=VersionKind.DRAFT, sections=data.sections)
    if data.assessment_request_id is not None:  # the request follows its plan
        record_plan_issued(
            session,
            request_id=data.assessment_request_id,
            kind=VersionKind.DRAFT,
            issued_on=data.issued_on,
            scope=scope,
        )
    plan = Plan(
        child_id=child.id,
        assessment_request_id=data.assessment_request_id,
        latest_version_number=1,
        latest_kind=VersionKind.DRAFT,
    )
    plan.versions.append(
        _new_version(
            number=1,
            kind=VersionKind.DRAFT,
            issued_on=data.issued_on,
            comments_waived=data.comments_waived,
            sections=data.sections,
            scope=scope,
        )
    )
    session.add(plan)
    session.flush()
    return plan


def add_version(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: PlanVersionCreate,
    if_match: str | None,
    scope: Scope,
) -> PlanVersion:
    """Issue the plan's next version, if it may follow the latest one and the sections hold."""
    plan = _plan_for_new_version(session, plan_id=plan_id, if_match=if_match, scope=scope)
    return _append_version(session, plan=plan, data=data, scope=scope)


def _plan_for_new_version(
    session: Session, *, plan_id: uuid.UUID, if_match: str | None, scope: Scope
) -> Plan:
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    check_if_match(if_match, current_version=plan.version)
    if plan.ceased_on is not None:
        raise Conflict(f"The plan ceased on {plan.ceased_on}; it takes no new versions.")
    return plan


def _append_version(
    session: Session, *, plan: Plan, data: PlanVersionCreate, scope: Scope
) -> PlanVersion:
    previous = plan.latest_version
    _require_may_follow(previous, data)
    child = session.get_one(Child, plan.child_id)
    _check_sections(session, kind=data.kind, sections=data.sections)
    _check_named_setting(session, child=child, sections=data.sections, issued_on=data.issued_on)
    if data.kind in IN_FORCE_KINDS:
        _require_consulted(session, plan=plan, child=child, sections=data.sections)
    # A final follows only a draft, so this is the plan's first: its request is issued with it.
    if data.kind is VersionKind.FINAL and plan.assessment_request_id is not None:
        record_plan_issued(
            session,
            request_id=plan.assessment_request_id,
            kind=data.kind,
            issued_on=data.issued_on,
            scope=scope,
        )
    version = _new_version(
        number=previous.number + 1,
        kind=data.kind,
        issued_on=data.issued_on,
        comments_waived=data.comments_waived,
        sections=data.sections,
        scope=scope,
    )
    plan.versions.append(version)
    plan.latest_version_number = version.number
    plan.latest_kind = version.kind
    if version.kind in IN_FORCE_KINDS:
        _take_facts_from_final(plan, issued_on=data.issued_on, sections=data.sections)
    # Touch the row so the plan's version (its ETag) moves with every new plan version.
    plan.updated_at = utcnow()
    session.flush()
    return version


def propose_named_setting(
    session: Session,
    *,
    child_id: uuid.UUID,
    provision: Provision,
    starts_on: date,
    issued_on: date,
    scope: Scope,
) -> PlanVersion | None:
    """Send the family an amendment notice proposing ``provision`` in section I, the rest of
    the plan as it stands (reg 22(2)): they have 15 days to comment and to ask for a particular
    school, while the school is consulted. Nothing is sent for a plan still in draft (its final
    names the setting, reg 13/14) or for a child with no plan."""
    plan = session.scalar(
        sa.select(Plan).where(Plan.child_id == child_id, Plan.ceased_on.is_(None)).limit(1)
    )
    if plan is None or plan.made_on is None:
        return None
    scope.require_write(session.get_one(Child, plan.child_id))
    sections = PlanSections.model_validate(plan.latest_version.sections)
    proposed = sections.model_copy(
        update={
            "i": NamedSetting(
                provision_id=provision.id, description=provision.name[:200], starts_on=starts_on
            )
        }
    )
    data = PlanVersionCreate(
        kind=VersionKind.AMENDMENT_NOTICE, issued_on=issued_on, sections=proposed
    )
    return _append_version(session, plan=plan, data=data, scope=scope)


def issue_amended_plan(
    session: Session,
    *,
    plan_id: uuid.UUID,
    issued_on: date,
    comments_waived: bool,
    if_match: str | None,
    scope: Scope,
) -> PlanVersion:
    """Issue the amended plan as its latest amendment notice proposed it (reg 22(3)): once the
    family's 15 days have run (or they waived them) and any school consulted has agreed."""
    plan = _plan_for_new_version(session, plan_id=plan_id, if_match=if_match, scope=scope)
    notice = plan.latest_version
    if notice.kind is not VersionKind.AMENDMENT_NOTICE:
        raise Conflict(
            f"The plan's latest version is a {notice.kind}, not an amendment notice: there is "
            "no proposed amendment to issue.",
            latest_kind=str(notice.kind),
        )
    data = PlanVersionCreate(
        kind=VersionKind.REISSUE,
        issued_on=issued_on,
        comments_waived=comments_waived,
        sections=PlanSections.model_validate(notice.sections),
    )
    return _append_version(session, plan=plan, data=data, scope=scope)


def named_setting_warnings(session: Session, *, version: PlanVersion) -> list[str]:
    """What an officer should look at again in the setting section I names (not refusals)."""
    named = PlanSections.model_validate(version.sections).i
    if named is None or named.provision_id is None:
        return []
    provision = session.get(Provision, named.provision_id)
    child = session.get_one(Child, version.plan.child_id)
    if provision is None or not provision.designated_needs or not child.needs:
        return []
    if child.needs[0] in provision.designated_needs:
        return []
    return [
        f"{provision.name} is designated for {', '.join(provision.designated_needs)}, not for "
        f"the child's primary need ({child.needs[0]}): check it can meet section B."
    ]


def diff_versions(
    session: Session, *, plan_id: uuid.UUID, from_number: int, to_number: int, scope: Scope
) -> PlanDiffRead:
    """What changed between two versions of the plan, section by section."""
    before = get_version(session, plan_id=plan_id, number=from_number, scope=scope)
    after = get_version(session, plan_id=plan_id, number=to_number, scope=scope)
    return present_diff(plan_id, before, after, diff_sections(before.sections, after.sections))


def _check_request(session: Session, *, request_id: uuid.UUID | None, child: Child) -> None:
    if request_id is None:
        return
    request = session.get(AssessmentRequest, request_id)
    if request is None or request.child_id != child.id:
        raise InvalidInput(f"assessment_request_id {request_id} is not a request for this child.")


def _require_may_follow(previous: PlanVersion, data: PlanVersionCreate) -> None:
    if previous.kind not in _MAY_FOLLOW[data.kind]:
        allowed = sorted(kind for kind, after in _MAY_FOLLOW.items() if previous.kind in after)
        raise Conflict(
            f"A {data.kind} cannot follow a {previous.kind}; next may come: {', '.join(allowed)}.",
            latest_kind=str(previous.kind),
        )
    if data.issued_on < previous.issued_on:
        raise InvalidInput(
            f"issued_on {data.issued_on} is before version {previous.number} ({previous.issued_on})."
        )
    if data.kind in IN_FORCE_KINDS and previous.kind in _COMMENTED_KINDS:
        try:
            require_can_finalise_draft(
                draft_sent_on=previous.issued_on,
                on=data.issued_on,
                comments_waived=previous.comments_waived or data.comments_waived,
            )
        except CommentWindowOpen as error:
            raise Conflict(
                f"The family's 15-day comment window on the {previous.kind} of "
                f"{previous.issued_on} is still open: the plan may be made final from "
                f"{error.may_finalise_from}, unless the family waives the window.",
                may_finalise_from=error.may_finalise_from.isoformat(),
            ) from error


def _check_sections(session: Session, *, kind: VersionKind, sections: PlanSections) -> None:
    named = sections.i
    if kind is VersionKind.DRAFT and named is not None:
        raise InvalidInput("Section I stays blank in a draft: the setting is named in the final.")
    if kind in IN_FORCE_KINDS:
        if named is None:
            raise InvalidInput(f"A {kind} plan names a setting in section I.")
        unmet = sections.needs_without_provision()
        if unmet:
            raise InvalidInput(
                f"Every B need needs provision in F; none meets: {', '.join(unmet)}.",
                unmet_need_ids=unmet,
            )
    provision_id = named.provision_id if named is not None else None
    if provision_id is not None and session.get(Provision, provision_id) is None:
        raise InvalidInput(f"Section I names provision {provision_id}, not in the directory.")


def _check_named_setting(
    session: Session, *, child: Child, sections: PlanSections, issued_on: date
) -> None:
    """A setting named in section I must take children of the child's school-year age when the
    plan names it (s39(4)(a): suitable for the child's age), judged on the later of the day the
    place starts and the day the version is issued."""
    named = sections.i
    if named is None or named.provision_id is None:
        return
    provision = session.get(Provision, named.provision_id)
    if provision is None:
        return
    on = max(named.starts_on or issued_on, issued_on)
    age = school_year_age(date_of_birth=child.date_of_birth, on=on)
    if not provision.admits.admits(age):
        raise InvalidInput(
            f"Section I names {provision.name}, which takes {provision.admits.name}; on {on} "
            f"the child is in {school_year_name(age)} (school-year age {age}), so the setting "
            "does not admit the child's age (s39(4)(a)).",
            provision_id=str(provision.id),
            school_year_age=age,
        )


def _require_consulted(
    session: Session, *, plan: Plan, child: Child, sections: PlanSections
) -> None:
    """A setting newly proposed in an allocation round is named once its school has agreed
    (s39(2): the LA consults the school before naming it)."""
    named = sections.i
    if named is None or named.provision_id in (None, plan.named_provision_id):
        return
    latest = session.scalar(
        sa.select(Consultation.status)
        .where(
            Consultation.child_id == child.id,
            Consultation.provision_id == named.provision_id,
        )
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
        .limit(1)
    )
    if latest is None or latest is ConsultationStatus.AGREED:
        return
    if latest is ConsultationStatus.PENDING:
        raise Conflict(
            "The school has not answered its consultation about this child yet; the plan names "
            "it once the school agrees.",
            provision_id=str(named.provision_id),
        )
    raise Conflict(
        f"The school's consultation about this child ended {latest.value}; decide again in the "
        "round before naming it.",
        provision_id=str(named.provision_id),
    )


def _take_facts_from_final(plan: Plan, *, issued_on: date, sections: PlanSections) -> None:
    if plan.made_on is None:
        plan.made_on = issued_on
        plan.next_review_due = review_due(plan_made_on=issued_on)
    named = sections.i
    plan.named_provision_id = named.provision_id if named else None
    plan.named_setting_code = named.setting_code if named else None
    plan.named_setting_from = named.starts_on if named else None


def _new_version(
    *,
    number: int,
    kind: VersionKind,
    issued_on: date,
    comments_waived: bool,
    sections: PlanSections,
    scope: Scope,
) -> PlanVersion:
    return PlanVersion(
        number=number,
        kind=kind,
        issued_on=issued_on,
        comments_waived=comments_waived,
        sections=sections.model_dump(mode="json"),
        created_by=scope.principal.subject,
    )

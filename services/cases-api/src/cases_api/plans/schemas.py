"""Request and response bodies of EHC plans."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, Strict

from cases_api.core.etag import etag_for
from cases_api.core.references import ChildReference, RequestReference
from cases_api.core.schemas import CaseDate, InputModel, OutputModel, legal_bases_of
from cases_api.core.time import today
from cases_api.deadlines.schemas import (
    AppealDeadlineRead,
    DeadlineRead,
    appeal_from_notice,
    present_deadline,
)
from cases_api.plans.diff import Change, ChangeKind
from cases_api.plans.models import IN_FORCE_KINDS, Plan, PlanVersion, VersionKind
from cases_api.plans.sections import PlanSections, SettingCode
from cases_api.statutory import amended_plan_due, basis, earliest_finalisation
from cases_api.statutory.amendments import amended_plan_deadline, amendment_window
from send_contracts import NeedCode

StrictBool = Annotated[bool, Strict()]
WAIVER_DESCRIPTION = (
    "On a draft or amendment notice: the family waived the 15-day comment window when it was "
    "sent. On a final or re-issued plan: the family has waived it since."
)


class PlanStatus(StrEnum):
    DRAFT = "draft"
    IN_FORCE = "in_force"
    BEING_AMENDED = "being_amended"
    CEASED = "ceased"


class PlanCreate(InputModel):
    """A new plan starts with its draft (version 1)."""

    child_id: ChildReference
    assessment_request_id: RequestReference | None = None
    issued_on: CaseDate = Field(description="The day the draft was sent to the family.")
    comments_waived: StrictBool = Field(default=False, description=WAIVER_DESCRIPTION)
    sections: PlanSections


class PlanVersionCreate(InputModel):
    """The next version. Allowed successions: draft → draft | final; final or re-issue →
    amendment notice | re-issue; amendment notice → re-issue (the amended plan)."""

    kind: VersionKind
    issued_on: CaseDate
    comments_waived: StrictBool = Field(default=False, description=WAIVER_DESCRIPTION)
    sections: PlanSections


class PlanVersionSummary(OutputModel):
    number: int
    kind: VersionKind
    issued_on: CaseDate
    comments_waived: bool
    created_by: str
    created_at: datetime


class NeedProvision(OutputModel):
    """A B need and the F lines that meet it."""

    need_id: str
    need_code: NeedCode
    f_line_ids: list[str]


class PlanVersionRead(PlanVersionSummary):
    plan_id: uuid.UUID
    sections: PlanSections
    needs_met_by: list[NeedProvision] = Field(description="Section B read with section F.")
    withheld_sections: list[str] = Field(
        default_factory=list,
        description="Sections withheld from this caller and sent empty (schools, and service "
        "clients without `social_care:read`: D, H1, H2).",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="On issuing: what to check again, not refusals (e.g. the setting named in "
        "I is not designated for the child's primary need).",
    )


class AmendedPlanIssue(InputModel):
    """Issue the amended plan as the latest amendment notice proposed it."""

    issued_on: CaseDate
    comments_waived: StrictBool = Field(
        default=False, description="The family has waived the rest of their 15 days since."
    )


class NamedSettingRead(OutputModel):
    provision_id: uuid.UUID | None
    setting_code: SettingCode | None
    starts_on: date | None


class PlanRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    assessment_request_id: uuid.UUID | None
    status: PlanStatus
    latest_version: PlanVersionSummary
    made_on: date | None = Field(description="The day the plan was first made final.")
    named_setting: NamedSettingRead | None = Field(
        description="Section I of the latest final or re-issued version."
    )
    may_finalise_from: date | None = Field(
        description="While a draft or amendment notice is the latest version: the first day "
        "its comment window allows the plan to be made final."
    )
    amended_plan_due: date | None = Field(
        default=None,
        description="While an amendment notice is the latest version: the last day to issue "
        "the amended plan, 8 weeks after the notice (reg 22(3)).",
    )
    representations_until: date | None = Field(
        default=None,
        description="While an amendment notice is the latest version: the last day of the "
        "family's 15 days to make representations and ask for a school (reg 22(2)(c)), counted "
        "from the notice's date; null when they waived it.",
    )
    deadlines: list[DeadlineRead] = Field(
        default_factory=list,
        description="The latest amendment notice's amended plan, due 8 weeks after the notice "
        "(reg 22(3)), whatever led to the notice; done when the re-issue followed it.",
    )
    appeal: AppealDeadlineRead | None = Field(
        default=None,
        description="The family's last day to appeal the latest final or amended plan (sections "
        "B, F and I) to the tribunal, counted from the day it was issued (HESC Rules 2008 r20(1), "
        "moved by r12). A mediation certificate can make it later: the dispute record says. Null "
        "while no plan is final, and once it has ceased.",
    )
    last_review_meeting_on: date | None
    next_review_due: date | None
    ceased_on: date | None
    cease_reason: int | None
    legal_bases: dict[str, str] = legal_bases_of(
        may_finalise_from=f"{basis.COMMENT_WINDOW} (a draft), {basis.AMENDMENT_COMMENT_WINDOW} "
        "(an amendment notice)",
        amended_plan_due=basis.AMENDED_PLAN,
        next_review_due=basis.ANNUAL_REVIEW,
    )
    etag: str
    created_at: datetime
    updated_at: datetime


class ChangeRead(OutputModel):
    change: ChangeKind
    item_id: str | None = Field(description="The item's id in list sections (B–H2, J, K).")
    field: str | None = Field(description="Null when the whole item was added or removed.")
    before: Any = None
    after: Any = None


class SectionDiff(OutputModel):
    section: str = Field(examples=["F"])
    changes: list[ChangeRead]


class PlanDiffRead(OutputModel):
    plan_id: uuid.UUID
    from_version: int
    to_version: int
    from_kind: VersionKind
    to_kind: VersionKind
    change_count: int
    sections: list[SectionDiff] = Field(description="Only the sections that changed, A to K.")


def plan_status(plan: Plan) -> PlanStatus:
    """Where the plan stands, from its latest version."""
    if plan.ceased_on is not None:
        return PlanStatus.CEASED
    if plan.made_on is None:
        return PlanStatus.DRAFT
    if plan.latest_kind is VersionKind.AMENDMENT_NOTICE:
        return PlanStatus.BEING_AMENDED
    return PlanStatus.IN_FORCE


def present_version_summary(version: PlanVersion) -> PlanVersionSummary:
    """A version without its sections."""
    return PlanVersionSummary.model_validate(version)


def present_version(version: PlanVersion) -> PlanVersionRead:
    """A version with its sections, and B read with F."""
    sections = PlanSections.model_validate(version.sections)
    return PlanVersionRead(
        **present_version_summary(version).model_dump(),
        plan_id=version.plan_id,
        sections=sections,
        needs_met_by=[
            NeedProvision(
                need_id=need.id,
                need_code=need.need_code,
                f_line_ids=[line.id for line in sections.f if need.id in line.need_ids],
            )
            for need in sections.b
        ],
    )


def named_setting_read(plan: Plan) -> NamedSettingRead | None:
    """What section I of the latest final or re-issued version names, if anything."""
    if plan.named_provision_id is None and plan.named_setting_code is None:
        return None
    return NamedSettingRead(
        provision_id=plan.named_provision_id,
        setting_code=plan.named_setting_code,
        starts_on=plan.named_setting_from,
    )


def latest_amendment(plan: Plan) -> tuple[PlanVersion, PlanVersion | None] | None:
    """The plan's latest amendment notice and the re-issue that followed it, if any."""
    notices = [v for v in plan.versions if v.kind is VersionKind.AMENDMENT_NOTICE]
    if not notices:
        return None
    notice = notices[-1]
    reissue = next(
        (v for v in plan.versions if v.kind is VersionKind.REISSUE and v.number > notice.number),
        None,
    )
    return notice, reissue


def _amendment_deadlines(plan: Plan, *, as_of: date) -> tuple[date | None, list[DeadlineRead]]:
    amendment = latest_amendment(plan)
    if amendment is None:
        return None, []
    notice, reissue = amendment
    window = amendment_window(notice_sent_on=notice.issued_on, waived=notice.comments_waived)
    deadline = amended_plan_deadline(
        notice_sent_on=notice.issued_on,
        today=as_of,
        amended_plan_issued_on=reissue.issued_on if reissue else None,
    )
    until = window.representations_until if reissue is None else None
    return until, [present_deadline(deadline)]


def present_plan(plan: Plan, *, as_of: date | None = None) -> PlanRead:
    """The API view of a plan, its deadlines evaluated on ``as_of`` (today by default)."""
    latest = plan.latest_version
    awaiting_comments = latest.kind in (VersionKind.DRAFT, VersionKind.AMENDMENT_NOTICE)
    representations_until, deadlines = _amendment_deadlines(plan, as_of=as_of or today())
    return PlanRead(
        id=plan.id,
        child_id=plan.child_id,
        assessment_request_id=plan.assessment_request_id,
        status=plan_status(plan),
        latest_version=present_version_summary(latest),
        made_on=plan.made_on,
        named_setting=named_setting_read(plan),
        may_finalise_from=earliest_finalisation(
            draft_sent_on=latest.issued_on, comments_waived=latest.comments_waived
        )
        if awaiting_comments
        else None,
        amended_plan_due=amended_plan_due(latest.issued_on)
        if latest.kind is VersionKind.AMENDMENT_NOTICE
        else None,
        representations_until=representations_until,
        deadlines=deadlines,
        appeal=_plan_appeal(plan),
        last_review_meeting_on=plan.last_review_meeting_on,
        next_review_due=plan.next_review_due,
        ceased_on=plan.ceased_on,
        cease_reason=plan.cease_reason,
        etag=etag_for(plan.version),
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def _plan_appeal(plan: Plan) -> AppealDeadlineRead | None:
    """Appeal rights run from the issue of a final plan or an amended one (CFA 2014 s51(2);
    HESC Rules 2008 r20(1)): the issued plan is itself the notice, so the day is known."""
    if plan.ceased_on is not None:
        return None
    issued = [version for version in plan.versions if version.kind in IN_FORCE_KINDS]
    if not issued:
        return None
    return appeal_from_notice(max(version.issued_on for version in issued))


def present_diff(
    plan_id: uuid.UUID, before: PlanVersion, after: PlanVersion, changes: list[Change]
) -> PlanDiffRead:
    """Changes grouped by section, in section order."""
    grouped: dict[str, list[ChangeRead]] = {}
    for change in changes:
        grouped.setdefault(change.section, []).append(
            ChangeRead(
                change=change.change,
                item_id=change.item_id,
                field=change.field,
                before=change.before,
                after=change.after,
            )
        )
    return PlanDiffRead(
        plan_id=plan_id,
        from_version=before.number,
        to_version=after.number,
        from_kind=before.kind,
        to_kind=after.kind,
        change_count=len(changes),
        sections=[SectionDiff(section=name, changes=items) for name, items in grouped.items()],
    )

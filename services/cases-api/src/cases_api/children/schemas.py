"""Request and response bodies of children and guardians."""

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AfterValidator, Field, StrictBool, model_validator

from cases_api.children.ages import age_on
from cases_api.children.identifiers import validate_uln, validate_upn
from cases_api.children.models import Child, ChildGuardian, Guardian, SenStatus, Sex
from cases_api.core.etag import etag_for
from cases_api.core.references import GuardianReference
from cases_api.core.schemas import (
    InputModel,
    IsoDate,
    LaCode,
    Location,
    OutputModel,
    Postcode,
    Urn,
    not_in_the_future,
)
from cases_api.core.time import today
from send_contracts import NeedCode
from send_contracts.problems import FieldRuleError

EARLIEST_BIRTH_DATE = date(1990, 1, 1)
BirthDate = Annotated[
    IsoDate,
    Field(ge=EARLIEST_BIRTH_DATE, examples=["2015-03-14"]),
    AfterValidator(not_in_the_future),
]
Upn = Annotated[
    str,
    Field(
        min_length=13,
        max_length=13,
        pattern=r"^[A-Za-z][0-9]{12}$",
        description="Unique Pupil Number: check letter and 12 digits; the check letter is verified.",
        examples=["B801200005001"],
    ),
    AfterValidator(validate_upn),
]
Uln = Annotated[
    str,
    Field(pattern=r"^[0-9]{10}$", description="Unique Learner Number (10 digits; format only)."),
    AfterValidator(validate_uln),
]
Ethnicity = Annotated[
    str, Field(pattern=r"^[A-Z]{4}$", description="DfE ethnicity code.", examples=["WBRI"])
]
PersonName = Annotated[str, Field(min_length=1, max_length=100)]
RankedNeeds = Annotated[
    list[NeedCode],
    Field(
        max_length=12,
        description="SEN2 need codes in rank order: the first is the primary need. No repeats.",
        examples=[["ASD", "SLCN"]],
    ),
]


def _check_needs(needs: list[NeedCode] | None) -> None:
    if needs is not None and len(set(needs)) != len(needs):
        raise FieldRuleError("needs", "needs lists a need twice; each need has one rank")


class ChildCreate(InputModel):
    la_code: LaCode
    given_name: PersonName = Field(examples=["Amira"])
    family_name: PersonName = Field(examples=["Khan"])
    date_of_birth: BirthDate
    sex: Sex
    ethnicity: Ethnicity | None = None
    upn: Upn | None = None
    uln: Uln | None = None
    home_postcode: Postcode
    home_location: Location | None = None
    current_school_urn: Urn | None = None
    sen_status: SenStatus = SenStatus.NONE
    needs: RankedNeeds = Field(default_factory=list)

    @model_validator(mode="after")
    def _needs_once_each(self) -> Self:
        _check_needs(self.needs)
        return self


class ChildUpdate(InputModel):
    """Only the fields sent change; null clears the optional ones (UPN, ULN, school, location)."""

    given_name: PersonName | None = None
    family_name: PersonName | None = None
    date_of_birth: BirthDate | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    upn: Upn | None = None
    uln: Uln | None = None
    home_postcode: Postcode | None = None
    home_location: Location | None = None
    current_school_urn: Urn | None = None
    sen_status: SenStatus | None = None
    needs: RankedNeeds | None = None

    @model_validator(mode="after")
    def _needs_once_each(self) -> Self:
        _check_needs(self.needs)
        return self


class ChildRead(OutputModel):
    id: uuid.UUID
    la_code: str
    given_name: str
    family_name: str
    date_of_birth: date
    age: int = Field(description="Age in whole years today.")
    sex: Sex
    ethnicity: str | None = Field(description="Null for schools (family details).")
    upn: str | None
    uln: str | None
    home_postcode: str | None = Field(
        description="Null for schools (family details), and for everyone but officers when "
        "the child is flagged do-not-disclose; for service clients without `locations:read`."
    )
    home_location: Location | None = Field(
        description="Null for schools (family details), and for everyone but officers when "
        "the child is flagged do-not-disclose; for service clients without `locations:read`."
    )
    current_school_urn: int | None
    sen_status: SenStatus
    do_not_disclose: bool | None = Field(
        description="Officers only (null for everyone else): the home postcode and location "
        "are withheld from everyone but the LA's officers (a court order, a risk of harm)."
    )
    needs: list[NeedCode] = Field(description="In rank order; the first is the primary need.")
    primary_need: NeedCode | None
    etag: str = Field(description="Send it back as If-Match to update this record.")
    created_at: datetime
    updated_at: datetime


class GuardianCreate(InputModel):
    external_id: str = Field(
        min_length=1,
        max_length=200,
        description="The identity provider's id: the `guardian_external_id` claim of the parent's token.",
    )
    display_name: str = Field(min_length=1, max_length=200, examples=["Sara Khan"])
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^\+?[0-9 ()-]{6,39}$")


class GuardianRead(OutputModel):
    id: uuid.UUID
    external_id: str | None = Field(
        description="The identity provider's id: officers, and the parent it belongs to."
    )
    display_name: str
    email: str | None = Field(
        description="Null to other parents, and to everyone but officers when flagged."
    )
    phone: str | None = Field(
        description="Null to other parents, and to everyone but officers when flagged."
    )
    do_not_disclose: bool | None = Field(
        description="Officers only (null for everyone else): email and phone are withheld "
        "from everyone but the LA's officers (a court order, a risk of harm)."
    )
    created_at: datetime


class ContactRestriction(InputModel):
    """Set or clear a do-not-disclose flag (officers; audited like every write)."""

    do_not_disclose: StrictBool = Field(
        description="True: contact details go to the LA's officers only (a court order, "
        "domestic abuse, a risk of harm). False clears it."
    )


class GuardianLinkCreate(InputModel):
    guardian_id: GuardianReference
    relationship_to_child: str = Field(min_length=1, max_length=50, examples=["mother"])


class GuardianLinkRead(OutputModel):
    child_id: uuid.UUID
    guardian: GuardianRead
    relationship_to_child: str
    verified: bool = Field(description="Only verified links give a parent access to the child.")
    verified_at: datetime | None = Field(description="Officers, and the parent's own link.")
    verified_by: str | None = Field(description="Officers, and the parent's own link.")
    created_at: datetime


def present_child(child: Child) -> ChildRead:
    """The API view of a child."""
    needs = child.needs
    location = (
        Location(lat=child.home_latitude, lon=child.home_longitude)
        if child.home_latitude is not None and child.home_longitude is not None
        else None
    )
    return ChildRead.model_validate(
        {
            **{column.key: getattr(child, column.key) for column in Child.__table__.columns},
            "age": age_on(child.date_of_birth, today()),
            "home_location": location,
            "needs": needs,
            "primary_need": needs[0] if needs else None,
            "etag": etag_for(child.version),
        }
    )


def present_guardian(guardian: Guardian) -> GuardianRead:
    """The API view of a guardian account."""
    return GuardianRead.model_validate(guardian)


def present_link(link: ChildGuardian) -> GuardianLinkRead:
    """The API view of a guardian's link to a child."""
    return GuardianLinkRead(
        child_id=link.child_id,
        guardian=present_guardian(link.guardian),
        relationship_to_child=link.relationship_to_child,
        verified=link.verified,
        verified_at=link.verified_at,
        verified_by=link.verified_by,
        created_at=link.created_at,
    )

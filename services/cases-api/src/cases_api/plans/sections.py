"""Sections A–K of an EHC plan as structured data, validated as a whole (links between sections)."""

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from cases_api.core.references import ProvisionReference
from cases_api.core.schemas import CaseDate, InputModel, Pence, StrictNumber
from send_contracts import NeedCode

ItemId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$",
        description="Unique within its section; other sections refer to it.",
        examples=["B1"],
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
HoursPerWeek = Annotated[
    float, StrictNumber, Field(ge=0, le=168, description="Hours per week.", examples=[32.5])
]
MAX_ITEMS = 100
"""A date in a case record: ISO text (YYYY-MM-DD) in a plausible range."""


class SettingCode(StrEnum):
    """SEN2 (module 4b) codes for a placement that is not an establishment with a URN or UKPRN."""

    EHE = "EHE"  # elective home education
    EYP = "EYP"  # early years provider with no URN
    NEET = "NEET"  # not in education, employment or training (16–25)
    OLA = "OLA"  # other arrangements made by the LA (CFA 2014 s61)
    OPA = "OPA"  # other arrangements made by the parents (CFA 2014 s42(5))
    OTH = "OTH"  # other


class BudgetKind(StrEnum):
    """How a personal budget is held (SEND Regulations 2014, Part 3)."""

    DIRECT_PAYMENT = "direct_payment"
    ORGANISED_ARRANGEMENT = "organised_arrangement"
    NOTIONAL = "notional"


class SectionA(InputModel):
    """A: the views, interests and aspirations of the child and the family."""

    views: str = Field(default="", max_length=8000)
    interests: str = Field(default="", max_length=8000)
    aspirations: str = Field(default="", max_length=8000)


class Need(InputModel):
    """B: one special educational need."""

    id: ItemId
    need_code: NeedCode
    description: Text


class Statement(InputModel):
    """C (health) or D (social care): one need."""

    id: ItemId
    description: Text


class Outcome(InputModel):
    """E: an outcome sought, optionally tied to the B needs it answers."""

    id: ItemId
    description: Text
    achieve_by: CaseDate | None = None
    need_ids: list[ItemId] = Field(default_factory=list, max_length=20)


class ProvisionLine(InputModel):
    """F: special educational provision, specified and quantified, meeting one or more B needs."""

    id: ItemId
    what: Text
    hours_per_week: HoursPerWeek
    frequency: ShortText = Field(examples=["daily"])
    delivered_by: ShortText = Field(examples=["teaching assistant"])
    need_ids: list[ItemId] = Field(min_length=1, max_length=20, examples=[["B1"]])


class ServiceLine(InputModel):
    """G (health) or H1/H2 (social care) provision."""

    id: ItemId
    what: Text
    hours_per_week: HoursPerWeek | None = None
    frequency: ShortText | None = None
    delivered_by: ShortText


class NamedSetting(InputModel):
    """I: the setting named, a provision from the directory or a SEN2 setting code."""

    provision_id: ProvisionReference | None = None
    setting_code: SettingCode | None = None
    description: str = Field(default="", max_length=200, examples=["Secondary ASD resource base"])
    starts_on: CaseDate | None = Field(
        default=None,
        description="When the child takes up the place; a phase transfer counts as named "
        "once this is on or after the September of the transfer.",
    )

    @model_validator(mode="after")
    def _exactly_one_setting(self) -> Self:
        if (self.provision_id is None) == (self.setting_code is None):
            raise ValueError("name either provision_id or setting_code, not both or neither")
        return self


class BudgetItem(InputModel):
    """J: part of a personal budget."""

    id: ItemId
    kind: BudgetKind
    amount_pence: Pence
    covers: ShortText = Field(examples=["Speech and language therapy sessions"])


class Advice(InputModel):
    """K: advice and information gathered for the assessment."""

    id: ItemId
    advice: ShortText = Field(examples=["Educational psychologist advice"])
    provided_by: ShortText
    dated: CaseDate


class PlanSections(InputModel):
    """Sections A–K. I is blank (null) in a draft; every F line meets at least one B need."""

    a: SectionA = Field(default_factory=SectionA, description="Views, interests, aspirations.")
    b: list[Need] = Field(default_factory=list, max_length=MAX_ITEMS, description="SEN.")
    c: list[Statement] = Field(default_factory=list, max_length=MAX_ITEMS, description="Health.")
    d: list[Statement] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Social care needs."
    )
    e: list[Outcome] = Field(default_factory=list, max_length=MAX_ITEMS, description="Outcomes.")
    f: list[ProvisionLine] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Special educational provision."
    )
    g: list[ServiceLine] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Health provision."
    )
    h1: list[ServiceLine] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Social care provision (CSDPA s2)."
    )
    h2: list[ServiceLine] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Other social care provision."
    )
    i: NamedSetting | None = Field(default=None, description="The named setting.")
    j: list[BudgetItem] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Personal budget."
    )
    k: list[Advice] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Advice received."
    )

    @model_validator(mode="after")
    def _links_and_ids(self) -> Self:
        for name in ("b", "c", "d", "e", "f", "g", "h1", "h2", "j", "k"):
            _require_unique_ids(name, (item.id for item in getattr(self, name)))
        need_ids = {need.id for need in self.b}
        for line in self.f:
            _require_known_needs(f"F line {line.id}", line.need_ids, need_ids)
        for outcome in self.e:
            _require_known_needs(f"E outcome {outcome.id}", outcome.need_ids, need_ids)
        return self

    def needs_without_provision(self) -> list[str]:
        """B needs that no F line meets."""
        met = {need_id for line in self.f for need_id in line.need_ids}
        return [need.id for need in self.b if need.id not in met]


def _require_unique_ids(section: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"section {section.upper()} uses the id {item_id} twice")
        seen.add(item_id)


def _require_known_needs(owner: str, linked: list[str], known: set[str]) -> None:
    missing = [need_id for need_id in linked if need_id not in known]
    if missing:
        raise ValueError(f"{owner} is linked to B needs that do not exist: {', '.join(missing)}")

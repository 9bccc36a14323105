"""About 3,000 demo children in LA 855, with guardians and requests for assessment in every stage.

Deterministic from a seed: names from small built-in lists, ages and needs in the DfE mixes of
`demo.proportions`, homes around the county's towns, the nearest suitable school. Rows go in
with bulk INSERTs (the ORM's executemany path) so the whole county seeds in a second or two.
"""

import math
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    ClockExceptionRecord,
    RequestSource,
    RequestTransition,
)
from cases_api.children.identifiers import upn_check_letter
from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian, SenStatus, Sex
from cases_api.demo import proportions as dfe
from cases_api.demo.county import DEMO_LA_CODE, TOWNS
from cases_api.demo.request_timelines import SimulatedRequest, simulate_request
from cases_api.provisions.models import Establishment, Phase
from cases_api.statutory import ExceptionGround, RequestState, school_year_age

_T = TypeVar("_T")

CHILDREN = 3000
REQUESTS = 1500
# Requests received over the last three years: every stage is present, and any of the last two
# years' plans include the late ones, from requests received well before the year began.
REQUEST_WINDOW_DAYS = 1100
OFFICERS = ("local-officer", "officer-855-a", "officer-855-b", "officer-855-c")
DEMO_PARENT_ID = "guardian-local"  # the `cases-api token --role parent` default

_BOYS = "Oliver Noah George Leo Arthur Muhammad Harry Oscar Archie Henry Jack Theo Jacob Freddie"
_BOYS += " Alfie Charlie Isaac Ethan Reuben Tomasz Kai Yusuf Ravi Samuel Joshua"
_GIRLS = "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace"
_GIRLS += " Evie Aisha Maryam Zofia Priya Chloe Erin Hannah Ruby Niamh Layla"
_FAMILIES = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson"
_FAMILIES += (
    " Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Hughes Edwards Hussain"
)
_FAMILIES += (
    " Kowalski Nowak Begum Ali Shah Turner Cooper Hill Ward Morris Moore Clark Lee King Baker"
)
_FAMILIES += " Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young"
_FAMILIES += " Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox"
GIVEN_NAMES = {Sex.MALE: _BOYS.split(), Sex.FEMALE: _GIRLS.split()}
FAMILY_NAMES = _FAMILIES.split()
ETHNICITIES = {"WBRI": 0.74, "WOTH": 0.05, "AIND": 0.07, "APKN": 0.02, "MWBC": 0.03}
ETHNICITIES |= {"BAFR": 0.02, "MOTH": 0.03, "CHNE": 0.01, "AOTH": 0.02, "REFU": 0.01}
SOURCES = {"parent": 0.45, "school": 0.4, "health": 0.08, "social_care": 0.04, "other": 0.03}
BOYS_SHARE = 0.72  # roughly the share of boys among children with plans in England


@dataclass(frozen=True, kw_only=True)
class SeededChildren:
    children: int
    guardians: int
    requests: int


@dataclass(frozen=True)
class _School:
    urn: int
    low: int
    high: int
    special: bool
    phase: Phase
    lat: float
    lon: float


def seed_children(session: Session, *, today: date, seed: int = 855) -> SeededChildren:
    """Add the demo children, guardians and requests for assessment; needs the directory."""
    rng = random.Random(seed)
    schools = _schools(session)
    requests = [
        simulate_request(rng, received_on=_received_on(rng, today), today=today)
        for _ in range(REQUESTS)
    ]
    rows = _Rows()
    for index in range(CHILDREN):
        request = requests[index] if index < REQUESTS else None
        child_id = _uuid(rng)
        status = _status(rng, request)
        age = _age(rng, status, request)
        rows.child(rng, child_id, index, age=age, status=status, today=today, schools=schools)
        if request is not None:
            rows.request(rng, child_id, request)
        if age < 18 and rng.random() < 0.8:
            rows.guardians(rng, child_id, verified_at=_at_nine(today))
    rows.insert(session)
    return SeededChildren(
        children=CHILDREN, guardians=len(rows.guardian_rows), requests=len(rows.request_rows)
    )


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _pick(rng: random.Random, shares: Mapping[_T, float]) -> _T:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _received_on(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randint(1, REQUEST_WINDOW_DAYS))


def _status(rng: random.Random, request: SimulatedRequest | None) -> SenStatus:
    if request is not None:
        issued = request.state is RequestState.FINAL_ISSUED
        return SenStatus.EHC_PLAN if issued else SenStatus.SEN_SUPPORT
    return _pick(rng, {SenStatus.EHC_PLAN: 0.75, SenStatus.SEN_SUPPORT: 0.2, SenStatus.NONE: 0.05})


def _age(rng: random.Random, status: SenStatus, request: SimulatedRequest | None) -> int:
    if request is not None or status is SenStatus.SEN_SUPPORT:
        age = _pick(rng, dfe.REQUESTS_BY_AGE)
    elif status is SenStatus.EHC_PLAN:
        age = _pick(rng, dfe.CASELOAD_BY_AGE)
    else:
        age = rng.randint(0, 18)
    return rng.randint(0, 2) if age == 2 else age  # the DfE's youngest band is "2 and under"


def _needs(rng: random.Random) -> list[str]:
    needs = [_pick(rng, dfe.PRIMARY_NEED_SHARES)]
    for chance in (0.5, 0.15):
        if rng.random() < chance:
            others = {k: v for k, v in dfe.PRIMARY_NEED_SHARES.items() if k not in needs}
            needs.append(_pick(rng, others))
    return needs


def _schools(session: Session) -> list[_School]:
    rows = session.execute(
        sa.select(Establishment).where(Establishment.la_code == DEMO_LA_CODE)
    ).scalars()
    return [
        _School(
            urn=e.urn,
            low=e.statutory_low_age,
            high=e.statutory_high_age,
            special="special" in e.establishment_type.lower(),
            phase=e.phase,
            lat=e.latitude,
            lon=e.longitude,
        )
        for e in rows
    ]


def _nearest_school(
    rng: random.Random,
    schools: Sequence[_School],
    *,
    age: int,
    status: SenStatus,
    lat: float,
    lon: float,
) -> int | None:
    special = (
        status is SenStatus.EHC_PLAN and rng.random() < dfe.CASELOAD_BY_SETTING_GROUP["special"]
    )
    if age < 4 and rng.random() < 0.5:
        return None  # not yet in a setting
    # School-year age against the ages GIAS lists: pupils leave at the high age (contract 1.1).
    fitting = [s for s in schools if s.low <= age < s.high and s.special == special]
    fitting = fitting or [s for s in schools if s.low <= age < s.high]
    if not fitting:
        return None
    nearest = min(fitting, key=lambda s: math.hypot(s.lat - lat, (s.lon - lon) * 0.6))
    return nearest.urn


class _Rows:
    """The rows to insert, table by table."""

    def __init__(self) -> None:
        self.child_rows: list[dict[str, Any]] = []
        self.need_rows: list[dict[str, Any]] = []
        self.guardian_rows: list[dict[str, Any]] = []
        self.link_rows: list[dict[str, Any]] = []
        self.request_rows: list[dict[str, Any]] = []
        self.transition_rows: list[dict[str, Any]] = []
        self.advice_rows: list[dict[str, Any]] = []
        self.exception_rows: list[dict[str, Any]] = []
        self.demo_parent_links = 0

    def child(
        self,
        rng: random.Random,
        child_id: uuid.UUID,
        index: int,
        *,
        age: int,
        status: SenStatus,
        today: date,
        schools: Sequence[_School],
    ) -> None:
        sex = Sex.MALE if rng.random() < BOYS_SHARE else Sex.FEMALE
        _, district, town_lat, town_lon, _ = rng.choices(TOWNS, weights=[t[4] for t in TOWNS])[0]
        lat = round(town_lat + rng.gauss(0, 2.5 / 111), 5)
        lon = round(town_lon + rng.gauss(0, 2.5 / 68), 5)
        located = rng.random() < 0.95
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        school_age = 4 <= age <= 18
        digits = f"{DEMO_LA_CODE}{2000 + index % 900:04d}{(today.year - age + 5) % 100:02d}{index % 1000:03d}"
        self.child_rows.append(
            {
                "id": child_id,
                "la_code": DEMO_LA_CODE,
                "given_name": rng.choice(GIVEN_NAMES[sex]),
                "family_name": rng.choice(FAMILY_NAMES),
                "date_of_birth": today - timedelta(days=365 * age + rng.randint(0, 364)),
                "sex": sex,
                "ethnicity": _pick(rng, ETHNICITIES) if rng.random() < 0.9 else None,
                "upn": upn_check_letter(digits) + digits if school_age else None,
                "uln": f"{4_000_000_000 + index:010d}" if age >= 14 else None,
                "home_postcode": postcode,
                "home_latitude": lat if located else None,
                "home_longitude": lon if located else None,
                "sen_status": status,
            }
        )
        row = self.child_rows[-1]
        row["current_school_urn"] = _nearest_school(
            rng,
            schools,
            age=school_year_age(date_of_birth=row["date_of_birth"], on=today),
            status=status,
            lat=lat,
            lon=lon,
        )
        needs = _needs(rng) if status is not SenStatus.NONE else []
        self.need_rows += [
            {"child_id": child_id, "rank": rank, "need": need}
            for rank, need in enumerate(needs, start=1)
        ]

    def guardians(self, rng: random.Random, child_id: uuid.UUID, *, verified_at: datetime) -> None:
        # The development parent token's guardian sees the first two children linked.
        demo_parent = self.demo_parent_links < 2
        self.demo_parent_links += demo_parent
        for number, relationship in enumerate(("mother", "father")[: rng.choice((1, 1, 2))]):
            if demo_parent and number == 0:
                guardian_id = self._demo_parent()
            else:
                guardian_id = _uuid(rng)
                self.guardian_rows.append(
                    {
                        "id": guardian_id,
                        "external_id": f"demo-guardian-{len(self.guardian_rows) + 1}",
                        "display_name": f"{rng.choice(GIVEN_NAMES[Sex.FEMALE if number == 0 else Sex.MALE])} "
                        f"{self.child_rows[-1]['family_name']}",
                        "email": None,
                        "phone": None,
                    }
                )
            verified = demo_parent or rng.random() < 0.85
            self.link_rows.append(
                {
                    "child_id": child_id,
                    "guardian_id": guardian_id,
                    "relationship_to_child": relationship,
                    "verified": verified,
                    "verified_at": verified_at if verified else None,
                    "verified_by": "officer-855-a" if verified else None,
                }
            )

    def _demo_parent(self) -> uuid.UUID:
        existing = next(
            (row["id"] for row in self.guardian_rows if row["external_id"] == DEMO_PARENT_ID), None
        )
        if existing is not None:
            return uuid.UUID(str(existing))
        guardian_id = uuid.UUID(int=1, version=4)
        self.guardian_rows.append(
            {
                "id": guardian_id,
                "external_id": DEMO_PARENT_ID,
                "display_name": "Demo Parent",
                "email": "parent@example.org",
                "phone": None,
            }
        )
        return guardian_id

    def request(self, rng: random.Random, child_id: uuid.UUID, request: SimulatedRequest) -> None:
        request_id = _uuid(rng)
        officer = rng.choice(OFFICERS)
        self.request_rows.append(
            {
                "id": request_id,
                "child_id": child_id,
                "la_code": DEMO_LA_CODE,
                "source": RequestSource(_pick(rng, SOURCES)),
                "received_on": request.received_on,
                "state": request.state,
                "assigned_officer": officer,
            }
        )
        previous = RequestState.RECEIVED
        for state, day in request.steps:
            self.transition_rows.append(
                {
                    "request_id": request_id,
                    "to_state": state,
                    "from_state": previous,
                    "occurred_on": day,
                    "recorded_by": officer,
                }
            )
            previous = state
        self.advice_rows += [
            {"request_id": request_id, "advice": kind, "requested_on": asked, "received_on": got}
            for kind, asked, got in request.advice
        ]
        self.exception_rows += [
            {
                "request_id": request_id,
                "ground": ground,
                "starts_on": start,
                "ends_on": end,
                # The head teacher asked on the first day of the closure (inside reg 10(4)(a)'s
                # window), so a demo closure excuses the clock as a real one would.
                "advice_requested_on": start if ground is ExceptionGround.SETTING_CLOSED else None,
            }
            for ground, start, end in request.exceptions
        ]

    def insert(self, session: Session) -> None:
        tables: list[tuple[type[Any], list[dict[str, Any]]]] = [
            (Child, self.child_rows),
            (ChildNeed, self.need_rows),
            (Guardian, self.guardian_rows),
            (ChildGuardian, self.link_rows),
            (AssessmentRequest, self.request_rows),
            (RequestTransition, self.transition_rows),
            (AdviceRequestRecord, self.advice_rows),
            (ClockExceptionRecord, self.exception_rows),
        ]
        for model, rows in tables:
            if rows:
                session.execute(sa.insert(model), rows)
        session.flush()

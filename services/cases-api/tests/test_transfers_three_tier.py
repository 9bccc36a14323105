"""Three-tier transfers over HTTP: a child at a first school (4–9) or a middle school (9–13)
moves before 15 February of the year of transfer (reg 2(1), reg 18(1)(b)), recognised from the
school's ages; 31 August and 1 September births fall a year apart."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from plans_helpers import final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.children.models import Child
from cases_api.provisions.models import Establishment, EstablishmentStatus, Phase


def _school(session: Session, urn: int, low: int, high: int, phase: Phase) -> None:
    session.add(
        Establishment(
            urn=urn,
            name=f"School {urn}",
            la_code="855",
            establishment_type="Community school",
            phase=phase,
            statutory_low_age=low,
            statutory_high_age=high,
            postcode="LE11 3TU",
            latitude=52.77,
            longitude=-1.2,
            status=EstablishmentStatus.OPEN,
        )
    )
    session.commit()


def _at(session: Session, born: date, urn: int) -> Child:
    child = make_child(session, date_of_birth=born)
    child.current_school_urn = urn
    session.commit()
    return child


def _transfers(client: TestClient, officer: dict[str, str], child: Child, as_of: str) -> Any:
    response = client.get(
        f"/v1/children/{child.id}/phase-transfers", params={"as_of": as_of}, headers=officer
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_first_school_children_born_either_side_of_1_september(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _school(session, 190001, 4, 9, Phase.PRIMARY)
    august = _at(session, date(2018, 8, 31), 190001)
    september = _at(session, date(2018, 9, 1), 190001)
    final_plan(client, officer, august)
    final_plan(client, officer, september)
    early = _transfers(client, officer, august, "2026-11-01")["three_tier_transfer"]
    assert early["transfer"] == "primary_to_middle"
    assert early["setting_ages"] == "4-9"
    assert (early["into_year_group"], early["transfer_on"]) == (5, "2027-09-01")
    assert (early["deadline"], early["last_day"]) == ("2027-02-15", "2027-02-14")
    assert early["legal_basis"] == "SEND Regulations 2014 reg 18(1)(b) with reg 2(1)"
    assert early["plan_deadline"]["status"] == "pending"
    late = _transfers(client, officer, september, "2026-11-01")["three_tier_transfer"]
    assert (late["transfer_on"], late["deadline"]) == ("2028-09-01", "2028-02-15")
    overdue = _transfers(client, officer, august, "2027-02-15")["three_tier_transfer"]
    assert (overdue["plan_deadline"]["status"], overdue["plan_deadline"]["days_late"]) == (
        "overdue",
        1,
    )


def test_a_middle_school_leads_to_the_upper_school(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _school(session, 190002, 9, 13, Phase.MIDDLE_DEEMED_SECONDARY)
    child = _at(session, date(2014, 2, 28), 190002)
    body = _transfers(client, officer, child, "2026-11-01")
    tier = body["three_tier_transfer"]
    assert (tier["transfer"], tier["into_year_group"]) == ("middle_to_secondary", 9)
    assert tier["transfer_on"] == "2027-09-01"
    assert tier["plan_deadline"] is None  # no plan: nothing to name the school in


def test_a_primary_school_child_has_no_three_tier_transfer(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _school(session, 190003, 4, 11, Phase.PRIMARY)
    child = _at(session, date(2016, 3, 10), 190003)
    assert _transfers(client, officer, child, "2026-11-01")["three_tier_transfer"] is None

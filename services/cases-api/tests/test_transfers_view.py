"""Phase transfers: the coming round's children without a named setting (exact rows around the
31 August / 1 September boundaries, nearest deadline first, count), and one child's transfers."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cases_factories import named_setting_body, plan_sections_body
from fastapi.testclient import TestClient
from plans_helpers import create_plan, final_plan, make_child
from sqlalchemy.orm import Session

Auth = Callable[..., dict[str, str]]


def _named_from(starts_on: str | None) -> dict[str, Any]:
    return {"sections": plan_sections_body(i=named_setting_body(starts_on=starts_on))}


@pytest.fixture
def cohort(client: TestClient, auth: Auth, session: Session) -> dict[str, str]:
    """Children with final plans, by label; returns child ids."""
    children: dict[str, str] = {}

    def child(label: str, born: date, la_code: str = "855", **final: Any) -> None:
        made = make_child(session, date_of_birth=born, la_code=la_code)
        final_plan(client, auth("officer", la_code=la_code), made, **final)
        children[label] = str(made.id)

    child("first_of_y6", date(2015, 9, 1), **_named_from(None))
    child("last_of_y7", date(2015, 8, 31), **_named_from(None))
    child("last_of_y6_named", date(2016, 8, 31), **_named_from("2027-09-02"))
    child("y6_named_for_primary", date(2016, 1, 15), **_named_from("2023-09-04"))
    child("last_of_y11", date(2011, 8, 31), **_named_from(None))
    child("first_of_y10", date(2011, 9, 1), **_named_from(None))
    child("last_of_nursery", date(2023, 8, 31), **_named_from(None))
    child("y6_elsewhere", date(2016, 3, 1), la_code="856", **_named_from(None))
    drafted = make_child(session, date_of_birth=date(2016, 2, 1))
    create_plan(client, auth("officer", la_code="855"), drafted)
    children["y6_draft_only"] = str(drafted.id)
    return children


def _view(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get("/v1/phase-transfers/unnamed", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _count(client: TestClient, headers: dict[str, str], **params: Any) -> int:
    response = client.get("/v1/phase-transfers/unnamed/count", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def test_the_coming_round_nearest_deadline_first(
    client: TestClient, officer: dict[str, str], auth: Auth, cohort: dict[str, str]
) -> None:
    rows = _view(client, officer, as_of="2026-11-01", la_code="855")
    by_child = {row["child_id"]: row for row in rows}
    assert set(by_child) == {
        cohort["first_of_y6"],
        cohort["y6_named_for_primary"],
        cohort["last_of_nursery"],
        cohort["last_of_y11"],
    }
    assert rows[-1]["child_id"] == cohort["last_of_y11"]
    assert [row["deadline"] for row in rows] == ["2027-02-15"] * 3 + ["2027-03-31"]
    first = by_child[cohort["first_of_y6"]]
    assert first["transfer"] == "primary_to_secondary"
    assert first["transfer_on"] == "2027-09-01"
    assert first["last_day"] == "2027-02-14"
    assert first["milestone"]["status"] == "pending"
    assert first["milestone"]["days_remaining"] == (date(2027, 2, 14) - date(2026, 11, 1)).days
    assert first["named_setting"]["setting_code"] == "OTH"
    assert by_child[cohort["last_of_nursery"]]["transfer"] == "early_years_to_reception"
    assert rows[-1]["transfer"] == "secondary_to_post_16"
    assert _count(client, officer, as_of="2026-11-01", la_code="855") == 4
    # Officers see only their own LA; an admin sees no child's records.
    assert _count(client, officer, as_of="2026-11-01") == 4
    assert _count(client, officer, as_of="2026-11-01", la_code="856") == 0
    assert _count(client, auth("officer", la_code="856"), as_of="2026-11-01") == 1
    refused = client.get(
        "/v1/phase-transfers/unnamed", params={"as_of": "2026-11-01"}, headers=auth("admin")
    )
    assert refused.status_code == 403


def test_the_round_turns_on_1_september(
    client: TestClient, officer: dict[str, str], cohort: dict[str, str]
) -> None:
    on_31_august = _view(
        client, officer, as_of="2026-08-31", la_code="855", transfer="primary_to_secondary"
    )
    assert [row["child_id"] for row in on_31_august] == [cohort["last_of_y7"]]
    late = on_31_august[0]
    assert (late["transfer_on"], late["deadline"]) == ("2026-09-01", "2026-02-15")
    assert late["milestone"]["status"] == "overdue"
    assert late["milestone"]["days_late"] == (date(2026, 8, 31) - date(2026, 2, 14)).days

    on_1_september = _view(
        client, officer, as_of="2026-09-01", la_code="855", transfer="primary_to_secondary"
    )
    assert {row["child_id"] for row in on_1_september} == {
        cohort["first_of_y6"],
        cohort["y6_named_for_primary"],
    }


def test_filters_by_transfer_and_nearing_deadline(
    client: TestClient, officer: dict[str, str], cohort: dict[str, str]
) -> None:
    post_16 = _view(
        client, officer, as_of="2026-11-01", la_code="855", transfer="secondary_to_post_16"
    )
    assert [row["child_id"] for row in post_16] == [cohort["last_of_y11"]]
    # 120 days from 1 November reach 1 March: the 15 February deadlines only.
    params = {"as_of": "2026-11-01", "la_code": "855", "deadline_within_days": 120}
    assert cohort["last_of_y11"] not in [
        row["child_id"] for row in _view(client, officer, **params)
    ]
    assert _count(client, officer, **params) == 3
    assert _count(client, officer, as_of="2026-11-01", deadline_within_days=10) == 0


def test_the_view_paginates(
    client: TestClient, officer: dict[str, str], cohort: dict[str, str]
) -> None:
    first = client.get(
        "/v1/phase-transfers/unnamed",
        params={"as_of": "2026-11-01", "limit": 3},
        headers=officer,
    )
    link = first.headers["Link"]
    rest = client.get(link[1 : link.index(">")], headers=officer).json()
    rows = first.json()["items"] + rest["items"]
    assert len(rows) == 4
    assert rest["next_cursor"] is None
    assert [row["deadline"] for row in rows] == sorted(row["deadline"] for row in rows)


def test_a_childs_transfers(
    client: TestClient, officer: dict[str, str], cohort: dict[str, str]
) -> None:
    response = client.get(
        f"/v1/children/{cohort['last_of_y6_named']}/phase-transfers",
        params={"as_of": "2026-11-01"},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["year_group"], body["year_group_label"]) == (6, "Y6")
    assert body["next_transfer"] == "primary_to_secondary"
    transfers = {t["transfer"]: t for t in body["transfers"]}
    assert list(transfers) == [
        "early_years_to_reception",
        "primary_to_secondary",
        "secondary_to_post_16",
    ]
    reception = transfers["early_years_to_reception"]
    assert (reception["transfer_on"], reception["milestone"]) == ("2020-09-01", None)
    secondary = transfers["primary_to_secondary"]
    assert secondary["named_on"] == "2026-04-20"
    assert secondary["milestone"]["status"] == "met"
    post_16 = transfers["secondary_to_post_16"]
    assert (post_16["transfer_on"], post_16["deadline"]) == ("2032-09-01", "2032-03-31")
    assert post_16["named_on"] is None
    assert post_16["milestone"]["status"] == "pending"

    junior = client.get(
        f"/v1/children/{cohort['last_of_y6_named']}/phase-transfers",
        params={"as_of": "2026-11-01", "include_infant_to_junior": True},
        headers=officer,
    ).json()
    assert [t["transfer"] for t in junior["transfers"]][1] == "infant_to_junior"
    missing = client.get(
        "/v1/children/00000000-0000-4000-8000-000000000000/phase-transfers", headers=officer
    )
    assert missing.status_code == 404

"""Forged cursors: keys no database can compare with (NUL, non-finite or huge numbers) or of the
wrong type for the sort are 422 problems, on SQLite and PostgreSQL alike; never a 500, never an
empty page answered as if it were the end."""

import base64
import uuid
from collections.abc import Callable

import pytest
from cases_factories import child_body, plan_body
from fastapi.testclient import TestClient

from send_contracts import PROBLEM_MEDIA_TYPE

TIEBREAK = f'"{uuid.UUID(int=1)}"'
NEAR = {"near_lat": "52.77", "near_lon": "-1.2"}


def forged(sort: str, key: str, tiebreak: str = TIEBREAK) -> str:
    """A cursor as a client could hand-craft it: raw JSON text, so NaN and 1e400 stay as sent."""
    raw = f'{{"s":"{sort}","k":[{key},{tiebreak}]}}'
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


NUMERIC_FORGERIES = {
    "infinity": "Infinity",
    "minus-infinity": "-Infinity",
    "nan": "NaN",
    "1e400": "1e400",
    "10^40": str(10**40),
    "2^63": str(2**63),
    "below-int64": str(-(2**63) - 1),
    "a-string": '"12"',
    "a-list": "[1]",
    "true": "true",
}
TEXT_FORGERIES = {
    "nul": '"Castle\\u0000"',
    "a-number": "12",
    "an-object": '{"a":1}',
}


def _refused(response_of: Callable[[str], object], cursor: str) -> None:
    response = response_of(cursor)
    assert getattr(response, "status_code", None) == 422, getattr(response, "text", response)
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", NUMERIC_FORGERIES.values(), ids=NUMERIC_FORGERIES.keys())
@pytest.mark.parametrize(
    "sort", ["annual_cost", "-annual_cost", "free_places", "-free_places", "distance"]
)
def test_numeric_provision_sorts_refuse_forged_keys(
    client: TestClient, officer: dict[str, str], sort: str, key: str
) -> None:
    params = {"sort": sort} | (NEAR if sort == "distance" else {})
    _refused(
        lambda cursor: client.get(
            "/v1/provisions", params=params | {"cursor": cursor}, headers=officer
        ),
        forged(sort, key),
    )


@pytest.mark.parametrize("key", NUMERIC_FORGERIES.values(), ids=NUMERIC_FORGERIES.keys())
def test_urn_sort_refuses_forged_keys(
    client: TestClient, officer: dict[str, str], key: str
) -> None:
    _refused(
        lambda cursor: client.get(
            "/v1/establishments", params={"sort": "urn", "cursor": cursor}, headers=officer
        ),
        forged("urn", key, tiebreak="100001"),
    )


@pytest.mark.parametrize("tiebreak", ["1e400", "Infinity", str(10**40)])
def test_urn_tiebreak_refuses_forged_keys(
    client: TestClient, officer: dict[str, str], tiebreak: str
) -> None:
    _refused(
        lambda cursor: client.get(
            "/v1/establishments", params={"sort": "urn", "cursor": cursor}, headers=officer
        ),
        forged("urn", "100001", tiebreak=tiebreak),
    )


@pytest.mark.parametrize("key", NUMERIC_FORGERIES.values(), ids=NUMERIC_FORGERIES.keys())
def test_plan_version_numbers_refuse_forged_keys(
    client: TestClient, officer: dict[str, str], key: str
) -> None:
    child = client.post("/v1/children", json=child_body(), headers=officer).json()
    plan = client.post("/v1/plans", json=plan_body(child["id"]), headers=officer).json()
    _refused(
        lambda cursor: client.get(
            f"/v1/plans/{plan['id']}/versions", params={"cursor": cursor}, headers=officer
        ),
        forged("number", key),
    )


@pytest.mark.parametrize("key", TEXT_FORGERIES.values(), ids=TEXT_FORGERIES.keys())
@pytest.mark.parametrize(
    ("path", "sort"),
    [
        ("/v1/provisions", "name"),
        ("/v1/establishments", "-name"),
        ("/v1/children", "name"),
        ("/v1/rounds", None),
    ],
)
def test_text_sorts_refuse_forged_keys(
    client: TestClient, officer: dict[str, str], path: str, sort: str | None, key: str
) -> None:
    params = {"sort": sort} if sort else {}
    # The rounds list has one order; read its name from a real cursor.
    cursor_sort = sort or _rounds_sort(client, officer)
    _refused(
        lambda cursor: client.get(path, params=params | {"cursor": cursor}, headers=officer),
        forged(cursor_sort, key),
    )


def _rounds_sort(client: TestClient, officer: dict[str, str]) -> str:
    import json

    for name in ("One", "Two"):
        body = {"name": name, "entry_date": "2027-09-01"}
        assert client.post("/v1/rounds", json=body, headers=officer).status_code == 201
    cursor = client.get("/v1/rounds", params={"limit": 1}, headers=officer).json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return str(payload["s"])


def test_a_nul_in_a_tiebreak_is_refused(client: TestClient, officer: dict[str, str]) -> None:
    _refused(
        lambda cursor: client.get(
            "/v1/provisions", params={"sort": "name", "cursor": cursor}, headers=officer
        ),
        forged("name", '"Castle"', tiebreak='"\\u0000"'),
    )


COLUMN_EDGES = [
    # (path, sort, tiebreak, key, answered): integer sorts take integers in the column's range.
    ("/v1/provisions", "annual_cost", TIEBREAK, str(2**63 - 1), True),  # BIGINT
    ("/v1/provisions", "-annual_cost", TIEBREAK, str(-(2**63)), True),
    ("/v1/provisions", "annual_cost", TIEBREAK, "1e300", False),
    ("/v1/provisions", "annual_cost", TIEBREAK, "1.5", False),
    ("/v1/provisions", "free_places", TIEBREAK, str(2**31 - 1), True),  # INTEGER
    ("/v1/provisions", "free_places", TIEBREAK, str(2**31), False),
    ("/v1/establishments", "urn", "100001", str(-(2**31)), True),
    ("/v1/establishments", "urn", "100001", str(2**62), False),
    ("/v1/establishments", "urn", str(2**31), "100001", False),
]


@pytest.mark.parametrize(("path", "sort", "tiebreak", "key", "answered"), COLUMN_EDGES)
def test_integer_keys_are_held_to_their_column_range(
    client: TestClient,
    officer: dict[str, str],
    path: str,
    sort: str,
    tiebreak: str,
    key: str,
    answered: bool,
) -> None:
    """Keys beyond every row but within the column's type answer a page; beyond the type (which
    PostgreSQL casts the value to) a 422."""
    response = client.get(
        path, params={"sort": sort, "cursor": forged(sort, key, tiebreak)}, headers=officer
    )
    assert response.status_code == (200 if answered else 422), response.text


@pytest.mark.parametrize("key", ["0", "20037.5", "1e300"])
def test_finite_distance_keys_answer_a_page(
    client: TestClient, officer: dict[str, str], key: str
) -> None:
    params = NEAR | {"sort": "distance", "cursor": forged("distance", key)}
    assert client.get("/v1/provisions", params=params, headers=officer).status_code == 200

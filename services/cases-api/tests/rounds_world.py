"""A small county for allocation-round tests, built through the API, and a real matching process."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from cases_factories import (
    child_body,
    establishment_body,
    plan_body,
    plan_version_body,
    provision_body,
)
from fastapi.testclient import TestClient

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_matching() -> tuple[str, subprocess.Popen[bytes]]:
    """The real matching service on a loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "send-matching"), "serve", "--port", str(port)],
        env=os.environ | {"MATCHING_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{url}/healthz", timeout=1).status_code == 200:
                return url, process
        except httpx2.TransportError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError("the matching service did not start")


@dataclass(frozen=True)
class World:
    resource_base: dict[str, Any]  # 2 places, 1 taken: one free
    special_school: dict[str, Any]  # full
    independent: dict[str, Any]  # 5 free, at a fee
    near_child: dict[str, Any]  # lives by the resource base; has a final plan
    other_child: dict[str, Any]  # asks for the full special school
    plan_id: str
    school_urn: int  # the resource base's school


def _post(client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def build_world(client: TestClient, officer: dict[str, str]) -> World:
    """Three provisions and two eleven-year-olds with autism, for a September 2027 round."""
    school = _post(
        client, "/v1/establishments", establishment_body(name="Castle High School"), officer
    )
    special = _post(
        client,
        "/v1/establishments",
        establishment_body(
            name="Brook Special School",
            phase="all_through",
            statutory_low_age=4,
            statutory_high_age=19,
            location={"lat": 52.80, "lon": -1.25},
        ),
        officer,
    )
    independent = _post(
        client,
        "/v1/establishments",
        establishment_body(
            name="Grange School (independent)",
            phase="all_through",
            statutory_low_age=7,
            statutory_high_age=19,
            location={"lat": 52.90, "lon": -1.30},
        ),
        officer,
    )
    resource_base = _post(
        client,
        "/v1/provisions",
        provision_body(school["urn"], places_total=2, places_taken=1, min_age=11, max_age=16),
        officer,
    )
    special_school = _post(
        client,
        "/v1/provisions",
        provision_body(
            special["urn"],
            name="Brook Special School",
            kind="special_school",
            min_age=4,
            max_age=19,
            places_total=3,
            places_taken=3,
            costs={"place_funding_pence": 1_000_000, "top_up_pence": 1_800_000},
        ),
        officer,
    )
    fee_paid = _post(
        client,
        "/v1/provisions",
        provision_body(
            independent["urn"],
            name="Grange School",
            kind="independent",
            min_age=7,
            max_age=19,
            places_total=5,
            places_taken=0,
            costs={"fee_pence": 6_000_000},
        ),
        officer,
    )
    near = _post(
        client,
        "/v1/children",
        child_body(date_of_birth="2016-05-01", home_location={"lat": 52.775, "lon": -1.205}),
        officer,
    )
    other = _post(
        client,
        "/v1/children",
        child_body(
            given_name="Leo",
            date_of_birth="2016-02-11",
            home_location={"lat": 52.78, "lon": -1.21},
        ),
        officer,
    )
    plan = _post(client, "/v1/plans", plan_body(near["id"]), officer)
    etag = client.get(f"/v1/plans/{plan['id']}", headers=officer).headers["ETag"]
    final = client.post(
        f"/v1/plans/{plan['id']}/versions",
        json=plan_version_body("final", "2026-05-01"),
        headers=officer | {"If-Match": etag},
    )
    assert final.status_code == 201, final.text
    return World(
        resource_base=resource_base,
        special_school=special_school,
        independent=fee_paid,
        near_child=near,
        other_child=other,
        plan_id=plan["id"],
        school_urn=school["urn"],
    )


def open_round(client: TestClient, officer: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {"name": "September 2027 secondary transfer", "entry_date": "2027-09-01"} | overrides
    return dict(_post(client, "/v1/rounds", body, officer))


def add_cohort(client: TestClient, officer: dict[str, str], round_id: str, world: World) -> None:
    kinds = ["resource_base", "special_school", "independent"]
    _post(
        client,
        f"/v1/rounds/{round_id}/children",
        {"child_id": world.near_child["id"], "suitable_kinds": kinds},
        officer,
    )
    _post(
        client,
        f"/v1/rounds/{round_id}/children",
        {
            "child_id": world.other_child["id"],
            "suitable_kinds": kinds,
            "requested_provision_ids": [world.special_school["id"]],
        },
        officer,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=15)


def matching_process() -> Iterator[str]:
    url, process = start_matching()
    try:
        yield url
    finally:
        stop(process)

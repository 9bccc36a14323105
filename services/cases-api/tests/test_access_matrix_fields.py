"""The field-level half of the authorisation matrix, generated from the OpenAPI document.

LA 855's child is flagged do-not-disclose (a home postcode and location found nowhere else),
and so is one of its verified guardians; another verified guardian is not flagged, and someone
claims to be a guardian without being verified. Then every read of one record this world holds,
and every list, is called as the parent, the school and the service client, and no answer may
hold what that role must not see: the flagged details for anyone; the other guardians' contact
details, and the claimant, for the parent; identity-provider ids and the claimant for the school.
The officer's answers hold every one of them (the check would notice nothing otherwise).
"""

from typing import Any

import pytest
from access_world import World, build_world
from cases_factories import guardian_body
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_access_matrix import WORLD_READS, _call, _fill, _list_params, _operations

SECRET_POSTCODE = "NG1 5FS"
SECRET_LATITUDE = "53.1234"
FLAGGED_EMAIL = "flagged-father@example.org"
OTHER_EMAIL = "uncle@example.org"
CLAIMANT = "claimant-not-verified"


@pytest.fixture
def world(client: TestClient, session: Session, auth: Any) -> World:
    world = build_world(client, session, auth)
    officer = world.callers["officer-855"]
    child = world.las["855"].ids["child_id"]
    path = f"/v1/children/{child}"
    etag = client.get(path, headers=officer).headers["ETag"]
    moved = {"home_postcode": SECRET_POSTCODE, "home_location": {"lat": 53.1234, "lon": -1.4321}}
    moved_to = client.patch(path, json=moved, headers=officer | {"If-Match": etag})
    assert moved_to.status_code == 200
    flag = {"do_not_disclose": True}
    flagging = officer | {"If-Match": moved_to.headers["ETag"]}
    assert client.put(f"{path}/contact-restriction", json=flag, headers=flagging).status_code == 200
    for name, email, verified, flagged in (
        ("father", FLAGGED_EMAIL, True, True),
        ("uncle", OTHER_EMAIL, True, False),
        (CLAIMANT, f"{CLAIMANT}@example.org", False, False),
    ):
        body = guardian_body(display_name=name, email=email)
        guardian = client.post("/v1/guardians", json=body, headers=officer).json()["id"]
        link = {"guardian_id": guardian, "relationship_to_child": name}
        assert client.post(f"{path}/guardians", json=link, headers=officer).status_code == 201
        if verified:
            check = f"{path}/guardians/{guardian}/verification"
            assert client.post(check, headers=officer).status_code == 200
        if flagged:
            restricted = f"/v1/guardians/{guardian}/contact-restriction"
            flagging = officer | {"If-Match": '"v1"'}  # just created
            assert client.put(restricted, json=flag, headers=flagging).status_code == 200
    return world


def _answers(client: TestClient, world: World, caller: str) -> str:
    """Every answer of every read and list this caller may make about LA 855, as one text."""
    records = world.las["855"]
    headers = world.callers[caller]
    texts = []
    for method, template, operation in _operations(client):
        if method != "GET":
            continue
        if operation["operationId"] in WORLD_READS:
            path = _fill(template, records.ids, records.urn)
            texts.append(_call(client, method, path, operation, headers, {}).text)
        elif "{" not in template:
            for params in ({}, _list_params(operation, "855")):
                texts.append(client.get(template, params=params, headers=headers).text)
    # Routes about one guardian are not in WORLD_READS by every id: read each link's account.
    links = client.get(f"/v1/children/{records.ids['child_id']}/guardians", headers=headers)
    if links.status_code == 200:
        for link in links.json()["items"]:
            texts.append(
                client.get(f"/v1/guardians/{link['guardian']['id']}", headers=headers).text
            )
    return "\n".join(texts)


FLAGGED = (SECRET_POSTCODE, SECRET_LATITUDE, FLAGGED_EMAIL)
NOT_SEEN = {
    "parent-855": (*FLAGGED, OTHER_EMAIL, CLAIMANT),
    "school-855": (*FLAGGED, CLAIMANT, '"external_id":"parent-855"'),
    "service-855": FLAGGED,
}


def test_no_read_or_list_gives_a_role_a_field_it_may_not_see(
    client: TestClient, world: World
) -> None:
    everything = _answers(client, world, "officer-855")
    assert all(value in everything for values in NOT_SEEN.values() for value in values)
    leaks = [
        f"{caller}: {value}"
        for caller, hidden in NOT_SEEN.items()
        for value in hidden
        if value in _answers(client, world, caller)
    ]
    assert not leaks, "\n".join(leaks)


def test_what_each_role_may_see_is_still_there(client: TestClient, world: World) -> None:
    """The check above is not passed by refusing everything."""
    assert '"external_id":"parent-855"' in _answers(client, world, "parent-855")
    school = _answers(client, world, "school-855")
    assert OTHER_EMAIL in school
    assert "uncle" in _answers(client, world, "parent-855")

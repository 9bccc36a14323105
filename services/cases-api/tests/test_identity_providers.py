"""Identity providers: claim names and role names are configured, as docs/identity-providers.md
shows for Entra ID, Keycloak and a plain OIDC provider. Tokens are signed with the development
key, shaped as each provider sends them."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cases_factories import child_body, guardian_body
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cases_api.auth.keys import ensure_local_key_pair
from cases_api.auth.principal import Principal, Role
from cases_api.auth.tokens import TokenVerifier, mint_local_token
from cases_api.core.errors import Unauthenticated
from cases_api.settings import Settings

Auth = Callable[..., dict[str, str]]

ENTRA = {
    "claim_role": "roles",
    "role_map": {"SEND.Officer": "officer", "SEND.Admin": "admin", "SEND.Finance": "service"},
    "claim_la_groups": "groups",
    "la_group_pattern": r"^SEND-LA-(?P<la>\d{3})$",
}
KEYCLOAK = {
    "claim_role": "realm_access.roles",
    "role_map": {"send-officer": "officer", "send-parent": "parent", "send-school": "school"},
    "claim_la_code": "la_code",
    "claim_school_urns": "school_urns",
    "claim_guardian_external_id": "guardian_external_id",
}
PLAIN = {
    "claim_role": "send_role",
    "claim_la_code": "send_la",
    "claim_school_urns": "send_school_urns",
    "claim_guardian_external_id": "send_guardian",
}


def _settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, **overrides)


def _token(settings: Settings, **claims: Any) -> str:
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    now = int(time.time())
    standard = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "user-1",
        "iat": now,
        "exp": now + 600,
    }
    return jwt.encode(standard | claims, private_pem, algorithm="RS256")


def _verify(settings: Settings, **claims: Any) -> Principal:
    return TokenVerifier(settings).verify(_token(settings, **claims))


def test_entra_id_app_roles_and_an_la_group(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **ENTRA)
    principal = _verify(
        settings,
        roles=["SEND.Officer"],
        groups=["All Staff", "SEND-LA-855", "Finance readers"],
    )
    assert principal.role is Role.OFFICER
    assert principal.la_code == "855"
    assert principal.issuer == settings.jwt_issuer


def test_entra_id_a_finance_system_is_a_service_client_of_its_la(tmp_path: Path) -> None:
    principal = _verify(
        _settings(tmp_path, **ENTRA), roles=["SEND.Finance"], groups=["SEND-LA-931"]
    )
    assert (principal.role, principal.la_code) == (Role.SERVICE, "931")


def test_keycloak_realm_roles_at_a_nested_path_ignore_the_roles_it_adds(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **KEYCLOAK)
    principal = _verify(
        settings,
        realm_access={"roles": ["offline_access", "uma_authorization", "send-parent"]},
        guardian_external_id="kc-7f3a",
    )
    assert principal.role is Role.PARENT
    assert principal.guardian_external_id == "kc-7f3a"
    assert principal.la_code is None


def test_keycloak_school_with_its_urns(tmp_path: Path) -> None:
    principal = _verify(
        _settings(tmp_path, **KEYCLOAK),
        realm_access={"roles": ["send-school"]},
        school_urns=[120001, 120002],
    )
    assert (principal.role, principal.school_urns) == (Role.SCHOOL, (120001, 120002))


def test_a_plain_oidc_provider_with_its_own_claim_names(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **PLAIN)
    officer = _verify(settings, send_role="officer", send_la="856")
    assert (officer.role, officer.la_code) == (Role.OFFICER, "856")
    parent = _verify(settings, send_role="parent", send_guardian="portal-42")
    assert parent.guardian_external_id == "portal-42"
    school = _verify(settings, send_role="school", send_school_urns=[130001])
    assert school.school_urns == (130001,)


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"roles": ["SEND.Officer", "SEND.Admin"], "groups": ["SEND-LA-855"]}, "more than one"),
        ({"roles": ["SEND.Officer"], "groups": ["SEND-LA-855", "SEND-LA-856"]}, "more than one"),
        ({"roles": ["Someone.Else"], "groups": ["SEND-LA-855"]}, "No known role"),
        ({"groups": ["SEND-LA-855"]}, "No known role"),
        ({"roles": ["SEND.Officer"], "groups": ["Staff"]}, "must carry an LA"),
        ({"roles": ["SEND.Admin"]}, "must carry an LA"),
        ({"roles": [1, 2], "groups": ["SEND-LA-855"]}, "string or a list of strings"),
        ({"roles": ["SEND.Officer"], "la_code": "Kent"}, "not a three-digit LA code"),
    ],
)
def test_entra_id_tokens_that_say_too_much_or_too_little_are_refused(
    tmp_path: Path, claims: dict[str, Any], message: str
) -> None:
    with pytest.raises(Unauthenticated, match=message):
        _verify(_settings(tmp_path, **ENTRA), **claims)


def test_a_parent_token_names_the_guardian_external_id_not_a_guardian_id(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    with pytest.raises(Unauthenticated, match="guardian_external_id"):
        _verify(settings, role="parent", guardian_id="guardian-1")
    assert _verify(settings, role="parent", guardian_external_id="g-1").guardian_external_id


def test_mint_local_token_uses_the_configured_claim_names(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **PLAIN)
    token = mint_local_token(settings, role=Role.OFFICER, subject="dev", la_code="855")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["send_role"], claims["send_la"]) == ("officer", "855")
    assert TokenVerifier(settings).verify(token).la_code == "855"


@pytest.fixture
def keycloak_app(app: FastAPI, settings: Settings) -> Iterator[Settings]:
    """The app verifying Keycloak-shaped tokens."""
    original = app.state.token_verifier
    configured = settings.model_copy(update=KEYCLOAK)
    app.state.token_verifier = TokenVerifier(configured)
    try:
        yield configured
    finally:
        app.state.token_verifier = original


def test_a_keycloak_officer_works_over_http_within_its_la(
    client: TestClient, keycloak_app: Settings, officer: dict[str, str]
) -> None:
    token = _token(keycloak_app, realm_access={"roles": ["send-officer"]}, la_code="855")
    headers = {"Authorization": f"Bearer {token}", "X-Access-Reason": "testing"}
    created = client.post("/v1/children", json=child_body(la_code="855"), headers=headers)
    assert created.status_code == 201, created.text
    foreign = client.post("/v1/children", json=child_body(la_code="856"), headers=headers)
    assert foreign.status_code == 403


def test_officers_find_a_guardian_by_external_id_within_their_scope(
    client: TestClient, auth: Auth
) -> None:
    officer = auth("officer")
    guardian = client.post(
        "/v1/guardians", json=guardian_body(external_id="idp|abc-123"), headers=officer
    ).json()
    found = client.get("/v1/guardians", params={"external_id": "idp|abc-123"}, headers=officer)
    assert [item["id"] for item in found.json()["items"]] == [guardian["id"]]
    child = client.post("/v1/children", json=child_body(), headers=officer).json()
    link = {"guardian_id": guardian["id"], "relationship_to_child": "father"}
    client.post(f"/v1/children/{child['id']}/guardians", json=link, headers=officer)
    # Linked to LA 855's child: LA 856 cannot find it.
    elsewhere = client.get(
        "/v1/guardians",
        params={"external_id": "idp|abc-123"},
        headers=auth("officer", la_code="856"),
    )
    assert elsewhere.status_code == 200
    assert elsewhere.json()["items"] == []
    nobody = client.get("/v1/guardians", params={"external_id": "nobody"}, headers=officer)
    assert nobody.json()["items"] == []


def test_a_duplicate_external_id_names_the_existing_account_only_to_who_may_see_it(
    client: TestClient, auth: Auth
) -> None:
    officer = auth("officer")
    guardian = client.post(
        "/v1/guardians", json=guardian_body(external_id="idp|dup-1"), headers=officer
    ).json()
    again = client.post(
        "/v1/guardians", json=guardian_body(external_id="idp|dup-1"), headers=officer
    )
    assert again.status_code == 409
    assert again.json()["existing_id"] == guardian["id"]
    assert guardian["id"] in again.json()["detail"]
    child = client.post("/v1/children", json=child_body(), headers=officer).json()
    link = {"guardian_id": guardian["id"], "relationship_to_child": "mother"}
    client.post(f"/v1/children/{child['id']}/guardians", json=link, headers=officer)
    other_la = client.post(
        "/v1/guardians",
        json=guardian_body(external_id="idp|dup-1"),
        headers=auth("officer", la_code="856"),
    )
    assert other_la.status_code == 409
    assert guardian["id"] not in other_la.text
    assert "existing_id" not in other_la.json()

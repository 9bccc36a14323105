"""Token hardening at its edges: clock skew is allowed, but only as far as configured (30 s by
default, never more than 5 minutes); symmetric algorithms cannot even be configured."""

import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from cases_api.auth.keys import ensure_local_key_pair
from cases_api.settings import Settings

LEEWAY_S = 30  # the default `jwt_leeway_s`


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "officer-1",
        "iat": now,
        "exp": now + 600,
        "role": "officer",
        "la_code": "855",
    } | overrides


def _signed(settings: Settings, claims: dict[str, Any]) -> str:
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    return jwt.encode(claims, private_pem, algorithm="RS256")


def _token(settings: Settings, **overrides: Any) -> str:
    return _signed(settings, _claims(settings, **overrides))


def _status(client: TestClient, settings: Settings, **overrides: Any) -> int:
    headers = {"Authorization": f"Bearer {_token(settings, **overrides)}"}
    return client.get("/v1/provisions", headers=headers).status_code


def test_the_default_leeway_is_thirty_seconds(settings: Settings) -> None:
    assert settings.jwt_leeway_s == LEEWAY_S


@pytest.mark.parametrize(
    ("claim", "offset_s", "status"),
    [
        pytest.param("nbf", LEEWAY_S // 2, 200, id="nbf-just-ahead-within-skew"),
        pytest.param("nbf", LEEWAY_S * 4, 401, id="nbf-beyond-skew"),
        pytest.param("exp", -(LEEWAY_S // 2), 200, id="exp-just-passed-within-skew"),
        pytest.param("exp", -(LEEWAY_S * 4), 401, id="exp-beyond-skew"),
        pytest.param("iat", LEEWAY_S * 4, 401, id="issued-in-the-future"),
    ],
)
def test_clock_skew_is_bounded(
    client: TestClient, settings: Settings, claim: str, offset_s: int, status: int
) -> None:
    assert _status(client, settings, **{claim: int(time.time()) + offset_s}) == status


@pytest.mark.parametrize("claim", ["iss", "aud", "iat", "sub", "role"])
def test_every_required_claim_is_required(
    client: TestClient, settings: Settings, claim: str
) -> None:
    claims = _claims(settings)
    del claims[claim]
    token = _signed(settings, claims)
    response = client.get("/v1/provisions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_an_audience_list_without_ours_is_refused(client: TestClient, settings: Settings) -> None:
    assert _status(client, settings, aud=["another-api", "a-third-api"]) == 401


@pytest.mark.parametrize("algorithm", ["HS256", "HS512", "none"])
def test_symmetric_or_no_algorithms_cannot_be_configured(algorithm: str) -> None:
    with pytest.raises(ValidationError):
        Settings(jwt_algorithms=[algorithm])  # type: ignore[list-item]


def test_the_leeway_cannot_exceed_five_minutes() -> None:
    with pytest.raises(ValidationError):
        Settings(jwt_leeway_s=301)

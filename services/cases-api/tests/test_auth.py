"""Authentication: every /v1 route needs a valid token; forgeries get 401 problems."""

import base64
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.testclient import TestClient

from cases_api.auth.deps import get_principal
from cases_api.auth.keys import ensure_local_key_pair
from cases_api.settings import Settings


def v1_routes(app: FastAPI) -> list[RouteContext]:
    """Every effective /v1 route of the app, however routers were nested."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if route.path is not None and route.path.startswith("/v1")
    ]


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "officer-1",
        "iat": now,
        "exp": now + 600,
        "role": "officer",
        "la_code": "855",
    }
    return claims | overrides


def _signed(settings: Settings, **overrides: Any) -> str:
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    return jwt.encode(_claims(settings, **overrides), private_pem, algorithm="RS256")


def _get(client: TestClient, token: str) -> Any:
    return client.get("/v1/provisions", headers={"Authorization": f"Bearer {token}"})


def _assert_401_problem(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["title"] == "Unauthenticated"


def test_a_valid_token_is_accepted(client: TestClient, settings: Settings) -> None:
    assert _get(client, _signed(settings)).status_code == 200


def test_no_token_is_refused(client: TestClient) -> None:
    _assert_401_problem(client.get("/v1/provisions"))


def test_a_basic_credential_is_refused(client: TestClient) -> None:
    _assert_401_problem(client.get("/v1/provisions", headers={"Authorization": "Basic dTpw"}))


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
        pytest.param({"aud": "another-api"}, id="wrong-audience"),
        pytest.param({"iss": "https://evil.example"}, id="wrong-issuer"),
        pytest.param({"nbf": int(time.time()) + 3600}, id="not-yet-valid"),
        pytest.param({"role": "superuser"}, id="unknown-role"),
        pytest.param({"la_code": None}, id="officer-without-la"),
        pytest.param({"role": "admin", "la_code": None}, id="admin-without-la"),
    ],
)
def test_bad_claims_are_refused(
    client: TestClient, settings: Settings, overrides: dict[str, Any]
) -> None:
    _assert_401_problem(_get(client, _signed(settings, **overrides)))


def test_missing_expiry_is_refused(client: TestClient, settings: Settings) -> None:
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    claims = _claims(settings)
    del claims["exp"]
    _assert_401_problem(_get(client, jwt.encode(claims, private_pem, algorithm="RS256")))


def test_a_token_from_another_key_is_refused(client: TestClient, settings: Settings) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _assert_401_problem(_get(client, jwt.encode(_claims(settings), stranger, algorithm="RS256")))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_alg_none_is_refused(client: TestClient, settings: Settings) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(settings)).encode())
    _assert_401_problem(_get(client, f"{header}.{payload}."))


def test_hs256_signed_with_the_public_key_is_refused(
    client: TestClient, settings: Settings
) -> None:
    """Algorithm confusion: the public key used as an HMAC secret."""
    import hashlib
    import hmac

    _, public_pem = ensure_local_key_pair(settings.data_dir)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(settings)).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    _assert_401_problem(_get(client, f"{header}.{payload}.{_b64(signature)}"))


def test_garbage_is_refused(client: TestClient) -> None:
    _assert_401_problem(_get(client, "not-a-jwt"))


def test_every_v1_route_requires_authentication(app: FastAPI) -> None:
    """Walks the app: a /v1 route without the principal dependency fails this test."""

    def depends_on_principal(dependant: Any) -> bool:
        return any(
            dependency.call is get_principal or depends_on_principal(dependency)
            for dependency in dependant.dependencies
        )

    routes = v1_routes(app)
    assert len(routes) >= 8, "the walk found too few /v1 routes"
    unprotected = [route.path for route in routes if not depends_on_principal(route.dependant)]
    assert unprotected == []


def _sample_path(path: str) -> str:
    """The route's path with a plausible value for each parameter."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if "urn" in name:
            return "120001"
        if name.endswith(":uuid") or name.endswith("_id") or name == "id":
            return "00000000-0000-0000-0000-000000000000"
        return "1"

    return re.sub(r"\{([^}]+)\}", value, path)


def test_every_v1_route_answers_401_without_a_token(app: FastAPI, client: TestClient) -> None:
    for route in v1_routes(app):
        path = _sample_path(route.path)
        for method in route.methods:
            response = client.request(method, path, json={})
            assert response.status_code == 401, f"{method} {path}"


def test_the_cli_prints_a_token_the_api_accepts(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from cases_api import cli
    from cases_api.settings import get_settings

    monkeypatch.setenv("CASES_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        cli.main(["token", "--role", "officer", "--la", "855"])
    finally:
        get_settings.cache_clear()
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert _get(client, last_line).status_code == 200


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("parent", []),
        ("school", ["--urn", "120001"]),
        ("admin", ["--la", "855"]),
        ("service", ["--la", "855"]),
    ],
)
def test_the_cli_mints_every_role(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    role: str,
    extra: list[str],
) -> None:
    from cases_api import cli
    from cases_api.auth.tokens import TokenVerifier
    from cases_api.settings import get_settings

    monkeypatch.setenv("CASES_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        cli.main(["token", "--role", role, *extra])
    finally:
        get_settings.cache_clear()
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert TokenVerifier(settings).verify(token).role == role


def test_production_refuses_to_start_without_an_issuer_key(tmp_path: Path) -> None:
    from cases_api.auth.tokens import TokenVerifier

    with pytest.raises(RuntimeError, match="CASES_JWT_PUBLIC_KEY"):
        TokenVerifier(Settings(environment="production", data_dir=tmp_path))


def test_a_configured_public_key_is_used(tmp_path: Path, token: Callable[..., str]) -> None:
    from cryptography.hazmat.primitives import serialization

    from cases_api.auth.tokens import TokenVerifier

    issuer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = issuer_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = Settings(
        environment="production", data_dir=tmp_path, jwt_public_key=public_pem.decode()
    )
    verifier = TokenVerifier(settings)
    issued = jwt.encode(_claims(settings), issuer_key, algorithm="RS256")
    assert verifier.verify(issued).la_code == "855"
    with pytest.raises(Exception, match="not valid"):
        verifier.verify(token("officer"))  # signed by the local development key


def test_keys_are_fetched_from_the_issuers_jwks_url(tmp_path: Path) -> None:
    """A real JWKS endpoint on loopback, as an identity provider (Entra ID, Keycloak) serves it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cases_api.auth.tokens import TokenVerifier

    issuer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(issuer_key.public_key()))
    jwks = json.dumps({"keys": [jwk | {"kid": "idp-2026", "use": "sig", "alg": "RS256"}]})

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(jwks.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings = Settings(
            environment="production",
            data_dir=tmp_path,
            jwt_jwks_url=f"http://127.0.0.1:{server.server_address[1]}/jwks",
        )
        verifier = TokenVerifier(settings)
        issued = jwt.encode(
            _claims(settings), issuer_key, algorithm="RS256", headers={"kid": "idp-2026"}
        )
        assert verifier.verify(issued).role == "officer"
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = jwt.encode(
            _claims(settings), stranger, algorithm="RS256", headers={"kid": "idp-2026"}
        )
        with pytest.raises(Exception, match="not valid"):
            verifier.verify(forged)
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_jwks_url_is_a_503_not_a_401(tmp_path: Path) -> None:
    from cases_api.auth.tokens import IdentityProviderUnavailable, TokenVerifier

    settings = Settings(
        environment="production", data_dir=tmp_path, jwt_jwks_url="http://127.0.0.1:9/jwks"
    )
    issuer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issued = jwt.encode(_claims(settings), issuer_key, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(IdentityProviderUnavailable):
        TokenVerifier(settings).verify(issued)

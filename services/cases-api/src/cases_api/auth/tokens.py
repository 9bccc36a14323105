"""Verifying bearer tokens, and minting them with the development key."""

import time
import uuid
from typing import Any

import jwt

from cases_api.auth.claims import principal_from
from cases_api.auth.keys import ensure_local_key_pair
from cases_api.auth.principal import Principal, Role
from cases_api.core.errors import DomainError, Unauthenticated
from cases_api.settings import Settings


class IdentityProviderUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
    type_slug = "identity-provider-unavailable"


# The role claim is required too, under its configured name (`claims.role_from`).
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


class TokenVerifier:
    """Checks signature (explicit asymmetric algorithms only), issuer, audience and time claims."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._algorithms = list(settings.jwt_algorithms)
        self._jwks: jwt.PyJWKClient | None = None
        self._public_key: bytes | None = None
        if settings.jwt_jwks_url:
            self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=600)
        elif settings.jwt_public_key:
            self._public_key = settings.jwt_public_key.encode()
        elif settings.environment == "development":
            _, self._public_key = ensure_local_key_pair(settings.data_dir)
        else:
            raise RuntimeError("Production needs CASES_JWT_PUBLIC_KEY or CASES_JWT_JWKS_URL.")

    @property
    def fetches_keys(self) -> bool:
        """Whether verifying may fetch the issuer's keys over the network (JWKS)."""
        return self._jwks is not None

    def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        return self._public_key

    def verify(self, token: str) -> Principal:
        """The principal a valid token names; `Unauthenticated` for anything else."""
        try:
            claims = jwt.decode(
                token,
                key=self._key_for(token),
                algorithms=self._algorithms,
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                leeway=self._settings.jwt_leeway_s,
                options={"require": REQUIRED_CLAIMS, "verify_nbf": True},
            )
        except jwt.PyJWKClientConnectionError as error:
            raise IdentityProviderUnavailable(
                "The identity provider's keys cannot be fetched; retry shortly."
            ) from error
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("The token has expired.") from error
        except (jwt.PyJWTError, ValueError) as error:
            raise Unauthenticated(_refusal(error)) from error
        return principal_from(claims, self._settings)


def _refusal(error: Exception) -> str:
    """Why a token was refused, in words for its holder: never the decoder's own message,
    which can quote bytes of the token or name library internals."""
    # The signature check first: a bad signature is a DecodeError too.
    if isinstance(error, jwt.InvalidSignatureError | jwt.PyJWKClientError):
        return "The token is not valid: its signature does not match a key of the trusted issuer."
    if isinstance(error, jwt.DecodeError | ValueError):
        return "The bearer token is not a valid JWT."
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"The token is not valid: it lacks the {error.claim!r} claim."
    reasons: list[tuple[type[Exception], str]] = [
        (jwt.InvalidAlgorithmError, "it is signed with an algorithm this service does not take"),
        (jwt.InvalidAudienceError, "it is not meant for this service (its audience)"),
        (jwt.InvalidIssuerError, "it was not issued by the trusted issuer"),
        (jwt.ImmatureSignatureError, "it is not valid yet (nbf or iat is in the future)"),
    ]
    reason = next((text for kind, text in reasons if isinstance(error, kind)), None)
    return f"The token is not valid: {reason or 'its claims could not be checked'}."


def mint_local_token(
    settings: Settings,
    *,
    role: Role,
    subject: str,
    la_code: str | None = None,
    school_urns: tuple[int, ...] = (),
    guardian_external_id: str | None = None,
    scopes: tuple[str, ...] = (),
    ttl_s: int = 8 * 3600,
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """A token signed with the development key, with the claims under the names the settings
    configure (`extra_claims` are added as they are, to mimic an identity provider's)."""
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_s,
        "jti": uuid.uuid4().hex,
        settings.claim_role: role.value,
    }
    if la_code:
        claims[settings.claim_la_code] = la_code
    if school_urns:
        claims[settings.claim_school_urns] = list(school_urns)
    if guardian_external_id:
        claims[settings.claim_guardian_external_id] = guardian_external_id
    if scopes:
        claims["scope"] = " ".join(scopes)
    claims |= extra_claims or {}
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": "local-dev"})

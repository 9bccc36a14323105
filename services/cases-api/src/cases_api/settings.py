"""Configuration of the cases API: one class, read from `CASES_*` environment variables."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from send_contracts.gateway import GatewaySettings

# The repository root when running from a checkout (src layout: services/cases-api/src/cases_api).
_REPO_ROOT = Path(__file__).resolve().parents[4]
DEFAULT_DATA_DIR = _REPO_ROOT / "var"


class Settings(GatewaySettings):
    """Every setting of the cases API, with a safe embedded default for development; CORS,
    trusted proxies and metrics come from `GatewaySettings`."""

    model_config = SettingsConfigDict(env_prefix="CASES_", env_file=None, extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="Where the embedded SQLite database and the development signing key live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default SQLite in data_dir. PostgreSQL: "
        "postgresql+psycopg://user@host:5432/dbname",
    )
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_s: float = Field(default=5.0, gt=0)
    sqlite_journal_mode: Literal["wal", "delete"] = Field(
        default="wal",
        description="SQLite journal: WAL (readers and the writer never block each other); "
        "`delete` only where WAL cannot work (a network file system).",
    )
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="FULL: a commit is on disk when acknowledged; NORMAL may lose the last "
        "commits on power loss (never corrupts).",
    )
    sqlite_busy_timeout_s: float = Field(
        default=5.0, gt=0, description="How long a SQLite writer waits for the write lock."
    )
    worker_threads: int = Field(
        default=40, ge=1, description="Thread pool for sync endpoints; keep ≥ pool size."
    )

    jwt_issuer: str = "urn:send:cases-api:local"
    jwt_audience: str = "cases-api"
    jwt_algorithms: list[Literal["RS256", "RS384", "RS512", "ES256", "ES384", "EdDSA", "PS256"]] = (
        Field(default=["RS256"])
    )
    jwt_public_key: str | None = Field(default=None, description="PEM public key of the issuer.")
    jwt_jwks_url: str | None = Field(default=None, description="JWKS URL of the issuer.")
    jwt_leeway_s: int = Field(default=30, ge=0, le=300, description="Clock skew allowed.")

    # Where the identity provider puts who the caller is (docs/identity-providers.md). A claim
    # name may be a dotted path into nested objects (`realm_access.roles`).
    claim_role: str = Field(
        default="role",
        description="Claim holding the caller's role: a string, or an array of role or group "
        "names (Entra ID `roles`, Keycloak `realm_access.roles`).",
    )
    role_map: dict[str, Literal["parent", "school", "officer", "admin", "service"]] = Field(
        default_factory=dict,
        description="IdP role or group names → our roles, e.g. "
        '{"SEND.Officer": "officer"}. Our own role names always map to themselves.',
    )
    claim_la_code: str = Field(default="la_code", description="Claim holding the LA code.")
    claim_la_groups: str | None = Field(
        default=None,
        description="Claim holding group names, one of which names the LA (with la_group_pattern).",
    )
    la_group_pattern: str | None = Field(
        default=None,
        description="Regular expression with a group named `la` that finds the LA code in a "
        r"group name, e.g. ^send-la-(?P<la>\d{3})$.",
    )
    claim_school_urns: str = Field(
        default="school_urns", description="Claim holding the school's URNs (integers)."
    )
    claim_guardian_external_id: str = Field(
        default="guardian_external_id",
        description="Claim holding a parent's guardian external id (matched against "
        "`guardians.external_id`, never against a guardian's id).",
    )

    matching_url: str = Field(
        default="http://127.0.0.1:8001", description="Base URL of the matching service."
    )
    matching_connect_timeout_s: float = Field(default=2.0, gt=0)
    matching_read_margin_s: float = Field(
        default=10.0, gt=0, description="Read timeout = the proposal's time limit + this margin."
    )
    matching_retries: int = Field(default=2, ge=0, le=5, description="Retries on connect errors.")
    matching_breaker_failures: int = Field(
        default=5, ge=1, description="Consecutive failures that open the circuit breaker."
    )
    matching_breaker_reset_s: float = Field(
        default=30.0, gt=0, description="How long an open breaker refuses calls before a probe."
    )

    school_access_grace_days: int = Field(
        default=28,
        ge=0,
        le=365,
        description="Days a school keeps reading a child's record after its tie to the child "
        "ends (consultation declined or lapsed, request closed, placement ended, pupil left).",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    log_level: str = "INFO"
    log_json: bool = True

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cases.db'}"

    @property
    def uses_local_signing_key(self) -> bool:
        """True when no issuer key is configured and a development key pair is used instead."""
        return self.jwt_public_key is None and self.jwt_jwks_url is None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()

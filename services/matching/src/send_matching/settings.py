"""Configuration from the environment (prefix MATCHING_)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from send_contracts.gateway import GatewaySettings


class Settings(GatewaySettings):
    """CORS, trusted proxies and metrics come from `GatewaySettings`."""

    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
    max_body_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted; 100,000 children take about 20 MB.",
    )
    log_level: str = "INFO"
    solver_threads: int = Field(
        default=2, ge=1, description="Proposals solved at once; each uses one core."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()

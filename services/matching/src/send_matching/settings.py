"""Configuration from the environment (prefix MATCHING_)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
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
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API, comma-separated; empty: no CORS.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies trusted for X-Forwarded-Proto and X-Forwarded-For: comma-separated "
        "IPs or networks, or *; empty: none.",
    )
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at /metrics (no auth)."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()

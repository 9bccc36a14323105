"""Stored idempotency keys with the response they produced."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    # Keys are per whole principal (`Principal.identity_key`): two callers never collide, nor
    # replay each other's responses, even when an identity provider reuses a subject.
    principal_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int]
    response_body: Mapped[Any] = mapped_column(sa.JSON)
    location: Mapped[str | None] = mapped_column(sa.String(500))
    etag: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

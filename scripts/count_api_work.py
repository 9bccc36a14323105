"""What one call to cases-api costs in work a loaded machine cannot hide: SQL statements sent,
transactions committed and hops to a worker thread, for the calls `make bench-api` times.

Counts, unlike times, do not move with the other load on the machine, so they judge a change
exactly; run it on two revisions (PYTHONPATH=<exported src> for the old one) to compare.
Usage: python scripts/count_api_work.py DATABASE_URL DATA_DIR
"""

import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import anyio.to_thread
import sqlalchemy as sa
from fastapi.testclient import TestClient

from cases_api.app import create_app
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.settings import Settings

_BODY = {
    "la_code": "855",
    "given_name": "Count",
    "family_name": "Work",
    "date_of_birth": "2015-03-14",
    "sex": "F",
    "home_postcode": "LE11 3TU",
    "needs": ["ASD"],
}


def main() -> None:
    settings = Settings(database_url=sys.argv[1], data_dir=Path(sys.argv[2]), log_level="WARNING")
    app = create_app(settings)
    tally: Counter[str] = Counter()

    @sa.event.listens_for(app.state.engine, "before_cursor_execute")
    def _statement(*_: Any) -> None:
        tally["statements"] += 1

    @sa.event.listens_for(app.state.engine, "commit")
    def _commit(*_: Any) -> None:
        tally["commits"] += 1

    run_sync = anyio.to_thread.run_sync

    async def counted(*args: Any, **kwargs: Any) -> Any:
        tally["thread hops"] += 1
        return await run_sync(*args, **kwargs)

    anyio.to_thread.run_sync = counted  # type: ignore[assignment]
    token = mint_local_token(settings, role=Role.OFFICER, subject="count", la_code="855")
    officer = {"Authorization": f"Bearer {token}"}
    with sa.create_engine(settings.resolved_database_url).connect() as connection:
        child = connection.scalar(
            sa.text("SELECT id FROM children WHERE la_code = '855' ORDER BY id LIMIT 1")
        )
    calls = [
        ("GET /healthz", "GET", "/healthz", {}),
        ("GET /v1/children/{id}", "GET", f"/v1/children/{uuid.UUID(str(child))}", officer),
        (
            "GET /v1/children?limit=50",
            "GET",
            "/v1/children?limit=50",
            officer | {"X-Access-Reason": "count"},
        ),
        ("POST /v1/children", "POST", "/v1/children", officer),
    ]
    with TestClient(app) as client:
        for label, method, path, headers in calls:
            client.request(method, path, headers=headers, json=_BODY if method == "POST" else None)
            tally.clear()
            response = client.request(
                method, path, headers=headers, json=_BODY if method == "POST" else None
            )
            assert response.status_code < 300, response.text
            print(
                f"{label:<28} {tally['statements']:3} statements  {tally['commits']} commits  "
                f"{tally['thread hops']:2} thread hops"
            )


if __name__ == "__main__":
    main()

"""`make bench-access`: what the access scope and the audit trail add to reading children's data.

Seeds the demo county into a scratch database (SQLite by default; PostgreSQL with `PG=1`),
serves the API with uvicorn on a local port, and times, in the same run, a page of children read
through the API over HTTP as an officer, a school and a parent (token check, scope, audit row
committed, JSON) against two baselines: the same page as one plain query with no scope and no
audit, and `/healthz` over the same HTTP connection (what HTTP and the framework cost on their
own). Also the read of one child. Prints medians side by side; nothing here asserts a time.
"""

import argparse
import os
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx2
import sqlalchemy as sa
import uvicorn
from sqlalchemy.orm import Session

from cases_api.app import create_app
from cases_api.audit.models import AuditEvent
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.children.models import Child, ChildGuardian, Guardian
from cases_api.core.db import create_db_engine
from cases_api.demo.county import DEMO_LA_CODE
from cases_api.demo.seed import seed_if_empty
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.testing import scratch_database

REPEATS = 200
PAGE = 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _median_ms(run: Callable[[], object], repeats: int = REPEATS) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _callers(settings: Settings, session: Session) -> dict[str, dict[str, str]]:
    """An officer of the demo county, the school with most pupils, and a verified parent."""
    urn = session.scalar(
        sa.select(Child.current_school_urn)
        .where(Child.current_school_urn.is_not(None))
        .group_by(Child.current_school_urn)
        .order_by(sa.func.count().desc())
        .limit(1)
    )
    guardian = session.scalar(
        sa.select(Guardian.external_id)
        .join(ChildGuardian, ChildGuardian.guardian_id == Guardian.id)
        .where(ChildGuardian.verified.is_(True))
        .limit(1)
    )
    assert urn is not None, "the demo county has pupils"
    assert guardian is not None, "the demo county has verified parents"
    tokens = {
        "officer": mint_local_token(
            settings, role=Role.OFFICER, subject="bench-officer", la_code=DEMO_LA_CODE
        ),
        "school": mint_local_token(
            settings, role=Role.SCHOOL, subject="bench-school", school_urns=(urn,)
        ),
        "parent": mint_local_token(
            settings, role=Role.PARENT, subject="bench-parent", guardian_external_id=guardian
        ),
    }
    return {
        name: {"Authorization": f"Bearer {token}", "X-Access-Reason": "benchmark"}
        for name, token in tokens.items()
    }


def run(settings: Settings) -> None:
    upgrade_to_head(settings)
    seeded_in = time.perf_counter()
    seed_if_empty(settings)
    seeded_in = time.perf_counter() - seeded_in
    engine = create_db_engine(settings)
    app = create_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    client = httpx2.Client(base_url=f"http://127.0.0.1:{server.config.port}", timeout=30)
    with Session(engine) as session:
        children = session.scalar(sa.select(sa.func.count()).select_from(Child))
        callers = _callers(settings, session)
        one_child: uuid.UUID = session.scalars(
            sa.select(Child.id).where(Child.la_code == DEMO_LA_CODE).limit(1)
        ).one()
        audit_before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0

    def baseline_page() -> None:
        with Session(engine) as session:
            query = (
                sa.select(Child)
                .where(Child.la_code == DEMO_LA_CODE)
                .order_by(Child.family_name, Child.given_name, Child.id)
                .limit(PAGE)
            )
            session.scalars(query).all()

    def baseline_one() -> None:
        with Session(engine) as session:
            session.get(Child, one_child)

    def api(path: str, caller: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path, headers=callers[caller])
            assert response.status_code == 200, response.text

        return call

    page = f"/v1/children?limit={PAGE}"

    def health() -> None:
        client.get("/healthz").raise_for_status()

    rows = [
        ("GET /healthz over HTTP (baseline: HTTP and framework)", _median_ms(health)),
        ("a page of 50 children, plain query (baseline)", _median_ms(baseline_page)),
        ("the same page through the API, officer", _median_ms(api(page, "officer"))),
        ("a page through the API, school (4-way scope)", _median_ms(api(page, "school"))),
        ("a page through the API, parent", _median_ms(api(page, "parent"))),
        ("one child, plain query (baseline)", _median_ms(baseline_one)),
        (
            "one child through the API, officer",
            _median_ms(api(f"/v1/children/{one_child}", "officer")),
        ),
    ]
    with Session(engine) as session:
        audit_after = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0
    client.close()
    server.should_exit = True
    thread.join()
    app.state.engine.dispose()
    engine.dispose()

    backend = engine.dialect.name
    print(
        f"Demo county on {backend}: {children} children, seeded in {seeded_in:.1f} s; "
        f"median of {REPEATS} calls each; {audit_after - audit_before} audit rows written."
    )
    print()
    width = max(len(label) for label, _ in rows)
    health_ms, page_ms, one_ms = rows[0][1], rows[1][1], rows[5][1]
    print(f"{'':<{width}}  {'median':>10}  {'÷ plain query':>13}  {'− /healthz':>10}")
    for label, ms in rows:
        base = one_ms if "one child" in label else page_ms
        print(f"{label:<{width}}  {ms:7.2f} ms  {ms / base:12.1f}×  {ms - health_ms:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a scratch PostgreSQL database")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-access-"))
    if args.postgres:
        os.environ["CASES_TEST_DATABASE"] = "postgresql"
    with scratch_database(data_dir, label="bench") as url:
        run(Settings(database_url=url, data_dir=data_dir, log_level="WARNING"))


if __name__ == "__main__":
    main()

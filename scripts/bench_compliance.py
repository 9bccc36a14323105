"""`make bench-compliance`: the 20-week compliance view, the old way against the SQL aggregate.

Runs against the configured database (`CASES_DATABASE_URL`, or SQLite in `CASES_DATA_DIR`),
which `make seed` fills with the demo county. In the same run, for a few periods, times the old
computation (every issued plan loaded as a full request, its clock worked out in Python) and the
new one (`twenty_week_compliance_in_sql`), checks that both give the same figures, then times the
whole endpoint over HTTP in-process. Prints p50 and p99 side by side; nothing asserts a time.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.access.scope import Scope
from cases_api.app import create_app
from cases_api.assessments import queries, views
from cases_api.assessments.compliance_query import twenty_week_compliance_in_sql
from cases_api.assessments.queries import ComplianceBasis
from cases_api.auth.principal import Principal, Role
from cases_api.auth.tokens import mint_local_token
from cases_api.core.db import create_db_engine, create_session_factory
from cases_api.demo.county import DEMO_LA_CODE
from cases_api.settings import Settings
from cases_api.statutory import TwentyWeekCompliance

PERIODS = {
    "one month": (date(2026, 10, 1), date(2026, 10, 31)),
    "one year": (date(2025, 9, 1), date(2026, 8, 31)),
    "everything": (date(2000, 1, 1), date(2100, 12, 31)),
}


def _percentiles_ms(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def _old_way(session: Session, **kwargs: Any) -> TwentyWeekCompliance:
    return views.compliance_of(queries.issued_plans(session, **kwargs))


def _new_way(session: Session, **kwargs: Any) -> TwentyWeekCompliance:
    return twenty_week_compliance_in_sql(session, **kwargs)


def _timed(
    sessions: Callable[[], Session], way: Callable[[Session], TwentyWeekCompliance]
) -> Callable[[], object]:
    def run() -> object:
        with sessions() as session:  # a fresh session: no identity map to reuse
            return way(session)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    settings = Settings(log_level="WARNING")
    engine = create_db_engine(settings)
    sessions = create_session_factory(engine)
    scope = Scope(Principal(subject="bench", role=Role.OFFICER, la_code=DEMO_LA_CODE))
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(
        f"{'period':<12} {'basis':<9} {'plans':>5}  {'old p50':>8} {'old p99':>8}  "
        f"{'new p50':>8} {'new p99':>8}  (ms)"
    )
    for label, (start, end) in PERIODS.items():
        for basis in ComplianceBasis:
            kwargs = {
                "scope": scope,
                "la_code": DEMO_LA_CODE,
                "basis": basis,
                "period_from": start,
                "period_to": end,
            }

            old_way = partial(_old_way, **kwargs)
            new_way = partial(_new_way, **kwargs)
            timed = partial(_timed, sessions)

            with sessions() as session:
                old, new = old_way(session), new_way(session)
            if old != new:
                raise SystemExit(f"different figures for {label} by {basis}: {old} != {new}")
            old_p50, old_p99 = _percentiles_ms(timed(old_way), args.repeats)
            new_p50, new_p99 = _percentiles_ms(timed(new_way), args.repeats)
            print(
                f"{label:<12} {basis.value:<9} {new.all_plans.issued:>5}  {old_p50:>8.1f} "
                f"{old_p99:>8.1f}  {new_p50:>8.1f} {new_p99:>8.1f}"
            )

    token = mint_local_token(settings, subject="bench", role=Role.OFFICER, la_code=DEMO_LA_CODE)
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        start, end = PERIODS["one year"]
        url = (
            "/v1/assessment-requests/compliance"
            f"?period_from={start.isoformat()}&period_to={end.isoformat()}"
        )
        assert client.get(url, headers=headers).status_code == 200
        p50, p99 = _percentiles_ms(lambda: client.get(url, headers=headers), args.repeats)
        print(f"GET {url} (token, scope, audit, JSON): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()

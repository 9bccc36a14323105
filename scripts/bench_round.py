"""`make bench-round`: what cases-api adds to a proposal, measured against calling matching directly.

Starts both services on a scratch, seeded SQLite database, opens a transfer round on the demo
county, and times, in the same run: asking cases-api for a proposal (reading the cohort and the
directory, calling matching over HTTP, storing request and answer, presenting the answer by name)
against posting the very same request straight to the matching service (the baseline). Prints
medians side by side.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from cross_service import start_services, stop_services

REPEATS = 9


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-round-"))
    services, processes = start_services(data_dir, f"sqlite:///{data_dir / 'bench.db'}")
    try:
        token = services.cli("token", "--role", "officer", "--la", "855").strip().splitlines()[-1]
        # Proposals name the children, so reading them is audited with a reason.
        officer = {"Authorization": f"Bearer {token}", "X-Access-Reason": "benchmark"}
        with httpx2.Client(base_url=services.cases_url, headers=officer, timeout=120) as cases:
            round_id = cases.post(
                "/v1/rounds", json={"name": "Bench", "entry_date": "2027-09-01"}
            ).json()["id"]
            added = cases.post(
                f"/v1/rounds/{round_id}/cohort-rules", json={"rule": "phase_transfer"}
            ).json()["added"]
            through_cases: list[float] = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                response = cases.post(f"/v1/rounds/{round_id}/proposals")
                through_cases.append(time.perf_counter() - started)
                response.raise_for_status()
            number = response.json()["number"]
            exchange = cases.get(f"/v1/rounds/{round_id}/proposals/{number}/exchange")
            request_body = exchange.raise_for_status().json()["request"]
        direct: list[float] = []
        with httpx2.Client(base_url=services.matching_url, timeout=120) as matching:
            for _ in range(REPEATS):
                started = time.perf_counter()
                matching.post("/v1/proposals", json=request_body).raise_for_status()
                direct.append(time.perf_counter() - started)
        children, provisions = len(request_body["children"]), len(request_body["provisions"])
        print(
            f"Demo county round: {added} children in the cohort, {children} in the request, "
            f"{provisions} provisions; median of {REPEATS} on SQLite."
        )
        print()
        print("| path | median ms | min ms | max ms |")
        print("|---|---|---|---|")
        for name, samples in (
            ("matching directly (baseline)", direct),
            ("cases-api POST /v1/rounds/{id}/proposals", through_cases),
        ):
            print(
                f"| {name} | {_median_ms(samples):.1f} | {min(samples) * 1000:.1f} | "
                f"{max(samples) * 1000:.1f} |"
            )
        print("samples (ms):", [round(s * 1000) for s in through_cases])
        overhead = _median_ms(through_cases) - _median_ms(direct)
        print(
            f"\ncases-api adds {overhead:.1f} ms (cohort and directory reads, storing both, naming)."
        )
    finally:
        stop_services(processes)


if __name__ == "__main__":
    main()

"""`python -m send_matching.bench [--sizes 200 2000 20000 100000] [--smoke]`: the engine measured.

Each method runs in its own process (peak memory is then the method's own, read from the kernel
with wait4) on the same generated county and the same admissible pairs. Then, for
`--request-sizes` (20,000 and 100,000 children), the whole request over HTTP against the bare
min-cost flow on the same pairs (`whole_request`). Writes both tables to
docs/matching-benchmarks.md and the chart to docs/img/matching-benchmarks.png, and prints them.
`--smoke` runs every part on 200 children in seconds and writes nothing (CI runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from send_matching.bench.http_run import measure_http
from send_matching.bench.report import machine, table, write_chart, write_markdown
from send_matching.bench.whole_request import measure_whole_request
from send_matching.bench.whole_request import table as request_table

SEED = 7
METHOD_LIMITS = {  # largest size each method is run at; the others are not meant for more
    "engine": 100_000,
    "raw_mcf": 100_000,
    "greedy": 100_000,
    "deferred_acceptance": 2_000,  # pure Python: over 300 s at 20,000 children (measured)
    "highs_mip": 2_000,
}
BUDGET_SIZES = {200, 2000, 20_000}
TIMEOUT_S = 300
# The contract's largest limit: the answer is then the exact flow, comparable with the floor.
REQUEST_TIME_LIMIT_S = 300.0


def run_isolated(method: str, size: int, *, budget_share: float | None = None) -> dict[str, Any]:
    """Run one method in a fresh process; its peak RSS comes from the kernel (wait4)."""
    command = [sys.executable, "-m", "send_matching.bench.run_one", method, str(size), str(SEED)]
    if budget_share is not None:
        command += ["--budget-share", str(budget_share)]
    label = method if budget_share is None else f"engine, budget {budget_share:.0%}"
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # noqa: S603 (our own module)
    timer = threading.Timer(TIMEOUT_S, process.kill)
    timer.start()
    assert process.stdout is not None
    out = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if process.returncode != 0 or not out.strip():
        return {"method": label, "size": size, "note": f"failed or over {TIMEOUT_S} s"}
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m send_matching.bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 2000, 20_000])
    parser.add_argument("--request-sizes", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="requests per size up to 20,000")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--no-write", action="store_true", help="print the tables only")
    parser.add_argument("--smoke", action="store_true", help="200 children, seconds, no writing")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.request_sizes, args.repeats, args.no_write = [200], [200], 1, True

    results: list[dict[str, Any]] = []
    for size in args.sizes:
        for method, limit in METHOD_LIMITS.items():
            if size <= limit:
                results.append(_report(run_isolated(method, size)))
        if size == 2000:
            results.append(_report(measure_http(size, SEED)))
        if size in BUDGET_SIZES:
            results.append(_report(run_isolated("engine", size, budget_share=0.5)))

    requests: list[dict[str, Any]] = []
    for size in args.request_sizes:
        floor = _report(run_isolated("raw_mcf", size))
        if "seconds" not in floor:
            raise SystemExit(f"the floor failed at {size} children: {floor.get('note')}")
        repeats = args.repeats if size <= 20_000 else 1
        requests.append(
            _report(
                measure_whole_request(
                    size, SEED, time_limit_s=REQUEST_TIME_LIMIT_S, repeats=repeats, floor=floor
                )
            )
        )

    print(f"\n{machine()}\n\n{table(results)}\n")
    if requests:
        print(f"{request_table(requests)}\n")
    if not args.no_write:
        if results:
            write_markdown(table(results), args.out / "matching-benchmarks.md", "bench", chart=True)
            write_chart(results, args.out / "img" / "matching-benchmarks.png")
        if requests:
            write_markdown(request_table(requests), args.out / "matching-benchmarks.md", "request")


def _report(result: dict[str, Any]) -> dict[str, Any]:
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()

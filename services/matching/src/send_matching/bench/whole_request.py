"""The whole request over HTTP against its floor, the bare min-cost flow, with the phases between.

The floor (`raw_mcf`, run in its own process by the caller) is OR-Tools' `SimpleMinCostFlow` on
the engine's own admissible pairs with arcs prebuilt as numpy arrays and the lexicographic levels
folded into one cost: only adding the arcs and solving are timed. The whole request is the same
county posted as JSON with httpx to a real `send-matching serve` process (uvicorn, httptools) on
127.0.0.1, timed at the client from sending to the last byte received.

Phases: `map` (to the solver's types), `pairs`, `flow`, `explanations` and `encode` come from the
service's own `proposal_solved` log line for that request. `decode` (JSON and validation, done by
FastAPI before the route runs) is timed here in the bench process, as FastAPI does it: `json.loads`
then `ProposalRequest.model_validate`. `rest` is what the client waited for beyond all of them
(reading and writing the bytes, the event loop, the worker thread hand-off).
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2

from send_contracts.matching import ProposalRequest
from send_matching.bench.generator import generate_county
from send_matching.bench.http_run import _free_port, _peak_rss_mb, request_body

PHASES = ("decode", "map", "pairs", "flow", "explanations", "encode")


def measure_whole_request(
    size: int, seed: int, *, time_limit_s: float, repeats: int, floor: dict[str, Any]
) -> dict[str, Any]:
    """One row: the floor's seconds (from `floor`), the request's (median), phases and memory."""
    instance = generate_county(children=size, seed=seed)
    options = dataclasses.replace(instance.options, time_limit_s=time_limit_s)
    content = json.dumps(request_body(dataclasses.replace(instance, options=options))).encode()
    del instance
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        seconds, answer, logged, peak = _post(content, repeats, log_path)
    median = statistics.median(seconds)
    at = seconds.index(min(seconds, key=lambda s: abs(s - median)))
    phases = {name: logged[at].get(name, 0.0) for name in PHASES if name != "decode"}
    phases["decode"] = _decode_seconds(content, repeats)
    floor_s = floor.get("seconds")
    return {
        "size": size,
        "pairs": floor.get("pairs"),
        "body_mb": round(len(content) / 1e6, 1),
        "time_limit_s": time_limit_s,
        "floor_s": floor_s,
        "floor_rss_mb": floor.get("peak_rss_mb"),
        "request_s": median,
        "request_runs": [round(s, 3) for s in seconds],
        "ratio": median / floor_s if floor_s else None,
        "phases": phases,
        "rest": max(0.0, median - sum(phases.values())),
        "server_rss_mb": peak,
        "status": answer["status"],
        "engine": answer["solver"]["engine"],
        "placed": answer["totals"]["placed"],
        "same_as_floor": answer["totals"]["placed"] == floor.get("placed")
        and answer["totals"]["preferences_honoured"] == floor.get("preferences_honoured")
        and answer["totals"]["total_cost"] == floor.get("total_cost"),
    }


def _post(
    content: bytes, repeats: int, log_path: Path
) -> tuple[list[float], dict[str, Any], list[dict[str, float]], float | None]:
    port = _free_port()
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 (our own module)
            [sys.executable, "-m", "send_matching.cli", "serve", "--port", str(port)],
            stdout=log_file,
            stderr=subprocess.DEVNULL,
        )
        try:
            with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
                _wait_until_up(client)
                headers = {"content-type": "application/json"}
                seconds: list[float] = []
                answer: dict[str, Any] = {}
                for _ in range(repeats):
                    started = time.perf_counter()
                    response = client.post("/v1/proposals", content=content, headers=headers)
                    seconds.append(time.perf_counter() - started)  # the body is read by now
                    response.raise_for_status()
                    answer = response.json()
            peak = _peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    logged = [
        line["seconds"]
        for line in map(_json_or_none, log_path.read_text().splitlines())
        if line is not None and line.get("event") == "proposal_solved"
    ]
    return seconds, answer, logged, peak


def _wait_until_up(client: httpx2.Client) -> None:
    for _ in range(300):
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the matching service did not start")


def _json_or_none(line: str) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _decode_seconds(content: bytes, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        ProposalRequest.model_validate(json.loads(content))
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| children | pairs | floor s | whole request s | ratio | "
        + " | ".join(PHASES)
        + " | rest | service peak RSS MB | floor peak RSS MB | answer |"
    )
    lines = [head, "|" + "---|" * (len(PHASES) + 9)]
    for r in rows:
        cells = [
            f"{r['size']:,}",
            f"{r['pairs']:,}" if r.get("pairs") else "—",
            _s(r["floor_s"]),
            _s(r["request_s"]),
            "—" if r["ratio"] is None else f"{r['ratio']:.2f}×",
            *(_s(r["phases"][name]) for name in PHASES),
            _s(r["rest"]),
            _mb(r["server_rss_mb"]),
            _mb(r["floor_rss_mb"]),
            f"{r['status']}, {r['engine']}"
            + ("" if r["same_as_floor"] else " (differs from the floor)"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"

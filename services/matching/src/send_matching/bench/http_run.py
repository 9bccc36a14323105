"""The engine through HTTP: a real server process (uvicorn, httptools) on the loopback."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2

from send_matching.bench.generator import generate_county
from send_matching.solver.model import Instance

REPEATS = 5


def request_body(instance: Instance) -> dict[str, Any]:
    """The generated county as a contract v1 request."""
    o = instance.options
    return {
        "children": [
            {
                "id": c.id,
                "location": {"lat": c.lat, "lon": c.lon},
                "age": c.age,
                "primary_need": c.need,
                "suitable_kinds": list(c.suitable_kinds),
                "preferences": list(c.preferences),
            }
            | ({"max_travel_km": c.max_travel_km} if c.max_travel_km is not None else {})
            for c in instance.children
        ],
        "provisions": [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "location": {"lat": p.lat, "lon": p.lon},
                "capacity": p.capacity,
                "designated_needs": list(p.designated_needs),
                "min_age": p.min_age,
                "max_age": p.max_age,
                "annual_cost": p.annual_cost,
            }
            | ({"capacity_by_need": dict(p.capacity_by_need)} if p.capacity_by_need else {})
            for p in instance.provisions
        ],
        "options": {
            "max_travel_km": o.max_travel_km,
            "transport_cost_per_km": o.transport_cost_per_km,
            "preferences": "priority" if o.honour_preferences else "ignore",
            "budget": o.budget,
            "time_limit_s": o.time_limit_s,
        },
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _peak_rss_mb(pid: int) -> float | None:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def measure_http(size: int, seed: int) -> dict[str, Any]:
    instance = generate_county(children=size, seed=seed)
    body = request_body(instance)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own module)
        [sys.executable, "-m", "send_matching.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx2.Client(base_url=base, timeout=120) as client:
            for _ in range(100):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx2.TransportError:
                    time.sleep(0.1)
            content = httpx2.Request("POST", "/", json=body).content
            headers = {"content-type": "application/json"}
            seconds = []
            answer: dict[str, Any] = {}
            for _ in range(REPEATS):
                started = time.perf_counter()
                response = client.post("/v1/proposals", content=content, headers=headers)
                seconds.append(time.perf_counter() - started)
                response.raise_for_status()
                answer = response.json()
        peak = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    totals = answer["totals"]
    return {
        "method": "engine over HTTP",
        "size": size,
        "seconds": statistics.median(seconds),
        "gap": answer["solver"]["gap"],
        "note": f"median of {REPEATS} requests, {len(content) / 1e6:.1f} MB body; {answer['status']}",
        "children": totals["children"],
        "placed": totals["placed"],
        "preferences_requested": totals["preferences_requested"],
        "preferences_honoured": totals["preferences_honoured"],
        "annual_cost": totals["annual_cost"],
        "total_cost": totals["total_cost"],
        "distance_km": round(totals["distance_km"], 1),
        "peak_rss_mb": peak,
    }

"""Failure drills for cases-api, on loopback only, bounded in clients and time.

postgres: cases-api (uvicorn) against a throwaway PostgreSQL cluster made for the drill (initdb in a
          temporary folder, its own port and socket); N clients create children, each with its own
          `Idempotency-Key`, and the cluster is restarted mid-load. Clients retry a failed request
          with the same key until it succeeds.
sqlite:   the same on the embedded database, with the cases-api process killed (`kill -9`) mid-load
          and started again.

Afterwards: every acknowledged (2xx) child is in the database, no key made two children, the only
failures seen were 503 problems (or, while the process was dead, refused connections), the SQLite
file passes `PRAGMA integrity_check`; the recovery time is printed. Exit status 1 if a check fails.
`--json` prints the report as one JSON object on the last line (the test reads it).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import sqlalchemy as sa

BIN = Path(sys.executable).parent
PROBLEM = "application/problem+json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> child id
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    replays: int = 0
    failures_at: list[float] = field(default_factory=list)
    successes_at: list[float] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


def _client(
    base_url: str,
    token: str,
    number: int,
    tally: Tally,
    stop: threading.Event,
    deadline: float,
    expected: frozenset[str],
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    sequence = 0
    with httpx2.Client(base_url=base_url, headers=headers, timeout=10) as http:
        while not stop.is_set():
            sequence += 1
            key = f"drill-{number}-{sequence}"
            body = {
                "la_code": "855",
                "given_name": key,
                "family_name": "Drill",
                "date_of_birth": "2015-03-14",
                "sex": "F",
                "home_postcode": "LE11 3TU",
                "needs": ["ASD"],
            }
            # Retry this key until it is acknowledged: the drill's promise is "no duplicates".
            attempt = 0
            while True:
                if time.monotonic() > deadline:
                    with tally.lock:
                        tally.abandoned.append(key)
                    return
                outcome = _attempt(http, body, key)
                now = time.monotonic()
                with tally.lock:
                    tally.statuses[outcome[0]] += 1
                    if outcome[0].startswith("2"):
                        tally.acknowledged[key] = outcome[1]
                        tally.replays += outcome[2]
                        tally.successes_at.append(now)
                    else:
                        tally.failures_at.append(now)
                        if outcome[0] not in expected:
                            tally.unexpected.append(f"{key}: {outcome[0]} {outcome[1][:300]}")
                if outcome[0].startswith("2"):
                    break
                attempt += 1
                time.sleep(min(0.2, 0.01 * 2**attempt) * random.uniform(0.5, 1))  # noqa: S311


def _attempt(http: httpx2.Client, body: dict[str, Any], key: str) -> tuple[str, str, int]:
    """(status or failure kind, child id or detail, 1 if a replay)."""
    try:
        response = http.post("/v1/children", json=body, headers={"Idempotency-Key": key})
    except httpx2.ConnectError:
        return "refused", "", 0
    except httpx2.TransportError as error:
        # The request may have reached the server (and committed): the retry with the same key
        # will replay it rather than create a second child.
        return "transport", repr(error), 0
    if response.status_code in (200, 201):
        replayed = int(response.headers.get("Idempotent-Replayed") == "true")
        return str(response.status_code), str(response.json()["id"]), replayed
    kind = str(response.status_code)
    if response.status_code == 503 and not response.headers.get("content-type", "").startswith(
        PROBLEM
    ):
        kind = "503-not-problem"
    return kind, response.text, 0


def run_load(
    base_url: str,
    token: str,
    *,
    clients: int,
    seconds: float,
    disrupt: Any,
    expected: frozenset[str],
) -> tuple[Tally, float, float]:
    """Run the clients for a third of `seconds`, `disrupt()`, then two thirds more.

    `expected` names the failures the disruption may cause (anything else is a failed check).
    Returns the tally and the monotonic times the disruption began and ended."""
    tally = Tally()
    stop = threading.Event()
    # Clients give up retrying a key two minutes after the start (they should never need to).
    deadline = time.monotonic() + 120 + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(base_url, token, n, tally, stop, deadline, expected),
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 3)
    began = time.monotonic()
    disrupt()
    ended = time.monotonic()
    time.sleep(seconds * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return tally, began, ended


# --- processes -----------------------------------------------------------------------------------


def _environment(data_dir: Path, database_url: str) -> dict[str, str]:
    return os.environ | {
        "CASES_DATABASE_URL": database_url,
        "CASES_DATA_DIR": str(data_dir),
        "CASES_LOG_LEVEL": "WARNING",
        "CASES_LOG_JSON": "true",
    }


def _cli(environment: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(BIN / "cases-api"), *args],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _start_api(environment: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            [str(BIN / "cases-api"), "serve", "--port", str(port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    deadline = time.monotonic() + 90  # start-up imports take ~30 s on a loaded 2-core machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cases-api exited with {process.returncode}; see {log}")
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        time.sleep(0.1)
    process.kill()
    raise TimeoutError(f"cases-api did not answer within 90 s; see {log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: the PostgreSQL server programs are needed")
    return path


def _as_postgres(*command: str) -> list[str]:
    """Run as the postgres OS user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@contextlib.contextmanager
def throwaway_cluster(folder: Path) -> Iterator[tuple[str, Any]]:
    """A new PostgreSQL cluster on a free loopback port; yields (URL, restart function)."""
    data, sockets = folder / "pgdata", folder / "pgsock"
    for path in (data, sockets):
        path.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        for path in (data, sockets):
            shutil.chown(path, "postgres")
    port = free_port()
    log = folder / "postgres.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres")
    subprocess.run(
        _as_postgres(_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
    pg_ctl = _pg_bin("pg_ctl")
    subprocess.run(
        _as_postgres(pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )

    def restart() -> None:
        # `-l` again: without it the new postmaster writes to (and holds open) our stdout.
        subprocess.run(
            _as_postgres(pg_ctl, "-D", str(data), "-l", str(log), "-m", "fast", "-w", "restart"),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    try:
        server = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE drill")
        admin.dispose()
        yield f"{server}/drill", restart
    finally:
        subprocess.run(
            _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )


# --- checks and report ---------------------------------------------------------------------------


def _check(tally: Tally, database_url: str, began: float, ended: float) -> dict[str, Any]:
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT given_name, id FROM children WHERE family_name = 'Drill'"
            ).all()
    finally:
        engine.dispose()
    stored: dict[str, list[str]] = {}
    for given_name, child_id in rows:
        stored.setdefault(str(given_name), []).append(str(child_id).replace("-", ""))
    lost = [
        key
        for key, child_id in tally.acknowledged.items()
        if child_id.replace("-", "") not in stored.get(key, [])
    ]
    duplicates = {key: len(ids) for key, ids in stored.items() if len(ids) > 1}
    after = [at for at in tally.successes_at if at >= ended]
    failures = [at for at in tally.failures_at if at >= began]
    return {
        "requests": sum(tally.statuses.values()),
        "statuses": dict(sorted(tally.statuses.items())),
        "acknowledged": len(tally.acknowledged),
        "replayed_on_retry": tally.replays,
        "stored": len(rows),
        "lost": lost,
        "duplicates": duplicates,
        "unexpected": tally.unexpected[:10],
        "abandoned": tally.abandoned,
        "disruption_s": round(ended - began, 3),
        "recovery_s": round(after[0] - ended, 3) if after else None,
        "failing_window_s": round(failures[-1] - failures[0], 3) if failures else 0.0,
    }


def _passed(report: dict[str, Any]) -> bool:
    return (
        not report["lost"]
        and not report["duplicates"]
        and not report["unexpected"]
        and not report["abandoned"]
        and report["recovery_s"] is not None
        and report.get("integrity", "ok") == "ok"
    )


def drill_postgres(folder: Path, *, clients: int, seconds: float) -> dict[str, Any]:
    with throwaway_cluster(folder) as (database_url, restart):
        environment = _environment(folder, database_url)
        _cli(environment, "migrate")
        token = _cli(environment, "token", "--role", "officer", "--la", "855").strip()
        port = free_port()
        api = _start_api(environment, port, folder / "cases-api.log")
        try:
            tally, began, ended = run_load(
                f"http://127.0.0.1:{port}",
                token,
                clients=clients,
                seconds=seconds,
                disrupt=restart,
                # The pool's broken connections are 503 problems; nothing else may fail.
                expected=frozenset({"503"}),
            )
        finally:
            _stop(api)
        report = _check(tally, database_url, began, ended)
    report["drill"] = "postgres: cluster restarted (pg_ctl restart -m fast) under write load"
    report["passed"] = _passed(report)
    return report


def drill_sqlite(folder: Path, *, clients: int, seconds: float) -> dict[str, Any]:
    database = folder / "cases.db"
    database_url = f"sqlite:///{database}"
    environment = _environment(folder, database_url)
    _cli(environment, "migrate")
    token = _cli(environment, "token", "--role", "officer", "--la", "855").strip()
    port = free_port()
    log = folder / "cases-api.log"
    running = [_start_api(environment, port, log)]

    def kill_and_restart() -> None:
        os.kill(running[0].pid, signal.SIGKILL)
        running[0].wait()
        running[0] = _start_api(environment, port, log)

    try:
        tally, began, ended = run_load(
            f"http://127.0.0.1:{port}",
            token,
            clients=clients,
            seconds=seconds,
            disrupt=kill_and_restart,
            # Requests in flight at the kill lose their connection; then it is refused until
            # the new process listens. A retry with the same key replays what had committed.
            expected=frozenset({"503", "refused", "transport"}),
        )
    finally:
        _stop(running[0])
    report = _check(tally, database_url, began, ended)
    with contextlib.closing(sqlite3.connect(database)) as connection:
        report["integrity"] = ", ".join(
            row[0] for row in connection.execute("PRAGMA integrity_check")
        )
    report["drill"] = "sqlite: cases-api killed (kill -9) under write load and started again"
    report["passed"] = _passed(report)
    return report


def _print(report: dict[str, Any]) -> None:
    print(f"\n== {report['drill']}")
    print(
        f"  {report['requests']} requests, {report['acknowledged']} children acknowledged, "
        f"{report['stored']} stored; {report['replayed_on_retry']} acknowledged by a replay"
    )
    print(f"  answers: {report['statuses']}")
    print(
        f"  lost: {len(report['lost'])}, duplicates: {len(report['duplicates'])}, "
        f"unexpected answers: {len(report['unexpected'])}, keys given up: {len(report['abandoned'])}"
    )
    for line in report["unexpected"]:
        print(f"    {line}")
    if "integrity" in report:
        print(f"  PRAGMA integrity_check: {report['integrity']}")
    print(
        f"  disruption took {report['disruption_s']} s; first success {report['recovery_s']} s "
        f"after it; failures seen over {report['failing_window_s']} s"
    )
    print(f"  {'PASSED' if report['passed'] else 'FAILED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["postgres", "sqlite"], help="one drill (default both)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--json", action="store_true", help="the reports as JSON, last line")
    args = parser.parse_args()
    if not 1 <= args.clients <= 32 or not 1 <= args.seconds <= 300:
        parser.error("at most 32 clients and 300 s: the drill shares the machine")
    reports = []
    drills = {"postgres": drill_postgres, "sqlite": drill_sqlite}
    for name in [args.only] if args.only else ["postgres", "sqlite"]:
        with tempfile.TemporaryDirectory(prefix=f"drill-{name}-") as folder:
            report = drills[name](Path(folder), clients=args.clients, seconds=args.seconds)
        reports.append(report)
        _print(report)
    if args.json:
        print(json.dumps(reports))
    sys.exit(0 if all(report["passed"] for report in reports) else 1)


if __name__ == "__main__":
    main()

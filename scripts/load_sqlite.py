"""`make load-sqlite`: the embedded database under modest load, before and after, in one table.

Seeds the demo county into a scratch SQLite file once, then for each configuration copies it,
serves cases-api on a loopback port as `cases-api serve` does (one process), and runs 8 writers
(create a child, then change it with If-Match) and 8 readers (one child, a page of 50 children, a
page of provisions) for 30 s, each on its own keep-alive connection. Prints requests, answers by
status and latency per configuration, and checks that every answer left one audit row.

Configurations (`--runs`): `before` is the code of a git revision (`--before-ref`, default the
commit before WAL), extracted with `git archive` and put first on the server's path, so the
baseline is the old code itself; `delete` is today's code in rollback-journal mode
(`CASES_SQLITE_JOURNAL_MODE=delete`); `wal` is the default; `wal-normal` adds `synchronous=NORMAL`.
Loopback only; every run bounded in time. Nothing here asserts a figure.
"""

import argparse
import io
import itertools
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from cross_service import free_port, wait_healthy

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BEFORE_REF = "cb76146"  # main before the embedded database held under load (issue 17, item 7)
RUNS = {
    "before": {},
    "delete": {"CASES_SQLITE_JOURNAL_MODE": "delete"},
    "wal": {},
    "wal-normal": {"CASES_SQLITE_SYNCHRONOUS": "normal"},
}
REQUEST_TIMEOUT_S = 30


@dataclass
class Results:
    """Every answer of one run: (kind, status, seconds)."""

    samples: list[tuple[str, int, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((kind, status, seconds))


def _cli(environment: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "cases-api"), *args], env=environment, check=True, capture_output=True
    )


def _template(directory: Path) -> Path:
    """The demo county, migrated and seeded once, left in rollback-journal mode (as old files
    are), so each run starts from the same bytes and sets its own journal mode."""
    database = directory / "template.db"
    environment = os.environ | {
        "CASES_DATABASE_URL": f"sqlite:///{database}",
        "CASES_DATA_DIR": str(directory),
        "CASES_LOG_LEVEL": "WARNING",
    }
    _cli(environment, "migrate")
    _cli(environment, "seed")
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    return database


def _old_source(ref: str, directory: Path) -> Path:
    """The cases-api package as it was at `ref`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "services/cases-api/src"],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    return directory / "services" / "cases-api" / "src"


def _reader(client: httpx2.Client, until: float, results: Results, child_ids: list[str]) -> None:
    paths = itertools.cycle(
        [
            *(f"/v1/children/{child_id}" for child_id in child_ids[:5]),
            "/v1/children?limit=50",
            "/v1/provisions?limit=50",
        ]
    )
    while time.monotonic() < until:
        started = time.perf_counter()
        response = client.get(next(paths))
        results.add("read", response.status_code, time.perf_counter() - started)


def _writer(client: httpx2.Client, until: float, results: Results, serial: int) -> None:
    for number in itertools.count():
        if time.monotonic() >= until:
            return
        body = {
            "la_code": "855",
            "given_name": "Load",
            "family_name": f"Writer{serial}x{number}",
            "date_of_birth": "2015-03-14",
            "sex": "F",
            "home_postcode": "LE11 3TU",
            "sen_status": "K",
            "needs": ["ASD"],
        }
        started = time.perf_counter()
        created = client.post("/v1/children", json=body)
        results.add("write", created.status_code, time.perf_counter() - started)
        if created.status_code != 201 or time.monotonic() >= until:
            continue
        started = time.perf_counter()
        changed = client.patch(
            f"/v1/children/{created.json()['id']}",
            json={"needs": ["ASD", "SLCN"]},
            headers={"If-Match": created.headers["ETag"]},
        )
        results.add("write", changed.status_code, time.perf_counter() - started)


def _run(
    name: str, template: Path, directory: Path, *, seconds: float, writers: int, readers: int
) -> tuple[Results, int]:
    """One configuration: a fresh copy of the county, a server, the load; (answers, audit rows)."""
    run_dir = directory / name
    run_dir.mkdir()
    database = run_dir / "cases.db"
    shutil.copyfile(template, database)
    port = free_port()
    environment = os.environ | {
        "CASES_DATABASE_URL": f"sqlite:///{database}",
        "CASES_DATA_DIR": str(run_dir),
        "CASES_LOG_LEVEL": "WARNING",
        **RUNS[name],
    }
    if name == "before":
        environment["PYTHONPATH"] = str(directory / "before-code")
    serve = f"import cases_api.cli as cli; cli.main(['serve', '--port', '{port}'])"
    server = subprocess.Popen(
        [sys.executable, "-c", serve], env=environment, stdout=subprocess.DEVNULL
    )
    results = Results()
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", server, timeout_s=120)
        settings = Settings(data_dir=run_dir)
        token = mint_local_token(settings, role=Role.OFFICER, subject="load", la_code="855")
        headers = {"Authorization": f"Bearer {token}", "X-Access-Reason": "load drill"}
        with sqlite3.connect(database) as connection:
            child_ids = [
                str(uuid.UUID(row[0]))
                for row in connection.execute("SELECT id FROM children LIMIT 5")
            ]
            audit_before = connection.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        clients = [
            httpx2.Client(
                base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=REQUEST_TIMEOUT_S
            )
            for _ in range(writers + readers)
        ]
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_writer, args=(clients[i], until, results, i))
            for i in range(writers)
        ] + [
            threading.Thread(target=_reader, args=(clients[writers + i], until, results, child_ids))
            for i in range(readers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(database) as connection:
        audit_after = connection.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    return results, audit_after - audit_before


def _ms(samples: list[float], quantile: float) -> str:
    if not samples:
        return "—"
    if len(samples) == 1:
        return f"{samples[0] * 1000:.0f}"
    return f"{statistics.quantiles(samples, n=100, method='inclusive')[round(quantile * 100) - 1] * 1000:.0f}"


def _row(name: str, results: Results, audit_rows: int, seconds: float) -> str:
    statuses = Counter(status for _, status, _ in results.samples)
    errors = ", ".join(
        f"{status}×{count}" for status, count in sorted(statuses.items()) if status >= 400
    )
    every = [s for _, _, s in results.samples]
    reads = [s for kind, _, s in results.samples if kind == "read"]
    writes = [s for kind, _, s in results.samples if kind == "write"]
    return (
        f"| {name} | {len(every)} | {len(every) / seconds:.0f} | {errors or 'none'} | "
        f"{_ms(every, 0.5)} | {_ms(every, 0.99)} | {_ms(reads, 0.99)} | {_ms(writes, 0.99)} | "
        f"{max(every) * 1000:.0f} | {audit_rows} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", nargs="+", choices=list(RUNS), default=["before", "delete", "wal"]
    )
    parser.add_argument("--before-ref", default=BEFORE_REF, help="git revision of the baseline")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run (≤ 120)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    args = parser.parse_args()
    seconds = min(args.seconds, 120.0)
    directory = Path(tempfile.mkdtemp(prefix="load-sqlite-"))
    try:
        template = _template(directory)
        if "before" in args.runs:
            _old_source(args.before_ref, directory / "before-src")
            (directory / "before-code").symlink_to(
                directory / "before-src" / "services" / "cases-api" / "src"
            )
        rows = []
        for name in args.runs:
            print(f"running {name} for {seconds:.0f} s …", file=sys.stderr)
            results, audit_rows = _run(
                name,
                template,
                directory,
                seconds=seconds,
                writers=args.writers,
                readers=args.readers,
            )
            label = f"before ({args.before_ref})" if name == "before" else name
            rows.append(_row(label, results, audit_rows, seconds))
        print(
            f"\nSQLite, demo county, {args.writers} writers + {args.readers} readers, "
            f"{seconds:.0f} s per run, one server process, loopback.\n"
        )
        print(
            "| run | requests | req/s | errors by status | p50 ms | p99 ms | read p99 | "
            "write p99 | max ms | audit rows |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for row in rows:
            print(row)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()

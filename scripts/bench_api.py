"""`make bench-api`: cases-api under load from wrk, side by side with a minimal app, in one run.

Makes a scratch PostgreSQL database and a scratch SQLite file, migrates and seeds the demo county
into each (`cases-api migrate`, `cases-api seed`), starts `cases-api serve` as its own process and
the reference app (`scripts/bench_reference_app.py`: bare FastAPI + raw async psycopg, pool 4-10)
on the same uvicorn, and runs wrk (2 threads, 32 connections, `--latency`) against each route in
turn: the raw read of one child, the same read with an audit row committed in its transaction,
bare `/healthz`; cases-api's `/healthz`, one child as an officer (token, scope, audit), a page of
50 children, creating a child (POST); the same on SQLite; then cases-api with 2 workers.

Prints one table (requests/s, p50, p99, non-2xx) and, unless `--smoke` or `--no-docs`, writes it
into docs/api-benchmarks.md with the machine and the date. Nothing here asserts a time.
`--smoke` runs each for 1 s and checks only that every route answered 2xx (CI runs it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCS = REPO / "docs" / "api-benchmarks.md"
PAGE = 50
STARTUP_S = 300

# One new child per request; the body of README's example.
_CREATE_LUA = """
wrk.method = "POST"
wrk.body = [[{"la_code": "855", "given_name": "Bench", "family_name": "Load",
 "date_of_birth": "2015-03-14", "sex": "F", "home_postcode": "LE11 3TU", "needs": ["ASD"]}]]
wrk.headers["Content-Type"] = "application/json"
"""


@dataclass
class Result:
    label: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    not_2xx: int
    socket_errors: int

    @property
    def clean(self) -> bool:
        return self.requests > 0 and self.not_2xx == 0 and self.socket_errors == 0


@dataclass
class Load:
    threads: int
    connections: int
    seconds: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tool(name: str) -> str:
    return shutil.which(name) or sys.exit(f"{name} is not installed")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is not installed (apt-get install -y wrk) and this is not root")
    print("Installing wrk (apt-get install -y wrk)…", file=sys.stderr)
    subprocess.run(
        [tool("apt-get"), "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
    )
    return shutil.which("wrk") or sys.exit("wrk did not install")


# --- wrk ---------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS_MS[unit]


def parse_wrk(label: str, output: str) -> Result:
    def find(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        label=label,
        requests_per_s=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=_ms(find(r"\s50%\s+([\d.]+\w+)", "0ms")),
        p99_ms=_ms(find(r"\s99%\s+([\d.]+\w+)", "0ms")),
        requests=int(find(r"(\d+) requests in")),
        not_2xx=int(find(r"Non-2xx or 3xx responses: (\d+)")),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def wrk(
    binary: str,
    label: str,
    url: str,
    load: Load,
    *,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
) -> Result:
    command = [
        binary,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, round(load.seconds))}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    result = parse_wrk(label, output)
    mark = "" if result.clean else f"  ({result.not_2xx} non-2xx, {result.socket_errors} errors)"
    print(
        f"  {label:<58} {result.requests_per_s:8.0f} req/s  p50 {result.p50_ms:6.1f} ms"
        f"  p99 {result.p99_ms:6.1f} ms{mark}",
        file=sys.stderr,
    )
    return result


# --- processes ---------------------------------------------------------------------------------


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    """Until /healthz answers and, with several workers, every worker has started (each imports
    the app on its own, which takes a while on a loaded machine)."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{base_url} exited early; see {log}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx2.HTTPError):
            answered = httpx2.get(f"{base_url}/healthz", timeout=1).status_code == 200
            if answered and log.read_text().count("Application startup complete") >= workers:
                return
        time.sleep(0.2)
    sys.exit(f"{base_url} did not start in {STARTUP_S} s; see {log}")


@contextlib.contextmanager
def running(
    command: list[str], env: dict[str, str], port: int, log: Path, *, workers: int = 1
) -> Iterator[str]:
    base_url = f"http://127.0.0.1:{port}"
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_up(base_url, process, log, workers if workers > 1 else 0)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cases_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return os.environ | {
        "CASES_DATABASE_URL": database_url,
        "CASES_DATA_DIR": str(data_dir),
        "CASES_LOG_JSON": "true",
    }


def cases_api(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "cases-api"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def prepare(database_url: str, data_dir: Path) -> tuple[dict[str, str], str, str]:
    """Migrate and seed; the environment, an officer's token and one child of the county."""
    env = cases_env(database_url, data_dir)
    started = time.perf_counter()
    cases_api("migrate", env=env)
    cases_api("seed", env=env)
    print(f"  migrated and seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    token = cases_api("token", "--role", "officer", "--la", "855", env=env)
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        child = connection.scalar(
            sa.text("SELECT id FROM children WHERE la_code = '855' ORDER BY id LIMIT 1")
        )
    engine.dispose()
    return env, token, str(uuid.UUID(str(child)))


@contextlib.contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    server = sa.engine.make_url(server_url)
    name = f"bench_api_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the runs ----------------------------------------------------------------------------------


def bench_cases_api(
    binary: str,
    backend: str,
    env: dict[str, str],
    token: str,
    child: str,
    load: Load,
    work: Path,
    *,
    workers: int = 1,
    health: bool = True,
    revision: str = "",
) -> list[Result]:
    officer = {"Authorization": f"Bearer {token}"}
    bulk = officer | {"X-Access-Reason": "benchmark"}
    create = work / "create_child.lua"
    create.write_text(_CREATE_LUA)
    port = free_port()
    command = [str(BIN / "cases-api"), "serve", "--port", str(port)]
    command += ["--workers", str(workers)] if workers > 1 else []
    tag = f"cases-api{f' @{revision}' if revision else ''}, {backend}"
    tag += f", {workers} workers" if workers > 1 else ""
    results = []
    log = work / f"cases-api-{backend}-{workers}{revision}.log"
    with running(command, env, port, log, workers=workers) as base:
        if health:
            results.append(wrk(binary, f"{tag}: GET /healthz", f"{base}/healthz", load))
        results += [
            wrk(
                binary,
                f"{tag}: GET /v1/children/{{id}} (officer)",
                f"{base}/v1/children/{child}",
                load,
                headers=officer,
            ),
            wrk(
                binary,
                f"{tag}: GET /v1/children?limit={PAGE}",
                f"{base}/v1/children?limit={PAGE}",
                load,
                headers=bulk,
            ),
            wrk(
                binary,
                f"{tag}: POST /v1/children (create)",
                f"{base}/v1/children",
                load,
                headers=officer,
                script=create,
            ),
        ]
    return results


def export_revision(revision: str, work: Path) -> dict[str, str]:
    """cases-api's source at a git revision, and the environment that runs it instead of the
    tree's (PYTHONPATH goes before the editable install)."""
    folder = work / f"rev-{revision}"
    folder.mkdir()
    archive = subprocess.run(
        [tool("git"), "archive", revision, "services/cases-api/src"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return {"PYTHONPATH": str(folder / "services" / "cases-api" / "src")}


def bench_reference(
    binary: str, database_url: str, child: str, load: Load, work: Path
) -> list[Result]:
    dsn = sa.engine.make_url(database_url).set(drivername="postgresql")
    port = free_port()
    command = [
        sys.executable,
        str(REPO / "scripts" / "bench_reference_app.py"),
        "--dsn",
        dsn.render_as_string(hide_password=False),
        "--port",
        str(port),
    ]
    with running(command, dict(os.environ), port, work / "reference.log") as base:
        return [
            wrk(binary, "reference: bare FastAPI GET /healthz", f"{base}/healthz", load),
            wrk(
                binary,
                "reference: raw async psycopg, read one child",
                f"{base}/children/{child}",
                load,
            ),
            wrk(
                binary,
                "reference: same read + one audit row, one transaction",
                f"{base}/children/{child}/audited",
                load,
            ),
        ]


# --- the table ---------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    raw = next((r for r in results if "raw async psycopg" in r.label), None)
    lines = [
        "| run | req/s | p50 ms | p99 ms | req/s ÷ raw read | p99 ÷ raw read | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        share = f"{r.requests_per_s / raw.requests_per_s:.0%}" if raw and raw.requests_per_s else ""
        ratio = f"{r.p99_ms / raw.p99_ms:.1f}×" if raw and raw.p99_ms else ""
        lines.append(
            f"| {r.label} | {r.requests_per_s:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{share} | {ratio} | {r.not_2xx + r.socket_errors} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    postgres = ""
    psql = shutil.which("psql")
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        if psql:
            postgres = subprocess.run(
                [psql, "--version"], check=True, capture_output=True, text=True
            ).stdout.strip()
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {postgres or 'PostgreSQL'}"
    )


def write_docs(results: list[Result], load: Load) -> None:
    marker = "<!-- bench-api:table -->"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        f"{marker}\nMeasured {stamp} on {machine()}; wrk {load.threads} threads, "
        f"{load.connections} connections, {load.seconds:.0f} s per row.\n\n{table(results)}\n{marker}"
    )
    text = DOCS.read_text() if DOCS.exists() else f"# cases-api under load\n\n{marker}\n{marker}\n"
    before, _, rest = text.partition(marker)
    _, _, after = rest.partition(marker)
    DOCS.write_text(before + block + after)
    print(f"Wrote the table into {DOCS.relative_to(REPO)}.", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="duration of each wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--smoke", action="store_true", help="1 s per run; only check for 2xx")
    parser.add_argument("--no-docs", action="store_true", help="do not write the docs page")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="SQLAlchemy URL of a PostgreSQL server where a scratch database may be made",
    )
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="REVISION",
        help="also run cases-api as it was at this git revision, in the same run (repeatable)",
    )
    parser.add_argument(
        "--pg-database",
        help="use this PostgreSQL database (migrated and seeded if empty) instead of a scratch one",
    )
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        help="use this SQLite file (migrated and seeded if empty) instead of a scratch one",
    )
    args = parser.parse_args()
    # The smoke only proves every route answers: few connections, so even a slow run completes.
    load = Load(1, 4, 2) if args.smoke else Load(args.threads, args.connections, args.seconds)
    binary = ensure_wrk()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
        work = Path(folder)
        exported = {revision: export_revision(revision, work) for revision in args.compare}
        print("PostgreSQL:", file=sys.stderr)
        with (
            contextlib.nullcontext(args.pg_database)
            if args.pg_database
            else scratch_postgres(args.postgres)
        ) as url:
            env, token, child = prepare(url, work / "pg")
            results += bench_reference(binary, url, child, load, work)
            for revision in args.compare:
                old = env | exported[revision]
                results += bench_cases_api(
                    binary, "PostgreSQL", old, token, child, load, work, revision=revision
                )
            results += bench_cases_api(binary, "PostgreSQL", env, token, child, load, work)
            if not args.skip_workers:
                results += bench_cases_api(
                    binary, "PostgreSQL", env, token, child, load, work, workers=2, health=False
                )
        if not args.skip_sqlite:
            print("SQLite (WAL):", file=sys.stderr)
            sqlite_file = args.sqlite_file or work / "sqlite" / "cases.db"
            env, token, child = prepare(f"sqlite:///{sqlite_file}", sqlite_file.parent)
            for revision in args.compare:
                old = env | exported[revision]
                results += bench_cases_api(
                    binary,
                    "SQLite",
                    old,
                    token,
                    child,
                    load,
                    work,
                    health=False,
                    revision=revision,
                )
            results += bench_cases_api(
                binary, "SQLite", env, token, child, load, work, health=False
            )
            if not args.skip_workers:
                results += bench_cases_api(
                    binary, "SQLite", env, token, child, load, work, workers=2, health=False
                )
    print()
    print(table(results))
    if not args.smoke and not args.no_docs:
        write_docs(results, load)
    failed = [r.label for r in results if not r.clean]
    if failed:
        sys.exit(f"Not every request answered 2xx: {', '.join(failed)}")


if __name__ == "__main__":
    main()

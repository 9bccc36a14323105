"""Starting both services as real processes on loopback ports, for the cross-service tests."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            if httpx2.get(url, timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


@dataclass(frozen=True)
class RunningServices:
    cases_url: str
    matching_url: str
    environment: dict[str, str]

    def cli(self, *args: str) -> str:
        """Run the cases-api command against the same database and key; its stdout."""
        return subprocess.run(
            [str(BIN / "cases-api"), *args],
            env=self.environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def start_services(
    data_dir: Path, database_url: str
) -> tuple[RunningServices, list[subprocess.Popen[bytes]]]:
    """Migrate and seed the database, then start matching and cases-api; wait until healthy."""
    cases_port, matching_port = free_port(), free_port()
    environment = os.environ | {
        "CASES_DATABASE_URL": database_url,
        "CASES_DATA_DIR": str(data_dir),
        "CASES_LOG_LEVEL": "WARNING",
        "MATCHING_LOG_LEVEL": "WARNING",
        "CASES_MATCHING_URL": f"http://127.0.0.1:{matching_port}",
    }
    running = RunningServices(
        cases_url=f"http://127.0.0.1:{cases_port}",
        matching_url=f"http://127.0.0.1:{matching_port}",
        environment=environment,
    )
    running.cli("migrate")
    running.cli("seed")
    commands = [
        [str(BIN / "send-matching"), "serve", "--port", str(matching_port)],
        [str(BIN / "cases-api"), "serve", "--port", str(cases_port)],
    ]
    processes = [
        subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
        for command in commands
    ]
    try:
        wait_healthy(f"{running.matching_url}/healthz", processes[0])
        wait_healthy(f"{running.cases_url}/healthz", processes[1])
    except BaseException:
        stop_services(processes)
        raise
    return running, processes


def stop_services(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each process and wait for it to exit."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        process.wait(timeout=15)

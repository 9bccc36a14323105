"""`make run`: start cases-api and the matching service side by side; Ctrl-C or SIGTERM stops both.

Ports come from CASES_PORT (default 8000) and MATCHING_PORT (default 8001).
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def main() -> int:
    cases_port = int(os.environ.get("CASES_PORT", "8000"))
    matching_port = int(os.environ.get("MATCHING_PORT", "8001"))
    services = {
        "matching": (
            [str(BIN / "send-matching"), "serve", "--host", HOST, "--port", str(matching_port)],
            matching_port,
        ),
        "cases-api": (
            [str(BIN / "cases-api"), "serve", "--host", HOST, "--port", str(cases_port)],
            cases_port,
        ),
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    for name, (command, port) in services.items():
        environment = os.environ | {"CASES_MATCHING_URL": f"http://{HOST}:{matching_port}"}
        processes[name] = subprocess.Popen(command, env=environment)
        if not _wait_until_healthy(f"http://{HOST}:{port}/healthz", processes[name]):
            print(f"{name} did not become healthy on port {port}; stopping.", file=sys.stderr)
            stop(signal.SIGTERM, None)
            break
    else:
        print(
            "\n"
            f"  cases-api  http://{HOST}:{cases_port}/docs   (OpenAPI: /openapi.json)\n"
            f"  matching   http://{HOST}:{matching_port}/docs\n"
            "  A token:   .venv/bin/cases-api token --role officer --la 855\n"
            "  Ctrl-C stops both.\n",
            flush=True,
        )

    exit_code = 0
    while processes:
        for name, process in list(processes.items()):
            code = process.poll()
            if code is None:
                continue
            del processes[name]
            if not stopping:
                print(f"{name} exited with {code}; stopping the other service.", file=sys.stderr)
                exit_code = code or 1
                stop(signal.SIGTERM, None)
        time.sleep(0.2)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())

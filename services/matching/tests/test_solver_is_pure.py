"""The solver imports neither the web framework nor pydantic nor the contracts."""

from __future__ import annotations

import subprocess
import sys


def test_solver_imports_no_web_or_validation_library() -> None:
    code = (
        "import sys, send_matching.solver, send_matching.bench.generator\n"
        "loaded = [m for m in ('fastapi', 'pydantic', 'starlette', 'send_contracts')"
        " if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""

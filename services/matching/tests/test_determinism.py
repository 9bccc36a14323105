"""Same request, same bytes — also across processes with different string hashing."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import dataclasses
from send_matching.bench.generator import generate_county
from send_matching.mapping import to_response_json
from send_matching.solver import propose
proposal = propose(generate_county(children=600, seed=5))
stable = dataclasses.replace(proposal, solver=dataclasses.replace(proposal.solver, seconds=0.0))
print(to_response_json(stable).decode())
"""


def _run(hash_seed: str) -> str:
    env = os.environ | {"PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=120,
    )
    return result.stdout


def test_output_does_not_depend_on_the_process() -> None:
    first, second = _run("1"), _run("2024")
    assert first
    assert first == second

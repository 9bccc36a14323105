"""The exact min-cost max-flow, stopped at the deadline.

OR-Tools' `SimpleMinCostFlow` has no time limit: at 100,000 children (10.9M arcs) one solve takes
20–30 s. Options measured on this kind of machine (2 cores):

- A worker thread. The solve releases the GIL (a spinning Python loop ran at full speed beside
  it), so the caller could stop waiting at the deadline — but a thread cannot be stopped: the
  abandoned solve keeps a core and its gigabyte of arc arrays busy for another 20 s, and every
  timed-out request would leave another one behind.
- A `spawn`/`forkserver` process (`concurrent.futures.ProcessPoolExecutor`): killable, but the
  arcs must be pickled across (4 arrays of 10.9M int64, ~350 MB) and OR-Tools imported again.
- A forked process (chosen). The child inherits the arc arrays copy-on-write, so nothing is
  pickled on the way in; only the chosen pairs come back through a pipe (91k int64, < 1 MB). At
  the deadline the parent kills it (SIGKILL) and reaps it: nothing is left running. The child
  runs only OR-Tools and numpy and leaves with `os._exit` (multiprocessing's own), so none of the
  parent's threads, locks or handlers matter in it. Measured: the fork 2–50 ms, killing and
  reaping the child 30–90 ms, at 2,000 and at 100,000 children alike.

Small networks are solved in-process, as before, when even a pessimistic estimate of the solve
(`SECONDS_PER_ARC` per arc) fits twice over in the time left: the fork is not worth it there, and
the answer is the same either way (the same deterministic solver on the same arcs). Where `fork`
does not exist (Windows, macOS' default), the solve runs in-process and cannot be cut short.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from send_matching.solver.network import Network, solve_min_cost_max_flow
from send_matching.solver.pairs import IntArray

# Pessimistic: measured 0.5 µs/arc at 160k arcs, 1.3 at 2.1M, 1.9 at 10.9M, on 2 busy cores.
SECONDS_PER_ARC = 4e-6


def forking_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_process(net: Network, deadline: float) -> bool:
    """Whether to solve in-process: no fork, or a pessimistic estimate fits twice in the time left."""
    left = deadline - time.perf_counter()
    return not forking_available() or 2 * SECONDS_PER_ARC * net.tails.size <= left


def solve_by_deadline(
    net: Network, pair_costs: IntArray, deadline: float
) -> tuple[IntArray, int] | None:
    """`solve_min_cost_max_flow(net, pair_costs)`, or None when the deadline comes first."""
    if deadline <= time.perf_counter():
        return None
    if in_process(net, deadline):
        return solve_min_cost_max_flow(net, pair_costs)
    return FlowProcess(net, pair_costs).result_by(deadline)


class FlowProcess:
    """The flow solving in a forked child from construction on; `result_by` waits or kills it."""

    def __init__(self, net: Network, pair_costs: IntArray) -> None:
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_solve_and_send, args=(net, pair_costs, send), daemon=True
        )
        self._process.start()
        self._stopped = False
        send.close()  # the parent's copy: EOF on `receive` if the child dies without an answer

    def result_by(self, deadline: float) -> tuple[IntArray, int] | None:
        try:
            if self._receive.poll(max(0.0, deadline - time.perf_counter())):
                outcome: Any = self._receive.recv()
                if isinstance(outcome, BaseException):
                    raise outcome
                chosen, cost = outcome
                return np.asarray(chosen, dtype=np.int64), int(cost)
            return None
        except EOFError:
            raise RuntimeError(
                f"min-cost flow process ended without an answer ({self._process.exitcode})"
            ) from None
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill the child if it is still solving, and reap it. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process.close()
        self._receive.close()


def _solve_and_send(net: Network, pair_costs: IntArray, send: Connection) -> None:
    try:
        outcome: object = solve_min_cost_max_flow(net, pair_costs)
    except Exception as error:  # handed to the parent, which raises it
        outcome = error
    send.send(outcome)
    send.close()  # multiprocessing then leaves the child with os._exit

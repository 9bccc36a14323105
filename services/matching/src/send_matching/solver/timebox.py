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
(`flow_estimate`) fits twice over in the time left: the fork is not worth it there, and
the answer is the same either way (the same deterministic solver on the same arcs). Where `fork`
does not exist (Windows), or in a daemonic worker process, the solve runs in-process and cannot
be cut short.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from send_matching.solver.network import Network, solve_min_cost_max_flow
from send_matching.solver.pairs import IntArray

# Min-cost flow time ≈ 1.5e-8 · arcs^1.3 s, fitted on an idle machine (0.09 s at 160k arcs, 2.9 s
# at 2.1M, 20.5 s at 10.9M); doubled here for a busy one.
FLOW_SECONDS_COEFFICIENT = 3e-8
FLOW_SECONDS_EXPONENT = 1.3

T = TypeVar("T")


def forking_available() -> bool:
    """A fork start method, and a process allowed children (daemonic workers are not)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def flow_estimate(arcs: int) -> float:
    """Pessimistic seconds for one min-cost max-flow over `arcs` arcs."""
    return FLOW_SECONDS_COEFFICIENT * math.exp(FLOW_SECONDS_EXPONENT * math.log(max(arcs, 1)))


def in_process(net: Network, deadline: float) -> bool:
    """Whether to solve in-process: no fork, or the estimate fits twice in the time left."""
    left = deadline - time.perf_counter()
    return not forking_available() or 2 * flow_estimate(net.tails.size) <= left


def solve_by_deadline(
    net: Network, pair_costs: IntArray, deadline: float
) -> tuple[IntArray, int] | None:
    """`solve_min_cost_max_flow(net, pair_costs)`, or None when the deadline comes first."""
    if deadline <= time.perf_counter():
        return None
    if in_process(net, deadline):
        return solve_min_cost_max_flow(net, pair_costs)
    return FlowProcess(net, pair_costs).result_by(deadline)


def run_by_deadline(
    work: Callable[..., T], *args: object, deadline: float, estimate: float
) -> T | None:
    """`work(*args)`, in a forked child killed at the deadline; None if it did not finish."""
    return start_by_deadline(work, *args, deadline=deadline, estimate=estimate).result_by(deadline)


def start_by_deadline(
    work: Callable[..., T], *args: object, deadline: float, estimate: float
) -> Forked[T] | Done[T]:
    """`work(*args)` started in a forked child, to collect with `result_by(deadline)`.

    Done at once in-process when the estimate is tiny (not worth a fork) or when there is no
    fork (then only if the estimate fits in the time left; else never).
    """
    left = deadline - time.perf_counter()
    if left <= 0:
        return Done(None)
    if not forking_available() or 20 * estimate <= min(left, 0.5):
        return Done(work(*args) if estimate <= left else None)
    return Forked(work, *args)


class Done(Generic[T]):
    """A result already there (or None), with the same `result_by` and `stop` as `Forked`."""

    def __init__(self, result: T | None) -> None:
        self._result = result

    def result_by(self, deadline: float) -> T | None:
        return self._result

    def stop(self) -> None:
        pass


class Forked(Generic[T]):
    """`work(*args)` running in a forked child from construction on; `result_by` waits or kills."""

    def __init__(self, work: Callable[..., T], *args: object) -> None:
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_run_and_send, args=(work, args, send), daemon=True)
        self._process.start()
        self._stopped = False
        send.close()  # the parent's copy: EOF on `receive` if the child dies without an answer

    def ready_by(self, moment: float) -> bool:
        """Wait until the child has answered or `moment` has come; the child keeps running."""
        return self._receive.poll(max(0.0, moment - time.perf_counter()))

    def result_by(self, deadline: float) -> T | None:
        try:
            if self._receive.poll(max(0.0, deadline - time.perf_counter())):
                outcome: Any = self._receive.recv()
                if isinstance(outcome, BaseException):
                    raise outcome
                result: T = outcome
                return result
            return None
        except EOFError:
            raise RuntimeError(
                f"forked solve ended without an answer (exit code {self._process.exitcode})"
            ) from None
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill the child if it is still working, and reap it. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process.close()
        self._receive.close()


class FlowProcess(Forked[tuple[IntArray, int]]):
    """`solve_min_cost_max_flow(net, pair_costs)` in a forked child."""

    def __init__(self, net: Network, pair_costs: IntArray) -> None:
        super().__init__(solve_min_cost_max_flow, net, pair_costs)


def _run_and_send(work: Callable[..., object], args: tuple[object, ...], send: Connection) -> None:
    try:
        outcome = work(*args)
    except Exception as error:  # handed to the parent, which raises it
        outcome = error
    send.send(outcome)
    send.close()  # multiprocessing then leaves the child with os._exit

"""The benchmark table (markdown) and chart (PNG)."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

COLUMNS = (
    "children",
    "method",
    "placed",
    "preferences honoured",
    "annual cost £",
    "total cost £",
    "distance km",
    "proven gap",
    "wall s",
    "peak RSS MB",
    "note",
)


def _money(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _row(r: dict[str, Any]) -> list[str]:
    prefs = (
        f"{r['preferences_honoured']:,} / {r['preferences_requested']:,}"
        if "preferences_honoured" in r
        else "—"
    )
    gap = r.get("gap")
    return [
        f"{r['size']:,}",
        r["method"],
        f"{r['placed']:,}" if "placed" in r else "—",
        prefs,
        _money(r.get("annual_cost")),
        _money(r.get("total_cost")),
        _money(r.get("distance_km")),
        "—" if gap is None else f"{gap:.4%}",
        "—" if "seconds" not in r else f"{r['seconds']:.3f}",
        "—" if r.get("peak_rss_mb") is None else f"{r['peak_rss_mb']:,.0f}",
        r.get("note", ""),
    ]


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_row(r)) + " |" for r in results]
    return "\n".join(lines)


def write_markdown(body: str, path: Path, marker: str, *, chart: bool = False) -> None:
    """A measured table, between its markers, inside the hand-written page (added if missing)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    figure = "\n\n![wall time and quality by method](img/matching-benchmarks.png)" if chart else ""
    block = f"{start}\n{machine()}\n\n{body}{figure}\n{end}"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text() if path.exists() else "# Matching benchmarks\n"
    if start not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    path.write_text(head + block + tail)


def machine() -> str:
    """When and where it was measured: the date, CPU, cores, memory and how busy the machine was."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Measured {stamp} on {_cpu_model()} ({platform.machine()}), {_cores()} cores, "
        f"{_memory_gb():.0f} GB RAM, Python {platform.python_version()}, load average {load} "
        "at the end, by `python -m send_matching.bench`."
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def write_chart(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = [r for r in results if "seconds" in r and "placed" in r]
    sizes = sorted({r["size"] for r in measured})
    methods = list(dict.fromkeys(r["method"] for r in measured))
    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    width = 0.8 / max(1, len(methods))
    for k, method in enumerate(methods):
        xs, times, placed, honoured = [], [], [], []
        for s, size in enumerate(sizes):
            found = [r for r in measured if r["method"] == method and r["size"] == size]
            if found:
                r = found[0]
                xs.append(s + (k - len(methods) / 2) * width + width / 2)
                times.append(max(r["seconds"], 1e-4))
                placed.append(100 * r["placed"] / r["children"])
                honoured.append(
                    100 * r["preferences_honoured"] / max(1, r["preferences_requested"])
                )
        axes[0].bar(xs, times, width, label=method)
        axes[1].bar(xs, placed, width, label=method)
        axes[2].bar(xs, honoured, width, label=method)
    titles = ("wall time (s, log)", "children placed (%)", "preferences honoured (%)")
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title)
        ax.set_xticks(range(len(sizes)), [f"{s:,} children" for s in sizes])
    axes[0].set_yscale("log")
    axes[1].set_ylim(50, 100)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)

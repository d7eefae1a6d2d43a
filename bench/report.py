"""Rendering of a benchmark run: the markdown table of medians and ratios, and a PNG chart."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLIENTS = ("hfspace", "gradio_client", "bare")


@dataclass(frozen=True)
class Target:
    """One target of the issue: a measured value against its limit."""

    name: str
    value: float
    limit: float
    at_least: bool = False
    unit: str = "×"

    @property
    def holds(self) -> bool:
        return self.value >= self.limit if self.at_least else self.value <= self.limit


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def render_targets(targets: list[Target]) -> str:
    """The targets table: each measured value against its limit."""
    lines = ["| target | measured | limit | holds |", "|---|---|---|---|"]
    for target in targets:
        sign = "≥" if target.at_least else "≤"
        lines.append(
            f"| {target.name} | {target.value:.3f} {target.unit} | {sign} {target.limit:g} {target.unit} | "
            f"{'yes' if target.holds else '**no**'} |"
        )
    return "\n".join(lines)


def render_imports(imports: dict[str, float]) -> str:
    """The import-time section: every statement's median and its ratio to ``import requests``."""
    lines = [
        "## Import time (fresh process, bytecode compiled)",
        "",
        "| statement | median | / `import requests` |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{statement}` | {_ms(seconds)} | {seconds / imports['import requests']:.2f} |"
        for statement, seconds in imports.items()
    ]
    lines += [
        "",
        "`import hfspace_sdk` loads names on first use; `from hfspace_sdk import Client` is what a "
        "script pays before its first request, requests included; building the client adds "
        "no import (what Gradio decoding, ZeroGPU tokens and downloads need loads with the first "
        "job that needs it).",
    ]
    return "\n".join(lines)


def render_markdown(figures: dict[str, Any], targets: list[Target], *, smoke: bool) -> str:
    lines = [
        "# Benchmark results" + (" (smoke run: too short for conclusions)" if smoke else ""),
        "",
        f"Produced by `python bench/run.py` in {figures['seconds']:.0f} s on {platform.machine()}, "
        f"Python {platform.python_version()}; plan {figures['plan']}. Every figure is the median of "
        "alternating rounds, each in a fresh process; ratios compare figures from this run.",
        "",
        "## Targets",
        "",
        render_targets(targets),
    ]
    lines += ["", render_imports(figures["import"])]
    lines += [
        "",
        "## Sequential latency per generation (zero-compute look-alikes, clients in lock-step)",
        "",
        "Median time per generation, and client CPU per generation (all threads).",
        "",
        "| protocol | hfspace_sdk | gradio_client | bare requests | hfspace / bare "
        "| hfspace / gradio_client | CPU hfspace | CPU gradio_client | CPU bare |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, row in figures["sequential"].items():
        ours, theirs, floor = (row[client]["per_call"] for client in CLIENTS)
        cpu = " | ".join(_ms(row[client]["cpu_per_call"]) for client in CLIENTS)
        lines.append(
            f"| {label} | {_ms(ours)} | {_ms(theirs)} | {_ms(floor)} | {ours / floor:.2f} "
            f"| {ours / theirs:.2f} | {cpu} |"
        )
    api = figures["api_first_use"]
    lines += [
        "",
        "## Listing a Space's endpoints on first use (demo look-alike)",
        "",
        "`/config` and `/info` fetched and decoded: hfspace_sdk `client.space(url).api()`, "
        "gradio_client `Client(url)` + `view_api()`, bare requests two GETs decoded as JSON. "
        "First use in a fresh process (what loads on first use included), and a second new "
        "client in the same process (new connections, modules loaded).",
        "",
        "| | hfspace_sdk | gradio_client | bare requests |",
        "|---|---|---|---|",
    ]
    for key, label in (("api_seconds", "fresh process"), ("warm_api_seconds", "second client")):
        row = " | ".join(_ms(api[client][key]) for client in CLIENTS)
        lines.append(f"| {label} | {row} |")
    first = figures["first_event"]
    lines += [
        "",
        "## Time to the first event of a queued job",
        "",
        f"hfspace_sdk {_ms(first['hfspace'])}, bare requests {_ms(first['bare'])} "
        f"(difference {(first['hfspace'] - first['bare']) * 1000:+.1f} ms).",
        "",
        "## 64 jobs in flight (look-alike computing 0.5 s per job)",
        "",
        "| client | jobs/s | client CPU per job | peak RSS | failures |",
        "|---|---|---|---|---|",
    ]
    for client, row in figures["throughput"].items():
        lines.append(
            f"| {client} | {row['jobs_per_second']:.1f} | {_ms(row['cpu_per_job'])} | "
            f"{row['peak_rss_mb']:.0f} MB | {row['failures']:.0f} |"
        )
    lines += [
        "",
        "## Client CPU per job by jobs in flight",
        "",
        "| in flight | hfspace_sdk | bare |",
        "|---|---|---|",
    ]
    for level, row in figures["scaling"].items():
        lines.append(f"| {level} | {_ms(row['hfspace'])} | {_ms(row['bare'])} |")
    if "soak" in figures:
        lines += [
            "",
            f"RSS growth over {figures['soak']['jobs']} jobs: {figures['soak']['rss_growth_mb']:.2f} MB.",
        ]
    return "\n".join(lines) + "\n"


def render_chart(figures: dict[str, Any], path: Path) -> None:
    """Bars of the sequential latencies and the 64-in-flight throughput, per client."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clients = CLIENTS
    colours = {"hfspace": "#2b7bb9", "gradio_client": "#e07b39", "bare": "#7f7f7f"}
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(12, 4.5))
    labels = list(figures["sequential"])
    width = 0.27
    for offset, client in enumerate(clients):
        values = [figures["sequential"][label][client]["per_call"] * 1000 for label in labels]
        positions = [index + (offset - 1) * width for index in range(len(labels))]
        latency.bar(positions, values, width, label=client, color=colours[client])
    latency.set_xticks(range(len(labels)), labels)
    latency.set_ylabel("ms per generation (lower is better)")
    latency.set_title("Sequential latency")
    latency.legend()
    rates = [figures["throughput"][client]["jobs_per_second"] for client in clients]
    throughput.bar(clients, rates, color=[colours[client] for client in clients])
    throughput.set_ylabel("jobs per second (higher is better)")
    throughput.set_title("64 jobs in flight")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)

"""Benchmarks: hfspace_sdk against gradio_client and a bare requests loop, on loopback look-alikes.

    python bench/run.py            # the full run: writes bench/results.md and bench/results.png
    python bench/run.py --smoke    # a few rounds, targets reported but not enforced (CI)
    python bench/run.py --only import [--rounds N]   # import times alone, printed, nothing written

Each client runs in its own process (``bench/workloads.py``). Sequential measurements run the
clients' processes side by side in lock-step, one call each in turn (A B C, C B A, ...); the
other measurements alternate whole runs, reversing the order every round. Either way machine
drift hits every client alike. Every figure is the median over rounds (of per-call medians for
sequential latency); ratios compare figures from the same run. Needs the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.report import (  # noqa: E402
    CLIENTS,
    Target,
    render_chart,
    render_imports,
    render_markdown,
    render_targets,
)

IMPORTS = {
    "hfspace": "import hfspace_sdk",
    "gradio_client": "import gradio_client",
    "bare": "import requests",
    # What a script pays before its first request (requests included), so that the lazy
    # namespace cannot flatter the figure; and with the client built, so that deferring work
    # to the constructor cannot either.
    "hfspace_client": "from hfspace_sdk import Client",
    "hfspace_client_built": "from hfspace_sdk import Client; Client().close()",
}


@dataclass(frozen=True)
class Plan:
    """How much to measure."""

    rounds: int
    calls: int
    first_event_calls: int
    throughput_jobs: int
    soak_jobs: int
    scaling: tuple[int, ...]


FULL = Plan(
    rounds=6,
    calls=100,
    first_event_calls=20,
    throughput_jobs=192,
    soak_jobs=1000,
    scaling=(1, 8, 64, 256),
)
SMOKE = Plan(
    rounds=1, calls=5, first_event_calls=3, throughput_jobs=16, soak_jobs=0, scaling=(1, 8)
)


#: The sequential latency runs: (workload method, download the result too).
SEQUENTIAL_RUNS = (
    ("call", False),
    ("call", True),
    ("queue", False),
    ("queue", True),
    ("predict", False),
)
SEQUENTIAL_LABELS = {"predict": "space.predict /echo"}


def _command(client: str, scenario: str, config: dict[str, Any]) -> list[str]:
    return [sys.executable, str(HERE / "workloads.py"), client, scenario, json.dumps(config)]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(HERE.parent)}


def _result(
    client: str, scenario: str, stdout: str, stderr: str, returncode: int
) -> dict[str, Any]:
    if returncode != 0:
        raise RuntimeError(f"{client} {scenario} failed:\n{stderr[-3000:]}")
    return dict(json.loads(stdout.strip().splitlines()[-1]))


def measure(client: str, scenario: str, config: dict[str, Any]) -> dict[str, Any]:
    """Run one workload in a fresh process and return its JSON result."""
    done = subprocess.run(
        _command(client, scenario, config),
        capture_output=True,
        text=True,
        timeout=1800,
        env=_environment(),
        check=False,
    )
    return _result(client, scenario, done.stdout, done.stderr, done.returncode)


def in_lockstep(
    clients: tuple[str, ...], scenario: str, config: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Run a sequential workload in one process per client, all at once, taking turns call by
    call (A B C, C B A, ...; see ``workloads.turns``). Only one client runs at any moment."""
    with ExitStack() as stack:
        processes = {}
        for client in clients:
            log = stack.enter_context(tempfile.TemporaryFile("w+"))
            process = subprocess.Popen(
                _command(client, scenario, config),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=_environment(),
            )
            stack.callback(process.kill)
            processes[client] = (process, log)
        for client, (process, log) in processes.items():
            _expect(process, log, "ready", client, scenario)
        for turn in range(config["n"]):
            for client in clients if turn % 2 == 0 else reversed(clients):
                process, log = processes[client]
                assert process.stdin is not None
                process.stdin.write("go\n")
                process.stdin.flush()
                _expect(process, log, "done", client, scenario)
        results = {}
        for client, (process, log) in processes.items():
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()
            stdout = (
                process.stdout.read()
            )  # not communicate(): it would skip what readline buffered
            process.stdout.close()
            process.wait(timeout=600)
            log.seek(0)
            results[client] = _result(client, scenario, stdout, log.read(), process.returncode)
        return results


def _expect(
    process: subprocess.Popen[str], log: Any, word: str, client: str, scenario: str
) -> None:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != word:
        process.kill()
        process.wait()
        log.seek(0)
        raise RuntimeError(
            f"{client} {scenario}: expected {word!r}, got {line!r}:\n{log.read()[-3000:]}"
        )


def alternate(
    rounds: int, clients: tuple[str, ...], run: Callable[[str], dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """A B C, C B A, A B C, ...: every client measured once per round.

    The order reverses every round, so drift that is linear in time (a server slowing down as
    it accumulates state, a machine warming up) favours no client over an even number of rounds.
    """
    results: dict[str, list[dict[str, Any]]] = {client: [] for client in clients}
    for round_number in range(rounds):
        for client in clients if round_number % 2 == 0 else reversed(clients):
            results[client].append(run(client))
        print(f"  round {round_number + 1}/{rounds} done", file=sys.stderr, flush=True)
    return results


def lockstep_rounds(
    rounds: int, clients: tuple[str, ...], scenario: str, config: dict[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """``rounds`` fresh sets of processes, each set measured in lock-step."""
    results: dict[str, list[dict[str, Any]]] = {client: [] for client in clients}
    for round_number in range(rounds):
        for client, result in in_lockstep(clients, scenario, config).items():
            results[client].append(result)
        print(f"  round {round_number + 1}/{rounds} done", file=sys.stderr, flush=True)
    return results


def median(samples: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(sample[key] for sample in samples))


@contextmanager
def spaces(plan: Plan) -> Iterator[dict[str, str]]:
    """The look-alike Spaces: zero compute (no progress floor), and one with simulated compute."""
    from hfspace_sdk.testing import serve_space, serve_spaces
    from hfspace_sdk.testing.options import PROGRESS_FLOOR_ENV

    zero = {PROGRESS_FLOOR_ENV: "0"}
    with ExitStack() as stack:
        fast = stack.enter_context(serve_spaces("flux-schnell", "flux-dev", "demo", env=zero))
        paced = stack.enter_context(
            serve_space("flux-dev", compute_seconds=0.3, env={PROGRESS_FLOOR_ENV: "0.05"})
        )
        busy = stack.enter_context(
            serve_space(
                "flux-schnell",
                compute_seconds=0.5,
                concurrency_limit=max((*plan.scaling, 64)),
                env=zero,
            )
        )
        yield {
            "call": fast["flux-schnell"],
            "queue": fast["flux-dev"],
            "predict": fast["demo"],
            "paced": paced,
            "busy": busy,
        }


def compile_bytecode() -> None:
    """Compile the package as ``pip install`` does: an editable install, or
    PYTHONDONTWRITEBYTECODE, would otherwise make every fresh process compile hfspace_sdk from
    source while requests and gradio_client load their cached bytecode."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "hfspace_sdk"), quiet=1)


def import_times(rounds: int) -> dict[str, float]:
    """Median seconds of every statement of ``IMPORTS``, each run in a fresh process, over
    ``rounds`` alternating rounds, once the package's bytecode is compiled."""
    print("import time", file=sys.stderr)
    compile_bytecode()
    imports = alternate(
        rounds, tuple(IMPORTS), lambda c: measure(c, "import", {"statement": IMPORTS[c]})
    )
    return {
        IMPORTS[client]: median(samples, "import_seconds") for client, samples in imports.items()
    }


def run_all(plan: Plan) -> dict[str, Any]:
    figures: dict[str, Any] = {"plan": plan.__dict__}
    figures["import"] = import_times(max(plan.rounds, 3) * 2)
    with spaces(plan) as urls:
        figures["sequential"] = {}
        for protocol, download in SEQUENTIAL_RUNS:
            label = SEQUENTIAL_LABELS.get(protocol, protocol) + (" + download" if download else "")
            print(f"sequential {label}", file=sys.stderr)
            config = {"url": urls[protocol], "protocol": protocol, "download": download}
            samples = lockstep_rounds(
                plan.rounds, CLIENTS, "sequential", {**config, "n": plan.calls}
            )
            figures.setdefault("sequential_rounds", {})[label] = {
                client: [run["per_call"] for run in runs] for client, runs in samples.items()
            }
            figures["sequential"][label] = {
                client: {
                    "per_call": median(runs, "per_call"),
                    "cpu_per_call": median(runs, "cpu_per_call"),
                }
                for client, runs in samples.items()
            }
        print("space.api() on first use", file=sys.stderr)
        samples = alternate(
            plan.rounds * 2,
            CLIENTS,
            lambda c: measure(c, "api_first_use", {"url": urls["predict"]}),
        )
        figures["api_first_use"] = {
            client: {key: median(runs, key) for key in ("api_seconds", "warm_api_seconds")}
            for client, runs in samples.items()
        }
        print("first event", file=sys.stderr)
        config = {"url": urls["paced"], "n": plan.first_event_calls}
        samples = lockstep_rounds(plan.rounds, ("hfspace", "bare"), "first_event", config)
        figures["first_event"] = {
            client: median(runs, "first_event") for client, runs in samples.items()
        }
        print("throughput, 64 in flight", file=sys.stderr)
        config = {"url": urls["busy"], "in_flight": 64, "jobs": plan.throughput_jobs}
        samples = alternate(plan.rounds, CLIENTS, lambda c: measure(c, "throughput", config))
        figures["throughput"] = {
            client: {
                key: median(runs, key)
                for key in ("jobs_per_second", "cpu_per_job", "peak_rss_mb", "failures")
            }
            for client, runs in samples.items()
        }
        figures["scaling"] = {}
        for in_flight in plan.scaling:
            print(f"cost with {in_flight} in flight", file=sys.stderr)
            config = {"url": urls["busy"], "in_flight": in_flight, "jobs": max(32, 2 * in_flight)}
            samples = alternate(
                max(1, plan.rounds // 2),
                ("hfspace", "bare"),
                lambda c, config=config: measure(c, "throughput", config),
            )
            figures["scaling"][in_flight] = {
                client: median(runs, "cpu_per_job") for client, runs in samples.items()
            }
        if plan.soak_jobs:
            print(f"RSS over {plan.soak_jobs} jobs", file=sys.stderr)
            config = {"url": urls["call"], "in_flight": 8, "jobs": plan.soak_jobs}
            result = measure("hfspace", "throughput", config)
            figures["soak"] = {"jobs": plan.soak_jobs, "rss_growth_mb": result["rss_growth_mb"]}
    return figures


def import_targets(imports: dict[str, float]) -> list[Target]:
    """The issue's import-time targets, evaluated on medians from ``import_times``."""
    ours = imports[IMPORTS["hfspace"]]
    return [
        Target("import ≤ 0.5 × gradio_client", ours / imports[IMPORTS["gradio_client"]], 0.5),
        Target("import ≤ 1.3 × requests", ours / imports[IMPORTS["bare"]], 1.3),
        Target(
            "`from hfspace_sdk import Client` ≤ 1.15 × requests",
            imports[IMPORTS["hfspace_client"]] / imports[IMPORTS["bare"]],
            1.15,
        ),
    ]


def targets(figures: dict[str, Any]) -> list[Target]:
    """The issue's targets, evaluated on this run's figures."""
    sequential, throughput = figures["sequential"], figures["throughput"]
    found = import_targets(figures["import"])
    for label, row in sequential.items():
        found.append(
            Target(
                f"latency {label} ≤ 1.10 × bare",
                row["hfspace"]["per_call"] / row["bare"]["per_call"],
                1.10,
            )
        )
        found.append(
            Target(
                f"latency {label} ≤ 0.35 × gradio_client",
                row["hfspace"]["per_call"] / row["gradio_client"]["per_call"],
                0.35,
            )
        )
    api = figures["api_first_use"]
    found.append(
        Target(
            "space.api(), a second client ≤ 1.25 × bare",
            api["hfspace"]["warm_api_seconds"] / api["bare"]["warm_api_seconds"],
            1.25,
        )
    )
    found.append(
        Target(
            "space.api() in a fresh process ≤ 0.5 × gradio_client",
            api["hfspace"]["api_seconds"] / api["gradio_client"]["api_seconds"],
            0.5,
        )
    )
    first = figures["first_event"]
    found.append(
        Target(
            "first event ≤ bare + 5 ms", (first["hfspace"] - first["bare"]) * 1000, 5.0, unit="ms"
        )
    )
    found.append(
        Target(
            "throughput@64 ≥ 0.9 × bare",
            throughput["hfspace"]["jobs_per_second"] / throughput["bare"]["jobs_per_second"],
            0.9,
            at_least=True,
        )
    )
    found.append(
        Target(
            "throughput@64 ≥ 1.5 × gradio_client",
            throughput["hfspace"]["jobs_per_second"]
            / throughput["gradio_client"]["jobs_per_second"],
            1.5,
            at_least=True,
        )
    )
    for label in ("call", "queue"):
        row = sequential[label]
        found.append(
            Target(
                f"CPU per job, sequential {label} ≤ 1.2 × bare",
                row["hfspace"]["cpu_per_call"] / row["bare"]["cpu_per_call"],
                1.2,
            )
        )
    found.append(
        Target(
            "CPU per job, 64 in flight ≤ 1.2 × bare",
            throughput["hfspace"]["cpu_per_job"] / throughput["bare"]["cpu_per_job"],
            1.2,
        )
    )
    if "soak" in figures:
        found.append(
            Target(
                f"RSS growth over {figures['soak']['jobs']} jobs < 5 MB",
                figures["soak"]["rss_growth_mb"],
                5.0,
                unit="MB",
            )
        )
    scaling = figures["scaling"]
    if len(scaling) > 1:
        costs = [scaling[level]["hfspace"] for level in scaling]
        found.append(
            Target(
                "per-job cost flat (max/min over in-flight levels) ≤ 1.5",
                max(costs) / min(costs),
                1.5,
            )
        )
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke", action="store_true", help="a short run for CI: targets not enforced"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE, help="where results.md and results.png go"
    )
    parser.add_argument(
        "--only",
        choices=["import"],
        help="measure this alone and print its table; results.md is left as it is",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=max(FULL.rounds, 3) * 2,
        help="alternating rounds for --only (default: as many as the full run)",
    )
    arguments = parser.parse_args(argv)
    if arguments.only == "import":
        imports = import_times(arguments.rounds)
        client = imports[IMPORTS["hfspace_client"]] / imports[IMPORTS["bare"]]
        print(render_imports(imports))
        print(f"\n`from hfspace_sdk import Client` / `import requests`: {client:.3f} ×\n")
        print(render_targets(import_targets(imports)))
        return 0
    plan = SMOKE if arguments.smoke else FULL
    started = time.monotonic()
    figures = run_all(plan)
    figures["seconds"] = time.monotonic() - started
    checked = targets(figures)
    markdown = render_markdown(figures, checked, smoke=arguments.smoke)
    print(markdown)
    if not arguments.smoke:
        arguments.out.mkdir(parents=True, exist_ok=True)
        (arguments.out / "results.md").write_text(markdown)
        (arguments.out / "results.json").write_text(json.dumps(figures, indent=2, default=str))
        render_chart(figures, arguments.out / "results.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

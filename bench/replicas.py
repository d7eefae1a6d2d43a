"""Throughput over Space replicas: one client, jobs over 1, 2 and 4 replicas of a paced Space.

    python bench/replicas.py            # 256 jobs per replica count: writes bench/replicas.md
    python bench/replicas.py --smoke    # 24 jobs over 1 and 2 replicas, printed (CI)

Each replica is a FLUX.1-dev look-alike that runs one job at a time (Gradio's concurrency
limit 1) for 0.5 s, behind a front (``hfspace_sdk.testing.serve_space_front``) that counts the
joins it passes through, so that a lost or duplicated job shows. The client holds every job in
flight at once (``max_workers`` = the job count) and places each on a replica. Target: the
throughput over N replicas is at least 0.8 x N times the throughput over one, with every job
served exactly once.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from hfspace_sdk import Client, ImageResponse  # noqa: E402
from hfspace_sdk.testing import ScriptedSpace, serve_space, serve_space_front  # noqa: E402

SPACE = "black-forest-labs/FLUX.1-dev"
TARGET = 0.8  # of linear scaling


@dataclass(frozen=True)
class Plan:
    jobs: int
    replica_counts: tuple[int, ...]
    seconds_per_job: float


FULL = Plan(jobs=256, replica_counts=(1, 2, 4), seconds_per_job=0.5)
SMOKE = Plan(jobs=24, replica_counts=(1, 2), seconds_per_job=0.2)


@dataclass(frozen=True)
class Run:
    replicas: int
    seconds: float
    served: tuple[int, ...]  # joins each replica received
    images: int  # distinct final images the client got

    @property
    def per_second(self) -> float:
        return self.images / self.seconds


def run(plan: Plan, count: int, lookalikes: list[str]) -> Run:
    """Send ``plan.jobs`` jobs over the first ``count`` look-alikes, each behind a front."""
    with ExitStack() as stack:
        fronts = [
            stack.enter_context(serve_space_front(ScriptedSpace(SPACE), url))
            for url in lookalikes[:count]
        ]
        # small images: on a 2-core machine the look-alikes' drawing must not be the limit
        options = {
            "num_inference_steps": 1,
            "width": 256,
            "height": 256,
            "provider": "BlackForestLabs_Flux1Dev",
        }
        with Client(
            space_urls={SPACE: [front.url for front in fronts]},
            hub_url="http://127.0.0.1:9",  # no hub needed: anonymous ZeroGPU headers
            timeout=plan.jobs * plan.seconds_per_job + 120,
            max_workers=plan.jobs,
        ) as client:
            started = time.perf_counter()
            jobs = [client.submit("flux-dev", f"job {i}", **options) for i in range(plan.jobs)]
            finals = [job.result() for job in jobs]
            seconds = time.perf_counter() - started
    assert all(isinstance(final, ImageResponse) for final in finals)
    images = len({final.urls[0] for final in finals if isinstance(final, ImageResponse)})
    served = tuple(
        sum(line.endswith("/queue/join") for line in front.passed_through) for front in fronts
    )
    return Run(replicas=count, seconds=seconds, served=served, images=images)


def render(plan: Plan, runs: list[Run]) -> str:
    one = runs[0].per_second
    lines = [
        "# Throughput over Space replicas",
        "",
        f"`python bench/replicas.py`: {plan.jobs} jobs, all in flight at once, over N replicas "
        f"of a FLUX.1-dev look-alike that runs one job at a time for {plan.seconds_per_job} s "
        f"(behind a front that counts the joins). Target: at least {TARGET} x N x the "
        "throughput over one replica, every job served once.",
        "",
        "| replicas | seconds | jobs/s | × one replica | of linear | joins per replica | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in runs:
        scale = item.per_second / one
        held = scale >= TARGET * item.replicas and sum(item.served) == item.images == plan.jobs
        lines.append(
            f"| {item.replicas} | {item.seconds:.1f} | {item.per_second:.2f} | {scale:.2f} | "
            f"{scale / item.replicas:.0%} | {', '.join(map(str, item.served))} | "
            f"{'held' if held else 'MISSED'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a short run for CI, not written")
    arguments = parser.parse_args()
    plan = SMOKE if arguments.smoke else FULL
    paced = {"compute_seconds": plan.seconds_per_job, "concurrency_limit": 1}
    with ExitStack() as stack:
        lookalikes = [
            stack.enter_context(serve_space("flux-dev", **paced))
            for _ in range(max(plan.replica_counts))
        ]
        runs = [run(plan, count, lookalikes) for count in plan.replica_counts]
    report = render(plan, runs)
    print(report)
    if not arguments.smoke:
        (HERE / "replicas.md").write_text(report)
    lost = [item for item in runs if not sum(item.served) == item.images == plan.jobs]
    return 1 if lost else 0  # throughput is reported; a lost or doubled job always fails


if __name__ == "__main__":
    sys.exit(main())

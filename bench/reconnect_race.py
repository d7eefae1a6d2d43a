"""How often a directly served Gradio keeps a dropped session alive, for a reconnect to hang on.

    python bench/reconnect_race.py --drop-after process_starts --heartbeat 0.2 --steps 28
    python bench/reconnect_race.py --drop-after progress --steps 1 --runs 40

Each run generates one FLUX.1-dev image through ``tests/lookalike/stream_relay.py`` in its
"direct" mode: the relay resets the SDK's stream right after the first event named by
``--drop-after`` and closes its own stream to the Space, as a lost client connection does. The
SDK then reconnects once. The server either forgot the session (the SDK raises "reconnecting
found the session gone": counted ``forgotten``) or stopped the job and kept the session, so the
reconnect gets only heartbeats until the job's ``--total`` (counted ``hung``). docs/reliability.md
("A dropped queue stream") explains why. ``--load N`` runs N busy processes meanwhile, as a
loaded CI machine would (2 on the project's 2 cores). Prints the counts; writes nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "lookalike"))

from stream_relay import StreamRelay  # noqa: E402

from hfspace_sdk import Client, ProtocolError, SpaceTimeoutError, Timeout  # noqa: E402
from hfspace_sdk.testing import serve_space  # noqa: E402

SPACE = "black-forest-labs/FLUX.1-dev"
BUSY = "while True: pass"


def one_run(space_url: str, drop_after: str, steps: int, total: float) -> str:
    with StreamRelay(space_url, keep_upstream=False, drop_after=drop_after) as relay:
        options = {"space_urls": {SPACE: relay.url}, "hub_url": "http://127.0.0.1:9"}
        try:
            with Client(**options, timeout=Timeout(connect=5, read=30, total=total)) as client:
                client.images.generate(
                    "a fox", provider="BlackForestLabs_Flux1Dev", num_inference_steps=steps
                )
        except ProtocolError as error:
            return "forgotten" if "found the session gone" in str(error) else f"other: {error}"
        except SpaceTimeoutError:
            return "hung"
        return "recovered"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drop-after", default="progress", help="a queue message name")
    parser.add_argument("--heartbeat", type=float, help="seconds (Gradio's default: 15)")
    parser.add_argument("--steps", type=int, default=1, help="progress events per job")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load", type=int, default=2, help="busy processes meanwhile")
    parser.add_argument("--total", type=float, default=8.0, help="each job's total timeout")
    parser.add_argument("--python", help="the look-alike's interpreter (another Gradio)")
    args = parser.parse_args()
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.load)]
    counts: Counter[str] = Counter()
    try:
        with serve_space(
            "flux-dev", compute_seconds=3.0, heartbeat_interval=args.heartbeat, python=args.python
        ) as url:
            for index in range(args.runs):
                started = time.monotonic()
                counts[one_run(url, args.drop_after, args.steps, args.total)] += 1
                print(f"run {index + 1}: {time.monotonic() - started:.1f} s {dict(counts)}")
    finally:
        for process in busy:
            process.kill()
            process.wait()
    print(f"drop after {args.drop_after}, heartbeat {args.heartbeat or 'default'} s, "
          f"{args.steps} steps, load {args.load}: {dict(counts)}")  # fmt: skip


if __name__ == "__main__":
    main()

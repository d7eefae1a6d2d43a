"""Ctrl-C in a script that iterates a generation ends the process at once.

Each case runs a small script in a subprocess against the slow look-alikes (30 s per call),
waits for the first event it prints (a blocking read of its stdout, no sleep), sends SIGINT,
and expects the usual KeyboardInterrupt exit within a few seconds: the pool's threads are not
daemons, so a job left streaming would otherwise hold the interpreter's exit for the rest of
its computation. Interrupted inside an SDK iterator, the unwinding closes it (which cancels the
job); blocked in ``job.result()``, only the SDK's exit hook can cancel the job (the
``*-result`` cases hang for the whole computation without it).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hfspace_sdk.testing import space_urls_for

pytestmark = pytest.mark.e2e

EXIT_LIMIT = 5.0
SCRIPT = textwrap.dedent(
    """
    import json, logging, sys
    from hfspace_sdk import BlackForestLabs_Flux1Dev, Client, G4F

    mode, options, log_file = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    # Log lines go to a file of their own: written from the workers while the traceback is
    # printed, they would interleave with it on stderr.
    logging.basicConfig(level=logging.INFO, filename=log_file, format="%(name)s %(message)s")
    logging.getLogger("hfspace_sdk.http").setLevel(logging.DEBUG)  # every request it sends
    messages = [{"role": "user", "content": "a red fox"}]

    def show(event):
        print("EVENT", repr(event), flush=True)

    if mode == "client-stream":  # no with: nothing closes the client but the interpreter's exit
        client = Client(**options)
        for event in client.images.stream("a red fox", model="flux-dev", size="256x256"):
            show(event)
    elif mode == "client-with":
        with Client(**options) as client:
            for event in client.images.stream("a red fox", model="flux-dev", size="256x256"):
                show(event)
    elif mode == "class-create-completion":  # g4f's way, settings from the environment
        for event in BlackForestLabs_Flux1Dev.create_completion("flux-dev", messages, width=256, height=256):
            show(event)
    elif mode == "g4f-run-predict":  # the request waits on a thread of its own
        for event in G4F.create_completion("flux-schnell", messages, width=256, height=256):
            show(event)
    elif mode == "queue-result":  # blocked in result(): only the exit's cancel ends the job
        client = Client(**options)
        job = client.submit("flux-dev", "a red fox", provider="BlackForestLabs_Flux1Dev")
        events = iter(job)  # kept: a generator finalized as Ctrl-C lands would swallow it
        show(next(events))
        job.result()
    elif mode == "g4f-result":  # as above, with the request on G4F's own thread
        client = Client(**options)
        job = client.submit("flux-schnell", "a red fox", provider="G4F", width=256, height=256)
        events = iter(job)
        for event in events:
            if "Generating" in str(event):
                break
        show(event)
        job.result()
    print("FINISHED", flush=True)
    """
)

CASES = {
    "client-stream": "Using 1 GPU",
    "client-with": "Using 1 GPU",
    "class-create-completion": "Using 1 GPU",
    "g4f-run-predict": "Generating ",
    "queue-result": "Using 1 GPU",
    "g4f-result": "Generating ",
}


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interrupt") / "iterate.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", list(CASES))
def test_ctrl_c_while_iterating_ends_the_script_promptly(
    lookalikes, hub_url, script, mode, tmp_path
):
    space_urls = space_urls_for(lookalikes.slow)
    options = {"space_urls": space_urls, "hub_url": hub_url, "timeout": 300}
    env = {
        **os.environ,
        "HFSPACE_SPACE_URLS": ",".join(f"{k}={v}" for k, v in space_urls.items()),
        "HF_ENDPOINT": hub_url,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HF_TOKEN", None)
    child = subprocess.Popen(
        [sys.executable, str(script), mode, json.dumps(options), str(tmp_path / "log")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert child.stdout is not None and child.stderr is not None
        wanted = CASES[mode]
        lines = []
        for raw in child.stdout:  # blocks until the script prints; ends if it dies
            lines.append(raw.decode())
            if raw.startswith(b"EVENT") and wanted.encode() in raw:
                break
        assert lines and wanted in lines[-1], f"no {wanted!r} event: {lines}"
        interrupted = time.monotonic()
        child.send_signal(signal.SIGINT)
        try:
            code = child.wait(timeout=EXIT_LIMIT + 5)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{mode}: still running {EXIT_LIMIT + 5:g} s after Ctrl-C")
        seconds = time.monotonic() - interrupted
        rest = child.stdout.read().decode()
        stderr = child.stderr.read().decode()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert seconds < EXIT_LIMIT, f"{mode}: exit took {seconds:.1f} s after Ctrl-C"
    assert code in (-signal.SIGINT, 128 + signal.SIGINT), (code, stderr[-2000:])
    assert re.search(r"^Traceback .*^KeyboardInterrupt$", stderr, re.M | re.S), stderr[-2000:]
    assert "FINISHED" not in rest
    assert "Exception ignored" not in stderr, stderr[-2000:]
    if not mode.startswith("g4f"):  # the queue job is cancelled on the Space, not abandoned
        # hfspace_sdk.http logs the request asking the Space to cancel the job
        log = (tmp_path / "log").read_text()
        assert re.search(r"^hfspace_sdk\.http POST http://\S+/gradio_api/cancel$", log, re.M), log[
            -2000:
        ]

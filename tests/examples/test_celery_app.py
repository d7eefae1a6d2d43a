"""examples/celery_app end to end: a real redis-server, a real Celery worker, look-alike Spaces.

One redis-server (a free loopback port, no persistence) serves the whole module, and one worker
at a time (threads pool, then prefork) runs every test; both are stopped by PID, and the last
test of each worker checks that stopping it closed its SDK clients. Flask's test client drives the web side in this process.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

# A developer without redis-server skips these; CI (CI=true), whose .ci/run installs it, may not.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not os.environ.get("CI"),
        reason="needs redis-server",
    ),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START_SECONDS = 60  # redis or the worker not ready by then: fail
JOB_SECONDS = 120  # a look-alike generation takes a second or two
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait; SIGKILL only as a last resort. The process is reaped either way."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)
    with pytest.raises(ProcessLookupError):
        os.kill(process.pid, 0)


def wait_until(ready, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not ready in {START_SECONDS} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, no persistence; stopped by PID."""
    import redis

    port = free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        probe = redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(probe.ping())
            except redis.exceptions.ConnectionError:
                return False

        wait_until(answers, "redis-server", process, log)
        probe.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@dataclass
class Worker:
    pool: str
    concurrency: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> str:
        """Stop the worker (idempotent) and return its log."""
        stop(self.process)
        return self.log.read_text()


@pytest.fixture(scope="module")
def celery_env(env_patch: pytest.MonkeyPatch, redis_url: str) -> Iterator[dict[str, str]]:
    """The example's modules, imported with REDIS_URL set; the environment for the worker."""
    env_patch.setenv("REDIS_URL", redis_url)
    env_patch.setenv("HFSPACE_CELERY_TIMEOUT", str(JOB_SECONDS))
    env_patch.syspath_prepend(str(EXAMPLES))
    from celery_app import tasks

    try:
        yield dict(os.environ, PYTHONPATH=str(EXAMPLES))
    finally:
        tasks.app.close()
        for name in [name for name in sys.modules if name.split(".")[0] == "celery_app"]:
            del sys.modules[name]


# The pool the README recommends (one client shared by the task threads), and Celery's default
# (one client in each child process).
POOLS = {"threads": 4, "prefork": 2}


@pytest.fixture(scope="module", params=sorted(POOLS, reverse=True))
def worker(
    request: pytest.FixtureRequest,
    celery_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Worker]:
    """One Celery worker process at a time, ready when it answers a ping."""
    from celery_app import tasks

    pool, concurrency = request.param, POOLS[request.param]
    log = tmp_path_factory.mktemp(f"celery-{pool}") / "worker.log"
    log.touch()
    command = [
        sys.executable, "-m", "celery", "-A", "celery_app.tasks", "worker",
        f"--pool={pool}", f"--concurrency={concurrency}", "--loglevel=INFO", f"--logfile={log}",
        "--hostname=hfspace-test@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat",
    ]  # fmt: skip
    running = Worker(
        pool,
        concurrency,
        subprocess.Popen(
            command, cwd=EXAMPLES, env=celery_env, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        ),
        log,
    )  # fmt: skip
    try:
        ping = tasks.app.control.ping
        wait_until(lambda: bool(ping(timeout=0.5)), "celery worker", running.process, log)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def http(worker: Worker) -> object:
    from celery_app.web import create_app

    web = create_app()
    web.testing = True
    return web.test_client()


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def submit(http, prompt: str, model: str = "flux-dev") -> str:
    """POST the form; the job page it redirects to."""
    response = http.post("/", data={"prompt": prompt, "model": model})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f-]{36}", location), location
    return location


def poll_until_done(http, location: str):
    """GET the job page until it stops refreshing itself (bounded by JOB_SECONDS)."""
    deadline = time.monotonic() + JOB_SECONDS
    while True:
        response = http.get(location)
        assert response.status_code == 200
        if 'http-equiv="refresh"' not in response.get_data(as_text=True):
            return response
        assert time.monotonic() < deadline, f"{location} not done in {JOB_SECONDS} s"
        time.sleep(0.2)  # the page is cheap; the task's progress cannot be waited on from here


def test_the_form(http):
    body = http.get("/").get_data(as_text=True)
    assert '<form method="post">' in body
    assert "<option>flux-dev</option>" in body


def test_a_generation_shows_the_image_served_by_the_space(http, image_size):
    location = submit(http, "a red fox")
    page = poll_until_done(http, location)
    text = page_text(page)
    assert ">SUCCESS<" in text
    [url] = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', text)[0][:1]
    assert url.startswith("http://127.0.0.1:")
    image = requests.get(url, timeout=30)
    assert image.status_code == 200
    assert image_size(image.content) == (1024, 1024)


def test_the_json_page_and_the_task_result_are_plain_data(http):
    location = submit(http, "a lighthouse", model="flux-schnell")
    poll_until_done(http, location)
    data = http.get(location + ".json").get_json()
    assert data["state"] == "SUCCESS"
    assert data["error"] is None
    [image] = data["images"]
    assert image["url"].startswith("http://127.0.0.1:")
    assert image["alt"]


def test_a_failing_space_shows_its_message(http):
    page = poll_until_done(http, submit(http, "a red fox [[error]]"))
    text = page_text(page)
    assert ">FAILURE<" in text
    assert "The look-alike Space failed on purpose" in text
    assert "Traceback" not in text
    assert "<img" not in text


def test_jobs_run_concurrently_on_one_worker(http):
    locations = [submit(http, f"a fox number {index}") for index in range(4)]
    for location in locations:
        assert ">SUCCESS<" in page_text(poll_until_done(http, location))


def test_bad_input_is_refused_before_the_queue(http):
    response = http.post("/", data={"prompt": "  ", "model": "flux"})
    assert response.status_code == 400
    assert "The prompt is empty" in page_text(response)
    assert http.post("/", data={"prompt": "a fox", "model": "flux-pro"}).status_code == 400


def test_stopping_the_worker_closes_its_clients(worker):
    log = worker.stop()  # last for each worker: the fixture's own stop is then a no-op
    closed = re.findall(r"hfspace_sdk Client closed in pid (\d+)", log)
    if worker.pool == "threads":  # one client, in the worker's own process
        assert closed == [str(worker.process.pid)]
    else:  # one client in each child process, none in the parent
        assert len(set(closed)) == worker.concurrency
        assert str(worker.process.pid) not in closed

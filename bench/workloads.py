"""One measured workload, run in a fresh process: ``python bench/workloads.py CLIENT SCENARIO JSON``.

Clients: ``hfspace`` (this SDK's public API), ``gradio_client`` (the official client) and ``bare``
(a hand-written requests loop: the floor a client can hope for). Prints one JSON object with the
timings, client CPU seconds and peak RSS of this process.
"""

from __future__ import annotations

import json
import queue
import resource
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Optional

PROMPT = "a red fox"
SIZE = 256


def _usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "peak_rss_kb": float(usage.ru_maxrss)}


def _rss_kb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return float(line.split()[1])
    return 0.0


# --- the three clients: one generation each -----------------------------------------------------


class Bare:
    """The floor: one requests.Session, Gradio's wire protocol by hand."""

    def __init__(self, url: str, max_workers: int = 1) -> None:
        self._local = threading.local()
        self.url = url
        self.api_root = f"{url}/gradio_api"
        self._echo: Optional[dict[str, Any]] = None

    @property
    def session(self) -> Any:
        """One requests.Session per thread (a session is not meant to be shared by threads)."""
        import requests

        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def call(self, download: bool) -> Any:
        body = {"data": [PROMPT, 0, True, SIZE, SIZE, 1]}
        event_id = self.session.post(f"{self.api_root}/call/infer", json=body, timeout=60).json()[
            "event_id"
        ]
        with self.session.get(
            f"{self.api_root}/call/infer/{event_id}", stream=True, timeout=60
        ) as stream:
            event = None
            for line in stream.iter_lines():
                if line.startswith(b"event: "):
                    event = line[7:]
                elif line.startswith(b"data: ") and event == b"complete":
                    result = json.loads(line[6:])
                    break
        return self._finish(result[0]["url"], download)

    def queue(self, download: bool, first_event: Optional[Callable[[], None]] = None) -> Any:
        session_hash = uuid.uuid4().hex
        body = {
            "data": [PROMPT, 0, True, SIZE, SIZE, 3.5, 1],
            "event_data": None,
            "fn_index": 2,
            "trigger_id": 4,
            "session_hash": session_hash,
        }
        self.session.post(f"{self.api_root}/queue/join", json=body, timeout=60).raise_for_status()
        url = f"{self.api_root}/queue/data"
        with self.session.get(
            url, params={"session_hash": session_hash}, stream=True, timeout=60
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith(b"data: "):
                    continue
                message = json.loads(line[6:])
                if first_event is not None and message["msg"] in ("log", "progress"):
                    first_event()
                    first_event = None
                if message["msg"] == "process_completed":
                    return self._finish(message["output"]["data"][0]["url"], download)
        raise RuntimeError("no result")

    def predict(self, download: bool = False) -> Any:
        """The demo Space's zero-compute ``/echo`` over the queue, as a generic client would."""
        if self._echo is None:  # read once, as every client reads /config once
            config = self.session.get(f"{self.url}/config", timeout=60).json()
            self._echo = next(d for d in config["dependencies"] if d.get("api_name") == "echo")
        session_hash = uuid.uuid4().hex
        body = {
            "data": [PROMPT],
            "event_data": None,
            "fn_index": self._echo["id"],
            "trigger_id": self._echo["targets"][0][0],
            "session_hash": session_hash,
        }
        self.session.post(f"{self.api_root}/queue/join", json=body, timeout=60).raise_for_status()
        with self.session.get(
            f"{self.api_root}/queue/data",
            params={"session_hash": session_hash},
            stream=True,
            timeout=60,
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith(b"data: "):
                    message = json.loads(line[6:])
                    if message["msg"] == "process_completed":
                        return message["output"]["data"][0]
        raise RuntimeError("no result")

    def api(self) -> Any:
        """What a hand-written loop needs to list a Space's endpoints: /config and /info."""
        config = self.session.get(f"{self.url}/config", timeout=60).json()
        prefix = config.get("api_prefix") or ""
        return config, self.session.get(f"{self.url}{prefix}/info", timeout=60).json()

    def _finish(self, url: str, download: bool) -> Any:
        return self.session.get(url, timeout=60).content if download else url


class HFSpace:
    """This SDK, through its public Client."""

    def __init__(self, url: str, max_workers: int = 8) -> None:
        from hfspace_sdk import Client

        self.url = url
        space_urls = {
            "black-forest-labs/FLUX.1-schnell": url,
            "black-forest-labs/FLUX.1-dev": url,
        }
        self.client = Client(
            space_urls=space_urls, hub_url="http://127.0.0.1:9", max_workers=max_workers
        )

    def call(self, download: bool) -> Any:
        return self._generate("flux-schnell", "BlackForestLabs_Flux1Schnell", download)

    def queue(self, download: bool, first_event: Optional[Callable[[], None]] = None) -> Any:
        if first_event is None:
            return self._generate("flux-dev", "BlackForestLabs_Flux1Dev", download)
        job = self.client.submit(
            "flux-dev",
            PROMPT,
            provider="BlackForestLabs_Flux1Dev",
            width=SIZE,
            height=SIZE,
            num_inference_steps=1,
        )
        events = iter(job)
        next(events)  # the Space's first message ("Using 1 GPU"), as the bare loop counts it
        first_event()
        for _ in events:
            pass
        return job.result()

    def predict(self, download: bool = False) -> Any:
        return self.client.space(self.url).predict("/echo", PROMPT)

    def api(self) -> Any:
        return self.client.space(self.url).api()

    def _generate(self, model: str, provider: str, download: bool) -> Any:
        result = self.client.images.generate(
            PROMPT, model=model, provider=provider, width=SIZE, height=SIZE, num_inference_steps=1
        )
        image = result.data[0]
        return image.bytes() if download else image.url


class GradioClient:
    """The official client (queue protocol for every call)."""

    def __init__(self, url: str, max_workers: int = 40) -> None:
        self.url = url
        self.max_workers = max_workers
        self.clients: dict[bool, Any] = {}

    def _client(self, download: bool) -> Any:
        if download not in self.clients:
            from gradio_client import Client

            self.clients[download] = Client(
                self.url, download_files=download, verbose=False, max_workers=self.max_workers
            )
        return self.clients[download]

    def call(self, download: bool) -> Any:
        return self._client(download).predict(PROMPT, 0, True, SIZE, SIZE, 1, api_name="/infer")

    def queue(self, download: bool) -> Any:
        return self._client(download).predict(
            PROMPT, 0, True, SIZE, SIZE, 3.5, 1, api_name="/infer"
        )

    def submit(self) -> Any:
        return self._client(False).submit(PROMPT, 0, True, SIZE, SIZE, 1, api_name="/infer")

    def predict(self, download: bool = False) -> Any:
        return self._client(False).predict(PROMPT, api_name="/echo")

    def api(self) -> Any:
        # Building the client reads /config and /info; view_api returns what it read.
        return self._client(False).view_api(print_info=False, return_format="dict")


CLIENTS: dict[str, Callable[..., Any]] = {
    "bare": Bare,
    "hfspace": HFSpace,
    "gradio_client": GradioClient,
}


# --- scenarios -----------------------------------------------------------------------------------


def turns(n: int) -> Iterator[None]:
    """The measured calls of a sequential scenario, taken in lock-step with the other clients.

    The orchestrator (``bench/run.py``) runs every client in its own process at once and lets
    them take turns, one call each (A B C, C B A, ...): machine drift then hits all clients
    alike. Protocol on standard streams: this process prints ``ready`` after its warm-up, then
    for each ``go`` line it runs one call and prints ``done``; standard input closing ends it.
    """
    print("ready", flush=True)
    for _ in range(n):
        if sys.stdin.readline().strip() != "go":
            raise RuntimeError("the orchestrator stopped before the last turn")
        yield
        print("done", flush=True)


def sequential(client_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """``n`` generations one after the other, each timed; the warm-up call is not counted."""
    client = CLIENTS[client_name](config["url"])
    run = getattr(client, config["protocol"])
    run(config["download"])  # warm-up: /config, connections, imports
    before = _usage()
    times = []
    for _ in turns(config["n"]):
        started = time.perf_counter()
        run(config["download"])
        times.append(time.perf_counter() - started)
    after = _usage()
    return {
        "per_call": statistics.median(times),
        "cpu_per_call": (after["cpu"] - before["cpu"]) / config["n"],
    }


def first_event(client_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """Time from submitting a queued job to its first event (the job then runs to its end,
    untimed, so that no job is left running on the Space)."""
    client = CLIENTS[client_name](config["url"])
    client.queue(False)  # warm-up
    times: list[float] = []
    for _ in turns(config["n"]):
        started = time.perf_counter()
        client.queue(
            False,
            first_event=lambda started=started: times.append(time.perf_counter() - started),
        )
    return {"first_event": statistics.median(times)}


def throughput(client_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """``jobs`` generations with ``in_flight`` running at once; jobs per second and client cost."""
    in_flight, jobs = config["in_flight"], config["jobs"]
    client = CLIENTS[client_name](config["url"], max_workers=max(in_flight, 1))
    client.call(False)  # warm-up
    rss_start = _rss_kb()
    before = _usage()
    started = time.perf_counter()
    if client_name == "hfspace":
        prompts = [PROMPT] * jobs
        results = client.client.images.generate_many(
            prompts,
            max_concurrency=in_flight,
            model="flux-schnell",
            provider="BlackForestLabs_Flux1Schnell",
            width=SIZE,
            height=SIZE,
            num_inference_steps=1,
        )
        failures = sum(result.error is not None for result in results)
    elif client_name == "gradio_client":
        failures = _gradio_client_waves(client, jobs, in_flight)
    else:
        failures = _threads(lambda: client.call(False), jobs, in_flight)
    seconds = time.perf_counter() - started
    after = _usage()
    return {
        "jobs_per_second": jobs / seconds,
        "cpu_per_job": (after["cpu"] - before["cpu"]) / jobs,
        "peak_rss_mb": after["peak_rss_kb"] / 1024,
        "rss_growth_mb": (_rss_kb() - rss_start) / 1024,
        "failures": failures,
    }


def _threads(call: Callable[[], Any], jobs: int, in_flight: int) -> int:
    tasks: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(jobs):
        tasks.put(index)
    failures = []

    def worker() -> None:
        while True:
            try:
                tasks.get_nowait()
            except queue.Empty:
                return
            try:
                call()
            except Exception as exc:  # counted, reported
                failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(in_flight)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(failures)


def _gradio_client_waves(client: GradioClient, jobs: int, in_flight: int) -> int:
    """Keep ``in_flight`` gradio_client jobs submitted at a time."""
    failures, submitted, running = 0, 0, []
    while submitted < jobs or running:
        while submitted < jobs and len(running) < in_flight:
            running.append(client.submit())
            submitted += 1
        job = running.pop(0)
        try:
            job.result()
        except Exception:
            failures += 1
    return failures


def api_first_use(client_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """Seconds to list a Space's endpoints on first use: /config and /info fetched and decoded.

    ``api_seconds`` is the first use in a fresh process (what loads on first use included);
    ``warm_api_seconds`` a second, new client's first use in the same process (new connections,
    modules already loaded).
    """
    timings = []
    for _ in range(2):
        client = CLIENTS[client_name](config["url"])
        if client_name == "bare":
            client.session  # noqa: B018 - made beforehand, as the others build theirs
        started = time.perf_counter()
        client.api()
        timings.append(time.perf_counter() - started)
    return {"api_seconds": timings[0], "warm_api_seconds": timings[1]}


def import_time(client_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """Seconds to run an import statement in this fresh process."""
    started = time.perf_counter()
    exec(config["statement"], {})
    return {"import_seconds": time.perf_counter() - started}


SCENARIOS = {
    "sequential": sequential,
    "first_event": first_event,
    "throughput": throughput,
    "import": import_time,
    "api_first_use": api_first_use,
}


def main() -> None:
    client_name, scenario, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    result = SCENARIOS[scenario](client_name, config)
    result.update(_usage())
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

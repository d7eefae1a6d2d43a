"""Subprocess side: launch look-alike apps on free ports and announce them with one READY line.

:func:`serve` prepares the environment (no analytics, no hub, no proxies for 127.0.0.1, no SSR),
then builds and launches every requested app on its own free port on 127.0.0.1, checks that each
answers ``GET /config``, prints ``READY {"name": "http://127.0.0.1:PORT", ...}`` on stdout and
serves until SIGTERM/SIGINT (or, with ``watch_stdin``, until its stdin closes, i.e. the parent
went away). After the READY line, stdout is redirected to stderr so that nothing else can ever
block on, or be mistaken for, the announcement pipe.
"""

from __future__ import annotations

import inspect
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from .catalog import check_names

__all__ = ["READY_PREFIX", "configure_environment", "serve"]

READY_PREFIX = "READY "
HOST = "127.0.0.1"
_LAUNCH_ATTEMPTS = 5
_CONFIG_DEADLINE = 30.0

#: Environment defaults for the server process (existing values win, except where forced).
_ENV_DEFAULTS: Mapping[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "GRADIO_SSR_MODE": "False",
    "GRADIO_MCP_SERVER": "False",
}
#: Always forced: gradio must never phone home, share, or cache examples on disk.
_ENV_FORCED: Mapping[str, str] = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "GRADIO_SHARE": "False",
    "GRADIO_CACHE_EXAMPLES": "false",
}


def configure_environment(environ: Optional[dict[str, str]] = None) -> None:
    """Set the environment variables that keep gradio offline, local and fast.

    Must run before gradio is imported. Also adds 127.0.0.1 and localhost to ``NO_PROXY`` so
    gradio's own start-up probe of the local URL never goes through a proxy.
    """
    env = os.environ if environ is None else environ
    for key, value in _ENV_DEFAULTS.items():
        env.setdefault(key, value)
    env.update(_ENV_FORCED)
    for key in ("NO_PROXY", "no_proxy"):
        parts = [p for p in env.get(key, "").split(",") if p.strip()]
        for host in (HOST, "localhost"):
            if host not in parts:
                parts.append(host)
        env[key] = ",".join(parts)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _supported(func: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Keep only the keyword arguments ``func`` accepts (gradio 4 and 6 differ)."""
    params = inspect.signature(func).parameters
    return {k: v for k, v in kwargs.items() if k in params}


def _launch(demo: Any, concurrency_limit: Optional[int]) -> str:
    """Queue and launch one app on a free port; return its base URL."""
    queue_kwargs: dict[str, Any] = {
        "api_open": False
    }  # like a real Space: /run only for queue=False
    if concurrency_limit is not None:
        queue_kwargs["default_concurrency_limit"] = concurrency_limit
    demo.queue(**_supported(demo.queue, queue_kwargs))
    max_threads = max(40, (concurrency_limit or 0) + 8)
    last_error: Optional[BaseException] = None
    for _ in range(_LAUNCH_ATTEMPTS):
        port = _free_port()
        launch_kwargs: dict[str, Any] = {
            "server_name": HOST,
            "server_port": port,
            "prevent_thread_lock": True,
            "quiet": True,
            "share": False,
            "inbrowser": False,
            "show_error": False,
            "max_threads": max_threads,
            "ssr_mode": False,
            "mcp_server": False,
            "enable_monitoring": False,
            "pwa": False,
        }
        try:
            demo.launch(**_supported(demo.launch, launch_kwargs))
        except OSError as exc:  # the port was taken between probing and binding
            last_error = exc
            continue
        return f"http://{HOST}:{port}"
    raise RuntimeError(f"could not launch on a free port: {last_error}")


def _wait_for_config(url: str, deadline: float) -> None:
    """Block until ``GET {url}/config`` answers 200 (gradio has usually already checked)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while True:
        try:
            with opener.open(f"{url}/config", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}/config did not answer 200 in time")
        time.sleep(0.05)


def _watch_stdin(stop: threading.Event) -> None:
    """Set ``stop`` when stdin reaches EOF (the parent process closed it or died)."""
    # os.read on the raw descriptor: a daemon thread blocked inside sys.stdin's buffered reader
    # would hold its lock and abort the interpreter at shutdown.
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    stop.set()


def serve(
    names: Sequence[str],
    *,
    fail: Optional[str] = None,
    compute_seconds: float = 0.0,
    concurrency_limit: Optional[int] = None,
    watch_stdin: bool = False,
) -> int:
    """Launch the named look-alikes, print the READY line, serve until told to stop.

    Returns the process exit status (0 after a clean stop).
    """
    names = check_names(list(names))
    if concurrency_limit is not None and concurrency_limit < 1:
        raise ValueError("concurrency_limit must be >= 1")
    configure_environment()
    stop = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    from .apps import build_app  # imports gradio
    from .options import PROGRESS_FLOOR, PROGRESS_FLOOR_ENV, AppOptions

    floor = os.environ.get(PROGRESS_FLOOR_ENV)
    options = AppOptions(
        fail=fail,
        compute_seconds=compute_seconds,
        progress_floor=PROGRESS_FLOOR if floor is None else float(floor),
    )
    demos: list[Any] = []
    urls: dict[str, str] = {}
    try:
        for name in names:
            demo = build_app(name, options)
            demos.append(demo)
            urls[name] = _launch(demo, concurrency_limit)
        deadline = time.monotonic() + _CONFIG_DEADLINE
        for url in urls.values():
            _wait_for_config(url, deadline)
        sys.stdout.write(READY_PREFIX + json.dumps(urls) + "\n")
        sys.stdout.flush()
        # From here on, anything written to stdout goes to stderr instead.
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        if watch_stdin:
            threading.Thread(target=_watch_stdin, args=(stop,), daemon=True).start()
        while not stop.is_set():
            stop.wait()
    finally:
        _close_all(demos)
    return 0


def _close_all(demos: list[Any], timeout: float = 5.0) -> None:
    """Close the apps in parallel (each takes ~0.2 s), waiting at most ``timeout`` s."""

    def _close(demo: Any) -> None:
        try:
            demo.close()
        except Exception as exc:  # pragma: no cover - best effort on shutdown
            sys.stderr.write(f"look-alike server: error while closing an app: {exc!r}\n")

    threads = [threading.Thread(target=_close, args=(d,), daemon=True) for d in demos]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))

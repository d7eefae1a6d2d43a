"""Parent side: run look-alike Spaces in a subprocess and hand out their URLs.

:func:`serve_spaces` starts one ``python -m hfspace_sdk.testing serve ...`` process hosting all
the requested look-alikes, waits for its ``READY {json}`` line (blocking read, no polling), yields
``{name: url}`` and stops the process by PID when the ``with`` block ends (SIGTERM, then SIGKILL).
The child's stderr goes to a temporary file, so its pipe can never fill up and block the server;
its tail is quoted in the error when start-up fails.

Standard library only: this module never imports gradio.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Optional

from .catalog import LOOKALIKES, check_names, space_urls_for
from .failures import FAILURE_MODES

__all__ = [
    "LOOKALIKES",
    "PYTHON_ENV_VAR",
    "LookalikeServer",
    "SpaceUrls",
    "serve_space",
    "serve_spaces",
    "space_urls_for",
]

#: Environment variable naming the interpreter that runs the look-alikes (default: this one).
PYTHON_ENV_VAR = "HFSPACE_LOOKALIKE_PYTHON"
#: Gradio 6 reads this for its stream heartbeat interval (gradio 4 always uses 15 s).
HEARTBEAT_ENV_VAR = "GRADIO_HEARTBEAT_INTERVAL"
_READY_PREFIX = "READY "  # same as server.READY_PREFIX (server.py is not imported here)
_STOP_GRACE = 5.0
_STDERR_TAIL = 4000
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class SpaceUrls(dict[str, str]):
    """``{look-alike name: base URL}``, plus the subprocess's ``pid`` and :meth:`stderr_tail`."""

    def __init__(self, urls: Mapping[str, str], server: LookalikeServer) -> None:
        super().__init__(urls)
        self.server = server

    @property
    def pid(self) -> int:
        """Process id of the subprocess serving these URLs."""
        return self.server.pid

    def stderr_tail(self, limit: int = 4000) -> str:
        """The last characters the subprocess wrote to stderr (its log)."""
        return self.server.stderr_tail(limit)


class LookalikeServer:
    """A running look-alike subprocess (what :func:`serve_spaces` manages)."""

    def __init__(self, process: subprocess.Popen[bytes], stderr_file: IO[bytes]) -> None:
        self.process = process
        self.urls: dict[str, str] = {}
        self._stderr_file = stderr_file
        self._lock = threading.Lock()

    @property
    def pid(self) -> int:
        """The subprocess's process id."""
        return self.process.pid

    def stderr_tail(self, limit: int = _STDERR_TAIL) -> str:
        """The last ``limit`` characters the subprocess wrote to stderr."""
        # The file is in append mode, so moving the shared offset here cannot redirect the
        # child's writes.
        try:
            with self._lock:
                size = os.fstat(self._stderr_file.fileno()).st_size
                self._stderr_file.seek(max(0, size - limit * 4))
                data = self._stderr_file.read()
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", "replace")[-limit:]

    def stop(self, grace: float = _STOP_GRACE) -> None:
        """Terminate the subprocess (SIGTERM, then SIGKILL after ``grace`` s) and reap it."""
        proc = self.process
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def close(self) -> None:
        """Stop the subprocess and release the stderr file."""
        try:
            self.stop()
        finally:
            with contextlib.suppress(OSError):
                self._stderr_file.close()


def _read_stdout(stream: IO[bytes], lines: queue.Queue[Optional[str]]) -> None:
    """Forward the child's stdout lines to ``lines``; ``None`` marks EOF."""
    try:
        for raw in iter(stream.readline, b""):
            lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
    except (OSError, ValueError):
        pass
    finally:
        lines.put(None)


def _child_env(
    env: Optional[Mapping[str, str]], heartbeat_interval: Optional[float]
) -> dict[str, str]:
    child = dict(os.environ)
    if env:
        child.update(env)
    child["GRADIO_ANALYTICS_ENABLED"] = "False"
    child["PYTHONUNBUFFERED"] = "1"
    if heartbeat_interval is not None:
        child[HEARTBEAT_ENV_VAR] = str(heartbeat_interval)
    # Let any interpreter with gradio import this package, installed or not.
    paths = [p for p in child.get("PYTHONPATH", "").split(os.pathsep) if p]
    if _PACKAGE_ROOT not in paths:
        child["PYTHONPATH"] = os.pathsep.join([_PACKAGE_ROOT, *paths])
    return child


def _command(
    python: str,
    names: tuple[str, ...],
    fail: Optional[str],
    compute_seconds: float,
    concurrency_limit: Optional[int],
) -> list[str]:
    cmd = [python, "-m", "hfspace_sdk.testing", "serve", *names, "--watch-stdin"]
    if fail is not None:
        cmd += ["--fail", fail]
    if compute_seconds:
        cmd += ["--compute-seconds", repr(float(compute_seconds))]
    if concurrency_limit is not None:
        cmd += ["--concurrency-limit", str(int(concurrency_limit))]
    return cmd


def start_server(
    *names: str,
    fail: Optional[str] = None,
    compute_seconds: float = 0.0,
    concurrency_limit: Optional[int] = None,
    python: Optional[str] = None,
    startup_timeout: float = 120.0,
    env: Optional[Mapping[str, str]] = None,
    heartbeat_interval: Optional[float] = None,
) -> LookalikeServer:
    """Start the subprocess and block until its READY line; the caller must ``close()`` it.

    Prefer :func:`serve_spaces`, which closes it for you.
    """
    names = check_names(list(names))
    if fail is not None and fail not in FAILURE_MODES:
        raise ValueError(f"unknown failure mode {fail!r}; expected one of {FAILURE_MODES}")
    if compute_seconds < 0:
        raise ValueError("compute_seconds must be >= 0")
    if concurrency_limit is not None and concurrency_limit < 1:
        raise ValueError("concurrency_limit must be >= 1")
    interpreter = python or os.environ.get(PYTHON_ENV_VAR) or sys.executable
    cmd = _command(interpreter, names, fail, compute_seconds, concurrency_limit)
    # Closed by LookalikeServer.close(); it outlives this function.
    stderr_file = tempfile.TemporaryFile(  # noqa: SIM115
        mode="a+b", prefix="hfspace-lookalike-", suffix=".log"
    )
    try:
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            env=_child_env(env, heartbeat_interval),
            close_fds=True,
        )
    except OSError as exc:
        stderr_file.close()
        raise RuntimeError(f"could not start look-alike server {cmd!r}: {exc}") from exc
    server = LookalikeServer(process, stderr_file)
    try:
        server.urls = _await_ready(server, names, startup_timeout)
    except BaseException:
        server.close()
        raise
    return server


def _await_ready(
    server: LookalikeServer, names: tuple[str, ...], startup_timeout: float
) -> dict[str, str]:
    process = server.process
    assert process.stdout is not None
    lines: queue.Queue[Optional[str]] = queue.Queue()
    reader = threading.Thread(
        target=_read_stdout, args=(process.stdout, lines), name="lookalike-stdout", daemon=True
    )
    reader.start()
    deadline = time.monotonic() + startup_timeout
    other: list[str] = []
    while True:
        remaining = deadline - time.monotonic()
        try:
            line = lines.get(timeout=max(0.0, remaining)) if remaining > 0 else lines.get_nowait()
        except queue.Empty:
            raise RuntimeError(
                f"look-alike server {list(names)} (pid {process.pid}) not ready after "
                f"{startup_timeout:g} s; stderr tail:\n{server.stderr_tail()}"
            ) from None
        if line is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=_STOP_GRACE)
            raise RuntimeError(
                f"look-alike server {list(names)} exited with status {process.poll()} before it "
                f"was ready; stdout: {other[-20:]!r}; stderr tail:\n{server.stderr_tail()}"
            )
        if not line.startswith(_READY_PREFIX):
            other.append(line)
            continue
        try:
            urls: Any = json.loads(line[len(_READY_PREFIX) :])
        except ValueError as exc:
            raise RuntimeError(f"malformed READY line from look-alike server: {line!r}") from exc
        if not isinstance(urls, dict) or set(urls) != set(names):
            raise RuntimeError(f"READY line does not list {list(names)}: {line!r}")
        return {name: str(urls[name]) for name in names}


@contextlib.contextmanager
def serve_spaces(
    *names: str,
    fail: Optional[str] = None,
    compute_seconds: float = 0.0,
    concurrency_limit: Optional[int] = None,
    python: Optional[str] = None,
    startup_timeout: float = 120.0,
    env: Optional[Mapping[str, str]] = None,
    heartbeat_interval: Optional[float] = None,
) -> Iterator[SpaceUrls]:
    """Serve the named look-alikes from one subprocess; yield ``{name: "http://127.0.0.1:PORT"}``.

    The yielded mapping is a :class:`SpaceUrls` (a ``dict``) that also carries the ``pid``.

    Args:
        names: look-alike names (:data:`LOOKALIKE_NAMES`: :data:`LOOKALIKES`, :data:`VARIANTS`).
        fail: make every call of every app fail this way (``"error"``, ``"hidden"``,
            ``"quota"``, ``"quota-free"``, ``"quota-left"``).
        compute_seconds: simulated compute time per call.
        concurrency_limit: gradio's ``default_concurrency_limit`` (``None``: gradio's default, 1).
        python: interpreter with gradio installed; default ``$HFSPACE_LOOKALIKE_PYTHON`` or
            ``sys.executable``.
        startup_timeout: seconds to wait for the READY line.
        env: extra environment variables for the subprocess.
        heartbeat_interval: stream heartbeat interval in seconds (``GRADIO_HEARTBEAT_INTERVAL``;
            honoured by gradio 6, gradio 4 always uses 15 s).

    Raises:
        RuntimeError: the subprocess exited or timed out before it was ready (the message
            includes the tail of its stderr).
    """
    server = start_server(
        *names,
        fail=fail,
        compute_seconds=compute_seconds,
        concurrency_limit=concurrency_limit,
        python=python,
        startup_timeout=startup_timeout,
        env=env,
        heartbeat_interval=heartbeat_interval,
    )
    try:
        yield SpaceUrls(server.urls, server)
    finally:
        server.close()


@contextlib.contextmanager
def serve_space(
    name: str,
    *,
    fail: Optional[str] = None,
    compute_seconds: float = 0.0,
    concurrency_limit: Optional[int] = None,
    python: Optional[str] = None,
    startup_timeout: float = 120.0,
    env: Optional[Mapping[str, str]] = None,
    heartbeat_interval: Optional[float] = None,
) -> Iterator[str]:
    """Serve one look-alike (see :func:`serve_spaces`); yield its base URL."""
    with serve_spaces(
        name,
        fail=fail,
        compute_seconds=compute_seconds,
        concurrency_limit=concurrency_limit,
        python=python,
        startup_timeout=startup_timeout,
        env=env,
        heartbeat_interval=heartbeat_interval,
    ) as urls:
        yield urls[name]

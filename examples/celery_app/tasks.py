"""The Celery app and the ``generate`` task; one SDK ``Client`` per worker process.

Configuration comes from the environment: REDIS_URL (broker and result backend), and the SDK's
own variables (HF_TOKEN, HFSPACE_SPACE_URLS, HF_ENDPOINT), read when the worker's client is made.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Optional

from celery import Celery, signals

from hfspace_sdk import Client, HFSpaceError, Timeout

log = logging.getLogger(__name__)

#: Seconds a whole generation may take in the SDK (queue wait on the Space included).
GENERATION_SECONDS = float(os.environ.get("HFSPACE_CELERY_TIMEOUT", "600"))
#: The SDK's own deadline fires first and fails the task with a readable SpaceTimeoutError;
#: Celery's limits are only a backstop: the prefork pool enforces them, threads and solo do not.
SOFT_TIME_LIMIT = GENERATION_SECONDS + 30
HARD_TIME_LIMIT = SOFT_TIME_LIMIT + 30


def make_celery(redis_url: str) -> Celery:
    """A Celery app using ``redis_url`` as broker and result backend."""
    app = Celery("hfspace_celery", broker=redis_url, backend=redis_url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_track_started=True,  # the result page can tell "queued" from "generating"
        # One task reserved per worker slot: a long generation never holds others back.
        worker_prefetch_multiplier=1,
        # Acknowledge on receipt: a worker that dies mid-generation loses that job rather
        # than running it again (acks_late would re-run it and spend GPU quota twice).
        task_acks_late=False,
        task_soft_time_limit=SOFT_TIME_LIMIT,
        task_time_limit=HARD_TIME_LIMIT,
        # Space file URLs do not live forever either; an hour is enough to show a result.
        result_expires=3600,
        # Redis redelivers a reserved but unacknowledged message after this many seconds;
        # it must exceed the longest time a message can wait reserved (plus any countdown).
        broker_transport_options={"visibility_timeout": 2 * HARD_TIME_LIMIT},
        broker_connection_retry_on_startup=True,
    )
    return app


app = make_celery(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

_client: Optional[Client] = None
_client_lock = threading.Lock()


def _open_client(max_workers: int) -> None:
    global _client
    with _client_lock:
        if _client is None:
            _client = Client(timeout=Timeout(total=GENERATION_SECONDS), max_workers=max_workers)
            log.warning("hfspace_sdk Client opened in pid %d", os.getpid())


def _close_client() -> None:
    global _client
    with _client_lock:
        client, _client = _client, None
    if client is not None:
        client.close()
        # The tests read this line: the client was closed when the worker stopped.
        log.warning("hfspace_sdk Client closed in pid %d", os.getpid())


@signals.worker_init.connect
def _on_worker_init(sender: Any = None, **_: Any) -> None:
    # The threads pool runs tasks in this process: one client shared by every task thread,
    # with a job pool as large as the worker's concurrency. Prefork and solo open theirs in
    # worker_process_init instead (a client must not be created before a fork).
    if "thread" in str(getattr(sender, "pool_cls", "")).lower():
        _open_client(max_workers=max(int(sender.concurrency or 1), 1))


@signals.worker_process_init.connect
def _on_worker_process_init(**_: Any) -> None:
    _open_client(max_workers=4)  # a prefork child runs one task at a time


@signals.worker_process_shutdown.connect
def _on_worker_process_shutdown(**_: Any) -> None:
    _close_client()


@signals.worker_shutdown.connect
def _on_worker_shutdown(**_: Any) -> None:
    _close_client()


class GenerationFailed(Exception):
    """A generation failed; the message is the SDK's (the Space's own, when it has one)."""


def _worker_client() -> Client:
    if _client is None:
        raise RuntimeError("no hfspace_sdk Client in this process: is it a Celery worker?")
    return _client


@app.task(name="hfspace.generate")
def generate(prompt: str, model: str) -> dict[str, Any]:
    """Generate images; returns plain JSON data (image URLs on the Space), never SDK objects.

    Not retried: a generation the Space accepted must not be submitted twice (the SDK retries
    only what is safe, before submission).
    """
    try:
        result = _worker_client().images.generate(prompt, model=model)
    except HFSpaceError as error:
        # A plain exception with the SDK's message: the web process needs no SDK class to
        # read it, and the message never carries credentials.
        raise GenerationFailed(f"{type(error).__name__}: {error}") from None
    return {
        "model": result.model,
        "provider": result.provider,
        "images": [
            {"url": image.url, "alt": image.revised_prompt or prompt} for image in result.data
        ],
    }

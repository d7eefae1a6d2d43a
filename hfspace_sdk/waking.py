"""Sleeping, starting and broken Spaces: ask the hub for the stage, wake, wait, or give up.

Used only after the first contact with a Space failed (``/config`` answered with HTML or
502/503/504, or the connection was refused, reset or timed out), so a running Space costs no
hub request. The HF token goes to the hub only, as for ZeroGPU tokens and the quota.
"""

from __future__ import annotations

import logging
import time
from typing import Optional

from .cancel import CancelScope
from .errors import (
    HFSpaceError,
    JobCancelledError,
    ResponseStatusError,
    SpaceTimeoutError,
)
from .events import Reasoning
from .http import HttpClient, read_json
from .space_stages import (
    DEAD_STAGES,
    RUNNING,
    WAIT_STAGES,
    WAKE_STAGES,
    not_running_error,
    parse_stage,
    poll_delays,
    says_space_in_error,
    stage_status,
)

__all__ = ["fetch_stage", "runtime_url", "wait_until_running"]

logger = logging.getLogger(__name__)

_MARGIN = 0.25  # seconds


def runtime_url(hub_url: str, space_id: str) -> str:
    """Where the hub tells a Space's stage."""
    return f"{hub_url}/api/spaces/{space_id}/runtime"


def _stop_if_stopped(scope: CancelScope) -> None:
    """A failure caused by the job's own cancel or deadline is that, not a hub problem."""
    if scope.cancelled:
        raise scope.stop_error()


def fetch_stage(http: HttpClient, space_id: str, scope: CancelScope) -> Optional[str]:
    """The Space's stage, or None when the hub cannot say (unreachable, 401/403/404, garbled).

    Raises:
        JobCancelledError, SpaceTimeoutError: the job was cancelled or ran out of time.
    """
    settings = http.settings
    headers = {"authorization": f"Bearer {settings.hf_token}"} if settings.hf_token else {}
    try:
        response = http.request(
            "GET", runtime_url(settings.hub_url, space_id), space=None, scope=scope, headers=headers
        )
        stage = parse_stage(read_json(response, space=None, what="The hub's runtime answer"))
    except JobCancelledError:
        raise
    except HFSpaceError as error:
        _stop_if_stopped(scope)
        logger.info("The hub could not tell the stage of %s: %s", space_id, error)
        return None
    logger.info("The hub says %s is %s", space_id, stage)
    return stage


def _wake(http: HttpClient, space_id: str, base_url: str, scope: CancelScope) -> None:
    """Visit the Space's page, as a browser would: that is what wakes a sleeping Space.

    Whatever it answers (a loading page, a 503) does not matter and is not read.
    """
    try:
        response = http.request(
            "GET",
            f"{base_url}/",
            space=space_id,
            scope=scope,
            stream=True,
            read_timeout=http.settings.timeout.connect,
        )
        with http.streaming(response, scope):
            pass
    except JobCancelledError:
        raise
    except HFSpaceError as error:
        _stop_if_stopped(scope)
        logger.info("Waking %s: its page answered %s", space_id, error)


def _pause(http: HttpClient, scope: CancelScope, seconds: float) -> None:
    """Wait between two questions to the hub; a cancel ends the wait at once."""
    sleep = http.settings.retry_sleep
    if sleep is not None:
        sleep(seconds)
    else:
        scope.wait(seconds)
    scope.check()


def _says_it_crashed(failure: HFSpaceError) -> bool:
    """The Space's own URL answered 503 "Your space is in error": a crash, whatever the hub says."""
    return (
        isinstance(failure, ResponseStatusError)
        and failure.status_code == 503
        and says_space_in_error(failure.body)
    )


def _stage_after(
    http: HttpClient, space_id: str, scope: CancelScope, failure: HFSpaceError
) -> Optional[str]:
    """The stage that explains ``failure`` (None: the hub cannot say), or the error for a crash."""
    if _says_it_crashed(failure):
        raise not_running_error(space_id, "RUNTIME_ERROR", http.settings.hub_url) from failure
    return fetch_stage(http, space_id, scope)


def wait_until_running(
    http: HttpClient,
    space_id: str,
    base_url: str,
    scope: CancelScope,
    failure: HFSpaceError,
    *,
    waits_on: frozenset[str] = WAKE_STAGES | WAIT_STAGES,
) -> bool:
    """After a request to a Space failed with ``failure``, find out why and act.

    Sleeping or stopped: wake it, then wait. Building or starting: wait. While waiting the hub
    is asked again (every 1 s, growing to 10 s), and each new stage is published to the job as
    a :class:`Reasoning` status. The wait is bounded by ``timeout.wake`` and the job's total.

    Args:
        waits_on: the stages worth waiting through; in any other, ``failure`` stands.

    Returns:
        True once the Space runs after a wait (contact it again); False when the hub could not
        say, or names a stage not in ``waits_on`` (``failure`` is then the answer, unchanged).

    Raises:
        SpaceNotRunningError: the Space is paused, broken or being deleted, or answered that it
            is in error (a crash, whatever the hub says).
        SpaceTimeoutError: it did not run within ``timeout.wake`` (the message names the stage).
        JobCancelledError: the job was cancelled.
    """
    hub_url = http.settings.hub_url
    stage = _stage_after(http, space_id, scope, failure)
    if stage in DEAD_STAGES:
        raise not_running_error(space_id, stage, hub_url) from failure
    if stage not in waits_on:
        return False  # running, or a stage this SDK does not know: the failure stands
    # End a little before the job's own deadline, so that the error can still name the stage.
    wake_limit = min(http.settings.timeout.wake, max(0.0, scope.remaining() - _MARGIN))
    started = time.monotonic()
    delays = poll_delays()
    shown: Optional[str] = None
    woken = False
    while True:
        if stage != shown:
            scope.publish(Reasoning(status=stage_status(space_id, stage)))
            shown = stage
        if stage == RUNNING:
            return True
        if stage in DEAD_STAGES:
            raise not_running_error(space_id, stage, hub_url) from failure
        if stage in WAKE_STAGES and not woken:
            _wake(http, space_id, base_url, scope)
            woken = True
        left = wake_limit - (time.monotonic() - started)
        if left <= 0:
            raise SpaceTimeoutError(
                f"{space_id} was still {stage} after {wake_limit:g} s of waiting "
                f"(timeout.wake is {http.settings.timeout.wake:g} s, within the job's total); "
                "nothing was submitted",
                space=space_id,
            ) from failure
        _pause(http, scope, min(next(delays), left))
        stage = fetch_stage(http, space_id, scope) or stage  # a hub hiccup keeps the last stage

"""Retry policy for idempotent requests (ZeroGPU tokens, ``/config``): the only tenacity user.

A request that enqueues a generation is never retried here: once a Space has accepted a job,
sending it again would spend the user's GPU quota twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Optional, TypeVar

from .cancel import CancelScope
from .errors import ResponseStatusError, SpaceConnectionError, SpaceTimeoutError

__all__ = ["RETRYABLE_STATUSES", "call_with_retries", "is_transient"]

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    """True for failures worth another try: network trouble, timeouts, 408/429/5xx."""
    if isinstance(error, ResponseStatusError):
        return error.status_code in RETRYABLE_STATUSES
    return isinstance(error, (SpaceConnectionError, SpaceTimeoutError))


def _wait_seconds(retry_state: Any, *, base: float, cap: float) -> float:
    """Exponential backoff with jitter, or the server's ``Retry-After`` when it is longer."""
    import random

    attempt = retry_state.attempt_number
    delay = min(cap, base * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None else None
    hinted = getattr(error, "retry_after", None)
    if isinstance(hinted, (int, float)) and hinted > delay:
        delay = min(float(hinted), cap)
    return float(delay)


def _stopped(scope: Optional[CancelScope]) -> bool:
    return scope is not None and (scope.cancelled or scope.remaining() <= 0)


def _waiter(
    sleep: Optional[Callable[[float], None]], scope: Optional[CancelScope]
) -> Callable[[float], None]:
    """Wait between tries without outlasting the job; raise at once if the job stops."""
    if scope is None:
        return sleep or time.sleep

    def wait(seconds: float) -> None:
        seconds = min(seconds, scope.remaining())
        if sleep is not None:
            sleep(seconds)
        else:
            scope.wait(seconds)
        scope.check()

    return wait


def call_with_retries(
    operation: Callable[[], T],
    *,
    what: str,
    attempts: int = 3,
    base_delay: float = 0.5,
    max_delay: float = 8.0,
    sleep: Optional[Callable[[float], None]] = None,
    scope: Optional[CancelScope] = None,
) -> T:
    """Run ``operation``, retrying transient failures; the last error is re-raised as is.

    Args:
        operation: the idempotent call.
        what: a short description for the log.
        attempts: tries in all.
        base_delay: first backoff delay in seconds (doubled each try, jittered).
        max_delay: longest wait between tries, also the cap on ``Retry-After``.
        sleep: how to wait (tests inject a fake so that they never sleep).
        scope: the job's cancel scope: no wait outlasts its deadline, a cancel or the deadline
            ends the waiting at once, and a stopped job is never retried.
    """
    import tenacity  # imported on first use: it is not needed to import hfspace_sdk

    def log_retry(retry_state: Any) -> None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        logger.info("Retrying %s after %s (attempt %d)", what, error, retry_state.attempt_number)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=lambda state: _wait_seconds(state, base=base_delay, cap=max_delay),
        retry=tenacity.retry_if_exception(
            lambda error: is_transient(error) and not _stopped(scope)
        ),
        sleep=_waiter(sleep, scope),
        before_sleep=log_retry,
        reraise=True,
    )
    return retrying(operation)

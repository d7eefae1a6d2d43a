"""Cancellation and deadline of one job, shared by the job's caller and its worker thread.

The caller cancels (or lets the deadline pass); the worker checks between steps, and every
blocking read it is in is interrupted through the abort callbacks it registered. While the
worker blocks, another thread may still hand the caller an event through :meth:`publish`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Optional

from .errors import JobCancelledError, SpaceTimeoutError

if TYPE_CHECKING:
    from .events import Event

logger = logging.getLogger(__name__)

__all__ = ["CancelScope"]


class CancelScope:
    """A cancel flag, an overall deadline, and the aborts of the I/O in flight.

    Thread-safe: :meth:`cancel` and :meth:`expire` may be called from any thread.
    """

    def __init__(
        self, total_seconds: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self.total_seconds = total_seconds
        self.deadline = clock() + total_seconds
        self._stopped = threading.Event()
        self._timed_out = False
        self._lock = threading.Lock()
        self._aborts: dict[int, Callable[[], None]] = {}
        self._next_id = 0
        self._deferred: list[Callable[[], None]] = []
        self._listener: Optional[Callable[[Event], None]] = None

    @property
    def cancelled(self) -> bool:
        """True once the job was cancelled or ran out of time."""
        return self._stopped.is_set()

    @property
    def timed_out(self) -> bool:
        """True when the stop came from the deadline rather than a cancel."""
        return self._timed_out

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - self._clock())

    def cancel(self) -> None:
        """Stop the job: set the flag and interrupt every blocking read in flight."""
        self._stop()

    def expire(self) -> None:
        """Stop the job because its deadline passed."""
        self._timed_out = True
        self._stop()

    def _stop(self) -> None:
        with self._lock:
            self._stopped.set()
            aborts = list(self._aborts.values())
        for abort in aborts:
            abort()

    def check(self) -> None:
        """Raise if the job must stop: cancelled, or past its deadline.

        Raises:
            JobCancelledError: the job was cancelled.
            SpaceTimeoutError: the deadline passed.
        """
        if not self._stopped.is_set() and self._clock() >= self.deadline:
            self._timed_out = True
            self._stopped.set()
        if self._stopped.is_set():
            raise self.stop_error()

    def stop_error(self) -> Exception:
        """The error that describes why the job stopped."""
        if self._timed_out:
            return SpaceTimeoutError(
                f"The job did not finish within its {self.total_seconds:g} s timeout"
            )
        return JobCancelledError("The job was cancelled")

    @contextmanager
    def abortable(self, abort: Callable[[], None]) -> Iterator[None]:
        """Register ``abort`` to be called if the job stops while the block runs."""
        with self._lock:
            key = self._next_id
            self._next_id += 1
            self._aborts[key] = abort
            already_stopped = self._stopped.is_set()
        try:
            if already_stopped:
                abort()
            yield
        finally:
            with self._lock:
                self._aborts.pop(key, None)

    def defer(self, cleanup: Callable[[], None]) -> None:
        """Register clean-up to run after the job's outcome reached its caller.

        Best-effort requests (asking a Space to cancel) go here, so that they never delay the
        caller's result or error. The job runs them; code without a job calls
        :meth:`run_deferred` itself.
        """
        with self._lock:
            self._deferred.append(cleanup)

    def run_deferred(self) -> None:
        """Run (once) the clean-up registered with :meth:`defer`; errors are logged, not raised."""
        with self._lock:
            deferred, self._deferred = self._deferred, []
        for cleanup in deferred:
            try:
                cleanup()
            except Exception:  # clean-up is best effort by definition
                logger.debug("Deferred clean-up failed", exc_info=True)

    def listen(self, listener: Callable[[Event], None]) -> None:
        """Receive what :meth:`publish` hands over (the job does, for its caller's queue)."""
        with self._lock:
            self._listener = listener

    def publish(self, event: Event) -> None:
        """Hand ``event`` to the job's caller now, from any thread, between the worker's events.

        For news that cannot wait for the worker, such as a clock's status while the worker
        blocks on a request. Dropped once the job stopped, or when nothing listens.
        """
        with self._lock:
            listener = None if self._stopped.is_set() else self._listener
        if listener is not None:
            listener(event)

    def read_timeout(self, default: float) -> float:
        """A read timeout that does not outlive the deadline (at least a small floor)."""
        return max(0.05, min(default, self.remaining()))

    def wait(self, seconds: float) -> bool:
        """Block up to ``seconds`` unless the job stops first; True if it stopped."""
        return self._stopped.wait(seconds)


def optional_check(scope: Optional[CancelScope]) -> None:
    """``scope.check()`` when there is a scope."""
    if scope is not None:
        scope.check()

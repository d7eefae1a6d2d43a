"""Jobs: one generation running on a thread pool, seen by the caller as a Future and an iterator.

A worker runs the generation end to end and puts each event on the job's queue; the caller
blocks on that queue (with the job's deadline as timeout), so nothing polls. A job never waits
on work queued to its own pool, so a small pool cannot deadlock.
"""

from __future__ import annotations

import logging
import queue
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Callable, Optional

from ._internals import call_before_thread_joins, join_pool_threads
from .cancel import CancelScope
from .errors import HFSpaceError, SpaceTimeoutError
from .events import Event

__all__ = ["Job", "JobRunner"]

logger = logging.getLogger(__name__)

Generation = Callable[[CancelScope], Iterator[Event]]
#: How long a caller waits for a stopped job to wind down before reporting the stop anyway.
_STOP_GRACE_SECONDS = 10.0


class _End:
    """Marks the end of a job's events."""


_END = _End()


class Job:
    """A generation in progress. Iterate it for its events; ``result()`` for the last one.

    Only one thread should iterate a job. ``result()``, ``cancel()`` and ``done()`` may be
    called from any thread.
    """

    def __init__(self, generation: Generation, scope: CancelScope, *, name: str = "job") -> None:
        self.name = name
        self._generation = generation
        self._scope = scope
        self._events: queue.SimpleQueue[Event | _End] = queue.SimpleQueue()
        self._future: Future[Optional[Event]] = Future()
        self._iterated = False
        self._lock = threading.Lock()
        scope.listen(self._events.put)  # events published while the worker blocks

    # --- worker side -----------------------------------------------------------------------

    def _run(self) -> None:
        if not self._future.set_running_or_notify_cancel():
            return
        last: Optional[Event] = None
        events = self._generation(self._scope)
        try:
            for event in events:
                self._scope.check()
                self._events.put(event)
                last = event
            self._scope.check()
        except BaseException as exc:  # the job's error belongs to its caller
            error = self._scope.stop_error() if self._scope.cancelled else exc
            self._finish(error=error)
            if not isinstance(exc, Exception):
                raise
        else:
            self._finish(result=last)
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()
            self._scope.run_deferred()  # after the caller has the outcome: never delays it

    def _finish(
        self, *, result: Optional[Event] = None, error: Optional[BaseException] = None
    ) -> None:
        if error is not None:
            if isinstance(error, HFSpaceError):
                logger.info("%s failed: %s", self.name, error)
            else:
                logger.exception("%s crashed", self.name, exc_info=error)
            self._future.set_exception(error)
        else:
            self._future.set_result(result)
        self._events.put(_END)

    # --- caller side -----------------------------------------------------------------------

    def __iter__(self) -> Iterator[Event]:
        """The events as they arrive; raises the job's error after the last one.

        Raises:
            SpaceTimeoutError: the job's total timeout passed (the job is then cancelled).
            Whatever the generation raised.
        """
        with self._lock:
            if self._iterated:
                raise HFSpaceError("A job can be iterated only once; use result() for its result")
            self._iterated = True
        return self._iterate()

    def _iterate(self) -> Iterator[Event]:
        while not isinstance(item := self._next_item(), _End):
            yield item
        self._raise_error()

    def _next_item(self) -> Event | _End:
        """The next event, waiting no longer than the job's deadline (then a short grace)."""
        try:
            return self._events.get(timeout=max(self._scope.remaining(), 0.001))
        except queue.Empty:
            self._expire()
        try:  # a stopped worker ends the stream promptly: its reads are interrupted
            return self._events.get(timeout=_STOP_GRACE_SECONDS)
        except queue.Empty:
            raise self._scope.stop_error() from None

    def _expire(self) -> None:
        """The deadline passed with no event: stop the worker and report the timeout."""
        self._scope.expire()
        if self._future.cancel():  # never started: nobody else will end the event stream
            self._events.put(_END)

    def _raise_error(self) -> None:
        try:
            self._future.result(timeout=0)
        except CancelledError:
            raise self._scope.stop_error() from None

    def result(self, timeout: Optional[float] = None) -> Optional[Event]:
        """Wait for the job and return its last event (the image or text).

        Args:
            timeout: seconds to wait; ``None`` waits up to the job's own deadline.

        Raises:
            TimeoutError: ``timeout`` passed first (the job keeps running).
            SpaceTimeoutError: the job's own deadline passed (the job is cancelled).
            JobCancelledError: the job was cancelled.
            Whatever the generation raised.
        """
        limit = (
            self._scope.remaining() if timeout is None else min(timeout, self._scope.remaining())
        )
        try:
            return self._future.result(timeout=limit)
        except CancelledError:
            raise self._scope.stop_error() from None
        except FutureTimeoutError:
            if self._future.done():
                raise  # the job's own error, itself a TimeoutError (SpaceTimeoutError)
            if timeout is not None and timeout < self._scope.remaining():
                raise TimeoutError(f"{self.name} is still running after {timeout:g} s") from None
            self._expire()
        try:
            return self._future.result(timeout=_STOP_GRACE_SECONDS)
        except CancelledError:
            raise self._scope.stop_error() from None
        except FutureTimeoutError:
            if self._future.done():
                raise
            raise self._scope.stop_error() from None

    def cancel(self) -> bool:
        """Stop the job: its stream is closed, its thread freed, the Space asked to cancel.

        Returns False when the job had already finished.
        """
        if self._future.done():
            return False
        self._scope.cancel()
        if self._future.cancel():  # it never started
            self._events.put(_END)
        return True

    def add_done_callback(self, callback: Callable[[Job], object]) -> None:
        """Call ``callback(job)`` when the job ends (at once if it has), from the ending thread."""
        self._future.add_done_callback(lambda _: callback(self))

    def done(self) -> bool:
        """True once the job finished, failed or was cancelled."""
        return self._future.done()

    def cancelled(self) -> bool:
        """True when the job was cancelled by :meth:`cancel`."""
        return self._scope.cancelled and not self._scope.timed_out

    def exception(self, timeout: Optional[float] = None) -> Optional[BaseException]:
        """The job's error once it is done, or None if it succeeded."""
        try:
            self.result(timeout)
        except SpaceTimeoutError as exc:
            return exc
        except TimeoutError:
            raise
        except Exception as exc:
            return exc
        return None

    def __repr__(self) -> str:
        state = "done" if self.done() else "cancelling" if self._scope.cancelled else "running"
        return f"<Job {self.name} {state}>"


class JobRunner:
    """The thread pool that jobs run on. Created lazily; ``close()`` cancels what is left."""

    def __init__(self, max_workers: int, *, thread_name_prefix: str = "hfspace") -> None:
        self._max_workers = max_workers
        self._prefix = thread_name_prefix
        self._executor: Optional[ThreadPoolExecutor] = None
        self._jobs: set[Job] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self, generation: Generation, *, total_seconds: float, name: str) -> Job:
        """Start a generation on the pool.

        Raises:
            HFSpaceError: the runner is closed.
        """
        job = Job(generation, CancelScope(total_seconds), name=name)
        with self._lock:
            if self._closed:
                raise HFSpaceError("This client is closed; create a new one")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix=self._prefix
                )
                _RUNNERS.add(self)
            self._jobs.add(job)
            future = self._executor.submit(job._run)
        future.add_done_callback(lambda _: self._forget(job))
        job._future.add_done_callback(lambda _: self._forget(job))
        return job

    def active(self) -> list[Job]:
        """The jobs started here that have not finished yet."""
        with self._lock:
            return list(self._jobs)

    def cancel_all(self) -> None:
        """Cancel every job in flight; the pool stays usable."""
        for job in self.active():
            job.cancel()

    def _forget(self, job: Job) -> None:
        with self._lock:
            self._jobs.discard(job)

    def close(self, *, wait: bool = True, timeout: float = 10.0) -> None:
        """Cancel the jobs still running and stop the pool's threads. Idempotent."""
        with self._lock:
            self._closed = True
            jobs, executor, self._executor = list(self._jobs), self._executor, None
        for job in jobs:
            job.cancel()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
            if wait:
                join_pool_threads(executor, timeout)


# At interpreter exit, concurrent.futures joins every pool thread before atexit handlers run; a
# job still streaming would hold the exit for a whole read timeout. This hook runs before those
# joins: it cancels the jobs first, so the joins are immediate (a Ctrl-C'd script exits at once).
_RUNNERS: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def _cancel_jobs_at_exit() -> None:
    for runner in list(_RUNNERS):
        runner.cancel_all()


call_before_thread_joins(_cancel_jobs_at_exit)

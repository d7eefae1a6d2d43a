"""A clock for periodic status: one thread per runtime that sleeps until a tick is due.

G4F reports ``Generating 1.40s`` every 0.2 s while its ``run/predict`` request is pending on the
job's own thread. Rather than a thread per job polling the request, every such job registers a
tick here, and the one clock thread calls each tick when it is due and otherwise sleeps (for
good when no tick is registered). Nothing polls.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable, Optional

__all__ = ["Ticker"]

logger = logging.getLogger(__name__)

_JOIN_SECONDS = 5.0


class _Entry:
    __slots__ = ("due", "interval", "tick")

    def __init__(self, due: float, interval: float, tick: Callable[[], None]) -> None:
        self.due = due
        self.interval = interval
        self.tick = tick


class _Schedule:
    """The registered ticks and the loop the clock thread runs (it never holds the Ticker)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.condition = threading.Condition()
        self.entries: dict[int, _Entry] = {}
        self.closed = False

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.entries.clear()
            self.condition.notify_all()

    def run(self) -> None:
        with self.condition:
            while not self.closed:
                now = self.clock()
                for entry in [entry for entry in self.entries.values() if entry.due <= now]:
                    try:
                        entry.tick()
                    except Exception:  # one job's tick must not stop the others'
                        logger.exception("A tick failed")
                    entry.due += entry.interval
                    if entry.due <= self.clock():  # fell behind: skip the missed ticks
                        entry.due = self.clock() + entry.interval
                if self.entries:
                    next_due = min(entry.due for entry in self.entries.values())
                    self.condition.wait(max(0.0, next_due - self.clock()))
                else:
                    self.condition.wait()


class Ticker:
    """Calls each registered tick every ``interval`` seconds, from one daemon thread.

    The thread starts with the first :meth:`ticking` block and ends with :meth:`close` (or when
    the ticker is garbage-collected). Ticks run on it under the ticker's lock: they must be
    quick and must not use the ticker. Thread-safe.
    """

    def __init__(
        self, *, name: str = "hfspace-ticker", clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._name = name
        self._schedule = _Schedule(clock)
        self._keys = itertools.count()
        self._thread: Optional[threading.Thread] = None

    @contextmanager
    def ticking(self, interval: float, tick: Callable[[], None]) -> Iterator[None]:
        """Call ``tick()`` every ``interval`` seconds (the first after one interval) while the
        block runs. Once the block exits, ``tick`` is never called again. On a closed ticker
        the block runs without ticks."""
        schedule = self._schedule
        with schedule.condition:
            key = next(self._keys)
            if not schedule.closed:
                schedule.entries[key] = _Entry(schedule.clock() + interval, interval, tick)
                self._start()
                schedule.condition.notify()
        try:
            yield
        finally:
            with schedule.condition:  # waits for a tick in progress: none comes after this
                schedule.entries.pop(key, None)

    def _start(self) -> None:
        """Start the clock thread if it is not running (called under the lock)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._schedule.run, name=self._name, daemon=True)
        self._thread.start()
        weakref.finalize(self, self._schedule.close)  # an owner never closed: the thread ends

    def close(self) -> None:
        """Stop the ticks and the thread, and wait for it (a bounded wait). Idempotent."""
        self._schedule.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # It wakes at once; only a tick in progress delays it, and ticks are quick.
            thread.join(_JOIN_SECONDS)
            if thread.is_alive():
                logger.warning("The ticker thread is still in a tick after %s s", _JOIN_SECONDS)

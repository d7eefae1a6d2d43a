"""Replicas: one Space id served by several base URLs (duplicates), and the one each job uses.

``space_urls={"owner/name": [url1, url2]}`` makes the URLs replicas of the Space. A job is
placed when it first asks for the Space: on the replica with the fewest jobs this client has in
flight there plus the other jobs in its queue (``queue/status``, trusted for 1.5 s), ties taken
in turn. A replica that fails before the job was accepted (refused, 5xx, not running, queue full)
rests for 30 s and the job goes to the next one; a job a replica accepted is never sent to
another. Providers keep asking ``runtime.space(space_id)``: the placement travels with the job's
worker thread, in a context variable, so that they need not know about replicas.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Callable, Optional

from .cancel import CancelScope
from .errors import (
    AllReplicasFailedError,
    HFSpaceError,
    ProtocolError,
    QueueFullError,
    ResponseStatusError,
    SpaceConnectionError,
    SpaceNotRunningError,
    SpaceSchemaError,
    SpaceTimeoutError,
)
from .events import Event, ImageResponse, Reasoning

if TYPE_CHECKING:
    from .gradio.space import GradioApp

__all__ = [
    "QUEUE_STATUS_SECONDS",
    "REST_SECONDS",
    "Placement",
    "Replica",
    "ReplicaSet",
    "mark_accepted",
    "mark_submitting",
    "run_placed",
]

logger = logging.getLogger(__name__)

#: How long a replica that failed a job is passed over (unless every replica is resting).
REST_SECONDS = 30.0
#: How long a replica's queue size is trusted before ``queue/status`` is read again.
QUEUE_STATUS_SECONDS = 1.5
_QUEUE_STATUS_READ_TIMEOUT = 2.0


class Replica:
    """One base URL of a Space, with this client's bookkeeping of it."""

    def __init__(self, app: GradioApp, number: int) -> None:
        self.app = app
        self.number = number  # 1-based, in the order of space_urls
        self.in_flight = 0
        self.resting_until = float("-inf")
        self.queue_size = 0
        self.queue_read_at = float("-inf")

    @property
    def url(self) -> str:
        return self.app.base_url

    @property
    def load(self) -> int:
        """This client's jobs in flight there, plus the others' jobs in its queue.

        The queue size counts this client's queued jobs too: only what exceeds them is
        someone else's (``max``), so that a replica whose queue was read just now does not
        count this client's jobs twice and look busier than one read a second ago.
        """
        return max(self.in_flight, self.queue_size)

    def __repr__(self) -> str:
        return f"Replica({self.url!r}, in_flight={self.in_flight})"


class ReplicaSet:
    """The replicas of one Space id. Thread-safe."""

    def __init__(
        self,
        space_id: str,
        apps: Sequence[GradioApp],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.space_id = space_id
        self.replicas = tuple(Replica(app, number) for number, app in enumerate(apps, 1))
        self._clock = clock
        self._lock = threading.Lock()
        # where the turns start: random, so that one-job clients (a CLI run, a worker's first
        # task) do not all pick the first replica
        self._turn = random.randrange(len(self.replicas)) if self.replicas else 0

    def __len__(self) -> int:
        return len(self.replicas)

    def choose(self, excluded: Sequence[Replica], scope: CancelScope) -> Replica:
        """The least loaded replica not in ``excluded``, counted as one more job in flight.

        Resting replicas are passed over unless every candidate rests.
        """
        now = self._clock()
        candidates = [replica for replica in self.replicas if replica not in excluded]
        awake = [replica for replica in candidates if replica.resting_until <= now]
        pool = awake or candidates
        for replica in pool:
            self._refresh_queue_size(replica, scope)
        with self._lock:
            loads = [replica.load for replica in pool]
            tied = [replica for replica, load in zip(pool, loads) if load == min(loads)]
            chosen = tied[self._turn % len(tied)]
            self._turn += 1
            chosen.in_flight += 1
        return chosen

    def release(self, replica: Replica) -> None:
        """The job placed on ``replica`` ended (or moved on)."""
        with self._lock:
            replica.in_flight -= 1

    def rest(self, replica: Replica) -> None:
        """Pass ``replica`` over for :data:`REST_SECONDS`."""
        with self._lock:
            replica.resting_until = self._clock() + REST_SECONDS

    def _refresh_queue_size(self, replica: Replica, scope: CancelScope) -> None:
        """Read the replica's ``queue/status`` when the last reading is stale.

        Only for a replica whose ``/config`` is known: choosing must not wait for a first
        contact. A failed reading keeps the last one; the job itself will find out.
        """
        now = self._clock()
        with self._lock:
            if now - replica.queue_read_at < QUEUE_STATUS_SECONDS or not replica.app.has_info:
                return
            replica.queue_read_at = now  # one reader at a time; the others use the last value
        try:
            size = _queue_size(replica.app, scope)
        except HFSpaceError as error:
            logger.info("queue/status of %s failed: %s", replica.url, error)
            return
        with self._lock:
            replica.queue_size = size


def _queue_size(app: GradioApp, scope: CancelScope) -> int:
    from .http import read_json
    from .queue_status import parse_queue_status

    response = app.http.request(
        "GET",
        app.api_url("/queue/status", scope),
        space=app.space_id,
        scope=scope,
        read_timeout=_QUEUE_STATUS_READ_TIMEOUT,
    )
    answer = read_json(response, space=app.space_id, what="/queue/status")
    return parse_queue_status(answer, space=app.space_id).queue_size


# --- where one job runs ----------------------------------------------------------------------


class Placement:
    """The replica one job runs on, per Space id, and what it has sent so far."""

    def __init__(self, scope: CancelScope) -> None:
        self.scope = scope
        self.submitting = False  # a submission was (being) sent to the placed replica
        self.accepted = False  # a replica accepted the job: it is never sent elsewhere
        self._placed: dict[str, tuple[ReplicaSet, Replica]] = {}
        self._tried: dict[str, list[Replica]] = {}
        self._failures: dict[str, dict[str, HFSpaceError]] = {}

    def app(self, replicas: ReplicaSet) -> GradioApp:
        """The replica of ``replicas`` this job runs on, chosen on first use."""
        key = replicas.space_id.lower()
        placed = self._placed.get(key)
        if placed is None:
            replica = replicas.choose(self._tried.get(key, []), self.scope)
            self._placed[key] = (replicas, replica)
            self.scope.publish(
                Reasoning(
                    status=f"On replica {replica.number} of {len(replicas)} of "
                    f"{replicas.space_id} ({replica.url})"
                )
            )
            return replica.app
        return placed[1].app

    @property
    def replica_urls(self) -> list[str]:
        """The base URLs of the replicas this job is placed on (Spaces with replicas only)."""
        return [replica.url for _, replica in self._placed.values()]

    def move_on(self, error: HFSpaceError) -> bool:
        """After ``error``: rest the replica that caused it and unplace the job, if the job
        may go to another replica (nothing was accepted, a replica is left). True if so."""
        if self.accepted or self.scope.cancelled or not _refused(error, self.submitting):
            return False
        key = (error.space or "").lower()
        placed = self._placed.get(key)
        if placed is None:
            return False
        replicas, replica = placed
        replicas.rest(replica)
        replicas.release(replica)
        del self._placed[key]
        self._tried.setdefault(key, []).append(replica)
        self._failures.setdefault(key, {})[replica.url] = error
        self.submitting = False
        logger.info("%s failed before accepting the job (%s); trying another", replica.url, error)
        return len(self._tried[key]) < len(replicas)

    def all_failed(self, error: HFSpaceError) -> HFSpaceError:
        """The error to raise: every replica's failure when all of a Space's failed."""
        key = (error.space or "").lower()
        failures = self._failures.get(key)
        if failures and error in failures.values() and len(failures) > 1:
            return AllReplicasFailedError(error.space or key, failures)
        return error

    def release(self) -> None:
        for replicas, replica in self._placed.values():
            replicas.release(replica)
        self._placed.clear()


def _refused(error: HFSpaceError, submitting: bool) -> bool:
    """Whether a replica turned the job down, so that another may take it.

    Before the submission was sent, any failure of the replica counts. While it was sent, only
    an answer that says no (5xx, 429, a full queue, a Space not running) or a connection that
    never opened: anything else may have reached the Space.
    """
    if isinstance(error, (QueueFullError, SpaceNotRunningError)):
        return True
    if isinstance(error, ResponseStatusError):
        return error.status_code >= 500 or error.status_code == 429
    if submitting:
        from .http.errors import never_sent

        return never_sent(error)
    if isinstance(error, SpaceSchemaError):
        return False  # the Space's code, the same on every replica
    return isinstance(error, (SpaceConnectionError, SpaceTimeoutError, ProtocolError))


_current: ContextVar[Optional[Placement]] = ContextVar("hfspace_sdk_placement", default=None)


def current_placement() -> Optional[Placement]:
    """The placement of the job running in this thread, if any."""
    return _current.get()


def mark_submitting() -> None:
    """The job's submission is about to be sent (called by the transport)."""
    placement = _current.get()
    if placement is not None:
        placement.submitting = True


def mark_accepted() -> None:
    """A Space accepted the job: it will not go to another replica."""
    placement = _current.get()
    if placement is not None:
        placement.accepted = True


def run_placed(run: Callable[[], Iterator[Event]], scope: CancelScope) -> Iterator[Event]:
    """Run a job's events with a placement, moving to another replica while none accepted it.

    A replica's answer is marked on the job's images (``options["replica"]``).
    """
    placement = Placement(scope)
    token = _current.set(placement)
    try:
        while True:
            try:
                for event in run():
                    if isinstance(event, ImageResponse) and placement.replica_urls:
                        event.options["replica"] = placement.replica_urls[-1]
                    yield event
                return
            except HFSpaceError as error:
                if placement.move_on(error):
                    continue
                final = placement.all_failed(error)
                if final is error:
                    raise
                raise final from error
    finally:
        placement.release()
        _current.reset(token)

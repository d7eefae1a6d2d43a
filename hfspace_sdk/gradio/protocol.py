"""The interface every Gradio protocol implements, and the one runner that drives them all."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional, Protocol, TypeVar

from ..cancel import CancelScope
from ..errors import HFSpaceError, JobCancelledError, ProtocolError, SpaceError, space_error
from ..replicas import mark_accepted, mark_submitting
from .messages import TERMINAL_EVENTS, Completed, Failed, TransportEvent, Unexpected
from .space import GradioApp

__all__ = [
    "Accepted",
    "GradioProtocol",
    "accepted_event_id",
    "cancel_quietly",
    "result_or_raise",
    "run_job",
]

logger = logging.getLogger(__name__)

CallT = TypeVar("CallT")
CallT_contra = TypeVar("CallT_contra", contravariant=True)

_CANCEL_READ_SECONDS = 0.5


@dataclass(frozen=True)
class Accepted:
    """A job the Space took: the id its events and its cancel name, and how to report a failure.

    Attributes:
        event_id: the Space's id for the job (None for ``run/predict``, which has no queue).
        hidden_error_hint: added to an error the Space sent without its text.
    """

    event_id: Optional[str]
    hidden_error_hint: str = ""


class GradioProtocol(Protocol[CallT_contra]):
    """One way of calling a Space function: ``/call/<api>``, the queue, or ``run/predict``."""

    def submit(self, space: GradioApp, call: CallT_contra, scope: CancelScope) -> Accepted:
        """Send the call; the accepted job.

        Raises:
            ProtocolError: the Space accepted it without an event id.
            ResponseStatusError (and subclasses), SpaceConnectionError, SpaceTimeoutError,
            JobCancelledError: from the request.
        """
        ...

    def events(
        self, space: GradioApp, call: CallT_contra, accepted: Accepted, scope: CancelScope
    ) -> Iterator[TransportEvent]:
        """The job's events, up to and including the terminal one.

        Raises:
            ProtocolError: the stream ended without a result.
            SpaceConnectionError, SpaceTimeoutError, JobCancelledError: from the connection.
        """
        ...

    def cancel(self, space: GradioApp, call: CallT_contra, accepted: Accepted) -> None:
        """Ask the Space to drop the job. Best effort: never raises."""
        ...


def run_job(
    protocol: GradioProtocol[CallT], space: GradioApp, call: CallT, *, scope: CancelScope
) -> Iterator[TransportEvent]:
    """Submit ``call`` and stream its job; raise the Space's error; cancel the job if stopped.

    Yields the non-terminal events, then a final ``Completed`` with the outputs. When the
    stream ends without a terminal event (cancel, timeout, cut connection), the Space is asked
    to cancel the job once the caller has its outcome (see :meth:`CancelScope.defer`).
    """
    mark_submitting()
    try:
        accepted = protocol.submit(space, call, scope)
    except HFSpaceError as failure:  # perhaps a Space asleep or paused since its /config
        if not space.woken_after(failure, scope):
            raise
        accepted = protocol.submit(space, call, scope)  # no app ran: nothing was accepted
    mark_accepted()
    finished = False
    try:
        for event in protocol.events(space, call, accepted, scope):
            finished = isinstance(event, TERMINAL_EVENTS)  # the Space ended the job: no cancel
            result_or_raise(event, space, hidden_hint=accepted.hidden_error_hint)
            yield event
    finally:
        if not finished:
            scope.defer(lambda: protocol.cancel(space, call, accepted))


def accepted_event_id(body: Any, space: GradioApp, what: str) -> str:
    """The event id of a submission's JSON answer.

    Raises:
        ProtocolError: the answer has no event id.
    """
    event_id = body.get("event_id") if isinstance(body, dict) else None
    if not isinstance(event_id, str) or not event_id:
        raise ProtocolError(
            f"{space.space_id} accepted {what} without an event id", space=space.space_id
        )
    return event_id


def result_or_raise(
    event: TransportEvent, space: GradioApp, *, hidden_hint: str = ""
) -> Optional[list[object]]:
    """The output data of a terminal event; the error it stands for otherwise.

    Returns None for events that are not terminal.

    Raises:
        SpaceError, QuotaExceededError: the Space reported a failure.
        JobCancelledError: the Space cancelled the job.
        ProtocolError: the Space did not know the job.
    """
    if isinstance(event, Completed):
        if event.data is None:
            raise JobCancelledError("The Space cancelled the job", space=space.space_id)
        return event.data
    if isinstance(event, Failed):
        error: SpaceError = space_error(event.message, space=space.space_id, title=event.title)
        if event.message is None and hidden_hint:
            error.message = f"{error.message}; {hidden_hint}"
        raise error
    if isinstance(event, Unexpected):
        raise ProtocolError(
            f"{space.space_id} could not stream the job: {event.message}", space=space.space_id
        )
    return None


def cancel_quietly(space: GradioApp, *, session_hash: str, fn_index: int, event_id: str) -> None:
    """POST Gradio's ``/cancel`` for a job we stopped waiting for. Best effort: never raises.

    The Space frees the job's queue slot; a function already running finishes in its thread.
    """
    try:
        space.http.request(
            "POST",
            space.api_url("/cancel"),
            space=space.space_id,
            json={"session_hash": session_hash, "fn_index": fn_index, "event_id": event_id},
            # The Space acts on the request when it arrives; waiting long for its answer would
            # only hold the caller's error.
            read_timeout=_CANCEL_READ_SECONDS,
        )
        logger.info("Cancelled %s on %s", event_id, space.space_id)
    except HFSpaceError as exc:
        logger.debug("Could not cancel %s on %s: %s", event_id, space.space_id, exc)

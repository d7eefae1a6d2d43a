"""Gradio's direct ``run/predict`` route: one POST, one JSON answer (for ``queue=False`` events)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..cancel import CancelScope
from ..errors import ProtocolError, ResponseStatusError, space_error
from ..http import read_json
from .messages import Completed, TransportEvent
from .protocol import Accepted
from .queue_api import QueuedCall
from .space import GradioApp

__all__ = ["RUN_PREDICT", "RunPredict"]


class RunPredict:
    """``POST {prefix}/run/predict``. No queue: nothing is accepted before the answer, whose
    outputs are the one event, and nothing is left on the Space to cancel."""

    def submit(self, space: GradioApp, call: QueuedCall, scope: CancelScope) -> Accepted:
        """Nothing to send yet: the POST is the job's event stream."""
        return Accepted(None)

    def events(
        self, space: GradioApp, call: QueuedCall, accepted: Accepted, scope: CancelScope
    ) -> Iterator[TransportEvent]:
        """Run ``call``; one ``Completed`` with its outputs.

        Raises:
            SpaceError, QuotaExceededError: the function failed (Gradio answers 500 with the error).
            ResponseStatusError: any other error status.
            ProtocolError: the answer has no output data.
        """
        yield Completed(data=_predict(space, call, scope))

    def cancel(self, space: GradioApp, call: QueuedCall, accepted: Accepted) -> None:
        """Nothing to do: the job's scope already aborted its one request."""


def _predict(space: GradioApp, call: QueuedCall, scope: CancelScope) -> list[Any]:
    url = space.api_url("/run/predict", scope)
    payload = call.payload()
    body = {
        key: payload[key]
        for key in ("data", "event_data", "fn_index", "session_hash", "trigger_id")
    }
    try:
        response = space.http.request(
            "POST", url, space=space.space_id, scope=scope, json=body, headers=call.headers
        )
    except ResponseStatusError as exc:
        if exc.status_code == 500 and isinstance(exc.body, Mapping) and "error" in exc.body:
            error = exc.body.get("error")
            title = exc.body.get("title")
            raise space_error(
                str(error) if error else None,
                space=space.space_id,
                title=title if isinstance(title, str) else None,
            ) from exc
        raise
    answer = read_json(response, space=space.space_id, what="run/predict")
    data = answer.get("data") if isinstance(answer, Mapping) else None
    if not isinstance(data, list):
        raise ProtocolError(
            f"{space.space_id} answered run/predict without output data", space=space.space_id
        )
    return data


#: The ``run/predict`` route (stateless).
RUN_PREDICT = RunPredict()

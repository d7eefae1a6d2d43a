"""Gradio's direct ``run/predict`` route: one POST, one JSON answer (for ``queue=False`` events)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..cancel import CancelScope
from ..errors import ProtocolError, ResponseStatusError, space_error
from ..http import read_json
from .queue_api import QueuedCall
from .space import Space

__all__ = ["predict"]


def predict(
    space: Space, call: QueuedCall, *, headers: Mapping[str, str], scope: CancelScope
) -> list[Any]:
    """Run ``call`` directly and return its output values.

    Raises:
        SpaceError, QuotaExceededError: the function failed (Gradio answers 500 with the error).
        ResponseStatusError: any other error status.
        ProtocolError: the answer has no output data.
    """
    url = space.api_url("/run/predict", scope)
    payload = call.payload()
    body = {
        key: payload[key]
        for key in ("data", "event_data", "fn_index", "session_hash", "trigger_id")
    }
    try:
        response = space.http.request(
            "POST", url, space=space.space_id, scope=scope, json=body, headers=dict(headers)
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

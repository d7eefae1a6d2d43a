"""Pure decoders for what Gradio servers send while a job runs: queue messages, ``/call`` events, diffs.

Everything here works on plain decoded JSON and returns transport events; nothing does I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..errors import ProtocolError

__all__ = [
    "Completed",
    "Estimation",
    "Failed",
    "Generating",
    "Heartbeat",
    "Log",
    "Progress",
    "ProgressUnit",
    "QueueDecoder",
    "Started",
    "StreamClosed",
    "TransportEvent",
    "Unexpected",
    "apply_diff",
    "parse_call_event",
]


# --- transport events ----------------------------------------------------------------------


@dataclass(frozen=True)
class Estimation:
    """The job waits in the queue. ``rank`` 0 means it runs next."""

    rank: Optional[int] = None
    queue_size: Optional[int] = None
    eta: Optional[float] = None


@dataclass(frozen=True)
class Started:
    """The Space started running the job."""

    eta: Optional[float] = None


@dataclass(frozen=True)
class ProgressUnit:
    """One progress bar of the Space's function."""

    index: Optional[int]
    length: Optional[int]
    desc: Optional[str] = None
    unit: Optional[str] = None


@dataclass(frozen=True)
class Progress:
    """A progress update; no units means a tracked loop just finished."""

    units: tuple[ProgressUnit, ...] = ()


@dataclass(frozen=True)
class Log:
    """A ``gr.Info``/``gr.Warning`` message from the Space."""

    message: str
    level: str = "info"
    title: Optional[str] = None


@dataclass(frozen=True)
class Heartbeat:
    """Keep-alive sent every 15 s of silence."""


@dataclass(frozen=True)
class Generating:
    """An intermediate output of a generator function: the full output values."""

    data: list[Any]


@dataclass(frozen=True)
class Completed:
    """The job finished. ``data`` is None when it was cancelled on the server."""

    data: Optional[list[Any]]


@dataclass(frozen=True)
class Failed:
    """The job failed. ``message`` is None when Gradio hid the error."""

    message: Optional[str]
    title: Optional[str] = None


@dataclass(frozen=True)
class Unexpected:
    """The server could not serve the stream at all (unknown session or event)."""

    message: str


@dataclass(frozen=True)
class StreamClosed:
    """The server closes the stream: no more messages for this session."""


TransportEvent = Union[
    Estimation,
    Started,
    Progress,
    Log,
    Heartbeat,
    Generating,
    Completed,
    Failed,
    Unexpected,
    StreamClosed,
]
TERMINAL_EVENTS = (Completed, Failed, Unexpected)


# --- generator diffs ------------------------------------------------------------------------


def _apply_edit(target: Any, path: Sequence[Any], action: str, value: Any) -> Any:
    if not path:
        if action == "replace":
            return value
        if action == "append":
            return target + value
        raise ProtocolError(f"Diff action {action!r} cannot apply to a whole value")
    container = target
    for key in path[:-1]:
        container = container[key]
    last = path[-1]
    if action == "replace":
        container[last] = value
    elif action == "append":
        container[last] += value
    elif action == "add":
        if isinstance(container, list):
            container.insert(int(last), value)
        else:
            container[last] = value
    elif action == "delete":
        del container[last]
    else:
        raise ProtocolError(f"Unknown diff action {action!r}")
    return target


def apply_diff(value: Any, diff: Any) -> Any:
    """Apply a Gradio output diff (``[[action, path, value], ...]``) to a copy of ``value``.

    Raises:
        ProtocolError: the diff is malformed or does not fit the value.
    """
    if not isinstance(diff, list):
        raise ProtocolError(f"Malformed output diff: {diff!r:.200}")
    result = copy.deepcopy(value)
    for edit in diff:
        if not (isinstance(edit, list) and len(edit) == 3 and isinstance(edit[1], list)):
            raise ProtocolError(f"Malformed output diff edit: {edit!r:.200}")
        action, path, new_value = edit
        try:
            result = _apply_edit(result, path, str(action), new_value)
        except (KeyError, IndexError, TypeError, ValueError, OverflowError) as exc:
            raise ProtocolError(
                f"Output diff does not fit the previous value: {edit!r:.200}"
            ) from exc
    return result


# --- queue protocol (sse_v3) ----------------------------------------------------------------


def _int_or_none(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float_or_none(value: Any) -> Optional[float]:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float: no usable estimate
        return None


def _str_or_none(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _progress(message: Mapping[str, Any]) -> Progress:
    progress_data = message.get("progress_data")
    if progress_data is not None and not isinstance(progress_data, list):
        raise ProtocolError(f"Malformed progress message: {progress_data!r:.200}")
    units = []
    for unit in progress_data or []:
        if isinstance(unit, Mapping):
            units.append(
                ProgressUnit(
                    index=_int_or_none(unit.get("index")),
                    length=_int_or_none(unit.get("length")),
                    desc=_str_or_none(unit.get("desc")),
                    unit=_str_or_none(unit.get("unit")),
                )
            )
    return Progress(units=tuple(units))


def _output(message: Mapping[str, Any]) -> Mapping[str, Any]:
    output = message.get("output")
    if not isinstance(output, Mapping):
        raise ProtocolError(f"{message.get('msg')} message without an output object")
    return output


def _output_data(output: Mapping[str, Any]) -> list[Any]:
    data = output.get("data")
    if not isinstance(data, list):
        raise ProtocolError("Output without a data list")
    return data


class QueueDecoder:
    """Turns the messages of one queue job into transport events.

    Holds the last full output so that generator diffs can be applied; otherwise pure.
    """

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self._last_output: Optional[list[Any]] = None

    def decode(self, message: Any) -> Optional[TransportEvent]:
        """The event for one decoded ``data:`` line; None for messages to ignore.

        Raises:
            ProtocolError: the message is malformed.
        """
        if not isinstance(message, Mapping) or not isinstance(message.get("msg"), str):
            raise ProtocolError(f"Malformed queue message: {message!r:.200}")
        kind = message["msg"]
        event_id = message.get("event_id")
        if kind == "heartbeat":
            return Heartbeat()
        if kind == "close_stream":
            return StreamClosed()
        if kind == "unexpected_error":
            return Unexpected(str(message.get("message") or "unexpected error"))
        if event_id is not None and event_id != self.event_id:
            return None  # another job of the same session
        return self._decode_job_message(kind, message)

    def _decode_job_message(
        self, kind: str, message: Mapping[str, Any]
    ) -> Optional[TransportEvent]:
        if kind == "estimation":
            return Estimation(
                rank=_int_or_none(message.get("rank")),
                queue_size=_int_or_none(message.get("queue_size")),
                eta=_float_or_none(message.get("rank_eta")),
            )
        if kind == "process_starts":
            return Started(eta=_float_or_none(message.get("eta")))
        if kind == "progress":
            return _progress(message)
        if kind == "log":
            return Log(
                message=str(message.get("log", "")),
                level=str(message.get("level") or "info"),
                title=_str_or_none(message.get("title")),
            )
        if kind == "process_generating":
            return self._generating(_output(message))
        if kind == "process_completed":
            return self._completed(message)
        return None

    def _generating(self, output: Mapping[str, Any]) -> Generating:
        data = _output_data(output)
        if self._last_output is None:
            self._last_output = data
        else:
            if len(data) != len(self._last_output):
                raise ProtocolError("Output diff has a different number of outputs")
            self._last_output = [
                apply_diff(old, diff) for old, diff in zip(self._last_output, data)
            ]
        return Generating(data=self._last_output)

    def _completed(self, message: Mapping[str, Any]) -> TransportEvent:
        output = _output(message)
        if message.get("success") is False or "error" in output:
            error = output.get("error")
            title = _str_or_none(output.get("title")) or _str_or_none(message.get("title"))
            return Failed(message=str(error) if error else None, title=title)
        if "data" not in output:
            return Completed(data=None)  # cancelled on the server
        return Completed(data=_output_data(output))


# --- /call protocol -------------------------------------------------------------------------


def parse_call_event(event: str, data: Any) -> Optional[TransportEvent]:
    """The transport event for one ``/call`` SSE event (``data`` already JSON-decoded).

    Raises:
        ProtocolError: a ``generating``/``complete`` event without a list of outputs.
    """
    if event == "heartbeat":
        return Heartbeat()
    if event == "generating":
        if not isinstance(data, list):
            raise ProtocolError("A /call 'generating' event without a list of outputs")
        return Generating(data=data)
    if event == "complete":
        if data is None:
            return Completed(data=None)
        if not isinstance(data, list):
            raise ProtocolError("A /call 'complete' event without a list of outputs")
        return Completed(data=data)
    if event == "error":
        if isinstance(data, str):
            return Unexpected(data)
        if isinstance(data, Mapping):
            error = data.get("error")
            return Failed(
                message=str(error) if error else None, title=_str_or_none(data.get("title"))
            )
        return Failed(message=None)
    return None

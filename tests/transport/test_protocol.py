"""The one interface of the three Gradio protocols, and the runner they share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gradio_answers import BASE, CONFIG_6

from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.errors import ProtocolError, SpaceError
from hfspace_sdk.gradio.messages import Completed, Failed, Heartbeat, TransportEvent
from hfspace_sdk.gradio.predict_api import RUN_PREDICT
from hfspace_sdk.gradio.protocol import Accepted, accepted_event_id, run_job
from hfspace_sdk.gradio.space import GradioApp


class Scripted:
    """A protocol that plays a script of events and records what the runner asked of it.

    (mypy checks that CALL_API, QUEUE and RUN_PREDICT implement GradioProtocol where the
    providers pass them to run_job.)
    """

    def __init__(self, *events: TransportEvent, hint: str = "") -> None:
        self.script = events
        self.hint = hint
        self.calls: list[str] = []

    def submit(self, space: GradioApp, call: str, scope: CancelScope) -> Accepted:
        self.calls.append(f"submit {call}")
        return Accepted("e1", hidden_error_hint=self.hint)

    def events(
        self, space: GradioApp, call: str, accepted: Accepted, scope: CancelScope
    ) -> Iterator[TransportEvent]:
        self.calls.append(f"events {accepted.event_id}")
        yield from self.script

    def cancel(self, space: GradioApp, call: str, accepted: Accepted) -> None:
        self.calls.append(f"cancel {accepted.event_id}")


def test_a_finished_job_is_not_cancelled(space, scope):
    protocol = Scripted(Heartbeat(), Completed(data=["ok"]))
    assert list(run_job(protocol, space, "c", scope=scope)) == [Heartbeat(), Completed(data=["ok"])]
    scope.run_deferred()
    assert protocol.calls == ["submit c", "events e1"]


def test_a_job_left_early_is_cancelled_after_the_caller_has_its_outcome(space, scope):
    protocol = Scripted(Heartbeat(), Heartbeat())
    events = run_job(protocol, space, "c", scope=scope)
    assert next(events) == Heartbeat()
    events.close()
    assert protocol.calls == ["submit c", "events e1"], "deferred, not yet"
    scope.run_deferred()
    assert protocol.calls[-1] == "cancel e1"


def test_a_failure_the_space_reported_is_not_cancelled(space, scope):
    protocol = Scripted(Failed(message=None, title=None), hint="a hint")
    with pytest.raises(SpaceError, match="hid its message.*; a hint$"):
        list(run_job(protocol, space, "c", scope=scope))
    scope.run_deferred()
    assert "cancel e1" not in protocol.calls


def test_an_accepted_job_needs_an_event_id(space):
    assert accepted_event_id({"event_id": "abc"}, space, "queue/join") == "abc"
    for body in ({}, {"event_id": ""}, {"event_id": 5}, ["abc"], None):
        with pytest.raises(ProtocolError, match="accepted queue/join without an event id"):
            accepted_event_id(body, space, "queue/join")


def test_run_predict_has_nothing_to_cancel(mocked, space, scope):
    from hfspace_sdk.gradio.queue_api import QueuedCall

    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/run/predict", status=503, body="down")
    call = QueuedCall(fn_index=3, trigger_id=10, data=[], session_hash="s")
    with pytest.raises(Exception, match="503"):
        list(run_job(RUN_PREDICT, space, call, scope=scope))
    scope.run_deferred()
    assert [c.request.url for c in mocked.calls if c.request.url.endswith("/cancel")] == []

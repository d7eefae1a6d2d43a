"""The pure parsers of the ZeroGPU quota and of a Space's queue status, and the CLI's layout."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfspace_sdk import ProtocolError, QueueStatus, ZeroGPUQuota
from hfspace_sdk.cli.quota_command import quota_json, quota_lines, quota_warning
from hfspace_sdk.queue_status import parse_queue_status
from hfspace_sdk.quota import parse_zerogpu_quota

HUB_ANSWER = {
    "base": 2400,
    "current": 1810,
    "resetsAt": "2026-12-06T00:00:00.000Z",
    "overquotaUsed": 0,
}


def test_the_hubs_answer_is_read_in_seconds_with_an_aware_utc_reset_time() -> None:
    quota = parse_zerogpu_quota(HUB_ANSWER)
    assert quota == ZeroGPUQuota(
        base=2400,
        remaining=1810,
        resets_at=datetime(2026, 12, 6, tzinfo=timezone.utc),
        overquota_used=0,
    )
    assert quota.resets_at is not None and quota.resets_at.utcoffset() is not None
    assert quota.fraction_left == pytest.approx(1810 / 2400)
    assert not quota.is_low
    with pytest.raises(AttributeError):
        quota.base = 1  # type: ignore[misc]  # frozen


def test_no_reset_time_when_nothing_was_used_and_offsets_become_utc() -> None:
    assert parse_zerogpu_quota({**HUB_ANSWER, "resetsAt": None}).resets_at is None
    shifted = parse_zerogpu_quota({**HUB_ANSWER, "resetsAt": "2026-12-06T02:00:00+02:00"})
    assert shifted.resets_at == datetime(2026, 12, 6, tzinfo=timezone.utc)
    assert shifted.resets_at is not None and shifted.resets_at.tzinfo == timezone.utc
    naive = parse_zerogpu_quota({**HUB_ANSWER, "resetsAt": "2026-12-06T00:00:00"})
    assert naive.resets_at == datetime(2026, 12, 6, tzinfo=timezone.utc)


def test_fraction_left_is_clamped_and_a_zero_base_has_nothing_left() -> None:
    assert parse_zerogpu_quota({**HUB_ANSWER, "current": 239.5}).is_low
    assert not parse_zerogpu_quota({**HUB_ANSWER, "current": 240}).is_low
    assert parse_zerogpu_quota({**HUB_ANSWER, "current": 5000}).fraction_left == 1.0
    assert parse_zerogpu_quota({**HUB_ANSWER, "base": 0, "current": 0}).fraction_left == 0.0


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ([1, 2], "not a JSON object"),
        ("quota", "not a JSON object"),
        ({k: v for k, v in HUB_ANSWER.items() if k != "base"}, "'base'"),
        ({k: v for k, v in HUB_ANSWER.items() if k != "current"}, "'current'"),
        ({k: v for k, v in HUB_ANSWER.items() if k != "resetsAt"}, "'resetsAt'"),
        ({k: v for k, v in HUB_ANSWER.items() if k != "overquotaUsed"}, "'overquotaUsed'"),
        ({**HUB_ANSWER, "base": "2400"}, "'base'"),
        ({**HUB_ANSWER, "current": True}, "'current'"),
        ({**HUB_ANSWER, "current": -1}, "negative 'current'"),
        ({**HUB_ANSWER, "overquotaUsed": None}, "'overquotaUsed'"),
        ({**HUB_ANSWER, "base": float("nan")}, "'base'"),
        ({**HUB_ANSWER, "resetsAt": 1765000000}, "'resetsAt'"),
        ({**HUB_ANSWER, "resetsAt": "tomorrow"}, "'resetsAt'"),
    ],
)
def test_a_malformed_answer_is_a_protocol_error_naming_what_is_wrong(
    answer: Any, named: str
) -> None:
    with pytest.raises(ProtocolError, match=named):
        parse_zerogpu_quota(answer)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_VALUES = st.one_of(
    _JSON,
    st.integers(-10, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(timezones=st.none() | st.just(timezone.utc)).map(lambda d: d.isoformat()),
    st.text(max_size=40).map(lambda t: t + "Z"),
)
_QUOTA_KEYS = ("base", "current", "resetsAt", "overquotaUsed")


@given(st.one_of(_JSON, st.dictionaries(st.sampled_from(_QUOTA_KEYS), _VALUES)))
def test_any_answer_gives_a_quota_or_a_protocol_error(answer: Any) -> None:
    try:
        quota = parse_zerogpu_quota(answer)
    except ProtocolError:
        return
    assert isinstance(quota, ZeroGPUQuota)
    assert quota.resets_at is None or quota.resets_at.tzinfo == timezone.utc
    assert 0.0 <= quota.fraction_left <= 1.0


def test_the_queue_status_of_an_idle_and_a_busy_space() -> None:
    idle = {"msg": "estimation", "event_id": None, "rank": None, "queue_size": 0, "rank_eta": None}
    assert parse_queue_status(idle) == QueueStatus(queue_size=0, eta=None)
    busy = parse_queue_status({**idle, "queue_size": 3, "rank_eta": 12.5})
    assert (busy.queue_size, busy.eta) == (3, 12.5)
    assert parse_queue_status({"queue_size": 1, "rank_eta": 4}).eta == 4.0


@pytest.mark.parametrize(
    "answer",
    [
        None,
        [],
        {"rank_eta": 1},
        {"queue_size": "1"},
        {"queue_size": -1},
        {"queue_size": True},
        {"queue_size": 1.5},
        {"queue_size": 1, "rank_eta": "soon"},
        {"queue_size": 1, "rank_eta": float("inf")},
    ],
)
def test_a_malformed_queue_status_is_a_protocol_error(answer: Any) -> None:
    with pytest.raises(ProtocolError, match="queue status"):
        parse_queue_status(answer, space="owner/name")


@given(
    st.one_of(_JSON, st.dictionaries(st.sampled_from(("queue_size", "rank_eta", "rank")), _VALUES))
)
def test_any_queue_answer_gives_a_status_or_a_protocol_error(answer: Any) -> None:
    try:
        status = parse_queue_status(answer)
    except ProtocolError:
        return
    assert isinstance(status, QueueStatus) and status.queue_size >= 0
    assert status.eta is None or status.eta >= 0


def test_the_cli_lays_out_the_quota_for_people_and_scripts() -> None:
    quota = parse_zerogpu_quota(HUB_ANSWER)
    lines = quota_lines(quota)
    assert lines[0].split() == ["base:", "2400", "s", "(40.0", "min)"]
    assert "1810 s" in lines[1] and "(75%)" in lines[1]
    assert lines[2].endswith("2026-12-06 00:00:00 UTC")
    assert lines[3].split()[-2:] == ["0", "s"]
    assert json.loads(quota_json(quota)) == {
        "base": 2400,
        "remaining": 1810,
        "resets_at": "2026-12-06T00:00:00+00:00",
        "overquota_used": 0,
        "fraction_left": pytest.approx(1810 / 2400),
    }
    assert quota_warning(quota) == ""
    unused = parse_zerogpu_quota({**HUB_ANSWER, "current": 2400, "resetsAt": None})
    assert "nothing used" in quota_lines(unused)[2]
    assert json.loads(quota_json(unused))["resets_at"] is None
    low = parse_zerogpu_quota({**HUB_ANSWER, "current": 100})
    assert quota_warning(low).startswith("warning: less than 10% of your ZeroGPU quota remains")

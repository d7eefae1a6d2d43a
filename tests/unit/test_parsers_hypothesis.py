"""Property tests: the pure parsers and validators fail only with their documented errors."""

from __future__ import annotations

import contextlib
import copy

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hfspace_sdk.errors import (
    InvalidArgumentError,
    ProtocolError,
    ResponseStatusError,
    SpaceError,
    error_for_status,
    parse_quota_message,
    space_error,
)
from hfspace_sdk.gradio.messages import QueueDecoder, apply_diff, parse_call_event
from hfspace_sdk.gradio.sse import SSEEvent, iter_sse
from hfspace_sdk.params import (
    ASPECT_RATIOS,
    MAX_DIMENSION,
    format_prompt,
    last_user_message,
    size_for,
    validate_dimension,
    validate_messages,
    validate_number,
    validate_seed,
    validate_steps,
)

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.integers(min_value=10**308, max_value=10**330)  # beyond float range
    | st.floats()
    | st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=4,
)

EVENT_ID = "e"
QUEUE_KINDS = [
    "estimation",
    "process_starts",
    "progress",
    "log",
    "process_generating",
    "process_completed",
    "heartbeat",
    "close_stream",
    "unexpected_error",
    "send_hash",
]
QUEUE_KEYS = [
    "rank",
    "queue_size",
    "rank_eta",
    "eta",
    "log",
    "level",
    "title",
    "output",
    "success",
    "message",
]
outputs = st.fixed_dictionaries(
    {},
    optional={"data": json_values | st.lists(json_values, max_size=3), "error": json_scalars},
)
progress_data = (
    st.none()
    | json_scalars
    | st.lists(
        st.dictionaries(
            st.sampled_from(["index", "length", "unit", "desc", "progress"]),
            json_scalars,
            max_size=5,
        )
        | json_values,
        max_size=3,
    )
)
structured_messages = st.builds(
    lambda kind, event_id, fields, output, progress: {
        "msg": kind,
        "event_id": event_id,
        **fields,
        **({} if output is None else {"output": output}),
        **({} if progress is None else {"progress_data": progress}),
    },
    st.sampled_from(QUEUE_KINDS),
    st.sampled_from([EVENT_ID, EVENT_ID, None, "other"]),
    st.dictionaries(st.sampled_from(QUEUE_KEYS), json_scalars, max_size=4),
    st.none() | outputs | json_scalars,
    st.none() | progress_data,
)
queue_messages = structured_messages | json_values

path_keys = (
    st.integers(min_value=-3, max_value=5)
    | st.text(max_size=3)
    | st.none()
    | st.booleans()
    | st.floats()
    | st.lists(st.integers(), max_size=1)
)
edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "append", "add", "delete", "other"]) | json_scalars,
        st.lists(path_keys, max_size=3),
        json_values,
    ).map(list),
    max_size=4,
)


# --- iter_sse -------------------------------------------------------------------------------

sse_fragments = st.sampled_from(
    [
        b"data: ",
        b"data:",
        b"event: ",
        b"id: 1",
        b":",
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        b"x",
        b"{}",
        b"\xff",
        b"\xc3",
        b"\xa9",
        b" ",
        b"null",
    ]
)


@SETTINGS
@given(st.lists(st.binary(max_size=24), max_size=12) | st.lists(sse_fragments, max_size=40))
def test_iter_sse_raises_only_protocol_error(chunks):
    try:
        for event in iter_sse(chunks):
            assert isinstance(event, SSEEvent)
            assert isinstance(event.event, str)
            assert isinstance(event.data, str)
    except ProtocolError:
        pass


line_text = st.text(
    st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20
)
sse_events = st.lists(
    st.tuples(
        line_text.filter(lambda name: name.strip() != ""),
        st.lists(line_text, min_size=1, max_size=3).filter(lambda lines: "\n".join(lines) != ""),
    ),
    max_size=5,
)


@SETTINGS
@given(sse_events, st.sampled_from([b"\n", b"\r\n"]), st.data())
def test_iter_sse_round_trip_under_any_chunking(source, newline, data):
    stream = b"".join(
        b"event: "
        + name.encode()
        + newline
        + b"".join(b"data: " + line.encode() + newline for line in lines)
        + newline
        for name, lines in source
    )
    cuts = sorted(data.draw(st.sets(st.integers(0, len(stream)), max_size=8)))
    chunks = [stream[start:end] for start, end in zip([0, *cuts], [*cuts, len(stream)])]
    decoded = [(event.event, event.data) for event in iter_sse(chunks)]
    assert decoded == [(name, "\n".join(lines)) for name, lines in source]


# --- queue messages, /call events, diffs ----------------------------------------------------


@SETTINGS
@given(st.lists(queue_messages, max_size=4))
def test_queue_decoder_raises_only_protocol_error(messages):
    decoder = QueueDecoder(EVENT_ID)
    for message in messages:
        with contextlib.suppress(ProtocolError):
            decoder.decode(message)


@SETTINGS
@given(
    st.sampled_from(["generating", "complete", "error", "heartbeat", "message"]) | st.text(),
    json_values,
)
def test_parse_call_event_raises_only_protocol_error(event, data):
    with contextlib.suppress(ProtocolError):
        parse_call_event(event, data)


@SETTINGS
@given(json_values, json_values | edits)
def test_apply_diff_raises_only_protocol_error_and_keeps_input(value, diff):
    before = repr(value)
    with contextlib.suppress(ProtocolError):
        apply_diff(value, diff)
    assert repr(value) == before


@SETTINGS
@given(json_values, json_values)
def test_apply_diff_replace_whole_value(value, new_value):
    assert apply_diff(value, [["replace", [], new_value]]) is new_value
    assert repr(apply_diff(value, [])) == repr(copy.deepcopy(value))


# --- parameters -----------------------------------------------------------------------------

anything = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.binary(max_size=5)
    | st.lists(st.integers(), max_size=2)
)
ratio_strings = st.from_regex(
    r"\A ?[0-9]{1,5}(\.[0-9]{1,3})? ?: ?[0-9]{1,5}(\.[0-9]{1,3})? ?\Z"
) | st.from_regex(r"\A[0-9]{300,400}:[0-9]{1,400}\Z")
ratios = st.none() | anything | ratio_strings | st.sampled_from(list(ASPECT_RATIOS))


@SETTINGS
@given(anything | st.none(), anything | st.none(), ratios)
def test_size_for_raises_only_invalid_argument(width, height, aspect_ratio):
    try:
        chosen = size_for(width=width, height=height, aspect_ratio=aspect_ratio, default=(64, 48))
    except InvalidArgumentError:
        return
    assert all(type(side) is int and 0 < side <= MAX_DIMENSION for side in chosen)


@SETTINGS
@given(ratio_strings)
def test_computed_ratios_are_multiples_of_8_at_least_32(aspect_ratio):
    try:
        width, height = size_for(aspect_ratio=aspect_ratio, default=(1, 1))
    except InvalidArgumentError:
        assert 0.0 in [float(side) for side in aspect_ratio.split(":")]  # a zero side
        return
    if aspect_ratio.strip() in ASPECT_RATIOS:
        return
    assert width % 8 == 0 and height % 8 == 0
    assert min(width, height) >= 32
    assert max(width, height) <= 1024


@SETTINGS
@example("1.85:1")
@given(ratio_strings)
def test_computed_ratios_have_long_side_1024(aspect_ratio):
    try:
        width, height = size_for(aspect_ratio=aspect_ratio, default=(1, 1))
    except InvalidArgumentError:
        return
    if aspect_ratio.strip() not in ASPECT_RATIOS:
        assert max(width, height) == 1024


@SETTINGS
@given(anything)
def test_validators_raise_only_invalid_argument(value):
    checks = [
        lambda: validate_dimension("width", value),
        lambda: validate_seed(value),
        lambda: validate_steps(value),
        lambda: validate_number("guidance", value, minimum=1.0, maximum=15.0),
    ]
    for check in checks:
        try:
            result = check()
        except InvalidArgumentError:
            continue
        assert result is None or type(result) in (int, float)


@SETTINGS
@given(st.integers() | st.floats())
def test_validated_numbers_are_in_range(value):
    with contextlib.suppress(InvalidArgumentError):
        assert 1 <= validate_dimension("width", value) <= MAX_DIMENSION
    with contextlib.suppress(InvalidArgumentError):
        assert 1 <= validate_steps(value) <= 200
    with contextlib.suppress(InvalidArgumentError):
        assert 1.0 <= validate_number("g", value, minimum=1.0, maximum=15.0) <= 15.0


message_like = st.fixed_dictionaries(
    {},
    optional={
        "role": json_scalars | st.sampled_from(["user", "assistant"]),
        "content": json_values,
    },
)


@SETTINGS
@given(st.lists(message_like | json_values, max_size=5) | json_values)
def test_validate_messages_raises_only_invalid_argument(messages):
    before = repr(messages)
    try:
        checked = validate_messages(messages)
    except InvalidArgumentError:
        assert repr(messages) == before
        return
    assert isinstance(format_prompt(checked), str)
    assert isinstance(last_user_message(checked), str)
    assert repr(messages) == before


# --- errors ---------------------------------------------------------------------------------

quota_texts = st.builds(
    lambda head, marker, tail: head + marker + tail,
    st.text(max_size=20),
    st.sampled_from(
        [
            "You have exceeded your GPU quota (",
            "You have exceeded your free ZeroGPU quota (",
            "exceeded your gpu quota (60s requested vs. 56s left). retry in ",
            "exceeded your GPU quota (46s left vs 60s requested) Try again in 1:",
        ]
    ),
    st.text(alphabet="0123456789s:. ()<>aretquvdlf", max_size=30),
)


@SETTINGS
@given(st.text() | quota_texts)
def test_parse_quota_message_never_raises(text):
    info = parse_quota_message(text)
    if info is not None:
        for seconds in (info.requested, info.left, info.retry_after):
            assert seconds is None or (type(seconds) is int and seconds >= 0)


@SETTINGS
@given(st.none() | st.text() | quota_texts, st.none() | st.text(max_size=10))
def test_space_error_always_builds_a_space_error(message, title):
    error = space_error(message, space="o/n", title=title)
    assert isinstance(error, SpaceError)
    assert isinstance(str(error), str)


@SETTINGS
@given(
    st.integers(min_value=400, max_value=599),
    st.sampled_from(["", "application/json", "text/html", "text/plain"]),
    json_values,
    st.none() | st.text(max_size=8),
)
def test_error_for_status_always_builds_a_status_error(status, content_type, body, retry_after):
    error = error_for_status(status, content_type=content_type, body=body, retry_after=retry_after)
    assert isinstance(error, ResponseStatusError)
    assert error.status_code == status
    assert str(error).startswith(f"Response {status}")

"""Pure decoders for Gradio: /config, sse_v3 queue messages, generator diffs, /call events."""

from __future__ import annotations

import copy
import json

import pytest

from hfspace_sdk.errors import ProtocolError
from hfspace_sdk.gradio.app_config import parse_config
from hfspace_sdk.gradio.messages import (
    Completed,
    Estimation,
    Failed,
    Generating,
    Heartbeat,
    Log,
    Progress,
    ProgressUnit,
    QueueDecoder,
    Started,
    StreamClosed,
    Unexpected,
    apply_diff,
    parse_call_event,
)

E = "15a384ba3f94456cb6839302bd61c985"
OTHER = "6bc49f13d60344ec9ff10fe6b1f91e13"

CONFIG_4_44 = {
    "version": "4.44.1",
    "protocol": "sse_v3",
    "root": "http://127.0.0.1:18401",
    "enable_queue": True,
    "dependencies": [
        {"id": 0, "api_name": False, "targets": [[1, "load"]]},
        {"id": 1, "api_name": "load_example"},
        {"id": 2, "api_name": "infer", "types": {"generator": False}},
    ],
}
CONFIG_6 = {
    "version": "6.31.0",
    "api_prefix": "/gradio_api",
    "protocol": "sse_v3",
    "dependencies": [
        {"id": 0, "api_name": None},
        {"id": 1, "api_name": "chat"},
        {"id": 3, "api_name": "generate_image"},
    ],
}


def file_data(name: str) -> dict:
    return {
        "path": f"/tmp/gradio/{name}/image.webp",
        "url": f"http://127.0.0.1:18603/gradio_api/file=/tmp/gradio/{name}/image.webp",
        "size": None,
        "orig_name": "image.webp",
        "mime_type": None,
        "is_stream": False,
        "meta": {"_type": "gradio.FileData"},
    }


# --- parse_config ---------------------------------------------------------------------------


def test_parse_config_gradio_4_has_no_prefix():
    info = parse_config(CONFIG_4_44)
    assert info.api_prefix == ""
    assert info.version == "4.44.1"
    assert info.major_version == 4
    assert info.protocol == "sse_v3"


def test_parse_config_gradio_6_prefix():
    info = parse_config(CONFIG_6)
    assert info.api_prefix == "/gradio_api"
    assert info.major_version == 6


def test_parse_config_strips_trailing_slash_of_prefix():
    assert parse_config({**CONFIG_6, "api_prefix": "/gradio_api/"}).api_prefix == "/gradio_api"


def test_parse_config_fn_index_by_api_name_uses_dependency_id():
    assert dict(parse_config(CONFIG_4_44).fn_index_by_api_name) == {"load_example": 1, "infer": 2}
    assert dict(parse_config(CONFIG_6).fn_index_by_api_name) == {"chat": 1, "generate_image": 3}


def test_parse_config_fn_index_falls_back_to_position():
    config = {"protocol": "sse_v3", "dependencies": [{"api_name": "a"}, {"api_name": "b"}]}
    assert dict(parse_config(config).fn_index_by_api_name) == {"a": 0, "b": 1}


def test_parse_config_unknown_version_is_major_zero():
    assert parse_config({"protocol": "sse_v3"}).major_version == 0


@pytest.mark.parametrize(
    "config", [{"version": "3.50.2", "protocol": "ws"}, {"version": "3.50.2"}, {"protocol": "sse"}]
)
def test_parse_config_unsupported_protocol(config):
    with pytest.raises(ProtocolError, match="sse_v3"):
        parse_config(config)


@pytest.mark.parametrize("config", [None, [], "config", 4])
def test_parse_config_non_dict(config):
    with pytest.raises(ProtocolError, match="not a JSON object"):
        parse_config(config)


def test_parse_config_malformed_prefix():
    with pytest.raises(ProtocolError, match="api_prefix"):
        parse_config({**CONFIG_6, "api_prefix": 5})


# --- QueueDecoder: a realistic job ----------------------------------------------------------


def test_decoder_realistic_generator_job():
    decoder = QueueDecoder(E)
    first = [file_data("aaa"), 42]
    second_url = "http://127.0.0.1:18603/gradio_api/file=/tmp/gradio/bbb/image.webp"
    second_path = "/tmp/gradio/bbb/image.webp"
    messages = [
        {"msg": "estimation", "event_id": E, "rank": 0, "queue_size": 1, "rank_eta": None},
        {"msg": "process_starts", "event_id": E, "eta": 2.5},
        {
            "msg": "progress",
            "event_id": E,
            "progress_data": [
                {"index": 0, "length": 5, "unit": "steps", "progress": None, "desc": "Generating"}
            ],
        },
        {"msg": "progress", "event_id": E, "progress_data": []},
        {"msg": "log", "event_id": E, "log": "ZeroGPU queue", "level": "warning", "title": "Info"},
        {"msg": "process_generating", "event_id": E, "output": {"data": first}, "success": True},
        {
            "msg": "process_generating",
            "event_id": E,
            "output": {
                "data": [
                    [["replace", ["url"], second_url], ["replace", ["path"], second_path]],
                    [],
                ],
                "is_generating": True,
            },
            "success": True,
        },
        {"msg": "heartbeat", "event_id": None},
        {
            "msg": "process_completed",
            "event_id": E,
            "output": {"data": [file_data("ccc"), 42], "is_generating": False},
            "success": True,
            "title": None,
        },
        {"msg": "close_stream", "event_id": None},
    ]
    events = [decoder.decode(message) for message in messages]
    second = [{**file_data("aaa"), "url": second_url, "path": second_path}, 42]
    assert events == [
        Estimation(rank=0, queue_size=1, eta=None),
        Started(eta=2.5),
        Progress(units=(ProgressUnit(index=0, length=5, desc="Generating", unit="steps"),)),
        Progress(units=()),
        Log(message="ZeroGPU queue", level="warning", title="Info"),
        Generating(data=first),
        Generating(data=second),
        Heartbeat(),
        Completed(data=[file_data("ccc"), 42]),
        StreamClosed(),
    ]
    assert first == [file_data("aaa"), 42]  # the earlier value was not changed in place


def test_decoder_estimation_with_eta():
    message = {"msg": "estimation", "event_id": E, "rank": 3, "queue_size": 7, "rank_eta": 12}
    assert QueueDecoder(E).decode(message) == Estimation(rank=3, queue_size=7, eta=12.0)


def test_decoder_estimation_ignores_non_numeric_fields():
    message = {"msg": "estimation", "event_id": E, "rank": True, "queue_size": "1", "rank_eta": "x"}
    assert QueueDecoder(E).decode(message) == Estimation()


def test_decoder_progress_without_progress_data():
    assert QueueDecoder(E).decode({"msg": "progress", "event_id": E}) == Progress(units=())


def test_decoder_log_defaults_for_gradio_4():
    message = {"msg": "log", "event_id": E, "log": "hello", "level": None}
    assert QueueDecoder(E).decode(message) == Log(message="hello", level="info", title=None)


def test_decoder_completed_failure_with_text_and_title():
    message = {
        "msg": "process_completed",
        "event_id": E,
        "output": {"error": "Prompt must not be empty", "duration": 10, "title": "Error"},
        "success": False,
        "title": "Error",
    }
    assert QueueDecoder(E).decode(message) == Failed(
        message="Prompt must not be empty", title="Error"
    )


def test_decoder_completed_failure_gradio_4_keeps_raw_text():
    message = {
        "msg": "process_completed",
        "event_id": E,
        "output": {"error": "'Prompt must not be empty'"},
        "success": False,
    }
    assert QueueDecoder(E).decode(message) == Failed(message="'Prompt must not be empty'")


def test_decoder_completed_failure_title_from_top_level():
    message = {
        "msg": "process_completed",
        "event_id": E,
        "output": {"error": "quota"},
        "success": False,
        "title": "ZeroGPU quota exceeded",
    }
    assert QueueDecoder(E).decode(message) == Failed(
        message="quota", title="ZeroGPU quota exceeded"
    )


def test_decoder_completed_failure_with_hidden_error():
    message = {
        "msg": "process_completed",
        "event_id": E,
        "output": {"error": None},
        "success": False,
    }
    assert QueueDecoder(E).decode(message) == Failed(message=None, title=None)


def test_decoder_server_side_cancel_is_completed_without_data():
    message = {"msg": "process_completed", "event_id": E, "output": {}, "success": True}
    assert QueueDecoder(E).decode(message) == Completed(data=None)


def test_decoder_completed_without_output_is_protocol_error():
    with pytest.raises(ProtocolError):
        QueueDecoder(E).decode({"msg": "process_completed", "event_id": E, "success": True})


def test_decoder_completed_with_non_list_data_is_protocol_error():
    message = {"msg": "process_completed", "event_id": E, "output": {"data": "x"}, "success": True}
    with pytest.raises(ProtocolError, match="data list"):
        QueueDecoder(E).decode(message)


def test_decoder_generating_diff_with_wrong_output_count_is_protocol_error():
    decoder = QueueDecoder(E)
    decoder.decode({"msg": "process_generating", "event_id": E, "output": {"data": [1, 2]}})
    with pytest.raises(ProtocolError):
        decoder.decode({"msg": "process_generating", "event_id": E, "output": {"data": [[]]}})


def test_decoder_generating_diff_that_does_not_fit_is_protocol_error():
    decoder = QueueDecoder(E)
    decoder.decode({"msg": "process_generating", "event_id": E, "output": {"data": [5]}})
    bad = {"data": [[["replace", ["url"], "x"]]]}
    with pytest.raises(ProtocolError):
        decoder.decode({"msg": "process_generating", "event_id": E, "output": bad})


def test_decoder_streamed_text_append_diffs():
    decoder = QueueDecoder(E)
    decoder.decode({"msg": "process_generating", "event_id": E, "output": {"data": ["Hel"]}})
    event = decoder.decode(
        {"msg": "process_generating", "event_id": E, "output": {"data": [[["append", [], "lo"]]]}}
    )
    assert event == Generating(data=["Hello"])


@pytest.mark.parametrize(
    "message",
    [
        {"msg": "unexpected_error", "event_id": None, "message": "404: Not Found"},
        {"msg": "unexpected_error", "message": "404: Not Found", "session_not_found": True},
    ],
)
def test_decoder_unexpected_error(message):
    assert QueueDecoder(E).decode(message) == Unexpected(message="404: Not Found")


def test_decoder_unexpected_error_without_message():
    decoder = QueueDecoder(E)
    assert decoder.decode({"msg": "unexpected_error"}) == Unexpected(message="unexpected error")


def test_decoder_session_wide_messages_ignore_event_id():
    decoder = QueueDecoder(E)
    assert decoder.decode({"msg": "heartbeat", "event_id": OTHER}) == Heartbeat()
    assert decoder.decode({"msg": "close_stream", "event_id": OTHER}) == StreamClosed()


@pytest.mark.parametrize(
    "message",
    [
        {"msg": "estimation", "event_id": OTHER, "rank": 0},
        {"msg": "process_completed", "event_id": OTHER, "output": {"data": [1]}, "success": True},
        {"msg": "process_generating", "event_id": OTHER, "output": {"data": [1]}},
    ],
)
def test_decoder_ignores_other_jobs(message):
    assert QueueDecoder(E).decode(message) is None


def test_decoder_other_jobs_do_not_disturb_diff_state():
    decoder = QueueDecoder(E)
    decoder.decode({"msg": "process_generating", "event_id": OTHER, "output": {"data": [1, 2]}})
    event = decoder.decode({"msg": "process_generating", "event_id": E, "output": {"data": ["a"]}})
    assert event == Generating(data=["a"])


@pytest.mark.parametrize("kind", ["send_hash", "send_data", "process_streaming", "future"])
def test_decoder_ignores_unknown_messages(kind):
    assert QueueDecoder(E).decode({"msg": kind, "event_id": E}) is None


@pytest.mark.parametrize("message", [None, [], "heartbeat", {}, {"msg": 5}, {"event_id": E}])
def test_decoder_malformed_message_is_protocol_error(message):
    with pytest.raises(ProtocolError, match="Malformed queue message"):
        QueueDecoder(E).decode(message)


@pytest.mark.parametrize("kind", ["process_generating", "process_completed"])
def test_decoder_output_must_be_an_object(kind):
    with pytest.raises(ProtocolError, match="without an output object"):
        QueueDecoder(E).decode({"msg": kind, "event_id": E, "output": [1]})


@pytest.mark.parametrize("progress_data", [5, True, 1.5])
def test_decoder_non_list_progress_data_is_protocol_error_or_empty(progress_data):
    message = {"msg": "progress", "event_id": E, "progress_data": progress_data}
    try:
        event = QueueDecoder(E).decode(message)
    except ProtocolError:
        return
    assert event == Progress(units=())


def test_decoder_huge_eta_does_not_overflow():
    huge = "1" + "0" * 400
    message = json.loads(f'{{"msg": "process_starts", "event_id": "{E}", "eta": {huge}}}')
    try:
        event = QueueDecoder(E).decode(message)
    except ProtocolError:
        return
    assert isinstance(event, Started)


# --- apply_diff -----------------------------------------------------------------------------


def test_apply_diff_replace_nested_key():
    value = {"url": "old", "path": "/old", "meta": {"_type": "gradio.FileData"}}
    diff = [["replace", ["url"], "new"], ["replace", ["path"], "/new"]]
    assert apply_diff(value, diff) == {
        "url": "new",
        "path": "/new",
        "meta": {"_type": "gradio.FileData"},
    }


def test_apply_diff_replace_deep_path_and_list_index():
    value = {"a": [{"b": 1}, {"b": 2}]}
    assert apply_diff(value, [["replace", ["a", 1, "b"], 3]]) == {"a": [{"b": 1}, {"b": 3}]}


def test_apply_diff_append_to_string_and_list():
    assert apply_diff({"t": "Hel"}, [["append", ["t"], "lo"]]) == {"t": "Hello"}
    assert apply_diff([[1]], [["append", [0], [2, 3]]]) == [[1, 2, 3]]


def test_apply_diff_add_inserts_in_list_and_sets_in_dict():
    assert apply_diff([1, 3], [["add", [1], 2]]) == [1, 2, 3]
    assert apply_diff({"a": 1}, [["add", ["b"], 2]]) == {"a": 1, "b": 2}


def test_apply_diff_delete():
    assert apply_diff({"a": 1, "b": 2}, [["delete", ["a"], None]]) == {"b": 2}
    assert apply_diff([1, 2, 3], [["delete", [0], None]]) == [2, 3]


def test_apply_diff_empty_path_replaces_or_appends_whole_value():
    assert apply_diff("old", [["replace", [], "new"]]) == "new"
    assert apply_diff("Hel", [["append", [], "lo"]]) == "Hello"
    assert apply_diff([1], [["append", [], [2]]]) == [1, 2]


def test_apply_diff_empty_diff_is_unchanged_copy():
    value = {"a": [1]}
    result = apply_diff(value, [])
    assert result == value
    assert result is not value


def test_apply_diff_edits_apply_in_order():
    assert apply_diff([], [["append", [], [1]], ["replace", [0], 2], ["add", [0], 0]]) == [0, 2]


def test_apply_diff_does_not_mutate_input():
    value = {"a": {"b": [1, 2]}, "c": "x"}
    snapshot = copy.deepcopy(value)
    apply_diff(value, [["append", ["a", "b"], [3]], ["delete", ["c"], None], ["add", ["d"], 1]])
    assert value == snapshot


@pytest.mark.parametrize(
    "diff",
    [
        "replace",
        None,
        {"replace": []},
        [["replace", ["a"]]],
        [["replace", "a", 1]],
        [("replace", ["a"], 1)],
    ],
)
def test_apply_diff_malformed_diff_is_protocol_error(diff):
    with pytest.raises(ProtocolError, match="Malformed"):
        apply_diff({"a": 0}, diff)


@pytest.mark.parametrize(
    ("value", "edit"),
    [
        ({"a": 0}, ["replace", ["x", "y"], 1]),
        ([1], ["replace", [5], 1]),
        ([1], ["delete", ["a"], None]),
        ({"a": 0}, ["delete", ["b"], None]),
        ("text", ["replace", [0], "x"]),
        ("text", ["append", [], 5]),
        ([1], ["add", ["x"], 2]),
        ({"a": 0}, ["add", [], 1]),
        ({"a": 0}, ["delete", [], None]),
        ({"a": 0}, ["explode", ["a"], 1]),
        ({"a": 0}, ["replace", [["unhashable"]], 1]),
    ],
)
def test_apply_diff_edit_that_does_not_fit_is_protocol_error(value, edit):
    with pytest.raises(ProtocolError):
        apply_diff(value, [edit])


def test_apply_diff_infinite_add_index_is_protocol_error():
    with pytest.raises(ProtocolError):
        apply_diff([1, 2], json.loads('[["add", [Infinity], 3]]'))


# --- parse_call_event -----------------------------------------------------------------------


def test_call_generating_event():
    assert parse_call_event("generating", [file_data("a"), 1]) == Generating(
        data=[file_data("a"), 1]
    )


def test_call_complete_event():
    assert parse_call_event("complete", [file_data("a"), 197537]) == Completed(
        data=[file_data("a"), 197537]
    )


def test_call_complete_null_is_cancelled():
    assert parse_call_event("complete", None) == Completed(data=None)


@pytest.mark.parametrize("event", ["generating", "complete"])
@pytest.mark.parametrize("data", [{"data": []}, "x", 5])
def test_call_outputs_must_be_a_list(event, data):
    with pytest.raises(ProtocolError):
        parse_call_event(event, data)


def test_call_generating_null_is_protocol_error():
    with pytest.raises(ProtocolError):
        parse_call_event("generating", None)


def test_call_error_gradio_6_dict():
    data = {"error": "Prompt must not be empty", "duration": 10, "visible": True, "title": "Error"}
    assert parse_call_event("error", data) == Failed(
        message="Prompt must not be empty", title="Error"
    )


def test_call_error_gradio_6_hidden():
    assert parse_call_event("error", {"error": None}) == Failed(message=None, title=None)


def test_call_error_null_on_gradio_4_and_5():
    assert parse_call_event("error", None) == Failed(message=None)


@pytest.mark.parametrize("text", ["404: Not Found", "404: Session not found."])
def test_call_error_string_is_unexpected(text):
    assert parse_call_event("error", text) == Unexpected(message=text)


def test_call_heartbeat():
    assert parse_call_event("heartbeat", None) == Heartbeat()


@pytest.mark.parametrize("event", ["message", "progress", "log", ""])
def test_call_unknown_events_ignored(event):
    assert parse_call_event(event, {"x": 1}) is None

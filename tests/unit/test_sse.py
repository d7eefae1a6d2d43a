"""Server-sent events: bytes in, (event, data) out, however the server cuts the stream."""

from __future__ import annotations

import pytest

from hfspace_sdk.errors import ProtocolError
from hfspace_sdk.gradio.sse import SSEEvent, decode_json, iter_sse

CALL_STREAM = (
    b"event: heartbeat\ndata: null\n\n"
    b'event: generating\ndata: [{"path": "/tmp/a.webp"}, 1]\n\n'
    b'event: complete\ndata: [{"path": "/tmp/b.webp"}, 197537]\n\n'
)
CALL_EVENTS = [
    ("heartbeat", "null"),
    ("generating", '[{"path": "/tmp/a.webp"}, 1]'),
    ("complete", '[{"path": "/tmp/b.webp"}, 197537]'),
]
QUEUE_STREAM = (
    b'data: {"msg":"estimation","event_id":"e","rank":0,"queue_size":1,"rank_eta":null}\n\n'
    b'data: {"msg":"process_starts","event_id":"e","eta":null}\n\n'
    b'data: {"msg":"close_stream","event_id":null}\n\n'
)
QUEUE_EVENTS = [
    ("message", '{"msg":"estimation","event_id":"e","rank":0,"queue_size":1,"rank_eta":null}'),
    ("message", '{"msg":"process_starts","event_id":"e","eta":null}'),
    ("message", '{"msg":"close_stream","event_id":null}'),
]


def events(chunks) -> list[tuple[str, str]]:
    return [(event.event, event.data) for event in iter_sse(chunks)]


def bytewise(data: bytes) -> list[bytes]:
    return [data[index : index + 1] for index in range(len(data))]


# --- framing --------------------------------------------------------------------------------


def test_call_stream_event_and_data_blocks():
    assert events([CALL_STREAM]) == CALL_EVENTS


def test_yields_sse_event_objects():
    assert list(iter_sse([b"event: complete\ndata: [1]\n\n"])) == [SSEEvent("complete", "[1]")]


def test_queue_stream_data_only_lines_are_message_events():
    assert events([QUEUE_STREAM]) == QUEUE_EVENTS


def test_event_name_does_not_leak_into_next_event():
    assert events([b"event: a\ndata: 1\n\ndata: 2\n\n"]) == [("a", "1"), ("message", "2")]


def test_comments_are_ignored():
    stream = b": ping\n\n:another\ndata: x\n: trailing comment\n\n"
    assert events([stream]) == [("message", "x")]


def test_crlf_line_endings():
    stream = CALL_STREAM.replace(b"\n", b"\r\n")
    assert events([stream]) == CALL_EVENTS


def test_cr_line_endings():
    assert events([b"event: complete\rdata: [1]\r\r"]) == [("complete", "[1]")]


def test_multi_line_data_is_joined_with_newlines():
    assert events([b"data: a\ndata: b\ndata:\ndata: c\n\n"]) == [("message", "a\nb\n\nc")]


def test_only_one_leading_space_is_removed():
    assert events([b"data:x\n\ndata:  y\n\n"]) == [("message", "x"), ("message", " y")]


def test_unknown_fields_id_and_retry_are_ignored():
    assert events([b"id: 7\nretry: 100\nfoo: bar\nevent: complete\ndata: [1]\n\n"]) == [
        ("complete", "[1]")
    ]


def test_event_without_data_is_not_dispatched():
    assert events([b"event: ping\n\nevent: complete\ndata: null\n\n"]) == [("complete", "null")]


def test_trailing_event_without_final_blank_line_is_dispatched():
    # The connection may be cut right after the last line (Gradio's unknown-event answer).
    assert events([b'event: error\ndata: "404: Not Found"\n']) == [("error", '"404: Not Found"')]
    assert events([b"data: last"]) == [("message", "last")]


def test_empty_stream_and_empty_chunks():
    assert events([]) == []
    assert events([b"", b"", b""]) == []


def test_utf8_text_is_decoded():
    assert events(['data: "Générer 🚀"\n\n'.encode()]) == [("message", '"Générer 🚀"')]


# --- awkward chunking -----------------------------------------------------------------------


@pytest.mark.parametrize("stream", [CALL_STREAM, QUEUE_STREAM])
def test_one_byte_at_a_time(stream):
    expected = events([stream])
    assert events(bytewise(stream)) == expected


def test_one_byte_at_a_time_with_crlf():
    stream = CALL_STREAM.replace(b"\n", b"\r\n")
    assert events(bytewise(stream)) == CALL_EVENTS


@pytest.mark.parametrize("stream", [CALL_STREAM, CALL_STREAM.replace(b"\n", b"\r\n")])
def test_every_two_chunk_split(stream):
    for cut in range(1, len(stream)):
        assert events([stream[:cut], stream[cut:]]) == CALL_EVENTS, cut


def test_split_mid_line():
    assert events([b"event: compl", b"ete\ndata: [1, ", b"2]\n\n"]) == [("complete", "[1, 2]")]


def test_split_between_the_two_newlines():
    assert events([b"data: a\n", b"\ndata: b\n", b"\n"]) == [("message", "a"), ("message", "b")]


def test_split_inside_crlf_pair():
    assert events([b"data: a\r", b"\n\r", b"\n"]) == [("message", "a")]


def test_multibyte_character_split_across_chunks():
    stream = 'data: "é€🚀"\n\n'.encode()
    assert events(bytewise(stream)) == [("message", '"é€🚀"')]


def test_accepts_any_iterable_of_chunks():
    assert events(chunk for chunk in [b"data: 1\n\n", b"data: 2\n\n"]) == [
        ("message", "1"),
        ("message", "2"),
    ]


# --- errors ---------------------------------------------------------------------------------


def test_invalid_utf8_is_protocol_error():
    with pytest.raises(ProtocolError, match="not valid UTF-8"):
        events([b"data: \xff\xfe\n\n"])


def test_invalid_utf8_after_good_events_yields_them_first():
    iterator = iter_sse([b"data: ok\n\n", b"data: \xc3\x28\n\n"])
    assert next(iterator) == SSEEvent("message", "ok")
    with pytest.raises(ProtocolError):
        next(iterator)


def test_decode_json_values():
    assert decode_json('{"msg":"heartbeat","event_id":null}') == {
        "msg": "heartbeat",
        "event_id": None,
    }
    assert decode_json("null") is None
    assert decode_json('[{"path": "/tmp/a"}, 1]') == [{"path": "/tmp/a"}, 1]
    assert decode_json('"404: Not Found"') == "404: Not Found"


@pytest.mark.parametrize("data", ["", "not json", '{"msg": "estim', "[1, 2", "{'a': 1}"])
def test_decode_json_malformed_is_protocol_error(data):
    with pytest.raises(ProtocolError, match="^Malformed event data"):
        decode_json(data)


def test_decode_json_error_names_what_and_truncates():
    with pytest.raises(ProtocolError) as caught:
        decode_json("x" * 1000, what="queue message")
    message = str(caught.value)
    assert message.startswith("Malformed queue message: 'xxx")
    assert len(message) < 300

"""The Space handle against recorded answers of the demo Space (``responses``): what it sends,
when, and how each failure reaches the caller."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import responses
from gradio_answers import queue_stream
from space_support import DEMO_ID, STUB_BASE, STUB_HUB, recorded

from hfspace_sdk import (
    Client,
    File,
    Image,
    InvalidArgumentError,
    JobCancelledError,
    ProtocolError,
    Reasoning,
    ResponseStatusError,
    SpaceError,
    SpaceNotRunningError,
)

BASE = STUB_BASE
OTHER = "http://other.test"
HUB = STUB_HUB
SPACE = DEMO_ID
P = "/gradio_api"
E = "0123456789abcdef0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def serve_demo(mocked: responses.RequestsMock, *, version: str = "6", info: Any = None) -> str:
    """/config and /info of the demo Space; the API prefix."""
    prefix = "" if version == "4" else P
    mocked.get(f"{BASE}/config", json=recorded(f"demo_config_{version}"))
    if info is None:
        mocked.get(f"{BASE}{prefix}/info", json=recorded(f"demo_info_{version}"))
    elif isinstance(info, int):
        mocked.get(f"{BASE}{prefix}/info", status=info, json={"detail": "Not Found"})
    return prefix


def serve_job(mocked: responses.RequestsMock, *messages: dict[str, Any], prefix: str = P) -> None:
    mocked.post(f"{BASE}{prefix}/queue/join", json={"event_id": E})
    body = queue_stream(*messages, {"msg": "close_stream", "event_id": None})
    mocked.get(f"{BASE}{prefix}/queue/data", body=body, content_type="text/event-stream")
    mocked.post(f"{BASE}{prefix}/cancel", json={"success": True})


def completed(*data: Any) -> dict[str, Any]:
    return {
        "msg": "process_completed",
        "event_id": E,
        "output": {"data": list(data)},
        "success": True,
    }


def generating(*data: Any) -> dict[str, Any]:
    return {
        "msg": "process_generating",
        "event_id": E,
        "output": {"data": list(data)},
        "success": True,
    }


def sent(mocked: responses.RequestsMock, path: str) -> list[Any]:
    """The requests sent to ``path`` (JSON bodies decoded)."""
    found = []
    for call in mocked.calls:
        if call.request.url.split("?")[0].endswith(path):
            body = call.request.body
            try:
                found.append(json.loads(body) if body else None)
            except (TypeError, ValueError):
                found.append(call.request)
    return found


def paths(mocked: responses.RequestsMock) -> list[str]:
    return [call.request.url.split("?")[0].replace(BASE, "") for call in mocked.calls]


# --- handles ------------------------------------------------------------------------------


def test_a_handle_sends_nothing_until_used(mocked, client) -> None:
    space = client.space(SPACE)
    assert (space.space_id, space.url) == (SPACE, BASE)
    assert client.space(SPACE.upper()) is space
    assert client.space(f"{OTHER}/") is client.space(OTHER)
    assert client.space(OTHER).space_id == OTHER
    assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    "bad",
    [
        "demo",
        "a/b/c",
        "/name",
        "owner/..",
        "owner/na me",
        5,
        None,
        "ftp://host/x",
        "http://user:secret@host",
        "http:///nohost",
        "https://host/?q=1",
    ],
)
def test_a_bad_space_reference_is_refused(client, bad) -> None:
    with pytest.raises(InvalidArgumentError, match="space"):
        client.space(bad)


@pytest.mark.parametrize("version", ["4", "5", "6"])
def test_the_description_is_read_once_with_hidden_endpoints(mocked, client, version) -> None:
    prefix = serve_demo(mocked, version=version)
    space = client.space(SPACE)
    assert [e.api_name for e in space.api()][:2] == ["/echo", "/repeat"]
    assert [e.api_name for e in space.api(include_hidden=True)][-1] == "/reverse"
    assert space.endpoint("reverse") == space.endpoint(" /reverse")
    assert paths(mocked) == ["/config", f"{prefix}/info"]
    assert mocked.calls[1].request.params == {"all_endpoints": "true"}


def test_an_unknown_endpoint_lists_the_documented_ones(mocked, client) -> None:
    serve_demo(mocked)
    with pytest.raises(InvalidArgumentError, match=r"no endpoint /nope; its endpoints are /echo, "):
        client.space(SPACE).predict("/nope")
    with pytest.raises(InvalidArgumentError, match="api_name must name an endpoint"):
        client.space(SPACE).predict("/")


# --- calls --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["4", "5", "6"])
def test_predict_joins_the_queue_with_the_functions_numbers(mocked, client, version) -> None:
    prefix = serve_demo(mocked, version=version)
    serve_job(mocked, completed("HI HI HI"), prefix=prefix)
    assert client.space(SPACE).predict("repeat", "hi", shout=True, times=3) == "HI HI HI"
    [join] = sent(mocked, "/queue/join")
    assert join["data"] == ["hi", 3, True]
    assert (join["fn_index"], join["trigger_id"]) == (1, 21)
    assert re.fullmatch(r"[0-9a-f]{32}", join["session_hash"])
    [stream] = [c.request for c in mocked.calls if "/queue/data" in c.request.url]
    assert stream.params == {"session_hash": join["session_hash"]}


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("a", 1, True, 4), {}), (("a",), {"nope": 1}), ((object(),), {})],
)
def test_bad_arguments_fail_before_any_job_request(mocked, client, args, kwargs) -> None:
    serve_demo(mocked)
    with pytest.raises(InvalidArgumentError):
        client.space(SPACE).submit("/repeat", *args, **kwargs)
    assert paths(mocked) == ["/config", f"{P}/info"]


def test_the_spaces_error_text_reaches_the_caller(mocked, client) -> None:
    serve_demo(mocked, version="4")
    failed = {
        "msg": "process_completed",
        "event_id": E,
        "output": {"error": "'The demo failed'"},
        "success": False,
    }
    serve_job(mocked, failed, prefix="")
    with pytest.raises(SpaceError, match="^The demo failed$") as caught:
        client.space(SPACE).predict("/fail", "x")
    assert caught.value.space == SPACE


def test_a_cancel_on_the_space_is_a_cancelled_job(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(mocked, {"msg": "process_completed", "event_id": E, "output": {}, "success": True})
    with pytest.raises(JobCancelledError):
        client.space(SPACE).predict("/echo", "x")


def test_statuses_intermediate_outputs_then_the_final_one(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(
        mocked,
        {"msg": "estimation", "event_id": E, "rank": 2, "queue_size": 4, "rank_eta": 12.4},
        {"msg": "process_starts", "event_id": E, "eta": None},
        {
            "msg": "progress",
            "event_id": E,
            "progress_data": [{"index": 0, "length": 2, "desc": "Counting"}],
        },
        generating("c 1/2"),
        {"msg": "log", "event_id": E, "log": "half way", "level": "info"},
        generating([["replace", [], "c 2/2"]]),
        completed("c 2/2"),
    )
    job = client.space(SPACE).submit("/count", "c", steps=2)
    items = list(job)
    assert items == [
        Reasoning(status="Waiting in the queue: position 3 of 4, about 12 s", rank=2, eta=12.4),
        Reasoning(status="Running"),
        Reasoning(status="Counting 0/2", progress=0, total=2),
        "c 1/2",
        Reasoning(status="half way"),
        "c 2/2",  # the final output equals it: not repeated
    ]
    assert job.result() == "c 2/2" and job.done()


def test_a_final_output_after_a_status_is_yielded_again(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(
        mocked,
        generating("c 1/1"),
        {"msg": "log", "event_id": E, "log": "done", "level": "info"},
        completed("c 1/1"),
    )
    items = list(client.space(SPACE).submit("/count", "c"))
    assert items == ["c 1/1", Reasoning(status="done"), "c 1/1"]


def test_a_closed_queue_uses_the_call_route(mocked, client) -> None:
    config = recorded("demo_config_6")
    config["enable_queue"] = False
    mocked.get(f"{BASE}/config", json=config)
    mocked.get(f"{BASE}{P}/info", json=recorded("demo_info_6"))
    mocked.post(f"{BASE}{P}/call/echo", json={"event_id": E})
    mocked.get(
        f"{BASE}{P}/call/echo/{E}",
        body='event: complete\ndata: ["hi"]\n\n',
        content_type="text/event-stream",
    )
    assert client.space(SPACE).predict("/echo", "hi") == "hi"
    assert sent(mocked, "/call/echo") == [{"data": ["hi"]}]


# --- /info missing or failing -------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 500])
def test_without_info_values_go_by_position(mocked, client, status) -> None:
    serve_demo(mocked, info=status)
    serve_job(mocked, completed("hi hi"))
    space = client.space(SPACE)
    repeat = space.endpoint("/repeat")
    assert not repeat.described and [p.name for p in repeat.parameters] == [None] * 3
    with pytest.raises(InvalidArgumentError, match="does not name its parameters"):
        space.predict("/repeat", text="hi")
    assert space.predict("/repeat", "hi", 2, False) == "hi hi"
    assert sent(mocked, "/queue/join")[0]["data"] == ["hi", 2, False]


def test_an_info_that_is_not_json_is_no_description(mocked, client) -> None:
    mocked.get(f"{BASE}/config", json=recorded("demo_config_6"))
    mocked.get(f"{BASE}{P}/info", body="<html>", content_type="text/html")
    assert not client.space(SPACE).endpoint("/echo").described


def test_a_transient_info_failure_is_raised_and_asked_again(mocked, client) -> None:
    mocked.get(f"{BASE}/config", json=recorded("demo_config_6"))
    mocked.get(f"{BASE}{P}/info", status=429, json={"detail": "slow down"})
    space = client.space(SPACE)
    with pytest.raises(ResponseStatusError):
        space.api()
    mocked.replace(responses.GET, f"{BASE}{P}/info", json=recorded("demo_info_6"))
    assert space.endpoint("/echo").described


# --- files --------------------------------------------------------------------------------


def _upload(mocked: responses.RequestsMock, *names: str) -> None:
    mocked.post(f"{BASE}{P}/upload", json=[f"/tmp/gradio/up/{name}" for name in names])


def test_a_file_argument_is_uploaded_then_sent_as_file_data(mocked, client) -> None:
    serve_demo(mocked)
    _upload(mocked, "file")
    serve_job(mocked, completed("file: 3 bytes"))
    assert client.space(SPACE).predict("/file_info", b"abc") == "file: 3 bytes"
    [upload] = [c.request for c in mocked.calls if c.request.url.startswith(f"{BASE}{P}/upload")]
    assert b'name="files"; filename="file"' in upload.body and b"abc" in upload.body
    [join] = sent(mocked, "/queue/join")
    assert join["data"][0]["path"] == "/tmp/gradio/up/file"
    assert join["data"][0]["url"] == f"{BASE}{P}/file=/tmp/gradio/up/file"
    assert paths(mocked).index(f"{P}/upload") < paths(mocked).index(f"{P}/queue/join")


def test_an_image_parameter_refuses_what_is_not_an_image_before_any_request(mocked, client) -> None:
    serve_demo(mocked)
    with pytest.raises(InvalidArgumentError, match=r"image \(Image\): .*not an image"):
        client.space(SPACE).submit("/mirror", b"not an image")
    with pytest.raises(InvalidArgumentError, match="No file at"):
        client.space(SPACE).submit("/file_info", "/no/such/file.txt")
    assert paths(mocked) == ["/config", f"{P}/info"]


def test_uploads_respect_the_size_cap(mocked, client, monkeypatch) -> None:
    serve_demo(mocked)
    monkeypatch.setattr("hfspace_sdk.media.MAX_UPLOAD_BYTES", 10)
    with pytest.raises(InvalidArgumentError, match="larger than 10 bytes"):
        client.space(SPACE).submit("/file_info", b"x" * 11)


def test_a_result_of_this_space_is_passed_in_place(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(mocked, completed("summary.json: 3 bytes"))
    earlier = File(url=f"{BASE}{P}/file=/tmp/gradio/h/summary.json", name="summary.json")
    client.space(SPACE).predict("/file_info", earlier)
    [join] = sent(mocked, "/queue/join")
    assert join["data"][0]["path"] == "/tmp/gradio/h/summary.json"
    assert f"{P}/upload" not in paths(mocked)


def test_a_result_of_another_space_is_downloaded_and_uploaded(mocked, client) -> None:
    serve_demo(mocked)
    _upload(mocked, "image.png")
    serve_job(mocked, completed(None))
    downloads: list[str] = []

    def download(url: str) -> bytes:
        downloads.append(url)
        return PNG

    elsewhere = Image(url=f"{OTHER}/file=/tmp/x.png", _downloader=download)
    client.space(SPACE).predict("/mirror", elsewhere)
    assert downloads == [f"{OTHER}/file=/tmp/x.png"]
    assert sent(mocked, "/queue/join")[0]["data"][0]["path"] == "/tmp/gradio/up/image.png"


def test_a_url_argument_is_fetched_by_the_space(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(mocked, completed(None))
    client.space(SPACE).predict("/mirror", f"{OTHER}/fox.png")
    assert sent(mocked, "/queue/join")[0]["data"][0] == {
        "path": f"{OTHER}/fox.png",
        "url": f"{OTHER}/fox.png",
        "orig_name": "fox.png",
        "meta": {"_type": "gradio.FileData"},
    }


def test_file_outputs_without_url_are_served_from_their_path(mocked, client) -> None:
    serve_demo(mocked, version="4")
    serve_job(
        mocked,
        completed({"path": "/tmp/gradio/h/out.json", "meta": {"_type": "gradio.FileData"}}),
        prefix="",
    )
    result = client.space(SPACE).predict("/write_file", "x")
    assert result == File(
        url=f"{BASE}/file=/tmp/gradio/h/out.json", name="out.json", mime_type="application/json"
    )


def test_a_file_output_with_neither_url_nor_path_is_a_protocol_error(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(
        mocked, completed({"url": "", "orig_name": "x.json", "meta": {"_type": "gradio.FileData"}})
    )
    with pytest.raises(ProtocolError, match="where a file was expected"):
        client.space(SPACE).predict("/write_file", "x")


def test_files_download_with_the_clients_settings_after_it_is_closed(mocked) -> None:
    serve_demo(mocked)
    serve_job(
        mocked,
        completed(
            "HI",
            2,
            {
                "path": "/tmp/gradio/h/image.png",
                "url": f"{BASE}{P}/file=/tmp/gradio/h/image.png",
                "meta": {"_type": "gradio.FileData"},
            },
        ),
    )
    mocked.get(f"{BASE}{P}/file=/tmp/gradio/h/image.png", body=PNG, content_type="image/png")
    with Client(space_urls={SPACE: BASE}, timeout=30) as closing:
        text, length, image = closing.space(SPACE).predict("/analyze", "hi")
    assert (text, length, image.mime_type) == ("HI", 2, "image/png")
    assert "authorization" not in {k.lower() for k in mocked.calls[-1].request.headers}


# --- ZeroGPU ------------------------------------------------------------------------------


def test_with_an_hf_token_the_zerogpu_token_goes_to_the_space_only(mocked) -> None:
    serve_demo(mocked)
    serve_job(mocked, completed("x"))
    mocked.get(re.compile(rf"{HUB}/api/spaces/{SPACE}/jwt\?.*"), json={"token": "zero-gpu"})
    with Client(space_urls={SPACE: BASE}, hub_url=HUB, hf_token="hf_secret", timeout=30) as authed:
        assert authed.space(SPACE).predict("/echo", "x") == "x"
        assert authed.space(BASE).predict("/echo", "x") == "x"  # by URL: no hub id, no token
    joins = [c.request for c in mocked.calls if c.request.url.startswith(f"{BASE}{P}/queue/join")]
    assert [j.headers.get("x-zerogpu-token") for j in joins] == ["zero-gpu", None]
    hub = [c.request for c in mocked.calls if c.request.url.startswith(HUB)]
    assert len(hub) == 1 and hub[0].headers["authorization"] == "Bearer hf_secret"
    space_requests = [c.request for c in mocked.calls if c.request.url.startswith(BASE)]
    assert not any("hf_secret" in str(r.headers) for r in space_requests)


def test_without_a_token_no_zerogpu_header_is_sent(mocked, client) -> None:
    serve_demo(mocked)
    serve_job(mocked, completed("x"))
    client.space(SPACE).predict("/echo", "x")
    [join] = [c.request for c in mocked.calls if "/queue/join" in c.request.url]
    assert "x-zerogpu-token" not in join.headers
    assert not any(c.request.url.startswith(HUB) for c in mocked.calls)


# --- Spaces that are not running -----------------------------------------------------------------


@pytest.mark.parametrize("by_url", [False, True])
def test_the_hub_is_asked_for_a_space_id_never_for_a_bare_url(mocked, client, by_url) -> None:
    """A Space given by URL has no hub id: its own error stands, and the hub hears nothing."""
    mocked.get(f"{STUB_BASE}/config", status=503, body="<html>starting</html>")
    runtime = mocked.get(
        f"{STUB_HUB}/api/spaces/{DEMO_ID}/runtime", json={"stage": "PAUSED"}, status=200
    )
    space = client.space(STUB_BASE if by_url else DEMO_ID)
    expected = ResponseStatusError if by_url else SpaceNotRunningError
    with pytest.raises(expected):
        space.api()
    assert runtime.call_count == (0 if by_url else 1)


def test_a_duplicate_on_the_hub_is_not_given_the_originals_stage(mocked) -> None:
    """The original is paused; the copy the user runs instead fails for reasons of its own."""
    copy = "https://you-demo.hf.space"
    mocked.get(f"{copy}/config", status=503, body="<html>starting</html>")
    runtime = mocked.get(
        f"{STUB_HUB}/api/spaces/{DEMO_ID}/runtime", json={"stage": "PAUSED"}, status=200
    )
    with (
        Client(
            space_urls={DEMO_ID: copy}, hub_url=STUB_HUB, timeout=30, retry_sleep=lambda _: None
        ) as client,
        pytest.raises(ResponseStatusError) as raised,
    ):
        client.space(DEMO_ID).api()
    assert raised.value.status_code == 503
    assert runtime.call_count == 0

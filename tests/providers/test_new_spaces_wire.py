"""FLUX.1-Kontext-dev and SD 3.5 Large on the wire, against `responses`: g4f's requests, with
g4f's bugs fixed (no assert on a missing event id, no crash on a failed completion, the Space's
own error text, ``negative_prompt`` sent as ``""``), and faults a real server rarely produces."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from gradio_answers import BASE, call_stream, file_data, queue_stream

from hfspace_sdk import (
    BlackForestLabs_Flux1KontextDev,
    HuggingSpace,
    ImageResponse,
    InvalidArgumentError,
    ProtocolError,
    QuotaExceededError,
    Reasoning,
    SpaceError,
    StabilityAI_SD35Large,
)
from hfspace_sdk.media import MAX_UPLOAD_BYTES

PREFIX = f"{BASE}/gradio_api"
FOX = [{"role": "user", "content": "make it snowy"}]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
QUOTA = "You have exceeded your GPU quota (60s requested vs. 56s left)."


def _config(api_name: str, inputs: int, targets: list[Any]) -> dict[str, Any]:
    """A Gradio 6 /config with the Space's function at fn 2 (after the lazy examples)."""
    dependencies = [{"id": i, "api_name": None, "targets": [[20, "click"]]} for i in range(2)]
    dependencies.append(
        {
            "id": 2,
            "api_name": api_name,
            "targets": targets,
            "inputs": list(range(100, 100 + inputs)),
            "outputs": [98, 99],
        }
    )
    return {
        "version": "6.31.0",
        "api_prefix": "/gradio_api",
        "protocol": "sse_v3",
        "dependencies": dependencies,
    }


def kontext(**options: Any) -> BlackForestLabs_Flux1KontextDev:
    return BlackForestLabs_Flux1KontextDev(
        space_urls={BlackForestLabs_Flux1KontextDev.space: BASE}, **options
    )


def sd35(**options: Any) -> StabilityAI_SD35Large:
    return StabilityAI_SD35Large(space_urls={StabilityAI_SD35Large.space: BASE}, **options)


def _serve_kontext(mocked: responses.RequestsMock, *messages: dict[str, Any], join=None):
    mocked.get(f"{BASE}/config", json=_config("infer", 6, [[8, "click"], [7, "submit"]]))
    upload = mocked.post(f"{PREFIX}/upload", json=["/tmp/gradio/up/image.png"])
    joined = mocked.post(f"{PREFIX}/queue/join", json=join or {"event_id": "e1"})
    mocked.get(f"{PREFIX}/queue/data", body=queue_stream(*messages))
    mocked.post(f"{PREFIX}/cancel", json={"success": True})
    return upload, joined


# --- class attributes ---------------------------------------------------------------------


def test_class_attributes_are_g4fs():
    assert BlackForestLabs_Flux1KontextDev.label == "BlackForestLabs Flux-1-Kontext-Dev"
    assert BlackForestLabs_Flux1KontextDev.referer == (
        "https://black-forest-labs-flux-1-kontext-dev.hf.space/?__theme=system"
    )
    assert BlackForestLabs_Flux1KontextDev.models == ["flux-kontext-dev"]
    assert StabilityAI_SD35Large.label == "StabilityAI SD-3.5-Large"
    assert StabilityAI_SD35Large.api_endpoint == "/gradio_api/call/infer"
    assert StabilityAI_SD35Large.models == ["sd-3.5-large"]
    assert StabilityAI_SD35Large.get_model("sd-3.5-large") == StabilityAI_SD35Large.default_model
    assert {"flux-kontext-dev", "sd-3.5-large"} <= set(HuggingSpace.image_models)


# --- Kontext ------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", [BlackForestLabs_Flux1KontextDev, HuggingSpace])
def test_kontext_without_an_image_fails_before_any_request(provider):
    with responses.RequestsMock() as mocked:  # any request would fail the test
        with pytest.raises(InvalidArgumentError, match="No media files provided"):
            provider.create_completion("flux-kontext-dev", FOX)
        assert len(mocked.calls) == 0


def test_kontext_refuses_a_huge_upload_before_any_request(tmp_path):
    huge = tmp_path / "huge.png"
    with huge.open("wb") as file:
        file.write(PNG[:16])
        file.truncate(MAX_UPLOAD_BYTES + 1)
    with responses.RequestsMock() as mocked:
        with pytest.raises(InvalidArgumentError, match="larger than"):
            BlackForestLabs_Flux1KontextDev.create_completion("", FOX, media=str(huge))
        assert len(mocked.calls) == 0


def test_kontext_uploads_into_its_session_and_joins_as_g4f_does():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        upload, joined = _serve_kontext(
            mocked,
            {"msg": "process_starts", "event_id": "e1"},
            {"msg": "progress", "event_id": "e1", "progress_data": [{"index": 1, "length": 28}]},
            {
                "msg": "process_completed",
                "event_id": "e1",
                "output": {"data": [file_data("http://x/e.webp"), 4, None]},
            },
        )
        with kontext() as provider:
            events = list(
                provider.create_completion(
                    "flux-kontext-dev", FOX, media=(PNG, "photo.png"), api_key="zg-token"
                )
            )
    assert events == [
        Reasoning(label="Processing started"),
        Reasoning(label="Processing image", status="1/28", progress=1, total=28),
        Reasoning(status="Finished"),
        ImageResponse("http://x/e.webp", "make it snowy"),
    ]
    request = joined.calls[0].request
    body = json.loads(request.body)
    session = body["session_hash"]
    assert parse_qs(urlsplit(upload.calls[0].request.url).query) == {"upload_id": [session]}
    assert (body["fn_index"], body["trigger_id"]) == (2, 7)
    assert body["data"] == [
        {
            "path": "/tmp/gradio/up/image.png",
            "url": f"{PREFIX}/file=/tmp/gradio/up/image.png",
            "orig_name": "photo.png",
            "size": len(PNG),
            "mime_type": "image/png",
            "meta": {"_type": "gradio.FileData"},
        },
        "make it snowy",
        0,
        True,
        2.5,
        28,
    ]
    assert request.headers["x-zerogpu-token"] == "zg-token"
    assert len(request.headers["x-zerogpu-uuid"]) == 32  # a fresh uuid4, as g4f sends
    assert request.headers["referer"] == f"{BASE}/?__theme=system"
    assert parse_qs(urlsplit(request.url).query) == {"__theme": ["system"]}  # as g4f joins


def test_kontext_without_an_event_id_is_a_protocol_error_not_an_assert():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_kontext(mocked, join={"detail": "queued"})
        with kontext() as provider, pytest.raises(ProtocolError, match="without an event id"):
            list(provider.create_completion("", FOX, media=PNG, api_key="t"))


@pytest.mark.parametrize(
    ("output", "error", "text"),
    [
        ({"error": None}, SpaceError, None),
        ({"error": "The model ran out of memory"}, SpaceError, "The model ran out of memory"),
        ({"error": QUOTA}, QuotaExceededError, QUOTA),
    ],
)
def test_a_failed_edit_shows_the_spaces_message(output, error, text):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_kontext(
            mocked,
            {"msg": "process_completed", "event_id": "e1", "output": output, "success": False},
        )
        with kontext() as provider, pytest.raises(error) as caught:
            list(provider.create_completion("", FOX, media=PNG, api_key="t"))
    if text is not None:
        assert str(caught.value) == text


def test_kontext_stream_ending_without_a_result_is_an_error():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_kontext(mocked, {"msg": "process_starts", "event_id": "e1"})
        with kontext() as provider, pytest.raises(ProtocolError, match="without a result"):
            list(provider.create_completion("", FOX, media=PNG, api_key="t"))


def test_kontext_an_upload_that_is_not_an_image_fails_before_any_request():
    with responses.RequestsMock() as mocked:
        with pytest.raises(InvalidArgumentError, match="not an image"):
            BlackForestLabs_Flux1KontextDev.create_completion("", FOX, media=b"%PDF-1.7 ...")
        assert len(mocked.calls) == 0


# --- SD 3.5 Large -------------------------------------------------------------------------


def _serve_sd35(mocked: responses.RequestsMock, stream: str, *, version: str = "6.31.0"):
    config = _config("infer", 8, [[5, "click"], [4, "submit"]])
    config["version"] = version
    mocked.get(f"{BASE}/config", json=config)
    post = mocked.post(f"{PREFIX}/call/infer", json={"event_id": "c1"})
    get = mocked.get(f"{PREFIX}/call/infer/c1", body=stream, content_type="text/event-stream")
    return post, get


def test_sd35_posts_g4fs_payload_with_an_empty_negative_prompt_and_the_bearer_token():
    final = [file_data("http://x/final.webp"), 3]
    with responses.RequestsMock() as mocked:
        post, get = _serve_sd35(
            mocked,
            call_stream(("generating", [file_data("http://x/p.webp"), 3]), ("complete", final)),
        )
        with sd35() as provider:
            events = list(
                provider.create_completion("sd-3.5-large", FOX, aspect_ratio="16:9", api_key="hf_x")
            )
        assert "authorization" not in mocked.calls[0].request.headers  # /config
    assert [type(e).__name__ for e in events] == ["ImagePreview", "ImageResponse"]
    assert events[-1].urls == ["http://x/final.webp"]
    assert json.loads(post.calls[0].request.body) == {
        "data": ["make it snowy", "", 0, True, 1024, 576, 4.5, 50]
    }
    assert post.calls[0].request.headers["authorization"] == "Bearer hf_x"
    assert get.calls[0].request.headers["authorization"] == "Bearer hf_x"


def test_sd35_without_api_key_sends_no_authorization():
    with responses.RequestsMock() as mocked:
        post, get = _serve_sd35(mocked, call_stream(("complete", [file_data("http://x/f.webp")])))
        with sd35() as provider:
            list(provider.create_completion("", FOX, negative_prompt="blurry"))
    assert json.loads(post.calls[0].request.body)["data"][1] == "blurry"
    assert "authorization" not in post.calls[0].request.headers
    assert "authorization" not in get.calls[0].request.headers


@pytest.mark.parametrize(
    ("version", "data", "expected"),
    [
        ("6.31.0", {"error": "CUDA out of memory"}, "^CUDA out of memory$"),
        ("6.31.0", {"error": QUOTA}, "exceeded your GPU quota"),
        ("5.50.0", None, "Gradio before 6.0"),
    ],
)
def test_sd35_errors_are_the_spaces_not_a_gpu_token_limit(version, data, expected):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_sd35(mocked, call_stream(("error", data)), version=version)
        mocked.post(f"{PREFIX}/cancel", json={"success": True})
        with sd35() as provider, pytest.raises(SpaceError, match=expected) as caught:
            list(provider.create_completion("", FOX))
    assert "GPU token limit" not in str(caught.value)
    assert isinstance(caught.value, QuotaExceededError) == ("quota" in expected)


def test_sd35_an_unparsable_event_is_a_protocol_error():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_sd35(mocked, "event: complete\ndata: {not json\n\n")
        mocked.post(f"{PREFIX}/cancel", json={"success": True})
        with sd35() as provider, pytest.raises(ProtocolError):
            list(provider.create_completion("", FOX))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"negative_prompt": 3}, "negative_prompt must be a string"),
        ({"api_key": "hf_secret\nInjected: 1"}, "api_key"),
        ({"proxy": "http://x"}, "does not take proxy"),
    ],
)
def test_sd35_bad_arguments_fail_before_any_request(params, match):
    with responses.RequestsMock() as mocked:
        with pytest.raises(InvalidArgumentError, match=match) as caught:
            StabilityAI_SD35Large.create_completion("", FOX, **params)
        assert len(mocked.calls) == 0
    assert "hf_secret" not in str(caught.value)


def test_a_preview_without_an_image_yet_is_skipped():
    with responses.RequestsMock() as mocked:
        _serve_sd35(
            mocked,
            call_stream(("generating", [None, 3]), ("complete", [file_data("http://x/f.webp"), 3])),
        )
        with sd35() as provider:
            events = list(provider.create_completion("", FOX))
    assert [type(e).__name__ for e in events] == ["ImageResponse"]

"""Credentials of the Space providers of today (SD 3.5 Large, FLUX.1-Kontext-dev).

* SD 3.5's ``api_key`` (an HF token) goes as ``Authorization: Bearer`` to the ``/call/infer``
  requests of its own Space only: never to the hub, to another host serving the output image, or
  across a redirect to another host.
* Kontext's ``api_key`` (a ZeroGPU token) goes with ``queue/join`` only, not with the upload.
"""

from __future__ import annotations

from security_secrets import API_KEY, HF_TOKEN, SECRETS
from security_servers import PNG, Recorder

from hfspace_sdk import Client

SD35 = "stabilityai/stable-diffusion-3.5-large"
KONTEXT = "black-forest-labs/FLUX.1-Kontext-Dev"
BEARER = f"Bearer {API_KEY}"


def _bearer_requests(recorder: Recorder) -> list[str]:
    return [
        f"{r.method} {r.path}"
        for r in recorder.requests
        if r.headers.get("authorization") == BEARER
    ]


def test_sd35_api_key_goes_to_its_own_call_requests_only(space, other, hub, leak_check):
    space.behaviour.image_url = f"{other.url_as('localhost')}/gradio_api/file=/tmp/x/image.png"
    with Client(space_urls={SD35: space.url}, hub_url=hub.url, hf_token=HF_TOKEN) as client:
        result = client.images.generate(
            "a fox", model="sd-3.5-large", api_key=API_KEY, response_format="b64_json"
        )
    assert result.data[0].b64_json
    assert sorted(_bearer_requests(space)) == [
        "GET /gradio_api/call/infer/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "POST /gradio_api/call/infer",
    ]
    config = [r for r in space.requests if r.path == "/config"]
    assert config and all("authorization" not in r.headers for r in config)
    assert other.requests, "the image was downloaded from the other host"
    for request in other.requests:
        leak_check(request.text(), f"other {request.method} {request.path}", SECRETS)
        assert "authorization" not in request.headers
    for request in hub.requests:
        leak_check(request.text(), f"hub {request.method} {request.path}", (API_KEY,))


def test_sd35_api_key_does_not_follow_a_redirect_to_another_host(space, other, leak_check):
    space.behaviour.redirects = {"/call/infer": other.url_as("localhost") + "{path}"}
    with Client(space_urls={SD35: space.url}, timeout=30) as client:
        client.images.generate("a fox", model="sd-3.5-large", api_key=API_KEY)
    assert [r.path for r in other.requests][:1] == ["/gradio_api/call/infer"]
    for request in other.requests:
        leak_check(request.text(), f"other {request.method} {request.path}", SECRETS)
    assert sorted(_bearer_requests(space)) == [
        "GET /gradio_api/call/infer/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "POST /gradio_api/call/infer",
    ]


def test_kontext_token_goes_with_the_join_only(space, hub, leak_check):
    with Client(space_urls={KONTEXT: space.url}, hub_url=hub.url, timeout=30) as client:
        client.images.edit(PNG, "make it snowy", api_key=API_KEY)
    carrying = [r for r in space.requests if r.headers.get("x-zerogpu-token") == API_KEY]
    assert [r.path for r in carrying] == ["/gradio_api/queue/join"]
    upload = [r for r in space.requests if r.path == "/gradio_api/upload"]
    assert len(upload) == 1
    assert "x-zerogpu-token" not in upload[0].headers
    leak_check(upload[0].text(), "the upload", SECRETS)
    assert hub.requests == []  # the caller's token is used as it is

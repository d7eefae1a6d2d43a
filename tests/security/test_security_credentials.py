"""Credentials go only where they belong.

* The HF token (``Authorization: Bearer``) and the hub cookies go to the hub (``hub_url``) only.
* A ZeroGPU token (the caller's ``api_key``, one the hub issued, or one read from the Space's hub
  page) goes only to the Space it is for, on its own origin, and only with the requests that
  need it (``queue/join``, ``run/predict``).
* Nothing secret goes to another host: image URLs on another host, cross-host redirects (also
  to another port of the same host, and from https down to http), a ``/config`` that points the
  API elsewhere.
* Through a proxy, plain-http requests go to the proxy as usual (that is what proxying means) but
  each still carries only its own destination's credentials; https requests are tunnelled
  (``CONNECT``) and the proxy sees no credential; the proxy is never sent credentials of its own.

Every request is recorded by a local server (``security_servers``): one per Space, the hub, an
"other" host, the proxy; the real look-alike Spaces are used through the recording proxy.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from security_secrets import (
    API_KEY,
    COOKIE,
    HF_TOKEN,
    HUB_SECRETS,
    HUB_ZEROGPU,
    PAGE_TOKEN,
    SECRET_HEADERS,
    SECRETS,
    SPACE_IDS,
    ZEROGPU_SECRETS,
    space_urls_to,
)
from security_servers import (
    PNG,
    HubBehaviour,
    Recorded,
    Recorder,
    SpaceBehaviour,
    fake_hub,
    gradio_space,
    tls_context,
)

from hfspace_sdk import (
    BlackForestLabs_Flux1Dev,
    Client,
    HFSpaceError,
    ImageResponse,
    ProtocolError,
)

TOKEN_ROUTES = ("/queue/join", "/run/predict")  # the only requests that need a ZeroGPU token


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}"


def _allowed_zerogpu_tokens(space_ids: Iterable[str]) -> set[str]:
    return {API_KEY, PAGE_TOKEN, "[object Object]"} | {
        f"{HUB_ZEROGPU}:{space}" for space in space_ids
    }


def every_flow(client: Client, tmp: Path) -> None:
    """Every provider and protocol once, with the client's credentials (and the caller's token)."""
    client.images.generate(
        "a red fox",
        model="flux-dev",
        provider="BlackForestLabs_Flux1Dev",
        response_format="b64_json",
    )
    client.images.generate("a red fox", model="flux-dev", provider="FluxDev").data[0].save(tmp)
    client.images.generate(
        "a red fox", model="flux-schnell", provider="BlackForestLabs_Flux1Schnell"
    ).data[0].bytes()
    client.images.generate("a red fox", model="flux", provider="Voodoohop_Flux1Schnell")
    client.images.generate("a red fox", model="flux-schnell", provider="G4F")  # run/predict
    client.images.generate("a red fox", model="flux-dev", provider="G4F")
    first = client.chat.completions.create(messages="What is this?", image=PNG)  # page, upload
    client.chat.completions.create(
        messages=[{"role": "user", "content": "And then?"}], conversation=first.conversation
    )
    client.images.generate(
        "a red fox", model="janus-pro-7b-image", provider="DeepseekAI_JanusPro7b"
    )
    list(client.chat.completions.create(messages="Hi", provider="G4F", stream=True))
    client.images.generate("a red fox", model="flux")  # HuggingSpace
    client.images.generate(
        "a red fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", api_key=API_KEY
    )
    client.chat.completions.create(messages="Hi", api_key=API_KEY, zerogpu_uuid="caller-uuid")


def _check_hub_request(request: Recorded, leak_check, *, anonymous: bool = False) -> None:  # type: ignore[no-untyped-def]
    leak_check(request.text(), f"the hub request {request.method} {request.path}", ZEROGPU_SECRETS)
    assert "x-zerogpu-token" not in request.headers
    if anonymous:
        assert "authorization" not in request.headers and "cookie" not in request.headers
    else:
        assert request.headers.get("authorization") == f"Bearer {HF_TOKEN}"
        assert request.headers.get("cookie") == f"token={COOKIE}"


def _check_space_request(request: Recorded, path: str, allowed: set[str], leak_check) -> None:  # type: ignore[no-untyped-def]
    where = f"{request.server} {request.method} {path}"
    leak_check(request.text(), where, HUB_SECRETS)
    assert "authorization" not in request.headers and "cookie" not in request.headers, where
    token = request.headers.get("x-zerogpu-token")
    if token is None:
        leak_check(request.text(), where, ZEROGPU_SECRETS)
        return
    assert request.method == "POST" and path.endswith(TOKEN_ROUTES), (
        f"{where} carries a ZeroGPU token"
    )
    assert token in allowed, f"{where} got a ZeroGPU token issued for another Space: {token}"


def test_credentials_go_only_to_the_hub_and_to_the_space_they_are_for(hub, tmp_path, leak_check):
    """One recording server per Space id, so a token for one Space seen at another is caught."""
    servers = {space: Recorder(space, gradio_space(SpaceBehaviour())) for space in SPACE_IDS}
    try:
        urls = {space: server.url for space, server in servers.items()}
        with Client(
            space_urls=urls,
            hub_url=hub.url,
            hf_token=HF_TOKEN,
            cookies={"token": COOKIE},
            timeout=30,
        ) as client:
            every_flow(client, tmp_path)
        with Client(space_urls=urls, hub_url=hub.url) as anonymous:  # the hub page's token is used
            anonymous.chat.completions.create(messages="What is this?", image=PNG)
        assert hub.requests, "the flows use the hub"
        *with_credentials, page_read = hub.requests
        for request in with_credentials:
            _check_hub_request(request, leak_check)
        _check_hub_request(page_read, leak_check, anonymous=True)
        tokens_seen = set()
        for space, server in servers.items():
            assert server.requests, f"{space} was not used"
            for request in server.requests:
                _check_space_request(
                    request, request.path, _allowed_zerogpu_tokens([space]), leak_check
                )
                tokens_seen.add(request.headers.get("x-zerogpu-token"))
        assert {API_KEY, PAGE_TOKEN, f"{HUB_ZEROGPU}:black-forest-labs/FLUX.1-dev"} <= tokens_seen
    finally:
        for server in servers.values():
            server.close()


def test_without_zerogpu_nothing_secret_is_sent_anywhere(hub, space, tmp_path, leak_check):
    """FLUX.1-schnell needs no ZeroGPU token: an HF token in the settings stays home."""
    with Client(
        space_urls=space_urls_to(space.url),
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
    ) as client:
        client.images.generate(
            "a fox", model="flux-schnell", provider="BlackForestLabs_Flux1Schnell"
        ).save(tmp_path)
    assert hub.requests == []
    for request in space.requests:
        leak_check(request.text(), f"space {request.method} {request.path}")
        assert not set(SECRET_HEADERS) & set(request.headers)


def test_the_real_lookalikes_through_a_recording_proxy(
    lookalikes, hub, proxy, tmp_path, leak_check
):
    """Real Gradio look-alikes (FLUX.1-dev, Janus-Pro-7B): every request goes through the proxy,
    which records its target. (run/predict and /call are covered by the fake Spaces above.)"""
    space_urls = {**space_urls_to("http://127.0.0.1:9"), **lookalikes}  # nothing leaves the machine
    with Client(
        space_urls=space_urls,
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
        proxy=proxy.url,
        timeout=60,
    ) as client:
        client.images.generate(
            "a fox",
            model="flux-dev",
            provider="BlackForestLabs_Flux1Dev",
            response_format="b64_json",
        )
        client.images.generate("a fox", model="flux-dev", provider="FluxDev").data[0].save(tmp_path)
        first = client.chat.completions.create(messages="What is this?", image=PNG)
        client.chat.completions.create(
            messages=[{"role": "user", "content": "More?"}], conversation=first.conversation
        )
        client.images.generate(
            "a fox", model="janus-pro-7b-image", provider="DeepseekAI_JanusPro7b"
        )
        client.images.generate("a fox", model="flux-dev", provider="FluxDev", api_key=API_KEY)
    hub_origin = _origin(hub.url)
    spaces_by_origin: dict[str, list[str]] = {}
    for space, url in lookalikes.items():
        spaces_by_origin.setdefault(_origin(url), []).append(space)
    to_hub = 0
    for request in proxy.requests:
        assert "proxy-authorization" not in request.headers
        assert request.method != "CONNECT"  # everything here is plain http
        origin = _origin(request.target)
        if origin == hub_origin:
            to_hub += 1
            _check_hub_request(request, leak_check)
        else:
            assert origin in spaces_by_origin, f"a request to an unexpected host: {request.target}"
            allowed = _allowed_zerogpu_tokens(spaces_by_origin[origin])
            _check_space_request(request, urlsplit(request.target).path, allowed, leak_check)
    assert to_hub == len(hub.requests) > 0  # nothing bypassed the proxy
    assert len(proxy.requests) > 15


def test_https_through_the_proxy_is_tunnelled_with_no_credentials_for_the_proxy(
    certificate, space, proxy, monkeypatch, leak_check
):
    cert, key = certificate
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)  # trust the test certificate (adds trust only)
    behaviour = HubBehaviour(zerogpu_token=HUB_ZEROGPU, page_token=PAGE_TOKEN)
    with Recorder("tls-hub", fake_hub(behaviour), tls=tls_context(cert, key)) as tls_hub:
        with Client(
            space_urls=space_urls_to(space.url),
            hub_url=tls_hub.url,
            hf_token=HF_TOKEN,
            cookies={"token": COOKIE},
            proxy=proxy.url,
        ) as client:
            client.images.generate("a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev")
        assert [r.headers.get("authorization") for r in tls_hub.requests] == [f"Bearer {HF_TOKEN}"]
    connects = [r for r in proxy.requests if r.method == "CONNECT"]
    assert [r.target for r in connects] == [f"127.0.0.1:{tls_hub.port}"]
    for request in proxy.requests:
        assert "proxy-authorization" not in request.headers
        if request.method == "CONNECT":
            leak_check(request.text(), "the CONNECT request the proxy saw")
        else:
            leak_check(request.text(), f"proxied {request.target}", HUB_SECRETS)


def test_images_on_another_host_are_downloaded_without_credentials(
    hub, space, other, tmp_path, monkeypatch, leak_check
):
    """The Space answers with image URLs on another host (and sets a cookie of its own)."""
    image_url = f"{other.url_as('localhost')}/gradio_api/file=/tmp/gradio/0123/image.png"
    space.behaviour.image_url = image_url
    space.behaviour.set_cookie = "space_session=SPACExCOOKIE; Path=/"
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)  # the default downloader reads the environment
    urls = space_urls_to(space.url)
    with Client(space_urls=urls, hub_url=hub.url, cookies={"token": COOKIE}) as client:
        result = client.images.generate(
            "a fox",
            model="flux-dev",
            provider="BlackForestLabs_Flux1Dev",
            response_format="b64_json",
        )
        assert base64.b64decode(result.data[0].b64_json) == PNG
        result = client.images.generate(
            "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", api_key=API_KEY
        )
        result.data[0].save(tmp_path / "one.png")
        result.save(tmp_path / "all")
        assert client.download(image_url) == PNG
        client.chat.completions.create(
            messages="Draw a fox", model="janus-pro-7b-image", api_key=API_KEY
        )
    with BlackForestLabs_Flux1Dev(space_urls=urls, hub_url=hub.url) as provider:
        events = list(
            provider.create_completion(
                "flux", [{"role": "user", "content": "a fox"}], api_key=API_KEY
            )
        )
    final = [event for event in events if type(event) is ImageResponse]
    final[0].save(tmp_path / "events")  # downloads with a default client built from the environment
    assert len(other.requests) >= 4  # b64_json, Image.save, client.download, ImageResponse.save
    for request in other.requests:
        leak_check(
            request.text(),
            f"the image host's {request.method} {request.path}",
            (*SECRETS, "SPACExCOOKIE"),
        )
        assert not set(SECRET_HEADERS) & set(request.headers), request.headers


# --- redirects ------------------------------------------------------------------------------------

SPACE_STEPS = {
    "/queue/join": lambda c: c.images.generate(
        "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev"
    ),
    "/run/predict": lambda c: c.images.generate("a fox", model="flux-schnell", provider="G4F"),
    "/upload": lambda c: c.chat.completions.create(messages="What is it?", image=PNG),
    "/queue/data": lambda c: c.chat.completions.create(messages="What is it?", api_key=API_KEY),
    "/config": lambda c: c.images.generate(
        "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev"
    ),
    "/file=/tmp/gradio/0123/image.png": lambda c: c.images.generate(
        "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", response_format="b64_json"
    ),
}
HUB_STEPS = {
    "/jwt": lambda c: c.images.generate(
        "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev"
    ),
    "/spaces/deepseek-ai/Janus-Pro-7B": lambda c: c.chat.completions.create(messages="What is it?"),
}


def _run_quietly(step, client: Client) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(HFSpaceError):  # whether it survives the redirect does not matter
        step(client)


def _check_redirect_target(other: Recorder, leak_check) -> None:  # type: ignore[no-untyped-def]
    assert other.requests, "the redirect was not followed: the check would prove nothing"
    for request in other.requests:
        leak_check(request.text(), f"the redirect target's {request.method} {request.path}")
        assert not set(SECRET_HEADERS) & set(request.headers), request.headers


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("target", ["another host", "another port"])
@pytest.mark.parametrize("step", list(SPACE_STEPS) + list(HUB_STEPS))
def test_redirects_to_another_origin_drop_every_credential(
    step, target, status, hub, space, other, leak_check
):
    location = other.url_as("localhost" if target == "another host" else "127.0.0.1")
    if step in SPACE_STEPS:
        space.behaviour.redirect_status = status
        space.behaviour.redirects[step] = location + "{path}?{query}"
        run = SPACE_STEPS[step]
    else:
        hub.behaviour.redirect_status = status
        hub.behaviour.redirects[step] = location
        run = HUB_STEPS[step]
    with Client(
        space_urls=space_urls_to(space.url),
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
    ) as client:
        _run_quietly(run, client)
    _check_redirect_target(other, leak_check)


@pytest.mark.parametrize("redirected", ["space join", "hub jwt"])
def test_an_https_to_http_redirect_on_the_same_host_drops_every_credential(
    redirected, certificate, hub, space, other, monkeypatch, leak_check
):
    cert, key = certificate
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    downgrade = f"http://127.0.0.1:{other.port}"
    space_behaviour = SpaceBehaviour()
    hub_behaviour = HubBehaviour(zerogpu_token=HUB_ZEROGPU, page_token=PAGE_TOKEN)
    if redirected == "space join":
        space_behaviour.redirects["/queue/join"] = downgrade + "{path}?{query}"
    else:
        hub_behaviour.redirects["/jwt"] = downgrade
    with (
        Recorder(
            "tls-space", gradio_space(space_behaviour), tls=tls_context(cert, key)
        ) as tls_space,
        Recorder("tls-hub", fake_hub(hub_behaviour), tls=tls_context(cert, key)) as tls_hub,
        Client(
            space_urls=space_urls_to(tls_space.url),
            hub_url=tls_hub.url,
            hf_token=HF_TOKEN,
            cookies={"token": COOKIE},
        ) as client,
    ):
        _run_quietly(SPACE_STEPS["/queue/join"], client)
    _check_redirect_target(other, leak_check)


def test_a_space_config_cannot_move_the_api_to_another_origin(space, other, leak_check):
    space.behaviour.api_prefix = f"@localhost:{other.port}"
    messages = [{"role": "user", "content": "a fox"}]
    with (
        BlackForestLabs_Flux1Dev(space_urls=space_urls_to(space.url)) as provider,
        pytest.raises(HFSpaceError) as info,  # should be a ProtocolError about the config
    ):
        list(provider.create_completion("flux", messages, api_key=API_KEY))
    for request in other.requests:
        leak_check(request.text(), f"{request.method} {request.target} at another host")
    assert other.requests == []
    assert isinstance(info.value, ProtocolError)


# --- ~/.netrc --------------------------------------------------------------------------------------

NETRC_SECRET = "NETRCxSECRETx246"
_NETRC = (
    "http.py: the SDK's sessions keep requests' trust_env, so requests reads ~/.netrc ($NETRC): a "
    "'default' entry adds 'Authorization: Basic' to every request - Spaces and any image host a "
    "Space names included - and a netrc entry replaces the hub's Bearer HF token"
)


@pytest.fixture
def netrc_default(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "netrc"
    path.write_text(f"default login someone password {NETRC_SECRET}\n")
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))


def test_a_netrc_entry_does_not_replace_the_hf_token(netrc_default, hub, space):
    with Client(space_urls=space_urls_to(space.url), hub_url=hub.url, hf_token=HF_TOKEN) as client:
        client.images.generate("a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev")
    assert [r.headers.get("authorization") for r in hub.requests] == [f"Bearer {HF_TOKEN}"]


def test_netrc_credentials_are_not_sent_to_spaces_or_image_hosts(netrc_default, space, other):
    image_url = f"{other.url_as('localhost')}/gradio_api/file=/tmp/gradio/0123/image.png"
    space.behaviour.image_url = image_url
    with Client(space_urls=space_urls_to(space.url)) as client:
        client.images.generate(
            "a fox",
            model="flux-schnell",
            provider="BlackForestLabs_Flux1Schnell",
            response_format="b64_json",
        )
    assert other.requests and space.requests
    for request in space.requests + other.requests:
        assert "authorization" not in request.headers, f"{request.server} {request.path}"

"""TLS verification is on, and environment variables cannot silently turn it off.

A local HTTPS server presents a self-signed certificate made at test time. Every SDK request to
it must fail with ``SpaceConnectionError("TLS verification with ... failed")`` and no HTTP
request may reach it (so no credential is sent) — with ``CURL_CA_BUNDLE=""``,
``REQUESTS_CA_BUNDLE=""`` and ``PYTHONHTTPSVERIFY=0`` too (the last one set before the interpreter
starts, in a subprocess, which is when Python reads it). ``REQUESTS_CA_BUNDLE`` naming a bundle
that holds the certificate *adds* trust — that is its documented purpose, and the control that
proves the server itself works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest
from security_secrets import (
    API_KEY,
    COOKIE,
    HF_TOKEN,
    HUB_ZEROGPU,
    PAGE_TOKEN,
    no_wait,
    space_urls_to,
)
from security_servers import (
    PNG,
    HubBehaviour,
    Recorder,
    Reply,
    SpaceBehaviour,
    fake_hub,
    gradio_space,
    tls_context,
)

from hfspace_sdk import Client, SpaceConnectionError

DISABLING_ATTEMPTS = [
    {},
    {"CURL_CA_BUNDLE": ""},
    {"REQUESTS_CA_BUNDLE": ""},
    {"PYTHONHTTPSVERIFY": "0"},
    {"CURL_CA_BUNDLE": "", "REQUESTS_CA_BUNDLE": "", "PYTHONHTTPSVERIFY": "0"},
    {"SSL_CERT_FILE": "{cert}"},  # trusted by Python's default context, not by the SDK's
]


def _image(_recorder: Recorder, _request: object) -> Reply:
    return Reply(body=PNG, headers={"Content-Type": "image/png"})


@pytest.fixture
def tls_server(certificate) -> Iterator[Recorder]:  # type: ignore[no-untyped-def]
    cert, key = certificate
    with Recorder("tls", _image, tls=tls_context(cert, key)) as server:
        yield server


def _wait_for_failed_handshake(server: Recorder) -> None:
    """The server notes its side of the failed handshake a moment after the client gives up."""
    deadline = time.monotonic() + 5
    while server.tls_failures == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.tls_failures >= 1


def _env(attempt: dict[str, str], cert: str) -> dict[str, str]:
    return {name: value.replace("{cert}", cert) for name, value in attempt.items()}


@pytest.mark.parametrize(
    "attempt",
    DISABLING_ATTEMPTS,
    ids=lambda a: ",".join(f"{k}={v!r}" for k, v in a.items()) or "none",
)
def test_an_untrusted_certificate_is_refused_whatever_the_environment(
    attempt, certificate, tls_server, monkeypatch, leak_check
):
    for name, value in _env(attempt, certificate[0]).items():
        monkeypatch.setenv(name, value)
    refused = r"TLS verification with 127\.0\.0\.1:\d+ failed"
    with (
        Client(hf_token=HF_TOKEN, cookies={"token": COOKIE}) as client,
        pytest.raises(SpaceConnectionError, match=refused) as info,
    ):
        client.download(f"{tls_server.url}/image.png")
    assert tls_server.requests == []  # the handshake failed: no HTTP request was ever sent
    _wait_for_failed_handshake(tls_server)
    leak_check(str(info.value), "the TLS error")


def test_a_bundle_holding_the_certificate_adds_trust(certificate, tls_server, monkeypatch):
    """The control: the server works, and the env var adds trust (never removes it)."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    with Client() as client:
        assert client.download(f"{tls_server.url}/image.png") == PNG
    assert len(tls_server.requests) == 1


@pytest.mark.parametrize(
    "attempt", [{}, {"CURL_CA_BUNDLE": "", "REQUESTS_CA_BUNDLE": ""}], ids=["none", "empty bundles"]
)
def test_an_untrusted_hub_or_space_never_receives_a_credential(
    attempt, certificate, monkeypatch, leak_check
):
    cert, key = certificate
    for name, value in attempt.items():
        monkeypatch.setenv(name, value)
    hub_behaviour = HubBehaviour(zerogpu_token=HUB_ZEROGPU, page_token=PAGE_TOKEN)
    options = {"hf_token": HF_TOKEN, "cookies": {"token": COOKIE}, "retry_sleep": no_wait}
    with (
        Recorder("tls-hub", fake_hub(hub_behaviour), tls=tls_context(cert, key)) as hub,
        Recorder("tls-space", gradio_space(SpaceBehaviour()), tls=tls_context(cert, key)) as space,
        Recorder("plain-space", gradio_space(SpaceBehaviour())) as reachable,
    ):
        # The job reads the (plain HTTP) Space's /config, then asks the untrusted hub for a token.
        with (
            Client(space_urls=space_urls_to(reachable.url), hub_url=hub.url, **options) as client,
            pytest.raises(SpaceConnectionError, match="TLS verification") as hub_error,
        ):
            client.images.generate("a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev")
        assert [request.path for request in reachable.requests] == ["/config"]
        with (
            Client(space_urls=space_urls_to(space.url), hub_url=hub.url, **options) as client,
            pytest.raises(SpaceConnectionError, match="TLS verification") as space_error,
        ):
            client.images.generate(
                "a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", api_key=API_KEY
            )
        assert hub.requests == [] and space.requests == []
        _wait_for_failed_handshake(hub)
        _wait_for_failed_handshake(space)
    leak_check(f"{hub_error.value!r} {space_error.value!r}", "the TLS errors")


def test_pythonhttpsverify_0_at_interpreter_start_does_not_disable_verification(
    certificate, tls_server
):
    """PYTHONHTTPSVERIFY is read when Python starts: set it (and empty bundles) for a new one."""
    script = textwrap.dedent(
        f"""
        from hfspace_sdk import Client, SpaceConnectionError
        with Client() as client:
            try:
                client.download({tls_server.url + "/image.png"!r})
            except SpaceConnectionError as exc:
                print("refused:", exc)
            else:
                print("ACCEPTED AN UNTRUSTED CERTIFICATE")
        """
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "PYTHONHTTPSVERIFY": "0",
        "CURL_CA_BUNDLE": "",
        "REQUESTS_CA_BUNDLE": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "refused: TLS verification with 127.0.0.1" in done.stdout, done.stdout + done.stderr
    assert tls_server.requests == []


@pytest.mark.parametrize("bundle", ["{tmp}/missing-bundle.pem", "0", "false"])
def test_a_missing_ca_bundle_fails_closed_as_a_connection_error(
    bundle, tls_server, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle.replace("{tmp}", str(tmp_path)))
    with Client() as client, pytest.raises(SpaceConnectionError):
        client.download(f"{tls_server.url}/image.png")
    assert tls_server.requests == []

"""Bad options for ``Client(...)`` and every provider's constructor, and bad environment values.

The options are ``space_urls``, ``hub_url``, ``hf_token``, ``cookies``, ``proxy``, ``timeout`` and
``max_workers`` (and the variables ``HF_TOKEN``, ``HF_ENDPOINT``, ``HFSPACE_SPACE_URLS``). A bad
one is an ``InvalidArgumentError`` naming the option when the client is built — nothing is sent.
Credentials are never echoed in the message.
"""

from __future__ import annotations

import re

import pytest
from input_support import AcceptedBadInput, expect_rejection, reject_everywhere

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    Client,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    Voodoohop_Flux1Schnell,
)

OWNERS = [
    Client,
    BlackForestLabs_Flux1Dev,
    FluxDev,
    BlackForestLabs_Flux1Schnell,
    Voodoohop_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    G4F,
    HuggingSpace,
]
SECRET = "hf_SECRETtoken0123456789"

_URL_PARSE = (
    ValueError,
    "config.py check_http_url: urlsplit()'s ValueError (bad IPv6 brackets, NFKC-invalid host) "
    "escapes instead of an InvalidArgumentError",
)
_URL_LAX = (
    AcceptedBadInput,
    "config.py check_http_url accepts a URL whose port is out of range or whose host has "
    "spaces/control characters; it fails only when a request is attempted",
)
_HEADER_UNSAFE = (
    AcceptedBadInput,
    "config.py Settings.from_options accepts credentials that are not valid HTTP header values "
    "(control characters, non-Latin-1); the request then fails with the secret in the exception",
)
_OVERFLOW = (OverflowError, "config.py Timeout.coerce: math.isfinite(10**400) raises OverflowError")

BAD_OPTIONS = [
    # space_urls
    ("space_urls", [("black-forest-labs/FLUX.1-dev", "http://127.0.0.1:1")], "space_urls", None),
    ("space_urls", "black-forest-labs/FLUX.1-dev=http://127.0.0.1:1", "space_urls", None),
    ("space_urls", {5: "http://127.0.0.1:1"}, "space_urls keys", None),
    ("space_urls", {"flux-dev": "http://127.0.0.1:1"}, "space_urls keys", None),
    ("space_urls", {"a/b/c": "http://127.0.0.1:1"}, "space_urls keys", None),
    ("space_urls", {"owner/": "http://127.0.0.1:1"}, "space_urls keys", None),
    ("space_urls", {"a/b": "ftp://127.0.0.1/"}, r"space_urls\['a/b'\] must be an http", None),
    ("space_urls", {"a/b": "file:///etc/passwd"}, r"space_urls\['a/b'\]", None),
    ("space_urls", {"a/b": "javascript:alert(1)"}, r"space_urls\['a/b'\]", None),
    ("space_urls", {"a/b": "127.0.0.1:7860"}, r"space_urls\['a/b'\]", None),
    ("space_urls", {"a/b": "http:///path"}, r"space_urls\['a/b'\]", None),
    ("space_urls", {"a/b": "http://user:pw@127.0.0.1:1"}, "credentials", None),
    ("space_urls", {"a/b": "http://127.0.0.1:1/?token=x"}, "query", None),
    ("space_urls", {"a/b": "http://127.0.0.1:1/#x"}, "fragment", None),
    ("space_urls", {"a/b": None}, r"space_urls\['a/b'\] must be a base URL or a non-empty list", None),
    (
        "space_urls",
        {"a/b": b"http://127.0.0.1:1"},
        r"space_urls\['a/b'\] must be a base URL or a non-empty list",
        None,
    ),
    # replicas: a list of distinct base URLs
    ("space_urls", {"a/b": []}, r"space_urls\['a/b'\] must be a base URL or a non-empty list", None),
    ("space_urls", {"a/b": ["http://127.0.0.1:1", 7860]}, r"space_urls\['a/b'\] must be a URL string", None),
    (
        "space_urls",
        {"a/b": ["http://127.0.0.1:1", "http://127.0.0.1:1/"]},
        r"space_urls\['a/b'\] lists http://127.0.0.1:1 more than once",
        None,
    ),
    ("space_urls", {"a/b": ""}, r"space_urls\['a/b'\]", None),
    ("space_urls", {"a/b": "http://127.0.0.1:99999"}, r"space_urls\['a/b'\]", _URL_LAX),
    ("space_urls", {"a/b": "http://exa mple.com"}, r"space_urls\['a/b'\]", _URL_LAX),
    ("space_urls", {"a/b": "http://[::1"}, r"space_urls\['a/b'\]", _URL_PARSE),
    # hub_url
    ("hub_url", "ftp://huggingface.co", "hub_url", None),
    ("hub_url", "huggingface.co", "hub_url", None),
    ("hub_url", 443, "hub_url must be a URL string", None),
    ("hub_url", b"https://huggingface.co", "hub_url must be a URL string", None),
    ("hub_url", "https://user:pw@huggingface.co", "hub_url must not contain", None),
    ("hub_url", "https://huggingface.co/?x=1", "hub_url must not contain", None),
    ("hub_url", "http://hub.invalid:70000", "hub_url", _URL_LAX),
    ("hub_url", "http://hub.invalid\r\nX-Injected: 1", "hub_url", _URL_LAX),
    ("hub_url", "http://[::1", "hub_url", _URL_PARSE),
    ("hub_url", "http://hub\u2100.invalid", "hub_url", _URL_PARSE),
    # hf_token
    ("hf_token", 12345, "hf_token", None),
    ("hf_token", "", "hf_token", None),
    ("hf_token", " \t\n", "hf_token", None),
    ("hf_token", SECRET.encode(), "hf_token", None),
    ("hf_token", f"{SECRET}\n", "hf_token", None),
    ("hf_token", f"{SECRET}\x00", "hf_token", None),
    ("hf_token", f"{SECRET}\u20ac", "hf_token", None),
    # cookies
    ("cookies", [("token", "x")], "cookies", None),
    ("cookies", "token=x", "cookies", None),
    ("cookies", {"token": 1}, "cookies", None),
    ("cookies", {1: "x"}, "cookies", None),
    ("cookies", {"token": f"{SECRET}\r\nX-Injected: 1"}, "cookies", None),
    ("cookies", {"token": f"{SECRET}; admin=1"}, "cookies", None),
    ("cookies", {"to ken;": SECRET}, "cookies", None),
    # proxy
    ("proxy", "socks5://127.0.0.1:1080", "proxy", None),
    ("proxy", "127.0.0.1:3128", "proxy", None),
    ("proxy", "", "proxy", None),
    ("proxy", 3128, "proxy must be a URL string", None),
    ("proxy", "http://user:pw@127.0.0.1:3128", "proxy must not contain", None),
    # timeout
    ("timeout", 0, "timeout", None),
    ("timeout", -1, "timeout", None),
    ("timeout", float("nan"), "timeout", None),
    ("timeout", float("inf"), "timeout", None),
    ("timeout", "30", "timeout", None),
    ("timeout", True, "timeout", None),
    ("timeout", (10, 60), "timeout", None),
    ("timeout", {"total": 30}, "timeout", None),
    ("timeout", 10**400, "timeout", None),
    # max_workers
    ("max_workers", 0, "max_workers", None),
    ("max_workers", -1, "max_workers", None),
    ("max_workers", 2.0, "max_workers", None),
    ("max_workers", True, "max_workers", None),
    ("max_workers", "4", "max_workers", None),
]


def _ident(option: str, value: object) -> str:
    return f"{option}={value!r}"[:80]


def _first_generation(owner: type, instance: object) -> object:
    """A generation through the built object, to see whether a bad option was let through."""
    if isinstance(instance, Client):
        return instance.images.generate(
            "a red fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev"
        )
    model = "janus-pro-7b" if owner in (DeepseekAI_JanusPro7b,) else "flux"
    messages = [{"role": "user", "content": "a red fox"}]
    return list(instance.create_completion(model, messages))  # type: ignore[attr-defined]


def _build(owner: type, option: str, value: object, match: str, mocked: object, tally) -> None:  # type: ignore[no-untyped-def]
    tally.add(f"{owner.__name__}(...)", _ident(option, value))

    def attempt() -> object:
        with owner(**{option: value}) as instance:
            # Built without complaint: the option was let through. Show what happens next.
            return _first_generation(owner, instance)

    error = expect_rejection(attempt, mocked)  # type: ignore[arg-type]
    assert re.search(match, str(error)), (match, str(error))
    assert SECRET not in str(error) and SECRET not in repr(error.args)


@pytest.mark.parametrize(
    ("option", "value", "match"),
    [
        pytest.param(option, value, match, id=_ident(option, value))
        for option, value, match, bug in BAD_OPTIONS
        if bug is None
    ],
)
def test_bad_options_are_rejected_when_the_client_is_built(option, value, match, tally):
    """Every owner (Client and the seven providers) rejects the option when it is built."""
    reject_everywhere(
        (
            owner.__name__,
            lambda mocked, owner=owner: _build(owner, option, value, match, mocked, tally),
        )
        for owner in OWNERS
    )


@pytest.mark.parametrize(
    ("owner", "option", "value", "match"),
    [
        pytest.param(
            owner,
            option,
            value,
            match,
            id=f"{owner.__name__}-{_ident(option, value)}",
        )
        for option, value, match, bug in BAD_OPTIONS
        if bug is not None
        # one shared code path (Settings.from_options): two owners show each bug
        for owner in (Client, BlackForestLabs_Flux1Dev)
    ],
)
def test_known_bugs_let_bad_options_through(owner, option, value, match, no_requests, tally):
    _build(owner, option, value, match, no_requests, tally)


@pytest.mark.parametrize(
    ("variable", "value", "match"),
    [
        ("HF_ENDPOINT", "ftp://huggingface.co", "hub_url"),
        ("HF_ENDPOINT", "not a url", "hub_url"),
        ("HF_ENDPOINT", "https://user:pw@huggingface.co", "hub_url"),
        ("HFSPACE_SPACE_URLS", "garbage", "SPACE=URL"),
        ("HFSPACE_SPACE_URLS", "a/b=ftp://127.0.0.1", r"space_urls\['a/b'\]"),
        ("HFSPACE_SPACE_URLS", "a/b=http://127.0.0.1:1,=http://x", "SPACE=URL"),
        ("HFSPACE_SPACE_URLS", "ab=http://127.0.0.1:1", "space_urls keys"),
        ("HF_TOKEN", "   ", "hf_token"),
        pytest.param(
            "HF_TOKEN",
            f"{SECRET}\n",
            "hf_token",
            id="HF_TOKEN-trailing-newline",
        ),
    ],
)
@pytest.mark.parametrize("owner", [Client, BlackForestLabs_Flux1Dev], ids=lambda o: o.__name__)
def test_bad_environment_values_are_rejected_when_the_client_is_built(
    owner, variable, value, match, monkeypatch, no_requests, tally
):
    monkeypatch.setenv(variable, value)
    tally.add(f"{owner.__name__}() with ${variable}", f"{variable}={value!r}")

    def attempt() -> object:
        with owner() as instance:
            return _first_generation(owner, instance)

    error = expect_rejection(attempt, no_requests)
    assert re.search(match, str(error)), (match, str(error))
    assert SECRET not in str(error)


@pytest.mark.parametrize("owner", OWNERS, ids=lambda o: o.__name__)
def test_options_are_keyword_only(owner, no_requests, tally):
    tally.add(f"{owner.__name__}(...)", "positional option")
    with pytest.raises(TypeError):
        owner({"a/b": "http://127.0.0.1:1"})
    assert len(no_requests.calls) == 0

"""Property-based tests: the pure validators and parsers raise only their documented errors.

New properties beside tests/unit/test_parsers_hypothesis.py (which covers SSE, queue messages,
``/call`` events, diffs, sizes, quota text and ``space_error``): client settings, every
provider's ``prepare``, provider names, ``HFSPACE_SPACE_URLS`` text, Space error text, ``/config``,
the hub's ZeroGPU answers, uploaded bytes and timeouts.
"""

from __future__ import annotations

import math
import string
from typing import Any
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    InvalidArgumentError,
    Provider,
    Settings,
    Timeout,
    Voodoohop_Flux1Schnell,
)
from hfspace_sdk.config import parse_space_urls
from hfspace_sdk.errors import ProtocolError, clean_message, parse_retry_after
from hfspace_sdk.gradio.app_config import SpaceInfo, parse_config
from hfspace_sdk.media import MediaFile, load_media, sniff_image_type
from hfspace_sdk.params import MAX_DIMENSION, MAX_PROMPT_CHARS
from hfspace_sdk.providers import resolve_provider
from hfspace_sdk.providers.base import Plan
from hfspace_sdk.zerogpu import parse_jwt_answer, parse_space_page

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.binary(max_size=12)
)
anything = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=8,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)

# URL-like text. The known bugs (urlsplit's ValueError for '[' / ']' and NFKC-invalid hosts) are
# strict xfails in test_input_settings.py; they are kept out of these properties.
_URL_CHARS = string.ascii_letters + string.digits + ":/?#@.%=&-_ ~+!$'()*,;\t\n\\"
url_like = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(
        ["", "http://", "https://", "ftp://", "HTTP://", "http:/", "//", "file:///", "data:"]
    ),
    st.text(alphabet=_URL_CHARS, max_size=24),
)
option_values = (
    leaves.filter(lambda v: not (isinstance(v, str) and ("[" in v or "]" in v))) | url_like
)
space_ids = st.sampled_from(
    ["owner/name", "Black-Forest-Labs/FLUX.1-dev", "a/b/c", "nope", "/x", "x/", 5, None]
)
space_url_maps = st.dictionaries(space_ids, option_values, max_size=3) | anything.filter(
    lambda v: not isinstance(v, dict)
)
cookie_maps = st.dictionaries(
    st.text(max_size=5) | st.integers(), st.text(max_size=5) | st.integers(), max_size=2
)
environments = st.dictionaries(
    st.sampled_from(["HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"]),
    url_like | st.text(alphabet=_URL_CHARS + ",=", max_size=30),
    max_size=3,
)


@PROPERTY
@given(
    options=st.fixed_dictionaries(
        {},
        optional={
            "space_urls": space_url_maps,
            "hub_url": option_values,
            "hf_token": option_values,
            "cookies": cookie_maps | option_values,
            "proxy": option_values,
            "timeout": option_values,
            "max_workers": option_values,
        },
    ),
    environ=environments,
)
def test_settings_accept_or_raise_invalid_argument_only(
    options: dict[str, Any], environ: dict[str, str]
):
    try:
        built = Settings.from_options(environ=environ, **options)
    except InvalidArgumentError as exc:
        assert str(exc)
        return
    for url in [built.hub_url, *built.space_urls.values(), *([built.proxy] if built.proxy else [])]:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname
        assert not (parts.username or parts.password or parts.query or parts.fragment)
    assert all(key == key.lower() and key.count("/") == 1 for key in built.space_urls)
    assert isinstance(built.max_workers, int) and built.max_workers >= 1
    for value in (built.timeout.connect, built.timeout.read, built.timeout.total):
        assert value > 0 and math.isfinite(value)
    assert "***" in repr(built) or built.hf_token is None


PREPARE_MODELS: dict[type[Provider], list[str]] = {
    BlackForestLabs_Flux1Dev: ["flux", "flux-dev", ""],
    FluxDev: ["flux-dev"],
    BlackForestLabs_Flux1Schnell: ["flux-schnell", "flux"],
    Voodoohop_Flux1Schnell: ["flux"],
    DeepseekAI_JanusPro7b: ["janus-pro-7b", "janus-pro-7b-image", ""],
    G4F: ["flux", "flux-dev", "flux-schnell", "janus-pro-7b", "janus-pro-7b-image", ""],
    HuggingSpace: [
        "flux",
        "flux-dev",
        "flux-schnell",
        "janus-pro-7b",
        "janus-pro-7b-image",
        "",
        "dall-e",
    ],
}
PARAMETER_NAMES = [
    "prompt",
    "aspect_ratio",
    "width",
    "height",
    "guidance_scale",
    "num_inference_steps",
    "seed",
    "randomize_seed",
    "cookies",
    "api_key",
    "zerogpu_uuid",
    "media",
    "return_conversation",
    "conversation",
    "shuffle",
    "stream",
    "n",
]
parameter_values = anything | st.sampled_from(
    [
        "1:1",
        "16:9",
        "2.39:1",
        "0:1",
        "a:b",
        "data:image/png;base64,iVBORw0KGgo=",
        "/nonexistent.png",
        "",
    ]
)
FOX = [{"role": "user", "content": "a red fox"}]


@PROPERTY
@given(data=st.data())
def test_prepare_raises_only_invalid_argument_for_any_parameters(data: st.DataObject):
    provider = data.draw(st.sampled_from(list(PREPARE_MODELS)), label="provider")
    model = data.draw(st.sampled_from(PREPARE_MODELS[provider]), label="model")
    params = data.draw(
        st.dictionaries(st.sampled_from(PARAMETER_NAMES), parameter_values, max_size=4)
    )
    messages = data.draw(st.just(FOX) | anything, label="messages")
    try:
        plan = provider.prepare(model, messages, **params)
    except InvalidArgumentError as exc:
        assert str(exc)
        return
    assert isinstance(plan, Plan)
    for inner in getattr(plan, "plans", (plan,)):  # HuggingSpace's fallback holds one per provider
        prompt = getattr(inner, "prompt", "x")
        assert isinstance(prompt, str) and prompt.strip() and len(prompt) <= MAX_PROMPT_CHARS
        for side in ("width", "height"):
            if hasattr(inner, side):
                assert 1 <= getattr(inner, side) <= MAX_DIMENSION


@PROPERTY
@given(
    anything
    | st.text(max_size=30)
    | st.sampled_from(["g4f", "HUGGINGSPACE", "FluxDev ", "Provider"])
)
def test_resolve_provider_gives_a_provider_or_invalid_argument(value: Any):
    try:
        provider = resolve_provider(value)
    except InvalidArgumentError as exc:
        assert "Unknown provider" in str(exc)
        return
    assert isinstance(provider, type) and issubclass(provider, Provider)


@PROPERTY
@given(st.text(max_size=60) | st.text(alphabet="ab/=,: \thttp1.", max_size=40))
def test_parse_space_urls_gives_stripped_pairs_or_invalid_argument(text: str):
    try:
        pairs = parse_space_urls(text)
    except InvalidArgumentError as exc:
        assert "SPACE=URL" in str(exc)
        return
    for key, value in pairs.items():
        urls = (value,) if isinstance(value, str) else value  # a repeated id: its replicas
        assert key and key == key.strip() and "," not in key and "=" not in key
        for url in urls:
            assert url and url == url.strip() and "," not in url


_words = st.text(alphabet=string.ascii_lowercase + string.digits + "-.", min_size=1, max_size=8)
_pair_keys = st.builds(lambda owner, name: f"{owner}/{name}", _words, _words)
_pair_urls = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
    st.sampled_from(["http", "https"]),
    _words,
    st.sampled_from(["", ":7860", ":1"]),
    st.sampled_from(["", "/", "/gradio", "/a=b"]),
)


@PROPERTY
@given(st.dictionaries(_pair_keys, _pair_urls, max_size=4))
def test_parse_space_urls_reads_back_what_it_is_given(pairs: dict[str, str]):
    text = ",".join(f"{key}={value}" for key, value in pairs.items())
    assert parse_space_urls(text) == pairs


@PROPERTY
@given(_pair_keys, st.lists(_pair_urls, min_size=2, max_size=4))
def test_a_space_id_given_again_adds_a_replica(key: str, urls: list[str]):
    text = ",".join(f"{key.upper() if index else key}={url}" for index, url in enumerate(urls))
    assert parse_space_urls(text) == {key: tuple(urls)}


_markup = st.lists(
    st.sampled_from(
        [
            "<b>",
            "</b>",
            '<a href="x">',
            " <a ",
            "&amp;",
            "&lt;i&gt;",
            "'",
            '"',
            "\n",
            "\t",
            " ",
            "fox",
            "é",
        ]
    ),
    max_size=12,
).map("".join)


@PROPERTY
@given(st.text() | _markup)
def test_clean_message_gives_one_line_of_text(text: str):
    cleaned = clean_message(text)
    assert isinstance(cleaned, str)
    assert cleaned == " ".join(cleaned.split())  # trimmed, single-spaced, no newlines


configs = st.fixed_dictionaries(
    {},
    optional={
        "version": json_values,
        "api_prefix": json_values | st.sampled_from(["", "/gradio_api", "gradio_api/", "/"]),
        "protocol": json_values | st.sampled_from(["sse_v3", "sse_v2", "ws"]),
        "dependencies": json_values
        | st.lists(
            st.fixed_dictionaries({}, optional={"id": json_values, "api_name": json_values}),
            max_size=4,
        ),
    },
)


@PROPERTY
@given(configs | json_values)
def test_parse_config_gives_space_info_or_protocol_error(config: Any):
    try:
        info = parse_config(config)
    except ProtocolError as exc:
        assert str(exc)
        return
    assert isinstance(info, SpaceInfo) and isinstance(info.api_prefix, str)
    assert not info.api_prefix.endswith("/")
    assert all(
        isinstance(k, str) and isinstance(v, int) for k, v in info.fn_index_by_api_name.items()
    )


@PROPERTY
@given(json_values | st.fixed_dictionaries({"token": json_values}))
def test_parse_jwt_answer_gives_a_token_or_protocol_error(answer: Any):
    try:
        token = parse_jwt_answer(answer)
    except ProtocolError as exc:
        assert "token" in str(exc)  # says what is missing, never echoes the answer
        return
    assert isinstance(token, str) and token


_page = st.lists(
    st.sampled_from(
        [
            "&quot;token&quot;:&quot;",
            "&quot;sessionUuid&quot;:&quot;",
            "&quot;",
            "abc",
            "&",
            ";",
            ":",
        ]
    ),
    max_size=10,
).map("".join)


@PROPERTY
@given(st.text() | _page)
def test_parse_space_page_never_raises(page: str):
    token, uuid = parse_space_page(page)
    assert token is None or (token and "&" not in token)
    assert uuid is None or (uuid and "&" not in uuid)


image_prefixes = st.sampled_from(
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\x89PNG\r\n",
        b"\xff\xd8\xff",
        b"GIF89a",
        b"GIF87",
        b"RIFF\0\0\0\0WEBP",
        b"RIFF",
    ]
)


@PROPERTY
@given(image_prefixes, st.binary(max_size=64))
def test_load_media_accepts_exactly_the_sniffed_image_types(prefix: bytes, rest: bytes):
    data = prefix + rest
    try:
        media = load_media(data)
    except InvalidArgumentError as exc:
        assert sniff_image_type(data) is None and "not an image" in str(exc)
        return
    assert isinstance(media, MediaFile) and media.mime_type == sniff_image_type(data)
    assert media.data == data and "/" not in media.name
    assert str(len(data)) in repr(media) and repr(data) not in repr(media)


@PROPERTY
@given(leaves | st.builds(Timeout) | st.floats(min_value=1e-300, max_value=1e300))
def test_timeout_coerce_gives_positive_finite_limits_or_invalid_argument(value: Any):
    try:
        timeout = Timeout.coerce(value)
    except InvalidArgumentError as exc:
        assert "timeout" in str(exc)
        return
    for limit in (timeout.connect, timeout.read, timeout.total):
        assert limit > 0 and math.isfinite(limit)
    assert timeout.connect <= max(timeout.total, Timeout().connect)


@PROPERTY
@given(st.none() | st.text(max_size=20) | st.floats().map(str) | st.integers().map(str))
def test_parse_retry_after_gives_none_or_finite_seconds(value: Any):
    seconds = parse_retry_after(value)
    assert seconds is None or (seconds >= 0 and math.isfinite(seconds))

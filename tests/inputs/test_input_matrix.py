"""Bad input at every Python entry point: a clear ``InvalidArgumentError`` before any request.

A table of bad values (wrong types, out-of-range sizes and steps, huge prompts, unknown models
and providers, malformed messages) is tried at every entry point that takes it:

* each provider class's ``create_completion`` on the class, on an instance, and ``submit``;
* ``Client.images.generate``/``stream``/``generate_many``, ``Client.submit`` and
  ``Client.chat.completions.create`` (plain and ``stream=True``).

Each call runs inside a ``responses`` mock with nothing registered (``no_requests``): the error
must come before anything is sent, be an ``InvalidArgumentError`` (also a ``ValueError``), and
name the bad thing. (The SDK bugs this matrix first found are fixed; each case now runs everywhere.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from input_support import (
    DID_NOT_RAISE,
    AcceptedBadInput,
    drain,
    expect_rejection,
    reject_everywhere,
)

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    Client,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    InvalidArgumentError,
    Provider,
    Voodoohop_Flux1Schnell,
)
from hfspace_sdk.params import MAX_PROMPT_CHARS

FOX = "a red fox in the snow"
HUGE = "x" * (MAX_PROMPT_CHARS + 1)


@dataclass(frozen=True)
class Entry:
    """One way to start a generation: ``call(model, prompt, messages, kwargs)``."""

    name: str
    call: Callable[[Any, Any, Any, dict[str, Any]], Any]
    model: Any = None  # the model it is tried with, when the case does not override it


def _provider_entries(provider: type[Provider], model: str) -> list[Entry]:
    label = f"{provider.__name__}[{model}]"

    def on_class(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
        return drain(provider.create_completion(m, messages, **kwargs))

    def on_instance(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
        with provider() as instance:
            return drain(instance.create_completion(m, messages, **kwargs))

    def submit(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
        with provider() as instance:
            job = instance.submit(m, messages, **kwargs)
            job.cancel()

    return [
        Entry(f"{label}.create_completion (class)", on_class, model),
        Entry(f"{label}.create_completion (instance)", on_instance, model),
        Entry(f"{label}.submit", submit, model),
    ]


def _with_prompt(kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Client image calls take the prompt positionally: split it out of the case's kwargs."""
    rest = dict(kwargs)
    return rest.pop("prompt", FOX), rest


def _images_generate(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    text, rest = _with_prompt(kwargs)
    with Client() as client:
        return client.images.generate(text, model=m, **rest)


def _images_stream(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    text, rest = _with_prompt(kwargs)
    with Client() as client:
        return drain(client.images.stream(text, model=m, **rest))


def _images_generate_many(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    text, rest = _with_prompt(kwargs)
    with Client() as client:
        return drain(client.images.generate_many(["a calm lake", text], model=m, **rest))


def _client_submit(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    with Client() as client:
        job = client.submit(m, messages, **kwargs)
        job.cancel()


def _chat_create(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    with Client() as client:
        return client.chat.completions.create(messages=messages, model=m, **kwargs)


def _chat_stream(m: Any, prompt: Any, messages: Any, kwargs: dict[str, Any]) -> Any:
    with Client() as client:
        return drain(
            client.chat.completions.create(messages=messages, model=m, stream=True, **kwargs)
        )


IMAGE_PROVIDERS = [
    (BlackForestLabs_Flux1Dev, "flux-dev"),
    (FluxDev, "flux"),
    (BlackForestLabs_Flux1Schnell, "flux-schnell"),
    (Voodoohop_Flux1Schnell, "flux"),
    (DeepseekAI_JanusPro7b, "janus-pro-7b-image"),
    (G4F, "flux-schnell"),
    (G4F, "flux-dev"),
    (HuggingSpace, "flux"),
]
CHAT_PROVIDERS = [
    (DeepseekAI_JanusPro7b, "janus-pro-7b"),
    (G4F, "janus-pro-7b"),
    (HuggingSpace, "janus-pro-7b"),
]

IMAGE_ENTRIES = [entry for p, m in IMAGE_PROVIDERS for entry in _provider_entries(p, m)] + [
    Entry("Client.images.generate", _images_generate, "flux"),
    Entry("Client.images.stream", _images_stream, "flux"),
    Entry("Client.images.generate_many", _images_generate_many, "flux"),
    Entry("Client.submit[flux]", _client_submit, "flux"),
]
CHAT_ENTRIES = [entry for p, m in CHAT_PROVIDERS for entry in _provider_entries(p, m)] + [
    Entry("Client.chat.completions.create", _chat_create, "janus-pro-7b"),
    Entry("Client.chat.completions.create(stream=True)", _chat_stream, "janus-pro-7b"),
    Entry("Client.submit[janus]", _client_submit, "janus-pro-7b"),
]


@dataclass(frozen=True)
class Bad:
    """A bad input: keyword arguments (and optionally a model or messages) and what the error names."""

    label: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    match: str = ""
    model: Any = "<entry's>"
    messages: Any = "<fox>"
    #: entry-name substring -> (exception the SDK raises today, reason) for known bugs
    bugs: dict[str, tuple[type[BaseException], str]] = field(default_factory=dict)


SEED_BOOL_BUG = (
    AcceptedBadInput,
    "client.py Images._plans: seed + index turns seed=True into 1 before validation",
)
SEED_STR_BUG = (
    TypeError,
    "client.py Images._plans: seed + index raises TypeError for seed='7' before validation",
)
LIST_MODEL_BUG = (
    TypeError,
    "aggregator.py HuggingSpace.prepare: provider.serves(['flux']) hashes the model: TypeError",
)
INT_MODEL_BUG = (
    TypeError,
    "g4f.py G4F.prepare: '\"flux\" not in model' raises TypeError for model=5",
)

IMAGE_CASES = [
    Bad("int prompt", {"prompt": 5}, r"prompt must be a string, not int"),
    Bad("bytes prompt", {"prompt": b"a red fox"}, r"prompt must be a string, not bytes"),
    Bad("list prompt", {"prompt": ["a red fox"]}, r"prompt must be a string, not list"),
    Bad(
        "huge prompt",
        {"prompt": HUGE},
        rf"{MAX_PROMPT_CHARS + 1} characters long; the limit is {MAX_PROMPT_CHARS}",
    ),
    Bad("blank prompt", {"prompt": " \n\t "}, r"prompt is empty"),
    Bad("str width", {"width": "512", "height": 512}, r"width"),
    Bad("float width", {"width": 512.0, "height": 512}, r"width"),
    Bad("zero width", {"width": 0, "height": 512}, r"width"),
    Bad("negative height", {"width": 512, "height": -1}, r"height"),
    Bad("huge width", {"width": 10**6, "height": 512}, r"width"),
    Bad("huge height", {"width": 512, "height": 10**6}, r"height"),
    Bad("zero steps", {"num_inference_steps": 0}, r"num_inference_steps"),
    Bad("huge steps", {"num_inference_steps": 10**6}, r"num_inference_steps"),
    Bad("float steps", {"num_inference_steps": 4.0}, r"num_inference_steps"),
    Bad("str steps", {"num_inference_steps": "4"}, r"num_inference_steps"),
    Bad("bool seed", {"seed": True}, r"seed", bugs={"Client.images.generate": SEED_BOOL_BUG}),
    Bad("negative seed", {"seed": -1}, r"seed"),
    Bad("float seed", {"seed": 1.5}, r"seed"),
    Bad("str seed", {"seed": "7"}, r"seed", bugs={"Client.images.generate": SEED_STR_BUG}),
    Bad("huge seed", {"seed": 2**64}, r"seed"),
    Bad("int aspect ratio", {"aspect_ratio": 5}, r"aspect_ratio"),
    Bad("unknown aspect ratio", {"aspect_ratio": "wide"}, r"aspect_ratio"),
    Bad("zero aspect ratio", {"aspect_ratio": "0:1"}, r"aspect_ratio"),
    Bad("str randomize_seed", {"randomize_seed": "yes"}, r"randomize_seed"),
    Bad("str guidance", {"guidance_scale": "high"}, r"guidance_scale"),
    Bad("nan guidance", {"guidance_scale": float("nan")}, r"guidance_scale"),
    Bad("unknown parameter", {"nsfw": True}, r"does not take nsfw"),
    Bad("unknown model", {}, r"dall-e-3", model="dall-e-3"),
    Bad(
        "list model",
        {},
        r"(?i)model",
        model=["flux"],
        bugs={
            "HuggingSpace": LIST_MODEL_BUG,
            "Client.": LIST_MODEL_BUG,
        },
    ),
    Bad("int model", {}, r"(?i)model", model=5, bugs={"G4F": INT_MODEL_BUG}),
    Bad("dict messages", {}, r"messages must be a list", messages={"role": "user", "content": FOX}),
    Bad("int messages", {}, r"messages must be a list", messages=5),
    Bad("message without role", {}, r"needs a 'role'", messages=[{"content": FOX}]),
    Bad("int content", {}, r"string or a list of parts", messages=[{"role": "user", "content": 7}]),
    Bad(
        "bytes content",
        {},
        r"string or a list of parts, not bytes",
        messages=[{"role": "user", "content": FOX.encode()}],
    ),
    Bad("huge content", {}, r"the limit is", messages=[{"role": "user", "content": HUGE}]),
    Bad("no user text", {}, r"prompt is empty", messages=[{"role": "assistant", "content": FOX}]),
]

CLIENT_IMAGE_CASES = [
    Bad("int size", {"size": 512}, r"size must look like"),
    Bad("size without x", {"size": "512"}, r"size must look like"),
    Bad("zero size", {"size": "0x0"}, r"width must be between"),
    Bad("negative size", {"size": "-1x512"}, r"size must look like"),
    Bad("huge size", {"size": "1000000x1000000"}, r"width must be between"),
    Bad("three-part size", {"size": "512x512x2"}, r"size must look like"),
    Bad("float size", {"size": "512.5x512"}, r"size must look like"),
    Bad("size and width", {"size": "512x512", "width": 512}, r"either size or width"),
    Bad("zero n", {"n": 0}, r"n must be"),
    Bad("huge n", {"n": 11}, r"n must be"),
    Bad("bool n", {"n": True}, r"n must be"),
    Bad("float n", {"n": 2.0}, r"n must be"),
    Bad("bad response_format", {"response_format": "png"}, r"response_format"),
    Bad("unknown provider", {"provider": "Nope"}, r"Unknown provider 'Nope'"),
    Bad("int provider", {"provider": 5}, r"Unknown provider 5"),
    Bad("non-provider class", {"provider": dict}, r"Unknown provider"),
    Bad("chat-only provider", {"provider": "DeepseekAI_JanusPro7b"}, r"'flux' not found"),
]
# n and response_format belong to generate (and response_format to generate_many) only.
_CLIENT_IMAGE_ONLY = {"n": ("generate",), "response_format": ("generate", "generate_many")}

CHAT_CASES = [
    Bad("int messages", {}, r"messages must be a list", messages=5),
    Bad(
        "dict messages", {}, r"messages must be a list", messages={"role": "user", "content": "hi"}
    ),
    Bad("bytes messages", {}, r"messages must be a list", messages=b"What is this?"),
    Bad("list of strings", {}, r"messages\[0\] must be a dict", messages=["What is this?"]),
    Bad("message without role", {}, r"needs a 'role'", messages=[{"content": "hi"}]),
    Bad(
        "int content", {}, r"string or a list of parts", messages=[{"role": "user", "content": 42}]
    ),
    Bad("bytes content", {}, r"not bytes", messages=[{"role": "user", "content": b"hi"}]),
    Bad("huge content", {}, r"the limit is", messages=[{"role": "user", "content": HUGE}]),
    Bad("empty messages", {}, r"prompt is empty", messages=[]),
    Bad("unknown model", {}, r"gpt-4o", model="gpt-4o"),
    Bad("dict conversation", {"conversation": {"session_hash": "x"}}, r"JsonConversation"),
    Bad("str return_conversation", {"return_conversation": "yes"}, r"return_conversation"),
    Bad("int api_key", {"api_key": 5}, r"api_key"),
    Bad("empty api_key", {"api_key": ""}, r"api_key"),
    Bad("int zerogpu_uuid", {"zerogpu_uuid": 5}, r"zerogpu_uuid"),
    Bad("list cookies", {"cookies": [("token", "x")]}, r"cookies"),
    Bad("int cookie value", {"cookies": {"token": 1}}, r"cookies"),
    Bad("bool seed", {"seed": True}, r"seed"),
    Bad("unknown parameter", {"temperature": 0.2}, r"does not take temperature"),
]


def _client_image_applies(case: Bad, entry: Entry) -> bool:
    for key, methods in _CLIENT_IMAGE_ONLY.items():
        if key in case.kwargs and not any(entry.name.endswith(f".{m}") for m in methods):
            return False
    return entry.name.startswith("Client.images")


def _names(where: str, entry: Entry) -> bool:
    """``where`` names this entry: exactly, as a prefix ending in '.', or as its provider."""
    name = entry.name
    return (
        name == where
        or (where.endswith(".") and name.startswith(where))
        or name.startswith(where + "[")
    )


def _takes_messages(case: Bad, entry: Entry) -> bool:
    """Message cases apply where messages are passed: providers and ``Client.submit``."""
    return case.messages == "<fox>" or not entry.name.startswith("Client.images")


def _bug(case: Bad, entry: Entry) -> Any:
    """The known SDK bug a case still hits at an entry point: none any more (all were fixed)."""
    return None


def _grouped(
    cases: list[Bad], entries: list[Entry], applies: Callable[[Bad, Entry], bool]
) -> list[Any]:
    """One test per bad input, over every entry point that takes it (known bugs left out)."""
    return [
        pytest.param(
            case, [e for e in entries if applies(case, e) and _bug(case, e) is None], id=case.label
        )
        for case in cases
    ]


def _try(entry: Entry, case: Bad, mocked: Any, tally: Any) -> None:
    model = entry.model if case.model == "<entry's>" else case.model
    question = "What is in this picture?" if entry.model == "janus-pro-7b" else FOX
    messages = (
        [{"role": "user", "content": question}] if case.messages == "<fox>" else case.messages
    )
    tally.add(entry.name, case.label)
    error = expect_rejection(lambda: entry.call(model, FOX, messages, dict(case.kwargs)), mocked)
    assert re.search(case.match, str(error)), (case.match, str(error))
    assert "\n" not in str(error)  # one line


def _everywhere(case: Bad, entries: list[Entry], tally: Any) -> None:
    assert entries
    reject_everywhere(
        (entry.name, lambda mocked, entry=entry: _try(entry, case, mocked, tally))
        for entry in entries
    )


def _always(case: Bad, entry: Entry) -> bool:
    return True


@pytest.mark.parametrize(("case", "entries"), _grouped(IMAGE_CASES, IMAGE_ENTRIES, _takes_messages))
def test_bad_image_input_is_rejected_before_any_request(case, entries, tally):
    _everywhere(case, entries, tally)


@pytest.mark.parametrize(
    ("case", "entries"), _grouped(CLIENT_IMAGE_CASES, IMAGE_ENTRIES, _client_image_applies)
)
def test_bad_client_image_options_are_rejected_before_any_request(case, entries, tally):
    _everywhere(case, entries, tally)


@pytest.mark.parametrize(("case", "entries"), _grouped(CHAT_CASES, CHAT_ENTRIES, _always))
def test_bad_chat_input_is_rejected_before_any_request(case, entries, tally):
    _everywhere(case, entries, tally)


@pytest.mark.parametrize(
    "provider",
    ["Nope", 5, "", ["HuggingSpace"], int],
    ids=["unknown", "int", "empty", "list", "non-provider class"],
)
@pytest.mark.parametrize("call", ["submit", "chat"])
def test_unknown_providers_are_rejected_by_submit_and_chat(call, provider, no_requests, tally):
    tally.add(f"Client.{call}", f"provider={provider!r}")

    def attempt() -> object:
        with Client() as client:
            if call == "submit":
                return client.submit("flux", FOX, provider=provider)
            return client.chat.completions.create(messages="hi", provider=provider)

    assert "Unknown provider" in str(expect_rejection(attempt, no_requests))


# --- generate_many's prompt list ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompts", "match"),
    [
        ([5], r"prompt must be a string, not int"),
        ([b"a fox"], r"prompt must be a string, not bytes"),
        (["a fox", "  "], r"prompt is empty"),
        (["a fox", HUGE], r"the limit is"),
        ((p for p in ["a fox", None]), r"prompt must be a string, not NoneType"),
        pytest.param(
            5,
            r"prompts",
            id="int-prompts",
        ),
        pytest.param(
            "fox",
            r"prompts",
            id="str-prompts",
        ),
    ],
)
def test_generate_many_checks_every_prompt_first(prompts, match, no_requests, tally):
    tally.add("Client.images.generate_many", f"prompts={prompts!r}"[:60])

    def attempt() -> object:
        with Client() as client:
            return drain(client.images.generate_many(prompts, model="flux-schnell"))

    assert re.search(match, str(expect_rejection(attempt, no_requests)))


@pytest.mark.parametrize("max_concurrency", [0, -1, 1.5, True, "2", None])
def test_generate_many_checks_max_concurrency(max_concurrency, no_requests, tally):
    tally.add("Client.images.generate_many", f"max_concurrency={max_concurrency!r}")

    def attempt() -> object:
        with Client() as client:
            return drain(client.images.generate_many(["a fox"], max_concurrency=max_concurrency))

    assert "max_concurrency" in str(expect_rejection(attempt, no_requests))


# --- falsy models of the wrong type -------------------------------------------------------------

_FALSY_MODEL = (
    DID_NOT_RAISE,
    "providers/base.py get_model (and janus/g4f/aggregator 'model or default'): a falsy model of "
    "the wrong type ([] or 0) silently means the default model",
)


@pytest.mark.parametrize("model", [[], 0, {}], ids=["empty-list", "zero", "empty-dict"])
@pytest.mark.parametrize(
    "provider",
    [BlackForestLabs_Flux1Schnell, DeepseekAI_JanusPro7b, G4F, HuggingSpace],
    ids=lambda p: p.__name__,
)
def test_a_falsy_model_of_the_wrong_type_is_rejected(provider, model, tally):
    tally.add(f"{provider.__name__}.prepare", f"model={model!r}")
    with pytest.raises(InvalidArgumentError, match="(?i)model"):
        provider.prepare(model, [{"role": "user", "content": FOX}])


# --- ZeroGPU arguments that cannot be HTTP header values ---------------------------------------

_HEADER_VALUE_BUG = (
    AcceptedBadInput,
    "providers/zerogpu_access.py ZeroGPUAccess.from_arguments checks only the type: an api_key "
    "or zerogpu_uuid with CR/LF or non-Latin-1 characters is accepted and fails at request time "
    "(with the value - a token - in the exception)",
)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("api_key", "zg-token\r\nX-Injected: 1"),
        ("api_key", "zg-token\u20ac"),
        ("zerogpu_uuid", "uuid\nX-Injected: 1"),
    ],
)
@pytest.mark.parametrize(
    "entry",
    [e for e in CHAT_ENTRIES if e.name.startswith(("Client.chat", "Deepseek"))],
    ids=lambda e: e.name,
)
def test_zerogpu_arguments_must_be_valid_header_values(entry, option, value, no_requests, tally):
    kwargs = {"api_key": "zg-token", option: value}  # a caller's token, so both headers are sent
    case = Bad(f"{option} not a header value", kwargs, option)
    _try(entry, case, no_requests, tally)

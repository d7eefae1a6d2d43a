"""No secret in ``repr()``/``str()`` of any object, nor in any exception's message, args or traceback.

Objects: ``Client``, every provider, ``Settings``, ``Runtime``, ``HttpClient``, ``Space``, ``Job``,
``JsonConversation``, ``ZeroGPUCredentials``, ``ZeroGPUAccess``, every provider's plan (frozen
dataclasses, whose generated repr shows every field), ``ImagesResponse``/``Image``,
``ChatCompletion``/``ChatCompletionChunk`` holding a conversation with a token, ``GenerationResult``.

Exceptions: every error raised in the failure scenarios, including ``ResponseStatusError``, which
keeps the ``requests.Response`` (whose ``.request.headers`` hold the credentials it was sent with).
"""

from __future__ import annotations

import dataclasses
import pickle
import pprint
import traceback
from typing import Any

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
from security_servers import PNG

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    ChatCompletion,
    ChatCompletionChunk,
    Client,
    DeepseekAI_JanusPro7b,
    FluxDev,
    GenerationResult,
    HFSpaceError,
    HuggingSpace,
    Image,
    ImagesResponse,
    JsonConversation,
    MissingAuthError,
    ResponseStatusError,
    Settings,
    Voodoohop_Flux1Schnell,
)
from hfspace_sdk.providers.zerogpu_access import ZeroGPUAccess
from hfspace_sdk.runtime import Runtime
from hfspace_sdk.zerogpu import ZeroGPUCredentials

PROVIDERS = [
    BlackForestLabs_Flux1Dev,
    FluxDev,
    BlackForestLabs_Flux1Schnell,
    Voodoohop_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    G4F,
    HuggingSpace,
]
OPTIONS: dict[str, Any] = {
    "hf_token": HF_TOKEN,
    "cookies": {"token": COOKIE},
    "proxy": "http://127.0.0.1:9",
    "hub_url": "http://127.0.0.1:9",
    "space_urls": space_urls_to("http://127.0.0.1:9"),
}
FOX = [{"role": "user", "content": "a red fox"}]


def _shown(value: Any) -> str:
    """Every ordinary way an object is shown: repr, str, format, pprint, f-string."""
    return "\n".join(
        [repr(value), str(value), format(value), pprint.pformat(value), f"{value!r:>10}"]
    )


def _conversation() -> JsonConversation:
    return JsonConversation(
        session_hash="s1",
        zerogpu_token=HUB_ZEROGPU,
        zerogpu_uuid="u1",
        api_key=API_KEY,
        hf_token=HF_TOKEN,
        token=PAGE_TOKEN,
    )


def _objects() -> dict[str, Any]:
    client = Client(**OPTIONS)
    runtime = Runtime(client.settings)  # what a client holds: the same settings
    objects: dict[str, Any] = {
        "Settings": Settings.from_options(**OPTIONS),
        "Client": client,
        "Client.settings": client.settings,
        "Runtime": runtime,
        "HttpClient": runtime.http,
        "Space": runtime.space("black-forest-labs/FLUX.1-dev"),
        "ImageDownloader": runtime.download,
        "JsonConversation": _conversation(),
        "ZeroGPUCredentials": ZeroGPUCredentials(token=HUB_ZEROGPU, uuid="u1"),
        "ZeroGPUAccess": ZeroGPUAccess.from_arguments(
            api_key=API_KEY, uuid="u1", cookies={"token": COOKIE}
        ),
        "ChatCompletion": ChatCompletion(
            model="janus-pro-7b", provider="X", choices=(), conversation=_conversation()
        ),
        "ChatCompletionChunk": ChatCompletionChunk(
            id="c", model="janus-pro-7b", provider="X", choices=(), conversation=_conversation()
        ),
        "ImagesResponse": ImagesResponse.now(
            model="flux",
            provider="X",
            data=[Image(url="http://127.0.0.1:9/x.png", revised_prompt="a fox")],
        ),
        "GenerationResult": GenerationResult(
            index=0, prompt="a fox", error=MissingAuthError("Response 401", status_code=401)
        ),
    }
    for provider in PROVIDERS:
        objects[provider.__name__] = provider(**OPTIONS)
    zerogpu = {"api_key": API_KEY, "cookies": {"token": COOKIE}, "zerogpu_uuid": "u1"}
    objects["plan FLUX.1-dev"] = BlackForestLabs_Flux1Dev.prepare("flux", FOX, **zerogpu)
    objects["plan FLUX.1-schnell"] = BlackForestLabs_Flux1Schnell.prepare("flux", FOX)
    objects["plan Janus chat"] = DeepseekAI_JanusPro7b.prepare(
        "janus-pro-7b", FOX, media=PNG, conversation=_conversation(), **zerogpu
    )
    objects["plan Janus first turn"] = DeepseekAI_JanusPro7b.prepare(
        "janus-pro-7b", FOX, cookies={"token": COOKIE}
    )
    objects["plan G4F run/predict"] = G4F.prepare("flux-schnell", FOX, **zerogpu)
    objects["plan HuggingSpace"] = HuggingSpace.prepare("flux", FOX, **zerogpu)
    objects["plan HuggingSpace janus"] = HuggingSpace.prepare(
        "janus-pro-7b", FOX, conversation=_conversation(), **zerogpu
    )
    return objects


def test_no_object_shows_a_secret(leak_check):
    objects = _objects()
    try:
        for name, value in objects.items():
            leak_check(_shown(value), f"repr/str of {name}")
    finally:
        objects["Client"].close()
        objects["Runtime"].close()
        for provider in PROVIDERS:
            objects[provider.__name__].close()


def test_a_job_shows_no_secret(space, hub, leak_check):
    with Client(
        space_urls=space_urls_to(space.url),
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
    ) as client:
        job = client.submit(
            "flux-dev", "a red fox", provider="BlackForestLabs_Flux1Dev", api_key=API_KEY
        )
        leak_check(_shown(job), "a running Job")
        job.result(timeout=30)
        leak_check(_shown(job), "a finished Job")
        chat = client.chat.completions.create(messages="What is this?", image=PNG)
    assert chat.conversation is not None and chat.conversation.zerogpu_token  # it does hold a token
    leak_check(_shown(chat), "a ChatCompletion from a real turn")


def test_plans_hold_secrets_but_do_not_show_them():
    """The frozen plans keep the caller's token (they need it): only their repr hides it."""
    plan = BlackForestLabs_Flux1Dev.prepare("flux", FOX, api_key=API_KEY)
    assert plan.access.api_key == API_KEY
    assert API_KEY not in repr(plan)
    # dataclasses.asdict is a deliberate dump, not a display: it shows everything, by design
    assert API_KEY in str(dataclasses.asdict(plan))


# --- exceptions ----------------------------------------------------------------------------------


def _failures(space, hub, other) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Run the failure scenarios; every exception raised."""
    errors: list[BaseException] = []

    def attempt(run) -> None:  # type: ignore[no-untyped-def]
        try:
            run()
        except HFSpaceError as exc:
            errors.append(exc)

    def client(**options: Any) -> Client:
        base = {
            "space_urls": space_urls_to(space.url),
            "hub_url": hub.url,
            "hf_token": HF_TOKEN,
            "cookies": {"token": COOKIE},
            "retry_sleep": no_wait,
        }
        return Client(**{**base, **options})

    flux_dev = {"model": "flux-dev", "provider": "BlackForestLabs_Flux1Dev"}
    with client() as c:
        hub.behaviour.status = 401
        attempt(lambda: c.images.generate("a fox", **flux_dev))
        attempt(
            lambda: c.chat.completions.create(messages="Hi")
        )  # HuggingSpace: AllProvidersFailed
        hub.behaviour.status = 503
        attempt(lambda: c.images.generate("a fox", **flux_dev))
        hub.behaviour.status = None
        space.behaviour.fail_message = (
            "You have exceeded your GPU quota (60s requested vs. 5s left)."
        )
        attempt(lambda: c.images.generate("a fox", **flux_dev))
        attempt(
            lambda: c.images.generate(
                "a fox", model="flux-schnell", provider="G4F", api_key=API_KEY
            )
        )
        space.behaviour.fail_message = None
        space.behaviour.join_status = 401
        attempt(lambda: c.images.generate("a fox", **flux_dev, api_key=API_KEY))
        space.behaviour.join_status = 500
        attempt(lambda: c.images.generate("a fox", model="flux"))
        space.behaviour.join_status = None
        space.behaviour.image_body = b"<html>not an image</html>"
        attempt(lambda: c.images.generate("a fox", **flux_dev, response_format="b64_json"))
        space.behaviour.redirects["/queue/join"] = other.url_as("localhost") + "/nowhere"
        attempt(lambda: c.images.generate("a fox", **flux_dev))
    with client(space_urls=space_urls_to("http://127.0.0.1:9")) as c:
        attempt(lambda: c.images.generate("a fox", **flux_dev, api_key=API_KEY))
    space.behaviour.redirects.clear()
    space.behaviour.image_body = PNG
    space.behaviour.stall = 1.0
    with client(timeout=0.3) as c:
        attempt(lambda: c.images.generate("a fox", **flux_dev))
    with client() as c:
        job = c.submit("flux-dev", "a fox", provider="BlackForestLabs_Flux1Dev", api_key=API_KEY)
        job.cancel()
        attempt(lambda: job.result(timeout=10))
    space.behaviour.stall = 0.0
    return errors


def _exception_texts(error: BaseException) -> str:
    texts = [
        str(error),
        repr(error),
        repr(error.args),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    for value in vars(error).values():
        if not hasattr(value, "request"):  # the response object is checked on its own below
            texts.append(repr(value))
    response = getattr(error, "response", None)
    if response is not None:
        texts += [repr(response), str(response), repr(response.request)]
    return "\n".join(texts)


def test_no_exception_shows_a_secret(space, hub, other, leak_check):
    errors = _failures(space, hub, other)
    kinds = {type(error).__name__ for error in errors}
    assert {
        "MissingAuthError",
        "ResponseStatusError",
        "QuotaExceededError",
        "AllProvidersFailedError",
        "ProtocolError",
        "SpaceConnectionError",
        "SpaceTimeoutError",
        "JobCancelledError",
    } <= kinds, kinds
    for error in errors:
        leak_check(_exception_texts(error), f"{type(error).__name__}: {error}")
        for inner in getattr(error, "errors", {}).values():  # AllProvidersFailedError.errors
            leak_check(
                _exception_texts(inner), f"{type(inner).__name__} inside {type(error).__name__}"
            )


def _hub_refusal(space, hub) -> ResponseStatusError:  # type: ignore[no-untyped-def]
    hub.behaviour.status = 401
    with (
        Client(
            space_urls=space_urls_to(space.url),
            hub_url=hub.url,
            hf_token=HF_TOKEN,
            cookies={"token": COOKIE},
        ) as c,
        pytest.raises(MissingAuthError) as info,
    ):
        c.images.generate("a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev")
    return info.value


def test_an_error_from_the_hub_carries_no_credentials(space, hub, leak_check):
    error = _hub_refusal(space, hub)
    assert error.response is not None and error.response.status_code == 401
    leak_check(repr(dict(error.response.request.headers)), "error.response.request.headers")
    leak_check(pickle.dumps(error).decode("latin-1"), "pickle.dumps(error)")


def test_errors_survive_pickling(space, hub):
    error = _hub_refusal(space, hub)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is MissingAuthError and str(copy) == str(error) and copy.status_code == 401

"""The OpenAI-style facade: ``client.images``, ``client.chat.completions``, ``client.submit``.

Built on the providers' plans and the job pool; it adds no logic of its own beyond shaping
requests and results. No I/O happens when a client is built.
"""

from __future__ import annotations

import base64
import functools
import queue
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Literal, Optional, Union, overload

from .config import Settings, Timeout
from .errors import InvalidArgumentError, ResponseError
from .events import Event, ImagePreview, ImageResponse, JsonConversation
from .images import Image, ImagesResponse, download_image
from .jobs import Job
from .params import require_prompt, validate_dimension, validate_seed
from .progress import ProgressBar
from .providers import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    Provider,
    Voodoohop_Flux1Schnell,
)
from .providers.base import Plan, iterate_job, start_plan
from .runtime import Runtime, RuntimeOwner

__all__ = ["PROVIDERS", "Client", "GenerationResult", "resolve_provider"]

#: Every provider by name, for ``provider="..."``.
PROVIDERS: Mapping[str, type[Provider]] = {
    provider.__name__: provider
    for provider in (
        HuggingSpace,
        BlackForestLabs_Flux1Dev,
        FluxDev,
        BlackForestLabs_Flux1Schnell,
        Voodoohop_Flux1Schnell,
        DeepseekAI_JanusPro7b,
        G4F,
    )
}
ProviderChoice = Union[str, type[Provider], None]
_RESPONSE_FORMATS = ("url", "b64_json")


def resolve_provider(provider: ProviderChoice) -> type[Provider]:
    """A provider class from a class, a name (any case) or None (``HuggingSpace`` routes).

    Raises:
        InvalidArgumentError: an unknown name or a value that is not a provider.
    """
    if provider is None:
        return HuggingSpace
    if isinstance(provider, type) and issubclass(provider, Provider):
        return provider
    if isinstance(provider, str):
        for name, provider_class in PROVIDERS.items():
            if name.lower() == provider.lower():
                return provider_class
    raise InvalidArgumentError(
        f"Unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}"
    )


def _parse_size(size: Any) -> tuple[int, int]:
    if not isinstance(size, str) or size.count("x") != 1:
        raise InvalidArgumentError(f"size must look like '1024x768', not {size!r}")
    width, height = size.split("x")
    if not (width.strip().isdigit() and height.strip().isdigit()):
        raise InvalidArgumentError(f"size must look like '1024x768', not {size!r}")
    return validate_dimension("width", int(width)), validate_dimension("height", int(height))


def _image_params(
    *,
    size: Optional[str],
    width: Optional[int],
    height: Optional[int],
    aspect_ratio: Optional[str],
    seed: Optional[int],
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """The provider keywords for an image request; unset values are left to the provider."""
    if size is not None:
        if width is not None or height is not None:
            raise InvalidArgumentError("Give either size or width/height, not both")
        width, height = _parse_size(size)
    chosen = {"width": width, "height": height, "aspect_ratio": aspect_ratio, "seed": seed}
    return {**params, **{key: value for key, value in chosen.items() if value is not None}}


@dataclass(frozen=True)
class GenerationResult:
    """One prompt's outcome from :meth:`Images.generate_many`: a response or an error."""

    index: int
    prompt: str
    response: Optional[ImagesResponse] = None
    error: Optional[BaseException] = None


class Images:
    """``client.images``: text-to-image generation."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def _plans(
        self,
        prompt: Any,
        *,
        model: str,
        provider: ProviderChoice,
        n: int,
        seed: Optional[int],
        options: Mapping[str, Any],
    ) -> tuple[type[Provider], list[Plan]]:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
            raise InvalidArgumentError(f"n must be a whole number from 1 to 10, not {n!r}")
        provider_class = resolve_provider(provider)
        text = require_prompt(prompt)
        first_seed = validate_seed(seed)  # before seed + index: True or "7" must not slip through
        messages = [{"role": "user", "content": text}]
        plans = [
            provider_class.prepare(
                model,
                messages,
                prompt=text,
                **{**options, **({} if first_seed is None else {"seed": first_seed + index})},
            )
            for index in range(n)
        ]
        return provider_class, plans

    def generate(
        self,
        prompt: str,
        *,
        model: str = "flux",
        provider: ProviderChoice = None,
        n: int = 1,
        size: Optional[str] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        aspect_ratio: Optional[str] = None,
        seed: Optional[int] = None,
        response_format: str = "url",
        progress: bool = False,
        **params: Any,
    ) -> ImagesResponse:
        """Generate ``n`` images (concurrently on the pool) and return the final ones.

        Args:
            prompt: what to draw.
            model: a model or alias (``flux``, ``flux-dev``, ``flux-schnell``, ``janus-pro-7b-image``).
            provider: a provider class or name; default ``HuggingSpace`` (routes, with fallback).
            n: how many generations (seeds ``seed``, ``seed + 1``, ... when a seed is given).
            size: ``"WxH"``, or give ``width``/``height``, or ``aspect_ratio`` such as ``"16:9"``.
            seed: the first seed; default: the provider's (random).
            response_format: ``"url"``, or ``"b64_json"`` to download and embed the images.
            progress: show a progress bar (needs tqdm: ``pip install hfspace_sdk[progress]``).
            **params: passed to the provider (``num_inference_steps``, ``guidance_scale``, ...).

        Raises:
            InvalidArgumentError: bad input, before any request.
            HFSpaceError: the generation failed (the other generations are then cancelled).
        """
        if response_format not in _RESPONSE_FORMATS:
            raise InvalidArgumentError(
                f"response_format must be 'url' or 'b64_json', not {response_format!r}"
            )
        options = _image_params(
            size=size,
            width=width,
            height=height,
            aspect_ratio=aspect_ratio,
            seed=None,
            params=params,
        )
        provider_class, plans = self._plans(
            prompt, model=model, provider=provider, n=n, seed=seed, options=options
        )
        bar = ProgressBar(progress, description=str(prompt)[:40])
        jobs = [self._client._start(plan) for plan in plans]
        try:
            shown = bar if len(jobs) == 1 and bar.enabled else None
            finals = [_final_image(job, shown) for job in jobs]
            if len(jobs) > 1:
                bar.count_done(len(jobs))
        except BaseException:
            for job in jobs:
                job.cancel()
            raise
        finally:
            bar.close()
        return self._client._images_response(
            finals, model=model, provider=provider_class, response_format=response_format
        )

    def stream(
        self,
        prompt: str,
        *,
        model: str = "flux",
        provider: ProviderChoice = None,
        size: Optional[str] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        aspect_ratio: Optional[str] = None,
        seed: Optional[int] = None,
        **params: Any,
    ) -> Iterator[Event]:
        """Generate one image, yielding its events as they arrive (progress, previews, result).

        Input is checked at once; leaving the loop early cancels the generation.
        """
        options = _image_params(
            size=size,
            width=width,
            height=height,
            aspect_ratio=aspect_ratio,
            seed=seed,
            params=params,
        )
        _, [plan] = self._plans(
            prompt, model=model, provider=provider, n=1, seed=None, options=options
        )
        return iterate_job(lambda: self._client._start(plan))

    def generate_many(
        self,
        prompts: Iterable[str],
        *,
        max_concurrency: int = 4,
        **options: Any,
    ) -> Iterator[GenerationResult]:
        """Generate one image per prompt, at most ``max_concurrency`` at a time; results as they finish.

        Every prompt is checked before the first request. A failed prompt is reported in its
        result's ``error``; the others go on. Leaving the loop early cancels the rest.
        """
        if (
            isinstance(max_concurrency, bool)
            or not isinstance(max_concurrency, int)
            or max_concurrency < 1
        ):
            raise InvalidArgumentError(
                f"max_concurrency must be a positive whole number, not {max_concurrency!r}"
            )
        response_format = options.pop("response_format", "url")
        model = options.pop("model", "flux")
        provider = options.pop("provider", None)
        if response_format not in _RESPONSE_FORMATS:
            raise InvalidArgumentError(
                f"response_format must be 'url' or 'b64_json', not {response_format!r}"
            )
        image_options = _image_params(
            size=options.pop("size", None),
            width=options.pop("width", None),
            height=options.pop("height", None),
            aspect_ratio=options.pop("aspect_ratio", None),
            seed=options.pop("seed", None),
            params=options,
        )
        if isinstance(prompts, (str, bytes)) or not isinstance(prompts, Iterable):
            raise InvalidArgumentError(
                "prompts must be a list (or other iterable) of prompt strings"
            )
        texts = list(prompts)
        provider_class = resolve_provider(provider)
        plans = [
            self._plans(
                text, model=model, provider=provider_class, n=1, seed=None, options=image_options
            )[1][0]
            for text in texts
        ]
        return self._client._run_bounded(
            texts, plans, max_concurrency, model, provider_class, response_format
        )


def _put_indexed(finished: queue.SimpleQueue[tuple[int, Job]], index: int, job: Job) -> None:
    finished.put((index, job))


def _final_image(job: Job, bar: Optional[ProgressBar]) -> ImageResponse:
    """Consume a job and return its final image (previews are only shown on the bar)."""
    if bar is None:
        # Nobody watches the events: wait for the end, then read them all at once. The
        # caller's thread wakes once per job instead of once per event.
        job.result()
    final: Optional[ImageResponse] = None
    for event in job:
        if bar is not None:
            bar.update(event)
        if isinstance(event, ImageResponse) and not isinstance(event, ImagePreview):
            final = event
    if final is None:
        raise ResponseError("The generation ended without an image")
    return final


class Completions:
    """``client.chat.completions``: chat with Janus-Pro-7B, optionally about an image."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @overload
    def create(
        self,
        *,
        messages: Union[str, Sequence[Mapping[str, Any]]],
        model: str = ...,
        provider: ProviderChoice = ...,
        image: Any = ...,
        conversation: Optional[JsonConversation] = ...,
        stream: Literal[False] = ...,
        **params: Any,
    ) -> ChatCompletion: ...

    @overload
    def create(
        self,
        *,
        messages: Union[str, Sequence[Mapping[str, Any]]],
        model: str = ...,
        provider: ProviderChoice = ...,
        image: Any = ...,
        conversation: Optional[JsonConversation] = ...,
        stream: Literal[True],
        **params: Any,
    ) -> Iterator[ChatCompletionChunk]: ...

    def create(
        self,
        *,
        messages: Union[str, Sequence[Mapping[str, Any]]],
        model: str = "janus-pro-7b",
        provider: ProviderChoice = None,
        image: Any = None,
        conversation: Optional[JsonConversation] = None,
        stream: bool = False,
        **params: Any,
    ) -> Union[ChatCompletion, Iterator[ChatCompletionChunk]]:
        """Answer the conversation. ``image`` is bytes, a path, a binary file or a data URI.

        Returns a :class:`ChatCompletion`, or with ``stream=True`` an iterator of
        :class:`ChatCompletionChunk`. Status lines never go into the content.

        Raises:
            InvalidArgumentError: bad input, before any request.
            HFSpaceError: the Space failed.
        """
        provider_class = resolve_provider(provider)
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        if image is not None:
            params["media"] = image
        if conversation is not None:
            params["conversation"] = conversation
        plan = provider_class.prepare(model, messages, **params)
        if stream:  # the job starts on the first next(), like every stream
            return _stream_chunks(
                lambda: self._client._start(plan), model=model, provider=provider_class.__name__
            )
        content, found = [], None
        for event in self._client._start(plan):
            if isinstance(event, JsonConversation):
                found = event
            elif isinstance(event, (str, ImageResponse)) and not isinstance(event, ImagePreview):
                content.append(str(event))
        return ChatCompletion(
            model=model,
            provider=provider_class.__name__,
            choices=[Choice(message=ChatMessage(content="".join(content)))],
            conversation=found,
        )


def _stream_chunks(
    start: Callable[[], Job], *, model: str, provider: str
) -> Iterator[ChatCompletionChunk]:
    identity = ChatCompletion(model=model, provider=provider, choices=()).id
    conversation = None
    for event in iterate_job(start):
        if isinstance(event, JsonConversation):
            conversation = event
        elif isinstance(event, (str, ImageResponse)) and not isinstance(event, ImagePreview):
            yield ChatCompletionChunk(
                id=identity,
                model=model,
                provider=provider,
                choices=[ChunkChoice(delta=Delta(content=str(event)))],
            )
    yield ChatCompletionChunk(
        id=identity,
        model=model,
        provider=provider,
        choices=[ChunkChoice(delta=Delta(), finish_reason="stop")],
        conversation=conversation,
    )


class Chat:
    """``client.chat``."""

    def __init__(self, client: Client) -> None:
        self.completions = Completions(client)


class Client(RuntimeOwner):
    """Generate images and chat through Hugging Face Spaces, with OpenAI-style calls.

    Every option is keyword-only (see :class:`~hfspace_sdk.Provider` for their meaning);
    nothing is sent until the first call. Thread-safe: one client may be shared by all the
    threads of a script or a web app; its jobs run on one pool of ``max_workers`` threads.
    Close it (or use ``with``) when done.

    Example::

        with Client() as client:
            result = client.images.generate("a red fox", model="flux-dev")
            result.data[0].save("fox.webp")
    """

    def __init__(
        self,
        *,
        space_urls: Optional[Mapping[str, str]] = None,
        hub_url: Optional[str] = None,
        hf_token: Optional[str] = None,
        cookies: Optional[Mapping[str, str]] = None,
        proxy: Optional[str] = None,
        timeout: Union[Timeout, float, None] = None,
        max_workers: Optional[int] = None,
    ) -> None:
        self._runtime = Runtime(
            Settings.from_options(
                space_urls=space_urls,
                hub_url=hub_url,
                hf_token=hf_token,
                cookies=cookies,
                proxy=proxy,
                timeout=timeout,
                max_workers=max_workers,
            )
        )
        self.images = Images(self)
        self.chat = Chat(self)

    @property
    def settings(self) -> Settings:
        """The client's settings (secrets hidden in their repr)."""
        return self._runtime.settings

    def submit(
        self,
        model: str,
        messages: Union[str, Sequence[Mapping[str, Any]]],
        *,
        provider: ProviderChoice = None,
        **params: Any,
    ) -> Job:
        """Start any generation as a :class:`Job` (events, ``result()``, ``cancel()``).

        Raises:
            InvalidArgumentError: bad input, before any request.
        """
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        return self._start(resolve_provider(provider).prepare(model, messages, **params))

    def _start(self, plan: Plan) -> Job:
        return start_plan(self._runtime, plan)

    def download(self, url: str) -> bytes:
        """Fetch an image URL (size-capped, content-checked, no credentials sent)."""
        return download_image(self._runtime.http, url)

    def _images_response(
        self,
        finals: Sequence[ImageResponse],
        *,
        model: str,
        provider: type[Provider],
        response_format: str,
    ) -> ImagesResponse:
        images = []
        for final in finals:
            for url in final.urls:
                if response_format == "b64_json":
                    data = base64.b64encode(self.download(url)).decode("ascii")
                    images.append(
                        Image(b64_json=data, revised_prompt=final.alt, _downloader=self.download)
                    )
                else:
                    images.append(
                        Image(url=url, revised_prompt=final.alt, _downloader=self.download)
                    )
        return ImagesResponse.now(model=model, provider=provider.__name__, data=images)

    def _run_bounded(
        self,
        prompts: list[str],
        plans: list[Plan],
        max_concurrency: int,
        model: str,
        provider: type[Provider],
        response_format: str,
    ) -> Iterator[GenerationResult]:
        finished: queue.SimpleQueue[tuple[int, Job]] = queue.SimpleQueue()
        running: dict[int, Job] = {}
        waiting = list(enumerate(plans))
        waiting.reverse()
        try:
            while waiting or running:
                while waiting and len(running) < max_concurrency:
                    index, plan = waiting.pop()
                    job = self._start(plan)
                    running[index] = job
                    job.add_done_callback(functools.partial(_put_indexed, finished, index))
                index, job = finished.get()
                del running[index]
                yield self._outcome(index, prompts[index], job, model, provider, response_format)
        finally:
            for job in running.values():
                job.cancel()

    def _outcome(
        self,
        index: int,
        prompt: str,
        job: Job,
        model: str,
        provider: type[Provider],
        response_format: str,
    ) -> GenerationResult:
        try:
            final = job.result(timeout=0)
            if not isinstance(final, ImageResponse) or isinstance(final, ImagePreview):
                raise ResponseError("The generation ended without an image")
            response = self._images_response(
                [final], model=model, provider=provider, response_format=response_format
            )
        except Exception as error:
            return GenerationResult(index=index, prompt=prompt, error=error)
        return GenerationResult(index=index, prompt=prompt, response=response)

    def __repr__(self) -> str:
        return f"<Client {self._runtime.settings!r}>"


from .completions import (  # noqa: E402 - the result types, re-exported next to the client
    ChatCompletion,
    ChatCompletionChunk,
    ChatMessage,
    Choice,
    ChunkChoice,
    Delta,
)

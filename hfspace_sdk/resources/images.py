"""``client.images``: text-to-image generation (one, ``n`` at once, or many prompts in turn) and
image editing."""

from __future__ import annotations

import base64
import functools
import queue
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import InvalidArgumentError, ResponseError
from ..events import Event, ImageResponse, is_final_result
from ..images import Image, ImagesResponse
from ..jobs import Job
from ..params import as_messages, require_prompt, validate_dimension, validate_seed
from ..progress import ProgressBar
from ..providers.base import Plan, Provider, iterate_job, start_plan
from ..providers.registry import ProviderChoice, resolve_provider
from ..runtime import Runtime
from .image_edits import edit_media

__all__ = ["GenerationResult", "Images"]

_RESPONSE_FORMATS = ("url", "b64_json")


@dataclass(frozen=True)
class GenerationResult:
    """One prompt's outcome from :meth:`Images.generate_many`: a response or an error."""

    index: int
    prompt: str
    response: Optional[ImagesResponse] = None
    error: Optional[BaseException] = None


class Images:
    """``client.images``: runs image plans on the client's runtime and shapes the results."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

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
        _check_response_format(response_format)
        options = _image_options(size=size, width=width, height=height, aspect_ratio=aspect_ratio)
        provider_class, plans = _plans(
            prompt, model=model, provider=provider, n=n, seed=seed, options={**params, **options}
        )
        finals = self._run_all(plans, progress=progress, description=str(prompt))
        return self._response(finals, model, provider_class.__name__, response_format)

    def edit(
        self,
        image: Any,
        prompt: str,
        *,
        model: str = "flux-kontext-dev",
        provider: ProviderChoice = None,
        n: int = 1,
        seed: Optional[int] = None,
        response_format: str = "url",
        progress: bool = False,
        **params: Any,
    ) -> ImagesResponse:
        """Edit an image with an instruction (FLUX.1-Kontext-dev) and return the edited ones.

        Args:
            image: the picture to edit: a file path, bytes, a binary file, a data: URI, a PIL
                image, or an :class:`~hfspace_sdk.Image` from an earlier result (downloaded
                and uploaded in the job: ``generate`` → ``edit`` needs no saving).
            prompt: the instruction ("make it snowy").
            model: an editing model (``flux-kontext-dev``).
            provider: a provider class or name; default ``HuggingSpace``.
            n: how many edits (seeds ``seed``, ``seed + 1``, ... when a seed is given).
            seed: the first seed; default: the provider's (random).
            response_format: ``"url"``, or ``"b64_json"`` to download and embed the images.
            progress: show a progress bar (needs tqdm).
            **params: passed to the provider (``guidance_scale``, ``num_inference_steps``).

        Raises:
            InvalidArgumentError: bad input (no image, a file that is not an image, one too
                large), before any request.
            HFSpaceError: the edit failed (the other edits are then cancelled).
        """
        _check_response_format(response_format)
        media = edit_media(image, params)
        provider_class, plans = _plans(
            prompt, model=model, provider=provider, n=n, seed=seed, options={**params, **media}
        )
        finals = self._run_all(plans, progress=progress, description=str(prompt))
        return self._response(finals, model, provider_class.__name__, response_format)

    def _run_all(
        self, plans: Sequence[Plan], *, progress: bool, description: str
    ) -> list[ImageResponse]:
        """Run the plans at once; their final images, in order (all cancelled on a failure)."""
        bar = ProgressBar(progress, description=description[:40])
        jobs = [start_plan(self._runtime, plan) for plan in plans]
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
        return finals

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

        Input is checked at once; the job starts on the first ``next()``; leaving the loop
        early cancels the generation.
        """
        options = _image_options(size=size, width=width, height=height, aspect_ratio=aspect_ratio)
        _, [plan] = _plans(
            prompt, model=model, provider=provider, n=1, seed=seed, options={**params, **options}
        )
        return iterate_job(lambda: start_plan(self._runtime, plan))

    def generate_many(
        self,
        prompts: Iterable[str],
        *,
        max_concurrency: int = 4,
        model: str = "flux",
        provider: ProviderChoice = None,
        size: Optional[str] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        aspect_ratio: Optional[str] = None,
        seed: Optional[int] = None,
        response_format: str = "url",
        **params: Any,
    ) -> Iterator[GenerationResult]:
        """Generate one image per prompt, at most ``max_concurrency`` at a time; results as they
        finish (every one with the same ``seed`` when given).

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
        _check_response_format(response_format)
        options = _image_options(size=size, width=width, height=height, aspect_ratio=aspect_ratio)
        if seed is not None:
            options["seed"] = seed
        if isinstance(prompts, (str, bytes)) or not isinstance(prompts, Iterable):
            raise InvalidArgumentError(
                "prompts must be a list (or other iterable) of prompt strings"
            )
        texts = list(prompts)
        provider_class = resolve_provider(provider)
        plans = [
            _plans(
                text,
                model=model,
                provider=provider_class,
                n=1,
                seed=None,
                options={**params, **options},
            )[1][0]
            for text in texts
        ]
        return self._run_bounded(
            texts, plans, max_concurrency, model, provider_class.__name__, response_format
        )

    def _response(
        self, finals: Sequence[ImageResponse], model: str, provider: str, response_format: str
    ) -> ImagesResponse:
        """The final images in OpenAI's shape; they download with the client's settings."""
        download = self._runtime.download
        images = []
        for final in finals:
            for url in final.urls:
                if response_format == "b64_json":
                    data = base64.b64encode(download(url)).decode("ascii")
                    images.append(
                        Image(b64_json=data, revised_prompt=final.alt, _downloader=download)
                    )
                else:
                    images.append(Image(url=url, revised_prompt=final.alt, _downloader=download))
        return ImagesResponse.now(model=model, provider=provider, data=images)

    def _run_bounded(
        self,
        prompts: list[str],
        plans: list[Plan],
        max_concurrency: int,
        model: str,
        provider: str,
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
                    job = start_plan(self._runtime, plan)
                    running[index] = job
                    job.add_done_callback(functools.partial(_put_indexed, finished, index))
                index, job = finished.get()
                del running[index]
                yield self._outcome(index, prompts[index], job, model, provider, response_format)
        finally:
            for job in running.values():
                job.cancel()

    def _outcome(
        self, index: int, prompt: str, job: Job, model: str, provider: str, response_format: str
    ) -> GenerationResult:
        try:
            final = job.result(timeout=0)
            if not isinstance(final, ImageResponse) or not is_final_result(final):
                raise ResponseError("The generation ended without an image")
            response = self._response([final], model, provider, response_format)
        except Exception as error:
            return GenerationResult(index=index, prompt=prompt, error=error)
        return GenerationResult(index=index, prompt=prompt, response=response)


def _check_response_format(response_format: Any) -> None:
    if response_format not in _RESPONSE_FORMATS:
        raise InvalidArgumentError(
            f"response_format must be 'url' or 'b64_json', not {response_format!r}"
        )


def _parse_size(size: Any) -> tuple[int, int]:
    if not isinstance(size, str) or size.count("x") != 1:
        raise InvalidArgumentError(f"size must look like '1024x768', not {size!r}")
    width, height = size.split("x")
    if not (width.strip().isdigit() and height.strip().isdigit()):
        raise InvalidArgumentError(f"size must look like '1024x768', not {size!r}")
    return validate_dimension("width", int(width)), validate_dimension("height", int(height))


def _image_options(
    *,
    size: Optional[str],
    width: Optional[int],
    height: Optional[int],
    aspect_ratio: Optional[str],
) -> dict[str, Any]:
    """The provider keywords for the image's shape; unset values are left to the provider."""
    if size is not None:
        if width is not None or height is not None:
            raise InvalidArgumentError("Give either size or width/height, not both")
        width, height = _parse_size(size)
    chosen = {"width": width, "height": height, "aspect_ratio": aspect_ratio}
    return {key: value for key, value in chosen.items() if value is not None}


def _plans(
    prompt: Any,
    *,
    model: str,
    provider: ProviderChoice,
    n: int,
    seed: Optional[int],
    options: Mapping[str, Any],
) -> tuple[type[Provider], list[Plan]]:
    """``n`` plans for the prompt, seeds ``seed``, ``seed + 1``, ... when a seed is given."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
        raise InvalidArgumentError(f"n must be a whole number from 1 to 10, not {n!r}")
    provider_class = resolve_provider(provider)
    text = require_prompt(prompt)
    first_seed = validate_seed(seed)  # before seed + index: True or "7" must not slip through
    messages = as_messages(text)
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
        if is_final_result(event) and isinstance(event, ImageResponse):
            final = event
    if final is None:
        raise ResponseError("The generation ended without an image")
    return final

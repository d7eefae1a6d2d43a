"""The provider base class: g4f's class attributes and entry points, on a thread pool.

A provider turns ``(model, messages, **params)`` into a :class:`Plan` (validation only, no
I/O), and a plan runs as a job that yields events. ``create_completion`` works on the class
(with default settings, as in g4f) and on a configured instance.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Optional

from ..cancel import CancelScope
from ..errors import InvalidArgumentError, ModelNotSupportedError
from ..events import Event, ImageResponse
from ..jobs import Job
from ..params import check_model
from ..runtime import Runtime, RuntimeOwner

__all__ = [
    "Plan",
    "Provider",
    "SpacePlan",
    "iterate_job",
    "reject_unknown",
    "start_plan",
]

logger = logging.getLogger(__name__)

#: g4f's generic keyword arguments that carry no meaning here and are accepted silently.
IGNORED_PARAMETERS = frozenset({"stream"})


@dataclass(frozen=True)
class Plan:
    """A validated request for one provider: knows its Space and how to run there."""

    provider_name: str

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        """Perform the request, yielding g4f's events; the result comes last."""
        raise NotImplementedError


@dataclass(frozen=True)
class SpacePlan(Plan):
    """A plan for one Space: which Space, and the prompt and seed every Space function takes."""

    space_id: str
    prompt: str
    seed: int


def reject_unknown(provider: str, unknown: Mapping[str, Any], accepted: Callable[..., Any]) -> None:
    """Raise for keyword arguments the provider does not take (g4f's ``stream`` is allowed).

    Raises:
        InvalidArgumentError: naming the unknown arguments and listing the accepted ones.
    """
    names = sorted(set(unknown) - IGNORED_PARAMETERS)
    if names:
        parameters = [
            name
            for name, parameter in inspect.signature(accepted).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        raise InvalidArgumentError(
            f"{provider} does not take {', '.join(names)}; it takes {', '.join(parameters)}"
        )


def start_plan(runtime: Runtime, plan: Plan) -> Job:
    """Run a plan as a job on the runtime's pool, under the runtime's total timeout, placed on
    one replica of each Space it uses (see :mod:`hfspace_sdk.replicas`)."""
    from ..replicas import run_placed  # loaded with the first job

    return runtime.jobs.start(
        lambda scope: _with_downloads(run_placed(lambda: plan.run(runtime, scope), scope), runtime),
        total_seconds=runtime.settings.timeout.total,
        name=f"{plan.provider_name} job",
    )


def _with_downloads(events: Iterator[Event], runtime: Runtime) -> Iterator[Event]:
    """The events, their images set to download with the runtime's settings (proxy, timeouts),
    even after it is closed."""
    try:
        for event in events:
            if isinstance(event, ImageResponse):
                event.download_with(runtime.download)
            yield event
    finally:
        events_close = getattr(events, "close", None)
        if events_close is not None:
            events_close()


def iterate_job(start: Callable[[], Job]) -> Iterator[Event]:
    """A job's events as a generator: the job starts on the first ``next()`` and is cancelled
    when the generator is closed early or dropped (an iterator never started starts nothing)."""
    job = start()
    try:
        yield from job
    finally:
        job.cancel()


class _ClassOrInstanceMethod:
    """A method that, called on the class, runs on a temporary instance with default settings."""

    def __init__(self, method: Callable[..., Iterator[Event]]) -> None:
        self._method = method
        functools.update_wrapper(self, method)  # type: ignore[arg-type]

    def __get__(
        self, instance: Optional[Provider], owner: type[Provider]
    ) -> Callable[..., Iterator[Event]]:
        if instance is not None:
            return functools.partial(self._method, instance)

        @functools.wraps(self._method)
        def on_class(*args: Any, **kwargs: Any) -> Iterator[Event]:
            provider = owner()
            try:
                events = self._method(provider, *args, **kwargs)
            except BaseException:
                provider.close()
                raise
            return _closing(events, provider)

        return on_class


def _closing(events: Iterator[Event], provider: Provider) -> Iterator[Event]:
    """Events of a temporary provider, closed with the iteration (end, ``close()``, ``break``,
    or the generator being dropped). Never started, it holds nothing: its job starts lazily."""
    try:
        yield from events
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
        provider.close()


class Provider(RuntimeOwner):
    """Base of every provider. Configure per instance with keyword-only options, or a
    :class:`~hfspace_sdk.Settings` (see :class:`~hfspace_sdk.runtime.RuntimeOwner`).
    ``space_urls`` also covers the requests this provider makes through another one.

    Thread-safe: one instance may serve many threads; close it (or use ``with``) when done.
    """

    label: ClassVar[str] = ""
    url: ClassVar[str] = ""
    working: ClassVar[bool] = True
    needs_auth: ClassVar[bool] = False
    supports_stream: ClassVar[bool] = True
    supports_system_message: ClassVar[bool] = False
    supports_message_history: ClassVar[bool] = False
    default_model: ClassVar[str] = ""
    default_image_model: ClassVar[Optional[str]] = None
    default_vision_model: ClassVar[Optional[str]] = None
    model_aliases: ClassVar[dict[str, str]] = {}
    models: ClassVar[list[str]] = []
    image_models: ClassVar[list[str]] = []
    vision_models: ClassVar[list[str]] = []

    # --- g4f's model helpers -------------------------------------------------------------

    @classmethod
    def get_models(cls) -> list[str]:
        """The model names this provider serves (aliases included)."""
        return list(cls.models) or [cls.default_model]

    @classmethod
    def serves(cls, model: str) -> bool:
        """True if ``model`` is one of this provider's models, aliases or default names."""
        model = check_model(model)
        return (
            model in cls.model_aliases
            or model in cls.get_models()
            or model
            in (
                cls.default_model,
                cls.default_image_model,
            )
        )

    @classmethod
    def get_model(cls, model: Optional[str]) -> str:
        """Resolve an alias; an empty name means the default model.

        Raises:
            ModelNotSupportedError: the model is unknown; the message lists the valid ones.
        """
        model = check_model(model)
        if not model:
            return cls.default_model
        if model in cls.model_aliases:
            return cls.model_aliases[model]
        if not cls.serves(model):
            raise ModelNotSupportedError(
                f"Model is not supported: {model!r} in: {cls.__name__}. "
                f"Valid models: {', '.join(cls.get_models())}"
            )
        return model

    # --- what subclasses define ----------------------------------------------------------

    @classmethod
    def prepare(cls, model: str, messages: Any, **params: Any) -> Plan:
        """Validate a request and build its plan. No I/O.

        Raises:
            InvalidArgumentError: a model, message or parameter is wrong.
        """
        raise NotImplementedError

    # --- entry points --------------------------------------------------------------------

    def submit(self, model: str, messages: Any, **params: Any) -> Job:
        """Start a generation on the pool and return its :class:`Job` at once.

        Raises:
            InvalidArgumentError: bad input, before any request is sent.
            HFSpaceError: the provider is closed.
        """
        plan = self.prepare(model, messages, **params)
        return self._start(plan)

    def _start(self, plan: Plan) -> Job:
        return start_plan(self._runtime, plan)

    @_ClassOrInstanceMethod
    def create_completion(self, model: str, messages: Any, **params: Any) -> Iterator[Event]:
        """Generate, as a blocking iterator of events (g4f's sync entry point).

        Input is validated at once; the job starts on the first ``next()``. Closing the
        iterator early (``break``, ``close()``) cancels the job.

        Raises:
            InvalidArgumentError: bad input, before any request is sent.
        """
        plan = self.prepare(model, messages, **params)
        return self._iterate(plan)

    def _iterate(self, plan: Plan) -> Iterator[Event]:
        return iterate_job(lambda: self._start(plan))

"""``client.chat.completions``: chat with Janus-Pro-7B, optionally about an image."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Callable, Literal, Optional, Union, overload

from ..completions import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatMessage,
    Choice,
    ChunkChoice,
    Delta,
)
from ..events import JsonConversation, is_final_result
from ..jobs import Job
from ..params import as_messages
from ..providers.base import iterate_job, start_plan
from ..providers.registry import ProviderChoice, resolve_provider
from ..runtime import Runtime

__all__ = ["Chat", "Completions"]


class Completions:
    """``client.chat.completions``: runs chat plans on the client's runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

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
        if image is not None:
            params["media"] = image
        if conversation is not None:
            params["conversation"] = conversation
        plan = provider_class.prepare(model, as_messages(messages), **params)
        if stream:  # the job starts on the first next(), like every stream
            return _stream_chunks(
                lambda: start_plan(self._runtime, plan),
                model=model,
                provider=provider_class.__name__,
            )
        content, found = [], None
        for event in start_plan(self._runtime, plan):
            if isinstance(event, JsonConversation):
                found = event
            elif is_final_result(event):  # text or a final image, never a status
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
        elif is_final_result(event):  # text or a final image, never a status
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

    def __init__(self, runtime: Runtime) -> None:
        self.completions = Completions(runtime)

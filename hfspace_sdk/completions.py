"""Chat results in the OpenAI/g4f shape: ``ChatCompletion`` and streamed ``ChatCompletionChunk``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

from .events import JsonConversation

__all__ = ["ChatCompletion", "ChatCompletionChunk", "ChatMessage", "Choice", "ChunkChoice", "Delta"]


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class ChatMessage:
    """The assistant's answer: its text only (status lines never go into it)."""

    content: str
    role: str = "assistant"


@dataclass(frozen=True)
class Choice:
    """One answer of a completion."""

    message: ChatMessage
    index: int = 0
    finish_reason: str = "stop"


@dataclass(frozen=True)
class ChatCompletion:
    """A finished chat turn. Pass ``conversation`` back as ``conversation=`` to follow up."""

    model: str
    provider: str
    choices: Sequence[Choice]
    conversation: Optional[JsonConversation] = None
    id: str = field(default_factory=_completion_id)
    created: int = field(default_factory=lambda: int(time.time()))
    object: str = "chat.completion"


@dataclass(frozen=True)
class Delta:
    """New text in a streamed chunk."""

    content: Optional[str] = None
    role: Optional[str] = None


@dataclass(frozen=True)
class ChunkChoice:
    """One streamed piece of an answer; ``finish_reason`` is set on the last chunk."""

    delta: Delta
    index: int = 0
    finish_reason: Optional[str] = None


@dataclass(frozen=True)
class ChatCompletionChunk:
    """A streamed piece of a chat turn; the last chunk carries the conversation."""

    id: str
    model: str
    provider: str
    choices: Sequence[ChunkChoice]
    conversation: Optional[JsonConversation] = None
    created: int = field(default_factory=lambda: int(time.time()))
    object: str = "chat.completion.chunk"

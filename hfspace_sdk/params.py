"""Pure validation and derivation of generation parameters: sizes, ratios, seeds, prompts.

Everything here raises :class:`~hfspace_sdk.errors.InvalidArgumentError` for bad input, so a
mistake is reported before any request is sent. Inputs are never mutated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional

from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = [
    "ASPECT_RATIOS",
    "MAX_DIMENSION",
    "MAX_PROMPT_CHARS",
    "as_messages",
    "floor_to_multiple_of_8",
    "format_prompt",
    "image_prompt",
    "last_user_message",
    "require_prompt",
    "size_for",
    "to_string",
    "validate_dimension",
    "validate_messages",
    "validate_number",
    "validate_seed",
    "validate_steps",
]

#: g4f 8.8.6's table of named aspect ratios, as (width, height).
ASPECT_RATIOS: Mapping[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "16:9": (1024, 576),
    "9:16": (576, 1024),
    "4:3": (1024, 768),
    "3:4": (768, 1024),
    "3:2": (1024, 682),
    "2:3": (682, 1024),
    "21:9": (1024, 440),
    "9:21": (440, 1024),
    "4:5": (832, 1040),
    "5:4": (1040, 832),
    "2:1": (1024, 512),
    "1:2": (512, 1024),
}

#: The largest width or height accepted (Spaces themselves stop at 2048).
MAX_DIMENSION = 8192
#: The longest prompt accepted, in characters.
MAX_PROMPT_CHARS = 100_000
_MAX_SEED = 2**63 - 1
_RATIO = r"^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$"  # compiled (and cached) on first use
_LONG_SIDE = 1024
_MIN_SIDE = 32


def check_model(model: Any) -> str:
    """A model name: a string (empty means the provider's default) or None.

    Raises:
        InvalidArgumentError: any other type (``[]`` or ``0`` never silently mean "default").
    """
    if model is None:
        return ""
    if not isinstance(model, str):
        raise InvalidArgumentError(f"model must be a string, not {type(model).__name__}")
    return model


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_dimension(name: str, value: Any) -> int:
    """A width or height: a positive int no larger than :data:`MAX_DIMENSION`."""
    if not _is_integer(value):
        raise InvalidArgumentError(f"{name} must be a whole number of pixels, not {value!r}")
    if not 0 < value <= MAX_DIMENSION:
        raise InvalidArgumentError(f"{name} must be between 1 and {MAX_DIMENSION}, not {value}")
    return int(value)


def validate_seed(value: Any, *, name: str = "seed") -> Optional[int]:
    """A seed: ``None`` or a non-negative int."""
    if value is None:
        return None
    if not _is_integer(value) or not 0 <= value <= _MAX_SEED:
        raise InvalidArgumentError(f"{name} must be a non-negative whole number, not {value!r}")
    return int(value)


def validate_steps(value: Any, *, name: str = "num_inference_steps", maximum: int = 200) -> int:
    """A step count: an int from 1 to ``maximum``."""
    if not _is_integer(value) or not 1 <= value <= maximum:
        raise InvalidArgumentError(
            f"{name} must be a whole number from 1 to {maximum}, not {value!r}"
        )
    return int(value)


def validate_number(name: str, value: Any, *, minimum: float, maximum: float) -> float:
    """A real number within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(f"{name} must be a number, not {value!r}")
    if not minimum <= value <= maximum:
        raise InvalidArgumentError(f"{name} must be between {minimum} and {maximum}, not {value}")
    return float(value)


def validate_flag(name: str, value: Any) -> bool:
    """A boolean switch."""
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, not {value!r}")
    return value


def _size_of_ratio(aspect_ratio: Any) -> tuple[int, int]:
    if not isinstance(aspect_ratio, str):
        raise InvalidArgumentError(
            f"aspect_ratio must be a string such as '16:9', not {aspect_ratio!r}"
        )
    key = aspect_ratio.strip()
    if key in ASPECT_RATIOS:
        return ASPECT_RATIOS[key]
    from fractions import Fraction  # only custom ratios need it (1.8 ms to import)

    match = re.match(_RATIO, key)
    if match is None or not Fraction(match.group(1)) or not Fraction(match.group(2)):
        raise InvalidArgumentError(
            f"Unrecognised aspect_ratio {aspect_ratio!r}: use 'W:H' with positive numbers "
            f"(for example '7:5' or '2.39:1'), or one of {', '.join(ASPECT_RATIOS)}"
        )
    # Exact fractions: the long side is exactly 1024 whatever the digits (no float rounding).
    ratio_width, ratio_height = Fraction(match.group(1)), Fraction(match.group(2))
    if ratio_width >= ratio_height:
        return _LONG_SIDE, _multiple_of_8(_LONG_SIDE * ratio_height / ratio_width)
    return _multiple_of_8(_LONG_SIDE * ratio_width / ratio_height), _LONG_SIDE


def _multiple_of_8(value: Fraction) -> int:
    return max(_MIN_SIDE, int(value) // 8 * 8)


def size_for(
    *,
    width: Any = None,
    height: Any = None,
    aspect_ratio: Any = None,
    default: tuple[int, int],
) -> tuple[int, int]:
    """Width and height for a request: explicit values win, then the ratio, then ``default``.

    ``aspect_ratio`` fills only the dimensions that were not given: one of the 13 named
    ratios (g4f 8.8.6's table), or any ``"W:H"`` (long side 1024, multiples of 8).
    """
    ratio_size = _size_of_ratio(aspect_ratio) if aspect_ratio is not None else default
    chosen_width = ratio_size[0] if width is None else validate_dimension("width", width)
    chosen_height = ratio_size[1] if height is None else validate_dimension("height", height)
    return chosen_width, chosen_height


def floor_to_multiple_of_8(value: int) -> int:
    """Floor to a multiple of 8, at least 32 (what g4f's Flux-Schnell providers send)."""
    return max(_MIN_SIDE, value - value % 8)


# --- messages and prompts -------------------------------------------------------------------


def validate_messages(messages: Any) -> list[dict[str, Any]]:
    """Check that ``messages`` is a list of ``{"role": str, "content": str | list | None}``.

    Returns shallow copies, so later steps can never mutate the caller's list.
    """
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise InvalidArgumentError(
            'messages must be a list of {"role": ..., "content": ...} dicts, '
            f"not {type(messages).__name__}"
        )
    checked = []
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise InvalidArgumentError(
                f"messages[{index}] must be a dict, not {type(message).__name__}"
            )
        role, content = message.get("role"), message.get("content")
        if not isinstance(role, str) or not role:
            raise InvalidArgumentError(f"messages[{index}] needs a 'role' string")
        if content is not None and not isinstance(content, (str, list, tuple)):
            raise InvalidArgumentError(
                f"messages[{index}]['content'] must be a string or a list of parts, "
                f"not {type(content).__name__}"
            )
        _require_unicode(f"prompt text of messages[{index}]", to_string(content))
        checked.append(dict(message))
    return checked


def as_messages(messages: Any) -> Any:
    """A prompt string as a one-message conversation; anything else as it is (providers check
    conversations with :func:`validate_messages`)."""
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    return messages


def to_string(value: Any) -> str:
    """The text of a message's content (g4f's ``to_string``): text parts only."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if value.get("type", "text") == "text" and isinstance(value.get("text"), str):
            return str(value["text"])
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(to_string(part) for part in value if _is_text_part(part))
    if value is None:
        return ""
    return str(value)


def _is_text_part(part: Any) -> bool:
    return isinstance(part, str) or (
        isinstance(part, Mapping) and part.get("type", "text") == "text"
    )


def format_prompt(messages: Sequence[Mapping[str, Any]]) -> str:
    """The transcript as one prompt (g4f's ``format_prompt``).

    One message gives its text; more give ``"Role: text"`` lines and a trailing
    ``"Assistant:"``. An empty list gives ``""``.
    """
    if not messages:
        return ""
    if len(messages) == 1:
        return to_string(messages[0].get("content"))
    lines = [
        f"{str(message['role']).capitalize()}: {text}"
        for message in messages
        if (text := to_string(message.get("content"))).strip()
    ]
    return "\n".join([*lines, "Assistant:"])


def last_user_message(messages: Sequence[Mapping[str, Any]]) -> str:
    """The text of the trailing run of user messages, oldest first (g4f 0.5 semantics)."""
    texts: list[str] = []
    for message in reversed(messages):
        if message.get("role") != "user":
            break
        text = to_string(message.get("content")).strip()
        if text:
            texts.append(text)
    return "\n".join(reversed(texts))


def image_prompt(messages: Sequence[Mapping[str, Any]], prompt: Any = None) -> str:
    """The prompt for an image: ``prompt`` if given, else the last user message(s)."""
    if prompt is not None:
        return require_prompt(prompt)
    return require_prompt(last_user_message(messages))


def _require_unicode(name: str, text: str) -> None:
    """Text must encode as UTF-8: lone surrogates (undecodable bytes) are not text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            f"The {name} is not valid Unicode text (it holds undecodable bytes)"
        ) from None


def require_prompt(prompt: Any) -> str:
    """A non-empty prompt string of reasonable length."""
    if not isinstance(prompt, str):
        raise InvalidArgumentError(f"prompt must be a string, not {type(prompt).__name__}")
    if not prompt.strip():
        raise InvalidArgumentError("The prompt is empty: give a prompt or a user message with text")
    _require_unicode("prompt", prompt)
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InvalidArgumentError(
            f"The prompt is {len(prompt)} characters long; the limit is {MAX_PROMPT_CHARS}"
        )
    return prompt

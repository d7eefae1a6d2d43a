"""Immutable value objects of the settings, and :class:`Timeout`, the time limits of a job."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Union

from .errors import InvalidArgumentError

__all__ = ["DEFAULT_WAKE_SECONDS", "Frozen", "Timeout"]

#: How long a job waits, by default, for a sleeping or building Space to run.
DEFAULT_WAKE_SECONDS = 300.0


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


class Frozen:
    """An immutable value object: fields named in ``__slots__``, set once by ``__init__``,
    compared and pickled by value.

    Hand-written rather than a dataclass: ``dataclasses`` loads ``inspect``, ``ast`` and ``dis``,
    a third of what ``from hfspace_sdk import Client`` would otherwise cost beyond requests.
    """

    __slots__: tuple[str, ...] = ()
    #: The fields equality looks at (a callable such as ``retry_sleep`` is left out).
    _compared: tuple[str, ...] = ()

    def _set_fields(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen; use replace() for a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._compared)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._compared))

    def __reduce__(self) -> tuple[Any, ...]:
        plain = {
            name: dict(value) if isinstance(value, MappingProxyType) else value
            for name, value in self._fields().items()
        }
        return (_rebuild, (type(self), plain))


def _rebuild(cls: type[Frozen], fields: dict[str, Any]) -> Frozen:
    return cls(**fields)


class Timeout(Frozen):
    """Time limits in seconds.

    Attributes:
        connect: to open a connection.
        read: between two bytes of an answer. Gradio sends a heartbeat every 15 s while a job
            waits, so this must stay well above 15.
        total: for a whole job, from submission to result (ZeroGPU Spaces may queue a job for
            minutes; lower it for interactive use).
        wake: how long a job waits, within ``total``, for a sleeping, starting or building
            Space to run (the hub reports its stage; see "Sleeping Spaces" in the README).
    """

    __slots__ = ("connect", "read", "total", "wake")
    _compared = __slots__
    connect: float
    read: float
    total: float
    wake: float

    def __init__(
        self,
        connect: float = 10.0,
        read: float = 60.0,
        total: float = 900.0,
        wake: float = DEFAULT_WAKE_SECONDS,
    ) -> None:
        values = {"connect": connect, "read": read, "total": total, "wake": wake}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidArgumentError(
                    f"timeout.{name} must be a number of seconds, not {value!r}"
                )
            if not (value > 0 and _finite(value)):
                raise InvalidArgumentError(f"timeout.{name} must be a positive number of seconds")
        self._set_fields(values)

    def __repr__(self) -> str:
        return (
            f"Timeout(connect={self.connect!r}, read={self.read!r}, total={self.total!r}, "
            f"wake={self.wake!r})"
        )

    @classmethod
    def coerce(cls, value: Union[Timeout, float, None]) -> Timeout:
        """A :class:`Timeout` from ``None`` (defaults), a number (the job total) or itself.

        A number caps every phase: ``timeout=20`` allows 20 s for the whole job.
        """
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidArgumentError(
                f"timeout must be a number of seconds or a Timeout, not {value!r}"
            )
        if not (value > 0 and _finite(value)):
            raise InvalidArgumentError(
                f"timeout must be a positive number of seconds, not {value!r}"
            )
        defaults = cls()
        return cls(
            connect=min(defaults.connect, value),
            read=min(defaults.read, value),
            total=value,
            wake=min(defaults.wake, value),
        )

"""How a request gets its ZeroGPU headers: a token the caller gave, or one acquired per job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

from ..cancel import CancelScope
from ..errors import InvalidArgumentError
from ..runtime import Runtime
from ..zerogpu import ZeroGPUCredentials

__all__ = ["ZeroGPUAccess"]


@dataclass(frozen=True, repr=False)
class ZeroGPUAccess:
    """The caller's ZeroGPU arguments (g4f's ``api_key``, ``zerogpu_uuid``, ``cookies``)."""

    api_key: Optional[str] = None
    uuid: Optional[str] = None
    cookies: Optional[Mapping[str, str]] = field(default=None)

    @classmethod
    def from_arguments(
        cls, *, api_key: Optional[str], uuid: Optional[str], cookies: Optional[Mapping[str, str]]
    ) -> ZeroGPUAccess:
        """Check the types of the caller's arguments.

        Raises:
            InvalidArgumentError: a value has the wrong type.
        """
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise InvalidArgumentError("api_key (a ZeroGPU token) must be a non-empty string")
        if uuid is not None and not isinstance(uuid, str):
            raise InvalidArgumentError("zerogpu_uuid must be a string")
        if cookies is not None and not (
            isinstance(cookies, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in cookies.items())
        ):
            raise InvalidArgumentError("cookies must be a mapping of cookie names to string values")
        return cls(
            api_key=api_key, uuid=uuid, cookies=dict(cookies) if cookies is not None else None
        )

    def credentials(
        self, runtime: Runtime, space_id: str, scope: CancelScope
    ) -> ZeroGPUCredentials:
        """The headers to send: the given token as is, else acquired from the hub (g4f's way)."""
        if self.api_key is not None:
            return ZeroGPUCredentials(token=self.api_key, uuid=self.uuid)
        return runtime.zerogpu_credentials(
            space_id, uuid=self.uuid, cookies=self.cookies, scope=scope
        )

    def __repr__(self) -> str:
        return f"ZeroGPUAccess(api_key={'***' if self.api_key else None}, uuid={self.uuid!r})"

"""How a request gets its ZeroGPU headers: a token the caller gave, or one acquired per job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

from ..cancel import CancelScope
from ..config import check_cookies, check_credential
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
        """Check the caller's arguments: valid header values, never echoed in errors.

        Raises:
            InvalidArgumentError: a value has the wrong type or form.
        """
        if api_key is not None:
            check_credential("api_key (a ZeroGPU token)", api_key)
        if uuid is not None:
            check_credential("zerogpu_uuid", uuid)
        checked_cookies = check_cookies(cookies) if cookies is not None else None
        return cls(api_key=api_key, uuid=uuid, cookies=checked_cookies)

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

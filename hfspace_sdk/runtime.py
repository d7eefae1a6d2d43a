"""The resources one provider instance or client owns: settings, HTTP, Spaces, the job pool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, Optional, TypeVar

from .cancel import CancelScope
from .config import Settings
from .gradio.space import Space, SpaceDirectory
from .http import HttpClient
from .jobs import JobRunner
from .ticker import Ticker
from .zerogpu import ZeroGPUCredentials, acquire_zerogpu_credentials

__all__ = ["Runtime", "RuntimeOwner"]

_Owner = TypeVar("_Owner", bound="RuntimeOwner")


class Runtime:
    """Shared by every job of one provider instance (and by the providers it delegates to).

    No I/O happens when it is built; the pool and sessions start on first use.
    """

    def __init__(
        self, settings: Settings, *, sleep: Optional[Callable[[float], None]] = None
    ) -> None:
        self.settings = settings
        self.http = HttpClient(settings)
        self.spaces = SpaceDirectory(settings, self.http, sleep=sleep)
        self.jobs = JobRunner(settings.max_workers)
        self.ticker = Ticker()  # G4F's timed statuses; its thread starts on first use
        self._sleep = sleep

    def space(self, space_id: str) -> Space:
        """The Space with this id, honouring ``space_urls``."""
        return self.spaces.get(space_id)

    def zerogpu_credentials(
        self,
        space_id: str,
        *,
        uuid: Optional[str],
        cookies: Optional[Mapping[str, str]],
        scope: CancelScope,
    ) -> ZeroGPUCredentials:
        """ZeroGPU headers for a job on ``space_id`` (see :func:`acquire_zerogpu_credentials`)."""
        return acquire_zerogpu_credentials(
            self.http,
            self.settings,
            space_id,
            uuid=uuid,
            cookies=cookies,
            scope=scope,
            sleep=self._sleep,
        )

    def close(self) -> None:
        """Cancel running jobs, stop the pool and the ticker, close the connections. Idempotent."""
        self.jobs.close()
        self.ticker.close()
        self.http.close()


class RuntimeOwner:
    """Closing and ``with`` for the objects that own a :class:`Runtime` (providers, clients)."""

    _runtime: Runtime

    def close(self) -> None:
        """Cancel running jobs and release threads and connections. Idempotent."""
        self._runtime.close()

    def __enter__(self: _Owner) -> _Owner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

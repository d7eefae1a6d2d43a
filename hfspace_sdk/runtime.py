"""The resources one provider instance or client owns: settings, HTTP, Spaces, the job pool."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Optional, TypeVar, Union

from .cancel import CancelScope
from .config import OPTIONS, Settings, SpaceURLs, Timeout, configure
from .gradio.space import GradioApp, SpaceDirectory
from .http import HttpClient
from .jobs import Job, JobRunner
from .ticker import Ticker

if TYPE_CHECKING:
    from .images import ImageDownloader
    from .zerogpu import ZeroGPUCredentials

__all__ = ["Runtime", "RuntimeOwner"]

_Owner = TypeVar("_Owner", bound="RuntimeOwner")


class Runtime:
    """Shared by every job of one provider instance or client (and the providers it routes to).

    No I/O happens when it is built; the pool and sessions start on first use.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.http = HttpClient(settings)
        self.spaces = SpaceDirectory(settings, self.http, sleep=settings.retry_sleep)
        self.jobs = JobRunner(settings.max_workers)
        self.ticker = Ticker()  # G4F's timed statuses; its thread starts on first use

    # What only some jobs need loads with the first of them, not with `import hfspace_sdk`.
    # (Two threads racing on first use build two equal downloaders: harmless.)

    @cached_property
    def download(self) -> ImageDownloader:
        """Downloads images with these settings; still works once the runtime is closed."""
        from .images import ImageDownloader

        return ImageDownloader(self.settings, self.http)

    def space(self, space_id: str) -> GradioApp:
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
        from .zerogpu import acquire_zerogpu_credentials

        return acquire_zerogpu_credentials(
            self.http,
            self.settings,
            space_id,
            uuid=uuid,
            cookies=cookies,
            scope=scope,
            sleep=self.settings.retry_sleep,
        )

    def close(self) -> None:
        """Cancel running jobs, stop the pool and the ticker, close the connections. Idempotent."""
        self.jobs.close()
        self.ticker.close()
        self.http.close()


class RuntimeOwner:
    """What clients and providers share: their options, ``close()``, ``with`` and their jobs.

    Every option is keyword-only and is a field of :class:`~hfspace_sdk.Settings` (see there
    for its meaning and check). Pass ``settings=`` to start from a :class:`Settings`; options
    given beside it override its fields. Without ``settings``, options left out come from the
    environment (``HF_TOKEN``, ``HF_ENDPOINT``, ``HFSPACE_SPACE_URLS``), then the defaults.
    Nothing is sent until the first call.

    Raises:
        InvalidArgumentError: a bad option (credentials are never echoed).
    """

    def __init__(
        self,
        *,
        settings: Optional[Settings] = None,
        space_urls: Optional[Mapping[str, SpaceURLs]] = None,
        hub_url: Optional[str] = None,
        hf_token: Optional[str] = None,
        cookies: Optional[Mapping[str, str]] = None,
        proxy: Optional[str] = None,
        timeout: Union[Timeout, float, None] = None,
        max_workers: Optional[int] = None,
        retry_sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        # The keywords above are Settings' fields (a test pins that); pass them all on by name.
        options = {name: value for name, value in locals().items() if name in OPTIONS}
        self._runtime = Runtime(configure(settings, **options))

    @property
    def settings(self) -> Settings:
        """The settings in use (secrets hidden in their repr)."""
        return self._runtime.settings

    def active_jobs(self) -> list[Job]:
        """The jobs started here that have not finished yet (queued or running)."""
        return self._runtime.jobs.active()

    def close(self) -> None:
        """Cancel running jobs and release threads and connections. Idempotent.

        Results already returned stay usable: their images download on short-lived
        connections with these settings.
        """
        self._runtime.close()

    def __enter__(self: _Owner) -> _Owner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._runtime.settings!r}>"

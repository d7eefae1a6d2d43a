"""An optional progress bar (tqdm) driven by a generation's progress events."""

from __future__ import annotations

from typing import Any, Optional

from .events import Event, Reasoning

__all__ = ["ProgressBar"]


class ProgressBar:
    """A tqdm bar (the notebook bar inside Jupyter) when ``enabled``; does nothing otherwise.

    Raises:
        ImportError: ``enabled`` without tqdm installed (the message says how to install it).
    """

    def __init__(self, enabled: bool, *, description: str = "") -> None:
        self._bar: Optional[Any] = None
        if enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError as exc:
                raise ImportError(
                    "progress=True needs tqdm: pip install 'hfspace_sdk[progress]'"
                ) from exc
            self._bar = tqdm(total=None, desc=description, unit="step", leave=True)

    @property
    def enabled(self) -> bool:
        """True while a bar is shown."""
        return self._bar is not None

    def update(self, event: Event) -> None:
        """Show a Space's progress: steps done of the total, and its status text."""
        if self._bar is None or not isinstance(event, Reasoning):
            return
        if event.total is not None and event.progress is not None:
            if self._bar.total != event.total:
                self._bar.reset(total=event.total)
            self._bar.n = event.progress
        if event.status:
            self._bar.set_postfix_str(event.status, refresh=False)
        self._bar.refresh()

    def count_done(self, count: int) -> None:
        """For several generations at once: show them all as done."""
        if self._bar is not None:
            self._bar.reset(total=count)
            self._bar.update(count)

    def close(self) -> None:
        """Finish the bar (fill it when the job succeeded)."""
        if self._bar is not None:
            if self._bar.total is not None:
                self._bar.n = self._bar.total
                self._bar.refresh()
            self._bar.close()
            self._bar = None

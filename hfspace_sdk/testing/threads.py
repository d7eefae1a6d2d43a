"""Running a standard-library HTTP server of the testing package in a thread of its own."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from socketserver import BaseServer

__all__ = ["serving"]


@contextlib.contextmanager
def serving(server: BaseServer, name: str) -> Iterator[None]:
    """Serve ``server`` in a daemon thread while the block runs; then shut it down, close its
    socket and join the thread."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

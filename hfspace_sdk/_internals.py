"""Every use of a private attribute of urllib3, concurrent.futures or threading, each with a fallback.

These libraries give no public way to do four things the SDK needs for prompt cancel and clean
shutdown. Each function here reaches for the private attribute when it is there and otherwise
falls back to a public route that keeps behaviour correct, only slower:

- :func:`socket_of`: ``raw._fp.fp.raw._sock`` (urllib3 -> http.client -> socket.SocketIO), the
  socket of a response detached from its connection, so that a cancel can interrupt a blocked
  read. Fallback: None; nothing interrupts the read (closing the response from another thread
  would wait for that read), which ends at its read timeout with the job's stop error.
- :func:`close_pools_when_dropped`: ``PoolManager.pools.dispose_func`` (urllib3 2 no longer sets
  it), so that dropped pools close their sockets at once. Fallback: the caller closes the pools it
  still holds when it closes; a pool evicted earlier waits for the garbage collector.
- :func:`join_pool_threads`: ``ThreadPoolExecutor._threads``, to join a pool's threads within a
  time limit. Fallback: ``shutdown(wait=True)``, which joins them with no limit.
- :func:`call_before_thread_joins`: ``threading._register_atexit``, so that jobs are cancelled
  before the interpreter joins the pool threads at exit. Fallback: ``atexit.register``; the hook
  then runs after those joins, and a script that ends with a job in flight may wait up to a read
  timeout to exit.

Nothing else in the package touches a private attribute of another library;
``tests/transport/test_internals.py`` runs every fallback.
"""

from __future__ import annotations

import atexit
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

__all__ = ["call_before_thread_joins", "close_pools_when_dropped", "join_pool_threads", "socket_of"]

logger = logging.getLogger(__name__)


def socket_of(raw: Any) -> Optional[socket.socket]:
    """The socket under a streaming urllib3 response, to interrupt a read blocked on it.

    ``raw.connection.sock`` is public; once urllib3 detached the response from its connection,
    only the socket file behind ``raw._fp`` leads to it.

    Returns:
        The socket, or None when none is reachable (the read then ends at its read timeout).
    """
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    try:
        sock = raw._fp.fp.raw._sock
    except AttributeError:
        return None
    return sock if isinstance(sock, socket.socket) else None


def close_pools_when_dropped(pool_manager: Any) -> bool:
    """Have urllib3 close each connection pool it drops (on eviction and on ``clear()``).

    urllib3 2 only forgets them; their sockets would then wait for the garbage collector
    (longer if an error still holds a response).

    Returns:
        True when urllib3 will close them; False when the caller must close them itself.
    """
    pools = getattr(pool_manager, "pools", None)
    if pools is None or not hasattr(pools, "dispose_func"):
        return False
    pools.dispose_func = _close_pool
    return True


def _close_pool(pool: Any) -> None:
    pool.close()


def join_pool_threads(executor: ThreadPoolExecutor, timeout: float) -> None:
    """Wait up to ``timeout`` seconds in all for the threads of a pool that was shut down.

    Without the private thread set, ``shutdown(wait=True)`` joins them with no time limit
    (the caller has cancelled their work, so they end promptly).
    """
    threads = getattr(executor, "_threads", None)
    if threads is None:
        executor.shutdown(wait=True)
        return
    deadline = time.monotonic() + timeout
    for thread in list(threads):
        thread.join(max(0.0, deadline - time.monotonic()))


def call_before_thread_joins(hook: Callable[[], None]) -> None:
    """Run ``hook`` at interpreter exit before ``concurrent.futures`` joins its pool threads.

    Threading's exit hooks run in reverse order of registration, and concurrent.futures
    registers its own when it is imported (before this is called): ``hook`` runs first.
    ``atexit`` hooks run only after those joins.
    """
    register = getattr(threading, "_register_atexit", None)
    if register is None:
        logger.debug("threading._register_atexit is missing: exit hook registered with atexit")
        atexit.register(hook)
        return
    register(hook)

"""The ticker: one clock thread for periodic status, no tick after a block ends, no leak."""

from __future__ import annotations

import gc
import threading
import time

from hfspace_sdk.ticker import Ticker

WAIT = 10


def _ticker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "test-ticker"]


def test_ticks_come_while_the_block_runs_and_never_after():
    ticker = Ticker(name="test-ticker")
    ticks: list[float] = []
    three = threading.Event()

    def tick() -> None:
        ticks.append(time.monotonic())
        if len(ticks) == 3:
            three.set()

    started = time.monotonic()
    with ticker.ticking(0.05, tick):
        assert three.wait(WAIT)
    count = len(ticks)
    assert ticks[0] - started >= 0.04, "the first tick comes after one interval"
    time.sleep(0.2)  # four more intervals: none may come
    assert len(ticks) == count
    ticker.close()


def test_leaving_the_block_waits_for_a_tick_in_progress():
    ticker = Ticker(name="test-ticker")
    in_tick, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def slow_tick() -> None:
        in_tick.set()
        release.wait(WAIT)
        finished.append("tick")

    block = ticker.ticking(0.01, slow_tick)
    block.__enter__()
    assert in_tick.wait(WAIT)
    leaving = threading.Thread(
        target=lambda: (block.__exit__(None, None, None), finished.append("left"))
    )
    leaving.start()
    leaving.join(0.1)
    assert leaving.is_alive(), "the block cannot end while its tick runs"
    release.set()
    leaving.join(WAIT)
    assert finished[0] == "tick" and "left" in finished, "left only once the tick ended"
    ticker.close()


def test_one_thread_serves_every_block_and_close_joins_it():
    ticker = Ticker(name="test-ticker")
    assert _ticker_threads() == [], "no thread before the first block"
    counts = [0, 0]
    both = threading.Event()

    def tick(index: int) -> None:
        counts[index] += 1
        if all(counts):
            both.set()

    with ticker.ticking(0.02, lambda: tick(0)), ticker.ticking(0.03, lambda: tick(1)):
        assert both.wait(WAIT)
        assert len(_ticker_threads()) == 1
    ticker.close()
    assert _ticker_threads() == []
    ticker.close()  # idempotent


def test_a_closed_ticker_runs_blocks_without_ticks_or_threads():
    ticker = Ticker(name="test-ticker")
    ticker.close()
    ticks: list[int] = []
    with ticker.ticking(0.01, lambda: ticks.append(1)):
        time.sleep(0.05)
    assert ticks == [] and _ticker_threads() == []


def test_a_failing_tick_does_not_stop_the_others():
    ticker = Ticker(name="test-ticker")
    good = threading.Event()

    def bad() -> None:
        raise RuntimeError("tick failed")

    with ticker.ticking(0.01, bad), ticker.ticking(0.01, good.set):
        assert good.wait(WAIT)
    ticker.close()


def test_a_ticker_never_closed_ends_its_thread_when_collected():
    ticker = Ticker(name="test-ticker")
    with ticker.ticking(0.01, lambda: None):
        pass
    [thread] = _ticker_threads()
    del ticker
    gc.collect()
    thread.join(WAIT)
    assert not thread.is_alive()

"""docs/reliability.md's table is generated from the scenario declarations; keep it current.

``HFSPACE_WRITE_RELIABILITY=1 python -m pytest tests/faults -q`` rewrites the table. These tests
run after every other fault test (see conftest.py), whatever the order they were given in.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fault_scenarios import SCENARIOS, render_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START = "<!-- reliability-table:start -->"
END = "<!-- reliability-table:end -->"
WRITE_ENV = "HFSPACE_WRITE_RELIABILITY"


def _split(text: str) -> tuple[str, str, str]:
    head, found_start, rest = text.partition(START)
    table, found_end, tail = rest.partition(END)
    assert found_start and found_end, f"{DOC} lacks the {START} ... {END} markers"
    return head, table, tail


def test_reliability_table_is_current() -> None:
    expected = "\n" + render_table()
    text = DOC.read_text(encoding="utf-8")
    head, table, tail = _split(text)
    if os.environ.get(WRITE_ENV) == "1" and table != expected:
        DOC.write_text(head + START + expected + END + tail, encoding="utf-8")
        table = expected
    assert table == expected, (
        f"{DOC.name} is out of date: run `{WRITE_ENV}=1 python -m pytest tests/faults -q`"
    )


def test_every_declared_scenario_ran(fault_suite: tuple[bool, set[str]]) -> None:
    full_run, executed = fault_suite
    if not full_run:
        pytest.skip("only checked when the whole fault suite was selected")
    missing = sorted(set(SCENARIOS) - executed)
    assert not missing, f"scenarios declared but run by no test: {missing}"

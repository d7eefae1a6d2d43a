"""``hfspace quota`` against the fake hub: the printout, ``--json``, the low-quota warning and
the exit codes (in-process through ``main`` and once as a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from hfspace_sdk import cli
from hfspace_sdk.testing import FakeHub, serve_hub

TOKEN = "hf_cli_quota_token"
FIXED_ENV = ("HFSPACE_SPACE_URLS", "HF_ENDPOINT", "HF_TOKEN")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    for name in FIXED_ENV:
        monkeypatch.delenv(name, raising=False)
    with serve_hub() as fake_hub:
        yield fake_hub


def test_quota_prints_each_value(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert cli.main(["quota", "--hub-url", hub.url]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "base:            2400 s (40.0 min)",
        "remaining:       1810 s (30.2 min) (75%)",
        "resets at:       2026-12-06 00:00:00 UTC",
        "overquota used:  0 s",
    ]
    assert err == ""
    assert hub.requests[0].header("authorization") == f"Bearer {TOKEN}"


def test_quota_json_and_the_low_quota_warning(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    hub.quota = {"base": 2400, "current": 120, "resetsAt": None, "overquotaUsed": 30}
    assert cli.main(["--timeout", "20", "quota", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "base": 2400,
        "remaining": 120,
        "resets_at": None,
        "overquota_used": 30,
        "fraction_left": 0.05,
    }
    assert err.startswith("hfspace: warning: less than 10% of your ZeroGPU quota remains (5%)")


def test_quota_without_a_token_exits_1_with_a_hint(
    hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["quota", "--hub-url", hub.url]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "needs an HF token" in err and "hint: set HF_TOKEN" in err
    assert hub.requests == []


def test_a_refused_token_or_a_bad_answer_exits_1(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    hub.fail_next(status=401, body='{"error": "Invalid credentials in Authorization header"}')
    assert cli.main(["quota", "--hub-url", hub.url]) == 1
    assert "hint: set HF_TOKEN" in capsys.readouterr().err
    hub.quota = {"base": 1}
    assert cli.main(["quota", "--hub-url", hub.url]) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "'current'" in err and TOKEN not in err


def test_help_lists_quota(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "quota" in out and "hfspace quota" in out
    assert cli.main(["quota", "--help"]) == 0
    assert "--json" in capsys.readouterr().out


def test_quota_in_a_real_process(hub: FakeHub) -> None:
    env = {k: v for k, v in os.environ.items() if k not in FIXED_ENV}
    env.update({"HF_TOKEN": TOKEN, "HF_ENDPOINT": hub.url})
    done = subprocess.run(
        [sys.executable, "-m", "hfspace_sdk", "quota"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "remaining:       1810 s" in done.stdout

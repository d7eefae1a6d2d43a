"""The launcher (parent side), the CLI, and the gradio-free parts of the kit."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from lookalike_wire import call_api, completed, error_text, load_space, queue_call

import hfspace_sdk.testing as kit
from hfspace_sdk.testing import (
    DEMO_ERROR,
    FAILURE_MESSAGES,
    LOOKALIKES,
    catalog,
    serve_space,
    serve_spaces,
)
from hfspace_sdk.testing.catalog import check_names
from hfspace_sdk.testing.failures import failure_mode_for, trigger_token
from hfspace_sdk.testing.launcher import start_server

TIMEOUT = 10
ROOT = Path(__file__).resolve().parents[2]


def _script(tmp_path: Path, body: str) -> str:
    """An executable that stands in for the Python interpreter (it ignores its arguments)."""
    path = tmp_path / "fake-python"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def _gone(pid: int) -> bool:
    """True when ``pid`` no longer exists (and was reaped: no zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfspace_sdk.testing", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


# --------------------------------------------------------------------------- package surface


def test_import_does_not_import_gradio() -> None:
    code = (
        "import sys, hfspace_sdk.testing as t; "
        "t.serve_spaces; t.serve_hub; t.space_urls_for; "
        "import hfspace_sdk.testing.__main__; "
        "print('gradio' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lookalike_catalog() -> None:
    assert dict(LOOKALIKES) == {
        "flux-schnell": ("black-forest-labs/FLUX.1-schnell", "voodoohop/FLUX.1-schnell"),
        "flux-dev": ("black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"),
        "janus": ("deepseek-ai/Janus-Pro-7B", "roxky/Janus-Pro-7B"),
        "g4f-flux": ("roxky/g4f-flux",),
        "flux-kontext": ("black-forest-labs/FLUX.1-Kontext-Dev",),
        "sd35-large": ("stabilityai/stable-diffusion-3.5-large",),
        "demo": ("hfspace-sdk/demo",),
    }
    assert dict(kit.VARIANTS) == {
        "flux-dev-drifted": ("black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"),
    }
    assert (*LOOKALIKES, "flux-dev-drifted") == kit.LOOKALIKE_NAMES
    space_ids = [space_id for ids in LOOKALIKES.values() for space_id in ids]
    assert len(space_ids) == len(set(space_ids))  # one look-alike per Space id
    assert {sid for ids in kit.VARIANTS.values() for sid in ids} <= set(space_ids)
    urls = kit.space_urls_for({"janus": "http://127.0.0.1:1/", "g4f-flux": "http://127.0.0.1:2"})
    assert urls == {
        "deepseek-ai/Janus-Pro-7B": "http://127.0.0.1:1",
        "roxky/Janus-Pro-7B": "http://127.0.0.1:1",
        "roxky/g4f-flux": "http://127.0.0.1:2",
    }
    with pytest.raises(KeyError):
        kit.space_urls_for({"nope": "http://x"})


def test_space_urls_for_a_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    flux_dev = {"black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"}
    alone = kit.space_urls_for({"flux-dev-drifted": "http://127.0.0.1:3/"})
    assert alone == dict.fromkeys(flux_dev, "http://127.0.0.1:3")
    # With the look-alike of the Space itself, in either order, the look-alike wins.
    for urls in (
        {"flux-dev-drifted": "http://127.0.0.1:3", "flux-dev": "http://127.0.0.1:4"},
        {"flux-dev": "http://127.0.0.1:4", "flux-dev-drifted": "http://127.0.0.1:3"},
    ):
        assert kit.space_urls_for(urls) == dict.fromkeys(flux_dev, "http://127.0.0.1:4")
    # Two variants of one Space and not the Space's own look-alike: ambiguous.
    monkeypatch.setattr(
        catalog, "VARIANTS", {**catalog.VARIANTS, "flux-dev-other": catalog.VARIANTS["flux-dev-drifted"]}
    )
    with pytest.raises(ValueError, match="both impersonate"):
        kit.space_urls_for({"flux-dev-drifted": "http://a", "flux-dev-other": "http://b"})
    assert kit.space_urls_for(
        {"flux-dev-drifted": "http://a", "flux-dev-other": "http://b", "flux-dev": "http://c"}
    ) == dict.fromkeys(flux_dev, "http://c")


def test_variant_names_are_accepted() -> None:
    assert check_names(["flux-dev-drifted", "flux-dev", "demo"]) == (
        "flux-dev-drifted", "flux-dev", "demo"
    )
    with pytest.raises(ValueError, match="flux-dev-drifted"):  # the message lists every name
        check_names(["nope"])


def test_failure_modes() -> None:
    assert failure_mode_for("a cat") is None
    assert failure_mode_for(None) is None
    assert failure_mode_for("x [[quota-free]] y") == "quota-free"
    assert failure_mode_for("x [[quota]] y") == "quota"
    assert failure_mode_for("a cat", "hidden") == "hidden"  # server-wide mode wins
    assert trigger_token("quota-left") == "[[quota-left]]"
    with pytest.raises(ValueError):
        failure_mode_for("x", "bogus")
    assert FAILURE_MESSAGES["quota-left"].endswith("Please retry in 0:09:48.")


@pytest.mark.gradio  # the look-alikes' drawing needs numpy, which comes with gradio
def test_images_are_deterministic_and_sized() -> None:
    images = pytest.importorskip("hfspace_sdk.testing.images")
    a = images.render_image(5, "p", 300, 200)
    assert a.size == (300, 200) and a.mode == "RGB"
    assert a.tobytes() == images.render_image(5, "p", 300, 200).tobytes()
    assert a.tobytes() != images.render_image(6, "p", 300, 200).tobytes()
    assert a.tobytes() != images.render_image(5, "q", 300, 200).tobytes()
    assert a.tobytes() != images.render_image(5, "p", 300, 200, variant=1).tobytes()
    assert images.render_upscaled(1, "p", 768).size == (768, 768)
    started = time.perf_counter()
    assert images.render_image(1, "big", 2048, 2048).size == (2048, 2048)
    assert time.perf_counter() - started < 2.0


def test_compute_time_is_spread_over_steps() -> None:
    from hfspace_sdk.testing.options import PROGRESS_FLOOR, AppOptions, step_pauses

    assert step_pauses(AppOptions(), 4, visible_progress=False) == [0.0] * 4
    fast = step_pauses(AppOptions(), 4)
    assert fast[0] == PROGRESS_FLOOR and fast[1:] == [0.0] * 3
    slow = step_pauses(AppOptions(compute_seconds=2.0), 4)
    assert slow == [0.5] * 4
    mixed = step_pauses(AppOptions(compute_seconds=0.2), 4)
    assert mixed[0] == PROGRESS_FLOOR and sum(mixed) == pytest.approx(0.2)
    with pytest.raises(ValueError):
        AppOptions(fail="explode")


# --------------------------------------------------------------------------- launcher


def test_argument_validation() -> None:
    with pytest.raises(ValueError):
        start_server()
    with pytest.raises(ValueError):
        start_server("not-a-space")
    with pytest.raises(ValueError):
        start_server("janus", fail="explode")
    with pytest.raises(ValueError):
        start_server("janus", concurrency_limit=0)


def test_child_dying_before_ready(tmp_path: Path) -> None:
    python = _script(tmp_path, "echo 'something went wrong: boom' >&2\nexit 3")
    started = time.monotonic()
    with pytest.raises(RuntimeError) as info, serve_spaces("janus", python=python):
        pytest.fail("must not be reached")
    message = str(info.value)
    assert "exited with status 3" in message
    assert "boom" in message
    assert time.monotonic() - started < 10


def test_child_not_ready_in_time(tmp_path: Path) -> None:
    python = _script(tmp_path, "echo 'still starting' >&2\nexec sleep 30")
    with pytest.raises(RuntimeError) as info, serve_space("janus", python=python,
                                                         startup_timeout=0.5):
        pytest.fail("must not be reached")
    message = str(info.value)
    assert "not ready after 0.5 s" in message
    assert "still starting" in message
    pid = int(message.split("(pid ")[1].split(")")[0])
    assert _gone(pid)


def test_process_is_stopped_by_pid(tmp_path: Path) -> None:
    python = _script(
        tmp_path, "echo 'READY {\"janus\": \"http://127.0.0.1:9\"}'\nexec sleep 30"
    )
    with serve_spaces("janus", python=python) as urls:
        assert urls == {"janus": "http://127.0.0.1:9"}
        pid = urls.pid
        assert not _gone(pid)
    assert _gone(pid)


def test_stubborn_process_is_killed(tmp_path: Path) -> None:
    python = _script(
        tmp_path,
        "trap '' TERM\necho 'READY {\"janus\": \"http://127.0.0.1:9\"}'\n"
        "while true; do sleep 0.05; done",
    )
    server = start_server("janus", python=python)
    try:
        server.stop(grace=0.3)
        assert server.process.returncode == -signal.SIGKILL
        assert _gone(server.pid)
    finally:
        server.close()


def test_malformed_ready_line(tmp_path: Path) -> None:
    python = _script(tmp_path, "echo 'READY {\"other\": 1}'\nexec sleep 30")
    with pytest.raises(RuntimeError, match="READY line does not list"), serve_spaces(
        "janus", python=python
    ):
        pytest.fail("must not be reached")


def test_child_environment(tmp_path: Path) -> None:
    out = tmp_path / "env.json"
    python = _script(
        tmp_path,
        f"{sys.executable} -c 'import json, os, sys; json.dump(dict(os.environ), "
        f"open(sys.argv[1], \"w\")); print(json.dumps(sys.argv[2:]))' {out} \"$@\" >&2\n"
        "echo 'READY {\"g4f-flux\": \"http://127.0.0.1:9\"}'\nexec sleep 30",
    )
    with serve_spaces(
        "g4f-flux",
        python=python,
        fail="quota",
        compute_seconds=0.5,
        concurrency_limit=64,
        env={"MY_FLAG": "1"},
        heartbeat_interval=0.5,
    ) as urls:
        tail = urls.stderr_tail()
    env = json.loads(out.read_text())
    assert env["MY_FLAG"] == "1"
    assert env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert env["GRADIO_HEARTBEAT_INTERVAL"] == "0.5"
    assert str(ROOT) in env["PYTHONPATH"].split(os.pathsep)
    argv = json.loads(tail.strip().splitlines()[-1])
    assert argv[:4] == ["-m", "hfspace_sdk.testing", "serve", "g4f-flux"]
    assert argv[argv.index("--fail") + 1] == "quota"
    assert float(argv[argv.index("--compute-seconds") + 1]) == 0.5
    assert argv[argv.index("--concurrency-limit") + 1] == "64"


def test_python_env_var_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _script(tmp_path, "echo 'READY {\"janus\": \"http://127.0.0.1:7\"}'\nexec sleep 30")
    monkeypatch.setenv("HFSPACE_LOOKALIKE_PYTHON", python)
    with serve_space("janus") as url:
        assert url == "http://127.0.0.1:7"


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["serve", "not-a-space"],
        ["serve", "janus", "--fail", "explode"],
        ["serve", "janus", "--compute-seconds", "-1"],
        ["serve", "janus", "--concurrency-limit", "0"],
        ["serve", "janus", "janus"],
        ["hub", "--port", "http"],
        ["frobnicate"],
    ],
)
def test_cli_bad_arguments_exit_2(args: list[str]) -> None:
    result = _run_cli(*args)
    assert result.returncode == 2, result
    assert "usage:" in result.stderr


def test_cli_hub_foreground() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hfspace_sdk.testing", "hub"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("READY ")
        url = json.loads(line[6:])["hub"]
        page = requests.get(f"{url}/spaces/a/b", timeout=TIMEOUT)
        assert "&quot;sessionUuid&quot;:&quot;page-session-uuid&quot;" in page.text
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


# --------------------------------------------------------------------------- server-wide options


@pytest.mark.e2e
def test_server_wide_failure_mode(target_python: str) -> None:
    with serve_spaces("g4f-flux", "flux-dev-drifted", "demo", python=target_python,
                      fail="quota-left", concurrency_limit=8) as urls:
        pid = urls.pid
        url = urls["g4f-flux"]
        config = requests.get(f"{url}/config", timeout=TIMEOUT).json()
        prefix = config.get("api_prefix") or ""
        response = requests.post(
            f"{url}{prefix}/run/predict",
            json={"data": ["an innocent prompt", 1, 64, 64, False, 1], "event_data": None,
                  "fn_index": 3, "session_hash": "s", "trigger_id": 10},
            timeout=TIMEOUT,
        )
        assert response.status_code == 500
        assert FAILURE_MESSAGES["quota-left"] in response.json()["error"]
        # The drifted FLUX.1-dev's infer fails too; its CPU-only enhance_prompt does not.
        drifted = load_space("flux-dev-drifted", urls["flux-dev-drifted"])
        inputs = ["an innocent prompt", 1, False, 256, 256, 3.5, 2]
        final = completed(queue_call(drifted, 3, 5, inputs))
        assert final["output"]["error"] == error_text(drifted, FAILURE_MESSAGES["quota-left"])
        assert completed(queue_call(drifted, 2, 3, inputs[:1]))["success"] is True
        # Every demo endpoint fails that way, but fail (its own error) and the private one.
        demo = load_space("demo", urls["demo"])
        final = completed(queue_call(demo, 0, 20, ["hello"]))
        assert final["output"]["error"] == error_text(demo, FAILURE_MESSAGES["quota-left"])
        final = completed(queue_call(demo, 8, 28, ["hello"]))
        assert final["output"]["error"] == error_text(demo, DEMO_ERROR)
        assert completed(queue_call(demo, 10, 30, []))["output"]["data"] == [""]
        # The server also stops by itself when its parent goes away (its stdin closes).
        server = urls.server
        assert server.process.stdin is not None
        server.process.stdin.close()
        assert server.process.wait(timeout=10) == 0
    assert _gone(pid)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/config", timeout=TIMEOUT)


@pytest.mark.e2e
def test_server_wide_compute_seconds(target_python: str) -> None:
    """``compute_seconds`` paces the drifted FLUX.1-dev's infer and every demo call."""
    seconds = 0.4
    with serve_spaces("flux-dev-drifted", "demo", python=target_python,
                      compute_seconds=seconds) as urls:
        drifted = load_space("flux-dev-drifted", urls["flux-dev-drifted"])
        demo = load_space("demo", urls["demo"])
        started = time.monotonic()
        messages = queue_call(drifted, 3, 5, ["slow", 1, False, 256, 256, 3.5, 3])
        assert time.monotonic() - started >= seconds
        assert completed(messages)["success"] is True
        assert sum(m["msg"] == "process_generating" for m in messages) == 3
        started = time.monotonic()
        assert call_api(demo, "echo", ["slow"]) == [("complete", ["slow"])]
        assert time.monotonic() - started >= seconds
        started = time.monotonic()
        events = call_api(demo, "count", ["slow", 4])
        assert time.monotonic() - started >= seconds
        assert [name for name, _ in events] == ["generating"] * 4 + ["complete"]

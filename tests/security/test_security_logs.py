"""No secret in any log record, at any level, from the SDK, urllib3, requests or anyone else.

Generations run with every logger at DEBUG (root, ``hfspace_sdk``, ``urllib3``, ``requests``),
through successes and failures: a hub that refuses the token (401) or keeps failing (503, with
retries), an unreadable hub page, a Space error, a Space that refuses the job, a cross-host
redirect, an unreachable Space, the ``HuggingSpace`` fallback, and the command line at ``-vv``.
Each record's formatted message, ``msg``, ``args`` and exception text are searched.
"""

from __future__ import annotations

import contextlib
import logging
import traceback

import pytest
from security_secrets import API_KEY, COOKIE, HF_TOKEN, no_wait, space_urls_to
from security_servers import PNG

from hfspace_sdk import Client, HFSpaceError, cli

LOGGERS = ("", "hfspace_sdk", "urllib3", "requests", "hfspace_sdk.http", "hfspace_sdk.zerogpu")


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    return caplog


def _record_texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), str(record.msg), repr(record.args)]
    if record.exc_info:
        texts.append("".join(traceback.format_exception(*record.exc_info)))
    if record.exc_text:
        texts.append(record.exc_text)
    if record.stack_info:
        texts.append(record.stack_info)
    return texts


def _check_logs(caplog: pytest.LogCaptureFixture, leak_check, scenario: str) -> int:  # type: ignore[no-untyped-def]
    records = caplog.records
    for record in records:
        for text in _record_texts(record):
            leak_check(text, f"[{scenario}] a {record.levelname} record of {record.name}")
    leak_check(caplog.text, f"[{scenario}] the formatted log")
    return len(records)


def _client(space, hub, **options):  # type: ignore[no-untyped-def]
    return Client(
        space_urls=space_urls_to(space.url),
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
        retry_sleep=no_wait,
        **options,
    )


def _generate(client: Client) -> None:
    client.images.generate("a fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev")


# scenario -> (server, behaviour field, value, what the log must show)
SCENARIOS = {
    "success, every flow": None,
    "hub refuses the token (401)": ("hub", "status", 401, "failed: Response 401"),
    "hub keeps failing (503, retried)": ("hub", "status", 503, "Retrying a ZeroGPU token"),
    "hub page unreadable": ("hub", "page_status", 500, "Could not read the hub page"),
    "Space error": ("space", "fail_message", "CUDA out of memory", "CUDA out of memory"),
    "Space refuses the job (500)": ("space", "join_status", 500, "Response 500"),
    "Space refuses the job (401)": ("space", "join_status", 401, "Response 401"),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_secret_in_the_logs(scenario, hub, space, tmp_path, all_logs, leak_check):
    change = SCENARIOS[scenario]
    if change is not None:
        target = hub if change[0] == "hub" else space
        setattr(target.behaviour, change[1], change[2])
    errors: list[HFSpaceError] = []
    with _client(space, hub) as client:
        for run in (
            _generate,
            lambda c: c.images.generate("a fox", model="flux-schnell", provider="G4F"),
            lambda c: c.chat.completions.create(messages="What is this?", image=PNG),
            lambda c: c.images.generate("a fox", model="flux"),  # HuggingSpace falls back on errors
            lambda c: c.images.generate(
                "a fox", model="flux-dev", provider="FluxDev", api_key=API_KEY
            ),
            lambda c: c.images.generate("a fox", model="flux-dev", response_format="b64_json").save(
                tmp_path
            ),
        ):
            try:
                run(client)
            except HFSpaceError as exc:
                errors.append(exc)
    if change is None or change[1] == "page_status":  # an unreadable page only costs the token
        assert errors == []
    else:
        assert errors
        assert change[3] in all_logs.text
    assert _check_logs(all_logs, leak_check, scenario) > 10  # the loggers were really on
    for error in errors:
        leak_check(
            "".join(traceback.format_exception(type(error), error, error.__traceback__)),
            f"[{scenario}] {type(error).__name__}",
        )


@pytest.mark.parametrize("where", ["space join", "hub jwt"])
def test_no_secret_in_the_logs_of_a_cross_host_redirect(
    where, hub, space, other, all_logs, leak_check
):
    if where == "space join":
        space.behaviour.redirects["/queue/join"] = other.url_as("localhost") + "{path}?{query}"
    else:
        hub.behaviour.redirects["/jwt"] = other.url_as("localhost")
    with _client(space, hub) as client, contextlib.suppress(HFSpaceError):
        _generate(client)
    assert other.requests  # the redirect was followed
    _check_logs(all_logs, leak_check, f"redirect at the {where}")


def test_no_secret_in_the_logs_of_an_unreachable_space(hub, all_logs, leak_check):
    with Client(
        space_urls=space_urls_to("http://127.0.0.1:9"),
        hub_url=hub.url,
        hf_token=HF_TOKEN,
        cookies={"token": COOKIE},
        retry_sleep=no_wait,
    ) as client:
        with pytest.raises(HFSpaceError):
            _generate(client)
        with pytest.raises(HFSpaceError):
            client.chat.completions.create(messages="Hi", api_key=API_KEY)
    _check_logs(all_logs, leak_check, "unreachable Space")


def test_no_secret_on_the_command_lines_stderr_at_debug(
    hub, space, monkeypatch, capsys, all_logs, leak_check
):
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv(
        "HFSPACE_SPACE_URLS", ",".join(f"{k}={v}" for k, v in space_urls_to(space.url).items())
    )
    assert (
        cli.main(
            [
                "-vv",
                "generate",
                "a fox",
                "--model",
                "flux-dev",
                "--provider",
                "BlackForestLabs_Flux1Dev",
            ]
        )
        == 0
    )
    hub.behaviour.status = 401
    assert (
        cli.main(["-vv", "generate", "a fox", "--model", "flux-dev", "--provider", "FluxDev"]) == 1
    )
    captured = capsys.readouterr()
    assert "DEBUG" in captured.err and "hint:" in captured.err
    leak_check(captured.err + captured.out, "the command's output at -vv")
    _check_logs(all_logs, leak_check, "hfspace -vv")


@pytest.mark.parametrize(
    "credentials",
    [{"hf_token": f"{HF_TOKEN}\n"}, {"cookies": {"token": f"{COOKIE}\r\nX-Injected: 1"}}],
    ids=["token with a newline", "cookie with CRLF"],
)
def test_a_malformed_secret_never_reaches_the_logs_or_the_error(
    credentials, hub, space, all_logs, leak_check
):
    error = None
    try:  # a malformed secret is refused when the client is built, without showing it
        with Client(space_urls=space_urls_to(space.url), hub_url=hub.url, **credentials) as client:
            _generate(client)
    except Exception as exc:
        error = exc
    if error is not None:
        leak_check(
            "".join(traceback.format_exception(type(error), error, error.__traceback__)),
            "the error and its causes",
        )
    _check_logs(all_logs, leak_check, "malformed secret")

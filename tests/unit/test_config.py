"""Frozen client settings: environment, URL overrides, validation, secret-free repr, timeouts."""

from __future__ import annotations

import pytest

from hfspace_sdk.config import DEFAULT_HUB_URL, Settings, Timeout, default_space_url
from hfspace_sdk.errors import InvalidArgumentError

NO_ENV: dict[str, str] = {}


# --- default_space_url ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("space", "url"),
    [
        ("black-forest-labs/FLUX.1-schnell", "https://black-forest-labs-flux-1-schnell.hf.space"),
        ("deepseek-ai/Janus-Pro-7B", "https://deepseek-ai-janus-pro-7b.hf.space"),
        ("roxky/g4f_flux", "https://roxky-g4f-flux.hf.space"),
    ],
)
def test_default_space_url(space, url):
    assert default_space_url(space) == url


# --- Settings.from_options ------------------------------------------------------------------


def test_defaults_with_empty_environ():
    settings = Settings.from_options(environ=NO_ENV)
    assert settings.hub_url == DEFAULT_HUB_URL == "https://huggingface.co"
    assert settings.hf_token is None
    assert dict(settings.space_urls) == {}
    assert dict(settings.cookies) == {}
    assert settings.proxy is None
    assert settings.timeout == Timeout()
    assert settings.max_workers == 8


def test_environ_supplies_token_and_endpoint():
    settings = Settings.from_options(
        environ={"HF_TOKEN": "hf_env", "HF_ENDPOINT": "https://hub.example/"}
    )
    assert settings.hf_token == "hf_env"
    assert settings.hub_url == "https://hub.example"


def test_explicit_options_win_over_environ():
    settings = Settings.from_options(
        hf_token="hf_arg",
        hub_url="http://127.0.0.1:9000",
        environ={"HF_TOKEN": "hf_env", "HF_ENDPOINT": "https://hub.example"},
    )
    assert settings.hf_token == "hf_arg"
    assert settings.hub_url == "http://127.0.0.1:9000"


def test_empty_hf_token_in_environ_means_no_token():
    assert Settings.from_options(environ={"HF_TOKEN": ""}).hf_token is None


def test_environ_argument_replaces_os_environ(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_from_process")
    assert Settings.from_options(environ=NO_ENV).hf_token is None
    assert Settings.from_options().hf_token == "hf_from_process"


def test_space_urls_keys_lower_cased_and_trailing_slash_removed():
    settings = Settings.from_options(
        space_urls={"Black-Forest-Labs/FLUX.1-schnell": "http://127.0.0.1:7860/"},
        environ=NO_ENV,
    )
    assert dict(settings.space_urls) == {
        "black-forest-labs/flux.1-schnell": "http://127.0.0.1:7860"
    }


def test_space_url_uses_override_case_insensitively_else_default_host():
    settings = Settings.from_options(
        space_urls={"owner/Name": "http://localhost:1234/prefix"}, environ=NO_ENV
    )
    assert settings.space_url("OWNER/name") == "http://localhost:1234/prefix"
    assert settings.space_url("other/App") == "https://other-app.hf.space"


def test_space_urls_cannot_be_mutated_afterwards():
    source = {"o/n": "http://h"}
    settings = Settings.from_options(space_urls=source, environ=NO_ENV)
    source["o/n"] = "http://changed"
    assert settings.space_url("o/n") == "http://h"
    with pytest.raises(TypeError):
        settings.space_urls["o/n"] = "http://x"  # type: ignore[index]


def test_settings_are_frozen():
    settings = Settings.from_options(environ=NO_ENV)
    with pytest.raises(AttributeError, match="frozen"):
        settings.hf_token = "x"  # type: ignore[misc]


@pytest.mark.parametrize("key", ["noslash", "a/b/c", "/name", "owner/", "", 5])
def test_bad_space_url_keys_rejected(key):
    with pytest.raises(InvalidArgumentError, match="Space ids like 'owner/name'"):
        Settings.from_options(space_urls={key: "http://h"}, environ=NO_ENV)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://h",
        "h.example.com",
        "http://",
        "https://user:pw@h",
        "https://h/?q=1",
        "https://h/#frag",
        5,
        None,
    ],
)
def test_bad_space_urls_rejected(url):
    with pytest.raises(InvalidArgumentError, match=r"space_urls\['o/n'\]"):
        Settings.from_options(space_urls={"o/n": url}, environ=NO_ENV)


def test_space_urls_must_be_a_mapping():
    with pytest.raises(InvalidArgumentError, match="space_urls must be a mapping"):
        Settings.from_options(space_urls=[("o/n", "http://h")], environ=NO_ENV)


@pytest.mark.parametrize("hub_url", ["huggingface.co", "ftp://huggingface.co", "https://h?x=1"])
def test_bad_hub_url_rejected(hub_url):
    with pytest.raises(InvalidArgumentError, match="hub_url"):
        Settings.from_options(hub_url=hub_url, environ=NO_ENV)


def test_bad_hf_endpoint_in_environ_rejected():
    with pytest.raises(InvalidArgumentError, match="hub_url"):
        Settings.from_options(environ={"HF_ENDPOINT": "not a url"})


@pytest.mark.parametrize("proxy", ["proxy:8080", "socks5://proxy:1080", 8080, "http://p?x=1"])
def test_bad_proxy_rejected(proxy):
    with pytest.raises(InvalidArgumentError, match="proxy"):
        Settings.from_options(proxy=proxy, environ=NO_ENV)


def test_good_proxy_kept_without_trailing_slash():
    assert Settings.from_options(proxy="http://proxy:8080/", environ=NO_ENV).proxy == (
        "http://proxy:8080"
    )


@pytest.mark.parametrize("max_workers", [0, -1, True, 1.5, "4"])
def test_bad_max_workers_rejected(max_workers):
    with pytest.raises(InvalidArgumentError, match="max_workers"):
        Settings.from_options(max_workers=max_workers, environ=NO_ENV)


def test_max_workers_kept():
    assert Settings.from_options(max_workers=3, environ=NO_ENV).max_workers == 3


@pytest.mark.parametrize("cookies", [{"a": 1}, {1: "a"}, [("a", "b")], "a=b"])
def test_bad_cookies_rejected(cookies):
    with pytest.raises(InvalidArgumentError, match="cookies"):
        Settings.from_options(cookies=cookies, environ=NO_ENV)


@pytest.mark.parametrize("token", ["", "   ", 123])
def test_bad_explicit_hf_token_rejected(token):
    with pytest.raises(InvalidArgumentError, match="hf_token"):
        Settings.from_options(hf_token=token, environ=NO_ENV)


def test_timeout_number_is_coerced():
    settings = Settings.from_options(timeout=20, environ=NO_ENV)
    assert settings.timeout == Timeout(connect=10.0, read=20.0, total=20, wake=20)


def test_repr_hides_token_cookie_values_and_proxy():
    settings = Settings.from_options(
        hf_token="hf_SECRET_TOKEN",
        cookies={"token": "COOKIE_SECRET_VALUE"},
        proxy="http://proxy-SECRET-host:3128",
        environ=NO_ENV,
    )
    text = repr(settings)
    assert "hf_SECRET_TOKEN" not in text
    assert "COOKIE_SECRET_VALUE" not in text
    assert "proxy-SECRET-host" not in text
    assert "hf_token=***" in text
    assert "cookies=['token']" in text
    assert "proxy=***" in text


def test_repr_without_secrets_says_none():
    text = repr(Settings.from_options(environ=NO_ENV))
    assert "hf_token=None" in text
    assert "proxy=None" in text


# --- Timeout --------------------------------------------------------------------------------


def test_timeout_defaults():
    assert Timeout() == Timeout(connect=10.0, read=60.0, total=900.0, wake=300.0)


def test_coerce_none_gives_defaults():
    assert Timeout.coerce(None) == Timeout()


def test_coerce_number_caps_connect_and_read():
    assert Timeout.coerce(20) == Timeout(connect=10.0, read=20.0, total=20, wake=20)
    assert Timeout.coerce(5.5) == Timeout(connect=5.5, read=5.5, total=5.5, wake=5.5)
    assert Timeout.coerce(3600) == Timeout(connect=10.0, read=60.0, total=3600)


def test_coerce_timeout_instance_is_returned_as_is():
    timeout = Timeout(connect=1, read=2, total=3)
    assert Timeout.coerce(timeout) is timeout


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "10", [10]])
def test_coerce_bad_values_rejected(value):
    with pytest.raises(InvalidArgumentError, match="^timeout must be"):
        Timeout.coerce(value)


@pytest.mark.parametrize(
    "fields",
    [{"connect": 0}, {"read": -1}, {"total": float("inf")}, {"read": "5"}, {"total": True}],
)
def test_timeout_fields_validated(fields):
    with pytest.raises(InvalidArgumentError, match="^timeout[.]"):
        Timeout(**fields)


# --- Settings built directly, overridden, and the owners' options ------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_workers", -3),
        ("max_workers", True),
        ("timeout", 0),
        ("hub_url", "ftp://hub"),
        ("proxy", "socks5://p:1"),
        ("space_urls", {"no-slash": "http://h"}),
        ("cookies", {"bad name": "v"}),
        ("hf_token", "hf_\nsecret"),
        ("retry_sleep", 5),
    ],
)
def test_settings_built_by_hand_are_checked_like_keywords(field, value):
    with pytest.raises(InvalidArgumentError, match=field.split("_")[0]):
        Settings(**{field: value})
    with pytest.raises(InvalidArgumentError, match=field.split("_")[0]):
        Settings.from_options(environ=NO_ENV, **{field: value})


def test_settings_built_by_hand_are_normalised_and_ignore_the_environment(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    settings = Settings(space_urls={"Owner/Name": "http://h:1/"}, timeout=20)
    assert dict(settings.space_urls) == {"owner/name": "http://h:1"}
    assert settings.timeout == Timeout(connect=10, read=20, total=20, wake=20)
    assert settings.hf_token is None
    assert settings == Settings.from_options(
        environ=NO_ENV, space_urls={"owner/name": "http://h:1"}, timeout=20
    )


def test_replace_changes_the_given_options_and_checks_them():
    settings = Settings(max_workers=2, hf_token="hf_a")
    replaced = settings.replace(max_workers=4, hf_token=None)
    assert (replaced.max_workers, replaced.hf_token) == (4, "hf_a"), "None means 'not given'"
    assert settings.replace() is settings
    with pytest.raises(InvalidArgumentError, match="max_workers"):
        settings.replace(max_workers=0)


def test_unknown_options_are_named():
    with pytest.raises(InvalidArgumentError, match="max_worker.*the options are"):
        Settings.from_options(max_worker=3)


def test_every_owner_takes_exactly_the_settings_fields_as_keywords():
    """The option list is defined once (Settings' fields); the owners' signature must follow."""
    import inspect

    from hfspace_sdk import Client, Provider
    from hfspace_sdk.config import OPTIONS

    assert list(inspect.signature(Settings).parameters) == list(OPTIONS)
    for owner in (Client, Provider):
        parameters = inspect.signature(owner).parameters
        assert list(parameters) == ["settings", *OPTIONS]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_clients_and_providers_take_settings_with_keywords_over_them(monkeypatch):
    from hfspace_sdk import BlackForestLabs_Flux1Dev, Client

    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    settings = Settings(max_workers=2, timeout=30, hub_url="http://hub:1")
    with Client(settings=settings) as client:
        assert client.settings is settings, "given settings are used as they are"
    with BlackForestLabs_Flux1Dev(settings=settings, max_workers=5) as provider:
        assert provider.settings == settings.replace(max_workers=5)
        assert provider.settings.hf_token is None, "the environment is not read over settings"
    with pytest.raises(InvalidArgumentError, match="settings must be a Settings"):
        Client(settings={"max_workers": 2})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="max_workers"):
        Client(settings=settings, max_workers=-3)


def test_settings_and_timeouts_are_values_that_pickle_and_copy():
    import copy
    import pickle

    settings = Settings(
        space_urls={"o/n": "http://h:1"}, cookies={"c": "v"}, timeout=Timeout(1, 2, 3)
    )
    for clone in (pickle.loads(pickle.dumps(settings)), copy.deepcopy(settings)):
        assert clone == settings and clone is not settings
        assert dict(clone.space_urls) == {"o/n": "http://h:1"}
    assert hash(Timeout(1, 2, 3)) == hash(Timeout(1, 2, 3)) and Timeout(1, 2, 3) != Timeout(1, 2, 4)
    assert Settings(retry_sleep=print) == Settings(), (
        "a retry_sleep function does not tell settings apart"
    )
    with pytest.raises(AttributeError, match="frozen"):
        del settings.proxy
    with pytest.raises(AttributeError, match="frozen"):
        Timeout().read = 1  # type: ignore[misc]

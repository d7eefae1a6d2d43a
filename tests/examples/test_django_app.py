"""examples/django_app through Django's test client, against local look-alike Spaces.

Django's settings can be configured once per process, so this module configures them for the
example (DJANGO_SETTINGS_MODULE=django_app.settings) and refuses to run in a process where
another project already did. The documented ``python -m django`` command is checked in a
subprocess.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = "django_app.settings"


@pytest.fixture(scope="module")
def http(env_patch: pytest.MonkeyPatch) -> Iterator[object]:
    """A Django test client; the example's SDK client read the look-alikes' environment."""
    import django
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    if settings.configured and settings.SETTINGS_MODULE != SETTINGS:
        pytest.fail(
            f"Django is already configured with {settings.SETTINGS_MODULE!r} in this process"
        )
    env_patch.syspath_prepend(str(EXAMPLES))
    env_patch.setenv("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()
    setup_test_environment()
    from django_app import views  # builds the SDK client, from the environment

    try:
        yield Client()
    finally:
        teardown_test_environment()
        views.client.close()
        for name in [name for name in sys.modules if name.split(".")[0] == "django_app"]:
            del sys.modules[name]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def image_urls(response) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', response.content.decode())


def test_the_documented_command_loads_the_project(example_env):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--pythonpath",
            "examples",
            "--settings",
            SETTINGS,
        ],
        cwd=EXAMPLES.parent,
        env={**os.environ, **example_env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_the_form(http):
    response = http.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="post">' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="prompt"' in body
    assert "<option>flux-dev</option>" in body
    assert "<img" not in body


def test_generates_and_serves_the_image(http, image_size):
    response = http.post("/", {"prompt": "a red fox", "model": "flux-dev"})
    assert response.status_code == 200
    assert "<option selected>flux-dev</option>" in response.content.decode()
    [url] = image_urls(response)
    image = http.get(url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/webp"
    assert image_size(image.content) == (1024, 1024)


def test_a_model_that_draws_several_images(http, image_size):
    response = http.post("/", {"prompt": "a red fox", "model": "janus-pro-7b-image"})
    assert response.status_code == 200
    urls = image_urls(response)
    assert len(urls) == 5
    assert {image_size(http.get(url).content) for url in urls} == {(768, 768)}


def test_an_unknown_image_is_404(http):
    assert http.get("/images/00000000-0000-4000-8000-000000000000").status_code == 404
    assert http.get("/images/not-an-id").status_code == 404


def test_an_empty_prompt_is_400(http):
    response = http.post("/", {"prompt": "   ", "model": "flux"})
    assert response.status_code == 400
    assert "The prompt is empty" in page_text(response)
    assert "<img" not in response.content.decode()


def test_an_unknown_model_is_400_naming_the_models(http):
    response = http.post("/", {"prompt": "a red fox", "model": "flux-pro"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Model 'flux-pro' not found. Available models:" in text
    assert "flux-dev" in text.split("Available models:")[1]


def test_a_failing_space_is_502_with_its_message(http):
    response = http.post("/", {"prompt": "a red fox [[error]]", "model": "flux-dev"})
    assert response.status_code == 502
    text = page_text(response)
    assert "The look-alike Space failed on purpose" in text
    assert "Traceback" not in text
    assert 'value="a red fox [[error]]"' in text  # the form keeps the prompt

"""examples/flask_app.py through Flask's test client, against local look-alike Spaces."""

from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

APP_FILE = Path(__file__).resolve().parents[2] / "examples" / "flask_app.py"


@pytest.fixture(scope="module")
def http(env_patch: pytest.MonkeyPatch) -> Iterator[object]:
    """A test client of ``create_app()``, whose SDK client read the look-alikes' environment."""
    spec = importlib.util.spec_from_file_location("flask_app_example", APP_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.create_app()
    app.testing = True
    try:
        yield app.test_client()
    finally:
        app.extensions["hfspace_sdk"].close()


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def image_urls(response) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', response.get_data(as_text=True))


def test_the_form(http):
    response = http.get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<form method="post">' in body
    assert 'name="prompt"' in body
    assert "<option>flux-dev</option>" in body
    assert "<img" not in body


def test_generates_and_serves_the_image(http, image_size):
    response = http.post("/", data={"prompt": "a red fox", "model": "flux-dev"})
    assert response.status_code == 200
    assert "<option selected>flux-dev</option>" in response.get_data(as_text=True)
    [url] = image_urls(response)
    image = http.get(url)
    assert image.status_code == 200
    assert image.content_type == "image/webp"
    assert image_size(image.data) == (1024, 1024)


def test_a_model_that_draws_several_images(http, image_size):
    response = http.post("/", data={"prompt": "a red fox", "model": "janus-pro-7b-image"})
    assert response.status_code == 200
    urls = image_urls(response)
    assert len(urls) == 5
    assert {image_size(http.get(url).data) for url in urls} == {(768, 768)}


def test_an_unknown_image_is_404(http):
    assert http.get("/images/0123456789abcdef").status_code == 404


def test_an_empty_prompt_is_400(http):
    response = http.post("/", data={"prompt": "   ", "model": "flux"})
    assert response.status_code == 400
    assert "The prompt is empty" in page_text(response)
    assert "<img" not in response.get_data(as_text=True)


def test_an_unknown_model_is_400_naming_the_models(http):
    response = http.post("/", data={"prompt": "a red fox", "model": "flux-pro"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Model 'flux-pro' not found. Available models:" in text
    assert "flux-dev" in text.split("Available models:")[1]


def test_a_failing_space_is_502_with_its_message(http):
    response = http.post("/", data={"prompt": "a red fox [[error]]", "model": "flux-dev"})
    assert response.status_code == 502
    text = page_text(response)
    assert "The look-alike Space failed on purpose" in text
    assert "Traceback" not in text
    assert 'value="a red fox [[error]]"' in text  # the form keeps the prompt

"""The OpenAI-style Client against real look-alike Spaces."""

from __future__ import annotations

import base64
import io
import threading

import pytest
from image_checks import image_size

from hfspace_sdk import (
    AllProvidersFailedError,
    ChatCompletion,
    Client,
    ImagePreview,
    ImageResponse,
    ImagesResponse,
    InvalidArgumentError,
    JsonConversation,
    Reasoning,
    SpaceError,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def client(options):
    with Client(**options) as shared:
        yield shared


def _png(width, height):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_generate_returns_final_images_only(client):
    result = client.images.generate(
        "a red fox", model="flux-dev", size="512x384", num_inference_steps=3
    )
    assert isinstance(result, ImagesResponse)
    assert (result.model, result.provider) == ("flux-dev", "HuggingSpace")
    [image] = result.data
    assert image.revised_prompt == "a red fox" and image.b64_json is None
    assert image_size(image.url) == (512, 384)


def test_generate_n_images_concurrently_with_distinct_seeds(client):
    result = client.images.generate(
        "a tree",
        model="flux-schnell",
        provider="BlackForestLabs_Flux1Schnell",
        n=3,
        seed=10,
        width=256,
        height=256,
    )
    assert len(result.data) == 3
    assert len({image.url for image in result.data}) == 3, "seeds 10, 11, 12 draw different images"


def test_b64_json_embeds_the_downloaded_image(client):
    result = client.images.generate(
        "a cat", model="flux-schnell", aspect_ratio="16:9", response_format="b64_json"
    )
    [image] = result.data
    assert image.url is None
    data = base64.b64decode(image.b64_json)
    assert image.bytes() == data
    assert image.to_pil().size == (1024, 576)
    assert image._repr_html_().startswith('<img src="data:image/')


def test_saving_images(client, tmp_path):
    result = client.images.generate("a boat at sea", model="flux-schnell", width=256, height=256)
    path = result.data[0].save(tmp_path)
    assert (
        path.parent == tmp_path
        and path.name.startswith("a-boat-at-sea")
        and path.suffix in (".webp", ".png")
    )
    explicit = result.data[0].save(tmp_path / "boat.webp")
    assert explicit.read_bytes() == path.read_bytes()
    many = client.images.generate("two", model="janus-pro-7b-image")
    paths = many.save(tmp_path / "janus")
    assert len(paths) == 5 and all(p.parent == tmp_path / "janus" for p in paths)


def test_stream_yields_progress_previews_and_the_result(client):
    events = list(
        client.images.stream(
            "a lake",
            model="flux-dev",
            provider="BlackForestLabs_Flux1Dev",
            size="512x512",
            num_inference_steps=3,
        )
    )
    assert any(isinstance(event, Reasoning) for event in events)
    assert any(isinstance(event, ImagePreview) for event in events)
    assert type(events[-1]) is ImageResponse


def test_progress_bar_follows_the_space(client, capsys):
    pytest.importorskip("tqdm")
    client.images.generate(
        "a hill", model="flux-dev", size="256x256", num_inference_steps=3, progress=True
    )
    err = capsys.readouterr().err
    assert "3/3" in err and "Finished" in err


def test_chat_completion_with_an_image_and_a_follow_up(client):
    first = client.chat.completions.create(messages="What colour is it?", image=_png(64, 48))
    assert isinstance(first, ChatCompletion)
    assert (
        first.choices[0].message.content
        == "Janus look-alike answer to: What colour is it? [image 64x48]"
    )
    assert isinstance(first.conversation, JsonConversation)
    history = [
        {"role": "user", "content": "What colour is it?"},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "Are you sure?"},
    ]
    second = client.chat.completions.create(messages=history, conversation=first.conversation)
    assert second.choices[0].message.content == "Janus look-alike answer to: Are you sure?"
    assert second.conversation.session_hash == first.conversation.session_hash


def test_chat_stream_never_mixes_statuses_into_content(client):
    chunks = list(client.chat.completions.create(messages="hello", stream=True))
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text == "Janus look-alike answer to: hello"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert isinstance(chunks[-1].conversation, JsonConversation)
    assert len({chunk.id for chunk in chunks}) == 1


def test_submit_returns_a_job(client):
    job = client.submit("janus-pro-7b", "hi", provider="DeepseekAI_JanusPro7b")
    assert job.result(timeout=60) == "Janus look-alike answer to: hi"


def test_generate_many_reports_results_and_errors_as_they_complete(client):
    prompts = ["one", "two [[error]]", "three", "four"]
    results = list(
        client.images.generate_many(
            prompts,
            model="flux-schnell",
            provider="Voodoohop_Flux1Schnell",
            max_concurrency=2,
            width=256,
            height=256,
        )
    )
    assert sorted(result.index for result in results) == [0, 1, 2, 3]
    by_index = {result.index: result for result in results}
    assert isinstance(by_index[1].error, SpaceError) and by_index[1].response is None
    for index in (0, 2, 3):
        assert by_index[index].error is None
        assert by_index[index].response.data[0].revised_prompt == prompts[index]


def test_a_failure_is_raised_with_every_providers_reason(client):
    with pytest.raises(AllProvidersFailedError, match="failed on purpose"):
        client.images.generate("x [[error]]", model="flux-schnell")


def test_a_shared_client_serves_many_threads(client):
    answers, errors = [], []

    def ask(index):
        try:
            answers.append(
                client.chat.completions.create(messages=f"q{index}").choices[0].message.content
            )
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(answers) == sorted(f"Janus look-alike answer to: q{index}" for index in range(12))


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda c: c.images.generate("", model="flux"), "prompt is empty"),
        (lambda c: c.images.generate("x", model="dall-e-3"), "Available models"),
        (lambda c: c.images.generate("x", size="big"), "size must look like"),
        (lambda c: c.images.generate("x", size="512x512", width=512), "either size or width"),
        (lambda c: c.images.generate("x", n=0), "n must be"),
        (lambda c: c.images.generate("x", response_format="png"), "response_format"),
        (lambda c: c.images.generate("x", provider="Nope"), "Unknown provider"),
        (lambda c: c.chat.completions.create(messages="x", image=b"not an image"), "not an image"),
        (lambda c: list(c.images.generate_many(["a", ""], model="flux")), "prompt is empty"),
    ],
)
def test_bad_input_is_a_clear_error_before_any_request(client, call, text):
    with pytest.raises(InvalidArgumentError, match=text):
        call(client)


def test_a_closed_client_refuses_work(options):
    client = Client(**options)
    client.close()
    with pytest.raises(Exception, match="closed"):
        client.images.generate("x", model="flux-schnell")

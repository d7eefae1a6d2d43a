"""Every provider and model alias against real Gradio look-alike Spaces, with g4f's event order."""

from __future__ import annotations

import base64
import io
import threading

import pytest
from image_checks import image_size

from hfspace_sdk import (
    G4F,
    AllProvidersFailedError,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    ImagePreview,
    ImageResponse,
    JobCancelledError,
    JsonConversation,
    QuotaExceededError,
    Reasoning,
    SpaceError,
    Voodoohop_Flux1Schnell,
)
from hfspace_sdk.testing import space_urls_for

pytestmark = pytest.mark.e2e


def ask(text):
    return [{"role": "user", "content": text}]


def run(provider_class, options, model, messages, **params):
    with provider_class(**options) as provider:
        return list(provider.create_completion(model, messages, **params))


def new_threads(before):
    """Threads alive now that were not alive before: what the test left behind."""
    return [thread.name for thread in threading.enumerate() if thread not in before]


def statuses(events):
    return [event.status for event in events if isinstance(event, Reasoning)]


@pytest.mark.parametrize("provider_class", [BlackForestLabs_Flux1Schnell, Voodoohop_Flux1Schnell])
@pytest.mark.parametrize("alias", ["flux", "flux-schnell", None])
def test_flux_schnell_yields_exactly_one_image(provider_class, alias, options):
    model = alias or provider_class.default_model
    events = run(
        provider_class,
        options,
        model,
        ask("a red fox"),
        width=512,
        height=384,
        num_inference_steps=2,
    )

    assert len(events) == 1 and type(events[0]) is ImageResponse
    assert events[0].alt == "a red fox"
    assert image_size(events[0].urls[0]) == (512, 384)


@pytest.mark.parametrize("provider_class", [BlackForestLabs_Flux1Dev, FluxDev])
@pytest.mark.parametrize("alias", ["flux", "flux-dev", None])
def test_flux_dev_reports_progress_previews_then_the_image(provider_class, alias, options):
    model = alias or provider_class.default_model
    events = run(
        provider_class,
        options,
        model,
        ask("a lighthouse"),
        aspect_ratio="16:9",
        num_inference_steps=3,
    )

    assert events[0] == Reasoning(status="Using 1 GPU")
    assert any(
        status.startswith("Sampling ") and status.endswith("/3") for status in statuses(events)
    )
    assert any(isinstance(event, ImagePreview) for event in events)
    assert events[-2] == Reasoning(status="Finished")
    final = events[-1]
    assert type(final) is ImageResponse and final.alt == "a lighthouse"
    assert image_size(final.urls[0]) == (1024, 576)
    previews = [event for event in events if isinstance(event, ImagePreview)]
    assert image_size(previews[0].urls[0]) == (1024, 576)


def test_flux_dev_job_api(options):
    with BlackForestLabs_Flux1Dev(**options) as provider:
        job = provider.submit(
            "flux-dev", ask("a castle"), width=512, height=512, num_inference_steps=2
        )
        result = job.result(timeout=60)
        assert job.done()
    assert type(result) is ImageResponse
    assert image_size(result.urls[0]) == (512, 512)


def _png(width, height):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_janus_chat_with_an_uploaded_image_and_a_follow_up(options, hub):
    data_uri = "data:image/png;base64," + base64.b64encode(_png(64, 48)).decode()
    first_turn = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture?"},
                {"type": "image_url", "image_url": {"url": data_uri}},
            ],
        }
    ]
    with DeepseekAI_JanusPro7b(**options) as janus:
        events = list(janus.create_completion("janus-pro-7b", first_turn))
        conversation = events[0]
        assert isinstance(conversation, JsonConversation)
        assert events[-2] == Reasoning(status="Finished")
        answer = events[-1]
        assert isinstance(answer, str)
        assert "What is in this picture?" in answer and "[image 64x48]" in answer

        follow_up = [
            *first_turn,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": "And the colour?"},
        ]
        events_2 = list(
            janus.create_completion("janus-pro-7b", follow_up, conversation=conversation)
        )

    assert events_2[0].session_hash == conversation.session_hash
    assert isinstance(events_2[-1], str) and "And the colour?" in events_2[-1]
    assert "Assistant:" not in events_2[-1], "a follow-up sends only the new user message"
    page_reads = [r for r in hub.requests if r.path == "/spaces/deepseek-ai/Janus-Pro-7B"]
    assert len(page_reads) == 1, "the hub page is read on the first turn only"


def test_janus_draws_five_images(options):
    events = run(DeepseekAI_JanusPro7b, options, "janus-pro-7b-image", ask("a blue bird"))
    assert isinstance(events[0], JsonConversation)
    assert events[-2] == Reasoning(status="Finished")
    final = events[-1]
    assert type(final) is ImageResponse and len(final.urls) == 5 and final.alt == "a blue bird"
    assert {image_size(url) for url in final.urls} == {(768, 768)}


def test_janus_without_return_conversation(options):
    events = run(
        DeepseekAI_JanusPro7b, options, "janus-pro-7b", ask("hello"), return_conversation=False
    )
    assert not any(isinstance(event, JsonConversation) for event in events)
    assert isinstance(events[-1], str)


def test_g4f_flux_schnell_runs_predict_with_timed_statuses(options, hub):
    events = run(G4F, options, "flux-schnell", ask("with a hat"), width=1001, height=777, seed=5)

    assert events[0] == Reasoning(status="Acquiring GPU Token")
    timed = statuses(events)[1:]
    assert timed[0] == "Generating 0.00s"
    assert all(status.startswith("Generating ") for status in timed[:-1])
    assert timed[-1].startswith("Finished ") and timed[-1].endswith("s")
    assert events[-2].status == timed[-1], "Finished comes just before the image"
    final = events[-1]
    assert type(final) is ImageResponse and final.alt == "with a hat"
    assert image_size(final.urls[0]) == (1000, 776)
    assert [r.path for r in hub.requests] == ["/spaces/roxky/g4f-flux"]


@pytest.mark.parametrize("model", ["flux", "flux-dev"])
def test_g4f_flux_goes_to_fluxdev(options, model):
    events = run(G4F, options, model, ask("a tree"), width=512, height=512, num_inference_steps=2)
    assert events[-2] == Reasoning(status="Finished")
    assert image_size(events[-1].urls[0]) == (512, 512)


def test_g4f_janus_route(options):
    events = run(G4F, options, "janus-pro-7b", ask("hi there"))
    assert isinstance(events[0], JsonConversation)
    assert isinstance(events[-1], str) and "hi there" in events[-1]


@pytest.mark.parametrize(
    "model", ["flux", "flux-dev", "flux-schnell", "janus-pro-7b", "janus-pro-7b-image"]
)
def test_huggingspace_routes_every_model(options, model):
    events = run(
        HuggingSpace,
        options,
        model,
        ask("a fox"),
        **({"prompt": "a fox"} if "image" in model else {}),
    )
    assert isinstance(events[-1], (str, ImageResponse)) and not isinstance(events[-1], ImagePreview)


def test_huggingspace_falls_back_when_the_first_space_fails(options, failing_flux_dev):
    space_urls = {**options["space_urls"], "black-forest-labs/FLUX.1-dev": failing_flux_dev}
    events = run(
        HuggingSpace,
        {**options, "space_urls": space_urls},
        "flux",
        ask("a fox"),
        width=512,
        height=512,
    )
    final = events[-1]
    assert type(final) is ImageResponse
    assert final.urls[0].startswith(options["space_urls"]["black-forest-labs/FLUX.1-schnell"])


def test_huggingspace_reports_every_failure(options, failing_flux_dev):
    dead = "http://127.0.0.1:9"  # nothing listens on the discard port
    space_urls = {
        **options["space_urls"],
        "black-forest-labs/FLUX.1-dev": failing_flux_dev,
        "roxky/FLUX.1-dev": failing_flux_dev,
        "black-forest-labs/FLUX.1-schnell": dead,
        "voodoohop/FLUX.1-schnell": dead,
    }
    with pytest.raises(AllProvidersFailedError) as caught:
        run(HuggingSpace, {**options, "space_urls": space_urls}, "flux", ask("a fox"))
    errors = caught.value.errors
    assert list(errors) == [
        "BlackForestLabs_Flux1Dev",
        "BlackForestLabs_Flux1Schnell",
        "Voodoohop_Flux1Schnell",
        "FluxDev",
    ]
    assert "failed on purpose" in str(errors["BlackForestLabs_Flux1Dev"])
    assert "connection refused" in str(errors["Voodoohop_Flux1Schnell"])
    assert "failed on purpose" in str(caught.value)


@pytest.mark.parametrize(
    ("provider_class", "model"),
    [
        (BlackForestLabs_Flux1Dev, "flux-dev"),
        (DeepseekAI_JanusPro7b, "janus-pro-7b"),
        (G4F, "flux-schnell"),
    ],
)
def test_a_space_error_carries_the_spaces_message(options, provider_class, model):
    with pytest.raises(SpaceError, match="^The look-alike Space failed on purpose$") as caught:
        run(provider_class, options, model, ask("a fox [[error]]"))
    assert caught.value.space is not None


def test_flux_schnell_error_text_depends_on_gradio(options, before_gradio6):
    with pytest.raises(SpaceError) as caught:
        run(BlackForestLabs_Flux1Schnell, options, "flux", ask("a fox [[error]]"))
    if before_gradio6:
        assert "hid its message" in str(caught.value) and "Gradio before 6.0" in str(caught.value)
    else:
        assert str(caught.value) == "The look-alike Space failed on purpose"


@pytest.mark.parametrize(
    ("trigger", "requested", "left", "retry_after"),
    [("[[quota]]", 60, 56, None), ("[[quota-left]]", 60, 46, 588), ("[[quota-free]]", 60, 12, 343)],
)
@pytest.mark.parametrize(
    ("provider_class", "model"), [(BlackForestLabs_Flux1Dev, "flux"), (G4F, "flux-schnell")]
)
def test_quota_messages_become_quota_errors(
    options, provider_class, model, trigger, requested, left, retry_after
):
    with pytest.raises(QuotaExceededError) as caught:
        run(provider_class, options, model, ask(f"a fox {trigger}"))
    error = caught.value
    assert (error.requested, error.left, error.retry_after) == (requested, left, retry_after)
    assert "<a" not in str(error)


def test_cancel_frees_the_job_thread_and_connection(options, slow_flux_dev):
    space_urls = {**options["space_urls"], "black-forest-labs/FLUX.1-dev": slow_flux_dev}
    threads_before = set(threading.enumerate())
    provider = BlackForestLabs_Flux1Dev(**{**options, "space_urls": space_urls})
    job = provider.submit("flux-dev", ask("slow"), num_inference_steps=5)
    events = iter(job)
    first = next(events)
    assert first == Reasoning(status="Using 1 GPU")

    assert job.cancel()
    with pytest.raises(JobCancelledError):
        for _ in events:
            pass
    with pytest.raises(JobCancelledError):
        job.result(timeout=30)
    provider.close()
    assert new_threads(threads_before) == []


def test_closing_the_iterator_early_cancels_the_job(options, slow_flux_dev):
    space_urls = {**options["space_urls"], "black-forest-labs/FLUX.1-dev": slow_flux_dev}
    threads_before = set(threading.enumerate())
    with BlackForestLabs_Flux1Dev(**{**options, "space_urls": space_urls}) as provider:
        stream = provider.create_completion("flux-dev", ask("slow"), num_inference_steps=5)
        assert next(stream) == Reasoning(status="Using 1 GPU")
        stream.close()
        [job] = provider.active_jobs() or [None]
        assert job is None or job.cancelled()
    assert new_threads(threads_before) == []


def test_space_urls_override_is_case_insensitive(lookalikes, hub):
    space_urls = {key.upper(): value for key, value in space_urls_for(lookalikes).items()}
    events = run(
        Voodoohop_Flux1Schnell,
        {"space_urls": space_urls, "hub_url": hub.url},
        "flux",
        ask("x"),
        width=256,
        height=256,
    )
    assert image_size(events[-1].urls[0]) == (256, 256)

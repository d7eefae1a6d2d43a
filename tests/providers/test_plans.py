"""What each provider would send, checked without any I/O; bad input fails before any request."""

from __future__ import annotations

import copy

import pytest
import responses

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    InvalidArgumentError,
    JsonConversation,
    ModelNotFoundError,
    ModelNotSupportedError,
    Voodoohop_Flux1Schnell,
)
from hfspace_sdk.gradio.app_config import AppFunction
from hfspace_sdk.providers.flux_dev import FluxDevPlan
from hfspace_sdk.providers.flux_schnell import FluxSchnellPlan
from hfspace_sdk.providers.g4f import G4FFluxPlan
from hfspace_sdk.providers.janus import JanusPlan

FOX = [{"role": "user", "content": "a red fox"}]
PNG_1x1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize("provider", [BlackForestLabs_Flux1Schnell, Voodoohop_Flux1Schnell])
def test_flux_schnell_defaults_match_g4f(provider):
    plan = provider.prepare("flux", FOX)
    assert isinstance(plan, FluxSchnellPlan)
    assert plan.space_id == provider.space
    assert plan.payload() == ["a red fox", 0, True, 768, 768, 2]


def test_flux_schnell_floors_sizes_to_multiples_of_8():
    plan = BlackForestLabs_Flux1Schnell.prepare("flux-schnell", FOX, width=1001, height=20, seed=5)
    assert plan.payload() == ["a red fox", 5, True, 1000, 32, 2]


def test_flux_schnell_takes_an_aspect_ratio():
    plan = Voodoohop_Flux1Schnell.prepare("flux", FOX, aspect_ratio="16:9")
    assert (plan.width, plan.height) == (1024, 576)


def test_flux_dev_defaults_match_g4f():
    plan = BlackForestLabs_Flux1Dev.prepare("flux-dev", FOX)
    assert isinstance(plan, FluxDevPlan)
    assert plan.payload() == ["a red fox", 0, True, 1024, 1024, 3.5, 28]
    assert (plan.api_name, plan.g4f_numbers) == ("infer", (2, 4))


@pytest.mark.parametrize(
    ("options", "size"),
    [
        ({"aspect_ratio": "16:9", "width": 1000}, (1000, 576)),
        ({"aspect_ratio": "4:3"}, (1024, 768)),  # g4f 0.5 sent null here
        ({"aspect_ratio": "7:5"}, (1024, 728)),
        ({"aspect_ratio": "1:3"}, (336, 1024)),
        ({"width": 512, "height": 640}, (512, 640)),
    ],
)
def test_flux_dev_sizes(options, size):
    plan = BlackForestLabs_Flux1Dev.prepare("flux", FOX, **options)
    assert (plan.width, plan.height) == size


def test_flux_dev_never_sends_a_null_seed():
    assert FluxDev.prepare("flux", FOX, seed=None).payload()[1] == 0


def test_fluxdev_only_names_another_space():
    assert FluxDev.prepare("flux", FOX).space_id == "roxky/FLUX.1-dev"
    assert FluxDev.label == BlackForestLabs_Flux1Dev.label
    assert FluxDev.referer == "https://roxky-flux-1-dev.hf.space/?__theme=light"


def test_janus_chat_sends_the_transcript_and_no_image():
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "what is this?"},
    ]
    original = copy.deepcopy(messages)
    plan = DeepseekAI_JanusPro7b.prepare("janus-pro-7b", messages, seed=7)
    assert isinstance(plan, JanusPlan)
    assert not plan.generate_image
    assert (
        plan.prompt
        == "System: Be brief.\nUser: hi\nAssistant: hello\nUser: what is this?\nAssistant:"
    )
    assert plan.image is None
    assert plan._payload(None) == [None, plan.prompt, 7, 0.95, 0.1]
    assert messages == original


def test_janus_follow_up_sends_only_the_last_user_message():
    conversation = JsonConversation(session_hash="abc", zerogpu_uuid="u", zerogpu_token="t")
    messages = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "and now?"},
    ]
    plan = DeepseekAI_JanusPro7b.prepare("janus-pro-7b", messages, conversation=conversation)
    assert plan.prompt == "and now?"
    assert plan.access.uuid == "u"


def test_janus_image_mode_uses_the_last_user_message_and_uploads_nothing():
    messages = [
        {"role": "user", "content": "draw something"},
        {"role": "assistant", "content": "what?"},
        {"role": "user", "content": "a lighthouse"},
    ]
    plan = DeepseekAI_JanusPro7b.prepare("janus-pro-7b-image", messages, media=PNG_1x1, seed=3)
    assert plan.generate_image
    assert plan.prompt == "a lighthouse"
    assert plan.image is None
    assert plan._payload(None) == ["a lighthouse", 3, 5, 1]


def test_janus_explicit_prompt_means_an_image():
    assert DeepseekAI_JanusPro7b.prepare("janus-pro-7b", FOX, prompt="a cat").generate_image


def test_janus_chat_takes_the_last_image():
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is it?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ],
        }
    ]
    with pytest.raises(InvalidArgumentError, match="not an image"):
        DeepseekAI_JanusPro7b.prepare("janus-pro-7b", messages)
    plan = DeepseekAI_JanusPro7b.prepare(
        "janus-pro-7b", FOX, media=[(b"GIF89a" + b"\0" * 10, "a.gif"), (PNG_1x1, "b.png")]
    )
    assert plan.image is not None and (plan.image.name, plan.image.mime_type) == (
        "b.png",
        "image/png",
    )


def test_janus_first_turn_reads_the_hub_page_unless_given_a_token():
    assert DeepseekAI_JanusPro7b.prepare("janus-pro-7b", FOX).access.uuid is None
    given = DeepseekAI_JanusPro7b.prepare("janus-pro-7b", FOX, api_key="tok", zerogpu_uuid="u")
    assert (given.access.api_key, given.access.uuid) == ("tok", "u")


def test_g4f_routes():
    assert G4F.prepare("flux", FOX).space_id == "roxky/FLUX.1-dev"
    assert G4F.prepare("flux-dev", FOX).payload()[1] == 0  # never null
    janus = G4F.prepare("janus-pro-7b", FOX)
    assert isinstance(janus, JanusPlan) and janus.space_id == "roxky/Janus-Pro-7B"
    native = G4F.prepare("flux-schnell", FOX)
    assert isinstance(native, G4FFluxPlan) and native.space_id == "roxky/g4f-flux"
    assert (native.width, native.height) == (1024, 1024)  # g4f crashed on width=None


def test_g4f_flux_schnell_payload():
    plan = G4F.prepare(
        "flux-schnell", [{"role": "user", "content": "with a hat"}], width=1001, height=777, seed=5
    )
    realtime_flux = AppFunction(fn_index=7, api_name="RealtimeFlux", targets=((12, "change"),))
    call = plan.call(realtime_flux)
    assert call.payload()["data"] == ["with a hat", 5, 1000, 776, True, 1]
    assert (call.fn_index, call.trigger_id) == (7, 12)  # the Space's numbers, not g4f's
    assert len(call.session_hash) == 10 and call.session_hash.isalnum()


def test_g4f_unknown_flux_model_lists_the_valid_ones():
    with pytest.raises(
        ModelNotSupportedError,
        match="flux-pro.*janus-pro-7b, janus-pro-7b-image, flux, flux-dev, flux-schnell",
    ):
        G4F.prepare("flux-pro", FOX)


def test_huggingspace_orders_and_routes():
    def route(model, **params):
        return [plan.provider_name for plan in HuggingSpace.prepare(model, FOX, **params).plans]

    # G4F serves flux and flux-dev through FluxDev, and the plan names the provider that runs it.
    assert route("flux") == [
        "BlackForestLabs_Flux1Dev",
        "BlackForestLabs_Flux1Schnell",
        "Voodoohop_Flux1Schnell",
        "FluxDev",
    ]
    assert route("flux-schnell") == [
        "BlackForestLabs_Flux1Schnell",
        "Voodoohop_Flux1Schnell",
        "G4F",
    ]
    assert route("flux-dev") == ["BlackForestLabs_Flux1Dev", "FluxDev"]
    assert route("janus-pro-7b") == ["DeepseekAI_JanusPro7b", "G4F"]
    assert route(HuggingSpace.default_image_model) == ["BlackForestLabs_Flux1Dev"]
    assert route("") == ["DeepseekAI_JanusPro7b", "G4F"]
    assert route("flux", guidance_scale=5.0) == ["BlackForestLabs_Flux1Dev", "FluxDev"]


def test_huggingspace_shuffle_leaves_the_class_order_alone():
    before = HuggingSpace.providers
    HuggingSpace.prepare("flux", FOX, shuffle=True)
    assert HuggingSpace.providers == before


BAD_INPUTS = [
    (
        BlackForestLabs_Flux1Schnell,
        "dall-e-3",
        {},
        ModelNotSupportedError,
        "Valid models: flux-schnell, flux",
    ),
    (HuggingSpace, "dall-e-3", {}, ModelNotFoundError, "Available models: .*flux-dev"),
    (DeepseekAI_JanusPro7b, "gpt-4o", {}, ModelNotFoundError, "janus-pro-7b, janus-pro-7b-image"),
    (
        BlackForestLabs_Flux1Dev,
        "flux",
        {"aspect_ratio": "wide"},
        InvalidArgumentError,
        "Unrecognised aspect_ratio",
    ),
    (BlackForestLabs_Flux1Dev, "flux", {"width": 0}, InvalidArgumentError, "width must be between"),
    (
        BlackForestLabs_Flux1Dev,
        "flux",
        {"height": 512.5},
        InvalidArgumentError,
        "height must be a whole number",
    ),
    (BlackForestLabs_Flux1Schnell, "flux", {"width": -8}, InvalidArgumentError, "width"),
    (
        BlackForestLabs_Flux1Schnell,
        "flux",
        {"num_inference_steps": 0},
        InvalidArgumentError,
        "num_inference_steps",
    ),
    (BlackForestLabs_Flux1Dev, "flux", {"prompt": "   "}, InvalidArgumentError, "prompt is empty"),
    (
        BlackForestLabs_Flux1Dev,
        "flux",
        {"guidance": 3},
        InvalidArgumentError,
        "does not take guidance",
    ),
    (G4F, "flux-schnell", {"seed": -1}, InvalidArgumentError, "seed"),
    (
        DeepseekAI_JanusPro7b,
        "janus-pro-7b",
        {"media": b"not an image"},
        InvalidArgumentError,
        "not an image",
    ),
    (
        DeepseekAI_JanusPro7b,
        "janus-pro-7b",
        {"conversation": {"session_hash": "x"}},
        InvalidArgumentError,
        "JsonConversation",
    ),
]


@pytest.mark.parametrize(("provider", "model", "params", "error", "text"), BAD_INPUTS)
def test_bad_input_is_rejected_before_any_request(provider, model, params, error, text):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        with pytest.raises(error, match=text):
            provider.create_completion(model, FOX, **params)
        with provider() as instance, pytest.raises(error, match=text):
            instance.submit(model, FOX, **params)
        assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    ("messages", "text"),
    [
        ("a red fox", "must be a list"),
        ([{"content": "no role"}], "needs a 'role'"),
        (["just text"], r"messages\[0\] must be a dict"),
        ([{"role": "user", "content": 42}], "must be a string or a list"),
        ([], "prompt is empty"),
        (
            [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
            "prompt is empty",
        ),
    ],
)
def test_messages_of_the_wrong_shape_are_rejected(messages, text):
    with pytest.raises(InvalidArgumentError, match=text):
        BlackForestLabs_Flux1Dev.prepare("flux", messages)


def test_bad_settings_are_rejected_at_construction():
    with pytest.raises(InvalidArgumentError, match="space_urls keys"):
        BlackForestLabs_Flux1Dev(space_urls={"not-an-id": "http://x"})
    with pytest.raises(InvalidArgumentError, match="hub_url"):
        HuggingSpace(hub_url="ftp://hub")
    with pytest.raises(InvalidArgumentError, match="max_workers"):
        G4F(max_workers=0)
    with pytest.raises(TypeError):
        BlackForestLabs_Flux1Dev({"a/b": "http://x"})  # keyword-only


def test_space_urls_from_the_environment(monkeypatch):
    from hfspace_sdk.config import Settings, parse_space_urls

    monkeypatch.setenv("HFSPACE_SPACE_URLS", "Owner/A=http://127.0.0.1:1/, owner/b=http://h:2")
    assert dict(Settings.from_options().space_urls) == {
        "owner/a": "http://127.0.0.1:1",
        "owner/b": "http://h:2",
    }
    assert dict(Settings.from_options(space_urls={}).space_urls) == {}, "an explicit argument wins"
    with pytest.raises(InvalidArgumentError, match="Expected SPACE=URL"):
        parse_space_urls("owner/a")

"""Events a generation yields: g4f's str()/get_dict() forms, markdown, and value semantics."""

from __future__ import annotations

from hfspace_sdk.events import (
    ImagePreview,
    ImageResponse,
    JsonConversation,
    Reasoning,
    is_final_result,
)

START = "\n<!-- generated images start -->\n"
END = "\n<!-- generated images end -->\n\n"


# --- Reasoning ------------------------------------------------------------------------------


def test_reasoning_status_str_ends_with_newline():
    assert str(Reasoning(status="Finished")) == "Finished\n"


def test_reasoning_empty_status_str_is_a_newline():
    assert str(Reasoning(status="")) == "\n"


def test_reasoning_label_is_prefixed_to_status():
    assert str(Reasoning(label="Generating", status="3/28")) == "Generating: 3/28\n"


def test_reasoning_token_wins_over_status():
    assert str(Reasoning(token="tok", status="ignored")) == "tok"


def test_reasoning_is_thinking_wins_over_everything():
    assert str(Reasoning(token="tok", status="s", is_thinking="<think>")) == "<think>"


def test_reasoning_without_fields_is_empty():
    assert str(Reasoning()) == ""


def test_reasoning_get_dict_status_only():
    assert Reasoning(status="Finished").get_dict() == {"token": None, "status": "Finished"}


def test_reasoning_get_dict_token_only():
    assert Reasoning(token="t").get_dict() == {"token": "t"}


def test_reasoning_get_dict_with_label():
    assert Reasoning(label="L", status="s").get_dict() == {"label": "L", "status": "s"}


def test_reasoning_get_dict_with_is_thinking_has_three_keys():
    assert Reasoning(token="t", status="s", is_thinking="x").get_dict() == {
        "token": "t",
        "status": "s",
        "is_thinking": "x",
    }


def test_reasoning_compares_by_value():
    assert Reasoning(status="Finished") == Reasoning(status="Finished")
    assert Reasoning(status="Finished") != Reasoning(status="Finished 0.60s")
    assert hash(Reasoning(status="a")) == hash(Reasoning(status="a"))


def test_reasoning_is_not_equal_to_other_types():
    assert Reasoning(status="Finished") != "Finished\n"


def test_reasoning_extra_numeric_fields_keep_g4f_text():
    event = Reasoning(status="Sampling 3/28", progress=3, total=28, rank=0, eta=1.5)
    assert (event.progress, event.total, event.rank, event.eta) == (3, 28, 0, 1.5)
    assert str(event) == "Sampling 3/28\n"
    assert event.get_dict() == {"token": None, "status": "Sampling 3/28"}


def test_reasoning_extra_fields_take_part_in_equality():
    assert Reasoning(status="s", progress=1, total=2) != Reasoning(status="s", progress=2, total=2)


def test_reasoning_positional_order_is_token_label_status():
    # g4f >= 0.4.9.2 signature: (token, label, status, is_thinking)
    event = Reasoning(None, "label", "status")
    assert (event.label, event.status) == ("label", "status")


# --- ImageResponse --------------------------------------------------------------------------


def test_image_response_single_str_url_becomes_list():
    assert ImageResponse("https://h/a.webp", "cat").urls == ["https://h/a.webp"]


def test_image_response_list_and_tuple_urls_are_lists():
    assert ImageResponse(["u1", "u2"], "cat").urls == ["u1", "u2"]
    assert ImageResponse(("u1", "u2"), "cat").urls == ["u1", "u2"]


def test_image_response_images_is_alias_of_urls():
    response = ImageResponse(["u1"], "cat")
    assert response.images is response.urls


def test_image_response_get_reads_options_with_default():
    response = ImageResponse("u", "cat", {"width": 512})
    assert response.get("width") == 512
    assert response.get("height") is None
    assert response.get("height", 7) == 7


def test_image_response_get_list_is_a_copy():
    response = ImageResponse("u", "cat")
    listed = response.get_list()
    assert listed == ["u"]
    listed.append("other")
    assert response.urls == ["u"]


def test_image_response_options_are_not_shared_between_instances():
    first, second = ImageResponse("a", "x"), ImageResponse("b", "y")
    first.options["seed"] = 1
    assert second.options == {}
    assert first.options is not second.options


def test_image_response_copies_the_options_it_is_given():
    options = {"seed": 1}
    response = ImageResponse("a", "x", options)
    options["seed"] = 2
    assert response.get("seed") == 1


def test_image_response_markdown_for_one_image():
    response = ImageResponse("https://h.hf.space/file=/tmp/a.webp", "a cat")
    url = "https://h.hf.space/file=/tmp/a.webp"
    assert str(response) == f"{START}[![a cat]({url})]({url}){END}"
    assert str(response) == (
        "\n<!-- generated images start -->\n"
        "[![a cat](https://h.hf.space/file=/tmp/a.webp)](https://h.hf.space/file=/tmp/a.webp)\n"
        "<!-- generated images end -->\n\n"
    )


def test_image_response_markdown_for_several_images_is_numbered():
    response = ImageResponse(["https://h/1.webp", "https://h/2.webp"], "cat")
    assert str(response) == (
        "\n<!-- generated images start -->\n"
        "[![#1 cat](https://h/1.webp)](https://h/1.webp)\n"
        "[![#2 cat](https://h/2.webp)](https://h/2.webp)\n"
        "<!-- generated images end -->\n\n"
    )


def test_image_response_markdown_collapses_alt_whitespace():
    response = ImageResponse("https://h/a.webp", "  a \n big\t cat ")
    assert str(response) == f"{START}[![a big cat](https://h/a.webp)](https://h/a.webp){END}"


def test_image_response_markdown_quotes_space_as_plus():
    response = ImageResponse("https://h/file=/tmp/a b.webp", "cat")
    quoted = "https://h/file=/tmp/a+b.webp"
    assert str(response) == f"{START}[![cat]({quoted})]({quoted}){END}"


def test_image_response_markdown_unquotes_percent_escapes_first():
    response = ImageResponse("https://h/a%20b.webp", "cat")
    assert "(https://h/a+b.webp)" in str(response)


def test_image_response_to_string_equals_str():
    response = ImageResponse("https://h/a.webp", "cat")
    assert response.to_string() == str(response)


def test_image_response_equality_by_value():
    assert ImageResponse("u", "a", {"k": 1}) == ImageResponse(["u"], "a", {"k": 1})
    assert ImageResponse("u", "a") != ImageResponse("u", "b")
    assert ImageResponse("u", "a") != ImagePreview("u", "a")


# --- ImagePreview ---------------------------------------------------------------------------


def test_image_preview_str_is_empty():
    assert str(ImagePreview("https://h/a.webp", "cat")) == ""


def test_image_preview_to_string_is_markdown():
    preview = ImagePreview("https://h/a.webp", "cat")
    assert preview.to_string() == f"{START}[![cat](https://h/a.webp)](https://h/a.webp){END}"


def test_image_preview_is_an_image_response():
    assert isinstance(ImagePreview("u", "a"), ImageResponse)


# --- JsonConversation -----------------------------------------------------------------------


def test_json_conversation_get_dict_holds_every_field():
    conversation = JsonConversation(session_hash="abc", zerogpu_uuid="u", zerogpu_token="secret")
    assert conversation.get_dict() == {
        "session_hash": "abc",
        "zerogpu_uuid": "u",
        "zerogpu_token": "secret",
    }
    assert conversation.session_hash == "abc"


def test_json_conversation_from_dict_round_trip():
    original = JsonConversation(session_hash="abc", zerogpu_token="t", zerogpu_uuid="u")
    rebuilt = JsonConversation.from_dict(original.get_dict())
    assert rebuilt == original
    assert rebuilt.get_dict() == original.get_dict()
    assert rebuilt.zerogpu_token == "t"


def test_json_conversation_from_dict_does_not_keep_the_mapping():
    data = {"session_hash": "abc"}
    conversation = JsonConversation.from_dict(data)
    data["session_hash"] = "changed"
    assert conversation.session_hash == "abc"


def test_json_conversation_repr_hides_the_zerogpu_token():
    conversation = JsonConversation(session_hash="abc", zerogpu_token="hf_jwt_SECRET_VALUE")
    text = repr(conversation)
    assert "hf_jwt_SECRET_VALUE" not in text
    assert "zerogpu_token=***" in text
    assert "session_hash='abc'" in text


def test_json_conversation_str_is_empty():
    assert str(JsonConversation(session_hash="abc")) == ""


# --- is_final_result ------------------------------------------------------------------------


def test_is_final_result_for_images_and_text():
    assert is_final_result(ImageResponse("u", "a"))
    assert is_final_result("some text")


def test_is_final_result_false_for_progress_previews_and_state():
    assert not is_final_result(Reasoning(status="Finished"))
    assert not is_final_result(ImagePreview("u", "a"))
    assert not is_final_result(JsonConversation(session_hash="x"))


def test_an_image_response_pickles_without_its_downloader():
    import pickle
    import threading

    response = ImageResponse(["http://x/a.webp"], "a fox")
    lock = threading.Lock()  # what a real downloader holds (sessions, locks): not picklable
    response.download_with(lambda url, _lock=lock: b"")
    clone = pickle.loads(pickle.dumps(response))
    assert clone == response and clone.to_string() == response.to_string()

"""Validation and derivation of generation parameters: sizes, ratios, seeds, prompts."""

from __future__ import annotations

import copy

import pytest

from hfspace_sdk.errors import InvalidArgumentError
from hfspace_sdk.params import (
    ASPECT_RATIOS,
    MAX_DIMENSION,
    MAX_PROMPT_CHARS,
    floor_to_multiple_of_8,
    format_prompt,
    image_prompt,
    last_user_message,
    require_prompt,
    size_for,
    to_string,
    validate_dimension,
    validate_flag,
    validate_messages,
    validate_number,
    validate_seed,
    validate_steps,
)

DEFAULT = (1024, 1024)
IMAGE_PART = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}


def user(content):
    return {"role": "user", "content": content}


def assistant(content):
    return {"role": "assistant", "content": content}


# --- aspect ratios and sizes ----------------------------------------------------------------


def test_aspect_ratio_table_is_g4f_8_8_6():
    assert dict(ASPECT_RATIOS) == {
        "1:1": (1024, 1024),
        "16:9": (1024, 576),
        "9:16": (576, 1024),
        "4:3": (1024, 768),
        "3:4": (768, 1024),
        "3:2": (1024, 682),
        "2:3": (682, 1024),
        "21:9": (1024, 440),
        "9:21": (440, 1024),
        "4:5": (832, 1040),
        "5:4": (1040, 832),
        "2:1": (1024, 512),
        "1:2": (512, 1024),
    }


@pytest.mark.parametrize(("ratio", "size"), sorted(ASPECT_RATIOS.items()))
def test_size_for_named_ratio(ratio, size):
    assert size_for(aspect_ratio=ratio, default=(1, 1)) == size


@pytest.mark.parametrize(
    ("ratio", "size"),
    [
        ("7:5", (1024, 728)),  # 1024 * 5 / 7 = 731.4 -> 728
        ("5:7", (728, 1024)),
        ("2.39:1", (1024, 424)),  # 428.4 -> 424
        ("10:1", (1024, 96)),  # 102.4 -> 96
        ("100:1", (1024, 32)),  # floor 8 -> at least 32
        (" 16 : 9 ", (1024, 576)),
        ("3:3", (1024, 1024)),
    ],
)
def test_size_for_any_ratio_has_long_side_1024_and_multiples_of_8(ratio, size):
    assert size_for(aspect_ratio=ratio, default=(1, 1)) == size


@pytest.mark.parametrize(
    ("ratio", "size"), [("1.85:1", (1024, 552)), ("1:49", (32, 1024)), ("2:49", (40, 1024))]
)
def test_size_for_any_ratio_long_side_is_exactly_1024(ratio, size):
    assert size_for(aspect_ratio=ratio, default=(1, 1)) == size


@pytest.mark.parametrize("ratio", ["abc", "16x9", "0:1", "1:0", "-1:2", "16:", ":9", "1:2:3", ""])
def test_size_for_unparsable_ratio_is_invalid_argument_listing_forms(ratio):
    with pytest.raises(InvalidArgumentError) as caught:
        size_for(aspect_ratio=ratio, default=DEFAULT)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert "W:H" in message
    assert "'2.39:1'" in message
    assert all(name in message for name in ASPECT_RATIOS)


@pytest.mark.parametrize("ratio", [16 / 9, (16, 9), b"16:9"])
def test_size_for_non_string_ratio_is_invalid_argument(ratio):
    with pytest.raises(InvalidArgumentError, match="aspect_ratio must be a string"):
        size_for(aspect_ratio=ratio, default=DEFAULT)


@pytest.mark.parametrize(
    ("ratio", "size"), [("1:" + "9" * 400, (32, 1024)), ("9" * 400 + ":1", (1024, 32))]
)
def test_size_for_huge_ratio_numbers_clamp_the_short_side(ratio, size):
    # Exact arithmetic: no overflow to inf/NaN, the long side stays 1024, the short side clamps.
    assert size_for(aspect_ratio=ratio, default=DEFAULT) == size


def test_size_for_without_anything_uses_default():
    assert size_for(default=(768, 512)) == (768, 512)


def test_size_for_explicit_dimensions_win_over_ratio():
    assert size_for(width=640, height=480, aspect_ratio="16:9", default=DEFAULT) == (640, 480)


def test_size_for_ratio_fills_only_missing_dimension():
    assert size_for(width=640, aspect_ratio="16:9", default=DEFAULT) == (640, 576)
    assert size_for(height=300, aspect_ratio="16:9", default=DEFAULT) == (1024, 300)


def test_size_for_default_fills_missing_dimension_without_ratio():
    assert size_for(width=640, default=(1, 2)) == (640, 2)


def test_size_for_validates_explicit_dimensions():
    with pytest.raises(InvalidArgumentError, match="width"):
        size_for(width=0, default=DEFAULT)
    with pytest.raises(InvalidArgumentError, match="height"):
        size_for(height="512", default=DEFAULT)


@pytest.mark.parametrize(
    ("value", "expected"), [(1001, 1000), (20, 32), (1024, 1024), (1023, 1016), (0, 32), (40, 40)]
)
def test_floor_to_multiple_of_8(value, expected):
    assert floor_to_multiple_of_8(value) == expected


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 512, MAX_DIMENSION])
def test_validate_dimension_accepts_positive_ints(value):
    assert validate_dimension("width", value) == value


@pytest.mark.parametrize("value", [0, -5, 1.5, 512.0, True, False, "512", None, MAX_DIMENSION + 1])
def test_validate_dimension_rejects(value):
    with pytest.raises(InvalidArgumentError, match="^width "):
        validate_dimension("width", value)


@pytest.mark.parametrize("value", [None, 0, 42, 2**63 - 1])
def test_validate_seed_accepts(value):
    assert validate_seed(value) == value


@pytest.mark.parametrize("value", [-1, 2**63, 1.0, True, "1", [1]])
def test_validate_seed_rejects(value):
    with pytest.raises(InvalidArgumentError, match="seed must be a non-negative whole number"):
        validate_seed(value)


@pytest.mark.parametrize("value", [1, 28, 200])
def test_validate_steps_accepts(value):
    assert validate_steps(value) == value


@pytest.mark.parametrize("value", [0, -1, 201, 2.0, True, "4", None])
def test_validate_steps_rejects(value):
    with pytest.raises(InvalidArgumentError, match="num_inference_steps"):
        validate_steps(value)


def test_validate_steps_custom_maximum():
    assert validate_steps(50, maximum=50) == 50
    with pytest.raises(InvalidArgumentError, match="from 1 to 50"):
        validate_steps(51, maximum=50)


def test_validate_number_accepts_ints_and_floats_as_float():
    assert validate_number("guidance", 3.5, minimum=1, maximum=15) == 3.5
    result = validate_number("guidance", 2, minimum=1, maximum=15)
    assert result == 2.0
    assert isinstance(result, float)
    assert validate_number("guidance", 15, minimum=1, maximum=15) == 15.0


@pytest.mark.parametrize("value", [0.5, 15.01, float("nan"), float("inf"), True, "3", None])
def test_validate_number_rejects(value):
    with pytest.raises(InvalidArgumentError, match="^guidance "):
        validate_number("guidance", value, minimum=1, maximum=15)


def test_validate_flag():
    assert validate_flag("randomize_seed", True) is True
    with pytest.raises(InvalidArgumentError):
        validate_flag("randomize_seed", 1)


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("messages", ["hello", b"hello", {"role": "user", "content": "a"}, None, 5])
def test_validate_messages_rejects_non_lists(messages):
    with pytest.raises(InvalidArgumentError, match="messages must be a list"):
        validate_messages(messages)


@pytest.mark.parametrize("item", ["hello", ["user", "a"], None, 3])
def test_validate_messages_rejects_non_dict_items(item):
    with pytest.raises(InvalidArgumentError, match=r"messages\[1\] must be a dict"):
        validate_messages([user("a"), item])


@pytest.mark.parametrize("message", [{"content": "a"}, {"role": "", "content": "a"}, {"role": 1}])
def test_validate_messages_rejects_missing_role(message):
    with pytest.raises(InvalidArgumentError, match=r"messages\[0\] needs a 'role' string"):
        validate_messages([message])


@pytest.mark.parametrize("content", [5, {"type": "text", "text": "a"}, b"bytes", 1.5])
def test_validate_messages_rejects_bad_content_types(content):
    with pytest.raises(InvalidArgumentError, match=r"messages\[0\]\['content'\]"):
        validate_messages([user(content)])


def test_validate_messages_accepts_str_list_tuple_and_none_content():
    messages = [user("a"), user([{"type": "text", "text": "b"}]), user(("c",)), assistant(None)]
    assert validate_messages(messages) == messages
    assert validate_messages(tuple(messages)) == messages
    assert validate_messages([]) == []


def test_validate_messages_returns_copies():
    messages = [user("a"), assistant("b")]
    snapshot = copy.deepcopy(messages)
    checked = validate_messages(messages)
    checked[0]["content"] = "changed"
    checked[1]["role"] = "system"
    checked.append(user("c"))
    assert messages == snapshot
    assert checked is not messages


def test_to_string_keeps_text_parts_only():
    assert to_string([{"type": "text", "text": "a"}, IMAGE_PART, "b", {"text": "c"}]) == "abc"
    assert to_string(None) == ""
    assert to_string(IMAGE_PART) == ""
    assert to_string(5) == "5"


def test_format_prompt_two_messages():
    assert format_prompt([user("a"), assistant("b")]) == "User: a\nAssistant: b\nAssistant:"


def test_format_prompt_one_message_is_its_text():
    assert format_prompt([user("only")]) == "only"
    assert format_prompt([user([{"type": "text", "text": "x"}, IMAGE_PART])]) == "x"


def test_format_prompt_empty_list():
    assert format_prompt([]) == ""


def test_format_prompt_skips_blank_messages_and_capitalises_roles():
    messages = [{"role": "system", "content": "s"}, user("a"), assistant("  "), user("c")]
    assert format_prompt(messages) == "System: s\nUser: a\nUser: c\nAssistant:"


def test_last_user_message_joins_trailing_user_run():
    messages = [user("a"), user([{"type": "text", "text": "b"}, IMAGE_PART]), user("  ")]
    assert last_user_message(messages) == "a\nb"


def test_last_user_message_is_empty_when_assistant_spoke_last():
    assert last_user_message([user("a"), assistant("b")]) == ""


def test_last_user_message_stops_at_first_non_user():
    assert last_user_message([user("old"), assistant("b"), user(" new ")]) == "new"
    assert last_user_message([]) == ""


def test_prompt_helpers_do_not_mutate_inputs():
    messages = [user("a"), assistant("b"), user([{"type": "text", "text": "c"}, IMAGE_PART])]
    snapshot = copy.deepcopy(messages)
    format_prompt(messages)
    last_user_message(messages)
    image_prompt(messages)
    validate_messages(messages)
    assert messages == snapshot


def test_image_prompt_prefers_explicit_prompt():
    assert image_prompt([user("from messages")], "explicit") == "explicit"


def test_image_prompt_uses_last_user_messages():
    assert image_prompt([assistant("x"), user("a cat"), user("in space")]) == "a cat\nin space"


def test_image_prompt_without_user_text_is_invalid():
    with pytest.raises(InvalidArgumentError, match="The prompt is empty"):
        image_prompt([user("a"), assistant("b")])
    with pytest.raises(InvalidArgumentError, match="The prompt is empty"):
        image_prompt([user("a")], "   ")


def test_require_prompt_accepts_text_up_to_the_limit():
    assert require_prompt("a cat") == "a cat"
    long_prompt = "x" * MAX_PROMPT_CHARS
    assert require_prompt(long_prompt) is long_prompt


@pytest.mark.parametrize("prompt", ["", "   ", "\n\t"])
def test_require_prompt_rejects_empty(prompt):
    with pytest.raises(InvalidArgumentError, match="The prompt is empty"):
        require_prompt(prompt)


@pytest.mark.parametrize("prompt", [None, 5, b"cat", ["cat"]])
def test_require_prompt_rejects_non_strings(prompt):
    with pytest.raises(InvalidArgumentError, match="prompt must be a string"):
        require_prompt(prompt)


def test_require_prompt_rejects_too_long():
    with pytest.raises(InvalidArgumentError, match=f"the limit is {MAX_PROMPT_CHARS}"):
        require_prompt("x" * (MAX_PROMPT_CHARS + 1))

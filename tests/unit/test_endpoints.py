"""A Space's functions as /config lists them, and finding one by api_name before a call."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from hfspace_sdk import ProtocolError, SpaceSchemaError
from hfspace_sdk.gradio.app_config import AppComponent, parse_config
from hfspace_sdk.gradio.endpoints import find_function

SPACE = "owner/space"


def _config(*dependencies: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A Gradio 6 /config with the FLUX.1 layout's components and the given dependencies."""
    components = [
        {"id": 4, "type": "textbox", "props": {"label": "Prompt"}},
        {"id": 5, "type": "button", "props": {"value": "Run"}},
        {"id": 6, "type": "image", "props": {"label": "Result"}},
        {"id": 8, "type": "slider", "props": {"label": "Seed"}},
    ]
    return {
        "version": "6.31.0",
        "api_prefix": "/gradio_api",
        "protocol": "sse_v3",
        "components": components,
        "dependencies": list(dependencies),
        **extra,
    }


INFER = {
    "id": 2,
    "api_name": "infer",
    "targets": [[5, "click"], [4, "submit"]],
    "inputs": [4, 8],
    "outputs": [6, 8],
    "queue": True,
    "api_visibility": "public",
    "types": {"generator": True, "cancel": False},
}
EXAMPLE = {
    "id": 0,
    "api_name": "load_example",
    "targets": [[19, "click"]],
    "inputs": [19],
    "outputs": [4],
    "queue": False,
    "api_visibility": "undocumented",
}


def test_a_function_carries_its_numbers_components_and_flags():
    info = parse_config(_config(EXAMPLE, INFER))
    infer = info.function("infer")
    assert infer is not None
    assert (infer.fn_index, infer.api_name) == (2, "infer")
    assert infer.targets == ((5, "click"), (4, "submit"))
    assert infer.inputs == (AppComponent(4, "textbox", "Prompt"), AppComponent(8, "slider", "Seed"))
    assert [c.type for c in infer.outputs or ()] == ["image", "slider"]
    assert infer.generator and infer.queued and infer.public
    example = info.function("/load_example")  # the slash is optional
    assert example is not None and not example.queued and not example.public
    assert info.function("missing") is None
    assert info.function_at(0) is example


def test_the_trigger_is_the_first_target_or_the_one_of_the_named_event():
    infer = parse_config(_config(INFER)).function("infer")
    assert infer is not None
    assert infer.trigger_id() == 5  # what the web page sends for a click
    assert infer.trigger_id("submit") == 4  # what g4f sends: the prompt's submit
    assert infer.trigger_id("change") == 5  # no such event: the first target


def test_gradio_4_visibility_comes_from_show_api():
    hidden = {**EXAMPLE, "api_visibility": None, "show_api": False}
    shown = {**INFER, "api_visibility": None, "show_api": True}
    info = parse_config(_config(hidden, shown))
    assert [f.public for f in info.functions] == [False, True]


@pytest.mark.parametrize("api_name", [None, False, ""])
def test_a_listener_without_api_name_is_unnamed(api_name):
    info = parse_config(_config({**INFER, "api_name": api_name}))
    assert info.functions[0].api_name is None
    assert not info.names_functions
    assert dict(info.fn_index_by_api_name) == {}


def test_unknown_component_ids_and_odd_entries_are_tolerated():
    dependency = {**INFER, "inputs": [4, 99, "x"], "targets": [[5, "click"], "junk", [1]]}
    infer = parse_config(_config(dependency, "junk")).function("infer")
    assert infer is not None
    assert infer.inputs == (AppComponent(4, "textbox", "Prompt"), AppComponent(99))
    assert infer.targets == ((5, "click"),)


def test_a_config_without_input_lists_leaves_inputs_unknown():
    infer = parse_config(_config({"id": 2, "api_name": "infer"})).function("infer")
    assert infer is not None and infer.inputs is None and infer.trigger_id() is None


def test_queue_disabled_in_the_config_is_seen():
    assert parse_config(_config(INFER)).enable_queue
    assert not parse_config(_config(INFER, enable_queue=False)).enable_queue


# --- find_function ------------------------------------------------------------------------


def test_find_function_by_name_wherever_the_space_put_it():
    moved = {**INFER, "id": 7, "targets": [[12, "click"], [11, "submit"]]}
    info = parse_config(_config(EXAMPLE, moved))
    function = find_function(info, SPACE, "infer", inputs=2, fallback=(2, 4))
    assert (function.fn_index, function.trigger_id("submit")) == (7, 11)


def test_a_missing_endpoint_names_the_ones_the_space_has():
    info = parse_config(_config(EXAMPLE, INFER))
    with pytest.raises(SpaceSchemaError) as caught:
        find_function(info, SPACE, "generate_image", inputs=4, fallback=(3, 20))
    error = caught.value
    assert isinstance(error, ProtocolError)
    assert (error.space, error.endpoint) == (SPACE, "/generate_image")
    assert str(error) == "owner/space has no endpoint /generate_image; it has /load_example, /infer"


def test_another_number_of_inputs_says_what_was_expected_and_found():
    info = parse_config(_config(INFER))
    with pytest.raises(SpaceSchemaError) as caught:
        find_function(info, SPACE, "/infer", inputs=7)
    assert str(caught.value) == (
        "/infer of owner/space takes 2 inputs (Prompt, Seed) where 7 were expected: "
        "the Space has changed"
    )
    assert caught.value.endpoint == "/infer"


def test_g4f_numbers_are_used_only_when_the_config_names_no_function():
    unnamed = {**INFER, "api_name": None}
    info = parse_config(_config({**EXAMPLE, "api_name": None}, unnamed))
    function = find_function(info, SPACE, "infer", inputs=2, fallback=(2, 4))
    assert function.fn_index == 2
    # A config that names other functions but not this one: the numbers would be a guess.
    named_others = parse_config(_config(EXAMPLE, unnamed))
    with pytest.raises(SpaceSchemaError, match="has no endpoint /infer; it has /load_example"):
        find_function(named_others, SPACE, "infer", inputs=2, fallback=(2, 4))


def test_the_fallback_number_is_checked_like_a_name():
    info = parse_config(_config({**INFER, "api_name": None}))
    with pytest.raises(SpaceSchemaError, match="takes 2 inputs"):
        find_function(info, SPACE, "infer", inputs=7, fallback=(2, 4))
    with pytest.raises(SpaceSchemaError, match="no named endpoint"):
        find_function(info, SPACE, "infer", inputs=2, fallback=(5, 4))


def test_a_function_without_targets_takes_g4fs_trigger():
    info = parse_config(_config({"id": 2, "api_name": "infer"}))
    function = find_function(info, SPACE, "infer", inputs=7, fallback=(2, 4))
    assert (function.fn_index, function.trigger_id("submit")) == (2, 4)


def test_the_list_of_endpoints_in_an_error_is_bounded():
    many = [{"id": i, "api_name": f"fn{i}", "inputs": []} for i in range(20)]
    with pytest.raises(SpaceSchemaError) as caught:
        find_function(parse_config(_config(*many)), SPACE, "infer", inputs=1)
    assert str(caught.value).endswith("/fn7 and 12 more")


def test_a_schema_error_pickles_with_its_endpoint():
    error = SpaceSchemaError("gone", space=SPACE, endpoint="/infer")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.space, copy.endpoint) == (
        SpaceSchemaError,
        "gone",
        SPACE,
        "/infer",
    )

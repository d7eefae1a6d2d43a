"""Binding arguments, filling the API's skipped slots and decoding outputs: pure functions."""

from __future__ import annotations

from typing import Any, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfspace_sdk import InvalidArgumentError, Parameter, ProtocolError
from hfspace_sdk.gradio.api_info import Endpoint
from hfspace_sdk.gradio.app_config import AppComponent, AppFunction
from hfspace_sdk.gradio.values import (
    assemble_payload,
    bind_arguments,
    decode_outputs,
    file_data_name,
    file_mime_type,
    input_kind,
    is_file_data,
    is_image_file,
    server_path,
)

TEXT = Parameter("text", "str", "Textbox", label="Text")
TIMES = Parameter("times", "float", "Slider", 2, False, "Times")
SHOUT = Parameter("shout", "bool", "Checkbox", False, False, "Shout")


def endpoint(
    *parameters: Parameter,
    inputs: Optional[list[AppComponent]] = None,
    outputs: Optional[list[AppComponent]] = None,
    described: bool = True,
    returns: tuple[Parameter, ...] = (),
) -> Endpoint:
    function = AppFunction(
        fn_index=1,
        api_name="repeat",
        inputs=None if inputs is None else tuple(inputs),
        outputs=None if outputs is None else tuple(outputs),
    )
    return Endpoint("/repeat", tuple(parameters), returns, function, described=described)


REPEAT = endpoint(TEXT, TIMES, SHOUT)


def fd(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "path": f"/tmp/gradio/h/{name}",
        "url": f"http://s/file=/tmp/gradio/h/{name}",
        "orig_name": name,
        "meta": {"_type": "gradio.FileData"},
        **extra,
    }


def made(file_data: Any, image: bool, caption: Optional[str]) -> tuple[str, str, Optional[str]]:
    return ("image" if image else "file", file_data_name(file_data), caption)


# --- binding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("hi",), {}, ["hi", 2, False]),
        (("hi", 3), {}, ["hi", 3, False]),
        ((), {"text": "hi", "shout": True}, ["hi", 2, True]),
        (("hi",), {"shout": True, "times": 5}, ["hi", 5, True]),
        (("hi", 1, True), {}, ["hi", 1, True]),
    ],
)
def test_positional_then_keywords_then_defaults(args, kwargs, expected) -> None:
    assert bind_arguments(REPEAT, args, kwargs) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, r"/repeat needs 'text': /repeat\(text, times=2, shout=False\)"),
        (("a", 1, True, "x"), {}, "/repeat takes 3 arguments, 4 given"),
        (("a",), {"txt": "b"}, "/repeat has no parameter 'txt'"),
        (("a",), {"text": "b"}, "/repeat got two values for 'text'"),
    ],
)
def test_bad_calls_name_the_accepted_parameters(args, kwargs, message) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        bind_arguments(REPEAT, args, kwargs)


def test_undescribed_parameters_go_by_position_only() -> None:
    unnamed = endpoint(Parameter(None, component="Textbox"), described=False, inputs=[])
    assert bind_arguments(unnamed, ("x",), {}) == ["x"]
    with pytest.raises(InvalidArgumentError, match="does not name its parameters"):
        bind_arguments(unnamed, (), {"text": "x"})
    with pytest.raises(InvalidArgumentError, match=r"needs argument #1: /repeat\(#1 \(Textbox\)\)"):
        bind_arguments(unnamed, (), {})


def test_a_config_without_inputs_sends_positional_values_as_given() -> None:
    bare = endpoint(described=False)
    assert bind_arguments(bare, (1, 2, 3), {}) == [1, 2, 3]
    with pytest.raises(InvalidArgumentError, match="by position"):
        bind_arguments(bare, (), {"a": 1})


names = st.lists(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), unique=True, max_size=6)


@given(names, st.data())
def test_binding_matches_a_python_function_of_the_same_signature(parameter_names, data) -> None:
    required = data.draw(st.integers(0, len(parameter_names)))
    parameters = [
        Parameter(name, required=i < required, default=None if i < required else f"d{i}")
        for i, name in enumerate(parameter_names)
    ]
    target = endpoint(*parameters)
    given_args = data.draw(st.lists(st.integers(), max_size=len(parameters) + 1))
    keywords = data.draw(st.lists(st.sampled_from([*parameter_names, "zz_unknown"]), unique=True))
    given_kwargs = {name: f"k{name}" for name in keywords}

    def reference(*args: Any, **kwargs: Any) -> list[Any]:
        values: dict[str, Any] = {}
        if len(args) > len(parameters):
            raise TypeError
        for parameter, value in zip(parameters, args):
            values[parameter.name or ""] = value
        for name, value in kwargs.items():
            if name not in parameter_names or name in values:
                raise TypeError
            values[name] = value
        out = []
        for parameter in parameters:
            name = parameter.name or ""
            if name not in values and parameter.required:
                raise TypeError
            out.append(values.get(name, parameter.default))
        return out

    try:
        expected: Any = reference(*given_args, **given_kwargs)
    except TypeError:
        expected = InvalidArgumentError
    if expected is InvalidArgumentError:
        with pytest.raises(InvalidArgumentError):
            bind_arguments(target, given_args, given_kwargs)
    else:
        assert bind_arguments(target, given_args, given_kwargs) == expected


# --- payload ------------------------------------------------------------------------------


def test_state_slots_get_none() -> None:
    state = AppComponent(9, "state", skip_api=True)
    text = AppComponent(1, "textbox")
    function = AppFunction(1, "f", inputs=(state, text, state))
    assert assemble_payload(function, ["hi"]) == [None, "hi", None]
    with pytest.raises(InvalidArgumentError, match="takes 1 values, not 2"):
        assemble_payload(function, ["a", "b"])
    assert assemble_payload(AppFunction(1, "f"), [1, 2]) == [1, 2]


@pytest.mark.parametrize(
    ("component", "kind"),
    [
        ("Image", "image"),
        ("image", "image"),
        ("Gallery", "gallery"),
        ("Video", "video"),
        ("File", "file"),
        ("Audio", "file"),
        ("Model3d", "file"),
        ("Uploadbutton", "file"),
        ("Textbox", "value"),
        ("Slider", "value"),
        ("", "value"),
    ],
)
def test_input_kinds(component: str, kind: str) -> None:
    assert input_kind(component) == kind


# --- outputs ------------------------------------------------------------------------------


def test_outputs_one_value_several_a_tuple_none_for_none() -> None:
    text, number = AppComponent(2, "textbox"), AppComponent(3, "number")
    assert decode_outputs(endpoint(outputs=[text]), ["x"], made) == "x"
    assert decode_outputs(endpoint(outputs=[text, number]), ["x", 2], made) == ("x", 2)
    assert decode_outputs(endpoint(outputs=[]), [], made) is None


def test_skipped_outputs_are_left_out() -> None:
    state, text = AppComponent(9, "state", skip_api=True), AppComponent(2, "textbox")
    assert decode_outputs(endpoint(outputs=[text, state]), ["x", {"secret": 1}], made) == "x"


def test_another_number_of_outputs_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="sent 2 outputs where 1 were expected"):
        decode_outputs(endpoint(outputs=[AppComponent(2, "textbox")]), ["x", "y"], made)


def test_image_components_give_images_whatever_the_name() -> None:
    image = AppComponent(9, "image")
    out = decode_outputs(endpoint(outputs=[image]), [fd("image.bin")], made)
    assert out == ("image", "image.bin", None)


def test_other_files_are_images_only_when_their_type_says_so() -> None:
    files = [AppComponent(i, "file") for i in range(4)]
    data = [fd("a.json"), fd("b.PNG"), fd("c", mime_type="image/webp"), fd("d.svg")]
    assert decode_outputs(endpoint(outputs=files), data, made) == (
        ("file", "a.json", None),
        ("image", "b.PNG", None),
        ("image", "c", None),
        ("file", "d.svg", None),
    )


def test_a_gallery_is_a_list_with_captions() -> None:
    gallery = AppComponent(11, "gallery")
    value = [
        {"image": fd("image.png", orig_name=None), "caption": "x #1"},
        {"video": fd("clip.mp4"), "caption": None},
    ]
    assert decode_outputs(endpoint(outputs=[gallery]), [value], made) == [
        ("image", "image.png", "x #1"),
        ("file", "clip.mp4", None),
    ]


def test_a_video_is_its_file_and_nested_files_are_found() -> None:
    video, chatbot = AppComponent(1, "video"), AppComponent(2, "json")
    nested = {"reply": [fd("a.wav"), "text"], "n": 1}
    out = decode_outputs(
        endpoint(outputs=[video, chatbot]),
        [{"video": fd("v.mp4"), "subtitles": None}, nested],
        made,
    )
    assert out == (("file", "v.mp4", None), {"reply": [("file", "a.wav", None), "text"], "n": 1})


def test_without_config_outputs_the_returns_say_the_component() -> None:
    described = endpoint(returns=(Parameter("Out", component="Image"),))
    assert decode_outputs(described, [fd("x.bin")], made) == ("image", "x.bin", None)
    assert decode_outputs(endpoint(), [fd("x.bin"), 3], made) == (("file", "x.bin", None), 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (fd("a.txt"), True),
        ({"path": "/tmp/x", "url": None, "orig_name": "x"}, True),  # no meta: only its keys
        ({"path": "/tmp/x", "caption": "c"}, False),
        ({"meta": {"_type": "gradio.FileData"}}, False),
        ({"path": 5, "meta": {"_type": "gradio.FileData"}}, False),
        ("a string", False),
        ([fd("a")], False),
    ],
)
def test_file_data_detection(value: Any, expected: bool) -> None:
    assert is_file_data(value) is expected


def test_file_names_and_types() -> None:
    assert file_data_name({"path": "/tmp/x/y.wav", "orig_name": None}) == "y.wav"
    assert file_data_name({"url": "http://s/file=/tmp/a%20b.mp3"}) == "a b.mp3"
    assert file_data_name({"path": ""}) == "file"
    assert file_mime_type(fd("a.mp3")) == "audio/mpeg"
    assert file_mime_type(fd("a", mime_type="text/plain")) == "text/plain"
    assert is_image_file(fd("a.jpeg")) and not is_image_file(fd("a.tiff"))


def test_server_paths_only_under_the_spaces_file_route() -> None:
    route = "http://s/gradio_api/file="
    assert server_path(route + "/tmp/gradio/a%20b.png", route) == "/tmp/gradio/a b.png"
    assert server_path("http://other/gradio_api/file=/tmp/x", route) is None
    assert server_path(route, route) is None

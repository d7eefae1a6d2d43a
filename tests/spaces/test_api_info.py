"""/info joined with /config: recorded answers of the demo Space (Gradio 4.44, 5.50 and 6.x) and
hand-made configs for what the recordings do not show (gr.State, an old server, bad answers)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from space_support import recorded

from hfspace_sdk import Endpoint, Parameter, ProtocolError
from hfspace_sdk.gradio.api_info import describe_endpoints, parse_api_info
from hfspace_sdk.gradio.app_config import parse_config

DOCUMENTED = [
    "/echo",
    "/repeat",
    "/mirror",
    "/count",
    "/analyze",
    "/gallery",
    "/write_file",
    "/file_info",
    "/fail",
]


def endpoints(version: str) -> dict[str, Endpoint]:
    info = parse_config(recorded(f"demo_config_{version}"))
    return describe_endpoints(info, parse_api_info(recorded(f"demo_info_{version}")))


@pytest.mark.parametrize("version", ["4", "5", "6"])
def test_the_demo_endpoints_with_names_types_and_defaults(version: str) -> None:
    found = endpoints(version)
    assert [e.api_name for e in found.values() if e.documented] == DOCUMENTED
    repeat = found["repeat"]
    assert repeat.parameters == (
        Parameter("text", "str", "Textbox", None, True, "Text"),
        Parameter("times", "float", "Slider", 2, False, "Times"),
        Parameter("shout", "bool", "Checkbox", False, False, "Shout"),
    )
    # Gradio 5 names an Image's type by its FileData fields, the others "filepath".
    image_type = found["mirror"].parameters[0].type
    if version == "5":
        assert image_type.startswith("dict(path: str | None (Path to a local file), url: ")
    else:
        assert image_type == "filepath"
    assert [(r.name, r.type, r.component) for r in found["analyze"].returns] == [
        ("Answer", "str", "Textbox"),
        ("Length", "float" if version == "4" else "int", "Number"),
        ("Mirrored", image_type, "Image"),
    ]
    assert found["count"].generator and not found["echo"].generator
    assert (found["count"].fn_index, found["count"].function.trigger_id()) == (3, 23)
    assert all(e.described for e in found.values())


@pytest.mark.parametrize("version", ["4", "5", "6"])
def test_hidden_endpoints_are_callable_private_ones_are_not(version: str) -> None:
    found = endpoints(version)
    assert not found["reverse"].documented  # show_api=False / api_visibility="undocumented"
    assert "false" not in found and len(found) == 10  # api_name=False: 6.x names it "false"


@pytest.mark.parametrize("version", ["4", "5", "6"])
def test_without_info_every_named_function_is_positional(version: str) -> None:
    found = describe_endpoints(parse_config(recorded(f"demo_config_{version}")), None)
    repeat = found["repeat"]
    assert not repeat.described
    assert [(p.name, p.component, p.label, p.required) for p in repeat.parameters] == [
        (None, "Textbox", "Text", True),
        (None, "Slider", "Times", True),
        (None, "Checkbox", "Shout", True),
    ]
    assert [r.name for r in repeat.returns] == ["Answer"]


def _with_state(config: dict[str, Any]) -> dict[str, Any]:
    """The demo's /repeat reading a gr.State before its text, and writing one after."""
    changed = copy.deepcopy(config)
    changed["components"].append({"id": 99, "type": "state", "skip_api": True, "props": {}})
    repeat = changed["dependencies"][1]
    repeat["inputs"] = [99, *repeat["inputs"]]
    repeat["outputs"] = [*repeat["outputs"], 99]
    return changed


def test_state_slots_are_not_parameters() -> None:
    info = parse_config(_with_state(recorded("demo_config_6")))
    repeat = describe_endpoints(info, parse_api_info(recorded("demo_info_6")))["repeat"]
    assert repeat.described
    assert [p.name for p in repeat.parameters] == ["text", "times", "shout"]
    assert [c.skip_api for c in repeat.function.inputs or ()] == [True, False, False, False]


def test_a_description_that_does_not_fit_the_config_is_not_used() -> None:
    info = parse_config(recorded("demo_config_6"))
    described = parse_api_info(recorded("demo_info_6"))
    echo = described["echo"]
    described["echo"] = type(echo)(echo.parameters * 2, echo.returns)
    assert not describe_endpoints(info, described)["echo"].described


def test_configs_without_skip_api_know_only_state() -> None:
    config = _with_state(recorded("demo_config_4"))
    for component in config["components"]:
        component.pop("skip_api")
    info = parse_config(config)
    kinds = {c.type: c.skip_api for c in info.functions[1].inputs or ()}
    assert kinds == {"state": True, "textbox": False, "slider": False, "checkbox": False}


@pytest.mark.parametrize("body", [None, [], {"named_endpoints": []}, {"detail": "Not Found"}])
def test_an_answer_that_is_not_info_is_a_protocol_error(body: Any) -> None:
    with pytest.raises(ProtocolError, match="named_endpoints"):
        parse_api_info(body)


@pytest.mark.parametrize(
    "broken",
    [
        {"parameters": "x", "returns": []},
        {"parameters": [{"label": "no name"}], "returns": []},
        {"parameters": [], "returns": ["not an object"]},
        {"returns": []},
    ],
)
def test_a_malformed_endpoint_is_left_undescribed(broken: Any) -> None:
    described = parse_api_info(
        {"named_endpoints": {"/echo": broken, "/ok": {"parameters": [], "returns": []}}}
    )
    assert list(described) == ["ok"]


def test_missing_types_are_any_and_defaults_only_when_declared() -> None:
    body = {
        "named_endpoints": {
            "/f": {
                "parameters": [
                    {"parameter_name": "a", "parameter_default": 5},
                    {"parameter_name": "b", "parameter_has_default": True, "python_type": {}},
                ],
                "returns": [{}],
            }
        }
    }
    [a, b] = parse_api_info(body)["f"].parameters
    assert (a.type, a.required, a.default) == ("Any", True, None)
    assert (b.type, b.required, b.default) == ("Any", False, None)
    assert parse_api_info(body)["f"].returns == (Parameter(None, required=False),)


def test_endpoints_hash_even_with_list_defaults() -> None:
    gallery = Parameter("images", "list", "Gallery", [], False)
    assert hash(gallery) == hash(Parameter("images", "list", "Gallery", [], False))
    assert len(set(endpoints("6").values())) == 10

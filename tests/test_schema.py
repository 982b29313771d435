"""The JSON Schema: valid for draft 2020-12, agrees with the loader on examples and mistakes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from egovplan import testing
from egovplan.errors import LoadError
from egovplan.files import loads, read_document
from egovplan.plan import Plan
from egovplan.schema import SCHEMA_ID, json_schema
from egovplan.serialization import MODEL_CLASSES, FloatText, from_dict, to_dict

ROOT = Path(__file__).parent.parent
EXAMPLE_FILES = sorted(
    [
        *(ROOT / "tests" / "data" / "plans").glob("*.*"),
        *(ROOT / "examples").glob("*.yaml"),
        *(ROOT / "examples").glob("*.json"),
        *(ROOT / "examples").glob("*.toml"),
    ]
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(data: Any) -> Any:
    """A document as its JSON form (TOML dates as text)."""
    return json.loads(json.dumps(data, default=str))


def test_the_schema_is_draft_2020_12() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["required"][:4] == ["format_version", "id", "metadata", "period"]
    json.dumps(schema)  # JSON-ready
    assert json_schema() == schema
    assert json_schema() is not json_schema()  # a fresh copy each time


def test_the_schema_knows_every_field() -> None:
    schema = json_schema()
    for cls in MODEL_CLASSES:
        defined = schema if cls is Plan else schema["$defs"][cls.__name__]
        names = [a.name for a in attrs.fields(cls) if a.init]
        assert [n for n in defined["properties"] if n != "format_version"] == names
        assert defined["additionalProperties"] is False


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_file_is_valid(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = read_document(path)
    validator.validate(as_json(data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(testing.plans())
def test_every_generated_plan_is_valid(
    validator: jsonschema.Draft202012Validator, plan: Plan
) -> None:
    validator.validate(to_dict(plan))


BASE: dict[str, Any] = json.loads(
    (ROOT / "tests" / "data" / "plans" / "sample-province-2018.json").read_text(encoding="utf-8")
)


def mutate(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

INVALID = [
    (("format_version",), _DELETE),
    (("format_version",), 4),
    (("format_version",), "3"),
    (("id",), _DELETE),
    (("id",), 7),
    (("metadata",), "Kế hoạch"),
    (("metadata", "title"), _DELETE),
    (("metadata", "colour"), "red"),
    (("period",), ["2018"]),
    (("horizon",), "2030"),
    (("horizon",), 3000),
    (("funding", "total"), 1.5),
    (("funding", "total"), 1500),
    (("funding", "total"), "1.500.000 VND"),
    (("funding", "total"), {"amount": "1500"}),
    (("funding", "total"), {"amount": 1.5, "currency": "VND"}),
    (("funding", "sources", 0, "amount"), 1500),
    (("funding", "sources", 0, "category"), "capex"),
    (("funding", "sources", 0, "names"), "Ngân sách tỉnh"),
    (("funding", "sources", 0, "names", "vi"), ""),
    (("funding", "stated_shares", "provincial"), 99.5),
    (("funding", "rules", 0, "percent"), "1,5"),
    (("objectives", 0, "targets", 0, "comparator"), "~"),
    (("objectives", 0, "targets", 0, "value"), 10.5),
    (("objectives", 0, "targets", 1, "baseline"), {"year": 2017}),
    (("objectives", 0, "targets", 1, "baseline", "year"), "2017"),
    (("objectives", 0, "targets", 0, "by_level"), {"province": 100}),
    (("objectives", 0, "targets", 0, "by_level"), [{"level": "province"}]),
    (("objectives", 0, "targets", 0, "kind"), "vague"),
    (("objectives", 0, "targets", 0, "contributes_to"), [{"plan": "p"}]),
    (("tasks", 0, "targets"), [{"id": "t"}]),
    (("objectives", 0, "kind"), "main"),
    (("tasks", 0, "assignments", 0, "role"), None),
    (("tasks", 0, "objectives"), "rank"),
    (("tasks", 1, "schedule", "regular"), "yes"),
    (("observations", 0, "rank"), "12"),
    (("levels",), {"id": "province"}),
    (("agencies", 0, "order"), 1),
]


@pytest.mark.parametrize(("path", "value"), INVALID, ids=lambda v: str(v)[:40])
def test_the_schema_and_the_loader_refuse_the_same_mistakes(
    validator: jsonschema.Draft202012Validator, path: tuple[Any, ...], value: Any
) -> None:
    data = mutate(path, value)
    assert list(validator.iter_errors(data)), "the schema accepts it"
    with pytest.raises(LoadError):
        loads(json.dumps(data, ensure_ascii=False), "json")


def test_the_unmutated_base_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    validator.validate(BASE)
    assert from_dict(BASE).id == "sample-province-2018"


def test_floats_are_what_the_readers_return_for_floats() -> None:
    data = read_document(b'{"a": 1.5}', "json")
    assert data == {"a": FloatText("1.5")}

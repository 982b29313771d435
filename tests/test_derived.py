"""A field added to a model is one edit: the class. Proven on classes that exist only here.

The loaders, the JSON record writers and the JSON Schema are derived from ``attrs.fields``
and the declared checks (``egovplan._fields.declare``), so a test-only model loads and
dumps through JSON, YAML and TOML, appears in the schema, and its validators hold on every
load route, with no edit anywhere else. A validator tightened on a model (here: on a
subclass of :class:`BudgetLine`) holds on the fast loop, the typed loop and the detailed
pass alike; a declaration whose inline form is looser than its validator is caught by the
comparison the property tests make.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load_fast_path import mutate, outcome

from egovplan import _fields as f
from egovplan import files, testing
from egovplan._json_parts import TypedLines as _TypedLines
from egovplan.errors import FieldValueError, LoadError
from egovplan.files import Limits
from egovplan.funding import BudgetLine
from egovplan.money import Money
from egovplan.schema import json_schema
from egovplan.serialization import (
    _converting,
    _FastPass,
    _json_records,
    _problems_of,
    converter,
    from_dict,
    to_dict,
)
from egovplan.serialization import json_data as _json_data

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@attrs.frozen(kw_only=True)
class Part:
    """A part of a gadget (test-only).

    Attributes:
        label: what it is.
        size: how big, if known.
    """

    label: str = attrs.field(validator=f.text)
    size: int | None = attrs.field(default=None, validator=f.optional_year)


@attrs.frozen(kw_only=True)
class Gadget:
    """A test-only model with a field of each kind.

    Attributes:
        id: its id.
        owner: who holds it.
        year: when it was made.
        price: what it cost.
        share: a percentage.
        tags: ids it is filed under.
        parts: what it is made of.
        spare: a spare part.
    """

    id: str = attrs.field(validator=f.check_id)
    owner: str | None = attrs.field(default=None, validator=f.optional_id)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    price: Money | None = attrs.field(default=None, validator=f.money(optional=True))
    share: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    tags: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    parts: tuple[Part, ...] = attrs.field(default=(), validator=f.tuple_of(Part))
    spare: Part | None = attrs.field(default=None, validator=f.instance(Part, optional=True))


@attrs.frozen(kw_only=True)
class Box:
    """Gadgets (test-only).

    Attributes:
        gadgets: the gadgets in it.
    """

    gadgets: tuple[Gadget, ...] = attrs.field(default=(), validator=f.tuple_of(Gadget))


parts = st.builds(Part, label=testing.texts(max_size=8), size=st.none() | st.integers(1900, 2200))
gadgets = st.builds(
    Gadget,
    id=testing.ids(),
    owner=st.none() | testing.ids(),
    year=st.none() | st.integers(1900, 2200),
    price=st.none() | testing.money(),
    share=st.none() | st.decimals(0, 100, places=2),
    tags=st.lists(testing.ids(), max_size=3).map(tuple),
    parts=st.lists(parts, max_size=2).map(tuple),
    spare=st.none() | parts,
)
boxes = st.builds(Box, gadgets=st.lists(gadgets, max_size=4).map(tuple))


def write(box: Box, format: str) -> str:
    if format == "json":
        return files._dump_json(_json_data(box))
    if format == "yaml":
        return files._dump_yaml(to_dict(box))
    import tomli_w

    return tomli_w.dumps(to_dict(box))


@SETTINGS
@given(boxes, st.sampled_from(files.FORMATS))
def test_a_new_model_loads_and_dumps_through_every_format(box: Box, format: str) -> None:
    text = write(box, format)
    data = files._parse(text, format, "<box>", Limits())
    assert from_dict(data, Box) == box
    assert repr(from_dict(data, Box)) == repr(converter().structure(data, Box))


@SETTINGS
@given(boxes)
def test_its_records_are_written_by_a_generated_writer_as_the_generic_path_writes(
    box: Box,
) -> None:
    assert _json_records(Gadget) is not None
    assert files._dump_json(_json_data(box)) == files._dump_json(to_dict(box))


@SETTINGS
@given(boxes)
def test_its_schema_is_derived_and_holds_what_it_writes(box: Box) -> None:
    schema = json_schema(Box)
    gadget = schema["$defs"]["Gadget"]
    assert list(gadget["properties"]) == [field.name for field in attrs.fields(Gadget)]
    assert gadget["required"] == ["id"]
    assert gadget["properties"]["year"]["anyOf"][0]["minimum"] == 1900  # declared on the check
    assert gadget["properties"]["owner"]["description"] == "who holds it."
    jsonschema.validate(json.loads(write(box, "json")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"gadgets": [{"id": "x", "year": 1800}]}, schema)


def test_json_schema_refuses_what_is_not_a_model() -> None:
    with pytest.raises(TypeError, match="takes a model class"):
        json_schema(Money)
    with pytest.raises(TypeError, match="takes a model class"):
        json_schema(int)


@SETTINGS
@given(boxes, st.data())
def test_its_checks_hold_on_the_fast_loop_as_on_the_constructor(
    box: Box, data: st.DataObject
) -> None:
    names = [field.name for field in attrs.fields(Gadget)]

    @st.composite
    def mutated(draw: st.DrawFn, item: Any) -> Any:
        return mutate(draw, item, names)

    items = [data.draw(mutated(to_dict(gadget))) for gadget in box.gadgets]
    with _converting(None):
        fast = outcome(_FastPass().structure, items, tuple[Gadget, ...])
    with _converting(None):
        detailed = outcome(converter().structure, items, tuple[Gadget, ...])
    assert fast == detailed


# -- a validator tightened after the fact ---------------------------------------------------


def lower_case(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A check no loader knows: the agency must be written in lower case."""
    if isinstance(value, str) and value != value.lower():
        raise f.field_value_error(inst, attribute, f"must be lower case, not {value!r}")


@attrs.frozen(kw_only=True)
class TightLine(BudgetLine):
    """A budget line whose agency must be lower case (test-only).

    Attributes:
        agency: the id of the agency that spends it, in lower case.
    """

    agency: str | None = attrs.field(default=None, validator=[f.optional_id, lower_case])


SHOUTED = {"id": "l1", "source": "s", "agency": "STTTT", "amount": "5 VND"}
QUIET = {**SHOUTED, "agency": "stttt"}


def test_the_constructor_refuses_the_tightened_field() -> None:
    with pytest.raises(FieldValueError, match=r"TightLine\.agency must be lower case"):
        TightLine(id="l1", source="s", agency="STTTT", amount=Money(5, "VND"))
    assert BudgetLine(id="l1", source="s", agency="STTTT", amount=Money(5, "VND"))


@pytest.mark.parametrize("detailed", [False, True])
def test_every_load_route_refuses_the_tightened_field(detailed: bool) -> None:
    conv = converter() if detailed else _FastPass()
    with _converting(None):
        assert conv.structure([QUIET], tuple[TightLine, ...])[0].agency == "stttt"
        with pytest.raises((TypeError, ValueError)) as caught:
            conv.structure([QUIET, SHOUTED], tuple[TightLine, ...])
        [problem] = _problems_of(caught.value)
        assert "must be lower case" in problem.message
        # The untightened class still takes it.
        assert conv.structure([SHOUTED], tuple[BudgetLine, ...])[0].agency == "STTTT"


def test_the_typed_loop_refuses_the_tightened_field() -> None:
    absent = object()
    names = [field.name for field in attrs.fields(TightLine)]

    def typed(*records: dict[str, Any]) -> _TypedLines:
        rows = [tuple(record.get(name, absent) for name in names) for record in records]
        return _TypedLines(rows, lambda row: row, absent)

    hook = _FastPass().get_structure_hook(tuple[TightLine, ...])
    with _converting(None):
        [line] = hook(typed(QUIET), None)
        assert line == TightLine(id="l1", source="s", agency="stttt", amount=Money(5, "VND"))
        with pytest.raises(FieldValueError, match="must be lower case"):
            hook(typed(QUIET, SHOUTED), None)


def test_from_dict_reports_the_tightened_field_with_its_path() -> None:
    with pytest.raises(LoadError) as caught:
        from_dict(SHOUTED, TightLine)
    assert [problem.path for problem in caught.value.problems] == ["agency"]
    assert "must be lower case" in caught.value.problems[0].message


# -- a declaration looser than its check is caught -----------------------------------------


def even(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An int that must be even."""
    if type(value) is not int or value % 2:
        raise f.field_value_error(inst, attribute, f"must be even, not {value!r}")


# Wrongly declared: the inline form forgets that the number must be even.
loose = f.declare(
    lambda inst, attribute, value: even(inst, attribute, value),
    inline=lambda v, n: f"type({v}) is int",
)


@attrs.frozen(kw_only=True)
class Counter:
    """A test-only model with a wrongly declared check.

    Attributes:
        count: an even number.
    """

    count: int = attrs.field(validator=loose)


def test_a_declaration_looser_than_its_check_shows_as_a_difference() -> None:
    # What the property tests compare: the fast loop accepts an odd count, the
    # constructor does not. A declaration must never be looser than its check.
    with _converting(None):
        fast = outcome(_FastPass().structure, [{"count": 3}], tuple[Counter, ...])
        detailed = outcome(converter().structure, [{"count": 3}], tuple[Counter, ...])
    assert fast[0] == "ok"
    assert detailed[0] == "error"

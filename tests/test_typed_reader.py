"""The typed JSON reader of plans gives exactly what the untyped one gives, or steps aside.

With msgspec installed, ``files._typed_plan`` reads a JSON plan with its budget lines
decoded straight into typed records (``egovplan._typed_json``) and converts it by the
fast pass alone; whatever it cannot read or convert, it leaves to the untyped reader and
``from_dict``, which report every problem. These tests hold it to that: for any budget
lines — odd values, fields given as null or twice, unknown fields, amounts in every
form — loading gives the same plan or the same error with the typed reader as without
it, and for plans egovplan writes the typed reader is the one that reads them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_json_reader import Reader, both_ways, reader, same_outcome
from test_load_fast_path import PLAN_HEAD, line_data

from egovplan import testing
from egovplan.errors import LoadError
from egovplan.files import Limits, _typed_plan, dumpb, dumps, loads
from egovplan.funding import BudgetCategory
from egovplan.plan import Plan
from egovplan.serialization import from_dict

__all__ = ["reader"]  # the fixture, used by name

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


def plan_text(lines: list[Any], twice: str | None = None) -> str:
    """A plan document with these budget lines; ``twice``: a field the first line gives twice."""
    text = json.dumps({**PLAN_HEAD, "funding": {"lines": lines}}, default=str, ensure_ascii=False)
    if twice is not None:
        text = text.replace('"lines": [{', f'"lines": [{{"{twice}": "x", ', 1)
    return text


@SETTINGS
@given(
    st.lists(line_data(), max_size=6),
    st.sampled_from((None, None, None, "id", "source", "year", "agency", "amount", "colour")),
)
@example(lines=[{"id": "l", "source": "s", "amount": "5 VND", "year": None}], twice=None)
@example(lines=[{"id": "l", "source": "s", "amount": "5 VND"}], twice="id")
@example(lines=[{"id": "l", "source": "s", "amount": "5 VND", "colour": "red"}], twice=None)
@example(lines=[{"id": "l", "source": " s", "amount": "5 VND"}], twice=None)
@example(lines=[{"id": "l ", "source": "s", "amount": "5 VND"}], twice=None)
@example(lines=[{"id": "l", "source": "s", "amount": "1.5 USD", "year": 2201}], twice=None)
@example(lines=[{"id": "l", "source": "s", "amount": "5 VND", "category": "capex"}], twice=None)
def test_budget_lines_load_the_same_with_and_without_the_typed_reader(
    reader: Reader, lines: list[Any], twice: str | None
) -> None:
    text = plan_text(lines, twice)
    for call in (lambda: loads(text.encode(), "json"), lambda: loads(text, "json")):
        standard, fast = both_ways(reader, call)  # also: typed and untyped agree
        assert same_outcome(standard, fast)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(testing.plans(), testing.edge_plans()))
def test_plans_egovplan_writes_are_read_by_the_typed_reader(plan: Plan) -> None:
    data = dumpb(plan, "json")
    typed = _typed_plan(data, Limits())
    assert typed is not None
    assert typed == plan
    assert repr(typed) == repr(loads(dumps(plan, "json"), "json"))


def test_what_the_typed_reader_leaves_to_the_others() -> None:
    head = json.dumps(PLAN_HEAD)[:-1]
    good = '{"id": "l", "source": "s", "year": 2021, "amount": "5 VND"}'
    assert _typed_plan(f'{head}, "funding": {{"lines": [{good}]}}}}'.encode(), Limits())
    # Money written as a mapping is read by the same loop (through its hook), alike.
    mapping = '{"id": "l", "source": "s", "amount": {"amount": "5", "currency": "VND"}}'
    text = f'{head}, "funding": {{"lines": [{mapping}]}}}}'
    assert _typed_plan(text.encode(), Limits()) == from_dict(json.loads(text))
    for line in (
        '{"id": "l", "id": "m", "source": "s", "amount": "5 VND"}',  # a field twice
        '{"id": "l", "source": "s", "year": null, "year": 2021, "amount": "5 VND"}',
        '{"id": "l", "source": "s", "year": 2021, "year": null, "amount": "5 VND"}',
        '{"id": null, "source": "s", "amount": "5 VND"}',  # null where a value is required
        '{"id": "l", "source": "s", "amount": "5 VND", "colour": "red"}',  # unknown field
        '{"id": "l", "source": "s", "year": "2021", "amount": "5 VND"}',  # a year as text
        '{"id": "", "source": "s", "amount": "5 VND"}',
        '{"id": " l", "source": "s", "amount": "5 VND"}',
        '{"id": "l", "source": "s\\u00a0", "amount": "5 VND"}',
        '{"id": "l", "source": "s", "amount": "5 VND", "category": "capex"}',
        '{"id": "l", "source": "s", "amount": "5 vnd"}',
    ):
        text = f'{head}, "funding": {{"lines": [{line}]}}}}'
        assert _typed_plan(text.encode(), Limits()) is None, line
    # a line whose amount is valid but not plain is built the long way, in the typed pass
    text = f'{head}, "funding": {{"lines": [{good}, {good.replace("5 VND", "1.5 USD")}]}}}}'
    plan = _typed_plan(text.encode(), Limits())
    assert plan is not None
    assert str(plan.funding.lines[1].amount) == "1.5 USD"


def test_fields_given_as_null_are_read_by_the_typed_reader_as_left_out() -> None:
    head = json.dumps(PLAN_HEAD)[:-1]
    optional = ("year", "agency", "task", "objective", "category")
    lines = [
        {"id": "a", "source": "s", "amount": "5 VND", **dict.fromkeys(optional)},
        {"id": "b", "source": "s", "year": 2021, "agency": None, "amount": "7 VND"},
        {"id": "c", "source": "s", "category": None, "objective": "o", "amount": "1.5 USD"},
    ]
    text = f'{head}, "funding": {{"lines": {json.dumps(lines)}}}}}'
    plan = _typed_plan(text.encode(), Limits())
    assert plan is not None
    without = [{k: v for k, v in line.items() if v is not None} for line in lines]
    assert plan == loads(f'{head}, "funding": {{"lines": {json.dumps(without)}}}}}', "json")
    assert plan == from_dict(json.loads(text))
    assert [line.year for line in plan.funding.lines] == [None, 2021, None]
    assert [line.objective for line in plan.funding.lines] == [None, None, "o"]
    for name in ("agency", "task", "category"):
        assert [getattr(line, name) for line in plan.funding.lines] == [None, None, None]


def test_a_category_stays_a_category_when_an_id_has_its_text() -> None:
    # A source named like a category is kept for sharing before the line's category is
    # read: the two are equal, but the line must get the category, not the text.
    head = json.dumps(PLAN_HEAD)[:-1]
    lines = [
        {"id": "a", "source": "investment", "amount": "5 VND"},
        {"id": "b", "source": "s", "category": "investment", "amount": "5 VND"},
    ]
    text = f'{head}, "funding": {{"lines": {json.dumps(lines)}}}}}'
    plan = _typed_plan(text.encode(), Limits())
    assert plan is not None
    assert type(plan.funding.lines[1].category) is BudgetCategory
    assert plan == from_dict(json.loads(text))


def test_errors_in_typed_lines_still_name_their_place(reader: Reader) -> None:
    lines = [{"id": "l", "source": "s", "amount": "5 VND"}] * 3 + [
        {"id": "l4", "source": "s ", "amount": "5 VND"}
    ]
    standard, fast = both_ways(reader, lambda: loads(plan_text(lines).encode(), "json"))
    assert standard == fast
    assert fast[0] == "error"
    message, problems = fast[1]
    assert [problem.path for problem in problems] == ["funding.lines[3].source"]
    assert "line 1" in message


def test_a_typed_load_keeps_one_object_per_repeated_id() -> None:
    text = plan_text(
        [
            {"id": f"l{n}", "source": "central", "year": 2021, "task": "t1", "amount": "5 VND"}
            for n in range(3)
        ]
    )
    data = json.loads(text)
    lead = {"agency": "central", "role": "lead"}
    data["tasks"] = [
        {"id": "t1", "title": "T", "assignments": [lead]},
        {"id": "t2", "title": "T", "assignments": [lead]},
    ]
    loaded = _typed_plan(json.dumps(data).encode(), Limits())
    assert loaded is not None
    first, second, third = loaded.funding.lines
    assert first.source is second.source is third.source
    assert first.year is second.year is third.year
    assert first.task is loaded.tasks[0].id
    one, two = (task.assignments[0] for task in loaded.tasks)
    assert one.agency is two.agency is first.source  # tasks come first, the lines reuse
    assert one.role is two.role


def test_the_other_readers_serve_when_the_typed_one_is_off(reader: Reader) -> None:
    reader.use("untyped")
    text = plan_text([{"id": "l", "source": "s", "amount": "5 VND"}])
    assert isinstance(loads(text.encode(), "json"), Plan)
    reader.use("standard")
    assert _typed_plan(text.encode(), Limits()) is None
    reader.use("fast")
    with pytest.raises(LoadError, match="format versions 1, 2 and 3, not the number 4"):
        loads(text.replace('"format_version": 3', '"format_version": 4').encode(), "json")


def many_lines(count: int) -> list[dict[str, Any]]:
    """Budget lines enough for several batches of the typed reader, some text with ':'."""
    return [
        {"id": f"l:{n}" if n % 7 else f"l{n}", "source": "s", "year": 2021, "amount": f"{n} VND"}
        for n in range(count)
    ]


def test_budget_lines_past_the_first_batches_are_checked_alike() -> None:
    # The typed reader writes the lines back (for the count of ':') and frees them as it
    # builds (TypedLines.records) a batch at a time: past the first batches, a key given
    # twice or a bad id is still seen, and the document goes to the readers that say so.
    lines = many_lines(2500)
    text = plan_text(lines)
    plan = _typed_plan(text.encode(), Limits())
    assert plan is not None
    assert plan == from_dict(json.loads(text))
    assert [line.id for line in plan.funding.lines] == [line["id"] for line in lines]
    twice = text.replace('{"id": "l:2101", ', '{"id": "l:2101", "year": 2022, ', 1)
    assert twice != text
    assert _typed_plan(twice.encode(), Limits()) is None
    with pytest.raises(LoadError, match="given twice") as caught:
        loads(twice.encode(), "json")
    assert [problem.path for problem in caught.value.problems] == ["funding.lines[2101].year"]
    spaced = text.replace('"id": "l:2101"', '"id": " l:2101"', 1)
    assert _typed_plan(spaced.encode(), Limits()) is None
    with pytest.raises(LoadError) as caught:
        loads(spaced.encode(), "json")
    assert [problem.path for problem in caught.value.problems] == ["funding.lines[2101].id"]


@pytest.mark.parametrize("count", [0, 1, 1024, 1025, 2500])
def test_the_count_of_colons_in_parts_is_the_whole_documents(count: int) -> None:
    from egovplan import _typed_json
    from egovplan.files import _float_text, _json_decoder

    codec = _json_decoder()
    assert codec is not None
    encode = codec[1]
    data = {**PLAN_HEAD, "funding": {"lines": many_lines(count), "total_in_words": "a: b"}}
    decoded = _typed_json.decoder(_float_text)(json.dumps(data).encode())
    whole = encode(decoded).count(b":")
    assert _typed_json.colons(decoded, encode) == whole
    assert encode(decoded).count(b":") == whole  # the lines are put back
    no_funding = _typed_json.decoder(_float_text)(json.dumps(PLAN_HEAD).encode())
    assert _typed_json.colons(no_funding, encode) == encode(no_funding).count(b":")

"""The fast pass of loading builds exactly what the detailed pass builds, or fails.

``from_dict`` first converts with a fast pass (``serialization._fast_pass``)
that builds budget lines, tasks, schedules, assignments and plain amounts without running
their validators again when every value has the exact type the checks accept; anything
else goes the long way, and any failure leaves the reporting to the detailed pass. These
tests hold the fast pass to that: equal objects (down to the repr) for valid data, and
for bad data either the same failure or the long way's result.
"""

from __future__ import annotations

import copy
import json
import linecache
import pickle
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from egovplan import _derive, testing
from egovplan._money_codec import known_currency as _known_currency
from egovplan._money_codec import trusted as _trusted
from egovplan.errors import LoadError
from egovplan.files import Limits, _count_items, _json_bytes_within, _read_json, dumps, loads
from egovplan.funding import BudgetCategory, BudgetLine
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.serialization import (
    _MONEY_CACHE,
    _SHARED,
    FORMAT_VERSION,
    MODEL_CLASSES,
    _converting,
    _fast_pass,
    _Invalid,
    _plain_money,
    _problems_of,
    converter,
    from_dict,
    to_dict,
)
from egovplan.task import Schedule, Task

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
CURRENCIES = ("VND", "USD", "BHD", "JPY", "EUR")


def outcome(call: Any, *args: Any) -> tuple[str, str]:
    """``("ok", repr of the result)`` or ``("error", "")``: what a conversion gave."""
    try:
        result = call(*args)
    except Exception:
        return ("error", "")
    return ("ok", repr(result))


class Text(str):
    """A ``str`` subclass: the fast loops leave it to the constructors."""

    __slots__ = ()


# -- Money from checked digits --------------------------------------------------------------


def same_money(trusted: Money, built: Money) -> None:
    assert type(trusted) is Money
    assert trusted == built
    assert hash(trusted) == hash(built)
    assert repr(trusted) == repr(built)
    assert str(trusted) == str(built)
    assert trusted.amount.as_tuple() == built.amount.as_tuple()
    assert trusted.currency == built.currency
    assert type(trusted.amount) is Decimal
    assert type(trusted.currency) is str
    assert trusted.minor_digits == built.minor_digits
    assert copy.copy(trusted) == built
    assert pickle.loads(pickle.dumps(trusted)) == built
    assert (trusted + built) == built * 2
    assert not trusted < built


@SETTINGS
@given(st.from_regex(r"[0-9]{1,18}", fullmatch=True), st.sampled_from(CURRENCIES))
def test_trusted_money_is_the_money_the_constructor_builds(digits: str, currency: str) -> None:
    built = Money(Decimal(digits), currency)
    same_money(_trusted(Decimal(digits), currency), built)
    same_money(built, Money(digits, currency))
    plain = _plain_money(f"{digits} {currency}")
    assert plain is not None
    same_money(plain, built)


def test_plain_money_keeps_the_old_answers_for_what_it_cannot_trust() -> None:
    assert _known_currency("VND")
    assert not _known_currency("XYZ")
    assert not _known_currency("vnd")
    with pytest.raises(_Invalid, match="unknown currency 'XYZ'"):
        _plain_money("5 XYZ")
    assert _plain_money("5 vnd") is None  # read by the regex, which refuses it
    assert _plain_money("1.5 USD") is None
    assert _plain_money("-5 VND") is None
    assert _plain_money("1234567890123456789 VND") is None  # 19 digits: the long way
    assert _plain_money("０ VND") is None  # digits, but not ASCII ones


def test_the_plain_amount_obeys_the_digit_limit() -> None:
    line = {"id": "l", "source": "s", "amount": "123456 VND"}
    with pytest.raises(LoadError) as caught:
        from_dict(line, BudgetLine, limits=Limits(max_digits=5))
    assert [p.path for p in caught.value.problems] == ["amount"]
    assert "more than 5 digits" in caught.value.problems[0].message
    # The same text, read right before with the default limits, leaves nothing behind.
    assert from_dict(line, BudgetLine).amount == Money(123456, "VND")
    data = {"lines": [line, line]}
    with pytest.raises(LoadError) as caught:
        from_dict({"funding": data, **PLAN_HEAD}, Plan, limits=Limits(max_digits=5))
    assert [p.path for p in caught.value.problems] == [
        "funding.lines[0].amount",
        "funding.lines[1].amount",
    ]
    # Leading zeros do not count as digits written out.
    zeros = {"id": "l", "source": "s", "amount": "000001 VND"}
    assert from_dict(zeros, BudgetLine, limits=Limits(max_digits=5)).amount == Money(1, "VND")


PLAN_HEAD: dict[str, Any] = {
    "format_version": FORMAT_VERSION,
    "id": "p",
    "metadata": {"kind": "plan", "title": "P"},
    "period": "2021-2025",
}


def test_equal_amounts_share_one_money_but_each_budget_line_has_its_own() -> None:
    sources = [
        {"id": f"s{i}", "kind": "grant", "names": {"en": "S"}, "amount": "1000 VND"}
        for i in range(3)
    ]
    lines = [{"id": f"l{i}", "source": "s0", "amount": f"{1000 + i % 3} VND"} for i in range(9)]
    plan = from_dict(
        {**PLAN_HEAD, "funding": {"total": "1000 VND", "sources": sources, "lines": lines}}
    )
    # Sources and totals are few: equal amounts share one object.
    assert len({id(source.amount) for source in plan.funding.sources}) == 1
    assert plan.funding.total is plan.funding.sources[0].amount
    # Budget lines are many: each gets its own, made next to it (locality over memory).
    amounts = [line.amount for line in plan.funding.lines]
    assert len({id(money) for money in amounts}) == 9
    assert amounts == [Money(1000 + i % 3, "VND") for i in range(9)]


def test_the_amount_cache_lives_for_one_document_only() -> None:
    assert _MONEY_CACHE.get() is None
    first = from_dict({**PLAN_HEAD, "funding": {"total": "7 VND"}})
    assert _MONEY_CACHE.get() is None
    second = from_dict({**PLAN_HEAD, "funding": {"total": "7 VND"}})
    assert first.funding.total == second.funding.total
    assert first.funding.total is not second.funding.total
    with pytest.raises(LoadError):
        from_dict({**PLAN_HEAD, "funding": {"total": 7}})
    assert _MONEY_CACHE.get() is None


def test_repeated_ids_codes_and_years_are_kept_once_per_document() -> None:
    assignments = [{"agency": "stttt", "role": "lead"}, {"agency": "sokhdt", "role": "support"}]
    tasks = [{"id": f"t{i}", "title": "T", "assignments": assignments} for i in range(3)]
    lines = [
        {
            "id": f"l{i}",
            "source": "ns-tinh",
            "year": 2000 + i % 2,
            "agency": "stttt",
            "task": f"t{i % 3}",
            "objective": "o1",
            "amount": "5 VND",
        }
        for i in range(6)
    ]
    document = {**PLAN_HEAD, "tasks": tasks, "funding": {"lines": lines}}
    text = json.dumps(document)
    assert _SHARED.get() is None
    plan, again = loads(text, "json"), loads(text, "json")
    assert _SHARED.get() is None
    loaded = plan.funding.lines
    # The parser made one object per occurrence; the plan keeps one per value.
    for field in ("source", "agency", "objective"):
        assert len({id(getattr(line, field)) for line in loaded}) == 1, field
    for lines in (loaded, from_dict(document).funding.lines):  # typed reader, plain data
        assert len({id(line.amount.currency) for line in lines}) == 1
        assert len({id(line.amount) for line in lines}) == 6
    assert len({id(line.year) for line in loaded}) == 2
    assert [line.year for line in loaded] == [2000, 2001] * 3
    assert all(line.task is plan.tasks[i % 3].id for i, line in enumerate(loaded))
    roles = {id(assignment.role) for task in plan.tasks for assignment in task.assignments}
    assert len(roles) == 2
    # Equal assignments are one object, shared by the tasks (they are immutable).
    assert plan.tasks[0].assignments == plan.tasks[2].assignments
    assert all(
        a is b for a, b in zip(plan.tasks[0].assignments, plan.tasks[2].assignments, strict=True)
    )
    assert plan.tasks[0].assignments[0].agency is loaded[0].agency
    # Ids are unique per line; and nothing is shared across documents.
    assert len({id(line.id) for line in loaded}) == 6
    assert again == plan
    assert again.funding.lines[0].source is not loaded[0].source


def test_equal_schedules_are_one_object_and_other_spellings_are_not_mixed_in() -> None:
    schedules = [
        {"period": "Q1 2024"},
        {"period": "Q1 2024", "regular": True},
        {"period": "Q1 2024"},
        {"period": 2024},
        {"period": "2024"},
        {"period": 2024},
        {"period": "Q1 2024", "regular": False},
    ]
    tasks = [{"id": f"t{i}", "title": "T", "schedule": s} for i, s in enumerate(schedules)]
    plan = from_dict({**PLAN_HEAD, "tasks": tasks})
    kept = [task.schedule for task in plan.tasks]
    assert kept == [from_dict(s, Schedule) for s in schedules]
    assert kept[0] is kept[2]
    assert kept[3] is kept[5]
    assert kept[1] is not kept[0]
    assert kept[1].regular
    assert kept[3] == kept[4]  # one period, two spellings: equal, each built once


@pytest.mark.parametrize(
    ("good", "odd"),
    [
        ({"period": "Q1 2024"}, {"period": Text("Q1 2024")}),
        ({"period": 2024}, {"period": 2024.0}),
        ({"period": 2024}, {"period": Decimal(2024)}),
        (
            {"period": 2024, "deadline": "2024-03-31"},
            {"period": 2024, "deadline": Text("2024-03-31")},
        ),
    ],
)
def test_a_value_equal_to_a_kept_schedule_but_of_another_type_is_still_refused(
    good: dict[str, Any], odd: dict[str, Any]
) -> None:
    # Each odd value is == and hashes alike to the good one: a key that did not look at
    # types would hand the kept schedule over and accept it.
    assert odd == good
    assert hash(tuple(odd.values())) == hash(tuple(good.values()))
    tasks = [{"id": f"t{i}", "title": "T", "schedule": s} for i, s in enumerate((good, odd))]
    with pytest.raises(LoadError) as caught:
        from_dict({**PLAN_HEAD, "tasks": tasks})
    paths = [problem.path for problem in caught.value.problems]
    assert paths
    assert all(path.startswith("tasks[1].schedule.") for path in paths)


@pytest.mark.parametrize("odd", [2021.0, Decimal(2021)], ids=["float", "Decimal"])
def test_a_value_equal_to_a_kept_year_but_of_another_type_is_still_refused(odd: Any) -> None:
    # The loop keeps each year seen to pass its check: an equal value of another type
    # must not be taken for it (the constructor refuses it).
    assert odd == 2021
    lines = [
        {"id": f"l{i}", "source": "s", "year": year, "amount": "5 VND"}
        for i, year in enumerate((2021, odd))
    ]
    with pytest.raises(LoadError) as caught:
        from_dict({**PLAN_HEAD, "funding": {"lines": lines}})
    assert [problem.path for problem in caught.value.problems] == ["funding.lines[1].year"]


def test_documents_load_alike_in_threads() -> None:
    documents = [
        {
            **PLAN_HEAD,
            "funding": {
                "lines": [
                    {"id": f"l{i}", "source": "s", "amount": f"{n * 1000 + i} VND"}
                    for i in range(300)
                ]
            },
        }
        for n in range(1, 7)
    ]
    expected = [from_dict(document) for document in documents]
    results: dict[int, list[Plan]] = {}

    def work(index: int) -> None:
        results[index] = [from_dict(document) for document in documents for _ in range(3)]

    threads = [threading.Thread(target=work, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for got in results.values():
        assert got == [plan for plan in expected for _ in range(3)]


# -- whole plans ------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(testing.plans(), testing.edge_plans()))
def test_the_fast_and_the_detailed_pass_build_the_same_plan(plan: Plan) -> None:
    data = to_dict(plan)
    body = {key: value for key, value in data.items() if key != "format_version"}
    fast = _fast_pass().structure(body, Plan)
    detailed = converter().structure(body, Plan)
    assert fast == detailed == plan
    # (The plan itself may differ in form: Money('0E+44') is written, and read, as 0.)
    assert repr(fast) == repr(detailed)
    for got, want in zip(fast.funding.lines, plan.funding.lines, strict=True):
        assert type(got) is BudgetLine
        assert hash(got) == hash(want)
        assert type(got.amount.amount) is Decimal
    for got_task, want_task in zip(fast.tasks, plan.tasks, strict=True):
        assert type(got_task) is Task
        assert hash(got_task) == hash(want_task)
        assert type(got_task.objectives) is tuple
        assert type(got_task.assignments) is tuple
    assert repr(from_dict(data)) == repr(detailed)
    assert repr(loads(dumps(plan, "json"), "json")) == repr(detailed)


JUDGED_LINES = [
    {"id": "neg", "source": "s", "amount": "-5 VND", "year": 2021},
    {"id": "neg-big", "source": "s", "amount": "-123456789012345678901 VND"},
    {"id": "neg-map", "source": "s", "amount": {"amount": "-1.5", "currency": "USD"}},
    {"id": "plain", "source": "s", "amount": "5 VND", "year": 2022},
]


def test_well_formed_but_wrong_values_load_alike_on_every_path() -> None:
    # A negative amount is for validation (EGP206) since loading stopped refusing it: the
    # budget-line loop, one line at a time, the detailed pass, and the JSON readers
    # (typed and untyped) all build the same lines, and none refuses them.
    conv = _fast_pass()
    with _converting(None):
        loop = conv.get_structure_hook(tuple[BudgetLine, ...])(copy.deepcopy(JUDGED_LINES), None)
        one = conv.get_structure_hook(BudgetLine)
        one_by_one = tuple(one(data, BudgetLine) for data in copy.deepcopy(JUDGED_LINES))
    detailed = converter().structure(copy.deepcopy(JUDGED_LINES), tuple[BudgetLine, ...])
    built = tuple(
        BudgetLine(
            id=data["id"],
            source="s",
            year=data.get("year"),
            amount=Money(data["amount"]["amount"], data["amount"]["currency"])
            if isinstance(data["amount"], dict)
            else Money(*data["amount"].split(" ")),
        )
        for data in JUDGED_LINES
    )
    assert loop == one_by_one == detailed == built
    assert repr(loop) == repr(built)
    document = {
        **PLAN_HEAD,
        "period": "2025-2021",
        "funding": {
            "sources": [{"id": "s", "kind": "x", "names": {"en": "S"}, "amount": "-1 VND"}],
            "lines": JUDGED_LINES,
            "stated_shares": {"s": 120},
        },
    }
    plan = from_dict(copy.deepcopy(document))
    assert plan.funding.lines == built
    assert loads(json.dumps(document), "json") == plan
    assert loads(dumps(plan, "yaml"), "yaml") == plan


# -- every model: the generated loop against the constructors ------------------------------
# Nothing below lists a model's fields: records are drawn valid (from plans), and their
# fields, taken from ``attrs.fields``, are mutated at random.

GOOD_IDS = ("l", "central", "a-1", "t_2", "o3")
ODD_VALUES: tuple[Any, ...] = (
    None,
    "",
    " x",
    "x ",
    "x\u00a0",
    "\u3000x",
    Text("x"),
    7,
    True,
    False,
    1.5,
    [],
    {},
    2021,
    1900,
    1899,
    2201,
    10**30,
    "5 VND",
    "05 VND",
    "1.5 USD",
    "-5 VND",
    "5 XYZ",
    "5 vnd",
    "5  VND",
    " 5 VND",
    "5 VND ",
    "5",
    "1e3 VND",
    "1234567890123456789 VND",
    "\uff10 VND",
    {"amount": "5", "currency": "VND"},
    Money(5, "VND"),
    "investment",
    "capex",
    BudgetCategory.RECURRENT,
    "Q1 2024",
    "2021-2025",
    "Q5 2020",
    "2021-07-21",
    "2021-02-30",
    ["o1", "i-2"],
    ["o1", " o1"],
    [{"agency": "stttt", "role": "lead"}],
    [{"agency": "stttt"}],
    {"period": "Q1 2024"},
    {"vi": "Tên", "en": "Name"},
    {"province": 100, "district": "84.5"},
)


def odd_or(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, good, good, st.sampled_from(ODD_VALUES))


def mutate(draw: st.DrawFn, data: Any, names: list[str]) -> Any:
    """``data`` (a record's plain data) with some of the fields ``names`` changed."""
    if not isinstance(data, dict) or draw(st.integers(0, 30)) == 0:
        return draw(st.sampled_from(ODD_VALUES))
    data = dict(data)
    for name in names:
        choice = draw(st.integers(0, 7))
        if choice == 0:
            data.pop(name, None)
        elif choice == 1:
            data[name] = draw(st.sampled_from(ODD_VALUES))
    if draw(st.integers(0, 15)) == 0:
        data["colour"] = "red"
    if draw(st.booleans()):  # the order of the fields does not matter
        data = dict(reversed(list(data.items())))
    return data


@st.composite
def line_data(draw: st.DrawFn) -> Any:
    """A budget line's plain data, valid or with fields changed (from ``attrs.fields``)."""
    line = draw(
        testing.budget_lines(
            draw(st.sampled_from(CURRENCIES)),
            source_ids=GOOD_IDS,
            years=(2021, 1900, 2200),
            agency_ids=GOOD_IDS,
            task_ids=GOOD_IDS,
            objective_ids=GOOD_IDS,
        )
    )
    return mutate(draw, to_dict(line), [field.name for field in attrs.fields(BudgetLine)])


@st.composite
def mutation(draw: st.DrawFn, data: Any, names: list[str]) -> Any:
    return mutate(draw, data, names)


def records(obj: Any, out: list[Any]) -> list[Any]:
    """Every model object inside ``obj`` (itself included), by ``attrs.fields``."""
    if attrs.has(type(obj)) and type(obj) not in (Money, Period):
        out.append(obj)
        for field in attrs.fields(type(obj)):
            records(getattr(obj, field.name), out)
    elif type(obj) is tuple:
        for item in obj:
            records(item, out)
    return out


def same_outcome(data: Any, cls: Any) -> None:
    """The fast pass and the detailed pass (cattrs and the constructors) agree on ``data``."""
    with _converting(None):
        fast = outcome(_fast_pass().structure, data, cls)
    with _converting(None):
        detailed = outcome(converter().structure, data, cls)
    assert fast == detailed


MODELS = [cls for cls in MODEL_CLASSES if attrs.has(cls) and cls is not Plan]


@SETTINGS
@given(st.one_of(testing.plans(), testing.edge_plans()), st.data())
def test_every_model_is_built_alike_by_its_loop_and_its_constructor(
    plan: Plan, data: st.DataObject
) -> None:
    # For any record of a valid plan, random changes of its fields are accepted by the
    # generated loop exactly when the constructors accept them, with equal objects.
    found = [obj for obj in records(plan, []) if type(obj) in MODELS]
    assume(found)
    chosen = data.draw(st.sampled_from(found))
    cls = type(chosen)
    names = [field.name for field in attrs.fields(cls)]
    mutated = [to_dict(chosen), *data.draw(st.lists(mutation(to_dict(chosen), names), max_size=3))]
    same_outcome(mutated, tuple[cls, ...])  # type: ignore[valid-type]
    same_outcome(mutated[-1], cls)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_every_plain_model_is_built_by_a_generated_loop(cls: type) -> None:
    hook = _fast_pass().get_structure_hook(tuple[cls, ...])  # type: ignore[valid-type]
    code = getattr(hook, "__code__", None)
    generated = f"<egovplan generated structure {cls.__qualname__}>"
    if _derive.is_plain_model(cls):
        assert code is not None
        assert code.co_filename == generated
        # The generated source is in linecache, for tracebacks.
        first = linecache.getline(code.co_filename, code.co_firstlineno)
        assert first.startswith(f"def structure_{cls.__name__}(")
    else:  # a converter, a post-init or an __init__ of its own: built by its constructor
        assert code is None or code.co_filename != generated


@SETTINGS
@given(st.lists(line_data(), max_size=6))
def test_the_budget_line_loop_agrees_with_the_constructor(lines: list[Any]) -> None:
    same_outcome(lines, tuple[BudgetLine, ...])
    detailed = outcome(converter().structure, lines, tuple[BudgetLine, ...])
    plan = {**PLAN_HEAD, "funding": {"lines": lines}}
    if detailed[0] == "ok":
        assert repr(from_dict(plan).funding.lines) == detailed[1]
    else:
        with pytest.raises(LoadError) as caught:
            from_dict(plan)
        assert all(p.path.startswith("funding.lines") for p in caught.value.problems)


@pytest.mark.parametrize("field", ["objectives", "indicators"])
@pytest.mark.parametrize("name", [" o1", "o1\t", "", "\u3000o1"])
def test_a_task_naming_a_bad_id_is_refused_with_its_path(field: str, name: str) -> None:
    task = {"id": "t1", "title": "Nhiệm vụ", field: ["o0", name]}
    with pytest.raises(LoadError) as caught:
        from_dict({**PLAN_HEAD, "tasks": [{"id": "t0", "title": "Nhiệm vụ"}, task]})
    [problem] = caught.value.problems
    assert problem.path == f"tasks[1].{field}[1]"
    assert "must be a non-empty id without surrounding spaces" in problem.message


def _error_of(conv: Any, plan: dict[str, Any]) -> BaseException:
    body = {key: value for key, value in plan.items() if key != "format_version"}
    try:
        conv.structure(body, Plan)
    except Exception as error:
        return error
    raise AssertionError("the detailed pass accepted the plan")


@SETTINGS
@given(testing.plans(max_lines=6, max_tasks=4), st.data())
def test_a_bad_value_is_reported_with_its_path_as_the_detailed_pass_says(
    plan: Plan, data: st.DataObject
) -> None:
    document = to_dict(plan)
    lines = document.get("funding", {}).get("lines", [])
    tasks = document.get("tasks", [])
    places: list[tuple[list[Any], str, str]] = []
    places += [(lines, "funding.lines", name) for name in ("id", "source", "year", "amount")]
    places += [(tasks, "tasks", name) for name in ("id", "title", "schedule")]
    items, prefix, name = data.draw(st.sampled_from(places))
    assume(items)
    index = data.draw(st.integers(0, len(items) - 1))
    bad = data.draw(st.sampled_from((" x", 1.5, [], "", "-5 VND", 1899)))
    items[index][name] = bad
    body = {key: value for key, value in document.items() if key != "format_version"}
    detailed = outcome(converter().structure, body, Plan)
    if detailed[0] == "ok":  # the value is good there ("-5 VND" is an id, "" a title)
        assert repr(from_dict(document)) == detailed[1]
        return
    expected = _problems_of(_error_of(converter(), document))
    with pytest.raises(LoadError) as caught:
        from_dict(document)
    assert list(caught.value.problems) == expected
    assert any(p.path.startswith(f"{prefix}[{index}].{name}") for p in expected)


# -- the trusted constructors ---------------------------------------------------------------


# -- the JSON reader's count of values ------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-10, 10),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=3),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=2), inner, max_size=4)
    ),
    max_leaves=30,
)


@SETTINGS
@given(JSON_VALUES, st.sampled_from(((",", ":"), (", ", ": "))), st.sampled_from((None, 0, 2)))
def test_a_json_text_holds_at_most_one_value_more_than_half_its_length(
    value: Any, separators: tuple[str, str], indent: int | None
) -> None:
    text = json.dumps(value, separators=separators, indent=indent)
    assert _count_items(json.loads(text)) <= 1 + len(text) // 2


@SETTINGS
@given(JSON_VALUES, st.sampled_from(((",", ":"), (", ", ": "))), st.sampled_from((None, 0, 2)))
def test_the_fast_readers_bound_on_values_is_never_below_their_count(
    value: Any, separators: tuple[str, str], indent: int | None
) -> None:
    data = json.dumps(value, separators=separators, indent=indent, ensure_ascii=False).encode()
    count = _count_items(json.loads(data))
    separators = 1 + sum(data.count(char) for char in (b",", b"[", b"{"))
    for limit in range(1, separators + 2):  # sound: never lets more values through
        assert _json_bytes_within(data, limit) == (limit >= min(1 + len(data) // 2, separators))
        assert count <= limit or not _json_bytes_within(data, limit)


def test_the_value_limit_still_counts_when_the_text_is_long_enough() -> None:
    text = json.dumps([[0] * 6, [1] * 6])  # 15 values in 38 characters
    assert loads_json(text, Limits(max_items=15)) == [[0] * 6, [1] * 6]
    with pytest.raises(LoadError, match="more than 14 items"):
        loads_json(text, Limits(max_items=14))


def loads_json(text: str, limits: Limits) -> Any:
    return _read_json(text, "<text>", limits)


def test_a_plan_that_loads_needs_no_cattrs() -> None:
    # The fast pass is egovplan's own: cattrs is imported (and generates its functions)
    # for the detailed pass only, when the data has a problem to report.
    example = Path(__file__).resolve().parents[1] / "examples" / "quang-nam-2021-2025.yaml"
    code = (
        "import sys, egovplan\n"
        "egovplan.load(sys.argv[1])\n"
        "print('cattrs' in sys.modules)\n"
        "try:\n"
        "    egovplan.loads('{\"format_version\": 3, \"id\": 7}', 'json')\n"
        "except egovplan.LoadError as error:\n"
        "    print('cattrs' in sys.modules, error.problems[0].path)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == ["False", "True id"]

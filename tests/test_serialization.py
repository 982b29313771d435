"""The converter: canonical plain data, strict reading, problems with paths."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import testing
from egovplan.agency import Agency, Level
from egovplan.document import DocumentRef, PlanMetadata
from egovplan.errors import LoadError, ParseError, Problem
from egovplan.files import Limits
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.indicator import Observation
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Comparator, Objective, ObjectiveKind, Target
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.serialization import (
    FORMAT_VERSION,
    MODEL_CLASSES,
    FloatText,
    FlowMapping,
    _fast_pass,
    _generated_unstructure,
    _parse_period,
    converter,
    describe,
    format_path,
    from_dict,
    parse_path,
    to_dict,
)
from egovplan.task import Assignment, Schedule
from egovplan.validation import validate

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
DOCS = Path(__file__).parent.parent / "docs" / "format.md"


def minimal(**more: Any) -> dict[str, Any]:
    return {
        "format_version": 1,
        "id": "p",
        "metadata": {"kind": "plan", "title": "Kế hoạch"},
        "period": "2021-2025",
        **more,
    }


def problems(data: Any, cls: type = Plan, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(LoadError) as caught:
        from_dict(data, cls, **kwargs)
    return {p.path: p.message for p in caught.value.problems}


def plain(value: Any) -> bool:
    """Only the types files hold: dict, list, str, int, bool."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return type(value) in (str, int, bool)


def walk_dicts(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found.extend(walk_dicts(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(walk_dicts(item))
    return found


# -- round trips and the canonical layout --------------------------------------------------


@SETTINGS
@given(testing.plans())
def test_plans_round_trip_through_plain_data(plan: Plan) -> None:
    data = to_dict(plan)
    assert plain(data)
    assert next(iter(data)) == "format_version"
    json.dumps(data)  # JSON-ready as it is
    assert from_dict(data) == plan
    assert to_dict(from_dict(data)) == data


@SETTINGS
@given(testing.plans())
def test_fields_come_in_model_order_and_defaults_are_left_out(plan: Plan) -> None:
    data = to_dict(plan)
    orders = [[a.name for a in attrs.fields(cls) if a.init] for cls in MODEL_CLASSES]
    for mapping in walk_dicts(data):
        keys = [k for k in mapping if k != "format_version"]
        if isinstance(mapping, FlowMapping) or not keys:
            continue
        fitting = [order for order in orders if set(keys) <= set(order) and len(order) >= len(keys)]
        if not fitting:  # labels: locale -> text
            assert all(isinstance(v, str) for v in mapping.values())
            continue
        assert any([k for k in order if k in keys] == keys for order in fitting)
        for value in mapping.values():
            assert value is not None
            assert value != []


@SETTINGS
@given(
    st.one_of(
        testing.funding_sources(),
        testing.targets(),
        testing.agencies(),
        testing.tasks(),
        testing.document_refs(),
        testing.plan_metadata(),
        testing.spending_rules(),
        testing.indicators(),
        testing.sections(),
    )
)
def test_model_objects_round_trip(obj: Any) -> None:
    assert from_dict(to_dict(obj), type(obj)) == obj


@SETTINGS
@given(
    st.one_of(
        testing.budget_lines(
            years=(2021, 2022), agency_ids=("a",), task_ids=("t",), objective_ids=("o",)
        ),
        testing.assignments(),
        testing.observations(),
    )
)
def test_hand_written_hooks_agree_with_the_generated_ones(obj: Any) -> None:
    data = to_dict(obj)
    assert data == _generated_unstructure(type(obj))(obj)
    assert list(data) == list(_generated_unstructure(type(obj))(obj))
    fast = _fast_pass().structure(data, type(obj))
    assert fast == converter().structure(data, type(obj)) == obj


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (BudgetLine, {"id": "l", "source": "s", "amount": "1 VND", "colour": "red"}),
        (BudgetLine, {"id": "l", "source": "s", "year": "2021", "amount": "1 VND"}),
        (BudgetLine, {"id": "l", "source": "s", "year": True, "amount": "1 VND"}),
        (BudgetLine, {"id": "l", "source": "s", "amount": "1 VND", "category": "capex"}),
        (BudgetLine, {"id": "l", "source": "s"}),
        (BudgetLine, [["id", "l"], ["source", "s"], ["amount", "1 VND"]]),
        (BudgetLine, {"id": 7, "source": "s", "amount": "1 VND"}),
        (BudgetLine, {"id": "l", "source": "s", "agency": None, "task": 3, "amount": "1 VND"}),
        (Assignment, {"agency": "a", "role": None}),
        (Assignment, {"agency": "a", "role": "lead", "note": "x"}),
        (Assignment, "a:lead"),
        (Observation, {"indicator": "i", "subject": "s", "period": 2017, "value": 1.5}),
        (Observation, {"indicator": "i", "subject": "s", "period": 2017, "rank": "7"}),
        (Observation, {"indicator": "i", "subject": "s", "period": "someday"}),
        (Observation, {"indicator": "i", "subject": "s", "period": 2017, "ranked": True}),
    ],
)
def test_the_fast_path_refuses_what_the_detailed_pass_refuses(cls: type, data: Any) -> None:
    for conv in (_fast_pass(), converter()):
        with pytest.raises(Exception):  # noqa: B017, PT011 - any failure; from_dict sorts it
            conv.structure(data, cls)
    with pytest.raises(LoadError) as caught:
        from_dict(data, cls)
    assert caught.value.problems


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (Observation, {"indicator": "i", "subject": "s", "period": 2017, "rank": 9, "ranked": 5}),
        (Observation, {"indicator": "i", "subject": "s", "period": "2019-2017", "rank": 0}),
        (BudgetLine, {"id": "l", "source": "s", "amount": "-1 VND"}),
        (Target, {"id": "t", "measure": "m", "unit": "percent", "value": 120, "upper": 1}),
    ],
)
def test_both_passes_accept_what_is_for_validation_to_judge(cls: type, data: Any) -> None:
    fast = _fast_pass().structure(copy.deepcopy(data), cls)
    assert fast == converter().structure(copy.deepcopy(data), cls) == from_dict(data, cls)


def test_the_converter_is_built_once() -> None:
    assert converter() is converter()
    assert _fast_pass() is _fast_pass()


def test_canonical_forms() -> None:
    target = Target(
        id="t",
        measure="m",
        comparator=Comparator.GE,
        value=Decimal("84.10"),
        by_level=(),
        unit="percent",
    )
    assert to_dict(target) == {
        "id": "t",
        "measure": "m",
        "comparator": ">=",
        "value": "84.10",
        "unit": "percent",
    }
    per_level = Target(
        id="d", measure="m", by_level=(("province", 100), ("district", Decimal("80.5"))), unit="%"
    )
    data = to_dict(per_level)
    assert data["by_level"] == [
        {"level": "province", "value": 100},
        {"level": "district", "value": "80.5"},
    ]
    assert to_dict(Money("901000000000", "VND")) == "901000000000 VND"
    assert to_dict(Money("1E+3", "VND")) == "1000 VND"  # never an exponent
    assert to_dict(Money("2.50", "USD")) == "2.50 USD"
    assert to_dict(Period.years(2021, 2025)) == "2021-2025"
    assert to_dict(Period.year(2018)) == 2018
    assert to_dict(Period.quarter(2018, 2)) == "Q2 2018"
    assert to_dict(Quarter(2018, 2)) == "Q2 2018"
    assert to_dict(dt.date(2011, 7, 21)) == "2011-07-21"
    assert to_dict(Labels(vi="Sở", en="Department")) == {"vi": "Sở", "en": "Department"}
    assert to_dict(BudgetCategory.INVESTMENT) == "investment"
    assert to_dict(Decimal("1E+2")) == 100
    assert to_dict(Decimal(2**60)) == str(2**60)  # beyond what JSON readers keep exactly
    objective = Objective(id="o", kind=ObjectiveKind.SPECIFIC)
    assert to_dict(objective) == {"id": "o"}  # the default kind, text and targets left out


# -- strict reading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"horizon": "2030"}, "horizon", "expected a whole number, got the text '2030'"),
        ({"horizon": True}, "horizon", "expected a whole number, got true"),
        ({"horizon": FloatText("2030.0")}, "horizon", "got the number 2030.0"),
        ({"id": None}, "id", "expected text, got nothing (null)"),
        ({"id": 12}, "id", 'put it in quotes: "12"'),
        ({"period": "someday"}, "period", "cannot read 'someday' as a period"),
        ({"period": ["2021"]}, "period", "expected a period"),
        ({"levels": "province"}, "levels", "expected a list, got the text"),
        ({"levels": {"id": "province"}}, "levels", "expected a list, got a mapping"),
        ({"metadata": "Kế hoạch"}, "metadata", "expected a mapping of PlanMetadata fields"),
        ({"colour": "red"}, "colour", "unknown field"),
        (
            {"agencies": [{"id": "a", "names": {"vi": "A"}, "kindd": "x"}]},
            "agencies[0].kindd",
            "unknown field; did you mean 'kind'?",
        ),
        (
            {"agencies": [{"id": "a", "names": "A"}]},
            "agencies[0].names",
            "expected a mapping of language to text",
        ),
        (
            {"agencies": [{"id": "a", "names": {"vi": 5}}]},
            "agencies[0].names.vi",
            "expected text, got the number 5",
        ),
        ({"agencies": [{"id": "a", "names": {"vi": ""}}]}, "agencies[0].names.vi", "is empty"),
        ({"agencies": [{"names": {"vi": "A"}}]}, "agencies[0].id", "required field is missing"),
        (
            {"agencies": [{"id": " a", "names": {"vi": "A"}}]},
            "agencies[0].id",
            "must be a non-empty id without surrounding spaces",
        ),
        ({"funding": {"total": 1.5}}, "funding.total", 'like "1.5 VND"'),
        ({"funding": {"total": FloatText("1.50")}}, "funding.total", 'like "1.50 VND"'),
        ({"funding": {"total": 1500}}, "funding.total", "an amount needs its currency"),
        ({"funding": {"total": "1.500.000 VND"}}, "funding.total", "digits without separators"),
        ({"funding": {"total": "1500 vnd"}}, "funding.total", "did you mean 'VND'"),
        ({"funding": {"total": "1500 XXY"}}, "funding.total", "unknown currency 'XXY'"),
        ({"funding": {"total": "NaN VND"}}, "funding.total", 'like "901000000000 VND"'),
        (
            {"funding": {"total": {"amount": 1.5, "currency": "VND"}}},
            "funding.total.amount",
            'in quotes: "1.5"',
        ),
        (
            {"funding": {"total": {"amount": "15"}}},
            "funding.total.currency",
            "required field is missing",
        ),
        (
            {"funding": {"total": {"amount": "15", "currency": "VND", "rate": 1}}},
            "funding.total.rate",
            "unknown field",
        ),
        (
            {"funding": {"stated_shares": [["a", 12]]}},
            "funding.stated_shares",
            "expected a mapping of id to number",
        ),
        (
            {"funding": {"rules": [{"id": "r", "description": "", "percent": "1,5"}]}},
            "funding.rules[0].percent",
            "expected a decimal number",
        ),
        (
            {"objectives": [{"id": "o", "kind": "main"}]},
            "objectives[0].kind",
            "expected one of 'general', 'specific', 'orientation'",
        ),
        (
            {
                "objectives": [
                    {"id": "o", "targets": [{"id": "t", "measure": "m", "comparator": "~"}]}
                ]
            },
            "objectives[0].targets[0].comparator",
            "expected one of '=', '>', '>='",
        ),
        (
            {
                "objectives": [
                    {
                        "id": "o",
                        "targets": [{"id": "t", "measure": "m", "by_level": {"province": 1.5}}],
                    }
                ]
            },
            "objectives[0].targets[0].by_level[0].value",  # as version 3 has it
            'in quotes: "1.5"',
        ),
        (
            {"metadata": {"kind": "plan", "title": "T", "date": "31/02/2011"}},
            "metadata.date",
            "month 2 of 2011 has days 1 to 28",
        ),
        (
            {"metadata": {"kind": "plan", "title": "T", "date": "2011-02-31"}},
            "metadata.date",
            "is not a date",
        ),
        (
            {"metadata": {"kind": "plan", "title": "T", "date": dt.datetime(2011, 2, 3, 4, 5)}},
            "metadata.date",
            "a date without a time",
        ),
        (
            {"tasks": [{"id": "t", "title": "T", "objectives": "o1"}]},
            "tasks[0].objectives",
            "expected a list, got the text 'o1'",
        ),
        (
            {"tasks": [{"id": "t", "title": "T", "schedule": {"regular": "yes"}}]},
            "tasks[0].schedule.regular",
            "expected true or false, got the text 'yes'",
        ),
    ],
)
def test_problems_name_the_place_and_what_is_wrong(
    change: dict[str, Any], path: str, message: str
) -> None:
    found = problems(minimal(**change))
    assert path in found, found
    assert message in found[path]


def test_well_formed_but_wrong_values_load_and_validation_reports_them() -> None:
    data = minimal(
        funding={
            "sources": [{"id": "c", "kind": "grant", "names": {"vi": "C"}, "amount": "-1 VND"}],
            "stated_shares": {"c": 120},
        },
        objectives=[
            {
                "id": "o",
                "targets": [
                    {"id": "t", "measure": "m", "unit": "percent", "by_level": {"a": 1, "b": 101}}
                ],
            }
        ],
    )
    plan = from_dict(data)
    assert plan.funding.sources[0].amount == Money(-1, "VND")
    found = {(issue.code, issue.path) for issue in validate(plan)}
    assert {
        ("EGP206", "funding.sources[0].amount"),
        ("EGP210", "funding.stated_shares.c"),
        ("EGP301", "objectives[0].targets[0].by_level[1].value"),
    } <= found


def test_several_problems_are_reported_together() -> None:
    data = minimal(
        horizon="2030",
        funding={
            "sources": [
                {"id": "a", "kind": "grant", "names": {"vi": "A"}, "amount": "1 VND"},
                {"id": "b", "kind": "grant", "names": {"vi": "B"}, "amount": 1.5},
                {"id": "c", "kind": "grant", "names": {"vi": "C"}, "amount": "1 vnd"},
            ]
        },
    )
    with pytest.raises(LoadError) as caught:
        from_dict(data, source="plan.yaml")
    error = caught.value
    assert [p.path for p in error.problems] == [
        "horizon",
        "funding.sources[1].amount",
        "funding.sources[2].amount",
    ]
    assert "unknown currency 'vnd' (did you mean 'VND'?)" in error.problems[2].message
    assert error.source == "plan.yaml"
    assert str(error).startswith("plan.yaml: horizon: expected a whole number")
    assert str(error).endswith("(and 2 more problems)")
    assert dict(error.problems)["horizon"].startswith("expected a whole number")
    assert "ClassValidationError" not in str(error)
    assert "sub-exception" not in str(error)


def test_the_format_version_comes_first_and_is_checked() -> None:
    assert from_dict(minimal()).id == "p"
    no_version = minimal()
    del no_version["format_version"]
    found = problems({**no_version, "horizon": "x"})
    assert "format_version: 3" in found["format_version"]
    assert "horizon" in found  # the other problems are still reported
    assert (
        "reads format versions 1, 2 and 3, not the number 4"
        in problems(minimal(format_version=4))["format_version"]
    )
    assert "not the text '1'" in problems(minimal(format_version="1"))["format_version"]
    assert "must be a mapping of fields, not a list" in problems([minimal()])[""]
    assert FORMAT_VERSION == 3


def test_other_forms_are_read() -> None:
    plan = from_dict(
        minimal(
            period="giai đoạn 2021–2025",
            metadata={"kind": "plan", "title": "T", "date": "ngày 21 tháng 7 năm 2011"},
            legal_bases=[{"number": "1", "issuer": "UBND", "date": dt.date(2011, 7, 1)}],
            objectives=[
                {
                    "id": "o",
                    "targets": [
                        {"id": "t", "measure": "m", "comparator": "ge", "value": "1E+1"},
                        {
                            "id": "r",
                            "measure": "m",
                            "comparator": "between",
                            "value": Decimal("8.5"),
                            "upper": 9,
                        },
                    ],
                }
            ],
            funding={"total": {"amount": "1500", "currency": "VND"}},
            tasks=[
                {
                    "id": "t",
                    "title": "T",
                    "schedule": {"period": "Quý I-II/2018", "deadline": "30/3/2018"},
                }
            ],
        )
    )
    assert plan.period == Period.years(2021, 2025)
    assert plan.metadata.date == dt.date(2011, 7, 21)
    assert plan.legal_bases[0].date == dt.date(2011, 7, 1)
    first, second = plan.objectives[0].targets
    assert first.comparator is Comparator.GE
    assert first.value == 10
    assert second.value == Decimal("8.5")
    assert second.upper == 9
    assert plan.funding.total == Money(1500, "VND")
    assert plan.tasks[0].schedule == Schedule(
        period=Period.quarters(Quarter(2018, 1), Quarter(2018, 2)), deadline=dt.date(2018, 3, 30)
    )
    assert from_dict(minimal(period=2018)).period == Period.year(2018)
    assert from_dict(minimal(horizon=None)).horizon is None  # null is the default here


def test_digits_are_limited() -> None:
    data = minimal(funding={"total": "1E+70 VND"})
    assert "has more than 100 digits" not in str(problems(data))  # Money's own range
    huge = minimal(
        objectives=[{"id": "o", "targets": [{"id": "t", "measure": "m", "value": "1E+200"}]}]
    )
    assert "more than 100 digits" in problems(huge)["objectives[0].targets[0].value"]
    plan = from_dict(huge, limits=Limits(max_digits=300))
    assert plan.objectives[0].targets[0].value == Decimal("1E+200")
    long_int = minimal(
        objectives=[{"id": "o", "targets": [{"id": "t", "measure": "m", "value": 10**120}]}]
    )
    assert "more than 100 digits" in problems(long_int)["objectives[0].targets[0].value"]


def test_objectives_nest_no_deeper_than_the_limit() -> None:
    objective: dict[str, Any] = {"id": "leaf"}
    for depth in range(40):
        objective = {"id": f"o{depth}", "children": [objective]}
    data = minimal(objectives=[objective])
    found = problems(data)
    (path,) = found
    assert path.startswith("objectives[0].children[0]")
    assert "nested deeper than 64 levels" in found[path]
    assert from_dict(data, limits=Limits(max_depth=100)).objectives[0].id == "o39"


def test_alternative_money_and_enum_inputs_need_the_right_types() -> None:
    found = problems(
        {"id": "s", "kind": "k", "names": {"vi": "S"}, "amount": "1 VND", "category": 1},
        FundingSource,
    )
    assert "expected one of 'investment', 'recurrent', got the number 1" in found["category"]


def test_python_values_are_read_too() -> None:
    line = from_dict(
        {"id": "l", "source": "s", "amount": Money(5, "VND"), "category": BudgetCategory.RECURRENT},
        BudgetLine,
    )
    assert line.amount == Money(5, "VND")
    assert line.category is BudgetCategory.RECURRENT
    agency = from_dict({"id": "a", "names": Labels(vi="A")}, Agency)
    assert agency.kind == "other"
    level = from_dict({"id": "province", "names": {"vi": "tỉnh"}, "order": 1}, Level)
    assert level.order == 1


# -- paths -----------------------------------------------------------------------------------


@given(
    st.lists(
        st.one_of(st.integers(0, 10**6), st.text(min_size=1, max_size=8)), min_size=1, max_size=6
    )
)
def test_paths_round_trip(parts: list[Any]) -> None:
    assert parse_path(format_path(parts)) == tuple(parts)


def test_paths() -> None:
    assert format_path(("objectives", 0, "targets", 2, "by_level", "district")) == (
        "objectives[0].targets[2].by_level.district"
    )
    assert parse_path("") == ()
    with pytest.raises(ValueError, match="not a document path"):
        parse_path("funding..total")
    assert describe(FloatText("1.5")) == "the number 1.5"
    assert describe({"a": 1}) == "a mapping"
    assert describe(dt.date(2020, 1, 2)) == "the date 2020-01-02"


def test_problem_records() -> None:
    problem = Problem("funding.total", "is wrong", line=3, column=4)
    assert str(problem) == "funding.total (line 3, column 4): is wrong"
    assert str(Problem("", "is empty")) == "is empty"
    assert str(Problem("", "bad byte", line=2)) == "line 2: bad byte"
    assert problem == Problem("funding.total", "is wrong", line=3, column=4)
    assert len({problem, Problem("funding.total", "is wrong", line=3, column=4)}) == 1
    with pytest.raises(AttributeError):
        problem.line = 5  # type: ignore[misc]
    error = LoadError("x", problems=[("a", "b"), problem])
    assert error.problems[0] == Problem("a", "b")
    assert dict(error.problems) == {"a": "b", "funding.total": "is wrong"}


# -- docs/format.md ---------------------------------------------------------------------------

_EXAMPLE = re.compile(r"<!-- example: (\w+) -->\s*```yaml\n(.*?)```", re.S)


def doc_examples() -> list[tuple[str, str]]:
    return _EXAMPLE.findall(DOCS.read_text(encoding="utf-8"))


def test_the_format_reference_has_examples_for_every_class() -> None:
    named = {name for name, _ in doc_examples()}
    assert {cls.__name__ for cls in MODEL_CLASSES} <= named | {"Plan"}
    assert "Plan" in named


@pytest.mark.parametrize(("name", "text"), doc_examples())
def test_the_format_reference_examples_load(name: str, text: str) -> None:
    from egovplan.files import _read_yaml, dumps, loads

    classes = {cls.__name__: cls for cls in MODEL_CLASSES}
    if name == "Plan":
        plan = loads(text, "yaml")
        assert loads(dumps(plan, "yaml"), "yaml") == plan
        return
    data = _read_yaml(text, "docs/format.md", Limits())
    obj = from_dict(data, classes[name], source="docs/format.md")
    assert from_dict(to_dict(obj), classes[name]) == obj


def test_the_format_reference_names_every_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for cls in MODEL_CLASSES:
        for field in attrs.fields(cls):
            if field.init:
                assert f"`{field.name}`" in text, f"{cls.__name__}.{field.name}"


def test_plan_metadata_language_is_left_out_when_vietnamese() -> None:
    meta = PlanMetadata(kind="plan", title="T")
    assert to_dict(meta) == {"kind": "plan", "title": "T"}
    assert to_dict(attrs.evolve(meta, language="en"))["language"] == "en"
    ref = DocumentRef(kind="decision", number="14", year=2011, issuer="UBND")
    assert list(to_dict(ref)) == ["kind", "number", "year", "issuer"]
    assert to_dict(Funding()) == {}
    assert "funding" not in to_dict(
        Plan(id="p", metadata=meta, period=Period.year(2018), funding=Funding())
    )
    assert FundingSource  # used in other tests


def test_the_format_reference_shows_what_egovplan_writes() -> None:
    from egovplan.files import dumps, loads

    text = DOCS.read_text(encoding="utf-8")
    (_, plan_text), *_ = [(n, t) for n, t in doc_examples() if n == "Plan"]
    plan = loads(plan_text, "yaml")
    for format in ("json", "toml", "yaml"):
        assert f"```{format}\n{dumps(plan, format)}```" in text, format


def test_hints_for_common_yaml_slips() -> None:
    from egovplan.files import loads

    with pytest.raises(LoadError) as caught:
        loads(
            "format_version: 1\nid: p\nmetadata: {kind: plan, title: Duy trì, cải thiện}\n"
            "period: 2018\n",
            "yaml",
        )
    assert "text with a comma inside {...} must be in quotes" in str(caught.value)
    with pytest.raises(LoadError) as caught:
        loads(
            "format_version: 1\nid: p\nm: &m {kind: plan, title: T}\nmetadata: {<<: *m}\n"
            "period: 2018\n",
            "yaml",
        )
    assert "YAML merge keys are not read" in dict(caught.value.problems)['metadata["<<"]']


def test_garbage_collection_is_paused_only_while_converting() -> None:
    import gc

    from egovplan.serialization import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(LoadError):
        from_dict(minimal(horizon="x"))
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=9999),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9999)),
)
def test_whole_years_are_read_as_period_parse_reads_them(first: int, last: int | None) -> None:
    # The canonical whole years are read without Period.parse's grammar: the same
    # period, or the same error, as Period.parse gives.
    text = f"{first:04d}" if last is None else f"{first:04d}-{last:04d}"

    def read(parse: Any) -> tuple[str, str]:
        try:
            return ("ok", repr(parse(text)))
        except ParseError as error:
            return ("error", str(error))

    assert read(_parse_period.__wrapped__) == read(Period.parse)

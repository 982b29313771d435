"""Flows: actual money in the plan file, planned against actual from the file, the flow kinds.

A :class:`~egovplan.flows.Flow` round-trips through every format; ``execution(plan)``
counts the plan's own flows of the spent kinds (and their totals are the sums of those
flows, whatever the dimension); the CLI does the same from a file; the ``flow_kinds``
catalogue carries IATI's transaction types.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.breakdowns import BreakdownError, Disbursement, execution
from egovplan.catalog import Catalogues
from egovplan.cli import main
from egovplan.document import PlanMetadata
from egovplan.errors import FieldTypeError, FieldValueError
from egovplan.files import dumps, load, loads
from egovplan.flows import (
    Flow,
    actual_flows,
    execution_command_output,
    flows_table,
    iati_transaction_type,
    kind_of_iati,
    spent_kinds,
)
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.schema import json_schema
from egovplan.serialization import from_dict, to_dict
from egovplan.tables import TableError, records_table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "actuals" / "vi-du-2021-2023.yaml"
SAMPLE = ROOT / "tests" / "data" / "plans" / "sample-province-2021-2025.yaml"
MILLION = 10**6
FORMATS = ("yaml", "json", "toml")


def vnd(amount: int) -> Money:
    return Money(amount, "VND")


# -- the model -----------------------------------------------------------------------------


def test_a_flow_holds_what_a_finance_report_records() -> None:
    flow = Flow(
        id="gn-1",
        kind="disbursement",
        source="central",
        date=dt.date(2022, 3, 31),
        agency="stttt",
        task="t",
        objective="o",
        category="investment",
        description="Tạm ứng",
        amount=vnd(-5),
    )
    assert flow.category is BudgetCategory.INVESTMENT
    assert flow.amount == vnd(-5)  # a return: loads as it is
    assert flow.budget_year == 2022
    assert flow.kind_label("en") == "disbursement"
    assert Flow(id="x", kind="settlement", amount=vnd(1)).kind_label("vi") == "settlement"


@pytest.mark.parametrize(
    ("changes", "year"),
    [
        ({}, None),
        ({"year": 2021, "date": dt.date(2022, 1, 1)}, 2021),
        ({"date": dt.date(2022, 1, 1), "period": Period.quarter(2023, 1)}, 2022),
        ({"period": Period.quarter(2023, 1)}, 2023),
        ({"period": Period.years(2023, 2024)}, None),
    ],
)
def test_the_budget_year_is_the_year_else_the_day_else_a_one_year_period(
    changes: dict[str, object], year: int | None
) -> None:
    assert Flow(id="f", kind="expenditure", amount=vnd(1), **changes).budget_year == year


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 5}, "Flow.amount must be Money"),
        ({"kind": " disbursement"}, "Flow.kind"),
        ({"id": ""}, "Flow.id"),
        ({"year": 1800}, "Flow.year"),
        ({"date": dt.datetime(2021, 1, 1)}, "Flow.date"),
        ({"period": "2021"}, "Flow.period"),
        ({"category": "capital"}, "Flow.category"),
    ],
)
def test_a_malformed_flow_is_refused_naming_the_field(
    changes: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"id": "f", "kind": "disbursement", "amount": vnd(1), **changes}
    with pytest.raises((FieldTypeError, FieldValueError), match=message):
        Flow(**fields)  # type: ignore[arg-type]


# -- the flow kinds ------------------------------------------------------------------------


def test_the_flow_kinds_carry_every_iati_transaction_type_once() -> None:
    kinds = Catalogues.default().flow_kinds
    codes = [kind.get("iati_transaction_type") for kind in kinds]
    assert sorted(codes, key=int) == [str(n) for n in range(1, 14)]
    for kind in kinds:
        assert kind.labels.get("vi"), kind.code
        assert kind.labels.get("en"), kind.code
        assert kind.get("direction") in ("incoming", "outgoing"), kind.code
        code = iati_transaction_type(kind.code)
        assert code is not None
        assert kind_of_iati(code) == kind.code
    assert (kind_of_iati(2), kind_of_iati("3"), kind_of_iati(" 4 ")) == (
        "commitment",
        "disbursement",
        "expenditure",
    )
    assert kind_of_iati("14") is None
    assert iati_transaction_type("advance") is None


def test_what_counts_as_spent_is_data() -> None:
    assert spent_kinds() == {"disbursement", "expenditure", "reimbursement"}
    mine = Catalogues.default().extended(
        flow_kinds={"settlement": {"vi": "quyết toán", "en": "settlement", "spent": True}}
    )
    assert "settlement" in spent_kinds(mine)
    flows = [Flow(id="q", kind="settlement", amount=vnd(3))]
    assert actual_flows(flows) == ()
    assert actual_flows(flows, catalogues=mine) == tuple(flows)
    assert actual_flows(flows, "settlement") == tuple(flows)
    with pytest.raises(FieldTypeError, match="codes"):
        actual_flows(flows, [3])  # type: ignore[list-item]
    with pytest.raises(FieldTypeError, match="Flow records"):
        actual_flows([Disbursement(source="s", amount=vnd(1))])  # type: ignore[list-item]


# -- files -----------------------------------------------------------------------------------


def _plan(flows: tuple[Flow, ...], lines: tuple[BudgetLine, ...] = ()) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2023),
        funding=Funding(
            sources=(
                FundingSource(id="a", names=Labels(vi="A"), amount=vnd(1000)),
                FundingSource(id="b", names=Labels(vi="B"), amount=vnd(500)),
            ),
            lines=lines,
        ),
        flows=flows,
    )


_KINDS = tuple(Catalogues.default().flow_kinds.codes)


@st.composite
def flows(draw: st.DrawFn, *, count: int = 6, kinds: tuple[str, ...] = _KINDS) -> tuple[Flow, ...]:
    size = draw(st.integers(0, count))
    found = []
    for i in range(size):
        found.append(
            Flow(
                id=f"f{i}",
                kind=draw(st.sampled_from(kinds)),
                source=draw(st.sampled_from(["a", "b", None])),
                year=draw(st.none() | st.integers(2021, 2023)),
                period=draw(
                    st.none()
                    | st.builds(Period.quarter, st.integers(2021, 2023), st.integers(1, 4))
                ),
                date=draw(st.none() | st.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31))),
                agency=draw(st.sampled_from(["x", "y", None])),
                task=draw(st.sampled_from(["t1", None])),
                objective=draw(st.sampled_from(["o1", None])),
                category=draw(st.sampled_from([None, *BudgetCategory])),
                description=draw(
                    st.none() | st.text(min_size=1, max_size=20).map(str.strip).filter(bool)
                ),
                amount=vnd(draw(st.integers(-(10**12), 10**12))),
            )
        )
    return tuple(found)


@settings(max_examples=40, deadline=None)
@given(flows())
def test_flows_round_trip_through_every_format(found: tuple[Flow, ...]) -> None:
    plan = _plan(found)
    for format in FORMATS:
        text = dumps(plan, format)
        again = loads(text, format)
        assert again == plan
        assert dumps(again, format) == text
    for flow in found:
        assert from_dict(to_dict(flow), Flow) == flow


def test_the_schema_describes_flows() -> None:
    schema = json_schema()
    assert schema["properties"]["flows"]["items"] == {"$ref": "#/$defs/Flow"}
    assert sorted(schema["$defs"]["Flow"]["required"]) == ["amount", "id", "kind"]
    document = json.loads(dumps(load(EXAMPLE), "json"))
    jsonschema.Draft202012Validator(schema).validate(document)
    document["flows"][0]["amount"] = 5
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document))


def test_a_version_2_file_reads_as_a_version_3_file_without_flows() -> None:
    text = "format_version: 2\nid: p\nmetadata: {kind: plan, title: P}\nperiod: 2021-2023\n"
    plan = loads(text, "yaml")
    assert plan.flows == ()
    assert dumps(plan, "yaml").startswith("format_version: 3\n")


# -- planned against actual ------------------------------------------------------------------


_LINES = (
    BudgetLine(id="l1", source="a", year=2021, agency="x", task="t1", amount=vnd(600)),
    BudgetLine(id="l2", source="a", year=2022, agency="y", amount=vnd(400)),
    BudgetLine(id="l3", source="b", year=2023, agency="x", task="t1", amount=vnd(500)),
)


@settings(max_examples=60, deadline=None)
@given(flows(count=8), st.sampled_from(["source", "kind", "category", "year", "agency", "task"]))
def test_execution_totals_are_the_sums_of_the_counted_flows(
    found: tuple[Flow, ...], by: str
) -> None:
    plan = _plan(found, _LINES)
    counted = [flow for flow in found if flow.kind in spent_kinds()]
    result = execution(plan, by=by)
    assert result.actual == sum((flow.amount for flow in counted), vnd(0))
    assert result.planned == (vnd(1500))
    assert result.remaining == result.planned - result.actual
    assert execution(plan, plan.flows, by) == result
    # every flow of the counted kinds lands under its own key
    for row in result.rows:
        if by in ("source", "year", "agency", "task"):
            under = [
                f for f in counted if (f.budget_year if by == "year" else getattr(f, by)) == row.key
            ]
            assert row.actual == sum((f.amount for f in under), vnd(0))
    two = execution(plan, by="source", by2="year")
    assert two.actual == result.actual
    commitments = execution(plan, by=by, kinds=["commitment"])
    assert commitments.actual == sum(
        (flow.amount for flow in found if flow.kind == "commitment"), vnd(0)
    )


def test_execution_of_a_plan_file_uses_its_flows() -> None:
    plan = load(EXAMPLE)
    assert plan.validate().issues == ()
    result = execution(plan)
    assert (result.planned, result.actual, result.rate) == (
        vnd(30000 * MILLION),
        vnd(17100 * MILLION),
        Decimal("57.00"),
    )
    province = result.row("province")
    assert province.actual == vnd(11900 * MILLION)  # 3450 + 2300 + 4600 - 250 + 1800
    by_year = execution(plan, by="year")
    assert [(row.key, row.actual) for row in by_year.rows] == [
        (2021, vnd(5750 * MILLION)),
        (2022, vnd(9550 * MILLION)),  # a quarter of 2022, a return, and a year
        (2023, vnd(1800 * MILLION)),
    ]
    only_spending = execution(plan, by="task", kinds=["expenditure"])
    assert only_spending.actual == vnd(1800 * MILLION)
    committed = execution(plan, by="agency", kinds=["commitment"])
    assert committed.row("vpubnd").actual == vnd(11500 * MILLION)


def test_disbursement_records_still_work_beside_flows() -> None:
    plan = _plan((Flow(id="f", kind="disbursement", source="a", amount=vnd(100)),))
    old = [Disbursement(source="a", amount=vnd(40))]
    assert execution(plan, old).actual == vnd(40)
    mixed = [*old, *plan.flows, Flow(id="c", kind="commitment", source="b", amount=vnd(9))]
    assert execution(plan, mixed).actual == vnd(140)
    assert execution(plan).actual == vnd(100)
    with pytest.raises(FieldTypeError, match="Flow or Disbursement"):
        execution(plan, [vnd(5)])  # type: ignore[list-item]


def test_a_return_larger_than_the_spending_gives_a_negative_actual() -> None:
    plan = _plan(
        (
            Flow(id="d", kind="disbursement", source="a", amount=vnd(10)),
            Flow(id="r", kind="disbursement", source="a", amount=vnd(-30)),
        )
    )
    row = execution(plan).row("a")
    assert row.actual == vnd(-20)
    assert row.remaining == vnd(1020)


def test_a_bare_funding_has_no_flows() -> None:
    funding = _plan(()).funding
    assert execution(funding).actual == vnd(0)


def test_execution_by_year_of_a_plan_without_lines_says_what_to_do() -> None:
    plan = _plan((Flow(id="d", kind="disbursement", source="a", year=2021, amount=vnd(1)),))
    with pytest.raises(BreakdownError, match="no budget lines"):
        execution(plan, by="year")


# -- tables ----------------------------------------------------------------------------------


def test_the_flows_table_is_derived_from_the_fields() -> None:
    plan = load(EXAMPLE)
    table = flows_table(plan, locale="en", unit="million")
    present = [
        name
        for name in (a.name for a in attrs.fields(Flow))
        if any(getattr(flow, name) is not None for flow in plan.flows)
    ]
    assert [column.key for column in table.columns] == present
    assert table.title == "Actual money flows"
    assert len(table.rows) == len(plan.flows)
    records = table.to_records()
    assert records[0]["kind"] == "commitment"
    assert records[4]["amount"] == Decimal(-250 * MILLION)
    assert records[3]["period"] == "Q3 2022"
    assert records[0]["date"] == "2021-04-12"
    vietnamese = flows_table(plan)
    assert vietnamese.columns[1].label == "Loại"
    assert vietnamese.rows[1][1] == "giải ngân"
    every = records_table(Flow, plan.flows, all_fields=True)
    assert [column.key for column in every.columns] == [a.name for a in attrs.fields(Flow)]
    with pytest.raises(TableError, match="attrs model"):
        records_table(dict, [])
    with pytest.raises(TableError, match=r"records\[0\] must be Flow"):
        records_table(Flow, [plan])


# -- the command line ------------------------------------------------------------------------


def test_the_cli_compares_planned_and_actual_from_a_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["breakdown", str(EXAMPLE), "--by", "source", "--actual", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "Planned vs actual by source" in out
    assert "Provincial budget" in out
    assert "57.00" in out
    assert (
        main(
            ["breakdown", str(EXAMPLE), "--by", "year", "--kind", "expenditure", "--format", "json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["actual"] == "1800000000 VND"
    assert data == json.loads(
        execution_command_output(load(EXAMPLE), "year", fmt="json", kinds=["expenditure"])
    )
    assert main(["breakdown", str(EXAMPLE), "--by", "source"]) == 0
    assert "Thực hiện" not in capsys.readouterr().out


def test_the_cli_refuses_what_it_cannot_compare(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(dumps(_plan((Flow(id="d", kind="disbursement", amount=vnd(1)),)), "yaml"))
    assert main(["breakdown", str(path), "--by", "year", "--actual"]) == 2
    assert "no budget lines" in capsys.readouterr().err


def test_the_sample_test_plan_holds_flows_and_validates_clean() -> None:
    plan = load(SAMPLE)
    assert len(plan.flows) == 5
    assert plan.validate().issues == ()
    assert execution(plan).actual == vnd(65 * 10**9)


def test_the_how_to_shows_what_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "how-to" / "planned-vs-actual.md").read_text(encoding="utf-8")
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    command, rest = block.split("\n", 1)
    shown = rest.split("\n$ ", 1)[0].rstrip("\n") + "\n"
    args = command.removeprefix("$ egovplan ").split()
    assert main(args) == 0
    assert capsys.readouterr().out == shown


def test_show_counts_the_flows_and_sets_them_against_the_plan() -> None:
    from egovplan.cli import render_plan

    text = render_plan(load(EXAMPLE), locale="en")
    assert "Actual money (flows)\n  7 flows recorded\nPlanned vs actual by source\n" in text
    assert "Provincial budget        18,000  11,900               66.11      6,100" in text
    one = _plan((Flow(id="f", kind="commitment", amount=vnd(1)),))
    shown = render_plan(one, locale="en")  # a commitment only: nothing spent yet
    assert "Actual money (flows)\n  1 flow recorded\n" in shown
    assert shown.endswith("Total             1,500       0                0.00      1,500")
    foreign = _plan((Flow(id="f", kind="disbursement", source="a", amount=Money(1, "USD")),))
    assert render_plan(foreign, locale="vi").endswith("\n  1 dòng tiền đã ghi nhận")
    assert "flows" not in render_plan(_plan(()), locale="en")


def test_egp228_judges_a_source_without_an_amount_by_its_lines_and_skips_mixed_currencies() -> None:
    from egovplan.validation import validate

    def plan_of(*flows: Flow, amount: Money | None = None) -> Plan:
        source = FundingSource(id="a", names=Labels(vi="A"), amount=amount)
        lines = (
            BudgetLine(id="l1", source="a", year=2021, amount=vnd(60)),
            BudgetLine(id="l2", source="a", year=2022, amount=vnd(40)),
        )
        return attrs.evolve(_plan(flows), funding=Funding(sources=(source,), lines=lines))

    over = plan_of(Flow(id="d", kind="disbursement", source="a", amount=vnd(101)))
    (issue,) = validate(over, ruleset="flows")
    assert (issue.code, issue.path) == ("EGP228", "funding.sources[0]")
    assert "101 " in issue.message
    assert "100" in issue.message
    at = plan_of(Flow(id="d", kind="disbursement", source="a", amount=vnd(100)))
    assert validate(at, ruleset="flows").codes() == ()
    committed = plan_of(Flow(id="c", kind="commitment", source="a", amount=vnd(500)))
    assert validate(committed, ruleset="flows").codes() == ()
    mixed = plan_of(
        Flow(id="d", kind="disbursement", source="a", amount=vnd(101)),
        Flow(id="u", kind="disbursement", source="a", amount=Money(1, "USD")),
    )
    assert validate(mixed, ruleset="flows").codes() == ("EGP227",)
    stated = plan_of(Flow(id="d", kind="expenditure", source="a", amount=vnd(90)), amount=vnd(80))
    (issue,) = validate(stated, ruleset="flows")
    assert (issue.code, issue.path) == ("EGP228", "funding.sources[0].amount")


def test_the_example_is_in_the_canonical_layout() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    assert lines[: len(header)] == header
    body = "".join(lines[len(header) :])
    plan = load(EXAMPLE)
    assert dumps(plan, "yaml") == body
    for format in FORMATS:
        assert loads(dumps(plan, format), format) == plan

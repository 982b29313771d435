"""Arrow tables and Parquet files: every column round-trips, totals stay exact."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan.arrow import (
    MONEY_PRECISION,
    TABLES,
    VALUE_SCALE,
    ArrowExportError,
    arrow_schema,
    to_arrow,
    write_parquet,
)
from egovplan.breakdowns import breakdown
from egovplan.document import PlanMetadata
from egovplan.errors import EgovplanError
from egovplan.flows import Flow
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.indicator import Observation
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import (
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    Target,
    TargetPart,
    TargetRef,
)
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.task import Assignment, Task
from egovplan.when import When

META = PlanMetadata(kind="plan", title="Kế hoạch thử")
SOURCE_IDS = ("central", "province", "private")


def make_plan(
    lines: tuple[BudgetLine, ...] = (),
    *,
    plan_id: str = "p",
    currency: str = "VND",
    **fields: object,
) -> Plan:
    sums: dict[str, Money] = {s: Money.zero(currency) for s in SOURCE_IDS}
    for line in lines:
        sums[line.source] = sums[line.source] + line.amount
    sources = tuple(
        FundingSource(id=s, kind="grant", names=Labels(vi=f"Nguồn {s}"), amount=sums[s])
        for s in SOURCE_IDS
    )
    return Plan(
        id=plan_id,
        metadata=META,
        period=Period.years(2021, 2025),
        funding=Funding(sources=sources, lines=lines),
        **fields,  # type: ignore[arg-type]
    )


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
optional_ids = st.none() | ids


_years = st.none() | st.integers(2021, 2025)
_categories = st.none() | st.sampled_from(BudgetCategory)


def budget_lines(currency: str = "VND") -> st.SearchStrategy[tuple[BudgetLine, ...]]:
    places = 2 if currency == "USD" else 0
    amounts = st.integers(0, 10**30).map(lambda n: Money(Decimal(n).scaleb(-places), currency))
    line = st.fixed_dictionaries(
        {
            "source": st.sampled_from(SOURCE_IDS),
            "year": _years,
            "agency": optional_ids,
            "task": optional_ids,
            "objective": optional_ids,
            "category": _categories,
            "amount": amounts,
        }
    )
    return st.lists(line, max_size=25).map(
        lambda rows: tuple(BudgetLine(id=f"l{i}", **row) for i, row in enumerate(rows))
    )


_by_currency = {c: budget_lines(c) for c in ("VND", "USD")}


def lines_from(table: pa.Table) -> tuple[BudgetLine, ...]:
    return tuple(
        BudgetLine(
            id=row["id"],
            source=row["source"],
            year=row["year"],
            agency=row["agency"],
            task=row["task"],
            objective=row["objective"],
            category=None if row["category"] is None else BudgetCategory(row["category"]),
            amount=Money(row["amount"], row["currency"]),
        )
        for row in table.to_pylist()
    )


# -- budget lines and sources -------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["VND", "USD"]).flatmap(_by_currency.__getitem__))
def test_budget_lines_round_trip_and_keep_totals(lines: tuple[BudgetLine, ...]) -> None:
    currency = lines[0].amount.currency if lines else "VND"
    plan = make_plan(lines, currency=currency)
    table = to_arrow(plan, "budget_lines")
    assert table.schema == arrow_schema("budget_lines", scale=2 if currency == "USD" else 0)
    assert lines_from(table) == lines
    assert set(table.column("plan").to_pylist()) <= {"p"}
    total = sum(table.column("amount").to_pylist(), Decimal(0))
    assert total == sum((line.amount.amount for line in lines), Decimal(0))


@settings(max_examples=25, deadline=None)
@given(budget_lines())
def test_sum_per_source_and_year_matches_breakdown(lines: tuple[BudgetLine, ...]) -> None:
    plan = make_plan(lines)
    table = to_arrow(plan, "budget_lines")
    grouped = table.group_by(["source", "year"]).aggregate([("amount", "sum")])
    sums = {
        (row["source"], row["year"]): row["amount_sum"]
        for row in grouped.to_pylist()
        if row["amount_sum"] is not None
    }
    if not lines:
        assert sums == {}
        return
    pivot = breakdown(plan, "source", "year", basis="lines")
    expected = {
        (r.key, c.key): pivot.cell(r.key, c.key).amount
        for r in pivot.rows
        for c in pivot.columns
        if any(line.source == r.key and line.year == c.key for line in lines)
    }
    assert sums == expected


def test_sources_round_trip() -> None:
    lines = (
        BudgetLine(id="a", source="central", year=2021, amount=Money(700, "VND")),
        BudgetLine(id="b", source="private", year=2022, amount=Money(300, "VND")),
    )
    plan = make_plan(lines)
    table = to_arrow(plan, "sources")
    assert table.schema == arrow_schema("sources")
    rebuilt = tuple(
        FundingSource(
            id=row["id"],
            kind=row["kind"],
            names=Labels(vi=row["name"]),
            category=None if row["category"] is None else BudgetCategory(row["category"]),
            amount=Money(row["amount"], row["currency"]),
        )
        for row in table.to_pylist()
    )
    assert rebuilt == plan.funding.sources
    assert sum(table.column("amount").to_pylist()) == Decimal(1000)


def test_scale_follows_the_currency_unless_given() -> None:
    usd = make_plan(
        (BudgetLine(id="a", source="central", amount=Money("12.34", "USD")),), currency="USD"
    )
    assert to_arrow(usd).schema.field("amount").type == pa.decimal128(MONEY_PRECISION, 2)
    assert to_arrow(usd, scale=4).column("amount").to_pylist() == [Decimal("12.3400")]
    bhd = make_plan(
        (BudgetLine(id="a", source="central", amount=Money("1.234", "BHD")),), currency="BHD"
    )
    assert to_arrow(bhd, "sources").schema.field("amount").type.scale == 3
    empty = make_plan(())
    assert to_arrow(empty).num_rows == 0
    assert to_arrow(empty).schema.field("amount").type.scale == 0


def test_mixed_currencies_use_the_largest_scale() -> None:
    plan = Plan(
        id="mixed",
        metadata=META,
        period=Period.year(2021),
        funding=Funding(
            lines=(
                BudgetLine(id="a", source="s", amount=Money("5", "VND")),
                BudgetLine(id="b", source="s", amount=Money("0.25", "USD")),
            )
        ),
    )
    table = to_arrow(plan)
    assert table.schema.field("amount").type.scale == 2
    assert lines_from(table) == plan.funding.lines


def test_an_amount_that_does_not_fit_is_an_error_with_its_path() -> None:
    plan = make_plan(
        (
            BudgetLine(id="a", source="central", amount=Money("1", "VND")),
            BudgetLine(id="b", source="central", amount=Money("2.5", "VND")),
        )
    )
    with pytest.raises(ArrowExportError, match=r"funding\.lines\[1\]\.amount = 2\.5") as info:
        to_arrow(plan)
    assert isinstance(info.value, EgovplanError)
    assert isinstance(info.value, ValueError)
    assert to_arrow(plan, scale=1).column("amount").to_pylist() == [Decimal(1), Decimal("2.5")]
    big = make_plan((BudgetLine(id="a", source="central", amount=Money(10**39, "VND")),))
    with pytest.raises(ArrowExportError, match=r"funding\.lines\[0\]\.amount .*too many digits"):
        to_arrow(big)


LONE = "\udc80"  # a lone surrogate: Python holds it, UTF-8 (and Arrow) cannot


def _lone_plans() -> list[tuple[str, Plan, str]]:
    """(table, plan with one lone surrogate, the path the error must name)."""
    line = BudgetLine(id="l1", source="central", year=2021, amount=Money(5, "VND"))
    nested = Objective(
        id="o1",
        children=(
            Objective(id="o" + LONE, targets=(Target(id="t", measure="m", value=Decimal(1)),)),
        ),
    )
    parts = Target(id="t", measure="m", value=Decimal(1), parts=(TargetPart(label=LONE, value=1),))
    assigned = Task(id="t" + LONE, title="T", assignments=(Assignment(agency="a", role="lead"),))
    seen = Observation(indicator="i", subject="s" + LONE, period=Period.year(2021), value=1)
    return [
        ("budget_lines", make_plan((attrs.evolve(line, id="l" + LONE),)), "funding.lines[0].id"),
        ("budget_lines", make_plan((attrs.evolve(line, agency=LONE),)), "funding.lines[0].agency"),
        ("budget_lines", make_plan((line,), plan_id="p" + LONE), "id"),
        ("targets", make_plan((), objectives=(nested,)), "objectives[0].children[0].id"),
        ("targets", make_plan((), objectives=(Objective(id="o", targets=(parts,)),)),
         "objectives[0].targets[0].parts"),
        ("assignments", make_plan((), tasks=(assigned,)), "tasks[0].id"),
        ("observations", make_plan((), observations=(seen,)), "observations[0].subject"),
    ]  # fmt: skip


@pytest.mark.parametrize(("table", "plan", "path"), _lone_plans())
def test_text_that_is_not_unicode_is_an_error_with_its_path(
    tmp_path: Path, table: str, plan: Plan, path: str
) -> None:
    message = rf"cannot export {table} of plan .*: {re.escape(path)} has an unpaired surrogate"
    with pytest.raises(ArrowExportError, match=message):
        to_arrow(plan, table)
    with pytest.raises(ArrowExportError, match=message):
        write_parquet(plan, tmp_path, tables=[table])
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_source_name_that_is_not_unicode_is_an_error_with_its_path() -> None:
    plan = make_plan(())
    sources = list(plan.funding.sources)
    sources[2] = attrs.evolve(sources[2], names=Labels(vi="Nguồn " + LONE))
    plan = attrs.evolve(plan, funding=attrs.evolve(plan.funding, sources=tuple(sources)))
    with pytest.raises(ArrowExportError, match=r"funding\.sources\[2\]\.names has an unpaired"):
        to_arrow(plan, "sources")


def test_bad_table_and_scale() -> None:
    plan = make_plan(())
    with pytest.raises(ArrowExportError, match="unknown table 'lines'"):
        to_arrow(plan, "lines")
    with pytest.raises(ArrowExportError, match=r"scale must be in 0\.\.38"):
        to_arrow(plan, scale=39)
    with pytest.raises(TypeError, match="scale must be an int"):
        to_arrow(plan, scale="2")  # type: ignore[arg-type]
    with pytest.raises(ArrowExportError, match="unknown table"):
        write_parquet(plan, "/nonexistent-never-created", tables=["nope"])


# -- targets, observations, assignments --------------------------------------------------


def _comparator(code: str | None) -> Comparator | None:
    return None if code is None else Comparator[code.upper()]


def targets_from(table: pa.Table) -> list[tuple[str, Target]]:
    out = []
    for row in table.to_pylist():
        baseline = None
        if row["baseline_value"] is not None:
            baseline = Baseline(
                value=row["baseline_value"],
                year=row["baseline_year"],
                source=row["baseline_source"],
            )
        target = Target(
            id=row["id"],
            # A measure in several languages: the map holds each (the text the first).
            measure=(
                row["measure"]
                if row["measure_labels"] is None
                else Labels(dict(row["measure_labels"]))
            ),
            comparator=_comparator(row["comparator"]),
            value=row["value"],
            upper=row["upper"],
            by_level=tuple(
                LevelTarget(**{**entry, "comparator": _comparator(entry["comparator"])})
                for entry in row["by_level"]
            ),
            unit=row["unit"],
            deadline=None if row["deadline"] is None else When.parse(row["deadline"]),
            scope=row["scope"],
            baseline=baseline,
            parts=tuple(TargetPart(label=p["label"], value=p["value"]) for p in row["parts"]),
            items=tuple(row["items"]),
            indicator=row["indicator"],
            kind=row["kind"],
            qualifiers=tuple(row["qualifiers"]),
            description=row["description"],
            verification=row["verification"],
            items_listed_in=row["items_listed_in"],
            contributes_to=tuple(TargetRef(**ref) for ref in row["contributes_to"]),
        )
        # A target belongs to one objective or one task.
        assert (row["objective"] is None) != (row["task"] is None)
        out.append((row["objective"] or f"task:{row['task']}", target))
    return out


def test_targets_round_trip_with_nested_objectives() -> None:
    per_level = Target(
        id="dossiers",
        measure="hồ sơ xử lý trực tuyến",
        by_level=(("province", Decimal(100)), ("district", Decimal(80))),
        unit="percent",
        deadline=2025,
    )
    ranged = Target(
        id="services",
        measure="dịch vụ công mức 3, 4",
        comparator=Comparator.BETWEEN,
        value=Decimal("88.5"),
        upper=Decimal(90),
        unit="percent",
        baseline=Baseline(value=Decimal("61.25"), year=2020),
        scope="province",
    )
    counted = Target(
        id="staff",
        measure="cán bộ chuyên trách",
        value=Decimal(100),
        unit="people",
        parts=(TargetPart(label="CIO", value=35), TargetPart(label="specialist", value=65)),
        items=("db-1", "db-2"),
        indicator="ict.hr",
    )
    rank = Target(id="rank", measure="ICT-Index", comparator=Comparator.LE, value=10, unit="rank")
    objectives = (
        Objective(
            id="o1", targets=(per_level,), children=(Objective(id="o1.1", targets=(ranged,)),)
        ),
        Objective(id="o2", targets=(counted, rank)),
    )
    levels = Target(
        id="units",
        measure="đơn vị kết nối",
        comparator=Comparator.GE,
        by_level=(
            LevelTarget(level="province", value=100, counts="departments"),
            LevelTarget(level="district", comparator="between", value=60, upper=80),
        ),
        unit="percent",
        deadline=When(2024, quarter=3, by=True),
        baseline=Baseline(value=40, source="Báo cáo 2020"),
        qualifiers=("approximate", "strive"),
        description="mọi sở, ngành",
        verification="báo cáo năm",
        contributes_to=(TargetRef(plan="national", target="online"),),
    )
    milestone = Target(
        id="portal-live",
        measure="cổng dịch vụ công vận hành",
        kind="milestone",
        deadline=When(2023, month=6, day=30),
        items_listed_in="Phụ lục 1",
    )
    tasks = (
        Task(id="t1", title="Cổng", targets=(milestone,)),
        Task(id="t2", title="Kết nối", targets=(levels,)),
    )
    plan = make_plan((), objectives=objectives, tasks=tasks)
    table = to_arrow(plan, "targets")
    assert table.schema == arrow_schema("targets")
    assert targets_from(table) == [
        ("o1", per_level),
        ("o1.1", ranged),
        ("o2", counted),
        ("o2", rank),
        ("task:t1", milestone),
        ("task:t2", levels),
    ]
    assert table.column("deadline").to_pylist()[4:] == ["2023-06-30", "by 2024-Q3"]
    value_type = table.schema.field("value").type
    assert (value_type.precision, value_type.scale) == (MONEY_PRECISION, VALUE_SCALE)


def test_a_measure_in_several_languages_is_its_first_text_and_a_map_of_them() -> None:
    both = Target(id="t1", measure=Labels(vi="hồ sơ trực tuyến", en="online files"), value=1)
    plain = Target(id="t2", measure="hồ sơ", value=1)
    plan = make_plan((), objectives=(Objective(id="o", targets=(both, plain)),))
    table = to_arrow(plan, "targets")
    assert table.column("measure").to_pylist() == ["hồ sơ trực tuyến", "hồ sơ"]
    assert table.column("measure_labels").to_pylist() == [
        [("vi", "hồ sơ trực tuyến"), ("en", "online files")],
        None,
    ]
    assert str(table.schema.field("measure").type) == "string"
    assert [name for name, _ in targets_from(table)] == ["o", "o"]
    assert [target for _, target in targets_from(table)] == [both, plain]


def test_a_target_value_with_too_many_decimals_is_an_error() -> None:
    target = Target(id="t", measure="m", value=Decimal("1E-11"), unit="score")
    plan = make_plan((), objectives=(Objective(id="o", targets=(target,)),))
    with pytest.raises(ArrowExportError, match=r"objectives\[0\]\.targets\[0\]\.value"):
        to_arrow(plan, "targets")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(2010, 2030),
            st.integers(1, 4),
            st.integers(0, 7),
            st.none() | st.decimals(min_value=-(10**6), max_value=10**6, places=4),
            st.none() | st.integers(1, 63),
        ),
        max_size=12,
    )
)
def test_observations_round_trip(
    rows: list[tuple[int, int, int, Decimal | None, int | None]],
) -> None:
    observations = tuple(
        Observation(
            indicator=f"i{i}",
            subject="lao-cai",
            period=Period.quarters(
                Quarter(year, q), Quarter(year + extra // 4, max(q, extra % 4 + 1))
            ),
            value=value,
            score=None if value is None else abs(value),
            rank=rank,
            ranked=None if rank is None else 63,
        )
        for i, (year, q, extra, value, rank) in enumerate(rows)
    )
    plan = make_plan((), observations=observations)
    table = to_arrow(plan, "observations")
    assert table.schema == arrow_schema("observations")
    rebuilt = tuple(
        Observation(
            indicator=row["indicator"],
            subject=row["subject"],
            period=Period.quarters(
                Quarter.containing(row["period_start"]), Quarter.containing(row["period_end"])
            ),
            value=row["value"],
            score=row["score"],
            rank=row["rank"],
            ranked=row["ranked"],
        )
        for row in table.to_pylist()
    )
    assert rebuilt == observations
    assert table.column("period").to_pylist() == [str(o.period) for o in observations]


def test_observation_period_columns() -> None:
    plan = make_plan(
        (),
        observations=(
            Observation(indicator="ict", subject="lao-cai", period=Period.year(2017), rank=7),
        ),
    )
    row = to_arrow(plan, "observations").to_pylist()[0]
    assert (row["period"], row["period_start"], row["period_end"]) == (
        "2017",
        dt.date(2017, 1, 1),
        dt.date(2017, 12, 31),
    )


def test_assignments_round_trip() -> None:
    tasks = (
        Task(
            id="t1",
            title="Cổng dịch vụ công",
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="stc", role="fund"),
            ),
        ),
        Task(id="t2", title="Không phân công"),
        Task(id="t3", title="Đào tạo", assignments=(Assignment(agency="snv", role="lead"),)),
    )
    table = to_arrow(make_plan((), tasks=tasks), "assignments")
    assert table.schema == arrow_schema("assignments")
    rows = table.to_pylist()
    assert [(r["task"], r["position"], r["agency"], r["role"]) for r in rows] == [
        ("t1", 0, "stttt", "lead"),
        ("t1", 1, "stc", "fund"),
        ("t3", 0, "snv", "lead"),
    ]
    rebuilt = {
        task.id: tuple(
            Assignment(agency=r["agency"], role=r["role"]) for r in rows if r["task"] == task.id
        )
        for task in tasks
    }
    assert rebuilt == {task.id: task.assignments for task in tasks}


# -- Parquet ------------------------------------------------------------------------------


def test_write_parquet_many_plans_and_read_them_together(tmp_path: Path) -> None:
    plans = []
    for p in range(4):
        lines = tuple(
            BudgetLine(
                id=f"l{i}",
                source=SOURCE_IDS[i % 3],
                year=2021 + i % 5,
                amount=Money(10**9 * (p + 1) + i, "VND"),
            )
            for i in range(40)
        )
        plans.append(make_plan(lines, plan_id=f"tỉnh/{p}"))
    for plan in plans:
        written = write_parquet(plan, tmp_path)
        assert set(written) == set(TABLES)
        for table, path in written.items():
            assert path.parent == tmp_path / table
            assert pq.read_table(path).equals(to_arrow(plan, table))
    files = sorted((tmp_path / "budget_lines").iterdir())
    assert len(files) == 4
    assert not any(f.name.startswith(".") for f in files)  # no temporary files left
    data = pa.concat_tables([pq.read_table(f) for f in files])
    grouped = data.group_by(["source", "year"]).aggregate([("amount", "sum")])
    got = {(r["source"], r["year"]): r["amount_sum"] for r in grouped.to_pylist()}
    expected: dict[tuple[str, int], Decimal] = {}
    for plan in plans:
        cells = breakdown(plan, "source", "year")
        for row in cells.rows:
            for column in cells.columns:
                key = (str(row.key), int(str(column.key)))
                amount = cells.cell(row.key, column.key).amount
                expected[key] = expected.get(key, Decimal(0)) + amount
    assert got == expected


def test_write_parquet_replaces_a_plan_and_writes_only_asked_tables(tmp_path: Path) -> None:
    first = make_plan((BudgetLine(id="a", source="central", amount=Money(1, "VND")),))
    second = make_plan((BudgetLine(id="b", source="central", amount=Money(2, "VND")),))
    write_parquet(first, tmp_path, tables=["budget_lines"])
    path = write_parquet(second, tmp_path, tables=["budget_lines"], compression="snappy")[
        "budget_lines"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["budget_lines"]
    assert pq.read_table(path).column("id").to_pylist() == ["b"]
    dotted = write_parquet(make_plan((), plan_id=".hidden"), tmp_path, tables=["sources"])
    assert not dotted["sources"].name.startswith(".")


def test_import_does_not_load_pyarrow() -> None:
    code = "import sys, egovplan.arrow; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- flows -------------------------------------------------------------------------------


def test_flows_table_one_row_per_flow() -> None:
    flows = (
        Flow(id="f1", kind="disbursement", source="central", year=2022, amount=Money(500, "VND")),
        Flow(
            id="f2",
            kind="expenditure",
            period=Period.quarter(2023, 3),
            date=dt.date(2023, 8, 1),
            agency="stttt",
            category=BudgetCategory.RECURRENT,
            description="chi thường xuyên",
            amount=Money(-20, "VND"),
        ),
    )
    plan = make_plan((), flows=flows)
    table = to_arrow(plan, "flows")
    assert table.schema == arrow_schema("flows")
    rows = table.to_pylist()
    assert [row["id"] for row in rows] == ["f1", "f2"]
    assert (rows[0]["source"], rows[0]["amount"]) == ("central", Decimal(500))
    assert (rows[1]["period"], rows[1]["period_start"]) == ("Q3 2023", dt.date(2023, 7, 1))
    assert (rows[1]["category"], rows[1]["amount"]) == ("recurrent", Decimal(-20))
    assert (rows[1]["date"], rows[1]["currency"]) == (dt.date(2023, 8, 1), "VND")
    lone = attrs.evolve(flows[1], description=LONE)
    with pytest.raises(ArrowExportError, match=r"flows\[1\]\.description has an unpaired"):
        to_arrow(make_plan((), flows=(flows[0], lone)), "flows")

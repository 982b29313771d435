"""Funding breakdowns, pivots, reconciliation, phasing, planned vs actual and aggregation.

Hand-computed figures come from seed 003 (Quảng Nam, 2021-2025): seven sources of 200,
150, 81, 320, 20, 30 and 100 billion VND, 901 billion in total.

Golden outputs live in ``tests/golden/breakdown/`` and are compared byte for byte. After
an intended change of the output, regenerate them and review the diff::

    EGOVPLAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_breakdown.py
    git diff tests/golden/
"""

from __future__ import annotations

import datetime as dt
import json
import os
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan._grouping import sum_amounts, sum_loop
from egovplan.agency import Agency
from egovplan.allocation import AllocationError
from egovplan.breakdowns import (
    Basis,
    Breakdown,
    BreakdownError,
    BreakdownRow,
    Dimension,
    Disbursement,
    ExchangeRate,
    ExchangeRates,
    Pivot,
    breakdown,
    breakdown_command_output,
    combine,
    execution,
    phase,
    phase_source,
    phase_total,
    pivot,
    plan_html,
    plan_markdown,
    plan_tables,
    reconcile,
)
from egovplan.catalog import Catalogues
from egovplan.document import PlanMetadata
from egovplan.errors import CurrencyMismatchError, EgovplanError, UnknownReferenceError
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Objective
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.serialization import from_dict
from egovplan.tables import TableError
from egovplan.task import Task

GOLDEN = Path(__file__).parent / "golden" / "breakdown"
UPDATE = os.environ.get("EGOVPLAN_UPDATE_GOLDEN") == "1"
BILLION = 10**9


def vnd(amount: int | str) -> Money:
    return Money(amount, "VND")


def billions(n: int) -> Money:
    return vnd(n * BILLION)


# -- Quảng Nam, seed 003 -----------------------------------------------------------------

QUANG_NAM_SOURCES = (
    ("investment", "provincial_investment", "Ngân sách đầu tư tập trung",
     "Provincial concentrated investment budget", 200),
    ("su-nghiep", "recurrent", "Nguồn kinh phí sự nghiệp", "Recurrent (sự nghiệp) funds", 150),
    ("local", "local_budget", "Ngân sách địa phương (các huyện, thị xã, thành phố)",
     "Local budgets (districts, towns, cities)", 81),
    ("central", "central_support", "Ngân sách hỗ trợ từ Trung ương", "Central budget support",
     320),
    ("science", "science_project", "Nguồn hỗ trợ từ các đề tài khoa học cấp bộ, tỉnh",
     "Ministerial and provincial science projects", 20),
    ("grants", "grant", "Nguồn tài trợ, hỗ trợ", "Grants and sponsorship", 30),
    ("socialisation", "socialisation", "Nguồn xã hội hóa", "Socialisation", 100),
)  # fmt: skip


def quang_nam() -> Plan:
    sources = tuple(
        FundingSource(id=sid, kind=kind, names=Labels(vi=vi, en=en), amount=billions(n))
        for sid, kind, vi, en, n in QUANG_NAM_SOURCES
    )
    return Plan(
        id="quang-nam-2021-2025",
        metadata=PlanMetadata(
            kind="decision", title="Đề án ứng dụng CNTT và chính quyền số 2021-2025"
        ),
        period=Period.years(2021, 2025),
        funding=Funding(total=billions(901), sources=sources),
    )


def phased_quang_nam() -> Plan:
    plan = quang_nam()
    lines = phase_total(plan, [1, 2, 3, 2, 1])
    return attrs.evolve(plan, funding=attrs.evolve(plan.funding, lines=lines))


def test_quang_nam_by_source_hand_computed() -> None:
    result = breakdown(quang_nam(), "source")
    assert result.by is Dimension.SOURCE
    assert result.basis is Basis.SOURCES
    assert result.locale == "vi"  # the plan's language
    assert result.total == billions(901)
    assert [row.amount for row in result.rows] == [
        billions(n) for n in (200, 150, 81, 320, 20, 30, 100)
    ]
    # Exact shares in hundredths: 2219.76, 1664.82, 899.00, 3551.61, 221.98, 332.96,
    # 1109.88. Floors sum to 9995; the five largest remainders (.98 for 20, .96 for 30,
    # .88 for 100, .82 for 150, .76 for 200) get one more hundredth each; 320 does not
    # (.61), so it shows 35.51, not the naively rounded 35.52.
    assert [str(row.share) for row in result.rows] == [
        "22.20", "16.65", "8.99", "35.51", "2.22", "3.33", "11.10"
    ]  # fmt: skip
    assert sum(row.share for row in result.rows if row.share is not None) == 100
    assert result.row("central").label("vi") == "Ngân sách hỗ trợ từ Trung ương"
    assert result.row("central").label("en") == "Central budget support"
    assert result.amount("grants") == billions(30)
    assert result.amount("nothing") == vnd(0)


def test_quang_nam_by_kind_uses_catalogue_names() -> None:
    result = breakdown(quang_nam(), "kind")
    assert result.keys == (
        "provincial_investment", "recurrent", "local_budget", "central_support",
        "science_project", "grant", "socialisation",
    )  # fmt: skip
    assert result.row("central_support").label("vi") == "Ngân sách Trung ương hỗ trợ"
    assert result.row("recurrent").label("en") == "Recurrent (sự nghiệp) funds"
    assert result.row("central_support").share == Decimal("35.51")
    assert result.total == billions(901)


def test_kind_groups_sources_of_the_same_kind() -> None:
    # Hậu Giang style: state budget (two sources) and socialisation.
    sources = (
        FundingSource(id="a", kind="state_budget", names=Labels(vi="A"), amount=billions(3)),
        FundingSource(id="b", kind="socialisation", names=Labels(vi="B"), amount=billions(1)),
        FundingSource(id="c", kind="state_budget", names=Labels(vi="C"), amount=billions(4)),
    )
    result = breakdown(Funding(sources=sources), "kind")
    assert result.keys == ("state_budget", "socialisation")
    assert result.amount("state_budget") == billions(7)
    assert [str(r.share) for r in result.rows] == ["87.50", "12.50"]


def test_category_of_sources_with_unspecified_last() -> None:
    sources = (
        FundingSource(id="r", kind="recurrent", names=Labels(vi="R"), amount=vnd(150),
                      category=BudgetCategory.RECURRENT),
        FundingSource(id="x", kind="other", names=Labels(vi="X"), amount=vnd(50)),
        FundingSource(id="i", kind="provincial_investment", names=Labels(vi="I"), amount=vnd(200),
                      category=BudgetCategory.INVESTMENT),
    )  # fmt: skip
    result = breakdown(Funding(sources=sources), "category", locale="vi")
    assert result.keys == ("investment", "recurrent", None)
    assert [r.label("vi") for r in result.rows] == [
        "Chi đầu tư phát triển", "Chi thường xuyên", "(chưa xác định)"
    ]  # fmt: skip
    assert [str(r.share) for r in result.rows] == ["50.00", "37.50", "12.50"]
    assert result.rows[2].label("en") == "(unspecified)"


# -- a plan with budget lines ------------------------------------------------------------


def lined_plan() -> Plan:
    levels = Catalogues.default().level_set("vn-2008")
    agencies = (
        Agency(id="stttt", names=Labels(vi="Sở TT&TT", en="Dept. of Information"),
               kind="department", level="province"),
        Agency(id="huyen", names=Labels(vi="UBND huyện", en="District committee"),
               kind="people_committee", level="district"),
    )  # fmt: skip
    objectives = (
        Objective(id="o1", text="Chính quyền số", children=(Objective(id="o1.1", text="DVC"),)),
    )
    tasks = (Task(id="t1", title="Trung tâm dữ liệu"), Task(id="t2", title="Đào tạo"))
    sources = (
        FundingSource(id="central", kind="central_support", names=Labels(vi="Trung ương"),
                      amount=vnd(600), category=BudgetCategory.INVESTMENT),
        FundingSource(id="local", kind="local_budget", names=Labels(vi="Địa phương"),
                      amount=vnd(400)),
    )  # fmt: skip
    lines = (
        BudgetLine(id="l1", source="central", year=2022, agency="stttt", task="t1",
                   objective="o1.1", amount=vnd(300)),
        BudgetLine(id="l2", source="central", year=2021, agency="huyen", task="t2",
                   objective="o1", category=BudgetCategory.RECURRENT, amount=vnd(300)),
        BudgetLine(id="l3", source="local", year=2021, agency="huyen",
                   category=BudgetCategory.RECURRENT, amount=vnd(250)),
        BudgetLine(id="l4", source="local", agency="ghost", amount=vnd(100)),
    )  # fmt: skip
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P", language="vi"),
        period=Period.years(2021, 2022),
        levels=levels,
        agencies=agencies,
        objectives=objectives,
        tasks=tasks,
        funding=Funding(total=vnd(1000), sources=sources, lines=lines),
    )


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("year", [(2021, 550), (2022, 300), (None, 100)]),
        ("agency", [("stttt", 300), ("huyen", 550), ("ghost", 100)]),
        ("level", [("province", 300), ("district", 550), (None, 100)]),
        ("objective", [("o1", 300), ("o1.1", 300), (None, 350)]),
        ("task", [("t1", 300), ("t2", 300), (None, 350)]),
        ("category", [("investment", 300), ("recurrent", 550), (None, 100)]),
    ],
)
def test_line_dimensions(by: str, expected: list[tuple[object, int]]) -> None:
    # category is a source dimension: the budget lines are asked for explicitly.
    result = breakdown(lined_plan(), by, basis="lines" if by == "category" else None)
    assert result.basis is Basis.LINES
    assert [(row.key, row.amount) for row in result.rows] == [(k, vnd(a)) for k, a in expected]
    assert result.total == vnd(950)


def test_line_labels() -> None:
    plan = lined_plan()
    assert breakdown(plan, "agency").row("stttt").label("en") == "Dept. of Information"
    assert breakdown(plan, "agency").row("ghost").label("en") == "ghost"
    assert breakdown(plan, "level").row("district").label("vi") == "cấp huyện"
    assert breakdown(plan, "objective").row("o1.1").label("vi") == "DVC"
    assert breakdown(plan, "task").row("t1").label("en") == "Trung tâm dữ liệu"
    assert breakdown(plan, "year").row(2021).label("vi") == "2021"


def test_sources_by_line_basis() -> None:
    plan = lined_plan()
    assert breakdown(plan, "source").total == vnd(1000)
    assert breakdown(plan, "category").amount("investment") == vnd(600)  # the sources
    by_lines = breakdown(plan, "source", basis="lines")
    assert by_lines.basis is Basis.LINES
    assert [(r.key, r.amount) for r in by_lines.rows] == [
        ("central", vnd(600)),
        ("local", vnd(350)),
    ]
    kinds = breakdown(plan, "kind", basis=Basis.LINES)
    assert kinds.amount("local_budget") == vnd(350)


def test_bad_dimension_and_basis() -> None:
    with pytest.raises(BreakdownError, match="unknown dimension 'province'"):
        breakdown(quang_nam(), "province")
    with pytest.raises(BreakdownError, match="funding sources have no year"):
        breakdown(quang_nam(), "year", basis="sources")
    with pytest.raises(BreakdownError, match="unknown basis"):
        breakdown(quang_nam(), "source", basis="rows")
    with pytest.raises(BreakdownError, match="two different dimensions"):
        breakdown(quang_nam(), "source", "source")
    assert issubclass(BreakdownError, EgovplanError)
    assert issubclass(BreakdownError, ValueError)


def test_plan_without_lines_says_so_instead_of_a_zero_total() -> None:
    # Issue #25 item 4: the sources hold 901 billion, so a zero total would be a lie.
    plan = quang_nam()
    for by, by2 in (("year", None), ("agency", None), ("source", "year")):
        with pytest.raises(BreakdownError) as caught:
            breakdown(plan, by, by2)
        message = str(caught.value)
        assert "plan 'quang-nam-2021-2025' has 7 funding source(s) but no budget lines" in message
        assert "break it down by source" in message
        assert "phase_total" in message
    with pytest.raises(BreakdownError, match="the funding has 7 funding source"):
        breakdown(plan.funding, "source", basis="lines")
    with pytest.raises(BreakdownError, match="cannot be broken down by year"):
        execution(plan, [], "year")
    # What the sources can answer still works, and phased lines answer the rest.
    assert breakdown(plan, "source").total == vnd(901 * BILLION)
    phased = attrs.evolve(plan, funding=attrs.evolve(plan.funding, lines=phase_total(plan)))
    assert breakdown(phased, "year").total == vnd(901 * BILLION)


def test_a_plan_with_neither_sources_nor_lines_breaks_down_to_nothing() -> None:
    plan = quang_nam()
    empty = attrs.evolve(plan, funding=attrs.evolve(plan.funding, sources=(), total=vnd(1)))
    result = breakdown(empty, "year")
    assert result.rows == ()
    assert result.total == vnd(0)


def test_nothing_at_all_has_no_currency() -> None:
    with pytest.raises(BreakdownError, match="no single currency"):
        breakdown(Funding(), "source")


def test_mixed_currencies_are_refused() -> None:
    sources = (
        FundingSource(id="a", kind="grant", names=Labels(en="A"), amount=vnd(1)),
        FundingSource(id="b", kind="grant", names=Labels(en="B"), amount=Money(1, "USD")),
    )
    with pytest.raises(CurrencyMismatchError):
        breakdown(Funding(sources=sources), "source")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(("VND", "VND", "VND", "USD")), min_size=1, max_size=8))
def test_lines_in_another_currency_are_refused_wherever_they_stand(codes: list[str]) -> None:
    # Each code a str object of its own, as a parser makes them, or one object per code
    # (as a loaded plan keeps them): the check must not depend on which.
    for fresh in (True, False):
        lines = tuple(
            BudgetLine(
                id=f"l{index}",
                source="a",
                year=2021,
                amount=Money(index + 1, "".join(code) if fresh else code),
            )
            for index, code in enumerate(codes)
        )
        funding = Funding(lines=lines)
        if len(set(codes)) == 1:
            total = breakdown(funding, "year", basis="lines").total
            assert total == Money(len(codes) * (len(codes) + 1) // 2, codes[0])
        else:
            with pytest.raises(CurrencyMismatchError, match="cannot add"):
                breakdown(funding, "year", basis="lines")


# -- pivots ------------------------------------------------------------------------------


def test_pivot_source_by_year() -> None:
    plan = lined_plan()
    table = breakdown(plan, "source", "year")
    assert isinstance(table, Pivot)
    assert [h.key for h in table.rows] == ["central", "local"]
    assert [h.key for h in table.columns] == [2021, 2022, None]
    assert table.cells == ((vnd(300), vnd(300), vnd(0)), (vnd(250), vnd(0), vnd(100)))
    assert table.row_totals == (vnd(600), vnd(350))
    assert table.column_totals == (vnd(550), vnd(300), vnd(100))
    assert table.total == vnd(950)
    assert table.cell("local", None) == vnd(100)
    assert table.cell("nope", 2021) == vnd(0)
    assert table.row_breakdown().amount("central") == vnd(600)
    assert table.column_breakdown().by is Dimension.YEAR
    assert pivot(plan, "source", "year") == table


def test_pivot_text_has_totals_both_ways() -> None:
    text = breakdown(lined_plan(), "level", "category").to_text(locale="en")
    assert text.splitlines()[2].startswith("Administrative level \\ Budget category")
    assert text.splitlines()[-1].split()[-1] == "950"


def test_pivot_json_is_flattened_cells() -> None:
    data = json.loads(breakdown(lined_plan(), "source", "year").to_json(locale="en"))
    assert data["currency"] == "VND"
    assert data["total"] == "950 VND"
    assert data["rows"][0] == {
        "key": ["central", 2021],
        "label": ["Trung ương", "2021"],
        "amount": "300 VND",
        "share": "31.58",
    }
    assert sum(Decimal(r["share"]) for r in data["rows"]) == 100
    assert sum((from_dict(r["amount"], Money) for r in data["rows"]), vnd(0)) == vnd(950)


def test_pivot_records_are_long() -> None:
    records = breakdown(lined_plan(), "source", "year").to_records(locale="en")
    assert len(records) == 6
    # The same column names as every result: key, label (key2, label2), amounts.
    assert records[0] == {
        "key": "central", "label": "Trung ương", "key2": 2021, "label2": "2021",
        "amount": Decimal(300), "share": Decimal("31.58"),
    }  # fmt: skip
    assert sum(record["share"] for record in records) == 100


# -- reconciliation ----------------------------------------------------------------------


def test_reconcile_quang_nam_without_lines() -> None:
    result = reconcile(quang_nam())
    assert result.declared == result.sources == billions(901)
    assert result.lines is None
    assert result.declared_minus_sources == vnd(0)
    assert result.declared_minus_lines is None
    assert result.balanced
    assert len(result.tables()) == 1


def test_reconcile_shows_every_difference() -> None:
    result = reconcile(lined_plan())
    assert result.declared == vnd(1000)
    assert result.sources == vnd(1000)
    assert result.lines == vnd(950)
    assert result.declared_minus_lines == vnd(50)
    assert result.sources_minus_lines == vnd(50)
    assert not result.balanced
    by_source = {row.source: row for row in result.by_source}
    assert by_source["central"].difference == vnd(0)
    assert by_source["local"].difference == vnd(50)
    assert by_source["local"].line_count == 2
    data = result.to_dict(locale="en")
    assert data["declared_minus_lines"] == "50 VND"
    assert data["balanced"] is False
    assert "Chênh lệch" in result.to_text()


def test_reconcile_line_of_an_unknown_source() -> None:
    plan = quang_nam()
    lines = (BudgetLine(id="x", source="nowhere", amount=vnd(5)),)
    plan = attrs.evolve(plan, funding=attrs.evolve(plan.funding, lines=lines))
    row = next(r for r in reconcile(plan).by_source if r.source == "nowhere")
    assert row.amount is None
    assert row.difference == vnd(-5)
    assert row.label("en") == "nowhere"


def test_reconcile_declared_total_differs() -> None:
    funding = attrs.evolve(quang_nam().funding, total=billions(900))
    result = reconcile(funding)
    assert result.declared_minus_sources == billions(-1)
    assert "-1" in result.to_text(unit="billion", locale="en")


# -- phasing -----------------------------------------------------------------------------


def test_phase_source_over_the_period() -> None:
    lines = phase_source(quang_nam(), "local", [1, 1, 1, 1, 1])
    assert [line.year for line in lines] == [2021, 2022, 2023, 2024, 2025]
    assert [line.amount for line in lines] == [vnd(16_200_000_000)] * 5
    assert all(line.source == "local" for line in lines)
    assert lines[0].id == "local-2021"


def test_phase_total_sums_to_each_source_and_the_total() -> None:
    plan = phased_quang_nam()
    assert len(plan.funding.lines) == 35
    assert reconcile(plan).balanced
    by_year = breakdown(plan, "year")
    assert by_year.total == billions(901)
    assert by_year.keys == (2021, 2022, 2023, 2024, 2025)


def test_phase_errors() -> None:
    with pytest.raises(BreakdownError, match="3 weights for 2 years"):
        phase(vnd(10), [2021, 2022], [1, 2, 3], source="s")
    with pytest.raises(BreakdownError, match="years repeat"):
        phase(vnd(10), [2021, 2021], source="s")
    with pytest.raises(BreakdownError, match="no years"):
        phase(vnd(10), [], source="s")
    with pytest.raises(AllocationError):
        phase(vnd("10.5"), [2021], source="s")
    with pytest.raises(BreakdownError, match="pass years="):
        phase_source(quang_nam().funding, "central")
    with pytest.raises(UnknownReferenceError):
        phase_source(quang_nam(), "nope")


def test_phase_keeps_attributes() -> None:
    lines = phase(vnd(7), [2030], source="s", id_prefix="x", agency="a", task="t",
                  objective="o", category=BudgetCategory.INVESTMENT)  # fmt: skip
    assert lines == (
        BudgetLine(id="x-2030", source="s", year=2030, agency="a", task="t", objective="o",
                   category=BudgetCategory.INVESTMENT, amount=vnd(7)),
    )  # fmt: skip


# -- planned vs actual -------------------------------------------------------------------


def test_execution_by_source() -> None:
    actuals = [
        Disbursement(source="central", year=2021, amount=billions(30)),
        Disbursement(source="central", year=2022, amount=billions(50)),
        Disbursement(source="grants", year=2022, amount=billions(45)),
    ]
    result = execution(quang_nam(), actuals, "source")
    central = result.row("central")
    assert central.actual == billions(80)
    assert central.remaining == billions(240)
    assert central.rate == Decimal("25.00")
    assert result.row("grants").remaining == billions(-15)  # overspent
    assert result.row("grants").rate == Decimal("150.00")
    assert result.actual == billions(125)
    assert result.rate == Decimal("13.87")  # 125 / 901 = 13.8735...%


def test_execution_by_year_on_lines() -> None:
    actuals = [
        Disbursement(source="central", year=2021, amount=billions(100)),
        Disbursement(source="local", year=2026, amount=billions(1)),
    ]
    result = execution(phased_quang_nam(), actuals, "year")
    assert result.basis is Basis.LINES
    assert [r.key for r in result.rows] == [
        2021, 2022, 2023, 2024, 2025, 2026
    ]  # fmt: skip
    assert result.row(2021).planned == vnd(100_111_111_111)
    assert result.row(2026).planned == vnd(0)
    assert result.row(2026).rate is None
    data = json.loads(result.to_json())
    assert data["rows"][-1]["rate"] is None
    assert data["actual"] == f"{101 * BILLION} VND"


def test_execution_by_level_and_kind() -> None:
    actuals = [Disbursement(source="local", agency="huyen", amount=vnd(50))]
    plan = lined_plan()
    assert execution(plan, actuals, "level").row("district").actual == vnd(50)
    assert execution(plan, actuals, "kind").row("local_budget").rate == Decimal("12.50")
    with pytest.raises(TypeError, match="Disbursement"):
        execution(plan, [vnd(5)], "source")  # type: ignore[list-item]
    with pytest.raises(BreakdownError, match="no row 'x'"):
        execution(plan, actuals).row("x")


# -- aggregation across plans ------------------------------------------------------------


def test_combine_same_currency() -> None:
    a = breakdown(quang_nam(), "kind")
    b = breakdown(lined_plan(), "kind")
    both = combine([a, b])
    assert both.total == a.total + b.total
    assert both.amount("central_support") == billions(320) + vnd(600)
    assert both.conversions == ()
    assert sum(r.share for r in both.rows if r.share is not None) == 100


def test_combine_refuses_other_currencies_without_rates() -> None:
    usd = Funding(sources=(FundingSource(id="g", kind="grant", names=Labels(en="Grant"),
                                         amount=Money("1000.00", "USD")),))  # fmt: skip
    with pytest.raises(CurrencyMismatchError, match="without exchange rates"):
        combine([breakdown(quang_nam(), "kind"), breakdown(usd, "kind")])


def test_combine_with_rates_records_them() -> None:
    usd = Funding(sources=(FundingSource(id="g", kind="grant", names=Labels(en="Grant"),
                                         amount=Money("1000.50", "USD")),))  # fmt: skip
    rate = ExchangeRate(base="USD", quote="VND", rate="25000", date=dt.date(2025, 1, 2),
                        source="SBV")  # fmt: skip
    old = ExchangeRate(base="USD", quote="VND", rate="23000", date=dt.date(2020, 1, 2))
    both = combine(
        [breakdown(quang_nam(), "kind"), breakdown(usd, "kind")],
        rates=ExchangeRates(rates=(old, rate)),
    )
    assert both.currency == "VND"
    assert both.amount("grant") == billions(30) + vnd(25_012_500)
    assert both.conversions == (rate,)
    text = both.to_text(locale="vi")
    assert "Tỷ giá: 1 USD = 25.000 VND (ngày 02/01/2025, SBV)" in text
    assert json.loads(both.to_json())["conversions"][0]["date"] == "2025-01-02"
    in_usd = combine(
        [breakdown(usd, "kind"), breakdown(quang_nam(), "kind")],
        rates=ExchangeRates(rates=(old, rate)),
        on=dt.date(2021, 1, 1),
    )
    assert in_usd.currency == "USD"
    assert in_usd.conversions == (old,)
    assert in_usd.amount("central_support") == Money("13913043.48", "USD")


def test_combine_errors() -> None:
    with pytest.raises(BreakdownError, match="no breakdowns"):
        combine([])
    with pytest.raises(BreakdownError, match="by kind"):
        combine([breakdown(quang_nam(), "source"), breakdown(quang_nam(), "kind")])
    eur = Funding(sources=(FundingSource(id="g", kind="grant", names=Labels(en="G"),
                                         amount=Money(1, "EUR")),))  # fmt: skip
    rates = ExchangeRates(
        rates=(ExchangeRate(base="USD", quote="VND", rate=1, date=dt.date(2025, 1, 1)),)
    )
    with pytest.raises(CurrencyMismatchError, match="no exchange rate between EUR and VND"):
        combine([breakdown(quang_nam(), "kind"), breakdown(eur, "kind")], rates=rates)


def test_combine_pivots_cell_by_cell() -> None:
    # Issue #25 item 5: combine takes pivots too, and gives a pivot.
    a = breakdown(lined_plan(), "source", "year")
    b = breakdown(phased_quang_nam(), "source", "year")
    both = combine([a, b])
    assert isinstance(both, Pivot)
    assert (both.by, both.by2) == (Dimension.SOURCE, Dimension.YEAR)
    assert both.total == a.total + b.total
    assert both.cell("central", 2021) == a.cell("central", 2021) + b.cell("central", 2021)
    assert both.cell("local", None) == vnd(100)
    assert [h.key for h in both.columns] == [2021, 2022, 2023, 2024, 2025, None]
    assert [h.key for h in both.rows][:2] == ["central", "local"]  # first seen, in order
    assert both.row_breakdown().total == both.total
    usd = attrs.evolve(
        a,
        currency="USD",
        cells=tuple(tuple(Money(c.amount, "USD") for c in row) for row in a.cells),
    )
    rate = ExchangeRate(base="USD", quote="VND", rate="25000", date=dt.date(2025, 1, 2))
    converted = combine([a, usd], rates=ExchangeRates(rates=(rate,)))
    assert converted.cell("central", 2021) == vnd(300) + vnd(300 * 25000)
    assert converted.conversions == (rate,)
    assert "1 USD = 25,000 VND" in converted.to_text(locale="en")
    assert json.loads(converted.to_json())["conversions"][0]["rate"] == "25000"
    assert "conversions" not in json.loads(both.to_json())
    with pytest.raises(TypeError, match=r"breakdowns\[1\] is Breakdown, not Pivot"):
        combine([a, breakdown(lined_plan(), "source")])  # type: ignore[list-item]
    with pytest.raises(BreakdownError, match="by year × source"):
        combine([a, breakdown(lined_plan(), "year", "source")])


def test_execution_by_two_dimensions() -> None:
    # Issue #25 item 5: execution takes two dimensions as pivot does.
    actuals = [
        Disbursement(source="central", year=2021, amount=vnd(100)),
        Disbursement(source="local", year=2023, amount=vnd(7)),
    ]
    plan = lined_plan()
    result = execution(plan, actuals, "source", "year")
    assert result.by2 is Dimension.YEAR
    assert [(r.key, r.key2) for r in result.rows] == [
        ("central", 2021), ("central", 2022), ("local", 2021), ("local", 2023), ("local", None)
    ]  # fmt: skip
    assert result.row("central", 2021).rate == Decimal("33.33")
    assert result.row("local", 2023).planned == vnd(0)
    assert result.planned == breakdown(plan, "source", "year").total
    assert result.actual == vnd(107)
    text = result.to_text(locale="en")
    assert text.startswith("Planned vs actual by source and year\n")
    row = ["Trung", "ương", "2021", "300", "100", "33.33", "200"]
    assert row in [line.split() for line in text.splitlines()]
    data = json.loads(result.to_json(locale="en"))
    assert data["rows"][0]["key"] == ["central", 2021]
    assert data["rows"][0]["label"] == ["Trung ương", "2021"]
    frame = result.to_pandas(locale="en")
    assert list(frame.columns) == [
        "key", "label", "key2", "label2", "planned", "actual", "rate", "remaining"
    ]  # fmt: skip
    assert str(frame["key2"].dtype) == "Int64"
    assert frame["actual"].sum() == 107
    with pytest.raises(BreakdownError, match=r"no row \('central', 2030\)"):
        result.row("central", 2030)
    with pytest.raises(BreakdownError, match="not year twice"):
        execution(plan, actuals, "year", "year")
    with pytest.raises(BreakdownError, match="but no budget lines"):
        execution(quang_nam(), actuals, "source", "year")


def test_exchange_rate_fields_are_checked() -> None:
    with pytest.raises(ValueError, match=r"ExchangeRate\.rate must be positive"):
        ExchangeRate(base="USD", quote="VND", rate=0, date=dt.date(2025, 1, 1))
    with pytest.raises(TypeError, match="floats are never accepted"):
        ExchangeRate(base="USD", quote="VND", rate=2.5, date=dt.date(2025, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ExchangeRate\.base"):
        ExchangeRate(base="XXX1", quote="VND", rate=1, date=dt.date(2025, 1, 1))
    rate = ExchangeRate(base="USD", quote="VND", rate=1, date=dt.date(2025, 1, 1))
    with pytest.raises(CurrencyMismatchError):
        rate.convert(Money(1, "EUR"))


# -- the command line function and exports -----------------------------------------------


def test_command_output_json_shape() -> None:
    out = breakdown_command_output(quang_nam(), "source", fmt="json", locale="en")
    data = json.loads(out)
    assert set(data) == {"currency", "total", "rows"}
    assert data["currency"] == "VND"
    assert data["total"] == "901000000000 VND"
    assert data["rows"][3] == {
        "key": "central",
        "label": "Central budget support",
        "amount": "320000000000 VND",
        "share": "35.51",
    }
    assert all(set(row) == {"key", "label", "amount", "share"} for row in data["rows"])


def test_command_output_speaks_the_plans_language_by_default() -> None:
    plan = quang_nam()
    english = attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, language="en"))
    text = breakdown_command_output(english, "source")
    assert text == breakdown_command_output(english, "source", locale="en")
    assert text != breakdown_command_output(english, "source", locale="vi")


def test_command_output_formats_and_errors() -> None:
    plan = quang_nam()
    text = breakdown_command_output(plan, "source", unit="billion")
    assert text == breakdown(plan, "source").to_text(locale="vi", unit="billion")
    assert "Đơn vị: tỷ đồng" in text
    csv_out = breakdown_command_output(plan, "kind", fmt="csv", locale="en", unit="million")
    assert csv_out.splitlines()[0] == "Source kind,Amount (million VND),Share (%)"
    with pytest.raises(TableError, match="unknown format"):
        breakdown_command_output(plan, "source", fmt="xlsx")
    with pytest.raises(TableError, match="unknown unit"):
        breakdown_command_output(plan, "source", unit="lakh")


def test_breakdown_records_and_pandas() -> None:
    result = breakdown(quang_nam(), "source")
    records = result.to_records(locale="en")
    assert records[0] == {
        "key": "investment",
        "label": "Provincial concentrated investment budget",
        "amount": Decimal(200 * BILLION),
        "share": Decimal("22.20"),
    }
    frame = result.to_pandas(amounts="minor_units")
    assert int(frame["amount"].sum()) == 901 * BILLION
    frame = result.to_pandas()
    assert sum(frame["amount"]) == Decimal(901 * BILLION)


def test_every_result_names_its_pandas_columns_alike() -> None:
    plan = lined_plan()
    spent = [Disbursement(source="central", year=2021, amount=vnd(150))]
    frames = {
        "breakdown": breakdown(plan, "year").to_pandas(locale="en"),
        "pivot": breakdown(plan, "source", "year").to_pandas(locale="en"),
        "execution": execution(plan, spent, "source").to_pandas(locale="en"),
        "reconciliation": reconcile(plan).to_pandas(locale="en"),
    }
    assert {name: list(frame.columns) for name, frame in frames.items()} == {
        "breakdown": ["key", "label", "amount", "share"],
        "pivot": ["key", "label", "key2", "label2", "amount", "share"],
        "execution": ["key", "label", "planned", "actual", "rate", "remaining"],
        "reconciliation": ["key", "label", "amount", "lines", "difference"],
    }
    by_year = frames["breakdown"]
    assert str(by_year["key"].dtype) == "Int64"  # years, with the unspecified one as <NA>
    assert by_year["key"].tolist()[:2] == [2021, 2022]
    assert by_year["key"].isna().tolist() == [False, False, True]
    assert str(by_year["amount"].dtype) == "int64"
    assert str(by_year["share"].dtype) == "decimal128(38, 2)[pyarrow]"
    assert by_year["amount"].sum() == 950
    assert by_year["share"].sum() == 100
    assert str(frames["pivot"]["key2"].dtype) == "Int64"
    assert frames["reconciliation"]["key"].tolist() == ["central", "local"]
    summary = reconcile(quang_nam()).to_pandas(locale="en")
    assert summary["key"].tolist() == ["declared", "sources", "lines"]
    assert summary["amount"].tolist()[:2] == [901 * BILLION, 901 * BILLION]


def test_pivot_wide_keeps_the_plans_order() -> None:
    table = breakdown(lined_plan(), "year", "source")
    wide = table.to_pandas(locale="vi", wide=True)
    assert wide.index.name == "year"
    assert wide.columns.name == "source"
    assert list(wide.index) == [2021, 2022, "(chưa xác định)"]
    assert list(wide.columns) == ["Trung ương", "Địa phương"]  # the plan's order, not sorted
    assert wide.loc[2021, "Trung ương"] == 300
    assert wide.loc[2021, "Địa phương"] == 250
    assert wide.to_numpy().sum() == 950
    exact = table.to_pandas(amounts="decimal", wide=True)
    assert str(exact["Trung ương"].dtype) == "decimal128(38, 0)[pyarrow]"
    # Two headings with one label keep apart by their keys.
    twins = attrs.evolve(
        table, columns=tuple(attrs.evolve(h, labels=Labels(vi="Nguồn")) for h in table.columns)
    )
    assert list(twins.to_pandas(wide=True).columns) == ["Nguồn [central]", "Nguồn [local]"]


def test_jupyter_reprs() -> None:
    result = breakdown(quang_nam(), "source")
    assert result._repr_html_().startswith('<table class="egovplan-table">')
    assert "| Ngân sách hỗ trợ từ Trung ương |" in result._repr_markdown_()
    assert str(result) == result.to_text()


def test_plan_summary_for_notebooks() -> None:
    tables = plan_tables(phased_quang_nam(), unit="billion")
    assert len(tables) == 2
    facts = dict(tables[0].rows)
    assert facts["Tổng kinh phí"] == "901 tỷ đồng"
    assert facts["Giai đoạn"] == "2021-2025"
    assert facts["Số dòng kinh phí"] == "35"
    assert tables[1].totals is not None
    assert tables[1].totals[1] == billions(901)
    english = plan_tables(lined_plan(), locale="en")
    assert dict(english[0].rows)["Objectives"] == "2"
    assert "<caption><strong>Plan summary</strong>" in plan_html(quang_nam(), locale="en")
    assert "| Tổng kinh phí | 901.000.000.000 đồng |" in plan_markdown(quang_nam())
    bare = attrs.evolve(quang_nam(), funding=Funding())
    assert len(plan_tables(bare)) == 1


def test_breakdown_needs_a_plan_or_funding() -> None:
    with pytest.raises(TypeError, match="expected a Plan or a Funding, not dict"):
        breakdown({}, "source")  # type: ignore[call-overload]


def test_breakdown_checks_its_rows() -> None:
    with pytest.raises(BreakdownError, match="rows sum to 1 VND"):
        Breakdown(by="source", basis="sources", currency="VND",
                  rows=(BreakdownRow(key="a", amount=vnd(1)),), total=vnd(2))  # fmt: skip
    row = BreakdownRow(key="a", amount=Money(1, "USD"))
    with pytest.raises(CurrencyMismatchError):
        Breakdown(by="source", basis="sources", currency="VND", rows=(row,), total=vnd(1))
    with pytest.raises(TableError, match="unknown unit"):
        Breakdown(by="source", basis="sources", currency="VND", rows=(), total=vnd(0),
                  unit="lakh")  # fmt: skip
    with pytest.raises(BreakdownError, match="no row"):
        breakdown(quang_nam(), "source").row("x")


# -- properties --------------------------------------------------------------------------

KINDS = ("central_support", "grant", "socialisation")
AGENCIES = ("stttt", "huyen", "ghost", None)


@st.composite
def funded_plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(min_value=1, max_value=4))
    sources = tuple(
        FundingSource(
            id=f"s{i}",
            kind=draw(st.sampled_from(KINDS)),
            names=Labels(en=f"Source {i}"),
            amount=vnd(draw(st.integers(min_value=0, max_value=10**13))),
            category=draw(st.sampled_from([None, *BudgetCategory])),
        )
        for i in range(count)
    )
    lines = tuple(
        BudgetLine(
            id=f"l{j}",
            source=f"s{draw(st.integers(min_value=0, max_value=count))}",  # may be unknown
            year=draw(st.sampled_from([None, 2021, 2022, 2023])),
            agency=draw(st.sampled_from(AGENCIES)),
            task=draw(st.sampled_from([None, "t1", "t2"])),
            objective=draw(st.sampled_from([None, "o1", "o1.1"])),
            category=draw(st.sampled_from([None, *BudgetCategory])),
            amount=vnd(draw(st.integers(min_value=0, max_value=10**12))),
        )
        for j in range(draw(st.integers(min_value=0, max_value=8)))
    )
    base = lined_plan()
    return attrs.evolve(base, funding=Funding(sources=sources, lines=lines))


def refused_for_want_of_lines(plan: Plan, *dimensions: Dimension) -> bool:
    """Whether a breakdown needs budget lines the plan lacks; if so, it must say so."""
    needs_lines = any(
        d not in (Dimension.SOURCE, Dimension.KIND, Dimension.CATEGORY) for d in dimensions
    )
    if not (needs_lines and plan.funding.sources and not plan.funding.lines):
        return False
    with pytest.raises(BreakdownError, match="but no budget lines"):
        breakdown(plan, *dimensions)  # type: ignore[call-overload]
    return True


@settings(max_examples=40, deadline=None)
@given(funded_plans(), st.sampled_from(list(Dimension)))
def test_every_breakdown_sums_to_its_total(plan: Plan, by: Dimension) -> None:
    if refused_for_want_of_lines(plan, by):
        return
    result = breakdown(plan, by)
    expected = plan.funding.sources if result.basis is Basis.SOURCES else plan.funding.lines
    assert result.total == sum((item.amount for item in expected), vnd(0))
    assert sum((row.amount for row in result.rows), vnd(0)) == result.total
    assert len(set(result.keys)) == len(result.keys)
    if result.total.amount > 0:
        assert sum(row.share for row in result.rows if row.share is not None) == 100
    else:
        assert all(row.share is None for row in result.rows)
    data = json.loads(result.to_json())
    # Money in JSON is written as in plan files, and reads back exactly.
    amounts = [from_dict(row["amount"], Money) for row in data["rows"]]
    assert amounts == [row.amount for row in result.rows]
    assert sum(amounts, Money.zero(result.currency)) == from_dict(data["total"], Money)


def _undated(line: BudgetLine) -> bool:
    return line.year is None


@settings(max_examples=60, deadline=None)
@given(
    funded_plans(),
    st.lists(
        st.sampled_from(("source", "year", "agency", "objective", "task", _undated)),
        min_size=1,
        max_size=3,
    ),
)
def test_the_generated_summing_loop_sums_as_a_plain_loop(plan: Plan, keys: list[Any]) -> None:
    lines = plan.funding.lines
    expected: dict[Any, Decimal] = {}
    for line in lines:
        parts = tuple(getattr(line, k) if isinstance(k, str) else k(line) for k in keys)
        key = parts[0] if len(parts) == 1 else parts
        expected[key] = expected.get(key, Decimal(0)) + line.amount.amount
    got = sum_amounts(lines, keys, "VND")
    assert got == expected
    assert list(got) == list(expected)  # keys in the order of the lines


def test_a_traceback_through_the_generated_loop_shows_its_lines() -> None:
    lines = (
        BudgetLine(id="l1", source="s", amount=Money(1, "VND")),
        BudgetLine(id="l2", source="s", amount=Money(1, "USD")),
    )
    with pytest.raises(CurrencyMismatchError) as caught:
        sum_amounts(lines, ["source", _undated], "VND")
    frames = traceback.extract_tb(caught.value.__traceback__)
    [frame] = [frame for frame in frames if frame.name == "sum_by"]
    assert frame.filename == "<egovplan generated breakdown loop by source, <function>>"
    assert frame.line == "raise mismatch(currency, amount.currency)"


@pytest.mark.parametrize(
    "name", ["", "amount", "category", "a b", "x.y", "class", "__import__('os')", "a)\n"]
)
def test_the_summing_loop_writes_only_the_key_attributes_into_its_code(name: str) -> None:
    with pytest.raises(BreakdownError, match="not an attribute breakdowns read"):
        sum_loop((name,))
    with pytest.raises(BreakdownError, match="not an attribute breakdowns read"):
        sum_loop(("source", name))


@settings(max_examples=40, deadline=None)
@given(
    funded_plans(),
    st.sampled_from(list(Dimension)),
    st.sampled_from(list(Dimension)),
)
def test_pivot_totals_agree(plan: Plan, by: Dimension, by2: Dimension) -> None:
    if by is by2 or refused_for_want_of_lines(plan, by, by2):
        return
    table = breakdown(plan, by, by2)
    assert sum(table.row_totals, vnd(0)) == table.total
    assert sum(table.column_totals, vnd(0)) == table.total
    rows = breakdown(plan, by, basis=table.basis)
    columns = breakdown(plan, by2, basis=table.basis)
    assert [h.key for h in table.rows] == list(rows.keys)
    assert [h.key for h in table.columns] == list(columns.keys)
    assert list(table.row_totals) == [row.amount for row in rows.rows]
    assert list(table.column_totals) == [row.amount for row in columns.rows]


@settings(max_examples=60)
@given(
    st.integers(min_value=0, max_value=10**15),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(any),
)
def test_phasing_sums_to_the_amount(units: int, weights: list[int]) -> None:
    years = list(range(2021, 2021 + len(weights)))
    lines = phase(vnd(units), years, weights, source="s")
    assert sum((line.amount for line in lines), vnd(0)) == vnd(units)
    assert [line.year for line in lines] == years
    total_weight = sum(weights)
    for line, weight in zip(lines, weights, strict=True):
        exact = Decimal(units) * weight / total_weight
        assert abs(line.amount.amount - exact) < 1


@settings(max_examples=25, deadline=None)
@given(funded_plans(), st.sampled_from(list(Dimension)))
def test_pandas_columns_sum_exactly_to_the_total(plan: Plan, by: Dimension) -> None:
    if refused_for_want_of_lines(plan, by):
        return
    result = breakdown(plan, by)
    frame = result.to_pandas()
    assert list(frame.columns) == ["key", "label", "amount", "share"]
    assert str(frame["amount"].dtype) == "int64"
    assert int(frame["amount"].sum()) == result.total.amount
    exact = result.to_pandas(amounts="decimal")
    assert sum(exact["amount"].tolist(), Decimal(0)) == result.total.amount
    assert frame["key"].isna().tolist() == [k is None for k in result.keys]
    assert frame["key"].dropna().tolist() == [k for k in result.keys if k is not None]


@settings(max_examples=30, deadline=None)
@given(st.lists(funded_plans(), min_size=1, max_size=3), st.sampled_from(list(Dimension)))
def test_combine_adds_totals(plans: list[Plan], by: Dimension) -> None:
    if any(refused_for_want_of_lines(plan, by) for plan in plans):
        return
    parts = [breakdown(plan, by) for plan in plans]
    both = combine(parts)
    assert both.total == sum((p.total for p in parts), vnd(0))
    for key in both.keys:
        assert both.amount(key) == sum((p.amount(key) for p in parts), vnd(0))


@settings(max_examples=30, deadline=None)
@given(funded_plans(), st.lists(st.integers(min_value=0, max_value=10**12), max_size=5))
def test_execution_remaining_is_planned_minus_actual(plan: Plan, spent: list[int]) -> None:
    actuals = [
        Disbursement(source=f"s{i % len(plan.funding.sources)}", year=2021, amount=vnd(a))
        for i, a in enumerate(spent)
    ]
    result = execution(plan, actuals, "source")
    assert result.actual == vnd(sum(spent))
    assert result.remaining == result.planned - result.actual
    for row in result.rows:
        assert row.remaining == row.planned - row.actual


# -- golden outputs ----------------------------------------------------------------------

FORMATS = {"text": "txt", "markdown": "md", "html": "html", "csv": "csv", "json": "json"}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.exists(), f"missing golden file {path}; run with EGOVPLAN_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_golden_quang_nam_by_source(fmt: str, locale: str) -> None:
    out = breakdown_command_output(quang_nam(), "source", fmt=fmt, locale=locale, unit="billion")
    check_golden(f"quang-nam-source.{locale}.{FORMATS[fmt]}", out)


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_golden_quang_nam_kind_by_year(fmt: str, locale: str) -> None:
    out = breakdown_command_output(
        phased_quang_nam(), "kind", "year", fmt=fmt, locale=locale, unit="million"
    )
    check_golden(f"quang-nam-kind-year.{locale}.{FORMATS[fmt]}", out)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_golden_reconciliation_and_execution(locale: str) -> None:
    plan = lined_plan()
    check_golden(f"reconciliation.{locale}.txt", reconcile(plan).to_text(locale=locale))
    actuals = [
        Disbursement(source="central", year=2021, agency="huyen", amount=vnd(150)),
        Disbursement(source="local", year=2023, agency="stttt", amount=vnd(20)),
    ]
    out = execution(plan, actuals, "agency").to_markdown(locale=locale)
    check_golden(f"execution-agency.{locale}.md", out)

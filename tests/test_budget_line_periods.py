"""Budget lines with a period (a range of years, a quarter) and a status (original or
revised): they load from files, a revised line may be negative, breakdowns by year place a
line whose period lies in one year under that year (format 2)."""

from __future__ import annotations

import pytest

from egovplan import dumps, loads
from egovplan.funding import BudgetLineStatus
from egovplan.money import Money
from egovplan.period import Period

PLAN = """\
format_version: 3
id: revised
metadata: {kind: plan, title: Revised}
period: 2021-2025
funding:
  sources:
  - {id: central, kind: central_support, names: {vi: Ngân sách Trung ương}, amount: 1000 VND}
  lines:
  - {id: l1, source: central, year: 2021, status: original, amount: 600 VND}
  - {id: l2, source: central, year: 2021, period: Q3 2021, status: revised, amount: -100 VND}
  - {id: l3, source: central, period: Q1 2022, amount: 200 VND}
  - {id: l4, source: central, period: 2023-2024, amount: 50 VND}
"""


def test_period_and_status_load_and_round_trip() -> None:
    plan = loads(PLAN, "yaml")
    lines = plan.funding.lines
    assert lines[0].status is BudgetLineStatus.ORIGINAL
    assert lines[1].status is BudgetLineStatus.REVISED
    assert lines[1].period == Period.quarter(2021, 3)
    assert lines[3].period == Period.years(2023, 2024)
    assert [line.budget_year for line in lines] == [2021, 2021, 2022, None]
    for format in ("yaml", "json", "toml"):
        assert loads(dumps(plan, format), format) == plan


def test_a_revised_negative_line_is_no_false_alarm() -> None:
    assert [(i.code, i.path) for i in loads(PLAN, "yaml").validate().issues] == []
    original = PLAN.replace("status: revised", "status: original")
    assert [(i.code, i.path) for i in loads(original, "yaml").validate().issues] == [
        ("EGP206", "funding.lines[1].amount")
    ]


@pytest.mark.parametrize(("period", "within"), [("Q3 2022", "2021"), ("2020-2021", "2021")])
def test_a_period_outside_its_year_is_reported_from_the_file(period: str, within: str) -> None:
    text = PLAN.replace("period: Q3 2021", f"period: {period}")
    issues = loads(text, "yaml").validate(locale="en").issues
    assert [(i.code, i.path) for i in issues] == [("EGP211", "funding.lines[1].period")]
    assert f"is not inside {within}" in issues[0].message


def test_a_period_outside_the_plan_is_reported() -> None:
    text = PLAN.replace("period: 2023-2024", "period: 2025-2026")
    issues = loads(text, "yaml").validate().issues
    assert [(i.code, i.path) for i in issues] == [("EGP211", "funding.lines[3].period")]


def test_breakdown_by_year_places_a_line_inside_one_year() -> None:
    plan = loads(PLAN, "yaml")
    by_year = plan.breakdown("year")
    assert by_year.keys == (2021, 2022, None)
    assert by_year.amount(2021) == Money(500, "VND")
    assert by_year.amount(2022) == Money(200, "VND")
    assert by_year.amount(None) == Money(50, "VND")


def test_arrow_budget_lines_carry_period_and_status() -> None:
    from egovplan.arrow import to_arrow

    table = to_arrow(loads(PLAN, "yaml"), "budget_lines")
    assert table.column("period").to_pylist() == [None, "Q3 2021", "Q1 2022", "2023-2024"]
    assert table.column("status").to_pylist() == ["original", "revised", None, None]

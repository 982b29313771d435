"""One JSON shape for money: plan files, validation reports, breakdowns and tables."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.breakdowns import breakdown
from egovplan.files import load
from egovplan.money import Money
from egovplan.serialization import from_dict, to_dict
from egovplan.tables import Column, Table
from egovplan.validation import Issue, Report


def test_plan_files_reports_breakdowns_and_tables_write_money_alike() -> None:
    plan = load("examples/quang-nam-2021-2025.yaml")
    total = plan.funding.total
    assert total is not None
    shape = "901000000000 VND"
    assert to_dict(plan)["funding"]["total"] == shape
    report = Report(
        issues=[Issue(code="X1", severity="info", path="", message="m", values={"total": total})]
    )
    assert json.loads(json.dumps(report.to_dict()))["issues"][0]["values"]["total"] == shape
    assert json.loads(breakdown(plan, "source").to_json())["total"] == shape
    assert json.loads(breakdown(plan, "source", "kind").to_json())["total"] == shape
    table = Table(columns=(Column(key="m", label="m", kind="money"),), rows=((total,),))
    assert json.loads(table.to_json())["rows"][0]["m"] == shape
    assert from_dict(shape, Money) == total


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**20),
    st.sampled_from(["VND", "USD", "EUR"]),
    st.integers(-3, 3),
)
def test_every_writer_gives_the_same_text_and_it_reads_back(
    amount: Decimal, currency: str, exponent: int
) -> None:
    money = Money(amount.scaleb(exponent), currency)  # exponents such as 1E+3 too
    text = to_dict(money)
    assert "E" not in text.split()[0]
    assert (
        Issue(code="X1", severity="info", path="", message="m", values={"m": money}).to_dict()[
            "values"
        ]["m"]
        == text
    )
    table = Table(columns=(Column(key="m", label="m", kind="money"),), rows=((money,),))
    assert table.to_dict()["rows"][0]["m"] == text
    assert from_dict(text, Money) == money

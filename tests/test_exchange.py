"""Amounts in several currencies, combined through the exchange rates a plan file records.

A budget line (a source, a rule's figure) may be in a currency of its own; the funding
records the rates it converts by (``funding.exchange_rates``). Sums, breakdowns, shares,
reconciliation and validation convert through them, exactly, each amount rounded to the
minor unit of the currency it is converted to; a currency without a rate is a finding
(EGP208) and an error from a breakdown, never a silent mix.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import egovplan
from egovplan import breakdowns
from egovplan.cli import main, render_plan
from egovplan.errors import CurrencyMismatchError
from egovplan.exchange import ExchangeRate, ExchangeRates, in_one_currency
from egovplan.files import dumps, loads
from egovplan.funding import BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.plan import Plan

SETTINGS = settings(max_examples=60, deadline=None)
DAY = dt.date(2021, 1, 4)

PLAN = """\
format_version: 3
id: p
metadata: {kind: plan, title: P}
period: 2021-2025
funding:
  total: 1500000000 VND
  sources:
  - {id: prov, names: {vi: Ngân sách tỉnh}, amount: 1000000000 VND}
  - {id: oda, names: {en: ODA grant}, amount: "20000.00 USD"}
  lines:
  - {id: p-2021, source: prov, year: 2021, amount: 600000000 VND}
  - {id: p-2022, source: prov, year: 2022, amount: 400000000 VND}
  - {id: o-2021, source: oda, year: 2021, amount: "12000.00 USD"}
  - {id: o-2022, source: oda, year: 2022, amount: "8000.00 USD"}
  exchange_rates:
  - {base: USD, quote: VND, rate: 25000, date: 2021-01-04, source: Ngân hàng Nhà nước}
"""


def usd(rate: str | int, day: dt.date = DAY) -> ExchangeRate:
    return ExchangeRate(base="USD", quote="VND", rate=Decimal(rate), date=day)


@pytest.fixture
def plan() -> Plan:
    return loads(PLAN, "yaml")


def test_the_model_moved_and_is_still_where_it_was() -> None:
    assert breakdowns.ExchangeRate is ExchangeRate is egovplan.ExchangeRate
    assert breakdowns.ExchangeRates is ExchangeRates is egovplan.ExchangeRates
    assert ExchangeRate.__module__ == "egovplan.exchange"


def test_a_plan_in_two_currencies_adds_up_through_its_recorded_rate(plan: Plan) -> None:
    funding = plan.funding
    assert funding.currency == "VND"
    assert funding.currencies == {"VND", "USD"}
    assert funding.sources_total == Money(1_500_000_000, "VND")
    by_source = plan.breakdown("source")
    assert [str(row.amount) for row in by_source.rows] == ["1000000000 VND", "500000000 VND"]
    assert by_source.total == Money(1_500_000_000, "VND")
    assert by_source.conversions == (attrs.evolve(usd(25000), source="Ngân hàng Nhà nước"),)
    by_year = plan.breakdown("year")
    assert [(row.key, str(row.amount)) for row in by_year.rows] == [
        (2021, "900000000 VND"),
        (2022, "600000000 VND"),
    ]
    assert sum(row.share for row in by_year.rows if row.share is not None) == 100
    text = by_year.to_text(locale="en")
    assert "Exchange rate: 1 USD = 25,000 VND (on 2021-01-04, Ngân hàng Nhà nước)" in text
    pivot = plan.breakdown("source", "year")
    assert pivot.total == Money(1_500_000_000, "VND")
    assert pivot.conversions
    reconciled = breakdowns.reconcile(plan)
    assert reconciled.balanced
    assert [str(r.amount) for r in reconciled.by_source] == ["1000000000 VND", "500000000 VND"]
    assert plan.validate().ok


def test_show_prints_one_table_with_the_rate_noted(plan: Plan) -> None:
    shown = render_plan(plan, locale="en", unit="one")
    assert "one table, and one total, per currency" not in shown
    assert "1,500,000,000" in shown
    assert "Exchange rate: 1 USD = 25,000 VND" in shown


def test_a_currency_without_a_rate_is_never_mixed_in(plan: Plan) -> None:
    eur = attrs.evolve(plan.funding.lines[3], amount=Money("10.00", "EUR"))
    lines = (*plan.funding.lines[:3], eur)
    wrong = attrs.evolve(plan, funding=attrs.evolve(plan.funding, lines=lines))
    with pytest.raises(CurrencyMismatchError, match="no exchange rate between EUR and VND"):
        wrong.breakdown("year")
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        breakdowns.reconcile(wrong)
    found = [(issue.code, issue.path) for issue in wrong.validate()]
    assert ("EGP208", "funding.lines[3].amount") in found
    no_rates = attrs.evolve(plan, funding=attrs.evolve(plan.funding, exchange_rates=()))
    assert {issue.code for issue in no_rates.validate()} == {"EGP208"}
    with pytest.raises(CurrencyMismatchError):
        no_rates.breakdown("year")


def test_the_cli_refuses_a_breakdown_with_a_missing_rate(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace('USD"}\n  exchange_rates', 'EUR"}\n  exchange_rates'), "utf-8")
    assert main(["breakdown", str(path), "--by", "year", "--locale", "en"]) != 0
    assert "no exchange rate between EUR and VND is recorded" in capsys.readouterr().err
    assert main(["breakdown", str(path), "--by", "year"]) != 0
    assert "chưa ghi tỷ giá giữa EUR và VND" in capsys.readouterr().err
    assert main(["validate", str(path)]) == 1
    assert "EGP208" in capsys.readouterr().out


def test_the_latest_rate_converts_and_either_direction_serves() -> None:
    rates = ExchangeRates(rates=(usd(24000, dt.date(2020, 1, 2)), usd(25000)))
    assert rates.convert(Money(1, "USD"), "VND")[0] == Money(25000, "VND")
    assert rates.convert(Money(37500, "VND"), "USD")[0] == Money("1.50", "USD")
    # rounded to the minor unit, half up
    assert rates.convert(Money(1, "VND"), "USD")[0] == Money("0.00", "USD")
    assert rates.convert(Money(125, "VND"), "USD")[0] == Money("0.01", "USD")
    with pytest.raises(CurrencyMismatchError, match="record one"):
        rates.convert(Money(1, "EUR"), "VND")


def test_records_already_in_the_currency_come_back_as_they_are() -> None:
    lines = (BudgetLine(id="l", source="s", amount=Money(5, "VND")),)
    assert in_one_currency(lines, "VND", ExchangeRates(rates=())) == (lines, ())
    unstated = (FundingSource(id="s", names=Labels(en="Loans")),)
    assert in_one_currency(unstated, "VND", ExchangeRates(rates=())) == (unstated, ())


@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
def test_exchange_rates_round_trip_in_every_format(plan: Plan, format: str) -> None:
    text = dumps(plan, format)
    again = loads(text, format)
    assert again == plan
    assert dumps(again, format) == text
    assert again.funding.exchange_rates == (attrs.evolve(usd(25000), source="Ngân hàng Nhà nước"),)


def test_disagreeing_rates_on_one_day_are_reported() -> None:
    text = PLAN + "  - {base: VND, quote: USD, rate: '0.00005', date: 2021-01-04}\n"
    found = [(issue.code, issue.path) for issue in loads(text, "yaml").validate()]
    assert ("EGP215", "funding.exchange_rates[1].rate") in found
    agreeing = PLAN + "  - {base: VND, quote: USD, rate: '0.00004', date: 2021-01-04}\n"
    assert loads(agreeing, "yaml").validate().ok


amounts = st.integers(min_value=-(10**9), max_value=10**9)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100000), places=4)


@SETTINGS
@given(
    vnd=st.lists(amounts, max_size=6),
    cents=st.lists(amounts, min_size=1, max_size=6),
    rate=rates,
)
def test_a_breakdown_is_the_sum_of_each_amount_converted_and_rounded(
    vnd: list[int], cents: list[int], rate: Decimal
) -> None:
    lines = [
        BudgetLine(id=f"v{i}", source="v", year=2021 + i % 3, amount=Money(a, "VND"))
        for i, a in enumerate(vnd)
    ] + [
        BudgetLine(id=f"u{i}", source="u", year=2021 + i % 3, amount=Money(c, "USD") / 100)
        for i, c in enumerate(cents)
    ]
    funding = Funding(total=Money(0, "VND"), lines=tuple(lines), exchange_rates=(usd(rate),))
    result = funding.breakdown("year")
    expected = Decimal(sum(vnd))
    for c in cents:
        exact = Decimal(c) / 100 * rate
        expected += exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert result.total == Money(expected, "VND")
    assert sum((row.amount for row in result.rows), Money(0, "VND")) == result.total
    assert funding.breakdown("source", basis="lines").total == result.total
    shares = [row.share for row in result.rows]
    if all(share is not None for share in shares):
        assert sum(share for share in shares if share is not None) == 100

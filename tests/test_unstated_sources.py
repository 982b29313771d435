"""Funding sources named without an amount (format 2): held as written, shown as not
stated, left out of sums that say so, and no false alarms from the rules that add sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from egovplan import load, loads
from egovplan.breakdowns import BreakdownError, breakdown, phase_source, phase_total, reconcile
from egovplan.cli import main
from egovplan.funding import BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.schema import json_schema
from egovplan.testing import funding

EXAMPLES = Path(__file__).parent.parent / "examples"


def plan_text(total: str | None, stated: str = "600 VND", extra: str = "") -> str:
    lines = [
        "format_version: 3",
        "id: mixed",
        "metadata: {kind: plan, title: Mixed}",
        "period: 2021-2025",
        "funding:",
    ]
    if total is not None:
        lines.append(f"  total: {total}")
    lines += [
        "  sources:",
        "  - {id: central, kind: central_support, names: {vi: Ngân sách Trung ương},"
        f" amount: {stated}}}",
        "  - {id: loans, kind: loan, names: {vi: Vốn vay ngân hàng, en: Bank loans}}",
        "  - {id: fdi, names: {vi: Vốn đầu tư nước ngoài, en: Foreign investment}}",
    ]
    return "\n".join(lines) + "\n" + extra


def codes(text: str) -> list[tuple[str, str]]:
    return [(i.code, i.path) for i in loads(text, "yaml").validate().issues]


def test_a_source_without_amount_or_kind_loads_and_round_trips() -> None:
    plan = loads(plan_text("1000 VND"), "yaml")
    loans, fdi = plan.funding.source("loans"), plan.funding.source("fdi")
    assert loans.amount is None
    assert loans.kind == "loan"
    assert fdi.amount is None
    assert fdi.kind is None
    assert [s.id for s in plan.funding.unstated] == ["loans", "fdi"]
    assert plan.funding.sources_total == Money(600, "VND")
    from egovplan import dumps

    assert loads(dumps(plan, "json"), "json") == plan
    schema = json_schema()
    source = schema["$defs"]["FundingSource"]
    assert "amount" not in source["required"]
    assert "kind" not in source["required"]


def test_total_covering_unstated_sources_is_no_false_alarm() -> None:
    assert codes(plan_text("1000 VND")) == []


def test_stated_amounts_beyond_the_total_still_fire_egp201() -> None:
    assert ("EGP201", "funding.total") in codes(plan_text("500 VND"))


def test_shares_are_not_checked_against_an_unknown_whole() -> None:
    # 60 % is not central's share of the stated amounts (100 %): no EGP205, since the
    # sum of the sources is not known.
    text = plan_text("1000 VND", extra='  stated_shares: {central: "60"}\n')
    assert codes(text) == []
    # with every amount stated the same share is wrong and reported
    complete = text.replace("en: Bank loans}}", "en: Bank loans}, amount: 100 VND}").replace(
        "en: Foreign investment}}", "en: Foreign investment}, amount: 200 VND}"
    )
    assert ("EGP205", "funding.stated_shares.central") in codes(complete)


def test_lines_of_an_unstated_source_are_bounded_by_nothing() -> None:
    extra = "  lines:\n  - {id: l1, source: loans, year: 2021, amount: 5000 VND}\n"
    assert [c for c, _ in codes(plan_text(None, extra=extra))] == []


def test_breakdown_shows_not_stated_never_zero_and_says_what_the_total_leaves_out() -> None:
    plan = loads(plan_text("1000 VND"), "yaml")
    by_source = breakdown(plan, "source", locale="en")
    assert by_source.keys == ("central",)
    assert by_source.total == Money(600, "VND")
    assert [h.key for h in by_source.unstated] == ["loans", "fdi"]
    text = by_source.to_text(locale="en")
    assert "Bank loans" in text
    assert "not stated" in text
    assert "not in the total (2): Bank loans, Foreign investment" in text
    assert " 0 " not in text.split("Bank loans")[1].split("\n")[0]
    vi = by_source.to_text(locale="vi")
    assert "không nêu số tiền" in vi
    data = json.loads(by_source.to_json())
    assert data["unstated"] == [
        {"key": "loans", "label": "Bank loans"},
        {"key": "fdi", "label": "Foreign investment"},
    ]
    records = by_source.to_records()
    assert [(r["key"], r["amount"]) for r in records][1:] == [("loans", None), ("fdi", None)]


def test_reconciliation_leaves_unstated_sources_out_and_stays_balanced() -> None:
    plan = loads(plan_text("1000 VND"), "yaml")
    result = reconcile(plan)
    assert result.sources == Money(600, "VND")
    assert result.balanced
    assert [h.key for h in result.unstated] == ["loans", "fdi"]
    assert "not in the total" in result.to_text(locale="en")


def test_phasing_an_unstated_source_is_refused_and_phase_total_skips_it() -> None:
    plan = loads(plan_text(None), "yaml")
    with pytest.raises(BreakdownError, match="'loans' states no amount"):
        phase_source(plan, "loans")
    lines = phase_total(plan)
    assert {line.source for line in lines} == {"central"}


def test_only_unstated_sources_breakdown_says_why() -> None:
    plan = load(EXAMPLES / "hau-giang-2016-2020.yaml")
    assert [s.amount for s in plan.funding.sources] == [None, None, None]
    with pytest.raises(BreakdownError, match="no funding source states an amount"):
        breakdown(plan, "kind")


def test_show_prints_unstated_sources(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text("1000 VND"), encoding="utf-8")
    assert main(["show", str(path), "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "Bank loans" in out
    assert "not stated" in out
    assert main(["show", str(EXAMPLES / "hau-giang-2016-2020.yaml"), "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert "Vốn ngân sách nhà nước: không nêu số tiền" in out


def test_a_bare_funding_breaks_down_without_the_unstated_ones() -> None:
    stated = FundingSource(id="a", kind="grant", names=Labels(en="Grant"), amount=Money(3, "VND"))
    unstated = FundingSource(id="b", names=Labels(en="Loans"))
    result = Funding(sources=(stated, unstated)).breakdown("source")
    assert result.total == Money(3, "VND")
    assert [h.key for h in result.unstated] == ["b"]
    lines = (BudgetLine(id="l", source="b", year=2021, amount=Money(2, "VND")),)
    by_year = Funding(sources=(stated, unstated), lines=lines).breakdown("year")
    assert by_year.total == Money(2, "VND")
    assert by_year.unstated == ()


@settings(max_examples=30, deadline=None)
@given(funding())
def test_generated_funding_sums_leave_out_exactly_the_unstated_sources(found: Funding) -> None:
    stated = [s.amount for s in found.sources if s.amount is not None]
    if stated:
        assert found.sources_total == sum(stated[1:], stated[0])
        result = found.breakdown("source")
        assert len(result.unstated) == len(found.unstated)
        assert result.total == found.sources_total

"""Spending rules as plans write them: a comparator, a percent or none, a base in words or
as an amount, who pays, how often, and support decided case by case.

The rule's figures are checked under its comparator (EGP209 at least, EGP212 at most,
EGP213 exactly), in exact arithmetic; files of format versions 1 and 2, which wrote a
required ``minimum_percent``, load as rules of at least that percent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.files import dumps, load, loads
from egovplan.funding import BudgetCategory, SpendingRule
from egovplan.money import Money
from egovplan.objective import Comparator
from egovplan.plan import Plan

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=80, deadline=None)

HEAD = """\
format_version: 3
id: p
metadata: {kind: plan, title: P}
period: 2021-2025
levels:
- {id: province, names: {vi: Cấp tỉnh}, order: 1}
- {id: district, names: {vi: Cấp huyện}, order: 2}
agencies:
- {id: ubnd, names: {vi: UBND tỉnh}, kind: people_committee, level: province}
- {id: chu-tich, names: {vi: Chủ tịch UBND tỉnh}, kind: office_holder, parent: ubnd}
- {id: huyen, names: {vi: UBND các huyện}, kind: district_committee, collective: true}
"""

RULES = (
    HEAD
    + """\
funding:
  sources:
  - {id: dia-phuong, kind: local_budget, names: {vi: Ngân sách địa phương}}
  rules:
  - id: ict-1pct
    description: Hàng năm bố trí tối thiểu 1% tổng chi ngân sách địa phương cho CNTT
    percent: 1
    base_kind: local_budget_spending
    levels: [province, district]
    sources: [dia-phuong]
    cadence: yearly
  - id: equipment-cap
    description: Chi mua sắm thiết bị không quá 30% kinh phí
    comparator: "<="
    percent: 30
    base: 100000000000 VND
    amount: 25000000000 VND
    category: investment
  - id: own-line
    description: Các huyện bố trí dòng kinh phí riêng cho CNTT hàng năm
    agencies: [huyen]
    category: recurrent
    cadence: yearly
  - id: case-by-case
    description: Chủ tịch UBND tỉnh xem xét, quyết định hỗ trợ từng trường hợp cụ thể
    decided_by: chu-tich
"""
)


def _plan(text: str = RULES) -> Plan:
    return loads(text, "yaml")


def test_rules_as_plans_write_them_load_and_are_clean() -> None:
    plan = _plan()
    floor, cap, own, case = plan.funding.rules
    assert (floor.comparator, floor.percent, floor.base_kind) == (
        Comparator.GE,
        1,
        "local_budget_spending",
    )
    assert (floor.levels, floor.sources, floor.cadence) == (
        ("province", "district"),
        ("dia-phuong",),
        "yearly",
    )
    assert cap.comparator is Comparator.LE
    assert cap.required == Money(30 * 10**9, "VND")
    assert (own.percent, own.agencies, own.category) == (None, ("huyen",), BudgetCategory.RECURRENT)
    assert (case.percent, case.decided_by) == (None, "chu-tich")
    report = plan.validate()
    assert report.issues == (), str(report)


@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
def test_the_new_fields_round_trip_in_every_format(format: str) -> None:
    plan = _plan()
    text = dumps(plan, format)
    again = loads(text, format)
    assert again == plan
    assert dumps(again, format) == text


def test_unknown_references_and_codes_are_reported() -> None:
    text = (
        RULES.replace("levels: [province, district]", "levels: [province, ward]")
        .replace("sources: [dia-phuong]", "sources: [nowhere]")
        .replace("decided_by: chu-tich", "decided_by: nobody")
        .replace("cadence: yearly\n  - id: equipment-cap", "cadence: weekly\n  - id: equipment-cap")
        .replace("base_kind: local_budget_spending", "base_kind: tax_revenue")
    )
    found = {(issue.code, issue.path) for issue in _plan(text).validate()}
    assert {
        ("EGP103", "funding.rules[0].levels[1]"),
        ("EGP103", "funding.rules[0].sources[0]"),
        ("EGP103", "funding.rules[3].decided_by"),
        ("EGP105", "funding.rules[0].cadence"),
        ("EGP105", "funding.rules[0].base_kind"),
    } <= found


def test_a_plan_without_levels_checks_a_rules_levels_against_the_catalogue() -> None:
    plan = loads(
        HEAD.split("levels:")[0]
        + "funding:\n  rules:\n  - {id: r, description: d, levels: [province, canton]}\n",
        "yaml",
    )
    found = [(issue.code, issue.path) for issue in plan.validate()]
    assert found == [("EGP105", "funding.rules[0].levels[1]")]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "data" / "format-1").glob("*.yaml")), ids=lambda p: p.name
)
def test_format_1_files_load_their_minimum_percent_as_a_percent_at_least(path: Path) -> None:
    old = path.read_text(encoding="utf-8")
    plan = load(path)
    if "minimum_percent" in old:
        assert plan.funding.rules
    for rule in plan.funding.rules:
        assert rule.comparator is Comparator.GE
        assert rule.percent is not None


def test_a_format_2_file_upgrades_to_the_same_plan() -> None:
    v2 = (
        "format_version: 2\nid: p\nmetadata: {kind: plan, title: P}\nperiod: 2021-2025\n"
        "funding:\n  rules:\n  - {id: r, description: d, minimum_percent: '0.5',"
        " base: 1000 VND, amount: 4 VND}\n"
    )
    plan = loads(v2, "yaml")
    (rule,) = plan.funding.rules
    assert (rule.percent, rule.comparator) == (Fraction(1, 2), Comparator.GE)
    assert [(i.code, i.path) for i in plan.validate()] == [("EGP209", "funding.rules[0].amount")]
    written = dumps(plan, "yaml")
    assert "format_version: 3" in written
    assert "percent: '0.5'" in written or 'percent: "0.5"' in written
    assert "minimum_percent" not in written


COMPARATORS = {
    Comparator.GE: ("EGP209", lambda a, s: a >= s),
    Comparator.GT: ("EGP209", lambda a, s: a > s),
    Comparator.LE: ("EGP212", lambda a, s: a <= s),
    Comparator.LT: ("EGP212", lambda a, s: a < s),
}


@SETTINGS
@given(
    comparator=st.sampled_from([*COMPARATORS, Comparator.EQ]),
    base=st.integers(min_value=0, max_value=10**15),
    amount=st.integers(min_value=0, max_value=10**15),
    hundredths=st.integers(min_value=0, max_value=10_000),
    places=st.sampled_from([0, 1, 2]),
)
def test_a_rule_is_reported_exactly_when_its_figures_break_its_comparator(
    comparator: Comparator, base: int, amount: int, hundredths: int, places: int
) -> None:
    exact = Decimal(hundredths) / 100
    written = str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    stated = Fraction(written)
    rule = SpendingRule(
        id="r",
        description="d",
        comparator=comparator,
        percent=written,
        base=Money(base, "VND"),
        amount=Money(amount, "VND"),
    )
    plan = loads(
        "format_version: 3\nid: p\nmetadata: {kind: plan, title: P}\nperiod: 2021\n", "yaml"
    )
    plan = attrs.evolve(plan, funding=attrs.evolve(plan.funding, rules=(rule,)))
    codes = [issue.code for issue in plan.validate(ruleset="funding")]
    share = Fraction(base) * stated / 100
    if comparator is Comparator.EQ:
        if base == 0:
            holds = amount == 0
        else:
            actual = Fraction(amount * 100, base)
            unit = Fraction(1, 10**places)
            # half up to the percent's places
            rounded = (actual / unit + Fraction(1, 2)).__floor__() * unit
            holds = rounded == stated
        expected = [] if holds else ["EGP213"]
    else:
        code, test = COMPARATORS[comparator]
        expected = [] if test(Fraction(amount), share) else [code]
    assert codes == expected

"""Funding models: field checks, totals and lookups."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.document import PlanMetadata
from egovplan.errors import CurrencyMismatchError, UnknownReferenceError
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource, SpendingRule
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.testing import funding, funding_sources
from egovplan.validation import validate

VND = "VND"


def source(id: str, amount: int, kind: str = "other", words: str | None = None) -> FundingSource:
    return FundingSource(
        id=id, kind=kind, names=Labels(en=id), amount=Money(amount, VND), amount_in_words=words
    )


def test_quang_nam_sources_add_up_to_the_declared_total() -> None:
    billions = [200, 150, 81, 320, 20, 30, 100]
    sources = tuple(source(f"s{i}", b * 10**9) for i, b in enumerate(billions))
    money = Funding(
        total=Money("901000000000", VND),
        total_in_words="chín trăm lẻ một tỷ đồng",
        sources=sources,
    )
    assert money.sources_total == money.total
    assert money.source("s3").amount == Money(320 * 10**9, VND)
    assert money.currencies == frozenset({VND})


def test_sources_total_is_none_without_sources_and_refuses_mixed_currencies() -> None:
    assert Funding().sources_total is None
    mixed = Funding(
        sources=(
            source("a", 1),
            FundingSource(id="b", kind="grant", names=Labels(en="b"), amount=Money(1, "USD")),
        )
    )
    with pytest.raises(CurrencyMismatchError):
        _ = mixed.sources_total
    assert mixed.currencies == frozenset({"VND", "USD"})


def test_source_lookup_names_the_known_ids() -> None:
    money = Funding(sources=(source("central", 5), source("local", 6)))
    with pytest.raises(UnknownReferenceError, match="no funding source 'x'; known: central, local"):
        money.source("x")
    line = BudgetLine(id="l", source="local", amount=Money(1, VND))
    assert list(Funding(sources=money.sources, lines=(line,)).lines_of("local")) == [line]


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (
            lambda: FundingSource(id="a", kind="x", names=Labels(en="a"), amount=1.5),
            TypeError,
            r"FundingSource\.amount must be Money or None, not float.*floats are never accepted",
        ),
        (
            lambda: FundingSource(id="a", kind=7, names=Labels(en="a"), amount=Money(1, VND)),
            TypeError,
            r"FundingSource\.kind must be str",
        ),
        (
            lambda: FundingSource(id="a", kind="x", names="a", amount=Money(1, VND)),
            TypeError,
            r"FundingSource\.names must be Labels",
        ),
        (
            lambda: FundingSource(id=" a", kind="x", names=Labels(en="a"), amount=Money(1, VND)),
            ValueError,
            r"FundingSource\.id must be a non-empty id",
        ),
        (
            lambda: FundingSource(
                id="a", kind="x", names=Labels(en="a"), amount=Money(1, VND), category="invest"
            ),
            ValueError,
            r"FundingSource\.category must be one of 'investment', 'recurrent', not 'invest'",
        ),
        (
            lambda: FundingSource(
                id="a", kind="x", names=Labels(en="a"), amount=Money(1, VND), category=1
            ),
            TypeError,
            r"FundingSource\.category must be BudgetCategory or None, not int",
        ),
        (
            lambda: BudgetLine(id="l", source="s", year=20, amount=Money(5, VND)),
            ValueError,
            r"BudgetLine\.year 20 is outside",
        ),
        (
            lambda: BudgetLine(id="l", source="s", year="2021", amount=Money(5, VND)),
            TypeError,
            r"BudgetLine\.year must be int",
        ),
        (
            lambda: Funding(sources=[source("a", 1)]),
            TypeError,
            r"Funding\.sources must be a tuple of FundingSource, not list",
        ),
        (
            lambda: Funding(sources=(source("a", 1), "b")),
            TypeError,
            r"Funding\.sources\[1\] must be FundingSource, not str",
        ),
        (
            lambda: Funding(stated_shares=(("a", 60), ("a", 40))),
            ValueError,
            r"Funding\.stated_shares\[1\] repeats 'a'",
        ),
        (
            lambda: Funding(stated_shares=(("a", 0.5),)),
            TypeError,
            r"Funding\.stated_shares\[0\] must be an \(id, Decimal\) pair",
        ),
        (
            lambda: SpendingRule(id="r", description="", percent=1.0),
            TypeError,
            r"SpendingRule\.percent must be Decimal",
        ),
    ],
)
def test_construction_errors_name_the_field(build: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build()  # type: ignore[operator]


def _plan(funding: Funding) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        funding=funding,
    )


@pytest.mark.parametrize(
    ("funding", "found"),
    [
        (Funding(sources=(source("a", -1),)), [("EGP206", "funding.sources[0].amount")]),
        (
            Funding(
                sources=(source("s", 10),),
                lines=(BudgetLine(id="l", source="s", amount=Money(-5, VND)),),
            ),
            [("EGP206", "funding.lines[0].amount")],
        ),
        (Funding(total=Money(-1, VND)), [("EGP206", "funding.total")]),
        (
            Funding(rules=(SpendingRule(id="r", description="", percent=1, base=Money(-1, VND)),)),
            [("EGP206", "funding.rules[0].base")],
        ),
        (
            Funding(rules=(SpendingRule(id="r", description="", percent=101),)),
            [("EGP210", "funding.rules[0].percent")],
        ),
        (
            Funding(rules=(SpendingRule(id="r", description="", percent=-1),)),
            [("EGP210", "funding.rules[0].percent")],
        ),
        (
            Funding(sources=(source("a", 1),), stated_shares=(("a", 120),)),
            [
                ("EGP204", "funding.stated_shares"),
                ("EGP205", "funding.stated_shares.a"),
                ("EGP210", "funding.stated_shares.a"),
            ],
        ),
    ],
)
def test_wrong_but_well_formed_funding_builds_and_validation_reports_it(
    funding: Funding, found: list[tuple[str, str]]
) -> None:
    issues = [(i.code, i.path) for i in validate(_plan(funding), ruleset="funding")]
    assert sorted(issues) == found


def test_numbers_are_converted_to_decimal_without_floats() -> None:
    money = Funding(stated_shares=(("a", 60), ("b", "40.5")))
    assert money.stated_shares == (("a", Decimal(60)), ("b", Decimal("40.5")))
    assert all(type(share) is Decimal for _, share in money.stated_shares)
    rule = SpendingRule(id="r", description="1%", percent="1", base=Money(5000, VND))
    assert rule.percent == Decimal(1)
    assert rule.required == Money(50, VND)
    assert SpendingRule(id="r", description="", percent=1).required is None


def test_budget_category_is_a_small_enum_with_labels_from_data() -> None:
    assert [c.value for c in BudgetCategory] == ["investment", "recurrent"]
    assert BudgetCategory("investment") is BudgetCategory.INVESTMENT
    assert BudgetCategory.RECURRENT.label("vi") == "chi thường xuyên"
    assert BudgetCategory.INVESTMENT.label("en") == "investment"
    assert str(BudgetCategory.RECURRENT) == "recurrent"


@given(st.lists(funding_sources(max_value=10**9), max_size=6))
def test_sources_total_is_the_exact_sum(sources: list[FundingSource]) -> None:
    total = Funding(sources=tuple(sources)).sources_total
    stated = [s.amount for s in sources if s.amount is not None]
    if not stated:
        assert total is None
    else:
        assert total == Money(sum(amount.amount for amount in stated), VND)


@settings(max_examples=40, deadline=None)
@given(funding(years=(2021, 2022, 2023), agency_ids=("stttt",)))
def test_generated_funding_is_consistent(money: Funding) -> None:
    if money.total is not None:
        stated = money.sources_total
        assert stated is not None
        if money.unstated:  # the total covers the unstated sources too
            assert money.total >= stated
        else:
            assert money.total == stated
    for src in money.sources:
        spent = sum((line.amount for line in money.lines_of(src.id)), Money.zero(VND))
        assert src.amount is None or spent <= src.amount
    assert all(line.year in (None, 2021, 2022, 2023) for line in money.lines)
    if money.stated_shares:
        assert abs(sum(share for _, share in money.stated_shares) - 100) <= Decimal("0.005") * len(
            money.stated_shares
        )
    # Spending rules are met, each by its comparator, and rates never disagree.
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2023),
        funding=money,
    )
    found = set(validate(plan, ruleset="funding").codes())
    assert not found & {"EGP209", "EGP210", "EGP212", "EGP213", "EGP214", "EGP215"}

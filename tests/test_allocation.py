"""Allocation and shares: largest remainder, exact sums, order-independent ties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.allocation import MAX_PLACES, AllocationError, allocate_units, shares
from egovplan.errors import CurrencyMismatchError, EgovplanError
from egovplan.money import Money, MoneyTypeError

BILLION = 10**9
#: Quảng Nam 2021–2025 (seed 003): the seven funding sources, in billion VND.
QUANG_NAM_BILLIONS = (200, 150, 81, 320, 20, 30, 100)

weights_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
    any
)
totals = st.integers(min_value=-(10**15), max_value=10**15)


# --- the seed -----------------------------------------------------------------------------


def test_quang_nam_sources_sum_to_901_billion_and_shares_to_100() -> None:
    sources = [Money(b * BILLION, "VND") for b in QUANG_NAM_BILLIONS]
    total = sum(sources, Money.zero("VND"))
    assert total == Money(901 * BILLION, "VND")
    assert total == Money("901000000000", "VND")

    percent = shares(sources)
    assert sum(percent) == Decimal("100.00")
    assert str(sum(percent)) == "100.00"
    assert [str(p) for p in percent] == [
        "22.20",
        "16.65",
        "8.99",
        "35.51",
        "2.22",
        "3.33",
        "11.10",
    ]
    assert shares(QUANG_NAM_BILLIONS) == percent  # the same from plain numbers


def test_quang_nam_total_split_back_by_the_sources_gives_the_sources() -> None:
    total = Money(901 * BILLION, "VND")
    sources = [Money(b * BILLION, "VND") for b in QUANG_NAM_BILLIONS]
    assert total.allocate(sources) == sources
    assert total.allocate(QUANG_NAM_BILLIONS) == sources


# --- examples -----------------------------------------------------------------------------


def test_largest_remainder_examples() -> None:
    assert allocate_units(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate_units(10, [0, 1, 1]) == [0, 5, 5]
    assert allocate_units(0, [1, 2]) == [0, 0]
    assert allocate_units(7, [1]) == [7]
    assert allocate_units(-5, [1, 1]) == [-3, -2]
    assert allocate_units(5, [Decimal("0.5"), Decimal("1.5")]) == [1, 4]


def test_ties_go_to_the_larger_weight_then_the_earlier_position() -> None:
    # 2 units over weights 1 and 3: exact shares 0.5 and 1.5, equal remainders.
    assert allocate_units(2, [1, 3]) == [0, 2]
    assert allocate_units(2, [3, 1]) == [2, 0]
    # Equal weights: the earlier position.
    assert allocate_units(1, [1, 1]) == [1, 0]
    assert allocate_units(2, [1, 1, 1]) == [1, 1, 0]


def test_remainder_decides_before_weight() -> None:
    # 3 units over 1, 1, 2 (of 4): exact 0.75, 0.75, 1.5 -> floors 0, 0, 1 -> 2 left.
    assert allocate_units(3, [1, 1, 2]) == [1, 1, 1]


def test_zero_weights_get_zero() -> None:
    assert allocate_units(1, [0, 0, 5, 0]) == [0, 0, 1, 0]
    assert shares([0, 3, 0]) == [Decimal("0.00"), Decimal("100.00"), Decimal("0.00")]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1, -1], r"weights\[1\] is negative"),
        ([Decimal("-0.5")], r"weights\[0\] is negative"),
        ([Money(-1, "VND")], r"weights\[0\] is negative"),
        ([0, 0], "all weights are zero"),
        ([Decimal(0), Money(0, "VND").amount], "all weights are zero"),
        ([], "no weights"),
        ([Decimal("NaN")], "finite"),
        ([1, Decimal("Infinity")], r"weights\[1\].*finite"),
        ([Decimal("1E+5000")], "out of range"),
    ],
)
def test_bad_weights_are_clear_errors(weights: list[int | Decimal | Money], message: str) -> None:
    with pytest.raises(AllocationError, match=message) as info:
        allocate_units(10, weights)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, EgovplanError)


def test_bad_values_for_shares_are_clear_errors() -> None:
    with pytest.raises(AllocationError, match=r"values\[2\] is negative"):
        shares([1, 2, -3])
    with pytest.raises(AllocationError, match="all values are zero"):
        shares([0])


@pytest.mark.parametrize("weight", [0.5, True, "1", None])
def test_wrong_weight_types_are_type_errors(weight: object) -> None:
    with pytest.raises(TypeError, match=r"weights\[1\]") as info:
        allocate_units(10, [1, weight])  # type: ignore[list-item]
    assert isinstance(info.value, MoneyTypeError)


def test_float_weight_says_pass_decimal_or_str() -> None:
    with pytest.raises(MoneyTypeError, match="pass Decimal or str"):
        allocate_units(10, [0.25, 0.75])  # type: ignore[list-item]
    with pytest.raises(MoneyTypeError, match="pass Decimal or str"):
        shares([1.0])  # type: ignore[list-item]
    with pytest.raises(MoneyTypeError, match="pass Decimal or str"):
        Money(1, "VND").allocate([0.5])  # type: ignore[list-item]


def test_weights_must_be_a_collection_of_numbers() -> None:
    with pytest.raises(MoneyTypeError, match="sequence"):
        allocate_units(10, "123")  # type: ignore[arg-type]
    with pytest.raises(MoneyTypeError, match="sequence"):
        shares(Money(1, "VND"))  # type: ignore[arg-type]


def test_money_weights_must_share_one_currency_and_not_mix_with_numbers() -> None:
    with pytest.raises(CurrencyMismatchError, match=r"USD.*VND"):
        shares([Money(1, "VND"), Money(1, "USD")])
    with pytest.raises(MoneyTypeError, match="do not mix"):
        shares([Money(1, "VND"), 1])
    with pytest.raises(MoneyTypeError, match="do not mix"):
        shares([1, Money(1, "VND")])


def test_total_must_be_an_int() -> None:
    for total in (Decimal(10), 10.0, True, "10"):
        with pytest.raises(MoneyTypeError, match="total"):
            allocate_units(total, [1])  # type: ignore[arg-type]


def test_generators_are_accepted() -> None:
    assert allocate_units(9, (w for w in (1, 2))) == [3, 6]
    assert shares(iter([1, 3]), places=0) == [Decimal(25), Decimal(75)]


def test_shares_places() -> None:
    assert shares([1, 2], places=0) == [Decimal(33), Decimal(67)]
    assert [str(s) for s in shares([1, 2], places=3)] == ["33.333", "66.667"]
    assert [str(s) for s in shares([1, 1, 1], places=1)] == ["33.4", "33.3", "33.3"]
    assert str(shares([1], places=MAX_PLACES)[0]) == "100." + "0" * MAX_PLACES
    many = shares([1, 2], places=MAX_PLACES)
    assert str(many[0]) == "33." + "3" * MAX_PLACES  # no decimal context rounded it
    for places in (-1, MAX_PLACES + 1):
        with pytest.raises(AllocationError, match="places"):
            shares([1], places=places)
    for places in (1.0, True, "2"):
        with pytest.raises(MoneyTypeError, match="places"):
            shares([1], places=places)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------


@given(total=totals, weights=weights_lists)
def test_parts_sum_to_the_whole(total: int, weights: list[int]) -> None:
    parts = allocate_units(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(isinstance(part, int) for part in parts)


@given(total=totals, weights=weights_lists)
def test_each_part_is_within_one_unit_of_its_exact_share(total: int, weights: list[int]) -> None:
    parts = allocate_units(total, weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0


@given(total=totals, weights=weights_lists, data=st.data())
def test_permuting_the_weights_permutes_the_parts(
    total: int, weights: list[int], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(weights))))
    parts = allocate_units(total, weights)
    permuted = allocate_units(total, [weights[i] for i in order])
    # Each weight keeps its part; equal weights may trade places only among themselves,
    # and then the earlier position holds the larger part.
    assert sorted(zip(permuted, [weights[i] for i in order], strict=True)) == sorted(
        zip(parts, weights, strict=True)
    )
    if len(set(weights)) == len(weights):
        assert permuted == [parts[i] for i in order]


@given(
    total=totals,
    weights=weights_lists,
    factor=st.one_of(
        st.integers(min_value=1, max_value=10**9),
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3),
    ),
)
def test_scaling_all_weights_changes_nothing(
    total: int, weights: list[int], factor: int | Decimal
) -> None:
    scaled: list[int | Decimal] = [weight * factor for weight in weights]
    assert all(
        Fraction(s) == weight * Fraction(factor) for s, weight in zip(scaled, weights, strict=True)
    )
    assert allocate_units(total, scaled) == allocate_units(total, weights)
    assert shares(scaled) == shares(weights)


@given(total=totals, weights=weights_lists)
def test_negative_total_is_the_negated_split(total: int, weights: list[int]) -> None:
    assert allocate_units(-total, weights) == [-part for part in allocate_units(total, weights)]


@given(weights=weights_lists, places=st.integers(min_value=0, max_value=6))
def test_shares_sum_to_exactly_100(weights: list[int], places: int) -> None:
    result = shares(weights, places=places)
    assert sum(result) == 100
    total = sum(weights)
    for share, weight in zip(result, weights, strict=True):
        assert share.as_tuple().exponent == -places
        assert abs(Fraction(share) - Fraction(100 * weight, total)) < Fraction(1, 10**places)
        assert share >= 0


@settings(max_examples=50)
@given(
    cents=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=2), min_size=1, max_size=8
    ).filter(any),
)
def test_money_allocate_sums_to_the_amount(cents: int, weights: list[Decimal]) -> None:
    amount = Money.from_minor_units(cents, "USD")
    parts = amount.allocate(weights)
    assert sum(parts, Money.zero("USD")) == amount
    assert all(part.currency == "USD" for part in parts)
    assert [part.minor_units for part in parts] == allocate_units(cents, weights)

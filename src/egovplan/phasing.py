"""Phasing: an amount spread over the years of a period by weights, exactly.

:func:`phase`, :func:`phase_source` and :func:`phase_total` give
:class:`~egovplan.funding.BudgetLine` objects whose amounts sum to exactly the amount
phased.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from egovplan._decimal import in_own_context
from egovplan._grouping import BreakdownError
from egovplan.allocation import Weight
from egovplan.errors import FieldTypeError
from egovplan.funding import BudgetCategory, BudgetLine, Funding
from egovplan.money import Money
from egovplan.period import Period

if TYPE_CHECKING:
    from egovplan.plan import Plan

__all__ = ["phase", "phase_source", "phase_total"]


def _years(years: Iterable[int] | Period) -> list[int]:
    if isinstance(years, str | bytes) or not isinstance(years, Period | Iterable):
        raise FieldTypeError(f"years must be a Period or years, not {type(years).__name__}")
    values = list(years.year_list if isinstance(years, Period) else years)
    if not values:
        raise BreakdownError("no years to phase over")
    if any(isinstance(year, bool) or not isinstance(year, int) for year in values):
        raise FieldTypeError(f"years must be int years, not {values!r}"[:200])
    if len(set(values)) != len(values):
        raise BreakdownError(f"years repeat: {values}")
    return values


@in_own_context
def phase(
    amount: Money,
    years: Iterable[int] | Period,
    weights: Sequence[Weight] | None = None,
    *,
    source: str,
    id_prefix: str | None = None,
    agency: str | None = None,
    task: str | None = None,
    objective: str | None = None,
    category: BudgetCategory | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread ``amount`` over ``years`` in proportion to ``weights``, exactly.

    Uses :meth:`Money.allocate` (largest remainder): the lines sum to ``amount`` to the
    last đồng and each is within one minor unit of its exact share.

    Args:
        amount: the amount to spread (a whole number of minor units).
        years: the years, or a :class:`~egovplan.period.Period` (its years).
        weights: one weight per year (``int``, ``Decimal`` or ``Money``); equal if omitted.
        source: the id of the source the lines are paid from.
        id_prefix: line ids are ``<id_prefix>-<year>`` (default: the source id).
        agency: the agency of every line, if any.
        task: the task of every line, if any.
        objective: the objective of every line, if any.
        category: the budget category of every line, if any.

    Returns:
        One :class:`~egovplan.funding.BudgetLine` per year, in the order of ``years``.

    Raises:
        BreakdownError: no years, repeated years, or a weight count that differs.
        AllocationError: bad weights, or an amount with fractions of a minor unit.

    >>> lines = phase(Money(100, "VND"), Period.years(2021, 2023), source="central")
    >>> [(line.id, str(line.amount)) for line in lines]
    [('central-2021', '34 VND'), ('central-2022', '33 VND'), ('central-2023', '33 VND')]
    """
    if not isinstance(amount, Money):
        raise FieldTypeError(f"phase() spreads Money, not {type(amount).__name__}")
    year_list = _years(years)
    if weights is None:
        weights = [1] * len(year_list)
    if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
        raise FieldTypeError(f"weights must be a sequence of numbers, not {type(weights).__name__}")
    weights = list(weights)
    if len(weights) != len(year_list):
        raise BreakdownError(f"{len(weights)} weights for {len(year_list)} years {year_list}")
    prefix = source if id_prefix is None else id_prefix
    return tuple(
        BudgetLine(
            id=f"{prefix}-{year}",
            source=source,
            year=year,
            agency=agency,
            task=task,
            objective=objective,
            category=category,
            amount=part,
        )
        for year, part in zip(year_list, amount.allocate(weights), strict=True)
    )


def _funding_of(plan: Plan | Funding, where: str) -> Funding:
    from egovplan.plan import Plan

    if isinstance(plan, Funding):
        return plan
    if isinstance(plan, Plan):
        return plan.funding
    raise FieldTypeError(f"{where} needs a Plan or a Funding, not {type(plan).__name__}")


def _plan_years(plan: Plan | Funding, years: Iterable[int] | Period | None) -> list[int]:
    if years is not None:
        return _years(years)
    if isinstance(plan, Funding):
        raise BreakdownError("a bare Funding has no period; pass years=")
    return list(plan.period.year_list)


@in_own_context
def phase_source(
    plan: Plan | Funding,
    source: str,
    weights: Sequence[Weight] | None = None,
    *,
    years: Iterable[int] | Period | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread one funding source over the years of the plan's period, exactly.

    The lines carry the source's category. See :func:`phase`.

    Raises:
        UnknownReferenceError: the plan has no such source.
        BreakdownError: a bare :class:`Funding` without ``years``.
    """
    funding = _funding_of(plan, "phase_source()")
    found = funding.source(source)
    if found.amount is None:
        raise BreakdownError(
            f"funding source {source!r} states no amount, so it cannot be phased over years"
        )
    return phase(
        found.amount,
        _plan_years(plan, years),
        weights,
        source=found.id,
        category=found.category,
    )


@in_own_context
def phase_total(
    plan: Plan | Funding,
    weights: Sequence[Weight] | None = None,
    *,
    years: Iterable[int] | Period | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread the whole funding over the years: every source by the same ``weights``.

    The lines (source by source, year by year) sum to the sum of the sources exactly,
    and each source's lines to that source. A source without a stated amount gets no
    lines. A year's total is then within one minor unit
    per source of its exact share of the total.

    Put them into a plan with ``attrs.evolve(funding, lines=lines)``.
    """
    funding = _funding_of(plan, "phase_total()")
    year_list = _plan_years(plan, years)
    lines: list[BudgetLine] = []
    for source in funding.sources:
        if source.amount is None:
            continue
        lines.extend(
            phase(source.amount, year_list, weights, source=source.id, category=source.category)
        )
    return tuple(lines)

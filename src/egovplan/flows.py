"""Flows: the money that actually moved, as a plan file records it.

A plan states what it *plans* to spend (:class:`~egovplan.funding.Funding`: sources and
budget lines); a :class:`Flow` records what *happened*: a commitment made, money
disbursed, money spent, money returned (a negative amount), each from a source, in a
year (or on a day, or over a period), by an agency, for a task or objective. A plan keeps
its flows in :attr:`Plan.flows <egovplan.plan.Plan.flows>`, so that planned against actual
(:func:`egovplan.executions.execution`) works from a plan file alone, and from the command
line (``egovplan breakdown FILE --by source --actual``).

Kinds of flow are codes of the ``flow_kinds`` catalogue, data like every other kind:
``commitment``, ``disbursement``, ``expenditure``, ``incoming_funds`` and the rest of
IATI's transaction types, each with its IATI code (:func:`iati_transaction_type`,
:func:`kind_of_iati`). The kinds the catalogue marks ``spent`` (disbursement, expenditure,
reimbursement: what IATI counts as spend) are what execution counts as actual, unless it
is told which kinds to count.

>>> from egovplan.money import Money
>>> flow = Flow(id="f1", kind="disbursement", source="central", date=dt.date(2021, 6, 30),
...             agency="stttt", amount=Money("50000000000", "VND"))
>>> flow.budget_year, flow.kind_label("vi")
(2021, 'giải ngân')
>>> Flow(id="f2", kind="disbursement", amount=-5)
Traceback (most recent call last):
...
egovplan.errors.FieldTypeError: Flow.amount must be Money, not int (-5)

A negative amount is a return or a correction; it loads, and counts against the amounts
of its kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _fields as f
from egovplan._decimal import in_own_context
from egovplan.funding import BudgetCategory
from egovplan.money import Money
from egovplan.period import Period

if TYPE_CHECKING:
    from egovplan.catalog import Catalogue, Catalogues
    from egovplan.funding import Funding
    from egovplan.plan import Plan
    from egovplan.tables import Table

__all__ = [
    "Flow",
    "actual_flows",
    "flows_table",
    "iati_transaction_type",
    "kind_of_iati",
    "spent_kinds",
]

#: The catalogue of flow kinds.
CATALOGUE: Final = "flow_kinds"


def _to_category(value: Any) -> Any:
    return f.to_member(BudgetCategory, value)


f.member_converters(_to_category)


@attrs.frozen(kw_only=True)
class Flow:
    """Money that actually moved: a commitment, a disbursement, an expenditure, a return.

    Attributes:
        id: unique among the plan's flows (a finance report's entry number, an IATI
            transaction's reference, or one you give it).
        kind: a code of the ``flow_kinds`` catalogue: ``commitment``, ``disbursement``,
            ``expenditure``, ``incoming_funds``… (validation reports an unknown one,
            EGP105).
        source: the id of the :class:`~egovplan.funding.FundingSource` the money came
            from, if known.
        year: the budget year it belongs to, if the record says.
        period: the time it covers when it is not one day or one year: a quarter
            (``Q3 2021``) or a range of years.
        date: the day it was made or recorded, if known.
        agency: the id of the agency that received or spent it, if known.
        task: the id of the task it paid for, if known.
        objective: the id of the objective it served, if known.
        category: investment or recurrent, if known (else its source's).
        description: what the record says it was for, as written.
        amount: the amount; a negative one is a return or a correction.

    >>> Flow(id="r1", kind="expenditure", source="central", period=Period.parse("Q3 2021"),
    ...      amount=Money(-2, "VND")).budget_year
    2021
    """

    id: str = attrs.field(validator=f.unique_id)
    kind: str = attrs.field(validator=f.check_id)
    source: str | None = attrs.field(default=None, validator=f.optional_id)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    period: Period | None = attrs.field(default=None, validator=f.instance(Period, optional=True))
    date: dt.date | None = attrs.field(default=None, validator=f.check_date)
    agency: str | None = attrs.field(default=None, validator=f.optional_id)
    task: str | None = attrs.field(default=None, validator=f.optional_id)
    objective: str | None = attrs.field(default=None, validator=f.optional_id)
    category: BudgetCategory | None = attrs.field(
        default=None, converter=_to_category, validator=f.member(BudgetCategory, optional=True)
    )
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    amount: Money = attrs.field(validator=f.money(nonnegative=False, share=False))

    @property
    def budget_year(self) -> int | None:
        """:attr:`year`; else the year of :attr:`date`; else the one year :attr:`period` lies in.

        >>> Flow(id="f", kind="commitment", date=dt.date(2022, 1, 5),
        ...      amount=Money(1, "VND")).budget_year
        2022
        """
        if self.year is not None:
            return self.year
        if self.date is not None:
            return self.date.year
        period = self.period
        if period is not None and period.start.year == period.end.year:
            return period.start.year
        return None

    def kind_label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The kind's name in ``locale`` (from the ``flow_kinds`` catalogue; else the code)."""
        kind = _catalogue(catalogues).get(self.kind)
        return self.kind if kind is None else kind.label(locale)


def _catalogue(catalogues: Catalogues | None) -> Catalogue:
    from egovplan.catalog import Catalogues
    from egovplan.errors import FieldTypeError

    if catalogues is None:
        return Catalogues.default()[CATALOGUE]
    if not isinstance(catalogues, Catalogues):
        raise FieldTypeError(f"catalogues must be Catalogues, not {type(catalogues).__name__}")
    return catalogues[CATALOGUE]


def spent_kinds(catalogues: Catalogues | None = None) -> frozenset[str]:
    """The flow kinds that count as money spent: those the catalogue marks ``spent = true``.

    >>> sorted(spent_kinds())
    ['disbursement', 'expenditure', 'reimbursement']
    """
    return frozenset(kind.code for kind in _catalogue(catalogues) if kind.get("spent") is True)


def iati_transaction_type(kind: str, catalogues: Catalogues | None = None) -> str | None:
    """The IATI transaction-type code of a flow kind, or ``None`` when it has none.

    >>> iati_transaction_type("disbursement"), iati_transaction_type("settlement")
    ('3', None)
    """
    from egovplan.errors import FieldTypeError

    if not isinstance(kind, str):
        raise FieldTypeError(f"a flow kind is a code (str), not {type(kind).__name__}")
    found = _catalogue(catalogues).get(kind)
    if found is None:
        return None
    code = found.get("iati_transaction_type")
    return None if code is None else str(code)


def kind_of_iati(code: str | int, catalogues: Catalogues | None = None) -> str | None:
    """The flow kind of an IATI transaction-type code (``"3"``, ``3``), or ``None``.

    >>> kind_of_iati("2"), kind_of_iati(4), kind_of_iati("99")
    ('commitment', 'expenditure', None)
    """
    from egovplan.errors import FieldTypeError

    if isinstance(code, bool) or not isinstance(code, str | int):
        raise FieldTypeError(f"an IATI code is a str or an int, not {type(code).__name__}")
    wanted = str(code).strip()
    for kind in _catalogue(catalogues):
        if str(kind.get("iati_transaction_type")) == wanted:
            return kind.code
    return None


def _flows_of(plan: Plan | Funding | Iterable[Flow]) -> tuple[Flow, ...]:
    """The flows of a plan, none of a bare funding, or the flows given.

    A plan is known by its ``flows`` (a tuple), not by its class: :mod:`egovplan.plan`
    builds on this module.
    """
    from egovplan.errors import FieldTypeError
    from egovplan.funding import Funding

    if isinstance(plan, Funding):
        return ()
    if isinstance(plan, str | bytes) or not isinstance(plan, Iterable):
        found = getattr(plan, "flows", None)
        if isinstance(found, tuple) and hasattr(plan, "funding"):  # a Plan
            return found
        raise FieldTypeError(f"expected a Plan or Flow records, not {type(plan).__name__}")
    flows = tuple(plan)
    for flow in flows:
        if not isinstance(flow, Flow):
            raise FieldTypeError(f"expected Flow records, not {type(flow).__name__}")
    return flows


def actual_flows(
    flows: Plan | Iterable[Flow],
    kinds: Iterable[str] | None = None,
    *,
    catalogues: Catalogues | None = None,
) -> tuple[Flow, ...]:
    """The flows that count as actual: those of ``kinds`` (default: :func:`spent_kinds`).

    ``flows`` is a plan (its :attr:`~egovplan.plan.Plan.flows`) or flows themselves.
    A plan that records both the disbursement to an agency and the agency's expenditure
    of the same money counts it twice by default: pass ``kinds=["expenditure"]`` (or
    ``["disbursement"]``) to count one stage only.

    >>> flows = [Flow(id="c", kind="commitment", amount=Money(9, "VND")),
    ...          Flow(id="d", kind="disbursement", amount=Money(4, "VND"))]
    >>> [flow.id for flow in actual_flows(flows)], len(actual_flows(flows, ["commitment"]))
    (['d'], 1)
    """
    wanted = spent_kinds(catalogues) if kinds is None else _kinds(kinds)
    return tuple(flow for flow in _flows_of(flows) if flow.kind in wanted)


def _kinds(kinds: Iterable[str]) -> frozenset[str]:
    from egovplan.errors import FieldTypeError

    if isinstance(kinds, str):
        return frozenset({kinds})
    found = frozenset(kinds)
    for kind in found:
        if not isinstance(kind, str):
            raise FieldTypeError(f"flow kinds must be codes (str), not {type(kind).__name__}")
    return found


# -- tables ---------------------------------------------------------------------------------


@in_own_context
def flows_table(
    plan: Plan | Iterable[Flow],
    *,
    locale: str | None = None,
    unit: str | None = None,
    places: int | None = None,
    catalogues: Catalogues | None = None,
) -> Table:
    """The flows as a table: one row per flow, one column per field of :class:`Flow`.

    The columns are derived from the fields of :class:`Flow`
    (:func:`egovplan.tables.records_table`); a flow's kind is shown by its name in
    ``locale``. There is no totals row: flows of different kinds do not add up.

    >>> flows = [Flow(id="d1", kind="disbursement", source="central", year=2021,
    ...               amount=Money("1500000000", "VND"))]
    >>> print(flows_table(flows, locale="vi", unit="million").to_text(), end="")
    Dòng tiền thực tế
                         Đơn vị: triệu đồng
    Mã  Loại       Nguồn vốn  Năm   Số tiền
    --  ---------  ---------  ----  -------
    d1  giải ngân  central    2021    1.500
    """
    from egovplan.display import resolve_locale, resolve_unit
    from egovplan.tables import records_table, table_word

    flows = _flows_of(plan)
    metadata = None if isinstance(plan, Iterable) else getattr(plan, "metadata", None)
    loc = resolve_locale(locale, "en" if metadata is None else metadata.language)
    labels = _catalogue(catalogues)

    def kind(code: str) -> str:
        found = labels.get(code)
        return code if found is None else found.label(loc)

    return records_table(
        Flow,
        flows,
        title=table_word("flows_title", loc),
        locale=loc,
        unit=resolve_unit(unit, "one"),
        places=places,
        show={"kind": kind},
    )


#: Public names that live in a module above this one (which builds on it), still
#: importable from here, lazily.
_ELSEWHERE: Final = {
    "execution_command_output": "egovplan.executions",
    "flow_rules": "egovplan.rules",
}


def __getattr__(name: str) -> Any:
    """The names of :data:`_ELSEWHERE`, imported from their own module on first use."""
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_ELSEWHERE})

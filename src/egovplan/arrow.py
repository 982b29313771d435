"""Plans as Apache Arrow tables and Parquet files (optional extra ``egovplan[arrow]``).

When the data outgrows one machine — every province, every year, millions of budget
lines — hand it to an engine that scales: :func:`to_arrow` turns one part of a plan into a
:class:`pyarrow.Table` with a fixed, documented column schema, and :func:`write_parquet`
writes every part as Parquet files that DuckDB, Polars, Spark, BigQuery or any other
Arrow/Parquet engine reads. pyarrow is imported only inside these functions; ``import
egovplan`` never loads it.

**Amounts are exact**: ``decimal128(38, scale)`` where ``scale`` is the number of minor-unit
digits of the currency (0 for VND, 2 for USD; the largest of them when a table mixes
currencies), never a float. Pass ``scale=`` to fix it (say ``scale=2`` for a data set
mixing VND and USD, so that every file has the same schema). An amount that does not fit
exactly (more decimals than ``scale``, more than 38 digits) is an :class:`ArrowExportError`,
never a silent rounding. Non-money numbers (target values, observed values and scores) are
``decimal128(38, 10)``.

The tables (:data:`TABLES`), one row per item, every table starting with the plan's id so
that the files of many plans can be read together:

``budget_lines`` (one row per :class:`~egovplan.funding.BudgetLine`)
    ``plan`` string, ``id`` string, ``source`` string, ``year`` int32?, ``agency``
    string?, ``task`` string?, ``objective`` string?, ``category`` string?
    (``"investment"``/``"recurrent"``, the line's own), ``amount`` decimal128(38, scale),
    ``currency`` string, ``period`` string? (``"2021-2023"``, ``"Q3 2021"``), ``status``
    string? (``"original"``/``"revised"``), ``period_start`` date32?, ``period_end`` date32?.
``sources`` (one row per :class:`~egovplan.funding.FundingSource`)
    ``plan``, ``id``, ``kind`` string?, ``name`` string (the first label, as the document
    writes it), ``category`` string?, ``amount`` decimal128(38, scale)?, ``currency``
    string? (``amount`` and ``currency`` are null for a source named without an amount),
    ``amount_in_words`` string?.
``targets`` (one row per :class:`~egovplan.objective.Target`, of objectives and tasks)
    ``plan``, ``objective`` string? (the id of the objective holding it; null for a task's
    target), ``id``, ``measure`` string, ``comparator`` string (``eq gt ge lt le
    between``), ``value`` decimal?, ``upper`` decimal?, ``unit`` string, ``deadline``
    string? (as files write a time: ``"2025"``, ``"by 2024-Q3"``, ``"2023-06-30"``),
    ``scope`` string?, ``indicator`` string?, ``baseline_value`` decimal?,
    ``baseline_year`` int32?, ``by_level`` list<struct<level string, comparator string?,
    value decimal, upper decimal?, counts string?>> (empty when not per level), ``parts``
    list<struct<label string, value decimal>>, ``items`` list<string>, ``task`` string?
    (the id of the task holding it; null for an objective's target), ``baseline_source``
    string?, ``kind`` string, ``qualifiers`` list<string>, ``description`` string?,
    ``verification`` string?, ``items_listed_in`` string?, ``contributes_to``
    list<struct<plan string, target string>>, ``measure_labels`` map<string, string>?
    (the measure in each language, when written in several: ``measure`` then holds
    the first, as the document writes it).
``observations`` (one row per :class:`~egovplan.indicator.Observation`)
    ``plan``, ``indicator`` string, ``subject`` string, ``period`` string (``"2021"``,
    ``"2021-2025"``, ``"Q2 2018"``), ``period_start`` date32, ``period_end`` date32,
    ``value`` decimal?, ``score`` decimal?, ``rank`` int32?, ``ranked`` int32?.
``assignments`` (one row per :class:`~egovplan.task.Assignment` of every task)
    ``plan``, ``task`` string, ``position`` int32 (its place in the task's list),
    ``agency`` string, ``role`` string.
``flows`` (one row per :class:`~egovplan.flows.Flow`: money that actually moved)
    ``plan``, ``id``, ``kind`` string, ``source`` string?, ``year`` int32?, ``period``
    string?, ``period_start`` date32?, ``period_end`` date32?, ``date`` date32?,
    ``agency`` string?, ``task`` string?, ``objective`` string?, ``category`` string?,
    ``description`` string?, ``amount`` decimal128(38, scale) (negative for a return),
    ``currency`` string.

A ``?`` marks a nullable column; the others are never null. Column names and types are
stable: new columns may be added at the end, existing ones are not renamed or retyped
(except once, with file format version 3: a target's ``deadline`` became text, as a
time may now be a quarter, a month or a day; ``by_level`` a list of structs, as each
level has its own comparator and counted thing; ``objective`` nullable, as a task holds
targets too).

**The columns are derived from the models** (:func:`model_columns`): every field of the
row's class is a column (or two, or a few: see there), once per class, so a field added to
a model appears in its table with no edit here. A table names only its class, how to find
its rows in a plan and the columns it adds (``plan``; the objective of a target, the task
and position of an assignment). ``data/arrow.json`` records the order the columns were
published in; columns not yet recorded (a new field's) come after them, in field order,
until ``python -m egovplan.arrow --freeze`` records them too.

>>> from egovplan.funding import BudgetLine, Funding, FundingSource
>>> from egovplan.document import PlanMetadata
>>> from egovplan.labels import Labels
>>> from egovplan.money import Money
>>> from egovplan.period import Period
>>> from egovplan.plan import Plan
>>> plan = Plan(id="demo", metadata=PlanMetadata(kind="plan", title="Demo"),
...             period=Period.years(2021, 2022),
...             funding=Funding(
...                 sources=(FundingSource(id="s", kind="grant", names=Labels(vi="Tài trợ"),
...                                        amount=Money(300, "VND")),),
...                 lines=(BudgetLine(id="l1", source="s", year=2021, amount=Money(100, "VND")),
...                        BudgetLine(id="l2", source="s", year=2022, amount=Money(200, "VND")))))
>>> table = to_arrow(plan, "budget_lines")
>>> table.num_rows, str(table.schema.field("amount").type)
(2, 'decimal128(38, 0)')
>>> sum(table.column("amount").to_pylist())
Decimal('300')
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib
import json
import os
import tempfile
import typing
import urllib.parse
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast, get_args, get_origin

import attrs

from egovplan import _decimal, _derive
from egovplan._data import data_text
from egovplan.errors import EgovplanError, FieldTypeError, MissingDependencyError
from egovplan.labels import Labels
from egovplan.money import Money, minor_digits
from egovplan.period import Period, Quarter
from egovplan.when import When

if TYPE_CHECKING:
    from egovplan.plan import Plan

__all__ = [
    "MONEY_PRECISION",
    "TABLES",
    "VALUE_SCALE",
    "ArrowExportError",
    "Column",
    "arrow_schema",
    "freeze",
    "model_columns",
    "to_arrow",
    "write_parquet",
]

#: The tables :func:`to_arrow` and :func:`write_parquet` know, in the order written.
TABLES: Final = ("budget_lines", "sources", "targets", "observations", "assignments", "flows")

#: The precision (total digits) of every decimal column.
MONEY_PRECISION: Final = 38

#: The scale (digits after the point) of non-money decimal columns (target values, scores).
VALUE_SCALE: Final = 10

# Wide enough to quantize any amount a model can hold (|x| < 1E61, 60 decimals at most).
_WIDE: Final = _decimal.context(200)

_INSTALL_HINT: Final = "Arrow and Parquet export needs pyarrow: pip install 'egovplan[arrow]'"


class ArrowExportError(EgovplanError, ValueError):
    """A plan could not be exported exactly: an unknown table, or a number that does not fit.

    Also a model field of a type no rule gives a column (:func:`model_columns`).

    >>> from egovplan.document import PlanMetadata
    >>> from egovplan.period import Period
    >>> from egovplan.plan import Plan
    >>> to_arrow(Plan(id="p", metadata=PlanMetadata(kind="plan", title="P"),
    ...               period=Period.year(2021)), "lines")
    Traceback (most recent call last):
    ...
    egovplan.arrow.ArrowExportError: unknown table 'lines'; choose one of budget_lines, ...
    """


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError as error:
        raise MissingDependencyError(_INSTALL_HINT) from error


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ArrowExportError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def _check_scale(scale: int) -> int:
    if isinstance(scale, bool) or not isinstance(scale, int):
        raise FieldTypeError(f"scale must be an int, not {type(scale).__name__}")
    if not 0 <= scale <= MONEY_PRECISION:
        raise ArrowExportError(f"scale must be in 0..{MONEY_PRECISION}, not {scale}")
    return scale


def arrow_schema(table: str, *, scale: int = 0) -> Any:
    """The :class:`pyarrow.Schema` of ``table``, with money columns at ``scale`` decimals.

    Useful to declare the schema to another engine, or to check files written earlier.

    Args:
        table: one of :data:`TABLES`.
        scale: decimals of the money columns (``amount``).

    Raises:
        ArrowExportError: an unknown table or a scale outside ``0..38``.
        ImportError: pyarrow is not installed.

    >>> [field.name for field in arrow_schema("assignments")]
    ['plan', 'task', 'position', 'agency', 'role']
    >>> str(arrow_schema("sources", scale=2).field("amount").type)
    'decimal128(38, 2)'
    """
    _check_table(table)
    _check_scale(scale)
    pa = _pyarrow()
    return pa.schema([column.arrow_field(pa, scale) for column in _table_columns(table)])


# --- columns derived from the models -------------------------------------------------------

#: An Arrow type, given pyarrow and the scale of money columns.
Kind = Callable[[Any, int], Any]


@attrs.frozen
class Column:
    """One column of a table, derived from a model's field (or given by the table).

    Attributes:
        name: the column's name.
        kind: its Arrow type, given pyarrow and the scale of money columns.
        nullable: whether a cell may be null (an optional field, or a field of one).
        path: where the cell's value lies in the item (``"baseline.value"``), for messages.
        source: the cell as a Python expression of the row's item ``x`` (the generated
            code's), or ``""`` for a column a table adds.
        namespace: the objects ``source`` names.
        cell: the cell of one row's item (``source`` compiled), None for a column a
            table adds.
    """

    name: str
    kind: Kind
    nullable: bool
    path: str
    source: str = ""
    namespace: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    cell: Callable[[Any], Any] | None = attrs.field(default=None, eq=False, repr=False)

    def arrow_field(self, pa: Any, scale: int) -> Any:
        """The column as a :class:`pyarrow.Field`."""
        return pa.field(self.name, self.kind(pa, scale), nullable=self.nullable)


def _text(pa: Any, scale: int) -> Any:
    return pa.string()


def _int(pa: Any, scale: int) -> Any:
    return pa.int32()


def _bool(pa: Any, scale: int) -> Any:
    return pa.bool_()


def _date(pa: Any, scale: int) -> Any:
    return pa.date32()


def _value(pa: Any, scale: int) -> Any:
    return pa.decimal128(MONEY_PRECISION, VALUE_SCALE)


def _money(pa: Any, scale: int) -> Any:
    return pa.decimal128(MONEY_PRECISION, scale)


#: How a value becomes its cell: given the expression of the value (never None) and the
#: namespace of the generated code, the expression of the cell.
Template = Callable[[str, _derive.Names], str]


def _is_pairs(type_: Any) -> bool:
    """Whether ``type_`` is ``tuple[tuple[str, X], ...]`` (a mapping written as pairs)."""
    if get_origin(type_) is not tuple:
        return False
    item = get_args(type_)[0]
    return get_origin(item) is tuple and len(get_args(item)) == 2 and get_args(item)[0] is str


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple and len(get_args(type_)) == 2 and get_args(type_)[1] is ...


class _Temps:
    """Names of the generated code's temporary variables, each used once."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"_t{self.count}"


def _leaf(type_: Any, where: str, temps: _Temps) -> tuple[Kind, Template | None]:
    """The Arrow type of a one-cell value of ``type_``, and how a value becomes its cell."""
    if type_ in (str, bool, int, Decimal, dt.date):
        return _LEAF_KINDS[type_], None
    if type_ in (Labels, Period, When):
        # A Labels' first label; a period or a time as files write it ("by 2025-Q3").
        return _text, lambda v, n: f"str({v})"
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        # An enum's code when it has one (a comparator's "ge"), else its value.
        attribute = "code" if isinstance(getattr(type_, "code", None), property) else "value"
        return _text, lambda v, n: f"{v}.{attribute}"
    if _is_pairs(type_):
        value_kind, value_cell = _leaf(get_args(get_args(type_)[0])[1], where, temps)

        def pairs_kind(pa: Any, scale: int) -> Any:
            return pa.map_(pa.string(), value_kind(pa, scale))

        if value_cell is None:
            return pairs_kind, lambda v, n: f"list({v})"
        key, value = temps(), temps()

        def pairs(v: str, n: _derive.Names) -> str:
            return f"[({key}, {value_cell(value, n)}) for {key}, {value} in {v}]"

        return pairs_kind, pairs
    if _is_tuple(type_):
        item = get_args(type_)[0]
        if attrs.has(item) and item not in _VALUES:
            columns = model_columns(item)

            def struct_kind(pa: Any, scale: int) -> Any:
                return pa.list_(pa.struct([c.arrow_field(pa, scale) for c in columns]))

            structs = _structs(item)
            return struct_kind, lambda v, n: f"{n(structs)}({v})"
        item_kind, item_cell = _leaf(item, where, temps)

        def list_kind(pa: Any, scale: int) -> Any:
            return pa.list_(pa.field("item", item_kind(pa, scale), nullable=False))

        if item_cell is None:
            return list_kind, lambda v, n: f"list({v})"
        entry = temps()
        return list_kind, lambda v, n: f"[{item_cell(entry, n)} for {entry} in {v}]"
    raise ArrowExportError(
        f"egovplan.arrow cannot derive a column for {where} of type"
        f" {type_.__name__ if isinstance(type_, type) else type_}: give"
        " arrow._leaf a rule for the type (its Arrow type and how a value becomes a cell)"
    )


_LEAF_KINDS: Final[dict[Any, Kind]] = {
    str: _text,
    bool: _bool,
    int: _int,
    Decimal: _value,
    dt.date: _date,
}

#: Text in the document's language or text per language (a title, a target's measure).
_TEXT_OR_LABELS: Final = str | Labels


def _labels_map(pa: Any, scale: int) -> Any:
    return pa.map_(pa.string(), pa.string())


#: The value types held in one cell (or a few, for Money and Period) rather than flattened.
_VALUES: Final = (Money, Labels, Period, Quarter, When)


def _guarded(base: str, cell: Template | None, optional: bool, n: _derive.Names, t: _Temps) -> str:
    """The expression of a cell: ``cell`` of ``base``, None when ``base`` is and may be."""
    if cell is None:
        return base
    if not optional:
        return cell(base, n)
    temp = t()
    return f"(None if ({temp} := {base}) is None else {cell(temp, n)})"


def _derived(
    cls: type,
    item: str,
    prefix: str,
    nullable: bool,
    names: _derive.Names,
    temps: _Temps,
) -> list[tuple[str, Kind, bool, str, str]]:
    """``(name, kind, nullable, source, path)`` of each column of ``cls`` held at ``item``."""
    found: list[tuple[str, Kind, bool, str, str]] = []
    hints = typing.get_type_hints(cls)
    path_prefix = prefix.rstrip("_").replace("_", ".") + "." if prefix else ""
    for field in attrs.fields(cls):
        if not field.init:
            continue
        type_, optional = _derive.unwrap_optional(hints[field.name])
        may_be_null = optional or nullable
        name, path = prefix + field.name, path_prefix + field.name
        get = f"{item}.{field.name}"

        def cell(template: Template | None, get: str = get, optional: bool = optional) -> str:
            return _guarded(get, template, optional, names, temps)

        if type_ is Money:
            currency = "currency" if field.name == "amount" else f"{field.name}_currency"
            found += [
                (name, _money, may_be_null, cell(lambda v, n: f"{v}.amount"), path),
                (prefix + currency, _text, may_be_null, cell(lambda v, n: f"{v}.currency"), path),
            ]
        elif type_ == _TEXT_OR_LABELS:
            # Text in one language or several: the text (a Labels' first label, as the
            # document writes it first), and every language's in a map (null for text).
            found += [
                (name, _text, may_be_null, cell(lambda v, n: f"str({v})"), path),
                (
                    f"{name}_labels",
                    _labels_map,
                    True,
                    cell(lambda v, n: f"(None if type({v}) is str else list({v}.items()))"),
                    path,
                ),
            ]
        elif type_ is Period:
            found += [
                (name, _text, may_be_null, cell(lambda v, n: f"str({v})"), path),
                (f"{name}_start", _date, may_be_null, cell(lambda v, n: f"{v}.first_day"), path),
                (f"{name}_end", _date, may_be_null, cell(lambda v, n: f"{v}.last_day"), path),
            ]
        elif attrs.has(type_) and type_ not in _VALUES:
            held = temps() if optional else get
            for inner in _derived(type_, held, f"{name}_", may_be_null, names, temps):
                source = inner[3]
                if optional:
                    source = f"(None if ({held} := {get}) is None else {source})"
                found.append((inner[0], inner[1], inner[2], source, inner[4]))
        else:
            kind, template = _leaf(type_, f"{cls.__name__}.{field.name}", temps)
            found.append((name, kind, may_be_null, cell(template), path))
    return found


@functools.cache
def model_columns(cls: type) -> tuple[Column, ...]:
    """The columns of one row per ``cls`` item, derived from its fields, once per class.

    One column per field, named as the field, except:

    - a :class:`~egovplan.money.Money` field gives two: its amount (``amount``, a
      ``decimal128(38, scale)``) and its currency (``currency`` for a field named
      ``amount``, ``<field>_currency`` for any other);
    - a field of text in one language or several (``str | Labels``) gives the text (a
      ``Labels``' first label) and ``<field>_labels``, a ``map<string, string>`` of every
      language's text (null for plain text);
    - a :class:`~egovplan.period.Period` field gives its text (``"2021-2023"``) and its
      first and last days (``<field>_start``, ``<field>_end``, ``date32``);
    - a field holding one model (a :class:`~egovplan.objective.Baseline`) gives that
      model's columns, each named ``<field>_<its name>``;
    - a tuple of models gives a list of structs of their columns, a tuple of
      ``(id, number)`` pairs a map, a tuple of anything else a list.

    Text, ids and codes are ``string``, an enum its member's code (``Comparator.code``)
    or value, ``Labels`` their first label, a number ``decimal128(38, 10)``, an int
    ``int32``, a date ``date32``. A column is nullable when its field is optional, or
    lies in one that is. A field of any other type is an :class:`ArrowExportError` naming it.

    Each column's cell is a Python expression (:attr:`Column.source`): a table's columns
    are read by one generated function, kept in :mod:`linecache` as the loaders are.

    >>> from egovplan.objective import Target
    >>> [(c.name, c.nullable, c.path) for c in model_columns(Target)][10:12]
    [('baseline_value', True, 'baseline.value'), ('baseline_year', True, 'baseline.year')]
    """
    names = _derive.Names()
    columns = []
    for name, kind, nullable, source, path in _derived(cls, "x", "", False, names, _Temps()):
        cell = _derive.compile_function(
            "cell",
            ["def cell(x):", f"    return {source}"],
            dict(names.namespace),
            f"<egovplan generated arrow cell {cls.__qualname__}.{name}>",
        )
        columns.append(Column(name, kind, nullable, path, source, names.namespace, cell))
    return tuple(columns)


@functools.cache
def _structs(cls: type) -> Callable[[Any], list[dict[str, Any]]]:
    """The generated function giving a tuple of ``cls`` as a list of struct cells."""
    columns = model_columns(cls)
    entries = ", ".join(f"{c.name!r}: {c.source}" for c in columns)
    namespace = dict(columns[0].namespace) if columns else {}
    return cast(
        "Callable[[Any], list[dict[str, Any]]]",
        _derive.compile_function(
            "structs",
            ["def structs(items):", f"    return [{{{entries}}} for x in items]"],
            namespace,
            f"<egovplan generated arrow structs {cls.__qualname__}>",
        ),
    )


@attrs.frozen
class _Rows:
    """The rows of a table in one plan: one per item, and the columns the table adds.

    Attributes:
        items: the model objects, one per row.
        where: the path in the plan of row ``i``'s item (``funding.lines[3]``).
        context: the table's own columns' cells (the plan's id is added to every table).
        context_paths: the path of a context column's cell in row ``i``.
    """

    items: Sequence[Any]
    where: Callable[[int], str]
    context: dict[str, list[Any]] = attrs.field(factory=dict)
    context_paths: dict[str, Callable[[int], str]] = attrs.field(factory=dict)


@attrs.frozen
class _Table:
    """What a table holds: one row per item of ``model``, found by ``rows``.

    Attributes:
        model: the class of the items; every field of it is a column (:func:`model_columns`).
        rows: the table's rows in a plan.
        context: the table's own columns after ``plan`` (the objective or the task holding
            a target), with their Python types (``str | None`` for a nullable one).
        renames: columns named otherwise than their field (``names`` → ``name``).
    """

    model: type
    rows: Callable[[Plan], _Rows]
    context: tuple[tuple[str, Any], ...] = ()
    renames: dict[str, str] = attrs.field(factory=dict)


def _budget_lines(plan: Plan) -> _Rows:
    return _Rows(plan.funding.lines, lambda i: f"funding.lines[{i}]")


def _sources(plan: Plan) -> _Rows:
    return _Rows(plan.funding.sources, lambda i: f"funding.sources[{i}]")


def _targets(plan: Plan) -> _Rows:
    found = list(plan.walk_targets())
    # walk_targets visits objectives in the same depth-first order as walk_objectives, then
    # the tasks in order: a target's owner is one objective or one task.
    objectives: list[str | None] = [
        objective.id for _, objective in plan.walk_objectives() for _ in objective.targets
    ]
    tasks: list[str | None] = [None] * len(objectives)
    for task in plan.tasks:
        objectives += [None] * len(task.targets)
        tasks += [task.id] * len(task.targets)
    paths = [path for path, _ in found]

    def owner(i: int) -> str:
        # "objectives[0].children[1].targets[2]", "tasks[3].targets[0]": its owner's id
        return f"{paths[i].rpartition('.targets[')[0]}.id"

    return _Rows(
        [target for _, target in found],
        paths.__getitem__,
        {"objective": objectives, "task": tasks},
        {"objective": owner, "task": owner},
    )


def _observations(plan: Plan) -> _Rows:
    return _Rows(plan.observations, lambda i: f"observations[{i}]")


def _assignments(plan: Plan) -> _Rows:
    rows = [
        (task_index, task.id, position, assignment)
        for task_index, task in enumerate(plan.tasks)
        for position, assignment in enumerate(task.assignments)
    ]
    return _Rows(
        [row[3] for row in rows],
        lambda i: f"tasks[{rows[i][0]}].assignments[{rows[i][2]}]",
        {"task": [row[1] for row in rows], "position": [row[2] for row in rows]},
        {
            "task": lambda i: f"tasks[{rows[i][0]}].id",
            "position": lambda i: f"tasks[{rows[i][0]}].assignments[{rows[i][2]}]",
        },
    )


def _flows(plan: Plan) -> _Rows:
    return _Rows(plan.flows, lambda i: f"flows[{i}]")


def _tables() -> dict[str, _Table]:
    from egovplan.flows import Flow
    from egovplan.funding import BudgetLine, FundingSource
    from egovplan.indicator import Observation
    from egovplan.objective import Target
    from egovplan.task import Assignment

    owner: Any = str | None  # a target's owner: an objective or a task
    return {
        "budget_lines": _Table(BudgetLine, _budget_lines),
        "sources": _Table(FundingSource, _sources, renames={"names": "name"}),
        "targets": _Table(Target, _targets, context=(("objective", owner), ("task", owner))),
        "observations": _Table(Observation, _observations),
        "assignments": _Table(Assignment, _assignments, context=(("task", str), ("position", int))),
        "flows": _Table(Flow, _flows),
    }


@functools.cache
def _published() -> dict[str, list[str]]:
    """The columns of each table in the order they were published (``data/arrow.json``)."""
    return cast("dict[str, list[str]]", json.loads(data_text("arrow.json")))


@functools.cache
def _table_columns(table: str) -> tuple[Column, ...]:
    """The columns of ``table``: ``plan``, the table's own, then the model's, derived once.

    Columns published before keep their place (``data/arrow.json``); the others, a new
    field's, follow in field order.
    """
    spec = _tables()[table]
    columns = [Column("plan", _text, False, "id")]
    for name, given in spec.context:
        type_, optional = _derive.unwrap_optional(given)
        columns.append(Column(name, _leaf(type_, f"{table}.{name}", _Temps())[0], optional, name))
    for column in model_columns(spec.model):
        columns.append(attrs.evolve(column, name=spec.renames.get(column.name, column.name)))
    order = {name: place for place, name in enumerate(_published().get(table, ()))}
    # sorted() is stable: new columns keep their field order after the published ones.
    return tuple(sorted(columns, key=lambda column: order.get(column.name, len(order))))


@functools.cache
def _reader(table: str) -> Callable[[Sequence[Any]], tuple[list[Any], ...]]:
    """The generated function giving the model's columns of ``table`` as lists, in order."""
    columns = [column for column in _table_columns(table) if column.source]
    lines = ["def read(items):", "    return ("]
    lines += [f"        [{column.source} for x in items]," for column in columns]
    lines.append("    )")
    namespace = dict(columns[0].namespace) if columns else {}
    return cast(
        "Callable[[Sequence[Any]], tuple[list[Any], ...]]",
        _derive.compile_function(
            "read", lines, namespace, f"<egovplan generated arrow table {table}>"
        ),
    )


def freeze() -> dict[str, list[str]]:
    """Every table's columns in today's order, as ``data/arrow.json`` records them.

    Run ``python -m egovplan.arrow --freeze`` at a release to fix the place of columns
    added since (new fields' columns come last until then).
    """
    return {table: [column.name for column in _table_columns(table)] for table in TABLES}


def _plan_scale(plan: Plan) -> int:
    return max((minor_digits(c) for c in plan.funding.currencies), default=0)


def _columns(plan: Plan, table: str) -> tuple[dict[str, list[Any]], Callable[[int, str], str]]:
    """The table's columns as Python lists, and the path of row ``i``'s cell for messages."""
    rows = _tables()[table].rows(plan)
    columns = _table_columns(table)
    read = iter(_reader(table)(rows.items))
    found: dict[str, list[Any]] = {}
    paths: dict[str, str] = {}
    for column in columns:
        if column.source:
            found[column.name] = next(read)
            paths[column.name] = column.path
        elif column.name == "plan":
            found["plan"] = [plan.id] * len(rows.items)
        else:
            found[column.name] = rows.context[column.name]

    def path(i: int, name: str) -> str:
        if name in rows.context_paths:
            return rows.context_paths[name](i)
        return f"{rows.where(i)}.{paths.get(name, name)}"

    return found, path


def _not_fitting(
    columns: dict[str, list[Any]], schema: Any, path: Callable[[int, str], str]
) -> str:
    """The first number in ``columns`` that its decimal column cannot hold exactly."""
    pa = _pyarrow()
    for field in schema:
        kind = field.type
        if not pa.types.is_decimal(kind):
            continue
        for i, number in enumerate(columns[field.name]):
            if number is None:
                continue
            digits = 1 if number.is_zero() else number.adjusted() + 1
            if number != number.quantize(Decimal(1).scaleb(-kind.scale), context=_WIDE):
                return (
                    f"{path(i, field.name)} = {number} has more than {kind.scale} decimal"
                    " places; round it first (or pass a larger scale for amounts)"
                )
            if digits + kind.scale > kind.precision:
                return (
                    f"{path(i, field.name)} = {number} has too many digits for"
                    f" decimal128({kind.precision}, {kind.scale})"
                )
    return "a number does not fit its decimal column"


def _not_unicode(columns: dict[str, list[Any]], path: Callable[[int, str], str]) -> str:
    """Where ``columns`` first hold text that is not Unicode (UTF-8 cannot encode it)."""
    from egovplan._text import has_surrogate as text_has_surrogate

    def has_surrogate(cell: Any) -> bool:  # text, or a list, pair or mapping of texts
        if isinstance(cell, dict):
            return any(map(has_surrogate, cell.values()))
        if isinstance(cell, list | tuple):
            return any(map(has_surrogate, cell))
        return text_has_surrogate(cell)

    where = next(
        (
            "id" if name == "plan" else path(i, name)  # the plan column holds the plan's id
            for name, cells in columns.items()
            for i, cell in enumerate(cells)
            if has_surrogate(cell)
        ),
        "a text",
    )
    return f"{where} has an unpaired surrogate (\\ud800-\\udfff), which is not Unicode text"


def to_arrow(plan: Plan, table: str = "budget_lines", *, scale: int | None = None) -> Any:
    """One part of ``plan`` as a :class:`pyarrow.Table` (schemas in the module doc).

    Args:
        plan: the plan.
        table: ``"budget_lines"``, ``"sources"``, ``"targets"``, ``"observations"``,
            ``"assignments"`` or ``"flows"``.
        scale: decimals of the money columns; by default the minor-unit digits of the
            plan's currency (the largest, if it has several).

    Raises:
        ArrowExportError: an unknown table, a number its column cannot hold exactly, or
            text that is not Unicode (a lone surrogate); the message gives its path in
            the plan (``funding.lines[12].amount``).
        ImportError: pyarrow is not installed.

    >>> from egovplan.document import PlanMetadata
    >>> from egovplan.period import Period
    >>> from egovplan.plan import Plan
    >>> from egovplan.task import Assignment, Task
    >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="P"),
    ...             period=Period.year(2021),
    ...             tasks=(Task(id="t1", title="Portal", assignments=(
    ...                 Assignment(agency="stttt", role="lead"),
    ...                 Assignment(agency="stc", role="fund"))),))
    >>> to_arrow(plan, "assignments").to_pylist()[1]
    {'plan': 'p', 'task': 't1', 'position': 1, 'agency': 'stc', 'role': 'fund'}
    """
    _check_table(table)
    money_scale = _plan_scale(plan) if scale is None else _check_scale(scale)
    pa = _pyarrow()
    schema = arrow_schema(table, scale=money_scale)
    columns, path = _columns(plan, table)
    try:
        arrays = [pa.array(columns[field.name], type=field.type) for field in schema]
    except UnicodeEncodeError:
        raise ArrowExportError(
            f"cannot export {table} of plan {plan.id!r}: " + _not_unicode(columns, path)
        ) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
        raise ArrowExportError(
            f"cannot export {table} of plan {plan.id!r} exactly: "
            + _not_fitting(columns, schema, path)
        ) from error
    return pa.Table.from_arrays(arrays, schema=schema)


def _file_name(plan_id: str) -> str:
    # Plan ids are free text: quote everything but letters, digits and "-_.~".
    name = urllib.parse.quote(plan_id, safe="")
    return "%2E" + name[1:] if name.startswith(".") else name


def write_parquet(
    plan: Plan,
    directory: str | os.PathLike[str],
    *,
    tables: Sequence[str] = TABLES,
    scale: int | None = None,
    compression: str = "zstd",
) -> dict[str, Path]:
    """Write ``plan``'s tables as Parquet: ``<directory>/<table>/<plan id>.parquet``.

    Many plans written into one directory make one data set per table: read
    ``<directory>/budget_lines/*.parquet`` with DuckDB, Polars, Spark or any Parquet
    reader. A plan's files are replaced when it is written again; each file is written
    to a temporary name first and then renamed, so a reader never sees half a file.

    Args:
        plan: the plan.
        directory: the data set's root directory (created when missing).
        tables: which tables to write (default: all of :data:`TABLES`).
        scale: decimals of the money columns (see :func:`to_arrow`); pass the same value
            for every plan of a data set that mixes currencies.
        compression: the Parquet codec (``"zstd"``, ``"snappy"``, ``"none"``...).

    Returns:
        The path written for each table.

    Raises:
        ArrowExportError: as :func:`to_arrow`.
        ImportError: pyarrow is not installed.
    """
    for table in tables:
        _check_table(table)
    parquet = importlib.import_module("pyarrow.parquet")
    root = Path(directory)
    written: dict[str, Path] = {}
    for table in tables:
        data = to_arrow(plan, table, scale=scale)
        folder = root / table
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{_file_name(plan.id)}.parquet"
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        os.close(handle)
        try:
            parquet.write_table(data, temporary, compression=compression)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written[table] = target
    return written


def _freeze() -> str:
    """Write every table's column order to ``data/arrow.json``; the path written."""
    target = Path(__file__).parent / "data" / "arrow.json"
    target.write_text(json.dumps(freeze(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return str(target)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys

    if sys.argv[1:] != ["--freeze"]:
        sys.exit("usage: python -m egovplan.arrow --freeze")
    print(_freeze())

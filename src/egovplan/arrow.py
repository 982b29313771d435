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
    string? (``"original"``/``"revised"``).
``sources`` (one row per :class:`~egovplan.funding.FundingSource`)
    ``plan``, ``id``, ``kind`` string?, ``name`` string (the first label, as the document
    writes it), ``category`` string?, ``amount`` decimal128(38, scale)?, ``currency``
    string? (``amount`` and ``currency`` are null for a source named without an amount).
``targets`` (one row per :class:`~egovplan.objective.Target`, nested objectives included)
    ``plan``, ``objective`` string (the id of the objective holding it), ``id``,
    ``measure`` string, ``comparator`` string (``eq gt ge lt le between``), ``value``
    decimal?, ``upper`` decimal?, ``unit`` string, ``deadline`` int32?, ``scope`` string?,
    ``indicator`` string?, ``baseline_value`` decimal?, ``baseline_year`` int32?,
    ``by_level`` map<string, decimal> (empty when not per level), ``parts``
    list<struct<label string, value decimal>>, ``items`` list<string>.
``observations`` (one row per :class:`~egovplan.indicator.Observation`)
    ``plan``, ``indicator`` string, ``subject`` string, ``period`` string (``"2021"``,
    ``"2021-2025"``, ``"Q2 2018"``), ``period_start`` date32, ``period_end`` date32,
    ``value`` decimal?, ``score`` decimal?, ``rank`` int32?, ``ranked`` int32?.
``assignments`` (one row per :class:`~egovplan.task.Assignment` of every task)
    ``plan``, ``task`` string, ``position`` int32 (its place in the task's list),
    ``agency`` string, ``role`` string.

A ``?`` marks a nullable column; the others are never null. Column names and types are
stable: new columns may be added at the end, existing ones are not renamed or retyped.

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

import importlib
import os
import tempfile
import urllib.parse
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from egovplan import _decimal
from egovplan.errors import EgovplanError, FieldTypeError, MissingDependencyError
from egovplan.money import minor_digits

if TYPE_CHECKING:
    from egovplan.plan import Plan

__all__ = [
    "MONEY_PRECISION",
    "TABLES",
    "VALUE_SCALE",
    "ArrowExportError",
    "arrow_schema",
    "to_arrow",
    "write_parquet",
]

#: The tables :func:`to_arrow` and :func:`write_parquet` know, in the order written.
TABLES: Final = ("budget_lines", "sources", "targets", "observations", "assignments")

#: The precision (total digits) of every decimal column.
MONEY_PRECISION: Final = 38

#: The scale (digits after the point) of non-money decimal columns (target values, scores).
VALUE_SCALE: Final = 10

# Wide enough to quantize any amount a model can hold (|x| < 1E61, 60 decimals at most).
_WIDE: Final = _decimal.context(200)

_INSTALL_HINT: Final = "Arrow and Parquet export needs pyarrow: pip install 'egovplan[arrow]'"


class ArrowExportError(EgovplanError, ValueError):
    """A plan could not be exported exactly: an unknown table, or a number that does not fit.

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
    text, i32 = pa.string(), pa.int32()
    money = pa.decimal128(MONEY_PRECISION, scale)
    value = pa.decimal128(MONEY_PRECISION, VALUE_SCALE)

    def req(name: str, kind: Any) -> Any:
        return pa.field(name, kind, nullable=False)

    def opt(name: str, kind: Any) -> Any:
        return pa.field(name, kind, nullable=True)

    columns: dict[str, list[Any]] = {
        "budget_lines": [
            req("plan", text),
            req("id", text),
            req("source", text),
            opt("year", i32),
            opt("agency", text),
            opt("task", text),
            opt("objective", text),
            opt("category", text),
            req("amount", money),
            req("currency", text),
            opt("period", text),
            opt("status", text),
        ],
        "sources": [
            req("plan", text),
            req("id", text),
            opt("kind", text),
            req("name", text),
            opt("category", text),
            opt("amount", money),
            opt("currency", text),
        ],
        "targets": [
            req("plan", text),
            req("objective", text),
            req("id", text),
            req("measure", text),
            req("comparator", text),
            opt("value", value),
            opt("upper", value),
            req("unit", text),
            opt("deadline", i32),
            opt("scope", text),
            opt("indicator", text),
            opt("baseline_value", value),
            opt("baseline_year", i32),
            req("by_level", pa.map_(text, value)),
            req(
                "parts",
                pa.list_(pa.struct([pa.field("label", text, nullable=False), opt("value", value)])),
            ),
            req("items", pa.list_(pa.field("item", text, nullable=False))),
        ],
        "observations": [
            req("plan", text),
            req("indicator", text),
            req("subject", text),
            req("period", text),
            req("period_start", pa.date32()),
            req("period_end", pa.date32()),
            opt("value", value),
            opt("score", value),
            opt("rank", i32),
            opt("ranked", i32),
        ],
        "assignments": [
            req("plan", text),
            req("task", text),
            req("position", i32),
            req("agency", text),
            req("role", text),
        ],
    }
    return pa.schema(columns[table])


def _plan_scale(plan: Plan) -> int:
    return max((minor_digits(c) for c in plan.funding.currencies), default=0)


def _columns(plan: Plan, table: str) -> tuple[dict[str, list[Any]], Callable[[int, str], str]]:
    """The table's columns as Python lists, and the path of row ``i`` for messages."""
    pid = plan.id
    if table == "budget_lines":
        lines = plan.funding.lines
        return {
            "plan": [pid] * len(lines),
            "id": [line.id for line in lines],
            "source": [line.source for line in lines],
            "year": [line.year for line in lines],
            "agency": [line.agency for line in lines],
            "task": [line.task for line in lines],
            "objective": [line.objective for line in lines],
            "category": [None if line.category is None else line.category.value for line in lines],
            "amount": [line.amount.amount for line in lines],
            "currency": [line.amount.currency for line in lines],
            "period": [None if line.period is None else str(line.period) for line in lines],
            "status": [None if line.status is None else line.status.value for line in lines],
        }, lambda i, column: f"funding.lines[{i}].{column}"
    if table == "sources":
        sources = plan.funding.sources
        return {
            "plan": [pid] * len(sources),
            "id": [s.id for s in sources],
            "kind": [s.kind for s in sources],
            "name": [str(s.names) for s in sources],
            "category": [None if s.category is None else s.category.value for s in sources],
            "amount": [None if s.amount is None else s.amount.amount for s in sources],
            "currency": [None if s.amount is None else s.amount.currency for s in sources],
        }, lambda i, column: f"funding.sources[{i}].{'names' if column == 'name' else column}"
    if table == "targets":
        return _target_columns(plan)
    if table == "observations":
        observations = plan.observations
        return {
            "plan": [pid] * len(observations),
            "indicator": [o.indicator for o in observations],
            "subject": [o.subject for o in observations],
            "period": [str(o.period) for o in observations],
            "period_start": [o.period.first_day for o in observations],
            "period_end": [o.period.last_day for o in observations],
            "value": [o.value for o in observations],
            "score": [o.score for o in observations],
            "rank": [o.rank for o in observations],
            "ranked": [o.ranked for o in observations],
        }, lambda i, column: f"observations[{i}].{column}"
    rows = [
        (task_index, task.id, position, assignment)
        for task_index, task in enumerate(plan.tasks)
        for position, assignment in enumerate(task.assignments)
    ]

    def assignment_path(i: int, column: str) -> str:
        if column == "task":
            return f"tasks[{rows[i][0]}].id"
        return f"tasks[{rows[i][0]}].assignments[{rows[i][2]}].{column}"

    return {
        "plan": [pid] * len(rows),
        "task": [row[1] for row in rows],
        "position": [row[2] for row in rows],
        "agency": [row[3].agency for row in rows],
        "role": [row[3].role for row in rows],
    }, assignment_path


def _target_columns(plan: Plan) -> tuple[dict[str, list[Any]], Callable[[int, str], str]]:
    found = list(plan.walk_targets())
    owners = [objective.id for _, objective in plan.walk_objectives() for _ in objective.targets]
    # walk_targets visits objectives in the same depth-first order as walk_objectives.
    targets = [target for _, target in found]
    paths = [path for path, _ in found]

    def target_path(i: int, column: str) -> str:
        if column == "objective":  # "objectives[0].children[1].targets[2]": its owner's id
            return f"{paths[i].rpartition('.targets[')[0]}.id"
        return f"{paths[i]}.{column}"

    return {
        "plan": [plan.id] * len(targets),
        "objective": owners,
        "id": [t.id for t in targets],
        "measure": [t.measure for t in targets],
        "comparator": [t.comparator.code for t in targets],
        "value": [t.value for t in targets],
        "upper": [t.upper for t in targets],
        "unit": [t.unit for t in targets],
        "deadline": [t.deadline for t in targets],
        "scope": [t.scope for t in targets],
        "indicator": [t.indicator for t in targets],
        "baseline_value": [None if t.baseline is None else t.baseline.value for t in targets],
        "baseline_year": [None if t.baseline is None else t.baseline.year for t in targets],
        "by_level": [list(t.by_level) for t in targets],
        "parts": [[{"label": p.label, "value": p.value} for p in t.parts] for t in targets],
        "items": [list(t.items) for t in targets],
    }, target_path


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
        table: ``"budget_lines"``, ``"sources"``, ``"targets"``, ``"observations"`` or
            ``"assignments"``.
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

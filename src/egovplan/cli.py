"""The ``egovplan`` command-line tool (also ``python -m egovplan``).

Commands:

- ``egovplan validate FILE... [--format text|json] [--locale LOCALE] [--ruleset NAME]``
- ``egovplan show FILE [--locale LOCALE] [--unit UNIT]``
- ``egovplan breakdown FILE --by DIMENSION [--by2 DIMENSION] [--format
  text|markdown|csv|json|html] [--locale LOCALE] [--unit UNIT]``
- ``egovplan convert IN OUT``
- ``egovplan schema [--format-version N]``
- ``egovplan upgrade FILE [--output OUT]``: rewrite a file of an older format version in
  the current one (:mod:`egovplan.versions`)

``validate``, ``show``, ``breakdown``, ``convert`` and ``upgrade`` take ``--untrusted``:
the files are read with :meth:`egovplan.files.Limits.untrusted` (16 MiB, 32 levels, 20
aliases, a million values, 40 digits), for files from people you do not know.

A plan whose funding sources are in more than one currency is wrong (validation reports
EGP208); ``show`` still shows it, with a table and a total per currency, and
``breakdown``, which adds amounts, refuses it with one line saying so (exit 2).

``LOCALE`` is any locale babel knows (``vi``, ``en``, ``fr_FR``, ``de-CH``...): numbers are
written as it writes them, and words in its language when egovplan has them (Vietnamese
and English), else in English. ``show`` and ``breakdown`` default to the plan's language.

``UNIT`` is ``auto`` (the default: the largest unit in which no amount of the plan is a
fraction below 1), ``one`` (the currency's own; ``dong`` names it too), ``thousand``,
``million``, ``billion`` or ``trillion``.

Exit codes: 0 when all went well (``validate``: no file has an error; warnings are
allowed), 1 when ``validate`` found an error in a file it could read, 2 when a file
cannot be read, parsed or written or the command line is wrong, 3 on an internal error
(a bug: please report it). Problems with a file are one line each, naming the file (and
the line and column when known); no input makes the tool print a Python traceback.

Colour is used only when writing to a terminal and ``NO_COLOR`` is not set, unless
``--color always`` or ``--color never`` says otherwise.

>>> main(["schema"]) == 0  # doctest: +ELLIPSIS
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
...
True
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from egovplan._data import language_of, load_data
from egovplan._decimal import in_own_context
from egovplan._formats import FORMATS
from egovplan._plurals import counted
from egovplan._terminal import json_text, terminal_text
from egovplan._version import __version__
from egovplan.errors import EgovplanError

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.errors import LoadError, Problem
    from egovplan.funding import FundingSource
    from egovplan.limits import Limits
    from egovplan.objective import Target
    from egovplan.plan import Plan

__all__ = ["EXIT_ERRORS", "EXIT_FAILURE", "EXIT_INTERNAL", "EXIT_OK", "build_parser", "main"]

#: No problems (``validate``: no file has an error).
EXIT_OK: Final = 0
#: ``validate`` found an error in a file it could read.
EXIT_ERRORS: Final = 1
#: A file could not be read, parsed or written, or the command line is wrong.
EXIT_FAILURE: Final = 2
#: egovplan itself failed (a bug).
EXIT_INTERNAL: Final = 3

_COLOURS: Final = {
    "error": "\033[1;31m",
    "warning": "\033[33m",
    "info": "\033[36m",
    "ok": "\033[32m",
    "file": "\033[1m",
}
_RESET: Final = "\033[0m"
_PALETTE: Final = frozenset({*_COLOURS.values(), _RESET})
_PAINT: Final = re.compile("(" + "|".join(map(re.escape, sorted(_PALETTE))) + ")")


class _UsageError(EgovplanError):
    """The command line asks for something that cannot be done (exit 2)."""


class _Failed(EgovplanError):
    """The command failed and has said why (exit 2)."""


def _words() -> Mapping[str, Mapping[str, Any]]:
    return load_data("cli.toml")


def _language(locale: str) -> str:
    """The locale of ``_words()`` that ``locale`` uses: itself, its language, or ``"en"``."""
    words = _words()
    for candidate in (locale, language_of(locale)):
        if candidate in words:
            return candidate
    return "en"


def _table(locale: str) -> Mapping[str, Any]:
    return _words()[_language(locale)]


def _word(name: str, locale: str, **values: object) -> str:
    text: str = _table(locale).get(name, _words()["en"][name])
    return text.format(**values)


def _count(name: str, count: int, locale: str) -> str:
    """``count`` with the noun ``name`` in the form ``locale`` uses for it.

    >>> _count("errors", 1, "en"), _count("errors", 2, "en"), _count("errors", 1, "vi")
    ('1 error', '2 errors', '1 lỗi')
    """
    language = _language(locale)
    forms: dict[str, str] = (
        _words()[language].get("counts", {}).get(name) or _words()["en"]["counts"][name]
    )
    return counted(forms, language, count)


class _Console:
    """Where output goes, and whether it may be coloured."""

    def __init__(self, out: IO[str], err: IO[str], colour: str) -> None:
        self.out = out
        self.err = err
        self.colour = _use_colour(out, colour)
        self.err_colour = _use_colour(err, colour)

    def paint(self, text: str, style: str, *, err: bool = False) -> str:
        if not (self.err_colour if err else self.colour):
            return text
        return f"{_COLOURS[style]}{text}{_RESET}"

    def print(self, text: str = "") -> None:
        print(self.safe(text, self.colour), file=self.out)

    def error(self, text: str) -> None:
        print(self.safe(text, self.err_colour), file=self.err)

    def data(self, text: str, *, is_json: bool = False) -> None:
        r"""Print a document (JSON, CSV, a table): no control character is printed raw.

        JSON's are escaped the JSON way (``\u001b``), which JSON readers read back.
        """
        text = json_text(text) if is_json else terminal_text(text, newlines=True)
        self.out.write(text if text.endswith("\n") else text + "\n")

    @staticmethod
    def safe(text: str, colour: bool) -> str:
        """``text`` with control characters escaped, except the colours this console adds."""
        if not colour:
            return terminal_text(text, newlines=True)
        return "".join(
            part if part in _PALETTE else terminal_text(part, newlines=True)
            for part in _PAINT.split(text)
        )


def _use_colour(stream: IO[str], setting: str) -> bool:
    if setting == "always":
        return True
    if setting == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
    except (OSError, ValueError):
        return False


def _position(file: str, problem: Problem) -> str:
    place = file
    if problem.line is not None:
        place += f":{problem.line}"
        if problem.column is not None:
            place += f":{problem.column}"
    return place


def _problem_line(console: _Console, file: str, problem: Problem, locale: str) -> str:
    severity = console.paint(_word("error", locale), "error")
    what = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"{_position(file, problem)}: {severity}: {what}"


def _report_load_error(console: _Console, file: str, error: LoadError) -> None:
    """A command other than ``validate`` could not load ``file``: say so on stderr."""
    problems = error.problems or ()
    if not problems:
        console.error(f"egovplan: {file}: {error}")
        return
    for problem in problems:
        what = f"{problem.path}: {problem.message}" if problem.path else problem.message
        console.error(f"egovplan: {_position(file, problem)}: {what}")


def _limits(args: argparse.Namespace) -> Limits | None:
    """``Limits.untrusted()`` with ``--untrusted``, else None (the default limits)."""
    if not getattr(args, "untrusted", False):
        return None
    from egovplan.limits import Limits

    return Limits.untrusted()


def _load(console: _Console, file: str, limits: Limits | None = None) -> Plan:
    from egovplan.errors import LoadError
    from egovplan.files import load

    try:
        return load(Path(file), limits=limits)
    except LoadError as error:
        _report_load_error(console, file, error)
        raise _Failed from None


def _known_locale(tag: str) -> str | None:
    """``tag`` as babel writes it (``fr_FR`` for ``fr-FR``), or None if babel does not know it."""
    from egovplan.amounts import to_babel_locale
    from egovplan.errors import FieldTypeError
    from egovplan.words import UnknownLocaleError

    try:
        return str(to_babel_locale(tag))
    except (UnknownLocaleError, FieldTypeError):
        return None


def _locale_option(text: str) -> str:
    """``--locale``'s value: any locale babel knows (words fall back to English)."""
    locale = _known_locale(text)
    if locale is None:
        raise argparse.ArgumentTypeError(f"unknown locale {text!r}; try vi, en or fr_FR")
    return locale


def _plan_locale(plan: Plan, locale: str | None) -> str:
    """``locale``, else the plan's language if babel knows it, else English."""
    if locale is not None:
        return locale
    return _known_locale(plan.metadata.language) or "en"


# -- validate -----------------------------------------------------------------------------


def _catalogues(files: list[str] | None) -> Catalogues | None:
    """The built-in catalogues with the ``--catalogue`` files' kinds added, in order."""
    if not files:
        return None
    from egovplan.catalog import Catalogues
    from egovplan.errors import LoadError

    catalogues = Catalogues.default()
    for file in files:
        try:
            catalogues = catalogues.with_file(file)
        except LoadError as error:
            raise _UsageError(f"--catalogue: {error}") from None
    return catalogues


def _validate(args: argparse.Namespace, console: _Console) -> int:
    from egovplan.errors import LoadError
    from egovplan.files import read
    from egovplan.validation import UnknownRuleError, default_registry

    locale: str = args.locale
    try:
        default_registry().select(args.ruleset)
    except UnknownRuleError as error:
        raise _UsageError(str(error)) from None
    catalogues = _catalogues(args.catalogue)
    results: list[dict[str, Any]] = []
    unreadable = failed = False
    for file in args.files:
        try:
            planfile = read(Path(file), limits=_limits(args))
        except LoadError as error:
            unreadable = True
            problems = error.problems or ()
            issues = [
                _issue_dict("load", "error", p.path, p.message, p.line, p.column) for p in problems
            ]
            if not issues:
                issues = [_issue_dict("load", "error", "", str(error), None, None)]
            results.append({"file": file, "issues": issues})
            if args.format == "text":
                for problem in problems:
                    console.print(_problem_line(console, file, problem, locale))
                console.print(
                    f"{console.paint(file, 'file')}: "
                    f"{console.paint(_word('cannot_load', locale), 'error')}"
                )
            continue
        report = planfile.plan.validate(ruleset=args.ruleset, locale=locale, catalogues=catalogues)
        positions = planfile.locate_all(issue.path for issue in report)
        issues = []
        for issue in report:
            line, column = positions.get(issue.path, (None, None))
            issues.append(
                _issue_dict(
                    issue.code, issue.severity.value, issue.path, issue.message, line, column
                )
            )
        failed = failed or not report.ok
        results.append({"file": file, "issues": issues})
        if args.format == "text":
            _print_issues(console, file, issues, locale)
    if args.format == "json":
        console.data(json.dumps({"files": results}, ensure_ascii=False, indent=2), is_json=True)
    if unreadable:
        return EXIT_FAILURE
    return EXIT_ERRORS if failed else EXIT_OK


def _issue_dict(
    code: str, severity: str, path: str, message: str, line: int | None, column: int | None
) -> dict[str, Any]:
    issue: dict[str, Any] = {"code": code, "severity": severity, "path": path, "message": message}
    if line is not None:
        issue["line"] = line
        if column is not None:
            issue["column"] = column
    return issue


def _print_issues(console: _Console, file: str, issues: list[dict[str, Any]], locale: str) -> None:
    counts = {"error": 0, "warning": 0, "info": 0}
    for issue in issues:
        severity = issue["severity"]
        counts[severity] = counts.get(severity, 0) + 1
        place = file
        if "line" in issue:
            place += f":{issue['line']}"
            if "column" in issue:
                place += f":{issue['column']}"
        word = console.paint(_word(severity, locale), severity)
        where = f"{issue['path']}: " if issue["path"] else ""
        console.print(f"{place}: {word} {issue['code']}: {where}{issue['message']}")
    name = console.paint(file, "file")
    if not issues:
        console.print(f"{name}: {console.paint(_word('ok', locale), 'ok')}")
        return
    summary = _word(
        "summary",
        locale,
        errors=_count("errors", counts["error"], locale),
        warnings=_count("warnings", counts["warning"], locale),
        infos=_count("infos", counts["info"], locale),
    )
    console.print(f"{name}: {summary}")


# -- show ---------------------------------------------------------------------------------


def _show(args: argparse.Namespace, console: _Console) -> int:
    plan = _load(console, args.file, _limits(args))
    locale = _plan_locale(plan, args.locale)
    console.print(render_plan(plan, locale=locale, unit=args.unit))
    return EXIT_OK


@in_own_context
def render_plan(plan: Plan, *, locale: str | None = None, unit: str = "auto") -> str:
    r"""The summary ``egovplan show`` prints: metadata, period, objectives and targets,
    tasks by lead agency, and the funding table.

    Control characters in the plan's text (an ESC sequence, a line break in a title) are
    shown as escapes (``\x1b``, ``\n``): each item is one line, and nothing in a plan
    can drive the terminal.

    ``locale`` defaults to the plan's language (``metadata.language``; English when
    babel does not know it), as ``egovplan show`` does. ``unit`` is the unit of magnitude
    of the funding table; ``"auto"`` picks the one that fits the plan's amounts
    (:func:`egovplan.amounts.fitting_unit`).

    >>> from egovplan.document import PlanMetadata
    >>> from egovplan.period import Period
    >>> from egovplan.plan import Plan
    >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="Kế hoạch CNTT"),
    ...             period=Period.years(2021, 2025))
    >>> print(render_plan(plan, locale="en"))
    Kế hoạch CNTT
    Period: 2021–2025
    <BLANKLINE>
    Objectives and targets
      (no objectives)
    <BLANKLINE>
    Tasks by lead agency
      (no tasks)
    <BLANKLINE>
    Funding
      (no funding sources)
    """  # noqa: D205
    from egovplan.breakdowns import Dimension, breakdown
    from egovplan.dates import format_date

    locale = _plan_locale(plan, locale)
    meta = plan.metadata
    lines = [meta.title]
    if meta.ref is not None and str(meta.ref):
        lines.append(f"{_word('document', locale)}: {meta.ref}")
    if meta.issuing_body:
        lines.append(f"{_word('issued_by', locale)}: {meta.issuing_body}")
    if meta.date is not None:
        lines.append(f"{_word('date', locale)}: {format_date(meta.date, locale)}")
    if meta.place:
        lines.append(f"{_word('place', locale)}: {meta.place}")
    if meta.signatory is not None:
        signer = ", ".join(
            part
            for part in (meta.signatory.capacity, meta.signatory.position, meta.signatory.name)
            if part
        )
        if signer:
            lines.append(f"{_word('signed', locale)}: {signer}")
    period = plan.period.format(locale)
    if plan.horizon is not None:
        period += f"; {_word('horizon', locale, year=plan.horizon)}"
    lines.append(f"{_word('period', locale)}: {period}")

    lines += ["", _word("objectives", locale)]
    objectives = list(plan.walk_objectives())
    if not objectives:
        lines.append(f"  {_word('no_objectives', locale)}")
    for path, objective in objectives:
        indent = "  " * (path.count("children") + 1)
        kind = objective.kind.label(locale)
        text = f": {objective.text}" if objective.text else ""
        lines.append(f"{indent}{objective.id} ({kind}){text}")
        for target in objective.targets:
            lines.append(f"{indent}  - {_target_text(plan, target, locale)}")

    lines += ["", _word("tasks", locale)]
    if not plan.tasks:
        lines.append(f"  {_word('no_tasks', locale)}")
    for lead, tasks in _tasks_by_lead(plan, locale):
        lines.append(f"  {lead}")
        for task in tasks:
            when = _schedule_text(task.schedule, locale)
            lines.append(f"    - {task.id}: {task.title}" + (f" ({when})" if when else ""))

    lines += ["", _word("funding", locale)]
    if not plan.funding.sources:
        lines.append(f"  {_word('no_funding', locale)}")
    elif not plan.funding.currencies:  # sources without amounts, and no other amount
        from egovplan.breakdowns import word

        not_stated = word("not_stated", locale)
        for source in plan.funding.sources:
            lines.append(f"  - {source.name(locale)}: {not_stated}")
    else:
        groups = _sources_by_currency(plan)
        if len(groups) > 1:
            names = ", ".join(groups)
            lines.append(_word("currencies", locale, count=len(groups), currencies=names))
        for sources in groups.values() if groups else [()]:
            part = (
                plan if len(groups) <= 1 else attrs.evolve(plan.funding, sources=sources, lines=())
            )
            table_unit = _plan_unit(plan, unit) if part is plan else _sources_unit(sources, unit)
            by_source = breakdown(part, Dimension.SOURCE, locale=locale, unit=table_unit)
            lines += by_source.to_text(locale=locale, unit=table_unit).rstrip("\n").split("\n")
    return "\n".join(terminal_text(line) for line in lines)  # one line each, whatever the plan


def _sources_by_currency(plan: Plan) -> dict[str, tuple[FundingSource, ...]]:
    """The plan's funding sources by the currency of their amounts, in document order.

    A plan whose sources are in several currencies is wrong (validation reports EGP208),
    but ``show`` still shows it: a table and a total per currency, never a sum of
    amounts in different currencies. Sources without an amount go with the first
    currency's table (shown as not stated there).
    """
    groups: dict[str, list[FundingSource]] = {}
    unstated: list[FundingSource] = []
    for source in plan.funding.sources:
        if source.amount is None:
            unstated.append(source)  # shown as "not stated" with the first currency's table
        else:
            groups.setdefault(source.amount.currency, []).append(source)
    if groups:
        next(iter(groups.values())).extend(unstated)
    return {currency: tuple(sources) for currency, sources in groups.items()}


def _sources_unit(sources: Iterable[FundingSource], unit: str) -> str:
    """``unit``, or for ``"auto"`` the unit that fits the amounts of ``sources``."""
    if unit != "auto":
        return unit
    from egovplan.amounts import fitting_unit

    return fitting_unit(source.amount for source in sources if source.amount is not None)


def _plan_unit(plan: Plan, unit: str = "auto") -> str:
    """``unit``, or for ``"auto"`` the unit that fits the plan's amounts.

    That is the largest unit of magnitude in which none of the declared total, the
    sources' amounts and the budget lines' amounts is a fraction below 1
    (:func:`egovplan.amounts.fitting_unit`): ``"billion"`` for a plan of 901 billion đồng
    whose smallest source is 20 billion.

    >>> from egovplan import Funding, Money, Period, Plan, PlanMetadata
    >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="Plan"),
    ...             period=Period.years(2024, 2026),
    ...             funding=Funding(total=Money("1250000.50", "EUR")))
    >>> _plan_unit(plan), _plan_unit(plan, "one")
    ('million', 'one')
    """
    if unit != "auto":
        return unit
    from egovplan.amounts import fitting_unit

    funding = plan.funding
    total = () if funding.total is None else (funding.total,)
    sources = (source.amount for source in funding.sources if source.amount is not None)
    return fitting_unit(itertools.chain(total, sources, (line.amount for line in funding.lines)))


def _number(value: Any, locale: str) -> str:
    from egovplan.tables import format_number

    return format_number(value, locale)


def _unit(unit: str, locale: str) -> str:
    if not unit:
        return ""
    from egovplan.units import UnitError, unit_label

    try:
        label = unit_label(unit, locale)
    except UnitError:
        label = unit
    return label if label in ("%",) else f" {label}"


def _target_text(plan: Plan, target: Target, locale: str) -> str:
    from egovplan.objective import Comparator

    unit = _unit(target.unit, locale)
    if target.by_level:
        names = {level.id: level.name(locale) for level in plan.levels}
        parts = [
            f"{names.get(level, level)} {_number(value, locale)}{unit}"
            for level, value in target.by_level
        ]
        value_text = ", ".join(parts)
    elif target.value is None:
        value_text = ""
    elif target.comparator is Comparator.BETWEEN and target.upper is not None:
        value_text = f"{_number(target.value, locale)}–{_number(target.upper, locale)}{unit}"
    else:
        symbol = "" if target.comparator is Comparator.EQ else f"{target.comparator.symbol} "
        value_text = f"{symbol}{_number(target.value, locale)}{unit}"
    text = f"{target.measure}: {value_text}" if value_text else target.measure
    extras = []
    if target.deadline is not None:
        extras.append(_word("by", locale, year=target.deadline))
    if target.baseline is not None:
        extras.append(
            _word(
                "baseline",
                locale,
                value=f"{_number(target.baseline.value, locale)}{unit}",
                year=target.baseline.year,
            )
        )
    if extras:
        text += f" ({'; '.join(extras)})"
    return f"{target.id}: {text}"


def _schedule_text(schedule: Any, locale: str) -> str:
    if schedule is None:
        return ""
    from egovplan.dates import format_date

    parts = []
    if schedule.period is not None:
        parts.append(schedule.period.format(locale))
    if schedule.deadline is not None:
        parts.append(format_date(schedule.deadline, locale))
    if schedule.regular:
        parts.append(_word("regularly", locale))
    if not parts and schedule.text:
        parts.append(schedule.text)
    return "; ".join(parts)


def _tasks_by_lead(plan: Plan, locale: str) -> list[tuple[str, list[Any]]]:
    """Tasks by their first ``lead``, else first agency in a role marked ``leads``."""
    from egovplan.catalog import Catalogues

    leading = {kind.code for kind in Catalogues.default().roles if kind.get("leads") is True}
    groups: dict[str | None, list[Any]] = {}
    for task in plan.tasks:
        lead = task.lead[0].agency if task.lead else None
        if lead is None:
            lead = next((a.agency for a in task.assignments if a.role in leading), None)
        groups.setdefault(lead, []).append(task)
    agencies = {agency.id: agency for agency in plan.agencies}
    named: list[tuple[str, list[Any]]] = []
    for lead, tasks in groups.items():
        if lead is None:
            continue
        agency = agencies.get(lead)
        named.append((agency.name(locale) if agency is not None else lead, tasks))
    if None in groups:
        named.append((_word("no_lead", locale), groups[None]))
    return named


# -- breakdown, convert, schema -----------------------------------------------------------


def _breakdown(args: argparse.Namespace, console: _Console) -> int:
    from egovplan.breakdowns import BreakdownError, breakdown_command_output
    from egovplan.errors import CurrencyMismatchError
    from egovplan.tables import TableError

    plan = _load(console, args.file, _limits(args))
    locale = _plan_locale(plan, args.locale)
    try:
        unit = _plan_unit(plan, args.unit)
        text = breakdown_command_output(plan, args.by, args.by2, args.format, locale, unit)
    except (BreakdownError, TableError) as error:
        console.error(f"egovplan: {args.file}: {error}")
        return EXIT_FAILURE
    except CurrencyMismatchError:
        currencies = ", ".join(_currencies(plan))
        console.error(
            f"egovplan: {args.file}: {_word('mixed_currencies', locale, currencies=currencies)}"
        )
        return EXIT_FAILURE
    console.data(text, is_json=args.format == "json")
    return EXIT_OK


def _currencies(plan: Plan) -> list[str]:
    """The currencies of the plan's amounts (total, sources, lines), in document order."""
    funding = plan.funding
    total = () if funding.total is None else (funding.total,)
    sources = (source.amount for source in funding.sources if source.amount is not None)
    amounts = itertools.chain(total, sources, (line.amount for line in funding.lines))
    return list(dict.fromkeys(amount.currency for amount in amounts))


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (or would: a path that does not exist yet).

    Paths that cannot be resolved (a loop of symbolic links) are compared as written.
    """
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except (OSError, ValueError):
        pass
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python 3.11)
        return os.path.abspath(a) == os.path.abspath(b)


def _check_output(target: str) -> None:
    """An output file's format must show in its extension (a usage error otherwise)."""
    from egovplan.files import FormatError, format_of

    try:
        format_of(Path(target))
    except FormatError:
        raise _UsageError(
            f"cannot tell the format of {target} from its extension;"
            " name it .yaml, .yml, .json or .toml"
        ) from None


def _write_plan(console: _Console, plan: Plan, target: str) -> int:
    """Write ``plan`` to the file ``target`` (atomically); the exit code."""
    from egovplan.files import dump

    try:
        dump(plan, Path(target))
    except OSError as error:
        reason = error.strerror or str(error)
        console.error(f"egovplan: {target}: cannot be written: {reason}")
        return EXIT_FAILURE
    except ImportError as error:
        console.error(f"egovplan: {target}: {error}")
        return EXIT_FAILURE
    except ValueError as error:  # a NUL character in the name
        console.error(f"egovplan: {target}: is not a usable file name: {error}")
        return EXIT_FAILURE
    return EXIT_OK


def _convert(args: argparse.Namespace, console: _Console) -> int:
    _check_output(args.output)
    if _same_file(Path(args.input), Path(args.output)):
        raise _UsageError(f"{args.output} is the input file; refusing to overwrite it")
    return _write_plan(console, _load(console, args.input, _limits(args)), args.output)


def _upgrade(args: argparse.Namespace, console: _Console) -> int:
    from egovplan.errors import LoadError
    from egovplan.files import read_document
    from egovplan.versions import active_history

    target: str = args.file if args.output is None else args.output
    _check_output(target)
    history = active_history()
    try:
        document = read_document(Path(args.file), limits=_limits(args))
    except LoadError as error:
        _report_load_error(console, args.file, error)
        return EXIT_FAILURE
    version = document.get("format_version") if isinstance(document, dict) else None
    plan = _load(console, args.file, _limits(args))  # checks the version, upgrades the data
    if version == history.current and args.output is None:
        console.print(f"{args.file}: already format version {version}; nothing to do")
        return EXIT_OK
    written = _write_plan(console, plan, target)
    if written != EXIT_OK:
        return written
    console.print(
        f"{args.file}: format version {version} -> {history.current}, written to {target}"
    )
    if type(version) is int:
        for number, change in history.changes_since(version):
            console.print(f"  version {number}: {change}")
    return EXIT_OK


def _schema(args: argparse.Namespace, console: _Console) -> int:
    from egovplan.schema import json_schema
    from egovplan.versions import UnknownFormatVersionError

    try:
        schema = json_schema(version=args.format_version)
    except UnknownFormatVersionError as error:
        raise _UsageError(str(error)) from None
    console.data(json.dumps(schema, ensure_ascii=False, indent=2), is_json=True)
    return EXIT_OK


# -- the parser ---------------------------------------------------------------------------


class _LazyChoices:
    """Choices read from egovplan's data only when argparse looks at them.

    Building the parser then imports nothing heavy, so ``egovplan validate`` starts fast.
    The options that take them name a ``metavar`` and list them through ``%(choices)s`` in
    their help: without both, argparse lists the choices while the parser is built.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    @functools.cached_property
    def values(self) -> tuple[str, ...]:
        if self.name == "dimension":
            from egovplan.breakdowns import Dimension

            return tuple(member.value for member in Dimension)
        from egovplan.tables import known_units

        return ("auto", *known_units())

    def __contains__(self, value: object) -> bool:
        """A listed value, or for units another name of one (``dong``), which is not listed."""
        if value in self.values:
            return True
        if self.name != "unit" or not isinstance(value, str):
            return False
        from egovplan.amounts import canonical_unit

        try:
            canonical_unit(value)
        except ValueError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``egovplan`` command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--color",
        "--colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--untrusted",
        action="store_true",
        help="read the files with the tighter limits for files from people you do not know"
        " (Limits.untrusted(): 16 MiB, 32 levels, 20 aliases, a million values, 40 digits)",
    )
    parser = argparse.ArgumentParser(
        prog="egovplan",
        description="Check, show and convert public-sector ICT and e-government plans.",
        epilog=(
            "exit codes: 0 ok; 1 validate found an error; 2 a file cannot be read, parsed or"
            " written, or the command line is wrong; 3 internal error"
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"egovplan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        parents=[common, reading],
        help="check plan files against the rules",
        description="Check plan files (YAML, JSON or TOML) against egovplan's rules.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="plan files")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    locale_help = (
        "a locale such as vi, en or fr_FR: numbers as it writes them, words in it when"
        " egovplan has them (vi, en), else in English"
    )
    validate.add_argument(
        "--locale", type=_locale_option, default="en", help=f"{locale_help} (default: en)"
    )
    validate.add_argument(
        "--ruleset", default="default", metavar="NAME", help="the rules to run (default: default)"
    )
    validate.add_argument(
        "--catalogue",
        action="append",
        default=None,
        metavar="FILE",
        help="a catalogue file (TOML) whose kinds are added to the built-in catalogue it names,"
        " so your own roles, cadences or kinds are known (repeatable)",
    )
    validate.set_defaults(handler=_validate)

    show = commands.add_parser(
        "show",
        parents=[common, reading],
        help="print a readable summary of a plan",
        description="Print a plan's metadata, period, objectives and targets, tasks by lead"
        " agency and funding.",
    )
    show.add_argument("file", metavar="FILE")
    plan_locale_help = f"{locale_help} (default: the plan's language)"
    show.add_argument("--locale", type=_locale_option, default=None, help=plan_locale_help)
    units = _LazyChoices("unit")
    unit_help = (
        "unit of magnitude of amounts: %(choices)s (default: auto, the one that fits the plan)"
    )
    show.add_argument("--unit", choices=units, default="auto", metavar="UNIT", help=unit_help)
    show.set_defaults(handler=_show)

    dimensions = _LazyChoices("dimension")
    split = commands.add_parser(
        "breakdown",
        parents=[common, reading],
        help="break a plan's funding down",
        description="Break a plan's funding down by one dimension, or two as a pivot.",
    )
    split.add_argument("file", metavar="FILE")
    split.add_argument(
        "--by", required=True, choices=dimensions, metavar="DIMENSION", help="%(choices)s"
    )
    split.add_argument(
        "--by2",
        choices=dimensions,
        default=None,
        metavar="DIMENSION",
        help="a second dimension, for a pivot: %(choices)s",
    )
    split.add_argument("--format", choices=FORMATS, default="text")
    split.add_argument("--locale", type=_locale_option, default=None, help=plan_locale_help)
    split.add_argument("--unit", choices=units, default="auto", metavar="UNIT", help=unit_help)
    split.set_defaults(handler=_breakdown)

    convert = commands.add_parser(
        "convert",
        parents=[common, reading],
        help="convert a plan between YAML, JSON and TOML",
        description="Convert a plan file; the formats come from the extensions. OUT is"
        " written atomically and left untouched on any error; IN is never overwritten.",
    )
    convert.add_argument("input", metavar="IN")
    convert.add_argument("output", metavar="OUT")
    convert.set_defaults(handler=_convert)

    schema = commands.add_parser(
        "schema",
        parents=[common],
        help="print the JSON Schema of plan files",
        description="Print the JSON Schema (draft 2020-12) of the plan file format.",
    )
    schema.add_argument(
        "--format-version",
        type=int,
        metavar="N",
        default=None,
        help="the schema of format version N (default: the version egovplan writes)",
    )
    schema.set_defaults(handler=_schema)

    upgrade = commands.add_parser(
        "upgrade",
        parents=[common, reading],
        help="rewrite a plan file of an older format version in the current one",
        description="Read FILE, of any format version this egovplan reads, and write it in"
        " the current version: over FILE (atomically), or to OUT. The file is written in"
        " the canonical layout, so comments and the order of fields are not kept; use"
        " --output to keep the original.",
    )
    upgrade.add_argument("file", metavar="FILE")
    upgrade.add_argument("-o", "--output", metavar="OUT", default=None)
    upgrade.set_defaults(handler=_upgrade)
    return parser


def _safe_streams(streams: Iterable[IO[str]]) -> None:
    """Never fail on a character the terminal cannot show.

    That includes a file name that is not valid UTF-8 (Python holds its bytes as lone
    surrogates): where the stream would refuse it, it is shown escaped.
    """
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        errors = getattr(stream, "errors", None) or "strict"
        if reconfigure is not None and (encoding != "utf8" or errors == "strict"):
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


@in_own_context
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    _safe_streams((sys.stdout, sys.stderr))
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exit:  # --help, --version, or a usage error (argparse said why)
        return exit.code if isinstance(exit.code, int) else EXIT_FAILURE
    if getattr(args, "handler", None) is None:
        parser.print_usage(sys.stderr)
        print("egovplan: error: say which command to run (see egovplan --help)", file=sys.stderr)
        return EXIT_FAILURE
    console = _Console(sys.stdout, sys.stderr, args.color)
    try:
        code: int = args.handler(args, console)
        sys.stdout.flush()
        return code
    except _UsageError as error:
        console.error(f"egovplan {args.command}: error: {error}")
        return EXIT_FAILURE
    except _Failed:
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILURE
    except Exception as error:
        if os.environ.get("EGOVPLAN_DEBUG"):
            raise
        console.error(
            f"egovplan: internal error: {type(error).__name__}: {error}"
            " (this is a bug; set EGOVPLAN_DEBUG=1 to see where)"
        )
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that exiting does not fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

"""The ``egovplan`` command-line tool (also ``python -m egovplan``).

Commands:

- ``egovplan validate FILE... [--format text|json] [--locale LOCALE] [--ruleset NAME]``
- ``egovplan show FILE [--locale LOCALE] [--unit UNIT]``
- ``egovplan breakdown FILE --by DIMENSION [--by2 DIMENSION] [--format
  text|markdown|csv|json|html] [--locale LOCALE] [--unit UNIT] [--actual [--kind KIND]...]``:
  with ``--actual``, planned against actual from the plan's own flows (the kinds that
  count as spent, or those named by ``--kind``)
- ``egovplan convert IN OUT``; ``IN`` or ``OUT`` may also be an interchange file of
  another standard (``.xml``: IATI activities; ``--from ocds`` or ``--to ocds``: an OCDS
  release or record package); ``--activity ID`` picks one activity (or contracting
  process), ``--all OUTDIR`` writes every one (:data:`INTERCHANGE`)
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
import gc
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
from egovplan._text import compiled
from egovplan._version import __version__
from egovplan.errors import CurrencyMismatchError, EgovplanError

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.errors import LoadError, Problem
    from egovplan.funding import FundingSource, SpendingRule
    from egovplan.limits import Limits
    from egovplan.money import Money
    from egovplan.objective import Target
    from egovplan.plan import Plan
    from egovplan.when import When

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
_PAINT: Final = "(" + "|".join(map(re.escape, sorted(_PALETTE))) + ")"  # (compiled on first use)


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
            for part in compiled(_PAINT).split(text)
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

    if args.locale is None:  # (no --locale: English, as babel writes it)
        args.locale = "en"
    locale: str = args.locale
    try:
        default_registry().select(args.ruleset)
    except UnknownRuleError as error:
        raise _UsageError(str(error)) from None
    catalogues = _catalogues(args.catalogue)
    results: list[dict[str, Any]] = []
    unreadable = failed = False
    # Every file is read first: the plans given together are validated together, so a
    # target's contribution to another file's plan is checked (EGP310).
    read_files: list[tuple[str, Any]] = []
    for file in args.files:
        if _interchange_of(file, getattr(args, "from_format", None)) is not None:
            outcome = _validate_interchange(args, console, file, catalogues)
            results.extend(outcome[0])
            unreadable = unreadable or outcome[1]
            failed = failed or outcome[2]
            continue
        try:
            read_files.append((file, read(Path(file), limits=_limits(args))))
        except LoadError as refused:
            read_files.append((file, refused))
    loaded = [planfile.plan for _, planfile in read_files if not isinstance(planfile, LoadError)]
    for file, planfile in read_files:
        if isinstance(planfile, LoadError):
            unreadable = True
            results.append(_unreadable(args, console, file, planfile))
            continue
        others = [plan for plan in loaded if plan is not planfile.plan]
        report = planfile.plan.validate(
            ruleset=args.ruleset, locale=locale, catalogues=catalogues, plans=others
        )
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


def _unreadable(
    args: argparse.Namespace, console: _Console, file: str, error: LoadError
) -> dict[str, Any]:
    """``validate``'s result for a file that cannot be loaded: its load problems (printed
    too, with "cannot be loaded", in the text format).
    """  # noqa: D205
    problems = error.problems or ()
    issues = [
        _issue_dict("load", "error", p.path, p.message, p.line, p.column) for p in problems
    ] or [_issue_dict("load", "error", "", str(error), None, None)]
    if args.format == "text":
        for problem in problems:
            console.print(_problem_line(console, file, problem, args.locale))
        console.print(
            f"{console.paint(file, 'file')}: "
            f"{console.paint(_word('cannot_load', args.locale), 'error')}"
        )
    return {"file": file, "issues": issues}


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
    r"""The summary ``egovplan show`` prints: metadata, period, the documents part,
    objectives and targets, tasks by lead agency (a task with joint leads under each of
    them), the funding table and spending rules, (when the plan records flows) how many
    and planned against actual by source, the reporting duties and the free-text parts.

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
    from egovplan.labels import localized

    locale = _plan_locale(plan, locale)
    meta = plan.metadata
    lines = [localized(meta.title, locale)]
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
    lines += _documents_text(plan, locale)

    lines += ["", _word("objectives", locale)]
    objectives = list(plan.walk_objectives())
    if not objectives:
        lines.append(f"  {_word('no_objectives', locale)}")
    for path, objective in objectives:
        indent = "  " * (path.count("children") + 1)
        kind = objective.kind.label(locale)
        text = f": {localized(objective.text, locale)}" if objective.text else ""
        lines.append(f"{indent}{objective.id} ({kind}){text}")
        for target in objective.targets:
            lines += _target_lines(plan, target, locale, f"{indent}  ")

    lines += ["", _word("tasks", locale)]
    if not plan.tasks:
        lines.append(f"  {_word('no_tasks', locale)}")
    for lead, tasks in _tasks_by_lead(plan, locale):
        lines.append(f"  {lead}")
        for task, joint in tasks:
            notes = ", ".join(n for n in (_schedule_text(task.schedule, locale), joint) if n)
            title = localized(task.title, locale)
            lines.append(f"    - {task.id}: {title}" + (f" ({notes})" if notes else ""))
            for target in task.targets:
                lines += _target_lines(plan, target, locale, "      ")

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
        funding = plan.funding
        if funding.exchange_rates and funding.currency is not None:
            # One table, converted by the plan's recorded rates (noted under it), when
            # every source converts into the funding's currency; else one per currency.
            whole = _converts_all(plan)
        else:
            whole = len(groups) <= 1
        if whole:
            groups = {}
        if len(groups) > 1:
            names = ", ".join(groups)
            lines.append(_word("currencies", locale, count=len(groups), currencies=names))
        for sources in groups.values() if groups else [()]:
            part = (
                plan
                if whole
                else attrs.evolve(funding, sources=sources, lines=(), exchange_rates=())
            )
            table_unit = _plan_unit(plan, unit) if part is plan else _sources_unit(sources, unit)
            by_source = breakdown(part, Dimension.SOURCE, locale=locale, unit=table_unit)
            lines += by_source.to_text(locale=locale, unit=table_unit).rstrip("\n").split("\n")
    if plan.funding.rules:
        lines += ["", _word("spending_rules", locale)]
        for rule in plan.funding.rules:
            lines.append(f"  - {rule.id}: {rule.description}")
            details = _rule_text(plan, rule, locale)
            if details:
                lines.append(f"    {details}")
    if plan.flows:
        lines += ["", _word("flows", locale), f"  {_count('flows', len(plan.flows), locale)}"]
        lines += _execution_lines(plan, locale, unit)
    lines += _reporting_lines(plan, locale)
    if plan.sections:
        lines += ["", _word("sections", locale), *_section_lines(plan)]
    return "\n".join(terminal_text(line) for line in lines)  # one line each, whatever the plan


def _execution_lines(plan: Plan, locale: str, unit: str) -> list[str]:
    """Planned against actual by source, for ``show`` (nothing when it cannot be made)."""
    from egovplan.breakdowns import BreakdownError
    from egovplan.errors import CurrencyMismatchError
    from egovplan.executions import execution

    try:
        table_unit = _plan_unit(plan, unit)
        text = execution(plan, by="source", locale=locale, unit=table_unit).to_text()
    except (BreakdownError, CurrencyMismatchError):
        return []  # several currencies, or nothing to set the flows against
    return text.rstrip("\n").split("\n")


def _currency_problem(plan: Plan, locale: str) -> str:
    """Why amounts cannot be added: the currencies without a recorded rate, or the mix."""
    funding = plan.funding
    expected = funding.currency
    if funding.exchange_rates and expected is not None:
        rates = funding.rates
        missing = [
            currency
            for currency in _currencies(plan)
            if currency != expected and rates.find(currency, expected) is None
        ]
        if missing:
            return _word("missing_rates", locale, currencies=", ".join(missing), expected=expected)
    return _word("mixed_currencies", locale, currencies=", ".join(_currencies(plan)))


def _converts_all(plan: Plan) -> bool:
    """Whether the plan records a rate for every source currency but the funding's own."""
    funding = plan.funding
    currency = funding.currency
    if not funding.exchange_rates or currency is None:
        return False
    rates = funding.rates
    return all(
        source.amount is None
        or source.amount.currency == currency
        or rates.find(source.amount.currency, currency) is not None
        for source in funding.sources
    )


def _rule_text(plan: Plan, rule: SpendingRule, locale: str) -> str:
    """A spending rule's figures, in words: share and base, amount, who pays, how often.

    >>> from egovplan import Funding, Money, Period, Plan, PlanMetadata, SpendingRule
    >>> rule = SpendingRule(id="r", description="", comparator="<=", percent="0.5",
    ...                     base_kind="local_budget_spending", amount=Money(5, "VND"),
    ...                     levels=("district",), cadence="yearly")
    >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="P"),
    ...             period=Period.years(2021, 2025), funding=Funding(rules=(rule,)))
    >>> _rule_text(plan, rule, "en")
    'at most 0.5% of total local budget spending; amount: ₫5; paid by: district; yearly'
    """
    from egovplan.amounts import format_money
    from egovplan.catalog import Catalogues

    catalogues = Catalogues.default()
    parts: list[str] = []
    base = None
    if rule.base is not None:
        base = format_money(rule.base, locale)
    elif rule.base_kind is not None:
        base = catalogues.spending_bases.label(rule.base_kind, locale)
    if rule.percent is not None:
        percent = _number(rule.percent, locale) + _unit("percent", locale)
        share = f"{rule.comparator.label(locale)} {percent}"
        parts.append(share if base is None else _word("share_of", locale, share=share, base=base))
    elif base is not None:
        parts.append(_word("from_base", locale, base=base))
    if rule.amount is not None:
        parts.append(_word("rule_amount", locale, amount=format_money(rule.amount, locale)))
    index = plan.index
    payers = [index.agencies[a].name(locale) if a in index.agencies else a for a in rule.agencies]
    levels = {level.id: level.name(locale) for level in plan.levels}
    payers += [levels.get(level) or catalogues.levels.label(level, locale) for level in rule.levels]
    sources = {source.id: source for source in plan.funding.sources}
    payers += [sources[s].name(locale) if s in sources else s for s in rule.sources]
    if payers:
        parts.append(_word("paid_by", locale, payers=", ".join(payers)))
    if rule.category is not None:
        parts.append(rule.category.label(locale))
    if rule.cadence is not None:
        parts.append(catalogues.cadences.label(rule.cadence, locale))
    if rule.decided_by is not None:
        who = index.agencies.get(rule.decided_by)
        name = rule.decided_by if who is None else who.name(locale)
        parts.append(_word("decided_by", locale, who=name))
    return "; ".join(parts)


def _documents_text(plan: Plan, locale: str) -> list[str]:
    """The documents part of ``plan``, as lines (none when it has no such part).

    The issuing decision, the submission answered, the entry into force, the legal bases,
    the documents implemented and cited (with where) and the annexes.
    """
    from egovplan.dates import format_date
    from egovplan.labels import localized

    meta = plan.metadata
    lines: list[str] = []
    if meta.issued_with is not None:
        lines.append(f"{_word('issued_with', locale)}: {meta.issued_with.citation(locale)}")
    if meta.submission is not None:
        lines.append(f"{_word('submission', locale)}: {meta.submission.citation(locale)}")
    entry = meta.entry_into_force
    if entry is not None:
        if entry.date is not None:
            when = _word("from_date", locale, date=format_date(entry.date, locale))
        elif entry.days_after_signing == 0:
            when = _word("on_signing", locale)
        elif entry.days_after_signing is not None:
            when = _word("days_after", locale, days=entry.days_after_signing)
        else:
            when = entry.text or ""
        signed = meta.issued_with.date if meta.issued_with is not None else None
        effective = entry.effective(signed or meta.date)
        if effective is not None and entry.date is None:
            when += f" ({format_date(effective, locale)})"
        lines.append(f"{_word('in_force', locale)}: {when}")
    for name, refs in (("legal_bases", plan.legal_bases), ("implements", plan.implements)):
        if refs:
            lines += ["", _word(name, locale)]
            lines += [f"  - {ref.citation(locale)}" for ref in refs]
    if plan.citations:
        lines += ["", _word("citations", locale)]
        labels = {annex.id: annex.label for annex in plan.annexes if annex.label}
        for citation in plan.citations:
            places = [_word("cited_at", locale, place=citation.at)] if citation.at else []
            places += [
                _word("cited_in", locale, kind=_word(kind, locale), id=ref)
                for kind, ref in (
                    ("task", citation.task),
                    ("objective", citation.objective),
                )
                if ref is not None
            ]
            if citation.annex is not None:
                label = labels.get(citation.annex)
                places.append(
                    _word("cited_at", locale, place=label)
                    if label
                    else _word("cited_in", locale, kind=_word("annex", locale), id=citation.annex)
                )
            where = f" ({'; '.join(places)})" if places else ""
            lines.append(f"  - {citation.document.citation(locale)}{where}")
    if plan.annexes:
        lines += ["", _word("annexes", locale)]
        for annex in plan.annexes:
            title = localized(annex.title, locale)
            name = ": ".join(part for part in (annex.label or annex.id, title) if part)
            lines.append(f"  - {name}")
    return lines


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
    sources' amounts, the budget lines' amounts and the flows' amounts is a fraction
    below 1
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
    amounts: Iterable[Money] = itertools.chain(
        total, sources, (line.amount for line in funding.lines), (f.amount for f in plan.flows)
    )
    if _converts_all(plan):  # the tables are in the funding's currency: so is their unit
        amounts = (_in_funding_currency(plan, amount) for amount in amounts)
    return fitting_unit(amounts)


def _in_funding_currency(plan: Plan, amount: Money) -> Money:
    """``amount`` converted into the funding's currency, or as it is without a rate."""
    try:
        return plan.funding.convert(amount)
    except CurrencyMismatchError:
        return amount


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


def _bounds_text(comparator: Any, value: Any, upper: Any, unit: str, locale: str) -> str:
    """``≥ 60%``, ``88–90%``, ``100%``: a value with its comparator, as ``show`` prints it."""
    from egovplan.objective import Comparator

    if comparator is Comparator.BETWEEN and upper is not None:
        return f"{_number(value, locale)}–{_number(upper, locale)}{unit}"
    symbol = "" if comparator is Comparator.EQ else f"{comparator.symbol} "
    return f"{symbol}{_number(value, locale)}{unit}"


def _target_texts(plan: Plan, target: Target, locale: str) -> list[str]:
    """A target's line, and one more for each detail ``show`` prints below it."""
    from egovplan.catalog import Catalogues
    from egovplan.labels import localized

    catalogues = Catalogues.default()
    unit = _unit(target.unit, locale)
    if target.by_level:
        names = {level.id: level.name(locale) for level in plan.levels}
        parts = []
        for entry in target.by_level:
            text = f"{names.get(entry.level, entry.level)} " + _bounds_text(
                target.comparator_at(entry), entry.value, target.upper_at(entry), unit, locale
            )
            if entry.counts is not None:
                text += f" ({catalogues.counted.label(entry.counts, locale)})"
            parts.append(text)
        value_text = ", ".join(parts)
        if target.value is not None:
            overall = _bounds_text(target.comparator, target.value, target.upper, unit, locale)
            value_text = f"{overall}; {value_text}"
    elif target.value is None:
        value_text = ""
    else:
        value_text = _bounds_text(target.comparator, target.value, target.upper, unit, locale)
    if target.qualifiers and value_text:
        words = [catalogues.target_qualifiers.label(code, locale) for code in target.qualifiers]
        value_text = f"{' '.join(words)} {value_text}"
    measure = localized(target.measure, locale)
    text = f"{measure}: {value_text}" if value_text else measure
    if not target.kind.is_quantitative:
        text = f"[{target.kind.label(locale)}] {text}"
        if target.qualifiers and not value_text:
            words = [catalogues.target_qualifiers.label(code, locale) for code in target.qualifiers]
            text += f" ({', '.join(words)})"
    extras = []
    if target.deadline is not None:
        extras.append(_deadline_text(target.deadline, locale))
    baseline = target.baseline
    if baseline is not None:
        value = f"{_number(baseline.value, locale)}{unit}"
        if baseline.year is not None:
            extras.append(_word("baseline", locale, value=value, year=baseline.year))
        else:
            extras.append(_word("baseline_no_year", locale, value=value))
        if baseline.source:
            extras[-1] += f", {_word('source', locale, source=baseline.source)}"
    if extras:
        text += f" ({'; '.join(extras)})"
    lines = [f"{target.id}: {text}"]
    if target.description:
        lines.append(target.description)
    if target.verification:
        lines.append(_word("verification", locale, text=target.verification))
    if target.items_listed_in:
        lines.append(_word("items_listed_in", locale, part=target.items_listed_in))
    if target.contributes_to:
        refs = ", ".join(str(ref) for ref in target.contributes_to)
        lines.append(_word("contributes_to", locale, targets=refs))
    return lines


def _target_lines(plan: Plan, target: Target, locale: str, indent: str) -> list[str]:
    """A target as ``show`` prints it: a line, and one more below for each detail."""
    first, *rest = _target_texts(plan, target, locale)
    return [f"{indent}- {first}", *(f"{indent}  {line}" for line in rest)]


def _deadline_text(deadline: When, locale: str) -> str:
    """A target's deadline as ``show`` writes it.

    "by 2025" for a year (as a year deadline always read), "by Q3 2024" for a deadline
    (``by``), "in Q3 2024" or "on 30 June 2024" for a time.

    >>> from egovplan.when import When
    >>> _deadline_text(When(2025), "vi"), _deadline_text(When(2024, quarter=3), "vi")
    ('đến năm 2025', 'trong Quý III/2024')
    >>> by_june, in_june = When(2024, month=6, by=True), When(2024, month=6)
    >>> _deadline_text(by_june, "vi"), _deadline_text(in_june, "en")
    ('đến tháng 6/2024', 'in June 2024')
    """
    if deadline.by:
        return deadline.format(locale)
    if deadline.granularity == "year":
        return _word("by", locale, year=deadline.year)
    name = "on_day" if deadline.granularity == "day" else "in_time"
    return _word(name, locale, when=deadline.format(locale))


def _schedule_text(schedule: Any, locale: str) -> str:
    if schedule is None:
        return ""
    parts = []
    if schedule.start is not None:
        parts.append(_word("from_time", locale, when=schedule.start.format(locale)))
    if schedule.period is not None:
        parts.append(schedule.period.format(locale))
    if schedule.deadline is not None:
        parts.append(schedule.deadline.format(locale))
    if schedule.recurrence is not None:
        parts.append(schedule.recurrence.format(locale))
    if schedule.regular:
        parts.append(_word("regularly", locale))
    if not parts and schedule.text:
        parts.append(schedule.text)
    return "; ".join(parts)


def _tasks_by_lead(plan: Plan, locale: str) -> list[tuple[str, list[tuple[Any, str]]]]:
    """Tasks under each of their leads, with the other leads named beside each.

    A task's leads are its ``lead`` assignments, else the agencies in a role the roles
    catalogue marks ``leads``; a task with joint leads is listed under every one of them
    (with the others beside it), a task with none under "no lead agency".
    """
    from egovplan.catalog import Catalogues

    leading = {kind.code for kind in Catalogues.default().roles if kind.get("leads") is True}
    agencies = plan.index.agencies

    def name(agency_id: str) -> str:
        agency = agencies.get(agency_id)
        return agency.name(locale) if agency is not None else agency_id

    groups: dict[str | None, list[tuple[Any, str]]] = {}
    for task in plan.tasks:
        leads = [a.agency for a in task.lead]
        if not leads:
            leads = [a.agency for a in task.assignments if a.role in leading]
        leads = list(dict.fromkeys(leads))
        if not leads:
            groups.setdefault(None, []).append((task, ""))
        for lead in leads:
            others = ", ".join(name(other) for other in leads if other != lead)
            joint = _word("joint_with", locale, agencies=others) if others else ""
            groups.setdefault(lead, []).append((task, joint))
    named = [(name(lead), tasks) for lead, tasks in groups.items() if lead is not None]
    if None in groups:
        named.append((_word("no_lead", locale), groups[None]))
    return named


def _reporting_lines(plan: Plan, locale: str) -> list[str]:
    """The plan's reporting duties as ``show`` prints them: who reports to whom, through
    whom, how often, what and when (none when the plan states no duty).
    """  # noqa: D205
    from egovplan.catalog import Catalogues

    if not plan.reporting:
        return []
    cadences = Catalogues.default().cadences
    agencies = plan.index.agencies

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(agencies[a].name(locale) if a in agencies else a for a in ids)

    lines = ["", _word("reporting", locale)]
    for duty in plan.reporting:
        who = names(duty.all_reporters) or _word("not_stated", locale)
        whom = names(duty.all_recipients) or _word("not_stated", locale)
        head = f"  - {duty.id}: {who} → {whom}"
        if duty.via:
            head += f" ({_word('via', locale, agencies=names(duty.via))})"
        lines.append(head)
        details = [cadences.label(code, locale) for code in duty.all_cadences]
        for name, value in (("subject", duty.subject), ("due", duty.due)):
            if value:
                details.append(_word(name, locale, text=value))
        if duty.description:
            details.append(duty.description)
        if details:
            lines.append(f"    {'; '.join(details)}")
    return lines


def _section_lines(plan: Plan) -> list[str]:
    """The plan's free-text parts, each title and its text line by line, indented."""
    lines: list[str] = []
    for section in plan.sections:
        lines.append(f"  - {section.title}")
        lines += [f"    {line}" for line in section.text.splitlines() if line.strip()]
    return lines


def _validate_interchange(
    args: argparse.Namespace, console: _Console, file: str, catalogues: Catalogues | None
) -> tuple[list[dict[str, Any]], bool, bool]:
    """``validate`` of an interchange file: each plan in it (an IATI activity) on its own.

    Returns the results (one per plan, named ``FILE[ID]``), whether the file could not be
    read, and whether a plan has an error.
    """
    from egovplan.errors import LoadError

    locale: str = args.locale
    try:
        result = _read_interchange(file, args)
    except LoadError as error:
        return [_unreadable(args, console, file, error)], True, False
    results: list[dict[str, Any]] = []
    failed = False
    for plan in result.plans:
        name = f"{file}[{plan.id}]"
        report = plan.validate(ruleset=args.ruleset, locale=locale, catalogues=catalogues)
        issues = [
            _issue_dict(i.code, i.severity.value, i.path, i.message, None, None) for i in report
        ]
        failed = failed or not report.ok
        results.append({"file": name, "activity": plan.id, "issues": issues})
        if args.format == "text":
            _print_issues(console, name, issues, locale)
    return results, False, failed


# -- interchange formats ------------------------------------------------------------------

#: The interchange formats ``convert`` and ``validate`` read and write besides egovplan's
#: own, by name: the file suffixes that select them and the module that does the work (a
#: ``read_report(path, limits=)`` returning ``.plans``, ``.not_carried`` and ``.kept``,
#: and a ``write(plans, path, kept=)``). One more standard is one more entry.
INTERCHANGE: Final[dict[str, tuple[tuple[str, ...], str]]] = {
    "iati": ((".xml",), "egovplan.iati"),
    # OCDS files are .json, like egovplan's own: only --from ocds / --to ocds name them.
    "ocds": ((), "egovplan.ocds"),
}


def _interchange_option(parser: argparse.ArgumentParser, way: str, what: str) -> None:
    """``--from`` / ``--to`` (``way``): one of :data:`INTERCHANGE`, whatever the extension."""
    parser.add_argument(
        f"--{way}",
        dest=f"{way}_format",
        choices=tuple(INTERCHANGE),
        default=None,
        help=f"{what} as this interchange format, whatever its extension",
    )


def _interchange_of(file: str, named: str | None = None) -> str | None:
    """The interchange format of ``file``: ``named`` (``--from``/``--to``), or its suffix's."""
    if named is not None:
        return named if named in INTERCHANGE else None
    suffix = Path(file).suffix.lower()
    for name, (suffixes, _) in INTERCHANGE.items():
        if suffix in suffixes:
            return name
    return None


def _interchange_module(name: str) -> Any:
    import importlib

    return importlib.import_module(INTERCHANGE[name][1])


def _read_interchange(file: str, args: argparse.Namespace) -> Any:
    name = _interchange_of(file, getattr(args, "from_format", None))
    assert name is not None
    return _interchange_module(name).read_report(Path(file), limits=_limits(args))


def _report_not_carried(console: _Console, file: str, result: Any, ids: set[str]) -> None:
    """Say on stderr what of ``file`` the written plans do not hold (grouped by element)."""
    counts: dict[str, int] = {}
    for entry in result.not_carried:
        if entry.activity in ids or not entry.activity:
            key = re.sub(r"\[\d+\]", "", entry.path) + f": {entry.reason}"
            counts[key] = counts.get(key, 0) + 1
    for key, count in counts.items():
        times = f" (x{count})" if count > 1 else ""
        console.error(f"egovplan: {file}: not carried over: {key}{times}")


# -- breakdown, convert, schema -----------------------------------------------------------


def _breakdown(args: argparse.Namespace, console: _Console) -> int:
    from egovplan.breakdowns import BreakdownError, breakdown_command_output
    from egovplan.tables import TableError

    plan = _load(console, args.file, _limits(args))
    locale = _plan_locale(plan, args.locale)
    try:
        unit = _plan_unit(plan, args.unit)
        if args.actual or args.kinds:
            from egovplan.executions import execution_command_output

            text = execution_command_output(
                plan, args.by, args.by2, args.format, locale, unit, kinds=args.kinds
            )
        else:
            text = breakdown_command_output(plan, args.by, args.by2, args.format, locale, unit)
    except (BreakdownError, TableError) as error:
        console.error(f"egovplan: {args.file}: {error}")
        return EXIT_FAILURE
    except CurrencyMismatchError:
        console.error(f"egovplan: {args.file}: {_currency_problem(plan, locale)}")
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
    source = _interchange_of(args.input, args.from_format)
    if source is not None or args.all is not None or args.activity is not None:
        return _convert_interchange(args, console, source)
    if args.output is None:
        raise _UsageError("say where to write: OUT (or --all OUTDIR for an IATI file)")
    target = _interchange_of(args.output, args.to_format)
    if _same_file(Path(args.input), Path(args.output)):
        raise _UsageError(f"{args.output} is the input file; refusing to overwrite it")
    if target is not None:
        plan = _load(console, args.input, _limits(args))
        return _write_interchange(console, target, [plan], args.output, None)
    _check_output(args.output)
    return _write_plan(console, _load(console, args.input, _limits(args)), args.output)


def _write_interchange(
    console: _Console, name: str, plans: list[Plan], target: str, kept: Any
) -> int:
    from egovplan.errors import EgovplanError

    try:
        _interchange_module(name).write(plans, Path(target), kept=kept)
    except OSError as error:
        console.error(f"egovplan: {target}: cannot be written: {error.strerror or error}")
        return EXIT_FAILURE
    except (EgovplanError, ImportError) as error:
        console.error(f"egovplan: {target}: {error}")
        return EXIT_FAILURE
    return EXIT_OK


def _convert_interchange(args: argparse.Namespace, console: _Console, source: str | None) -> int:
    """``convert`` of an interchange file: one activity, or all of them, to plan files."""
    from egovplan.errors import LoadError

    if source is None:
        raise _UsageError("--activity and --all need an interchange file as IN (.xml: IATI)")
    if (args.output is None) == (args.all is None):
        raise _UsageError("say where to write: OUT, or --all OUTDIR (not both)")
    try:
        result = _read_interchange(args.input, args)
    except LoadError as error:
        _report_load_error(console, args.input, error)
        return EXIT_FAILURE
    plans = list(result.plans)
    if args.activity is not None:
        plans = [plan for plan in plans if plan.id == args.activity]
        if not plans:
            known = ", ".join(plan.id for plan in result.plans)
            raise _UsageError(f"{args.input} has no activity {args.activity!r}; it has {known}")
    if args.all is not None:
        folder = Path(args.all)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "." + args.all_format
        targets = [str(folder / (re.sub(r"[^\w.-]+", "_", plan.id) + suffix)) for plan in plans]
    elif len(plans) > 1:
        known = ", ".join(plan.id for plan in plans)
        raise _UsageError(
            f"{args.input} has {len(plans)} activities ({known}); pick one with --activity ID"
            " or write them all with --all OUTDIR"
        )
    else:
        targets = [args.output]
    target_format = _interchange_of(targets[0], args.to_format) if targets else None
    if target_format is not None:  # from one standard to another (or the same)
        if _same_file(Path(args.input), Path(targets[0])):
            raise _UsageError(f"{targets[0]} is the input file; refusing to overwrite it")
        code = _write_interchange(console, target_format, plans, targets[0], result.kept)
        _report_not_carried(console, args.input, result, set())
        return code
    for target in targets:
        _check_output(target)
    _report_not_carried(console, args.input, result, {plan.id for plan in plans})
    for plan, target in zip(plans, targets, strict=True):
        code = _write_plan(console, plan, target)
        if code != EXIT_OK:
            return code
    return EXIT_OK


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
    validate.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="plan files, or interchange files: IATI activities (.xml), OCDS (--from ocds)",
    )
    _interchange_option(validate, "from", "read every FILE")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    locale_help = (
        "a locale such as vi, en or fr_FR: numbers as it writes them, words in it when"
        " egovplan has them (vi, en), else in English"
    )
    # No string default: argparse would pass it through ``_locale_option``, which asks
    # babel (its locale data) on every run; ``_validate`` puts in English.
    validate.add_argument(
        "--locale", type=_locale_option, default=None, help=f"{locale_help} (default: en)"
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
    split.add_argument(
        "--actual",
        action="store_true",
        help="planned against actual: the plan's flows of the kinds that count as spent"
        " (disbursement, expenditure, reimbursement), with the execution rate",
    )
    split.add_argument(
        "--kind",
        dest="kinds",
        action="append",
        default=None,
        metavar="KIND",
        help="with --actual, count only flows of this kind (repeatable; implies --actual)",
    )
    split.set_defaults(handler=_breakdown)

    convert = commands.add_parser(
        "convert",
        parents=[common, reading],
        help="convert a plan between YAML, JSON and TOML, or from and to IATI",
        description="Convert a plan file; the formats come from the extensions (.xml: an"
        " IATI activity file). OUT is written atomically and left untouched on any error;"
        " IN is never overwritten. What an IATI file holds that the plan cannot is listed"
        " on stderr.",
    )
    convert.add_argument("input", metavar="IN")
    convert.add_argument("output", metavar="OUT", nargs="?", default=None)
    convert.add_argument(
        "--activity", metavar="ID", default=None, help="the activity of IN to convert"
    )
    convert.add_argument(
        "--all", metavar="OUTDIR", default=None, help="write every activity of IN to OUTDIR"
    )
    convert.add_argument(
        "--all-format",
        choices=("yaml", "json", "toml"),
        default="yaml",
        help="the format of the files --all writes (default: yaml)",
    )
    _interchange_option(convert, "from", "read IN")
    _interchange_option(convert, "to", "write OUT")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Python's cycle collector is paused while the command runs (and switched back on at
    the end, unless it was off to begin with): a command is a short run whose objects
    hold next to no reference cycles, and the collections the imports and the first
    answer would trigger only cost time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()


@in_own_context
def _run(argv: Sequence[str] | None) -> int:
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

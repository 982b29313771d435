"""Results do not depend on the caller's :mod:`decimal` context.

egovplan's Decimal work runs in its own context. Every public result below (loading and
writing plans, validation messages, breakdowns in every format, the command line's
output, money formatting and parsing, Money's arithmetic, progress and composite scores,
allocation, units, amounts in words, and the doctests of every module) is computed once
under Python's default context and again under hostile ones: a precision of 3, a small
``Emax``, traps on ``Inexact`` and ``Rounded``, other rounding and ``capitals=0``. The
results must be the same, and nothing may raise.
"""

from __future__ import annotations

import ast
import contextlib
import decimal
import doctest
import importlib
import io
import pkgutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import egovplan
from egovplan.files import FORMATS, dumps, load, loads

ROOT = Path(__file__).parent.parent
PLAN_FILES = [
    *sorted((ROOT / "examples").glob("*.yaml")),
    *sorted((ROOT / "tests" / "data" / "plans").glob("*.yaml")),
    ROOT / "examples" / "actuals" / "vi-du-2021-2023.yaml",
]
PLANS = {path.name: load(path) for path in PLAN_FILES}

ALL_SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
    decimal.FloatOperation,
]

HOSTILE = {
    "prec=3": decimal.Context(prec=3),
    "Emax=12": decimal.Context(Emax=12, Emin=-12),
    "traps on Inexact and Rounded": decimal.Context(
        traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow]
    ),
    "every trap, prec=1, Emax=3": decimal.Context(prec=1, Emax=3, Emin=-3, traps=ALL_SIGNALS),
    "floor, capitals=0, clamp=1": decimal.Context(
        prec=6, rounding=decimal.ROUND_FLOOR, capitals=0, clamp=1, Emax=30, Emin=-30
    ),
    "05up, prec=2": decimal.Context(prec=2, rounding=decimal.ROUND_05UP),
}


@contextlib.contextmanager
def caller_context(context: decimal.Context) -> Iterator[None]:
    previous = decimal.getcontext()
    decimal.setcontext(context.copy())
    try:
        yield
    finally:
        decimal.setcontext(previous)


def outcome(call: Callable[[], Any]) -> Any:
    """What ``call`` returns (as text, so that Decimal('1.0') and '1.00' differ), or the
    type and message of what it raises."""
    try:
        return repr(call())
    except Exception as error:
        return ("raised", type(error).__name__, str(error))


def plan_results(name: str) -> dict[str, Any]:
    from egovplan.breakdowns import (
        Dimension,
        breakdown,
        execution,
        plan_html,
        plan_markdown,
        reconcile,
    )
    from egovplan.cli import render_plan
    from egovplan.flows import flows_table
    from egovplan.progress import attainment

    plan = PLANS[name]
    results: dict[str, Any] = {}
    for locale in ("vi", "en", "fr_FR"):
        results[f"validate {locale}"] = outcome(
            lambda locale=locale: [
                (issue.code, issue.path, issue.message) for issue in plan.validate(locale=locale)
            ]
        )
        for unit in ("auto", "one", "million", "billion"):
            results[f"show {locale} {unit}"] = outcome(
                lambda locale=locale, unit=unit: render_plan(plan, locale=locale, unit=unit)
            )
    for dimension in Dimension:
        for unit in ("one", "million"):
            for fmt in ("text", "markdown", "csv", "json", "html"):
                results[f"breakdown {dimension} {unit} {fmt}"] = outcome(
                    lambda d=dimension, u=unit, f=fmt: breakdown(plan, d, locale="vi").render(
                        f, locale="en", unit=u
                    )
                )
    results["pivot"] = outcome(lambda: breakdown(plan, "source", "year").to_text(unit="million"))
    for dimension in Dimension:
        results[f"execution {dimension}"] = outcome(
            lambda d=dimension: execution(plan, by=d).render("json", locale="en")
        )
    results["execution pivot"] = outcome(
        lambda: execution(plan, by="source", by2="year").to_text(unit="million")
    )
    results["flows table"] = outcome(lambda: flows_table(plan, unit="million").to_text())
    results["reconcile"] = outcome(lambda: reconcile(plan))
    results["html"] = outcome(lambda: plan_html(plan, unit="billion"))
    results["markdown"] = outcome(lambda: plan_markdown(plan, locale="en", unit="million"))
    for format in FORMATS:
        results[f"dumps {format}"] = outcome(lambda format=format: dumps(plan, format))
        results[f"round trip {format}"] = outcome(
            lambda format=format: loads(dumps(plan, format), format) == plan
        )
    for _, objective in plan.walk_objectives():
        for target in objective.targets:
            if target.value is None:
                continue
            third = decimal.Context(prec=28).divide(target.value, 3)
            for latest in (target.value, third, Decimal("12345.678")):
                results[f"attainment {target.id} {latest}"] = outcome(
                    lambda t=target, v=latest: attainment(t, v, year=2020)
                )
    return results


def cli_results(path: Path) -> dict[str, Any]:
    from egovplan.cli import main

    results: dict[str, Any] = {}
    for argv in (
        ["validate", str(path), "--locale", "vi"],
        ["show", str(path), "--locale", "en"],
        ["breakdown", str(path), "--by", "year", "--by2", "source", "--format", "csv"],
        ["breakdown", str(path), "--by", "source", "--unit", "billion"],
        ["breakdown", str(path), "--by", "source", "--actual", "--format", "json"],
    ):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*argv, "--color", "never"])
        results[" ".join(argv)] = (code, out.getvalue(), err.getvalue())
    return results


@pytest.mark.parametrize("context", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_plans_give_the_same_results_in_any_caller_context(name: str, context: str) -> None:
    expected = plan_results(name)
    with caller_context(HOSTILE[context]):
        found = plan_results(name)
    assert [key for key in expected if found[key] != expected[key]] == []
    assert found == expected


@pytest.mark.parametrize("context", sorted(HOSTILE))
def test_the_command_line_gives_the_same_output_in_any_caller_context(context: str) -> None:
    for path in [*PLAN_FILES[:2], PLAN_FILES[-1]]:
        expected = cli_results(path)
        with caller_context(HOSTILE[context]):
            assert cli_results(path) == expected


def test_a_validation_message_quotes_its_numbers_in_full() -> None:
    """The example of the issue: under prec=3, 12,345 was quoted as 12,300."""
    text = """\
format_version: 1
id: p
metadata: {kind: plan, title: T}
period: 2021-2025
funding:
  total: 12345 VND
  sources:
  - {id: s, kind: grant, names: {vi: S}, amount: 12000 VND}
"""
    plan = loads(text, "yaml")
    expected = [issue.message for issue in plan.validate(locale="en")]
    assert any("12,345" in message for message in expected), expected
    for context in HOSTILE.values():
        with caller_context(context):
            assert [issue.message for issue in plan.validate(locale="en")] == expected


# -- money, amounts, progress, allocation, units, words --------------------------------------

AMOUNTS = [
    ("0", "VND"),
    ("12345", "VND"),
    ("901000000000", "VND"),
    ("1234567.891", "USD"),
    ("0.005", "USD"),
    ("999999999999999999999.99", "EUR"),
    ("1E+30", "VND"),
    ("-42.5", "JPY"),
    ("1.234", "KWD"),
]


def money_results(amount: str, currency: str) -> dict[str, Any]:
    from egovplan.amounts import fitting_unit, format_amount, format_money, parse_amount
    from egovplan.money import Money

    money = Money(amount, currency)
    results: dict[str, Any] = {
        "str": outcome(lambda: str(money)),
        "rounded": outcome(money.rounded),
        "minor units": outcome(lambda: money.minor_units),
        "sum": outcome(lambda: money + money + Money("0.1", currency)),
        "difference": outcome(lambda: money - Money("1234.5678", currency)),
        "times": outcome(lambda: money * Decimal("1.0625")),
        "divided": outcome(lambda: money / 7),
        "allocate": outcome(lambda: money.allocate([1, 2, 3, Decimal("0.5")])),
        "fitting unit": outcome(lambda: fitting_unit([money])),
    }
    for locale in ("vi", "en", "de_CH", "ar", "fr_FR", "ja"):
        for style in ("full", "compact"):
            results[f"{locale} {style}"] = outcome(
                lambda locale=locale, style=style: format_money(money, locale, style)  # type: ignore[arg-type]
            )
            results[f"{locale} {style} 2"] = outcome(
                lambda locale=locale, style=style: format_money(money, locale, style, places=2)  # type: ignore[arg-type]
            )
        for unit in ("one", "thousand", "billion"):
            results[f"{locale} {unit}"] = outcome(
                lambda locale=locale, unit=unit: format_amount(money, locale, unit)
            )
            results[f"{locale} {unit} 1"] = outcome(
                lambda locale=locale, unit=unit: format_amount(money, locale, unit, places=1)
            )
        results[f"{locale} read back"] = outcome(
            lambda locale=locale: parse_amount(format_money(money, locale), locale, currency)
        )
    return results


@pytest.mark.parametrize("context", sorted(HOSTILE))
@pytest.mark.parametrize(("amount", "currency"), AMOUNTS)
def test_money_gives_the_same_results_in_any_caller_context(
    amount: str, currency: str, context: str
) -> None:
    expected = money_results(amount, currency)
    with caller_context(HOSTILE[context]):
        found = money_results(amount, currency)
    assert [key for key in expected if found[key] != expected[key]] == []


def other_results() -> dict[str, Any]:
    from egovplan.allocation import allocate_units, shares
    from egovplan.frameworks import framework
    from egovplan.indicator import Observation
    from egovplan.period import Period
    from egovplan.progress import composite_scores
    from egovplan.tables import format_in_unit, format_number
    from egovplan.units import convert, quantity
    from egovplan.words import amount_to_words, words_to_amount

    observations = [
        Observation(indicator=i, subject=s, period=Period.year(2024), value=Decimal(v))
        for s, i, v in (
            ("a", "egdi.osi", "0.81234"),
            ("b", "egdi.osi", "0.3"),
            ("a", "egdi.tii", "0.12345"),
            ("b", "egdi.tii", "0.98765"),
            ("a", "egdi.hci", "0.5"),
            ("b", "egdi.hci", "0.66666"),
        )
    ]
    results: dict[str, Any] = {}
    for normalisation in ("min_max", "none"):
        scores = composite_scores(
            framework("un-egdi"),
            observations,
            period=Period.year(2024),
            normalisation=normalisation,
        )
        results[f"composite {normalisation}"] = outcome(
            lambda scores=scores: [
                (node, subject, scores.score(node, subject))
                for node in ("egdi", "egdi.osi", "egdi.tii")
                for subject in ("a", "b")
            ]
        )
    results["shares"] = outcome(lambda: shares([1, 1, 1], places=4))
    results["shares of decimals"] = outcome(lambda: shares([Decimal("1234.5678"), Decimal(3)]))
    results["allocate units"] = outcome(lambda: allocate_units(100, [1, 2, Decimal("3.3")]))
    results["format number"] = outcome(lambda: format_number(Decimal("12345.6789"), "vi"))
    results["format number places"] = outcome(
        lambda: format_number(Decimal("12345.6789"), "en", places=2)
    )
    from egovplan.money import Money

    results["format in unit"] = outcome(
        lambda: format_in_unit(Money("123456789.5", "VND"), "million", "vi", places=3)
    )
    results["convert"] = outcome(lambda: convert(Decimal("12345.678"), "km", "m"))
    results["convert percent"] = outcome(lambda: convert(Decimal("0.123456789"), "1", "percent"))
    results["quantity"] = outcome(lambda: str(quantity(Decimal("12345.678"), "km")))
    results["words"] = outcome(lambda: amount_to_words(901_000_000_123, "vi"))
    results["words back"] = outcome(lambda: words_to_amount("chín trăm linh một tỷ đồng", "vi"))
    from egovplan.objective import Target, TargetPart
    from egovplan.validation import format_value

    for value in ("12345", "12345.6789", "1E+40", "0.000012345", "-9876543210.5"):
        for locale in ("en", "vi"):
            results[f"message value {value} {locale}"] = outcome(
                lambda v=value, loc=locale: format_value(Decimal(v), loc)
            )
    parts = tuple(
        TargetPart(label=label, value=Decimal(value))
        for label, value in (("a", "12345.5"), ("b", "0.25"), ("c", "1E+5"))
    )
    results["parts total"] = outcome(
        lambda: Target(id="t", measure="m", value=1, unit="people", parts=parts).parts_total
    )
    return results


@pytest.mark.parametrize("context", sorted(HOSTILE))
def test_progress_allocation_units_and_words_in_any_caller_context(context: str) -> None:
    expected = other_results()
    with caller_context(HOSTILE[context]):
        found = other_results()
    assert [key for key in expected if found[key] != expected[key]] == []


_contexts = st.builds(
    decimal.Context,
    prec=st.integers(1, 40),
    rounding=st.sampled_from(
        [
            decimal.ROUND_05UP,
            decimal.ROUND_CEILING,
            decimal.ROUND_DOWN,
            decimal.ROUND_FLOOR,
            decimal.ROUND_HALF_DOWN,
            decimal.ROUND_HALF_EVEN,
            decimal.ROUND_HALF_UP,
            decimal.ROUND_UP,
        ]
    ),
    Emax=st.integers(1, 40),
    Emin=st.integers(-40, -1),
    capitals=st.sampled_from([0, 1]),
    clamp=st.sampled_from([0, 1]),
    traps=st.lists(st.sampled_from(ALL_SIGNALS), unique=True),
)
_money = st.tuples(
    st.decimals(min_value=Decimal("-1E+24"), max_value=Decimal("1E+24"), places=4, allow_nan=False),
    st.sampled_from(["VND", "USD", "EUR", "JPY", "KWD"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(context=_contexts, money=_money, locale=st.sampled_from(["vi", "en", "de_CH", "fr"]))
def test_formatting_and_arithmetic_in_random_caller_contexts(
    context: decimal.Context, money: tuple[Decimal, str], locale: str
) -> None:
    from egovplan.amounts import format_amount, format_money, parse_amount
    from egovplan.money import Money

    amount = Money(money[0], money[1])

    def results() -> list[Any]:
        return [
            outcome(lambda: format_money(amount, locale)),
            outcome(lambda: format_money(amount, locale, "compact", places=2)),
            outcome(lambda: format_amount(amount, locale, "million", places=3)),
            outcome(lambda: parse_amount(format_money(amount, locale), locale, money[1])),
            outcome(lambda: (amount + amount, amount * 3, amount / 7, amount.rounded())),
            outcome(lambda: amount.allocate([1, 1, 1])),
        ]

    expected = results()
    with caller_context(context):
        assert results() == expected


# -- the doctests of every module -------------------------------------------------------------

#: Doctests whose own code does Decimal arithmetic in the caller's context (the sum of
#: shares in allocation's module docstring): their results rightly change with it.
OWN_ARITHMETIC = {"egovplan.allocation"}
SKIPPED_MODULES = ("egovplan.charts", "egovplan.__main__", "egovplan.testing", "egovplan.arrow")


def _doctests() -> list[doctest.DocTest]:
    tests = []
    names = [m.name for m in pkgutil.iter_modules(egovplan.__path__, "egovplan.")]
    for name in ["egovplan", *names]:
        if name.startswith(SKIPPED_MODULES):
            continue
        module = importlib.import_module(name)
        tests += [test for test in doctest.DocTestFinder().find(module) if test.examples]
    return tests


@pytest.mark.parametrize("context", sorted(HOSTILE))
def test_the_doctests_pass_in_any_caller_context(context: str) -> None:
    failed = {}
    for test in _doctests():
        if test.name in OWN_ARITHMETIC:
            continue
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        report = io.StringIO()
        with caller_context(HOSTILE[context]):
            result = runner.run(test, out=report.write)
        if result.failed:
            failed[test.name] = report.getvalue()[:2000]
    assert failed == {}


# -- where contexts come from ------------------------------------------------------------------

SOURCE = ROOT / "src" / "egovplan"


def _decimal_names(tree: ast.Module) -> set[str]:
    """The local names of ``decimal.Context`` and ``decimal.localcontext`` in a module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "decimal":
            names |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name in ("Context", "localcontext")
            }
    return names


@pytest.mark.parametrize("path", sorted(SOURCE.glob("*.py")), ids=lambda path: path.name)
def test_contexts_are_made_by_egovplan_s_own_function(path: Path) -> None:
    """``decimal.Context(...)`` takes unnamed fields from ``DefaultContext``, which a caller
    may change, and ``localcontext()`` without a context copies the caller's: modules make
    contexts with ``_decimal.context()`` and enter only a context they name."""
    if path.name == "_decimal.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _decimal_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = (
            function.id
            if isinstance(function, ast.Name)
            else f"decimal.{function.attr}"
            if isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "decimal"
            else None
        )
        where = f"{path.name}:{node.lineno}"
        if name in ("decimal.Context",) or (name in names and "Context" in name):
            raise AssertionError(f"{where}: make the context with _decimal.context()")
        if name in ("decimal.localcontext",) or (name in names and "localcontext" in name):
            assert node.args or node.keywords, f"{where}: localcontext() copies the caller's"

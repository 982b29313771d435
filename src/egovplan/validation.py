"""The validation engine: rules, rulesets, registries and reports.

A :class:`Rule` has a stable code (``EGP201``), a :class:`Severity`, texts per locale
(title, description, why, an example and a message template) and a *check*: a function
``check(plan, context)`` that yields one :class:`Finding` per problem, each with the path
of the offending element (``funding.sources[1].amount``) and the values the message
template names. :func:`validate` runs the rules of a ruleset over a plan and returns a
:class:`Report` of :class:`Issue` objects, with messages in the requested locale.

Validation never raises on a bad plan: a rule that crashes is reported as an internal
error (code :data:`INTERNAL_ERROR`) and the other rules still run.

Rules live in an immutable :class:`RuleRegistry`; :func:`default_registry` holds the
built-in rules (:mod:`egovplan.rules`, documented in ``docs/rules.md``). Users add their
own with :meth:`RuleRegistry.with_rules` and name selections with
:meth:`RuleRegistry.with_ruleset`; nothing global is changed. What a rule, a ruleset
and a registry are is defined in :mod:`egovplan.rulebook`, below the built-in rules that
use it; this module exports every name of it, and is the place to import them from.

>>> def no_empty_title(plan, context):
...     if not plan.metadata.title.strip():
...         yield Finding(path="metadata.title")
>>> rule = Rule(code="ACME001", severity=Severity.WARNING, check=no_empty_title,
...             texts={"en": {"title": "Plans have a title", "message": "the title is empty"}})
>>> registry = default_registry().with_rules(rule)
>>> "ACME001" in registry.ruleset("default").codes
True
>>> registry.with_ruleset("mine", ["ACME001", "EGP999"])
Traceback (most recent call last):
...
egovplan.rulebook.UnknownRuleError: ruleset 'mine' names unknown rule code 'EGP999'
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _decimal
from egovplan import _fields as f
from egovplan._data import language_of, pick_locale
from egovplan._decimal import in_own_context
from egovplan._fields import items_of
from egovplan._plurals import counted
from egovplan.errors import EgovplanError, FieldTypeError
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period, Quarter
from egovplan.recurrence import Recurrence
from egovplan.rulebook import (
    INTERNAL_ERROR,
    Check,
    Context,
    Finding,
    Issue,
    Rule,
    RuleError,
    RuleRegistry,
    Ruleset,
    RuleText,
    Selection,
    Severity,
    Term,
    UnknownRuleError,
    builtin_texts,
    load_messages,
    message_locales,
)
from egovplan.rules import build_registry
from egovplan.when import When

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.plan import Plan

__all__ = [
    "INTERNAL_ERROR",
    "Check",
    "Context",
    "Finding",
    "Issue",
    "Report",
    "Rule",
    "RuleError",
    "RuleRegistry",
    "RuleText",
    "Ruleset",
    "Selection",
    "Severity",
    "Term",
    "UnknownRuleError",
    "builtin_texts",
    "default_registry",
    "format_value",
    "load_messages",
    "message_locales",
    "rules_markdown",
    "validate",
    "validate_together",
]


def _issue_tuple(value: Iterable[Issue]) -> tuple[Issue, ...]:
    return items_of(value, Issue, "Report.issues")


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return items_of(value, str, "Report.checked")


@functools.cache
def default_registry() -> RuleRegistry:
    """The built-in rules of :mod:`egovplan.rules` and their rulesets (built once, cached).

    Rulesets: ``default`` (every built-in rule), ``structure`` (ids, references,
    periods), ``references``, ``funding``, ``targets``, ``tasks`` and ``reporting``.

    >>> len(default_registry()) >= 25
    True
    """
    return build_registry()


def _engine_text(locale: str, key: str) -> str:
    language = language_of(locale)
    for candidate in (language, "en"):
        if candidate in message_locales():
            value = load_messages(candidate).get("engine", {}).get(key)
            if isinstance(value, str):
                return value
    return key


def _engine_count(locale: str, noun: str, count: int) -> str:
    """``count`` with ``noun`` (errors, warnings, infos) in the plural form of ``locale``."""
    language = language_of(locale)
    for candidate in (language, "en"):
        if candidate in message_locales():
            forms = load_messages(candidate).get("engine", {}).get("counts", {}).get(noun)
            if isinstance(forms, Mapping) and isinstance(forms.get("other"), str):
                return counted(forms, candidate, count)
    return f"{count} {noun}"


# --- formatting ---------------------------------------------------------------------------


def _babel_locale(locale: str) -> str:
    """``locale`` normalised (``en-US`` -> ``en_US``) and checked against babel's data."""
    if not isinstance(locale, str):
        raise FieldTypeError(f"locale must be str, not {type(locale).__name__}")
    return _known_locale(locale)


@functools.cache
def _known_locale(locale: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(locale.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        from egovplan.words import UnknownLocaleError as EgovplanUnknownLocale

        raise EgovplanUnknownLocale(f"unknown locale {locale!r}; use e.g. 'en' or 'vi'") from None


@functools.cache
def _number_symbols(locale: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(locale), get_group_symbol(locale)


@functools.lru_cache(maxsize=4096)
def _format_money(money: Money, locale: str) -> str:
    from egovplan.amounts import format_money

    return format_money(money, locale)


#: Wide enough for every value of a model, so that nothing a message quotes is rounded.
_WIDE: Final = _decimal.context(f.MAX_DIGITS + 2 * f.MAX_EXPONENT + 20, wide=True)


def _format_decimal(value: Decimal, locale: str) -> str:
    if not value.is_finite():
        return str(value)
    decimal_symbol, group_symbol = _number_symbols(locale)
    if value == value.to_integral_value(context=_WIDE):
        value = value.normalize(context=_WIDE)
    text = f"{value:,f}"
    return text.translate({ord(","): group_symbol, ord("."): decimal_symbol})


def _format_period(value: Quarter | Period | When | Recurrence, locale: str) -> str:
    try:
        return value.format(locale)
    except (EgovplanError, ValueError, LookupError):  # an odd locale, a reversed period
        return str(value)


@in_own_context
def format_value(value: object, locale: str = "en") -> str:
    """``value`` as a message shows it: amounts and decimals in ``locale``'s style.

    Integers (years, counts, indexes) are shown without grouping; quarters and periods
    as the locale writes them.

    >>> from decimal import Decimal
    >>> format_value(Decimal("1234.5"), "vi"), format_value(2025, "vi")
    ('1.234,5', '2025')
    >>> format_value(("a", "b"))
    'a, b'
    """
    if isinstance(value, str):
        return _term(value, locale) if isinstance(value, Term) else value
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, Decimal):
        return _format_decimal(value, locale)
    if isinstance(value, Money):
        return _format_money(value, locale)
    if isinstance(value, Quarter | Period | When | Recurrence):
        return _format_period(value, locale)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Labels):
        return value.text(locale)
    if isinstance(value, tuple | list):
        return ", ".join(format_value(item, locale) for item in value)
    return str(value)


def _term(term: str, locale: str) -> str:
    language = language_of(locale)
    for candidate in (language, "en"):
        if candidate in message_locales():
            value = load_messages(candidate).get("terms", {}).get(term)
            if isinstance(value, str):
                return value
    return term


class _Fields(dict[str, str]):
    """Format fields; a field the values lack is shown as ``{name}`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _message(template: str, values: Mapping[str, Any], locale: str) -> str:
    fields = _Fields()
    for key, value in values.items():
        kind = type(value)  # fast paths for the commonest values: ids and years
        if kind is str:
            fields[key] = value
        elif kind is int:
            fields[key] = str(value)
        else:
            fields[key] = format_value(value, locale)
    return template.format_map(fields)


# --- running ------------------------------------------------------------------------------


def _run_rule(rule: Rule, plan: Plan, context: Context, issues: list[Issue]) -> Issue | None:
    """Append the rule's issues to ``issues``; return the internal error if it failed."""
    text = rule.text(context.locale)
    locale = context.locale
    code, severity, message, variants = rule.code, rule.severity, text.message, text.variants
    append = issues.append
    try:
        for finding in rule.check(plan, context):
            if type(finding) is not Finding and not isinstance(finding, Finding):
                raise RuleError(f"a check must yield Finding objects, not {type(finding).__name__}")
            template = message
            if finding.variant is not None:
                template = variants.get(finding.variant, message)
            values = finding.values
            append(
                Issue(
                    code=code,
                    severity=severity,
                    path=finding.path,
                    message=_message(template, values, locale),
                    values=values,
                )
            )
    except Exception as error:  # a rule must never take the report down
        return _internal_error(code, error, locale)
    return None


def _internal_error(code: str, error: Exception, locale: str) -> Issue:
    detail = f"{type(error).__name__}: {error}"
    values = {"rule": code, "error": detail}
    template = builtin_texts(INTERNAL_ERROR)
    message = _message(pick_locale(template, locale).message, values, locale)
    return Issue(
        code=INTERNAL_ERROR, severity=Severity.ERROR, path="", message=message, values=values
    )


@in_own_context
def validate(
    plan: Plan,
    *,
    ruleset: Selection = "default",
    locale: str = "en",
    registry: RuleRegistry | None = None,
    catalogues: Catalogues | None = None,
    plans: Iterable[Plan] = (),
) -> Report:
    """Check ``plan`` against the rules of ``ruleset`` and report every problem found.

    Never raises because of the plan's content: a rule that fails on an odd plan is
    reported as an :data:`INTERNAL_ERROR` issue and the other rules still run.

    Args:
        plan: the plan to check.
        ruleset: a ruleset name of ``registry`` (``"default"``, ``"funding"``, ...), a
            :class:`Ruleset`, or an iterable of rule codes.
        locale: the language of the messages and the style of numbers (``"en"``, ``"vi"``).
        registry: the rules to use; :func:`default_registry` unless given.
        catalogues: the catalogues kinds, roles and cadences are checked against;
            egovplan's shipped catalogues unless given.
        plans: other plans loaded alongside: a target's contribution to one of their
            targets is checked (EGP310); one to a plan not given is not. See
            :func:`validate_together`.

    Returns:
        A :class:`Report` whose issues are ordered by code (internal errors first), then
        by position in the plan.

    Raises:
        UnknownRuleError: ``ruleset`` names an unknown ruleset or rule code.
        FieldTypeError: ``plan`` is not a :class:`~egovplan.plan.Plan`, ``registry`` not
            a :class:`RuleRegistry` or ``locale`` not a str.
        UnknownLocaleError: babel does not know ``locale``.
    """
    from egovplan.plan import Plan

    if not isinstance(plan, Plan):
        raise FieldTypeError(f"validate() checks a Plan, not {type(plan).__name__}")
    registry = default_registry() if registry is None else registry
    if not isinstance(registry, RuleRegistry):
        raise FieldTypeError(f"registry must be a RuleRegistry, not {type(registry).__name__}")
    rules = registry.select(ruleset)
    locale = _babel_locale(locale)
    if catalogues is None:
        from egovplan.catalog import Catalogues

        catalogues = Catalogues.default()
    others = _plans_by_id(plans)
    context = Context(plan, catalogues=catalogues, locale=locale, plans=others)
    issues: list[Issue] = []
    internal: list[Issue] = []
    for rule in rules:  # in code order, so the issues are too
        failure = _run_rule(rule, plan, context, issues)
        if failure is not None:
            internal.append(failure)
    if isinstance(ruleset, str):
        name = ruleset
    elif isinstance(ruleset, Ruleset):
        name = ruleset.name
    else:
        name = "custom"
    return Report(
        issues=(*internal, *issues),
        ruleset=name,
        locale=locale,
        checked=tuple(rule.code for rule in rules),
    )


def _plans_by_id(plans: Iterable[Plan]) -> dict[str, Plan]:
    from egovplan.plan import Plan

    found = items_of(plans, Plan, "validate() plans")
    by_id: dict[str, Plan] = {}
    for other in found:
        by_id.setdefault(other.id, other)
    return by_id


def validate_together(
    plans: Iterable[Plan],
    *,
    ruleset: Selection = "default",
    locale: str = "en",
    registry: RuleRegistry | None = None,
    catalogues: Catalogues | None = None,
) -> tuple[Report, ...]:
    """Validate several plans loaded together: one :class:`Report` each, in order.

    Each plan is checked as :func:`validate` checks it, with the others given as
    ``plans``: a target that contributes to another plan's target
    (:attr:`~egovplan.objective.Target.contributes_to`) is checked against it (EGP310).

    >>> from egovplan.document import PlanMetadata
    >>> from egovplan.objective import Objective, Target, TargetRef
    >>> from egovplan.period import Period
    >>> from egovplan.plan import Plan
    >>> def plan(id, target):
    ...     return Plan(id=id, metadata=PlanMetadata(kind="plan", title=id),
    ...                 period=Period.years(2021, 2025),
    ...                 objectives=(Objective(id="o", targets=(target,)),))
    >>> national = plan("national", Target(id="online", measure="online services",
    ...                                    value=80, unit="percent"))
    >>> province = plan("province", Target(id="dvc", measure="online services", value=90,
    ...     unit="percent", contributes_to=(TargetRef(plan="national", target="onlin"),)))
    >>> [r.codes() for r in validate_together([national, province])]
    [(), ('EGP310',)]
    """
    from egovplan.plan import Plan

    found = items_of(plans, Plan, "validate_together() plans")
    return tuple(
        validate(
            plan,
            ruleset=ruleset,
            locale=locale,
            registry=registry,
            catalogues=catalogues,
            plans=found,
        )
        for plan in found
    )


# --- the report ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Report:
    """The issues :func:`validate` found, by code, then by position in the plan.

    Internal errors (:data:`INTERNAL_ERROR`, a rule that failed) come first.

    Iterating gives the issues; ``len(report)`` counts them (so an empty report is falsy:
    test ``report.ok`` for "no errors").

    Attributes:
        issues: every issue.
        ruleset: the name of the ruleset that ran (``"custom"`` for a list of codes).
        locale: the locale of the messages.
        checked: the codes of the rules that ran.
    """

    issues: tuple[Issue, ...] = attrs.field(converter=_issue_tuple)
    ruleset: str = "default"
    locale: str = "en"
    checked: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def ok(self) -> bool:
        """Whether there are no errors (warnings and infos are allowed)."""
        return not any(issue.severity is Severity.ERROR for issue in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues of severity error."""
        return self._of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues of severity warning."""
        return self._of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Issue, ...]:
        """The issues of severity info."""
        return self._of(Severity.INFO)

    def _of(self, severity: Severity) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is severity)

    def codes(self) -> tuple[str, ...]:
        """The distinct codes of the issues, sorted.

        >>> Report(issues=[]).codes()
        ()
        """
        return tuple(sorted({issue.code for issue in self.issues}))

    def by_code(self, code: str) -> tuple[Issue, ...]:
        """The issues with ``code``."""
        return tuple(issue for issue in self.issues if issue.code == code)

    def at(self, path: str) -> tuple[Issue, ...]:
        """The issues at ``path`` or inside it (``"funding"`` includes ``funding.total``)."""
        return tuple(
            issue
            for issue in self.issues
            if issue.path == path or issue.path.startswith((path + ".", path + "[")) or not path
        )

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data.

        >>> Report(issues=[]).to_dict()["ok"]
        True
        """
        return {
            "ok": self.ok,
            "ruleset": self.ruleset,
            "locale": self.locale,
            "checked": list(self.checked),
            "counts": {
                "error": len(self.errors),
                "warning": len(self.warnings),
                "info": len(self.infos),
            },
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def __str__(self) -> str:
        summary = _engine_text(self.locale, "summary").format_map(
            _Fields(
                errors=_engine_count(self.locale, "errors", len(self.errors)),
                warnings=_engine_count(self.locale, "warnings", len(self.warnings)),
                infos=_engine_count(self.locale, "infos", len(self.infos)),
            )
        )
        if not self.issues:
            return _engine_text(self.locale, "clean")
        lines = [summary]
        for issue in self.issues:
            where = issue.path or _engine_text(self.locale, "plan")
            severity = _engine_text(self.locale, f"severity_{issue.severity.value}")
            lines.append(f"{where}: {severity} {issue.code}: {issue.message}")
        return "\n".join(lines)


# --- documentation ------------------------------------------------------------------------


def rules_markdown(registry: RuleRegistry | None = None) -> str:
    """The rule reference (``docs/rules.md``) generated from ``registry``.

    Every rule with its code, severity, title (English and Vietnamese), what it checks,
    why, an example, and the rulesets it belongs to.

    >>> rules_markdown().splitlines()[0]
    '# Validation rules'
    """
    registry = default_registry() if registry is None else registry
    lines = [
        "# Validation rules",
        "",
        "<!-- Generated from egovplan's rule registry by"
        " egovplan.validation.rules_markdown(); do not edit by hand. -->",
        "",
        "`egovplan.validate(plan)` (or `plan.validate()`) runs the rules of a ruleset and",
        "returns a report; each issue has a code, a severity, the path of the offending",
        'element and a message in English or Vietnamese (`locale="vi"`).',
        "",
        "Codes are stable and grouped by area:",
        "",
        "| codes | area |",
        "| --- | --- |",
        "| EGP000 | the engine itself (a rule that failed) |",
        "| EGP1xx | identity and references |",
        "| EGP2xx | funding |",
        "| EGP3xx | objectives and targets |",
        "| EGP4xx | tasks and assignments |",
        "| EGP5xx | periods and schedule |",
        "| EGP6xx | reporting |",
        "",
        "Paths name the offending element with the keys of the file format: dotted",
        "attribute names and `[index]` for lists, such as `funding.sources[1].amount_in_words`,",
        "`tasks[3].assignments` or `objectives[0].children[1].targets[0].by_level[1].value`.",
        "",
        "## Using the rules",
        "",
        "```python",
        "from egovplan.validation import Finding, Rule, Severity, default_registry, validate",
        "",
        'report = validate(plan, ruleset="funding", locale="vi")',
        "report.ok, report.codes(), [issue.path for issue in report.errors]",
        "",
        "def has_title(plan, context):",
        "    if not plan.metadata.title.strip():",
        '        yield Finding(path="metadata.title")',
        "",
        'mine = Rule(code="ACME001", severity=Severity.WARNING, check=has_title,',
        '            texts={"en": {"title": "Plans have a title", "message": "no title"}})',
        'registry = default_registry().with_rules(mine).with_ruleset("money", ["EGP201"])',
        "validate(plan, registry=registry)                  # default now includes ACME001",
        'validate(plan, registry=registry, ruleset="money")',
        "```",
        "",
        "A rule that fails on a plan is reported as `EGP000` and the other rules still run.",
        "Unknown rule codes or ruleset names are an error (`UnknownRuleError`, a `ValueError`).",
        "",
        "## Rulesets",
        "",
        "| ruleset | rules |",
        "| --- | --- |",
    ]
    every = set(registry.codes)
    for ruleset in sorted(registry.rulesets, key=lambda rs: rs.name):
        codes = "every rule" if set(ruleset.codes) == every else ", ".join(ruleset.codes)
        lines.append(f"| `{ruleset.name}` | {codes} |")
    lines += ["", "## Rules", ""]
    internal = Rule(
        code=INTERNAL_ERROR,
        severity=Severity.ERROR,
        check=lambda plan, context: (),
        texts=builtin_texts(INTERNAL_ERROR),
    )
    member_of: dict[str, list[str]] = {}
    for ruleset in sorted(registry.rulesets, key=lambda rs: rs.name):
        for code in ruleset.codes:
            member_of.setdefault(code, []).append(ruleset.name)
    for rule in (internal, *registry.rules):
        en, vi = rule.text("en"), rule.text("vi")
        lines += [f"### {rule.code} — {en.title}", ""]
        if vi.title != en.title:
            lines += [f"*{vi.title}*", ""]
        lines.append(f"- **Severity:** {rule.severity.value}")
        if rule.code in member_of:
            lines.append(f"- **Rulesets:** {', '.join(member_of[rule.code])}")
        lines.append(f"- **Checks:** {en.description}")
        if en.why:
            lines.append(f"- **Why:** {en.why}")
        if en.example:
            lines.append(f"- **Example:** {en.example}")
        lines.append(f"- **Message:** `{en.message}`")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

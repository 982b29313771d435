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
:meth:`RuleRegistry.with_ruleset`; nothing global is changed.

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
egovplan.validation.UnknownRuleError: ruleset 'mine' names unknown rule code 'EGP999'
"""

from __future__ import annotations

import enum
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

import attrs

from egovplan import _decimal
from egovplan import _fields as f
from egovplan._decimal import in_own_context
from egovplan._fields import items_of, unknown_member
from egovplan._plurals import counted
from egovplan.errors import EgovplanError, FieldTypeError
from egovplan.labels import Labels
from egovplan.money import Money, _json_text
from egovplan.period import Period, Quarter
from egovplan.recurrence import Recurrence
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

#: The code of the issue reported when a rule itself fails on a plan.
INTERNAL_ERROR: Final = "EGP000"

_CODE_RE: Final = re.compile(r"[A-Z]+[0-9]{3}")
_NAME_RE: Final = re.compile(r"[A-Za-z0-9_.-]+")

_T = TypeVar("_T")


class RuleError(EgovplanError, ValueError):
    """A rule, ruleset or registry is malformed (bad code, duplicate code, ...)."""


class UnknownRuleError(RuleError):
    """A selection names a rule code or a ruleset that the registry does not have."""


class Severity(enum.StrEnum):
    """How bad an issue is.

    >>> Severity("warning") is Severity.WARNING, Severity.ERROR.rank > Severity.INFO.rank
    (True, True)
    """

    @classmethod
    def _missing_(cls, value: object) -> Severity:
        raise unknown_member(cls, value)

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for infos: higher is worse."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK: Final = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


def _severity(value: Severity | str) -> Severity:
    return value if type(value) is Severity else Severity(value)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if type(value) is MappingProxyType:
        return value  # already frozen (the values of a Finding)
    if type(value) is not dict and not isinstance(value, Mapping):
        raise FieldTypeError(f"values must be a mapping, not {type(value).__name__}")
    return MappingProxyType(dict(value))


def _check_path(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise FieldTypeError(
            f"{type(instance).__name__}.{attribute.name} must be str, not {type(value).__name__}"
        )


@attrs.frozen(kw_only=True)
class Finding:
    """One problem a check found: where, and the values its message names.

    Args:
        path: the offending element, as dotted attribute names and ``[index]`` for
            tuples, matching the keys of the file format (``funding.sources[1].amount``,
            ``objectives[0].targets[2].by_level.district``); ``""`` is the plan itself.
        values: the values involved, by the names the message template uses.
        variant: the name of an alternative message template of the rule
            (``RuleText.variants``), or ``None`` for the main one.

    >>> Finding(path="funding.total", values={"total": 1}).values["total"]
    1
    """

    path: str = attrs.field(validator=_check_path)
    values: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    variant: str | None = None


#: The signature of a rule's check: ``check(plan, context)`` yields findings.
Check: TypeAlias = "Callable[[Plan, Context], Iterable[Finding]]"


@attrs.frozen(kw_only=True)
class Issue:
    """One problem in a plan, as a report lists it.

    Attributes:
        code: the rule's stable code (``EGP201``).
        severity: error, warning or info.
        path: the offending element (``funding.sources[1].amount``; ``""``: the plan).
        message: the problem in words, in the report's locale.
        values: the values involved, unformatted (``Money``, ``Decimal``, ids, ...).
    """

    code: str
    severity: Severity = attrs.field(converter=_severity)
    path: str
    message: str
    values: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The issue as JSON-ready data (amounts as in plan files: ``"1500 VND"``).

        >>> Issue(code="EGP201", severity="error", path="funding.total", message="m").to_dict()
        {'code': 'EGP201', 'severity': 'error', 'path': 'funding.total', 'message': 'm', \
'values': {}}
        """
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message,
            "values": {key: _plain(value) for key, value in self.values.items()},
        }

    def __str__(self) -> str:
        where = self.path or "(plan)"
        return f"{where}: {self.severity.value} {self.code}: {self.message}"


def _plain(value: object) -> Any:
    """``value`` as JSON-ready data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Money):
        return _json_text(value)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


# --- texts ------------------------------------------------------------------------------

_TEXT_FIELDS: Final = ("title", "description", "why", "example", "message")


def _str_field(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise FieldTypeError(
            f"{type(instance).__name__}.{attribute.name} must be str, not {type(value).__name__}"
        )


def _variants(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise FieldTypeError("variants must map names to message templates (str -> str)")
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class RuleText:
    """A rule's texts in one locale.

    Args:
        title: a one-line name of what the rule checks.
        message: the template of each issue's message; ``{name}`` fields are filled from
            the finding's values, formatted for the locale (amounts, decimals).
        description: what the rule checks, in a sentence or two.
        why: why a reviewer cares.
        example: an example of a plan the rule flags.
        variants: alternative message templates by name (``Finding.variant``).

    >>> RuleText(title="t", message="total {total}").message
    'total {total}'
    """

    title: str = attrs.field(validator=_str_field)
    message: str = attrs.field(validator=_str_field)
    description: str = attrs.field(default="", validator=_str_field)
    why: str = attrs.field(default="", validator=_str_field)
    example: str = attrs.field(default="", validator=_str_field)
    variants: Mapping[str, str] = attrs.field(factory=dict, converter=_variants, hash=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "rule text") -> RuleText:
        """Build from a mapping with the keys of this class (as in the message files).

        Raises:
            RuleError: a key is missing, unknown or of the wrong type.
        """
        if isinstance(data, RuleText):
            return data
        if not isinstance(data, Mapping):
            raise RuleError(f"{where} must be a mapping of texts, not {type(data).__name__}")
        unknown = sorted(set(data) - {*_TEXT_FIELDS, "variants"})
        if unknown:
            raise RuleError(f"{where} has unknown keys {unknown}; expected {list(_TEXT_FIELDS)}")
        for key in ("title", "message"):
            if key not in data:
                raise RuleError(f"{where} has no {key!r}")
        try:
            return cls(**data)
        except TypeError as error:
            raise RuleError(f"{where}: {error}") from None


def _texts(value: Mapping[str, RuleText | Mapping[str, Any]]) -> Mapping[str, RuleText]:
    if not isinstance(value, Mapping) or not value:
        raise RuleError("texts must map at least one locale (e.g. 'en') to the rule's texts")
    result: dict[str, RuleText] = {}
    for locale, text in value.items():
        if not isinstance(locale, str):
            raise RuleError(f"texts keys must be locale names, not {type(locale).__name__}")
        result[_locale_key(locale)] = (
            text
            if isinstance(text, RuleText)
            else RuleText.from_mapping(text, where=f"texts[{locale!r}]")
        )
    return MappingProxyType(result)


def _locale_key(locale: str) -> str:
    return locale.replace("-", "_")


def _check_code(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _CODE_RE.fullmatch(value):
        raise RuleError(
            f"rule {attribute.name} {value!r} must be capital letters then three digits,"
            " like 'EGP201' or 'ACME001'"
        )


def _check_callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise FieldTypeError(
            f"{type(instance).__name__}.{attribute.name} must be callable, not"
            f" {type(value).__name__}"
        )


@attrs.frozen(kw_only=True)
class Rule:
    """A registered check with a stable code, a severity and texts per locale.

    Args:
        code: stable and unique in a registry: capital letters then three digits
            (``EGP201``; built-in rules use ``EGP``, use your own prefix for yours).
        severity: the severity of every issue the rule reports.
        check: ``check(plan, context)`` yielding one :class:`Finding` per problem.
        texts: locale -> :class:`RuleText` (or a mapping with its keys); messages fall
            back to ``en``, then to any locale the rule has.

    >>> rule = Rule(code="ACME001", severity="info", check=lambda plan, context: (),
    ...             texts={"en": {"title": "Nothing", "message": "nothing"}})
    >>> rule.severity, rule.text("vi").title
    (<Severity.INFO: 'info'>, 'Nothing')
    """

    code: str = attrs.field(validator=_check_code)
    severity: Severity = attrs.field(converter=_severity)
    check: Check = attrs.field(validator=_check_callable, repr=False)
    texts: Mapping[str, RuleText] = attrs.field(converter=_texts, hash=False, repr=False)

    def text(self, locale: str = "en") -> RuleText:
        """The texts for ``locale`` (``vi_VN`` falls back to ``vi``, then ``en``, then any)."""
        return _pick(self.texts, locale)

    @property
    def title(self) -> str:
        """The English title (or the first locale's, if the rule has no English)."""
        return self.text("en").title

    def with_text(self, locale: str, text: RuleText | Mapping[str, Any]) -> Rule:
        """A copy of this rule with ``locale``'s texts added or replaced."""
        return attrs.evolve(self, texts={**self.texts, locale: text})


def _pick(texts: Mapping[str, _T], locale: str) -> _T:
    key = _locale_key(locale)
    if key in texts:
        return texts[key]
    language = key.split("_", 1)[0]
    if language in texts:
        return texts[language]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()))


# --- rulesets and the registry -----------------------------------------------------------


def _check_name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise RuleError(f"ruleset {attribute.name} {value!r} must be letters, digits, _ . or -")


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldTypeError("codes must be an iterable of rule codes, not one string")
    return tuple(dict.fromkeys(items_of(value, str, "rule codes")))


@attrs.frozen(kw_only=True)
class Ruleset:
    """A named selection of rule codes.

    >>> Ruleset(name="money", codes=["EGP201", "EGP202", "EGP201"]).codes
    ('EGP201', 'EGP202')
    """

    name: str = attrs.field(validator=_check_name)
    codes: tuple[str, ...] = attrs.field(converter=_codes)


#: What :func:`validate` accepts as a selection: a ruleset name, a ruleset, or codes.
Selection: TypeAlias = "str | Ruleset | Iterable[str]"


def _rule_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _ruleset_tuple(value: Iterable[Ruleset]) -> tuple[Ruleset, ...]:
    return tuple(value)


def _issue_tuple(value: Iterable[Issue]) -> tuple[Issue, ...]:
    return items_of(value, Issue, "Report.issues")


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return items_of(value, str, "Report.checked")


@attrs.frozen
class RuleRegistry:
    """An immutable set of rules and named rulesets.

    Every code a ruleset names must be a rule of the registry; this is checked when the
    registry is built, so selecting a ruleset never fails later. Methods that "add"
    return a new registry.

    Args:
        rules: the rules; codes must be unique.
        rulesets: the named selections; names must be unique.

    Raises:
        RuleError: duplicate codes or names.
        UnknownRuleError: a ruleset names a code that is not a rule here.

    >>> registry = default_registry()
    >>> registry.rule("EGP201").severity
    <Severity.ERROR: 'error'>
    >>> registry.select("nonsense")
    Traceback (most recent call last):
    ...
    egovplan.validation.UnknownRuleError: no ruleset named 'nonsense'; known: default, ...
    """

    _rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rule_tuple, alias="rules")
    _rulesets: tuple[Ruleset, ...] = attrs.field(
        default=(), converter=_ruleset_tuple, alias="rulesets"
    )
    _by_code: Mapping[str, Rule] = attrs.field(init=False, repr=False, eq=False)
    _by_name: Mapping[str, Ruleset] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, Rule] = {}
        for rule in self._rules:
            if not isinstance(rule, Rule):
                raise FieldTypeError(f"a registry holds Rule objects, not {type(rule).__name__}")
            if rule.code in by_code or rule.code == INTERNAL_ERROR:
                raise RuleError(f"rule code {rule.code!r} is used twice")
            by_code[rule.code] = rule
        by_name: dict[str, Ruleset] = {}
        for ruleset in self._rulesets:
            if not isinstance(ruleset, Ruleset):
                raise FieldTypeError(
                    f"rulesets must be Ruleset objects, not {type(ruleset).__name__}"
                )
            if ruleset.name in by_name:
                raise RuleError(f"ruleset name {ruleset.name!r} is used twice")
            for code in ruleset.codes:
                if code not in by_code:
                    raise UnknownRuleError(
                        f"ruleset {ruleset.name!r} names unknown rule code {code!r}"
                    )
            by_name[ruleset.name] = ruleset
        object.__setattr__(self, "_rules", tuple(sorted(self._rules, key=_code_key)))
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        object.__setattr__(self, "_by_name", MappingProxyType(by_name))

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in code order."""
        return self._rules

    @property
    def rulesets(self) -> tuple[Ruleset, ...]:
        """Every ruleset, in the order they were added."""
        return self._rulesets

    @property
    def codes(self) -> tuple[str, ...]:
        """Every rule code, in order."""
        return tuple(rule.code for rule in self._rules)

    @property
    def ruleset_names(self) -> tuple[str, ...]:
        """Every ruleset name, sorted."""
        return tuple(sorted(self._by_name))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def rule(self, code: str) -> Rule:
        """The rule with ``code``.

        Raises:
            UnknownRuleError: no rule has that code.
        """
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise UnknownRuleError(f"no rule with code {code!r}") from None

    def ruleset(self, name: str) -> Ruleset:
        """The ruleset called ``name``.

        Raises:
            UnknownRuleError: no ruleset has that name.
        """
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            known = ", ".join(self.ruleset_names) or "none"
            raise UnknownRuleError(f"no ruleset named {name!r}; known: {known}") from None

    def select(self, selection: Selection) -> tuple[Rule, ...]:
        """The rules of a ruleset name, a :class:`Ruleset` or an iterable of codes, in order.

        Raises:
            UnknownRuleError: an unknown ruleset name or rule code.

        >>> [rule.code for rule in default_registry().select(["EGP202", "EGP201"])]
        ['EGP201', 'EGP202']
        """
        if isinstance(selection, str):
            codes = self.ruleset(selection).codes
        elif isinstance(selection, Ruleset):
            codes = selection.codes
        else:
            codes = _codes(selection)
        rules = [self.rule(code) for code in codes]
        return tuple(sorted(rules, key=_code_key))

    def with_rules(
        self, *rules: Rule, rulesets: Iterable[str] = ("default",), replace: bool = False
    ) -> RuleRegistry:
        """A new registry with ``rules`` added, and added to each of ``rulesets``.

        Args:
            rules: the rules to add.
            rulesets: names of existing rulesets the new codes join (``"default"`` unless
                given; pass ``()`` to add the rules to no ruleset).
            replace: allow a rule to replace the registry's rule with the same code
                (to change a built-in rule's texts or severity).

        Raises:
            RuleError: a code is already used (and ``replace`` is false).
            UnknownRuleError: an unknown ruleset name.
        """
        targets = tuple(rulesets) if not isinstance(rulesets, str) else (rulesets,)
        for name in targets:
            self.ruleset(name)
        new = {rule.code: rule for rule in rules}
        if len(new) != len(rules):
            raise RuleError("with_rules() got two rules with the same code")
        if not replace:
            for code in new:
                if code in self._by_code:
                    raise RuleError(
                        f"rule code {code!r} is already registered; pass replace=True to replace it"
                    )
        kept = [rule for rule in self._rules if rule.code not in new]
        updated = [
            Ruleset(name=rs.name, codes=(*rs.codes, *new)) if rs.name in targets else rs
            for rs in self._rulesets
        ]
        return RuleRegistry([*kept, *new.values()], updated)

    def with_ruleset(self, name: str, codes: Iterable[str]) -> RuleRegistry:
        """A new registry with the ruleset ``name`` (replacing one of the same name).

        Raises:
            UnknownRuleError: ``codes`` names a rule the registry does not have.
        """
        ruleset = Ruleset(name=name, codes=codes)
        others = [rs for rs in self._rulesets if rs.name != name]
        if len(others) == len(self._rulesets):
            return RuleRegistry(self._rules, [*others, ruleset])
        return RuleRegistry(
            self._rules, [ruleset if rs.name == name else rs for rs in self._rulesets]
        )

    def with_texts(
        self, locale: str, texts: Mapping[str, RuleText | Mapping[str, Any]]
    ) -> RuleRegistry:
        """A new registry whose rules have ``locale``'s texts added (a translation).

        Args:
            locale: the locale of the texts (``"fr"``).
            texts: rule code -> texts (a :class:`RuleText` or a mapping of its keys).

        Raises:
            UnknownRuleError: a code that is not a rule here.
        """
        for code in texts:
            self.rule(code)
        rules = [
            rule.with_text(locale, texts[rule.code]) if rule.code in texts else rule
            for rule in self._rules
        ]
        return RuleRegistry(rules, self._rulesets)


def _code_key(rule: Rule) -> str:
    return rule.code


@functools.cache
def default_registry() -> RuleRegistry:
    """The built-in rules of :mod:`egovplan.rules` and their rulesets (built once, cached).

    Rulesets: ``default`` (every built-in rule), ``structure`` (ids, references,
    periods), ``references``, ``funding``, ``targets``, ``tasks`` and ``reporting``.

    >>> len(default_registry()) >= 25
    True
    """
    from egovplan.rules import build_registry

    return build_registry()


# --- message data -----------------------------------------------------------------------


@functools.cache
def message_locales() -> tuple[str, ...]:
    """The locales egovplan ships messages for (``data/messages/*.toml``).

    >>> message_locales()
    ('en', 'vi')
    """
    folder = resources.files("egovplan").joinpath("data", "messages")
    return tuple(
        sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))
    )


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def load_messages(locale: str) -> Mapping[str, Any]:
    """The message file of ``locale`` (``data/messages/<locale>.toml``), read-only, cached.

    Raises:
        UnknownRuleError: egovplan has no messages for ``locale``.
        FieldTypeError: ``locale`` is not a str.

    >>> load_messages("vi")["terms"]["agency"]
    'cơ quan'
    """
    if not isinstance(locale, str):
        raise FieldTypeError(f"locale must be a str like 'vi', not {type(locale).__name__}")
    return _load_messages(locale)


@functools.cache
def _load_messages(locale: str) -> Mapping[str, Any]:
    if locale not in message_locales():
        raise UnknownRuleError(
            f"no message file for locale {locale!r}; egovplan has {', '.join(message_locales())}"
        )
    path = resources.files("egovplan").joinpath("data", "messages", f"{locale}.toml")
    with path.open("rb") as handle:
        data: Mapping[str, Any] = _frozen(tomllib.load(handle))
    return data


def builtin_texts(code: str) -> dict[str, RuleText]:
    """The shipped texts of the rule ``code``, one :class:`RuleText` per locale that has them.

    >>> builtin_texts("EGP201")["vi"].title != builtin_texts("EGP201")["en"].title
    True
    """
    if not isinstance(code, str):
        raise FieldTypeError(f"a rule code must be a str like 'EGP201', not {type(code).__name__}")
    texts: dict[str, RuleText] = {}
    for locale in message_locales():
        data = load_messages(locale).get("rules", {}).get(code)
        if data is not None:
            texts[locale] = RuleText.from_mapping(data, where=f"{locale}.toml [rules.{code}]")
    if not texts:
        raise RuleError(f"no shipped messages for rule {code!r}")
    return texts


def _engine_text(locale: str, key: str) -> str:
    language = _locale_key(locale).split("_", 1)[0]
    for candidate in (language, "en"):
        if candidate in message_locales():
            value = load_messages(candidate).get("engine", {}).get(key)
            if isinstance(value, str):
                return value
    return key


def _engine_count(locale: str, noun: str, count: int) -> str:
    """``count`` with ``noun`` (errors, warnings, infos) in the plural form of ``locale``."""
    language = _locale_key(locale).split("_", 1)[0]
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

    from egovplan.words import UnknownLocaleError as EgovplanUnknownLocale

    try:
        return str(Locale.parse(_locale_key(locale)))
    except (UnknownLocaleError, ValueError, TypeError):
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
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _format_decimal(value, locale) if value.is_finite() else str(value)
    if isinstance(value, Money):
        return _format_money(value, locale)
    if isinstance(value, Quarter | Period):
        return _format_period(value, locale)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple | list):
        return ", ".join(format_value(item, locale) for item in value)
    return str(value)


class Term(str):
    """A word a message shows in the report's locale: a kind of thing or a catalogue name.

    The value stays the plain code (``"agency"``) in :attr:`Issue.values` and in
    :meth:`Issue.to_dict`; messages show its translation from the ``[terms]`` table of
    the message files.

    >>> format_value(Term("agency"), "vi"), Term("agency") == "agency"
    ('cơ quan', True)
    """

    __slots__ = ()


def _term(term: str, locale: str) -> str:
    language = _locale_key(locale).split("_", 1)[0]
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


class Context:
    """What a check gets besides the plan: catalogues, locale and shared indexes.

    Indexes (ids by kind, flattened objectives, ...) are built on first use by
    :meth:`cached` and shared by every rule of one validation run, so each rule stays
    linear in the size of the plan.

    Attributes:
        plan: the plan being validated.
        catalogues: the catalogues kinds are checked against.
        locale: the report's locale.
        plans: the other plans loaded alongside, by id (what contributions to other
            plans' targets are checked against, EGP310); empty when the plan is
            validated alone.
    """

    __slots__ = ("_cache", "catalogues", "locale", "plan", "plans")

    def __init__(
        self,
        plan: Plan,
        *,
        catalogues: Catalogues,
        locale: str = "en",
        plans: Mapping[str, Plan] | None = None,
    ) -> None:
        self.plan = plan
        self.catalogues = catalogues
        self.locale = locale
        self.plans: Mapping[str, Plan] = {} if plans is None else plans
        self._cache: dict[str, Any] = {}

    def cached(self, key: str, build: Callable[[], _T]) -> _T:
        """The value stored under ``key``, built with ``build()`` the first time.

        >>> context = Context(None, catalogues=None)  # type: ignore[arg-type]
        >>> context.cached("n", lambda: [1]) is context.cached("n", lambda: [2])
        True
        """
        try:
            value: _T = self._cache[key]
        except KeyError:
            value = self._cache[key] = build()
        return value


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
    message = _message(_pick(template, locale).message, values, locale)
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

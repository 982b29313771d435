"""What a rule is: its code, severity, texts and check; rulesets and registries.

The parts the validation engine (:mod:`egovplan.validation`) and the built-in rules
(:mod:`egovplan.rules`) share, below both: a :class:`Rule` has a stable code
(``EGP201``), a :class:`Severity`, texts per locale (:class:`RuleText`) and a *check*,
``check(plan, context)``, that yields one :class:`Finding` per problem, each with the
path of the offending element and the values its message names; a check gets a
:class:`Context`. A :class:`RuleRegistry` holds rules and named :class:`Ruleset`
selections of them; an :class:`Issue` is a finding as a report lists it. The texts
egovplan ships for its rules are in ``data/messages/`` (:func:`builtin_texts`).

Every name here is also exported by :mod:`egovplan.validation`, the place to import
them from.

>>> rule = Rule(code="ACME001", severity="info", check=lambda plan, context: (),
...             texts={"en": {"title": "Nothing", "message": "nothing"}})
>>> RuleRegistry([rule]).rule("ACME001").severity
<Severity.INFO: 'info'>
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

import attrs

from egovplan._data import data_names, load_data, locale_tag
from egovplan._fields import items_of, unknown_member
from egovplan._money_codec import json_text
from egovplan.errors import EgovplanError, FieldTypeError
from egovplan.money import Money

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.plan import Plan

__all__ = [
    "INTERNAL_ERROR",
    "Check",
    "Context",
    "Finding",
    "Issue",
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
    "load_messages",
    "message_locales",
    "shipped_texts",
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
        return json_text(value)
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
    if isinstance(value, _ShippedTexts):  # (read per locale when asked for: not iterated here)
        return value
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


#: What :func:`~egovplan.validation.validate` accepts as a selection: a ruleset name, a
#: ruleset, or codes.
Selection: TypeAlias = "str | Ruleset | Iterable[str]"


def _rule_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _ruleset_tuple(value: Iterable[Ruleset]) -> tuple[Ruleset, ...]:
    return tuple(value)


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

    >>> from egovplan.validation import default_registry
    >>> registry = default_registry()
    >>> registry.rule("EGP201").severity
    <Severity.ERROR: 'error'>
    >>> registry.select("nonsense")
    Traceback (most recent call last):
    ...
    egovplan.rulebook.UnknownRuleError: no ruleset named 'nonsense'; known: default, ...
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

        >>> from egovplan.validation import default_registry
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


# --- message data -----------------------------------------------------------------------


@functools.cache
def message_locales() -> tuple[str, ...]:
    """The locales egovplan ships messages for (``data/messages/*.toml``).

    >>> message_locales()
    ('en', 'vi')
    """
    return data_names("messages")


def load_messages(locale: str) -> Mapping[str, Any]:
    """The message file of ``locale`` (``data/messages/<locale>.toml``), read-only, cached.

    Raises:
        UnknownRuleError: egovplan has no messages for ``locale``.
        FieldTypeError: ``locale`` is not a str.

    >>> load_messages("vi")["terms"]["agency"]
    'cơ quan'
    """
    return _load_messages(locale_tag(locale))


@functools.cache
def _load_messages(locale: str) -> Mapping[str, Any]:
    if locale not in message_locales():
        raise UnknownRuleError(
            f"no message file for locale {locale!r}; egovplan has {', '.join(message_locales())}"
        )
    return load_data(f"messages/{locale}.toml")


def builtin_texts(code: str) -> dict[str, RuleText]:
    """The shipped texts of the rule ``code``, one :class:`RuleText` per locale that has them.

    >>> builtin_texts("EGP201")["vi"].title != builtin_texts("EGP201")["en"].title
    True
    """
    if not isinstance(code, str):
        raise FieldTypeError(f"a rule code must be a str like 'EGP201', not {type(code).__name__}")
    texts: dict[str, RuleText] = {}
    for locale in message_locales():
        text = _shipped_text(code, locale)
        if text is not None:
            texts[locale] = text
    if not texts:
        raise RuleError(f"no shipped messages for rule {code!r}")
    return texts


def _shipped_text(code: str, locale: str) -> RuleText | None:
    """The text of the rule ``code`` in ``locale``'s message file (a shipped locale), or None."""
    data = load_messages(locale).get("rules", {}).get(code)
    return (
        None if data is None else RuleText.from_mapping(data, where=f"{locale}.toml [rules.{code}]")
    )


def shipped_texts(code: str) -> Mapping[str, RuleText]:
    """The shipped texts of the rule ``code``, each locale's read when first asked for.

    The same texts as :func:`builtin_texts` gives, as a read-only mapping that parses a
    locale's message file only when that locale is looked up: the built-in rules hold
    these, so a report in English parses no other message file.

    >>> texts = shipped_texts("EGP201")
    >>> texts["en"] == builtin_texts("EGP201")["en"], sorted(texts), "fr" in texts
    (True, ['en', 'vi'], False)
    """
    if not isinstance(code, str):
        raise FieldTypeError(f"a rule code must be a str like 'EGP201', not {type(code).__name__}")
    return _ShippedTexts(code)


class _ShippedTexts(Mapping[str, RuleText]):
    """A rule's texts by locale, each read from ``data/messages/<locale>.toml`` on first use."""

    __slots__ = ("_code", "_read")

    def __init__(self, code: str) -> None:
        self._code = code
        self._read: dict[str, RuleText | None] = {}

    def _text(self, locale: object) -> RuleText | None:
        if not isinstance(locale, str) or locale not in message_locales():
            return None
        if locale not in self._read:
            self._read[locale] = _shipped_text(self._code, locale)
        return self._read[locale]

    def __getitem__(self, locale: str) -> RuleText:
        text = self._text(locale)
        if text is None:
            raise KeyError(locale)
        return text

    def __iter__(self) -> Iterator[str]:
        return (locale for locale in message_locales() if self._text(locale) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Term(str):
    """A word a message shows in the report's locale: a kind of thing or a catalogue name.

    The value stays the plain code (``"agency"``) in :attr:`Issue.values` and in
    :meth:`Issue.to_dict`; messages show its translation from the ``[terms]`` table of
    the message files.

    >>> from egovplan.validation import format_value
    >>> format_value(Term("agency"), "vi"), Term("agency") == "agency"
    ('cơ quan', True)
    """

    __slots__ = ()


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

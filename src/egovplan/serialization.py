"""Plans as plain data and back: the one cattrs converter of egovplan.

:func:`to_dict` turns a model object into plain data (``dict``, ``list``, ``str``,
``int``, ``bool``), laid out the way plan files are written (``docs/format.md``);
:func:`from_dict` reads such data back, strictly, and reports every problem at once with
its path inside the document. :mod:`egovplan.files` adds reading and writing YAML, JSON
and TOML.

>>> from egovplan.funding import FundingSource
>>> from egovplan.labels import Labels
>>> from egovplan.money import Money
>>> source = FundingSource(id="central", kind="central_support",
...                        names=Labels(vi="Ngân sách Trung ương"),
...                        amount=Money("320000000000", "VND"))
>>> to_dict(source)
{'id': 'central', 'kind': 'central_support', 'names': {'vi': 'Ngân sách Trung ương'}, \
'amount': '320000000000 VND'}
>>> from_dict(to_dict(source), FundingSource) == source
True

The canonical layout: a plan starts with ``format_version``, then its fields in model
order; a field equal to its default (``None``, an empty list, ``False``…) is left out;
money is ``"<amount> <currency>"`` (``"901000000000 VND"``); a number is an integer when
it is whole, else a decimal string (``"84.1"``), never a float; labels are
``{vi: …, en: …}``; per-level values are ``{province: 100, district: 80}``; periods and
quarters are written as ``str()`` gives them (``"2021-2025"``, ``"Q2 2018"``), a one-year
period as its year (``2018``); dates as
ISO ``"2021-07-21"``.

Reading is strict: nothing is coerced silently. ``"2025"`` is not a year, ``1.5`` is not
an amount (floats may not hold a decimal exactly: write ``"1.5"``), ``null`` is not a
text. Alternative spellings that are unambiguous are accepted: money as
``{amount: …, currency: …}``, a period or date in the forms :meth:`Period.parse
<egovplan.period.Period.parse>` and :func:`~egovplan.dates.parse_date` read, a
comparator by its code (``ge`` for ``>=``), a one-year period as an integer.

>>> from_dict({"id": "x", "source": "s", "year": "2025", "amount": 1.5},
...           BudgetLine)
Traceback (most recent call last):
...
egovplan.errors.LoadError: <data>: year: expected a whole number, got the text '2025' \
(write it without quotes) (and 1 more problem)
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import functools
import gc
import itertools
import json
import operator
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar, Union, get_args, get_origin

import attrs

from egovplan import _derive
from egovplan._described import FloatText, describe
from egovplan._described import number_text as _number_text
from egovplan._json_parts import JSON_BATCH, dump_json
from egovplan._json_parts import JsonBlocks as _JsonBlocks
from egovplan._json_parts import JsonRecords as _JsonRecords
from egovplan._json_parts import TypedLines as _TypedLines
from egovplan._money_codec import json_text
from egovplan._money_codec import known_currency as _known_currency
from egovplan._money_codec import set_amount as _set_amount
from egovplan._money_codec import set_currency as _set_currency
from egovplan._money_codec import trusted as _trusted
from egovplan._text import compiled
from egovplan.agency import Agency, Level
from egovplan.document import Citation, DocumentRef, EntryIntoForce, PlanMetadata, Signatory
from egovplan.errors import EgovplanError, LoadError, ParseError, Problem
from egovplan.exchange import ExchangeRate
from egovplan.flows import Flow
from egovplan.funding import (
    BudgetLine,
    Funding,
    FundingSource,
    SpendingRule,
)
from egovplan.indicator import Indicator, Observation, StatedRank
from egovplan.labels import Labels
from egovplan.limits import Limits
from egovplan.money import (
    Money,
    MoneyError,
    MoneyTypeError,
)
from egovplan.objective import (
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    Target,
    TargetPart,
    TargetRef,
)
from egovplan.period import Period, Quarter
from egovplan.plan import Annex, Plan, Section
from egovplan.recurrence import Recurrence
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task
from egovplan.versions import (
    FORMAT_VERSION,
    UnknownFormatVersionError,
    active_history,
)
from egovplan.when import When

if TYPE_CHECKING:
    import cattrs


__all__ = [
    "FORMAT_VERSION",
    "MODEL_CLASSES",
    "FloatText",
    "FlowMapping",
    "configure_converter",
    "converter",
    "describe",
    "format_path",
    "from_dict",
    "gc_paused",
    "parse_path",
    "to_dict",
]

T = TypeVar("T")


#: Every class the file format has, in the order ``docs/format.md`` describes them.
MODEL_CLASSES: Final[tuple[type, ...]] = (
    Plan,
    PlanMetadata,
    DocumentRef,
    Signatory,
    Level,
    Agency,
    Objective,
    Target,
    LevelTarget,
    Baseline,
    TargetPart,
    TargetRef,
    Task,
    Schedule,
    Recurrence,
    Assignment,
    Funding,
    FundingSource,
    BudgetLine,
    SpendingRule,
    Flow,
    ExchangeRate,
    ReportingDuty,
    Indicator,
    Observation,
    StatedRank,
    Section,
    Annex,
    Citation,
    EntryIntoForce,
)

#: The most digits a number may have written out in full, unless limits say otherwise.
DEFAULT_MAX_DIGITS: Final = 100
#: How deep objectives may nest (document levels), unless limits say otherwise.
DEFAULT_MAX_DEPTH: Final = 64

_MAX_DIGITS: Final = contextvars.ContextVar("egovplan_max_digits", default=DEFAULT_MAX_DIGITS)
#: The amounts read so far from the document being converted, by their text (one dict per
#: :func:`from_dict` call: equal amounts share one Money, and each is parsed once). It
#: holds plain amounts only (``"901000000000 VND"``: whole, never negative). Budget lines
#: do not use it: each gets a Money of its own (their amount is declared ``money(share=False)``).
_MONEY_CACHE: Final[contextvars.ContextVar[dict[str, Money] | None]] = contextvars.ContextVar(
    "egovplan_money_cache", default=None
)

#: The ids, codes and years read so far from the document being converted, each kept once
#: (one dict per :func:`from_dict` call). Budget lines, tasks and assignments repeat a few
#: values (a source, an agency, a year, a role) thousands of times; a parser gives each
#: occurrence an object of its own, and sharing one per value makes the loaded plan
#: smaller and passes over it (validation, breakdowns, writing) touch fewer objects.
_SHARED: Final[contextvars.ContextVar[dict[object, object] | None]] = contextvars.ContextVar(
    "egovplan_shared_values", default=None
)


# ASCII digits only, as the JSON Schema says ([0-9], where Python's \d and Decimal() also
# take other scripts' digits, and Decimal() underscores).
_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MONEY: Final = re.compile(
    r"\s*(?P<amount>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \t]+"
    r"(?P<currency>\S+)\s*"
)
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_KEY: Final = re.compile(r"[A-Za-z0-9_-]+")
_FIELD_MESSAGE: Final = (  # (compiled on first use, with re.S: an error message is rare)
    r"(?P<cls>[A-Za-z_]\w*)\.(?P<field>[A-Za-z_]\w*)(?:\[(?P<index>\d+)\])? (?P<rest>.*)"
)
_PATH_PART: Final = re.compile(r'\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')
_SAFE_INTEGER: Final = 2**53
_SMALL: Final = 10**18


class FlowMapping(dict[str, Any]):
    """A mapping that reads best on one line (``{province: 100, district: 80}``).

    :func:`to_dict` writes per-level values and stated shares as this ``dict`` subclass;
    the YAML writer puts it on one line, the other writers treat it as a ``dict``.
    """

    __slots__ = ()


# -- problems -----------------------------------------------------------------------------


class _Invalid(EgovplanError, ValueError):
    """One problem at the place being converted (the message has no path)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Group(EgovplanError, ValueError):
    """Problems below the place being converted: ``(path suffix, error)`` pairs."""

    def __init__(self, items: list[tuple[str, BaseException]]) -> None:
        super().__init__(f"{len(items)} problems")
        self.items = items


def _key_part(key: object) -> str:
    """The path suffix of a mapping key: ``.district``, or ``["a b"]`` for other keys."""
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f".{key}"
    return f"[{json.dumps(key, ensure_ascii=False, default=str)}]"


def _join(path: str, suffix: str) -> str:
    if not path and suffix.startswith("."):
        return suffix[1:]
    return path + suffix


def format_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """The text of a path given as keys and list indexes.

    >>> format_path(("funding", "sources", 1, "amount"))
    'funding.sources[1].amount'
    >>> format_path(("funding", "stated_shares", "a b"))
    'funding.stated_shares["a b"]'
    """
    path = ""
    for part in parts:
        path = _join(path, f"[{part}]" if isinstance(part, int) else _key_part(part))
    return path


def parse_path(path: str) -> tuple[str | int, ...]:
    """The keys and list indexes of a path such as ``funding.sources[1].amount``.

    >>> parse_path("funding.sources[1].amount")
    ('funding', 'sources', 1, 'amount')
    >>> parse_path('funding.stated_shares["a b"]')
    ('funding', 'stated_shares', 'a b')

    Raises:
        ParseError: ``path`` is not a path (a ``ValueError``).
    """
    parts: list[str | int] = []
    position = 0
    while position < len(path):
        match = _PATH_PART.match(path, position)
        if match is None or (position == 0 and path.startswith(".")):
            raise ParseError(
                f"{path!r} is not a document path like 'funding.sources[1].amount'",
                text=path,
                position=position,
            )
        name, index, quoted = match.groups()
        if name is not None:
            parts.append(name)
        elif index is not None:
            parts.append(int(index))
        else:
            parts.append(json.loads(quoted))
        position = match.end()
    return tuple(parts)


def _float_hint(value: object) -> str:
    text = _number_text(value)
    return (
        f'write decimal numbers as text, in quotes: "{text}" (a floating-point number'
        " may not hold a decimal exactly)"
    )


def _is_float(value: object) -> bool:
    return isinstance(value, FloatText | float)


# -- primitive hooks ----------------------------------------------------------------------


def _structure_str(value: Any, _: Any = None) -> str:
    if isinstance(value, str):
        return value
    hint = ""
    if isinstance(value, int | FloatText | float) and not isinstance(value, bool):
        hint = f' (put it in quotes: "{_number_text(value)}")'
    raise _Invalid(f"expected text, got {describe(value)}{hint}")


def _structure_int(value: Any, _: Any = None) -> int:
    if type(value) is int:
        return value
    if isinstance(value, str):
        raise _Invalid(f"expected a whole number, got {describe(value)} (write it without quotes)")
    raise _Invalid(f"expected a whole number, got {describe(value)}")


def _structure_bool(value: Any, _: Any = None) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid(f"expected true or false, got {describe(value)}")


def _digits(number: Decimal) -> int:
    """How many digits ``number`` has written out in full (``0.001`` has 4)."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= 0:
        return len(digits) + exponent
    return max(len(digits) + exponent, 1) - exponent


def _check_digits(number: Decimal, text: str) -> Decimal:
    limit = _MAX_DIGITS.get()
    if _digits(number) > limit:
        raise _Invalid(
            f"{text[:20]}… has more than {limit} digits written out in full"
            " (the limit is Limits.max_digits)"
        )
    return number


def _decimal_from_text(text: str) -> Decimal:
    if not _DECIMAL.fullmatch(text):
        raise _Invalid(
            f'expected a decimal number such as "84.1" or 100, got {describe(text)}'
            " (no spaces, no thousands separators, '.' before the decimals)"
        )
    number = Decimal(text)
    # Written out in full, a number has at most as many digits as its text has characters.
    if len(text) > _MAX_DIGITS.get() or "e" in text or "E" in text:
        _check_digits(number, text)
    return number


@functools.lru_cache(maxsize=16)
def _power_of_ten(exponent: int) -> int:
    power: int = 10**exponent
    return power


def _decimal_from_int(value: int) -> Decimal:
    limit = _MAX_DIGITS.get()
    if -_SMALL < value < _SMALL and limit >= 18:
        return Decimal(value)
    if abs(value) >= _power_of_ten(limit):
        raise _Invalid(
            f"{_number_text(value)} has more than {limit} digits (the limit is Limits.max_digits)"
        )
    return Decimal(value)


def _structure_decimal(value: Any, _: Any = None) -> Decimal:
    if type(value) is int:
        return _decimal_from_int(value)
    if type(value) is str:
        return _decimal_from_text(value)
    if isinstance(value, Decimal) and value.is_finite():
        return _check_digits(value, str(value))
    if _is_float(value):
        raise _Invalid(_float_hint(value))
    raise _Invalid(f'expected a number such as 100 or "84.1", got {describe(value)}')


def _money(amount: Decimal, currency: Any) -> Money:
    try:
        return Money(amount, currency)
    except (MoneyError, MoneyTypeError) as error:
        raise _Invalid(str(error)) from None


def _plain_money(text: str) -> Money | None:
    """``"<digits> <CODE>"`` as Money, else None (the other forms are read by regex).

    The common case, checked with str methods only: at most 18 digits (and no more than
    ``Limits.max_digits``) and a code in capitals. Money is built without re-running its
    checks, which these imply, when babel knows the code; an unknown code gets Money's
    own error.
    """
    amount, _, currency = text.partition(" ")
    if (
        amount.isascii()
        and amount.isdigit()
        and len(amount) <= 18
        and currency.isupper()
        and currency.isalpha()  # "USD " is read by the regex, as "1.5 USD " is
    ):
        if not _known_currency(currency):
            return _money(Decimal(amount), currency)  # raises Money's message
        if len(amount) <= _MAX_DIGITS.get():
            return _trusted(Decimal(amount), currency)
    return None


def _structure_money(value: Any, _: Any = None) -> Money:
    if type(value) is str:
        # Money is immutable, so one object may stand for every equal amount of a document.
        cache = _MONEY_CACHE.get()
        if cache is not None:
            money = cache.get(value)
            if money is not None:
                return money
        money = _plain_money(value)
        if money is not None:
            if cache is not None:
                cache[value] = money
            return money
        match = _MONEY.fullmatch(value)
        if match is None:
            raise _Invalid(
                f'expected an amount and its currency, like "901000000000 VND", got'
                f" {describe(value)} (digits without separators, '.' before decimals,"
                " then an ISO 4217 code)"
            )
        return _money(_decimal_from_text(match["amount"]), match["currency"])
    if isinstance(value, dict):
        return _money_from_mapping(value)
    if isinstance(value, Money):
        return value
    if _is_float(value):
        text = _number_text(value)
        raise _Invalid(
            f'write an amount as text with its currency, like "{text} VND" (a floating-point'
            " number may not hold a decimal exactly)"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        raise _Invalid(
            f'an amount needs its currency: write "{_number_text(value)} VND" (or another code)'
        )
    raise _Invalid(
        f'expected an amount and its currency, like "901000000000 VND", got {describe(value)}'
    )


def _money_from_mapping(value: dict[str, Any]) -> Money:
    problems: list[tuple[str, BaseException]] = []
    extra = sorted(set(value) - {"amount", "currency"}, key=str)
    for key in extra:
        problems.append((_key_part(key), _Invalid("unknown field; money has amount and currency")))
    amount: Decimal | None = None
    currency: str | None = None
    for key in ("amount", "currency"):
        if key not in value:
            problems.append((f".{key}", _Invalid("required field is missing")))
    if "amount" in value:
        raw = value["amount"]
        try:
            if type(raw) is int:
                amount = _decimal_from_int(raw)
            elif type(raw) is str:
                amount = _decimal_from_text(raw)
            elif _is_float(raw):
                raise _Invalid(_float_hint(raw))
            else:
                raise _Invalid(f'expected a number such as 100 or "84.1", got {describe(raw)}')
        except _Invalid as error:
            problems.append((".amount", error))
    if "currency" in value:
        try:
            currency = _structure_str(value["currency"])
        except _Invalid as error:
            problems.append((".currency", error))
    if problems:
        raise _Group(problems)
    assert amount is not None
    try:
        return _money(amount, currency)
    except _Invalid as error:
        raise _Group([(".currency" if "currency" in str(error) else ".amount", error)]) from None


def _structure_labels(value: Any, _: Any = None) -> Labels:
    if isinstance(value, Labels):
        return value
    if not isinstance(value, dict):
        raise _Invalid(
            f"expected a mapping of language to text, like {{vi: …, en: …}}, got {describe(value)}"
        )
    problems: list[tuple[str, BaseException]] = []
    for key, text in value.items():
        if not isinstance(text, str):
            problems.append((_key_part(key), _Invalid(f"expected text, got {describe(text)}")))
        elif not text:
            problems.append((_key_part(key), _Invalid("is empty; leave the language out instead")))
    if problems:
        raise _Group(problems)
    try:
        return Labels(value)
    except (TypeError, ValueError) as error:
        raise _Invalid(str(error)) from None


def _is_text(type_: Any) -> bool:
    """Whether ``type_`` is ``str | Labels``: text in the document's language or in several."""
    return bool(type_ == (str | Labels))


def _structure_text(value: Any, _: Any = None) -> str | Labels:
    if type(value) is str:
        return value
    if isinstance(value, dict | Labels):
        return _structure_labels(value)
    hint = ""
    if isinstance(value, int | FloatText | float) and not isinstance(value, bool):
        hint = f' (put it in quotes: "{_number_text(value)}")'
    raise _Invalid(
        f"expected text, or a mapping of language to text like {{vi: …, en: …}},"
        f" got {describe(value)}{hint}"
    )


#: Whole years as ``str(period)`` writes them (``2018``, ``2021-2025``).
_YEARS: Final = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")


@functools.lru_cache(maxsize=4096)
def _parse_period(text: str) -> Period:
    """:meth:`Period.parse`, the canonical whole years read without building its grammar."""
    years = _YEARS.fullmatch(text)
    if years is not None:
        first, last = years.groups()
        with contextlib.suppress(ValueError):  # (Period.parse says what is wrong)
            return Period.years(int(first), int(last or first))
    return Period.parse(text)


@functools.lru_cache(maxsize=4096)
def _year_period(year: int) -> Period:
    """``Period.year(year)``, kept: periods are immutable, and documents repeat years."""
    return Period.year(year)


def _structure_time(
    value: Any, parse: Callable[[str], T], year: Callable[[int], T], kind: type[T]
) -> T | None:
    """A period or time from its text (``parse``) or a year (``year``); None otherwise.

    Both are written as text, or as a bare year; what neither reads is :class:`_Invalid`.
    """
    if type(value) is str:
        try:
            return parse(value)
        except (ParseError, ValueError) as error:
            raise _Invalid(str(error)) from None
    if type(value) is int:
        if not -_SMALL < value < _SMALL:
            raise _Invalid(f"{_number_text(value)} is not a year")
        try:
            return year(value)
        except (TypeError, ValueError) as error:
            raise _Invalid(f"{_number_text(value)} is not a year: {error}") from None
    if isinstance(value, kind):
        return value
    return None


def _structure_period(value: Any, _: Any = None) -> Period:
    period = _structure_time(value, _parse_period, _year_period, Period)
    if period is None:
        raise _Invalid(f'expected a period such as "2021-2025" or "Q2 2018", got {describe(value)}')
    return period


@functools.lru_cache(maxsize=4096)
def _parse_when(text: str) -> When:
    return When.parse(text)


def _structure_when(value: Any, _: Any = None) -> When:
    """A time: a year (``2015``), or text :meth:`When.parse` reads (``"by 2024-Q3"``)."""
    when = _structure_time(value, _parse_when, When, When)
    if when is not None:
        return when
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return When.of(value)
    raise _Invalid(
        f'expected a time such as 2025, "2024-Q3", "2024-06", "2024-06-30" or "by 2015",'
        f" got {describe(value)}"
    )


def _structure_quarter(value: Any, _: Any = None) -> Quarter:
    if type(value) is str:
        try:
            return Quarter.parse(value)
        except (ParseError, ValueError) as error:
            raise _Invalid(str(error)) from None
    if isinstance(value, Quarter):
        return value
    raise _Invalid(f'expected a quarter such as "Q2 2018", got {describe(value)}')


def _structure_date(value: Any, _: Any = None) -> dt.date:
    if type(value) is str:
        if _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as error:
                raise _Invalid(f"{value!r} is not a date: {error}") from None
        from egovplan.dates import parse_date

        try:
            return parse_date(value)
        except (ParseError, ValueError) as error:
            raise _Invalid(str(error)) from None
    if isinstance(value, dt.datetime):
        raise _Invalid(f"expected a date without a time, got {describe(value)}")
    if isinstance(value, dt.date):
        return value
    raise _Invalid(f'expected a date such as "2021-07-21", got {describe(value)}')


def _structure_datetime(value: Any, _: Any = None) -> dt.datetime:
    """A date and time: ISO 8601 text (``"2021-07-21T09:30:00+07:00"``) or a ``datetime``.

    egovplan's models hold dates without a time; a ``datetime`` field is one of your own
    classes', read through egovplan's converter. Its time and time zone are kept.
    """
    if type(value) is str:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Invalid(
                f'expected a date and time such as "2021-07-21T09:30:00", got {describe(value)}'
            ) from None
    if isinstance(value, dt.datetime):
        return value
    raise _Invalid(f'expected a date and time such as "2021-07-21T09:30:00", got {describe(value)}')


def _structure_pairs(value: Any, _: Any = None) -> tuple[tuple[str, Decimal], ...]:
    if not isinstance(value, dict):
        raise _Invalid(
            "expected a mapping of id to number, like {province: 100, district: 80},"
            f" got {describe(value)}"
        )
    pairs: list[tuple[str, Decimal]] = []
    problems: list[tuple[str, BaseException]] = []
    for key, number in value.items():
        if not isinstance(key, str):
            problems.append((_key_part(key), _Invalid("a key must be text")))
            continue
        try:
            pairs.append((key, _structure_decimal(number)))
        except _Invalid as error:
            problems.append((_key_part(key), error))
    if problems:
        raise _Group(problems)
    return tuple(pairs)


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    lookup: dict[Any, enum.Enum] = {member.value: member for member in cls}
    if cls is Comparator:
        lookup.update({member.code: member for member in Comparator})
    allowed = ", ".join(repr(member.value) for member in cls)

    def structure_enum(value: Any, _: Any = None) -> Any:
        if isinstance(value, str | cls):
            member = lookup.get(value)
            if member is not None:
                return member
        raise _Invalid(f"expected one of {allowed}, got {describe(value)}")

    return structure_enum


# -- unstructure hooks --------------------------------------------------------------------


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _unstructure_decimal(number: Decimal) -> int | str:
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0 and -_SAFE_INTEGER < number < _SAFE_INTEGER:
        return int(number)
    return _plain(number)


def _unstructure_period(period: Period) -> int | str:
    """A one-year period as its year (``2018``), any other as text (``"2021-2025"``)."""
    if period.is_whole_years and period.first_year == period.last_year:
        return period.first_year
    return str(period)


def _unstructure_when(when: When) -> int | str:
    """A year (not a deadline) as its number (``2025``), any other time as text."""
    if when.quarter is None and when.month is None and not when.by:
        return when.year
    return str(when)


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _unstructure_money(money: Money) -> str:
    return json_text(money)


def _unstructure_pairs(pairs: tuple[tuple[str, Decimal], ...]) -> FlowMapping:
    return FlowMapping((key, _unstructure_decimal(number)) for key, number in pairs)


# -- the generated loaders ----------------------------------------------------------------
# Every plain model's records are read by a loop generated from its fields and their
# declared checks (egovplan._derive): a record whose values have exactly the types and
# values the checks accept is built without running the declared checks again; any other
# goes through the constructor. Money is converted inline (below), other types through
# their hooks.


class _Retry(EgovplanError, ValueError):
    """The fast path cannot convert this data; the detailed pass will say why."""


_new_object: Final = object.__new__


#: A Money's slots set by assignments, then made a Money (see _derive.slot_builder).
_MONEY_BUILDER: Final = _derive.slot_builder(Money)


def _money_inline(raw: str, target: str, slow: str, names: Any) -> list[str]:
    # Each record gets a Money of its own, made next to it: one object shared by every
    # equal amount saves memory but scatters the amounts over the heap, and passes over a
    # million lines (breakdowns, validation) then ran 1.2-1.5x slower per line. The codes
    # Money has accepted in this call are kept once: every Money holds the same code object.
    # Only a str comes here (_MONEY_INLINE.exact): a mapping goes to the hook.
    structure = names(_structure_money)
    return [
        f"m_amount, _, m_currency = {raw}.partition(' ')",
        "m_code = currencies.get(m_currency)",
        "if (m_code is not None and m_amount.isascii() and m_amount.isdigit()",
        "        and len(m_amount) <= digits):",
        *(
            (
                f"    {target} = _new({names(_MONEY_BUILDER)})",
                f"    {target}.amount = {names(Decimal)}(m_amount)",
                f"    {target}.currency = m_code",
                f"    {target}.__class__ = {names(Money)}",
            )
            if _MONEY_BUILDER is not None
            else (
                f"    {target} = _new({names(Money)})",
                f"    {names(_set_amount)}({target}, {names(Decimal)}(m_amount))",
                f"    {names(_set_currency)}({target}, m_code)",
            )
        ),
        "else:",
        f"    {target} = {names(_plain_money)}({raw})",
        f"    if {target} is None:",
        f"        {target} = {structure}({raw})",
        "    else:",
        f"        currencies.setdefault({target}.currency, {target}.currency)",
    ]


_MONEY_INLINE: Final = _derive.Inline(
    prologue=(
        "digits = min(18, _MAX_DIGITS.get())",
        "currencies = {}",
    ),
    body=_money_inline,
    namespace={"_MAX_DIGITS": _MAX_DIGITS},
    exact=str,
)


# -- JSON text of records ----------------------------------------------------------------
# The JSON writer puts a mapping of plain values on one line, written like
# ``json.dumps(..., ensure_ascii=False, separators=(", ", ": "))``. For
# ``dumps(plan, "json")`` a list of records (budget lines, tasks, agencies…) is written
# straight from the model by a function generated from the class's fields
# (:func:`egovplan._derive.json_writer`), without building a dict. Tests check the text
# against the generic path (``to_dict`` and the writer) byte for byte, for every class.


def _in_batches(
    render: Callable[[Any], str], rows: _derive.Rows | None = None
) -> Callable[[tuple[Any, ...]], Iterator[list[str]]]:
    """Batches of ``render(item)`` for each item (for :class:`_JsonRecords`).

    ``rows``, given, writes a batch at once (the same texts, column by column), and
    forgets the texts it kept once the items are written.
    """

    def batches(items: tuple[Any, ...]) -> Iterator[list[str]]:
        if rows is None:
            for start in range(0, len(items), JSON_BATCH):
                yield list(map(render, items[start : start + JSON_BATCH]))
            return
        try:
            for start in range(0, len(items), JSON_BATCH):
                yield rows(items[start : start + JSON_BATCH])
        finally:
            rows.done()

    return batches


_JSON_STRING: Final[Callable[[str], str]] = json.encoder.encode_basestring
_INT_TEXT: Final[Callable[[int], str]] = int.__repr__


def _json_int(value: int) -> str:
    """An ``int`` as the JSON encoder writes it (a ``bool`` as ``true`` or ``false``)."""
    if value is True or value is False:
        return "true" if value else "false"
    return _INT_TEXT(value)


def _json_number(value: int | str) -> str:
    """An unstructured number (an ``int``, or a ``str`` of digits) as JSON."""
    return _JSON_STRING(value) if isinstance(value, str) else _json_int(value)


def _json_decimal(number: Decimal) -> str:
    """A ``Decimal`` as JSON, as :func:`_unstructure_decimal` and the writer give it.

    A number with decimals (``89.09``, the usual case), faster: when ``str()`` writes it
    with a point and no exponent, that is the fixed-point text the hook gives.
    """
    text = str(number)
    if "." in text and "E" not in text and "e" not in text:
        return f'"{text}"'
    return _json_number(_unstructure_decimal(number))


def _json_money(money: Money) -> str:
    """A :class:`Money` as JSON, as :func:`_unstructure_money` and the writer give it."""
    return _JSON_STRING(json_text(money))


class _CurrencyEnds(dict[str, str]):
    """The JSON text that ends a Money after its number, per currency: ``' VND"'``."""

    __slots__ = ()

    def __missing__(self, currency: str) -> str:
        text = self[currency] = _JSON_STRING(" " + currency)[1:]
        return text


_MONEY_AMOUNT: Final = operator.attrgetter("amount")
_MONEY_CURRENCY: Final = operator.attrgetter("currency")
_CURRENCY_ENDS: Final = _CurrencyEnds()


def _json_money_column(moneys: Iterable[Money]) -> Iterable[str]:
    """:func:`_json_money` of each of ``moneys``, with no Python call per amount.

    ``str()`` of an amount is the fixed-point text :func:`json_text` writes unless it has
    an exponent; a list of amounts that has one anywhere is written one by one.
    """
    listed = list(moneys)
    numbers = list(map(str, map(_MONEY_AMOUNT, listed)))
    joined = "".join(numbers)
    if "E" in joined or "e" in joined:
        return list(map(_json_money, listed))
    if len(_CURRENCY_ENDS) > 4096:  # codes are ISO 4217's; bounded all the same
        _CURRENCY_ENDS.clear()
    ends = map(_CURRENCY_ENDS.__getitem__, map(_MONEY_CURRENCY, listed))
    return map("".join, zip(itertools.repeat('"'), numbers, ends))


def _unstructure_text(value: str | Labels) -> str | dict[str, str]:
    return value if isinstance(value, str) else dict(value)


def _json_text_or_labels(value: str | Labels) -> str:
    """A ``str | Labels`` field as JSON: a string, or a one-line mapping."""
    if isinstance(value, str):
        return _JSON_STRING(value)
    return "{" + ", ".join(_JSON_STRING(k) + ": " + _JSON_STRING(t) for k, t in value.items()) + "}"


def _json_value(value: Any) -> str:
    """A plain value (an enum's) as the one-line JSON writer gives it."""
    return json.dumps(value, ensure_ascii=False)


def _json_leaf(type_: Any, names: _derive.Names) -> _derive.Render | None:
    """How a plain value of ``type_`` is written as JSON (None: not a plain value)."""
    if type_ is str:
        return lambda v: f"{names(_JSON_STRING)}({v})"
    if type_ is bool:
        return lambda v: f"('true' if {v} else 'false')"
    if type_ is int:
        return lambda v: f"{names(_json_int)}({v})"
    if type_ is Decimal:
        return lambda v: f"{names(_json_decimal)}({v})"
    if type_ is Money:
        return lambda v: f"{names(_json_money)}({v})"
    if type_ is Period:
        return lambda v: f"{names(_json_number)}({names(_unstructure_period)}({v}))"
    if type_ is Quarter:
        return lambda v: f"{names(_JSON_STRING)}(str({v}))"
    if type_ is When:
        return lambda v: f"{names(_json_number)}({names(_unstructure_when)}({v}))"
    if type_ is dt.date:
        return lambda v: f"{names(_JSON_STRING)}({v}.isoformat())"
    if _is_enum(type_):
        return lambda v: f"{names(_json_value)}({v}.value)"
    return None


def _json_either(type_: Any, names: _derive.Names) -> tuple[_derive.Render, _derive.Render] | None:
    """How a text or text per language is written, and the test that it is plain text."""
    if not _is_text(type_):
        return None
    string, either = names(_JSON_STRING), names(_json_text_or_labels)
    return (
        lambda v: f"({string}({v}) if type({v}) is str else {either}({v}))",
        lambda v: f"(type({v}) is str)",
    )


def _json_one_line(type_: Any, names: _derive.Names) -> _derive.Render | None:
    """How a mapping or list of plain values of ``type_`` is written, on one line."""
    string = names(_JSON_STRING)
    if type_ is Labels:
        return lambda v: (
            f"'{{' + ', '.join([{string}(k) + ': ' + {string}(t) for k, t in {v}.items()]) + '}}'"
        )
    if _is_pairs(type_):
        number = names(_json_decimal)
        return lambda v: (
            f"'{{' + ', '.join([{string}(k) + ': ' + {number}(n) for k, n in {v}]) + '}}'"
        )
    if _is_homogeneous_tuple(type_):
        whole = _json_column(get_args(type_)[0], names)
        if whole is not None:  # ids: no Python call per item
            return lambda v: f"'[' + ', '.join({whole(v)}) + ']'"
        item = _json_leaf(get_args(type_)[0], names)
        if item is not None:
            render = _derive._compiled(item, names)
            return lambda v: f"'[' + ', '.join(map({names(render)}, {v})) + ']'"
    return None


def _json_column(type_: Any, names: _derive.Names) -> _derive.Render | None:
    """How a column of values of ``type_`` is written at once (None: value by value)."""
    if type_ is str:
        return lambda v: f"map({names(_JSON_STRING)}, {v})"
    if type_ is Money:
        return lambda v: f"{names(_json_money_column)}({v})"
    return None


@functools.cache
def _json_records(item_type: Any) -> Callable[[tuple[Any, ...]], _JsonRecords] | None:
    """The JSON text of a tuple of ``item_type`` records (generated), or None."""
    if not _is_model(item_type):
        return None
    made = _derive.json_writer(
        item_type,
        leaf=_json_leaf,
        one_line=_json_one_line,
        shared=_keeps_texts,
        general=_json_general,
        either=_json_either,
        column=_json_column,
    )
    if made is None:
        return None
    writer, flat, rows = made
    batches = _in_batches(writer, rows)
    kind = _JsonRecords if flat else _JsonBlocks
    return lambda items: kind(batches, items)


def _json_general(type_: Any, names: _derive.Names) -> _derive.Render | None:
    """How a record's list of nested records of other shapes is written (a task's targets).

    The writer's text of its plain data, its lines after the first indented to the
    field's depth (JSON text has no raw line break of its own, so each one starts a line
    of the layout). None for any other type.
    """
    if not (_is_homogeneous_tuple(type_) and _is_model(get_args(type_)[0])):
        return None

    def text(value: Any) -> str:
        data = _unstructure_converter(json_records=True).unstructure(value, unstructure_as=type_)
        return dump_json(data)[:-1].replace("\n", "\n  ")

    return lambda v: f"{names(text)}({v})"


def _keeps_texts(field: attrs.Attribute[Any], type_: Any) -> bool:
    """Whether a plain field's texts are kept (see ``_derive._Texts``).

    Kept: a field declared to share its values (ids, codes, years that records repeat),
    an enum's members, and periods and times (the few a plan's schedules and
    observations name, each costly to write). A unique id is written as it comes.
    """
    return _is_enum(type_) or type_ is Period or type_ is When or _derive.shares_values(field)


# -- the converter ------------------------------------------------------------------------


def _is_pairs(type_: Any) -> bool:
    return bool(type_ == tuple[tuple[str, Decimal], ...])


def _is_homogeneous_tuple(type_: Any) -> bool:
    if get_origin(type_) is not tuple:
        return False
    args = get_args(type_)
    return len(args) == 2 and args[1] is Ellipsis


def _is_optional(type_: Any) -> bool:
    if get_origin(type_) not in (Union, types.UnionType):
        return False
    args = get_args(type_)
    return len(args) == 2 and type(None) in args


def _is_enum(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


_SPECIAL: Final = frozenset({Money, Period, Quarter, When})


def _is_model(type_: Any) -> bool:
    return isinstance(type_, type) and attrs.has(type_) and type_ not in _SPECIAL


def _lazy(
    find: Callable[[Any], Callable[[Any, Any], Any]], type_: Any
) -> Callable[[Any, Any], Any]:
    """A hook that looks up ``type_``'s hook with ``find`` on first use.

    (Types may be recursive.)
    """
    found: list[Callable[[Any, Any], Any]] = []

    def hook(value: Any, _: Any = None) -> Any:
        if not found:
            found.append(find(type_))
        return found[0](value, type_)

    return hook


def _is_model_error(error: BaseException) -> bool:
    """Whether ``error`` is a model constructor's own (a ``TypeError`` or ``ValueError``)."""
    from cattrs.errors import BaseValidationError

    return isinstance(error, TypeError | ValueError) and not isinstance(
        error, BaseValidationError | _Invalid | _Group | _Retry
    )


def _model_error(cls: type, data: Mapping[str, Any], error: Exception) -> Exception:
    """A model constructor's error, moved to the field it names."""
    text = str(error)
    match = compiled(_FIELD_MESSAGE, re.S).fullmatch(text)
    if match is None or match["cls"] != cls.__name__:
        return _Invalid(text)
    field = match["field"]
    suffix = f".{field}"
    if match["index"] is not None:
        index = int(match["index"])
        raw = data.get(field)
        if isinstance(raw, dict) and index < len(raw):
            suffix += _key_part(list(raw)[index])
        else:
            suffix += f"[{index}]"
    return _Group([(suffix, _Invalid(match["rest"]))])


def _optional_hook(
    find: Callable[[Any], Callable[[Any, Any], Any]], type_: Any
) -> Callable[[Any, Any], Any]:
    """The hook of ``X | None``: None as it is, anything else by ``X``'s hook (``find``).

    ``X``'s hook is looked up on first use (types may be recursive).
    """
    inner_type = next(arg for arg in get_args(type_) if arg is not type(None))
    inner = _lazy(find, inner_type)

    def structure_optional(value: Any, _: Any = None) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


def _build() -> cattrs.Converter:
    import cattrs
    from cattrs.gen import make_dict_structure_fn

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, omit_if_default=True)

    for type_, hook in _OWN_HOOKS.items():
        conv.register_structure_hook(type_, hook)

    conv.register_structure_hook_func(_is_pairs, _structure_pairs)
    conv.register_structure_hook_func(_is_text, _structure_text)
    conv.register_structure_hook_factory(_is_enum, _enum_hook)
    # The str enums are also str, whose hook cattrs would pick for them: name them.
    for enum_class in _str_enums():
        conv.register_structure_hook(enum_class, _enum_hook(enum_class))

    conv.register_structure_hook_factory(
        _is_optional, functools.partial(_optional_hook, conv.get_structure_hook)
    )

    def tuple_factory(type_: Any) -> Callable[[Any, Any], Any]:
        item_type = get_args(type_)[0]
        # The item's hook is looked up on first use (types may be recursive), once per
        # tuple rather than once per item.
        found: list[Callable[[Any, Any], Any]] = []

        def item_hook() -> Callable[[Any, Any], Any]:
            if not found:
                found.append(conv.get_structure_hook(item_type))
            return found[0]

        def structure_tuple(value: Any, _: Any = None) -> tuple[Any, ...]:
            if type(value) is not list and type(value) is not tuple:
                raise _Invalid(f"expected a list, got {describe(value)}")
            item = item_hook()
            items: list[Any] = []
            problems: list[tuple[str, BaseException]] = []
            for index, entry in enumerate(value):
                try:
                    items.append(item(entry, item_type))
                except RecursionError:
                    raise
                except Exception as error:
                    problems.append((f"[{index}]", error))
            if problems:
                raise _Group(problems)
            return tuple(items)

        return structure_tuple

    conv.register_structure_hook_factory(
        lambda t: _is_homogeneous_tuple(t) and not _is_pairs(t), tuple_factory
    )

    def model_factory(cls: type) -> Callable[[Any, Any], Any]:
        generated: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv)

        def structure_model(data: Any, _: Any = None) -> Any:
            if not isinstance(data, dict):
                raise _Invalid(f"expected a mapping of {_noun(cls)} fields, got {describe(data)}")
            try:
                return generated(data, cls)
            except cattrs.ClassValidationError as error:
                # Errors without a note come from the constructor (or extra keys).
                with_notes, without = error.group_exceptions()
                if not any(_is_model_error(inner) for inner in without):
                    raise
                items: list[tuple[str, BaseException]] = [
                    (f".{note.name}", inner) for inner, note in with_notes
                ]
                items.extend(
                    ("", _model_error(cls, data, inner) if _is_model_error(inner) else inner)
                    for inner in without
                )
                raise _Group(items) from None
            except cattrs.BaseValidationError:
                raise
            except (TypeError, ValueError) as error:
                raise _model_error(cls, data, error) from None

        return structure_model

    conv.register_structure_hook_factory(_is_model, model_factory)

    _register_unstructure(conv, json_records=False)
    return conv


def _register_unstructure(conv: cattrs.Converter, *, json_records: bool) -> None:
    """Register the canonical layout's unstructure hooks on ``conv``.

    With ``json_records``, a tuple of budget lines, assignments, observations or tasks
    becomes a :class:`_JsonRecords` of their JSON text (:func:`json_data`); otherwise a
    list of plain dicts (:func:`to_dict`).
    """
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(Money, _unstructure_money)
    conv.register_unstructure_hook(Labels, dict)
    conv.register_unstructure_hook(Period, _unstructure_period)
    conv.register_unstructure_hook(Quarter, str)
    conv.register_unstructure_hook(When, _unstructure_when)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    # A datetime is a date too: without its own hook, date's would cut the time off.
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    # Enums by value. The str enums are also str, which cattrs passes through: name them.
    enums: tuple[type[enum.Enum], ...] = (*_str_enums(), enum.Enum)
    for enum_type in enums:
        conv.register_unstructure_hook(enum_type, _enum_value)
    conv.register_unstructure_hook_func(_is_pairs, _unstructure_pairs)
    conv.register_unstructure_hook_func(_is_text, _unstructure_text)

    def tuple_unstructure_factory(type_: Any) -> Callable[[Any], Any]:
        item_type = get_args(type_)[0]
        records = _json_records(item_type) if json_records else None
        if records is not None:
            return records
        found: list[Callable[[Any], Any]] = []

        def unstructure_tuple(value: tuple[Any, ...]) -> list[Any]:
            if not found:
                found.append(conv.get_unstructure_hook(item_type))
            hook = found[0]
            return [hook(entry) for entry in value]

        return unstructure_tuple

    conv.register_unstructure_hook_factory(
        lambda t: _is_homogeneous_tuple(t) and not _is_pairs(t), tuple_unstructure_factory
    )

    def model_unstructure_factory(cls: type) -> Callable[[Any], Any]:
        return _make_unstructure(cls, conv)

    conv.register_unstructure_hook_factory(_is_model, model_unstructure_factory)


_PLAIN_TYPES: Final = frozenset({str, int, bool})


#: How a field is written: always; unless it is None; unless it equals its default.
_ALWAYS: Final = 0
_UNLESS_NONE: Final = 1
_UNLESS_DEFAULT: Final = 2
_NEVER: Final = object()  # the default of a required field: no value is it


def _make_unstructure(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """The canonical unstructure function of a model class.

    Fields come in model order; a field equal to its default is left out. (cattrs'
    own generator puts the fields without a default first.) The function is a closure
    over a table of the fields: no code is generated.
    """
    hints = typing.get_type_hints(cls)
    table: list[tuple[str, Callable[[Any], Any] | None, int, Any]] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        type_ = hints[field.name]
        if _is_optional(type_):
            type_ = next(arg for arg in get_args(type_) if arg is not type(None))
        hook = None if type_ in _PLAIN_TYPES else _lazy_unstructure(conv, type_)
        default = field.default
        if default is attrs.NOTHING:
            table.append((field.name, hook, _ALWAYS, None))
            continue
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        how = _UNLESS_NONE if default is None else _UNLESS_DEFAULT
        table.append((field.name, hook, how, default))
    # Each field as (name, hook, default to leave out): _NEVER for a required field.
    fields = tuple(
        (name, hook, _NEVER if how == _ALWAYS else default) for name, hook, how, default in table
    )
    getter = operator.attrgetter(*(name for name, _, _ in fields))
    values: Callable[[Any], tuple[Any, ...]] = (
        (lambda obj: (getter(obj),)) if len(fields) == 1 else getter
    )

    def unstructure(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for (name, hook, skip), value in zip(fields, values(obj), strict=True):
            if value is skip:
                continue
            if value is None or hook is None:
                if value is None or skip is _NEVER or value != skip:
                    data[name] = value
            elif skip is _NEVER or value != skip:
                data[name] = hook(value)
        return data

    unstructure.__qualname__ = f"unstructure_{cls.__name__}"
    return unstructure


def _lazy_unstructure(conv: cattrs.Converter, type_: Any) -> Callable[[Any], Any]:
    found: list[Callable[[Any], Any]] = []

    def unstructure(value: Any) -> Any:
        if not found:
            found.append(conv.get_unstructure_hook(type_))
        return found[0](value)

    return unstructure


def _generated_unstructure(cls: type) -> Callable[[Any], Any]:
    """The generated unstructure function of ``cls`` (tests compare the hand-written ones)."""
    return _make_unstructure(cls, converter())


@functools.cache
def converter() -> cattrs.Converter:
    """The strict converter that reports every problem with its path (built once).

    Most code wants :func:`from_dict` and :func:`to_dict`; this is for structuring
    other types with egovplan's hooks (``converter().structure(data, Money)``).
    """
    return _build()


class _FastPass:
    """The first pass of :func:`from_dict`: structure hooks found by type, without cattrs.

    It converts well-formed data with the hooks of egovplan's own types (those the
    detailed converter has) and, for each plain model, the loops :mod:`egovplan._derive`
    generates from its fields; a model the loops do not build (a plan) has its fields
    converted by their hooks and is built by its constructor, as cattrs' generated
    function does it. Whatever it cannot convert raises one of :func:`_data_errors`, and
    the detailed pass (the cattrs :func:`converter`) says what is wrong: so only data with
    a problem imports cattrs and generates its functions. A type egovplan's models do not
    have is left to the detailed converter.
    """

    def __init__(self) -> None:
        self._hooks: dict[Any, Callable[[Any, Any], Any]] = {}
        self._derived: dict[type, _derive.Loaders] = {}

    def structure(self, data: Any, cls: Any) -> Any:
        """``data`` as a ``cls``, or one of :func:`_data_errors`."""
        return self.get_structure_hook(cls)(data, cls)

    def get_structure_hook(self, type_: Any) -> Callable[[Any, Any], Any]:
        """The hook of ``type_`` (made once)."""
        found = self._hooks.get(type_)
        if found is None:
            found = self._hooks[type_] = self._find(type_)
        return found

    def _find(self, type_: Any) -> Callable[[Any, Any], Any]:
        if _is_enum(type_):
            return _enum_hook(type_)
        if isinstance(type_, type):
            for base in type_.__mro__:  # (a subclass takes its base's hook, as in cattrs)
                own = _OWN_HOOKS.get(base)
                if own is not None:
                    return own
        if _is_pairs(type_):
            return _structure_pairs
        if _is_text(type_):
            return _structure_text
        if _is_optional(type_):
            return _optional_hook(self.get_structure_hook, type_)
        if _is_homogeneous_tuple(type_):
            item_type = get_args(type_)[0]
            if _derive.is_plain_model(item_type):
                return self._derived_of(item_type).loop
            item = _lazy(self.get_structure_hook, item_type)

            def structure_tuple(value: Any, _: Any = None) -> tuple[Any, ...]:
                if type(value) is not list and type(value) is not tuple:
                    raise _Retry
                return tuple([item(entry, item_type) for entry in value])

            return structure_tuple
        if _is_model(type_):
            if _derive.is_plain_model(type_):
                return self._derived_of(type_).one
            return self._by_fields(type_)
        return converter().get_structure_hook(type_)

    def _derived_of(self, cls: type) -> _derive.Loaders:
        """The generated loop of ``cls`` records and its function of one."""
        found = self._derived.get(cls)
        if found is None:
            found = self._derived[cls] = _derive.structure_functions(
                cls,
                hook=self.get_structure_hook,
                slow=self._by_fields(cls),
                sharer=_SHARED.get,  # None outside a conversion
                retry=_Retry,
                inline_types={Money: _MONEY_INLINE},
                typed=_TypedLines,
            )
        return found

    def _by_fields(self, cls: type) -> Callable[..., Any]:
        """One ``cls`` record the long way: each field by its hook, then the constructor.

        A key that is no field's, a missing required field or anything but a mapping
        raises :class:`_Retry`.
        """
        find = self.get_structure_hook

        @functools.cache
        def fields() -> tuple[frozenset[str], list[tuple[str, str, Any, bool]]]:
            """The field names, and each field's name, alias, type and whether it is required.

            (Read on first use: most classes never go the long way.)
            """
            hints = typing.get_type_hints(cls)
            found = [
                (field.name, field.alias, hints[field.name], field.default is attrs.NOTHING)
                for field in attrs.fields(cls)
                if field.init
            ]
            return frozenset(name for name, _alias, _type, _required in found), found

        def structure_by_fields(data: Any, _: Any = None) -> Any:
            known, each = fields()
            if not isinstance(data, dict) or not known.issuperset(data):
                raise _Retry
            values: dict[str, Any] = {}
            for name, alias, type_, required in each:
                if name in data:
                    values[alias] = find(type_)(data[name], type_)
                elif required:
                    raise _Retry
            return cls(**values)

        return structure_by_fields


#: The hooks of egovplan's own value types, for both passes.
_OWN_HOOKS: Final[dict[type, Callable[[Any, Any], Any]]] = {
    str: _structure_str,
    int: _structure_int,
    bool: _structure_bool,
    Decimal: _structure_decimal,
    Money: _structure_money,
    Labels: _structure_labels,
    Period: _structure_period,
    Quarter: _structure_quarter,
    When: _structure_when,
    dt.date: _structure_date,
    dt.datetime: _structure_datetime,
}


@functools.cache
def _fast_pass() -> _FastPass:
    """The fast pass of :func:`from_dict` (made once: its hooks are kept)."""
    return _FastPass()


@functools.cache
def _own_types() -> frozenset[Any]:
    """The types that are egovplan's own: model classes, the values they hold, their enums.

    The enums are found in the models' fields, not listed: a new enum field is included.
    """
    found: set[Any] = {*MODEL_CLASSES, Money, Labels, Period, Quarter, When}
    for cls in MODEL_CLASSES:
        for type_ in typing.get_type_hints(cls).values():
            for candidate in (type_, *get_args(type_)):
                if _is_enum(candidate):
                    found.add(candidate)
    return frozenset(found)


@functools.cache
def _str_enums() -> tuple[type[enum.Enum], ...]:
    """The models' str enums, found in their fields (:func:`_own_types`), by name.

    They are also str, whose hooks cattrs would pick for them: each is named to the
    converters. A str enum added to a model's field is found, never listed.
    """
    found = [
        type_
        for type_ in _own_types()
        if isinstance(type_, type) and issubclass(type_, enum.Enum) and issubclass(type_, str)
    ]
    return tuple(sorted(found, key=lambda type_: (type_.__module__, type_.__qualname__)))


def _structure_own(data: Any, cls: Any) -> Any:
    return from_dict(data, cls)


def configure_converter(conv: cattrs.Converter) -> None:
    """Put egovplan's hooks on your own cattrs converter, for egovplan's types only.

    Like cattrs' ``cattrs.preconf.*.configure_converter``: after this, ``conv``
    structures and unstructures every egovplan model (a :class:`~egovplan.plan.Plan`,
    a :class:`~egovplan.funding.FundingSource`…) and value (:class:`~egovplan.money.Money`,
    :class:`~egovplan.labels.Labels`, :class:`~egovplan.period.Period`,
    :class:`~egovplan.period.Quarter`, :class:`~egovplan.when.When`, the enums of
    model fields) exactly as
    :func:`to_dict` and :func:`from_dict` do, wherever your classes hold them. Nothing
    else changes: your classes, and the ``str``, ``int``, ``Decimal``, ``datetime``,
    tuples and unions in them, keep ``conv``'s own hooks and options (egovplan's
    strictness, its omission of defaults and its field order stay inside its models).

    A problem in an egovplan value raises :class:`~egovplan.errors.LoadError` (a
    ``ValueError``) naming the field inside it; ``conv`` reports where in your data
    that value was, as it reports its own errors.

    >>> import attrs, cattrs
    >>> from egovplan.money import Money
    >>> @attrs.define
    ... class Grant:
    ...     donor: str
    ...     amount: Money
    ...     note: str = ""
    >>> conv = cattrs.Converter()
    >>> configure_converter(conv)
    >>> conv.unstructure(Grant("KOICA", Money("1250000.50", "USD")))
    {'donor': 'KOICA', 'amount': '1250000.50 USD', 'note': ''}
    >>> conv.structure({"donor": "KOICA", "amount": "1250000.50 USD"}, Grant)
    Grant(donor='KOICA', amount=Money('1250000.50', 'USD'), note='')
    """
    own = _own_types()

    def is_own(type_: Any) -> bool:
        return type_ in own

    conv.register_structure_hook_func(is_own, _structure_own)
    conv.register_unstructure_hook_func(is_own, to_dict)


def _noun(cls: type) -> str:
    return cls.__name__


# -- flattening errors into problems ------------------------------------------------------


def _flatten(error: BaseException, path: str, out: list[Problem]) -> None:
    import cattrs
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(error, _Group):
        for suffix, inner in error.items:
            _flatten(inner, _join(path, suffix), out)
    elif isinstance(error, cattrs.ClassValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            _flatten(inner, _join(path, f".{note.name}"), out)
        for inner in without:
            _flatten(inner, path, out)
    elif isinstance(error, cattrs.IterableValidationError):
        with_index, without = error.group_exceptions()
        for inner, index_note in with_index:
            _flatten(inner, f"{path}[{index_note.index}]", out)
        for inner in without:
            _flatten(inner, path, out)
    elif isinstance(error, ForbiddenExtraKeysError):
        import difflib

        known = [a.name for a in attrs.fields(error.cl) if a.init]
        for name in sorted(error.extra_fields, key=str):
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
            if name == "<<":
                hint = " (YAML merge keys are not read: write the fields out)"
            elif " " in str(name):
                hint = " (in YAML, text with a comma inside {...} must be in quotes)"
            out.append(Problem(_join(path, _key_part(name)), f"unknown field{hint}"))
    elif isinstance(error, KeyError) and error.args and _names_field(path, error.args[0]):
        out.append(Problem(path, "required field is missing"))
    elif isinstance(error, _Invalid):
        out.append(Problem(path, error.message))
    else:
        out.append(Problem(path, str(error) or type(error).__name__))


def _names_field(path: str, name: object) -> bool:
    return path == name or path.endswith(f".{name}")


def _problems_of(error: BaseException) -> list[Problem]:
    """The problems a failed conversion found, each with its path, in document order."""
    out: list[Problem] = []
    _flatten(error, "", out)
    return out


# -- public functions ---------------------------------------------------------------------


def _objective_depth_problem(data: Any, max_depth: int) -> Problem | None:
    """Objectives nested deeper than ``max_depth`` document levels, if any.

    An objective nested ``k`` deep sits ``2k + 1`` levels down in the document.
    """
    roots = data.get("objectives") if isinstance(data, dict) else None
    if not isinstance(roots, list):
        return None
    stack: list[tuple[list[Any], tuple[str | int, ...], int]] = [(roots, ("objectives",), 3)]
    while stack:
        items, parts, depth = stack.pop()
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            here = (*parts, index)
            if depth > max_depth:
                return Problem(
                    format_path(here),
                    f"objectives are nested deeper than {max_depth} levels"
                    " (the limit is Limits.max_depth)",
                )
            children = item.get("children")
            if isinstance(children, list):
                stack.append((children, (*here, "children"), depth + 2))
    return None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a document is built or read.

    The objects of a plan hold no reference cycles, and a million budget lines would
    otherwise trigger collections that scan everything built so far, again and again
    (loading would slow down as plans grow). The collector is switched back on at the
    end, unless it was off to begin with.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _plan_body(data: Any, problems: list[Problem]) -> Any:
    """The plan's fields without ``format_version``, upgraded to the current version.

    ``format_version`` must be one of the versions read (:mod:`egovplan.versions`); a
    document of an older version goes through the upgrade steps after it.
    """
    if not isinstance(data, dict):
        problems.append(
            Problem("", f"a plan document must be a mapping of fields, not {describe(data)}")
        )
        return None
    history = active_history()
    body = {key: value for key, value in data.items() if key != "format_version"}
    if "format_version" not in data:
        problems.append(
            Problem(
                "format_version",
                f"required field is missing: begin the plan with format_version: {history.current}",
            )
        )
        return body
    try:
        version = history.check(data["format_version"])
    except UnknownFormatVersionError as error:
        problems.append(Problem("format_version", str(error)))
        return None
    if version == history.current:
        return body
    return history.upgrade(body, version)


@functools.cache
def _data_errors() -> tuple[type[Exception], ...]:
    """What the fast pass raises for data it cannot convert (the detailed pass then looks).

    Only these: any other exception of the fast pass is a bug in it, and is raised, not
    hidden behind a slower load.
    """
    from cattrs.errors import CattrsError

    return (TypeError, ValueError, LookupError, ArithmeticError, CattrsError)


def from_dict(
    data: Any,
    cls: type[T] = Plan,  # type: ignore[assignment]
    *,
    limits: Limits | None = None,
    source: str = "<data>",
) -> T:
    """Read a model object of class ``cls`` (a :class:`~egovplan.plan.Plan` by default).

    For a plan, ``data`` is a whole document: it starts with ``format_version``.

    Args:
        data: plain data as a file reader returns it (``dict``, ``list``, ``str``,
            ``int``, ``bool``, ``None``; :class:`FloatText` for floats).
        cls: the model class to read.
        limits: the limits on numbers and nesting (:class:`egovplan.limits.Limits`).
        source: the file name, for messages.

    Returns:
        The object.

    Raises:
        LoadError: every problem found, each with its path in the document
            (:attr:`LoadError.problems <egovplan.errors.LoadError.problems>`).

    >>> from egovplan.task import Assignment
    >>> from_dict({"agency": "stttt", "role": "lead"}, Assignment)
    Assignment(agency='stttt', role='lead')
    >>> from_dict({"agency": "stttt", "rol": "lead"}, Assignment)
    Traceback (most recent call last):
    ...
    egovplan.errors.LoadError: <data>: role: required field is missing (and 1 more problem)
    """
    max_depth = DEFAULT_MAX_DEPTH if limits is None else limits.max_depth
    problems: list[Problem] = []
    if cls is Plan:
        data = _plan_body(data, problems)
        if data is None:
            raise LoadError.from_problems(source, problems)
    deep = _objective_depth_problem(data, max_depth) if cls in (Plan, Objective) else None
    if deep is not None:
        raise LoadError.from_problems(source, [*problems, deep])
    with _converting(limits):
        if not problems:
            try:
                with gc_paused():
                    fast: T = _fast_pass().structure(data, cls)
                    return fast
            except RecursionError:
                raise _too_deep(source) from None
            except _data_errors():  # the detailed pass below says what is wrong
                pass
        try:
            result = converter().structure(data, cls)
        except RecursionError:
            raise _too_deep(source) from None
        except Exception as error:
            problems.extend(_problems_of(error))
        else:
            if not problems:
                return result
        raise LoadError.from_problems(source, problems)


@contextlib.contextmanager
def _converting(limits: Limits | None) -> Iterator[None]:
    """The state of one conversion: the digits ``limits`` allows, and empty tables."""
    max_digits = DEFAULT_MAX_DIGITS if limits is None else limits.max_digits
    token = _MAX_DIGITS.set(max_digits)
    cache_token = _MONEY_CACHE.set({})
    shared_token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(shared_token)
        _MONEY_CACHE.reset(cache_token)
        _MAX_DIGITS.reset(token)


def structure_typed(data: Any, limits: Limits) -> Plan | None:
    """The plan of a document a typed reader decoded, by the fast pass alone, or None.

    ``data`` is a plan document as :func:`from_dict` takes it, except that its budget
    lines may be :class:`_TypedLines`. None whenever :func:`from_dict` would have to look
    closer (a wrong ``format_version``, nesting too deep, anything the fast pass cannot
    convert): the caller then reads the document again as plain data and gives that to
    :func:`from_dict`, which says what is wrong.
    """
    if type(data) is not dict or not active_history().reads_as_is(data.get("format_version")):
        return None  # an older version's upgrade steps take plain data
    problems: list[Problem] = []
    body = _plan_body(data, problems)
    if body is None or problems or _objective_depth_problem(body, limits.max_depth):
        return None
    with _converting(limits):
        try:
            with gc_paused():
                plan: Plan = _fast_pass().structure(body, Plan)
        except RecursionError:  # from_dict says what is wrong
            return None
        except _data_errors():
            return None
    return plan


def _too_deep(source: str) -> LoadError:
    return LoadError.from_problems(
        source, [Problem("", "the document is nested too deeply to be read")]
    )


def to_dict(obj: Any) -> Any:
    """The canonical plain data of a model object (for a plan: a whole document).

    >>> from egovplan.period import Period
    >>> from egovplan.document import PlanMetadata
    >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="Kế hoạch"),
    ...             period=Period.years(2021, 2025))
    >>> to_dict(plan)
    {'format_version': 3, 'id': 'p', 'metadata': {'kind': 'plan', 'title': 'Kế hoạch'}, \
'period': '2021-2025'}
    """
    with gc_paused():
        data = _unstructure_converter(json_records=False).unstructure(obj)
    if isinstance(obj, Plan):
        return {"format_version": active_history().current, **data}
    return data


@functools.cache
def _unstructure_converter(*, json_records: bool) -> cattrs.Converter:
    """The converter :func:`to_dict` (or, ``json_records``, :func:`json_data`) writes with."""
    import cattrs

    conv = cattrs.Converter(omit_if_default=True)
    _register_unstructure(conv, json_records=json_records)
    return conv


def json_data(obj: Any) -> Any:
    """:func:`to_dict` for the JSON writer: hot records already written as JSON text.

    The same data as :func:`to_dict`, except that each tuple of budget lines,
    assignments or observations is a :class:`_JsonRecords` of their one-line JSON text,
    and a tuple of tasks a :class:`_JsonBlocks`. :func:`egovplan.files.dumps` writes it;
    the text is the same as writing :func:`to_dict`'s data.
    """
    data = _unstructure_converter(json_records=True).unstructure(obj)
    if isinstance(obj, Plan):
        return {"format_version": active_history().current, **data}
    return data

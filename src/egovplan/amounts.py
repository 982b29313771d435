r"""Amounts of money as people write them: formatting and strict reading, for a locale.

:func:`format_money` writes an amount in full or in a compact form with a magnitude word,
:func:`format_amount` writes just the number in a fixed unit of magnitude (for tables:
"Đơn vị: tỷ đồng"), and :func:`parse_amount` reads what documents write back into an
exact :class:`~egovplan.money.Money`.

>>> from egovplan.money import Money
>>> total = Money("901000000000", "VND")
>>> format_money(total, "vi"), format_money(total, "en")
('901.000.000.000\xa0₫', '₫901,000,000,000')
>>> format_money(total, "vi", style="compact"), format_money(total, "en", style="compact")
('901 tỷ\xa0₫', '901 billion\xa0₫')
>>> format_amount(Money("1500000000", "VND"), "vi", unit="billion")
'1,5'
>>> parse_amount("901 tỷ đồng") == parse_amount("901.000.000.000 ₫") == total
True
>>> parse_amount("1.5 triệu đồng")
Traceback (most recent call last):
...
egovplan.errors.ParseError: cannot read '1.5 triệu đồng' as an amount in locale 'vi': ...
did you mean '1,5 triệu đồng' or '15 triệu đồng'?

Numbers and currency symbols come from babel (CLDR); the magnitude words ("tỷ",
"billion"), the currency words ("đồng") and the units of magnitude live in
``data/amounts.toml``. Nothing here rounds unless asked: the full form shows every digit
of the amount (round it first with :meth:`Money.rounded <egovplan.money.Money.rounded>`),
and the compact form and :func:`format_amount` round only when given ``places``, with a
stated rounding mode. No amount ever passes through a ``float``.

Babel writes a no-break space (U+00A0) between a number and a currency sign that follows
it, as CLDR says, and the compact form does the same; :func:`parse_amount` reads any kind
of space there and inside numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation, localcontext
from types import MappingProxyType
from typing import Any, Final, Literal, NamedTuple, TypeAlias

from babel import Locale
from babel import numbers as babel_numbers

from egovplan import _decimal
from egovplan._data import load_data, locale_tag
from egovplan._decimal import in_own_context
from egovplan._text import nfc, shown, strip_accents
from egovplan.errors import EgovplanError, FieldTypeError, FieldValueError, ParseError
from egovplan.money import DEFAULT_ROUNDING, MAX_AMOUNT_DIGITS, Money, check_rounding
from egovplan.money import MAX_EXPONENT as _MONEY_EXPONENT
from egovplan.words import UnknownLocaleError

__all__ = [
    "Style",
    "amount_units",
    "canonical_unit",
    "fitting_unit",
    "format_amount",
    "format_money",
    "parse_amount",
    "to_babel_locale",
    "unit_exponent",
]

#: The forms :func:`format_money` writes: every digit, or a magnitude word.
Style: TypeAlias = Literal["full", "compact"]

# Wide enough for any Money amount (40 digits, magnitudes up to 1E+60) scaled by a unit.
_CONTEXT: Final = _decimal.context(160)

_SPACES: Final = " \xa0\u202f\u2009\u2007"
_MINUS: Final = "-\u2212"
#: The bidi marks (left-to-right, right-to-left, Arabic letter mark): babel writes them
#: around numbers and signs in Arabic, Hebrew and Persian. They are read as spaces
#: between the parts of an amount, never as part of a sign.
_BIDI_MARKS: Final = "\u200e\u200f\u061c"
_MAX_TEXT: Final = 1000


# --- data ------------------------------------------------------------------------------


def _data() -> Mapping[str, Any]:
    return load_data("amounts.toml")


def amount_units() -> tuple[str, ...]:
    """The units of magnitude amounts can be shown in, smallest first.

    ``"one"`` is the currency's own unit (đồng for VND, dollars for USD), undivided; every
    function taking a unit also takes ``"dong"`` for it.

    >>> amount_units()
    ('one', 'thousand', 'million', 'billion', 'trillion')
    """
    units: Mapping[str, int] = _data()["units"]
    return tuple(sorted(units, key=units.__getitem__))


@in_own_context
def fitting_unit(amounts: Iterable[Money]) -> str:
    """The largest unit of magnitude in which no amount of ``amounts`` is a fraction below 1.

    A table in that unit shows every non-zero amount as 1 or more: 901 billion đồng as
    ``901`` billion, 1,250,000.50 euros as ``1,250.0005`` thousand. Zero amounts do not
    count, and with none left the unit is ``"one"``, the currency's own. Currencies are
    not told apart: only the numbers count.

    Raises:
        FieldTypeError: ``amounts`` is not iterable, or an item is not
            :class:`~egovplan.money.Money`.

    >>> from egovplan.money import Money
    >>> fitting_unit([Money("901000000000", "VND"), Money("20000000000", "VND")])
    'billion'
    >>> fitting_unit([Money("1000000", "EUR"), Money("250000.50", "EUR")])
    'thousand'
    >>> fitting_unit([Money(0, "VND")]), fitting_unit([])
    ('one', 'one')
    """
    try:
        items = iter(amounts)
    except TypeError:
        raise FieldTypeError(
            f"amounts must be an iterable of Money, not {type(amounts).__name__}"
        ) from None
    smallest: Decimal | None = None
    for money in items:
        value = _check_money(money).amount.copy_abs()
        if value and (smallest is None or value < smallest):
            smallest = value
    return "one" if smallest is None else _largest_unit(smallest, amount_units())


def _largest_unit(value: Decimal, units: Iterable[str]) -> str:
    """The largest of ``units`` (smallest first) that ``value`` is at least 1 of, else "one"."""
    best = "one"
    for unit in units:
        if value >= Decimal(1).scaleb(unit_exponent(unit), context=_CONTEXT):
            best = unit
    return best


def canonical_unit(unit: str) -> str:
    """``unit``'s own name (``"one"`` for its alias ``"dong"``); an unknown unit is an error.

    >>> canonical_unit("dong"), canonical_unit("billion")
    ('one', 'billion')
    """
    units: Mapping[str, int] = _data()["units"]
    if isinstance(unit, str):
        if unit in units:
            return unit
        aliases: Mapping[str, str] = _data()["unit_aliases"]
        if unit in aliases:
            return aliases[unit]
    raise FieldValueError(f"unknown unit {unit!r}; expected one of: {', '.join(amount_units())}")


def unit_exponent(unit: str) -> int:
    """The power of ten of ``unit`` (an unknown unit is an error, as for :func:`canonical_unit`).

    >>> unit_exponent("million"), unit_exponent("dong")
    (6, 0)
    """
    units: Mapping[str, int] = _data()["units"]
    return units[canonical_unit(unit)]


def to_babel_locale(locale: str | Locale) -> Locale:
    """``locale`` as a babel ``Locale`` (parsed once per tag); an unknown one is an error.

    >>> str(to_babel_locale("vi-VN"))
    'vi_VN'
    """
    if isinstance(locale, Locale):
        return locale
    return _parse_locale(locale_tag(locale))


@functools.cache
def _parse_locale(tag: str) -> Locale:
    from babel import UnknownLocaleError as BabelUnknownLocale

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (BabelUnknownLocale, ValueError, TypeError):
        raise UnknownLocaleError(
            f"unknown locale {tag!r}; expected a tag like 'vi' or 'en'"
        ) from None


def _words(locale: Locale) -> Mapping[str, Any] | None:
    """The amount words of ``locale`` (or of its language), if egovplan has them."""
    known: Mapping[str, Mapping[str, Any]] = _data()["locales"]
    return known.get(str(locale)) or known.get(locale.language)


# --- formatting ------------------------------------------------------------------------


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and without an exponent (``2E+2`` -> ``200``)."""
    if value == value.to_integral_value(context=_CONTEXT):
        return value.quantize(Decimal(1), context=_CONTEXT)
    return value.normalize(context=_CONTEXT)


def _decimals(value: Decimal) -> int:
    """How many decimals ``value`` is written with (negative for ``9E+2``)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), value  # amounts are finite
    return -exponent


def _check_places(places: int | None) -> None:
    if places is not None and (
        isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 60
    ):
        raise FieldValueError(f"places must be a whole number from 0 to 60, not {places!r}")


def _rounded(value: Decimal, places: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=_CONTEXT)


def _number(value: Decimal, locale: Locale, min_fraction: int) -> str:
    """``value`` with the locale's symbols and grouping, every digit, no rounding."""
    pattern = locale.decimal_formats[None]
    primary, secondary = pattern.grouping
    integer = "#," + "#" * secondary + "," + "#" * (primary - 1) + "0"
    fraction = "." + "0" * min_fraction if min_fraction else ""
    with localcontext(_CONTEXT):
        return _regrouped(
            str(
                babel_numbers.format_decimal(
                    value, format=integer + fraction, locale=locale, decimal_quantization=False
                )
            ),
            locale,
        )


def _regrouped(text: str, locale: Locale) -> str:
    """Babel's ``text`` with the digits grouped again where babel lost the grouping.

    Babel reads an apostrophe in its output as a pattern's quote: where the group
    symbol is one (``de_CH``, ``gsw_CH``), it drops them in pairs, writing 901'000'000'000
    as ``901000000'000``, which no reader can take. The integer part is grouped again
    with the locale's symbol and sizes; other locales' text is returned as it is.
    """
    syntax = _syntax(locale)
    if "'" not in syntax.group:
        return text

    def group(match: re.Match[str]) -> str:
        digits = match.group().replace(syntax.group, "")
        head, tail = digits[: -syntax.primary], digits[-syntax.primary :]
        groups = [tail]
        while head:
            groups.insert(0, head[-syntax.secondary :])
            head = head[: -syntax.secondary]
        return syntax.group.join(groups)

    decimal = re.escape(syntax.decimal)
    number = f"(?<![0-9{decimal}])[0-9][0-9{re.escape(syntax.group)}]*"
    return re.sub(number, group, text)


def _check_money(money: object) -> Money:
    if not isinstance(money, Money):
        raise FieldTypeError(f"expected Money, not {type(money).__name__}")
    return money


@in_own_context
def format_amount(
    money: Money,
    locale: str | Locale = "vi",
    unit: str = "one",
    *,
    places: int | None = None,
    rounding: str = DEFAULT_ROUNDING,
) -> str:
    """The number of ``money`` in a unit of magnitude, without unit or currency sign.

    Meant for tables that state their unit once ("Đơn vị: tỷ đồng"): the amount is divided
    by the unit exactly and written with the locale's symbols.

    Args:
        money: the amount.
        locale: a locale tag (``"vi"``, ``"en"``, ``"vi_VN"``) or a babel ``Locale``.
        unit: one of :func:`amount_units`: ``"one"`` (the currency's own unit, written
            with at least the currency's minor digits), ``"thousand"``, ``"million"``,
            ``"billion"``, ``"trillion"``.
        places: ``None`` (the default) writes every digit, so nothing is lost; a number
            rounds to exactly that many decimals with ``rounding``.
        rounding: a :mod:`decimal` rounding mode, used only with ``places``; half away
            from zero (:data:`egovplan.money.DEFAULT_ROUNDING`) unless given.

    Raises:
        FieldTypeError: ``money`` is not :class:`~egovplan.money.Money`, or ``locale`` is
            neither a str nor a babel ``Locale``.
        FieldValueError: an unknown unit, or ``places`` out of range.
        MoneyError: ``rounding`` is not a :mod:`decimal` rounding mode.
        UnknownLocaleError: babel does not know ``locale``.

    >>> from egovplan.money import Money
    >>> format_amount(Money("901000000000", "VND"), "vi", unit="billion")
    '901'
    >>> format_amount(Money("1500000000", "VND"), "en", unit="billion")
    '1.5'
    >>> format_amount(Money("1234567", "VND"), "vi", unit="million", places=2)
    '1,23'
    >>> format_amount(Money("1234.5", "USD"), "en")
    '1,234.50'
    """
    money = _check_money(money)
    babel_locale = to_babel_locale(locale)
    exponent = unit_exponent(unit)
    _check_places(places)
    rounding = check_rounding(rounding)
    value = money.amount.scaleb(-exponent, context=_CONTEXT)
    if places is not None:
        return _number(_rounded(value, places, rounding), babel_locale, places)
    return _number(_plain(value), babel_locale, money.minor_digits if exponent == 0 else 0)


def _auto_unit(value: Decimal, words: Mapping[str, Any]) -> str:
    named = [unit for unit in amount_units() if unit in words["unit_words"]]
    return _largest_unit(value.copy_abs(), named)


def _compact(
    money: Money, locale: Locale, unit: str | None, places: int | None, rounding: str
) -> str:
    words = _words(locale)
    if words is None:
        if unit is not None:
            raise UnknownLocaleError(
                f"no magnitude words for locale {str(locale)!r}; egovplan has them for: "
                + ", ".join(_data()["locales"])
            )
        # Babel's own compact words; it rounds with the context, which is ours here.
        digits = places if places is not None else 20 + _decimals(money.amount)
        with localcontext(_decimal.context(_CONTEXT.prec, rounding=rounding)):
            number = babel_numbers.format_compact_decimal(
                money.amount,
                format_type="long" if "long" in locale.compact_decimal_formats else "short",
                locale=locale,
                fraction_digits=digits,
            )
        return f"{number}\xa0{babel_numbers.get_currency_symbol(money.currency, locale)}"
    chosen = unit if unit is not None else _auto_unit(money.amount, words)
    value = money.amount.scaleb(-unit_exponent(chosen), context=_CONTEXT)
    if places is not None:
        value = _rounded(value, places, rounding)
        if unit is None:  # rounding may carry into the next unit: 999,96 nghìn -> 1 triệu
            whole = value.scaleb(unit_exponent(chosen), context=_CONTEXT)
            chosen = _auto_unit(whole, words)
            value = whole.scaleb(-unit_exponent(chosen), context=_CONTEXT)
    minimum = money.minor_digits if unit_exponent(chosen) == 0 and places is None else 0
    parts = [_number(_plain(value), locale, minimum)]
    if chosen in words["unit_words"]:
        parts.append(words["unit_words"][chosen])
    symbol = babel_numbers.get_currency_symbol(money.currency, locale)
    return " ".join(parts) + "\xa0" + symbol


@in_own_context
def format_money(
    money: Money,
    locale: str | Locale = "vi",
    style: Style = "full",
    unit: str | None = None,
    *,
    places: int | None = None,
    rounding: str = DEFAULT_ROUNDING,
) -> str:
    r"""Write an amount of money the way people of ``locale`` read it.

    ``style="full"`` is babel's currency format with every digit of the amount (never
    rounded: call :meth:`Money.rounded <egovplan.money.Money.rounded>` first to round).
    ``style="compact"`` writes the number in a unit of magnitude with its word and the
    currency sign after it ("901 tỷ ₫", "1,5 triệu ₫", "901 billion ₫"): the largest unit
    the amount reaches, or ``unit`` when given. The compact number shows every digit
    unless ``places`` asks to round (trailing zeros are dropped).

    Args:
        money: the amount.
        locale: a locale tag (``"vi"``, ``"en"``, ``"fr_FR"``) or a babel ``Locale``.
            Magnitude words come from ``data/amounts.toml`` (Vietnamese and English); in
            other locales the compact style uses babel's own words and ``unit`` is not
            available.
        style: ``"full"`` or ``"compact"``.
        unit: with ``style="compact"``, one of :func:`amount_units` to use instead of
            the automatic choice.
        places: with ``style="compact"``, round the number to at most this many
            decimals.
        rounding: the :mod:`decimal` rounding mode for ``places``; half away from zero
            unless given.

    Raises:
        FieldTypeError: ``money`` is not :class:`~egovplan.money.Money`, or ``locale`` is
            neither a str nor a babel ``Locale``.
        FieldValueError: an unknown style or unit, or ``unit`` / ``places`` with the full
            style, or ``places`` out of range.
        MoneyError: ``rounding`` is not a :mod:`decimal` rounding mode.
        UnknownLocaleError: babel does not know ``locale``, or it has no magnitude words
            and ``unit`` was given.

    >>> from egovplan.money import Money
    >>> format_money(Money("1500000", "VND"), "vi", style="compact")
    '1,5 triệu\xa0₫'
    >>> format_money(Money("1234.5", "USD"), "en"), format_money(Money("1234.5", "USD"), "vi")
    ('$1,234.50', '1.234,50\xa0US$')
    >>> format_money(Money("1234567890", "VND"), "en", style="compact", places=1)
    '1.2 billion\xa0₫'
    >>> format_money(Money("901000000000", "VND"), "vi", style="compact", unit="million")
    '901.000 triệu\xa0₫'
    """
    money = _check_money(money)
    babel_locale = to_babel_locale(locale)
    _check_places(places)
    rounding = check_rounding(rounding)
    if style == "full":
        if unit is not None or places is not None:
            raise FieldValueError(
                "unit and places need style='compact'; the full style writes every digit"
                " (round first with Money.rounded())"
            )
        with localcontext(_CONTEXT):
            return _regrouped(
                str(
                    babel_numbers.format_currency(
                        _plain(money.amount),
                        money.currency,
                        locale=babel_locale,
                        currency_digits=True,
                        decimal_quantization=False,
                    )
                ),
                babel_locale,
            )
    if style == "compact":
        return _compact(
            money, babel_locale, None if unit is None else canonical_unit(unit), places, rounding
        )
    raise FieldValueError(f"unknown style {style!r}; expected 'full' or 'compact'")


# --- parsing ---------------------------------------------------------------------------


class _Syntax(NamedTuple):
    """How a locale writes numbers."""

    group: str
    decimal: str
    primary: int
    secondary: int
    #: Other (primary, secondary) groupings the locale uses: its currency format may
    #: group digits otherwise than its decimal format (Indian locales: 1,234,567 ₫ but
    #: 12,34,567).
    others: tuple[tuple[int, int], ...] = ()
    #: Whether the locale writes the minus sign after a negative amount (``fy``).
    minus_after: bool = False


@functools.cache
def _syntax(locale: Locale) -> _Syntax:
    formats = (locale.decimal_formats[None], locale.currency_formats["standard"])
    primary, secondary = formats[0].grouping
    others = tuple({f.grouping for f in formats[1:]} - {(primary, secondary)})
    return _Syntax(
        group=babel_numbers.get_group_symbol(locale),
        decimal=babel_numbers.get_decimal_symbol(locale),
        primary=primary,
        secondary=secondary,
        others=others,
        minus_after=any(set(_MINUS) & set(f.suffix[1]) for f in formats),
    )


#: Names to look for in text, by their first character (lower case): for each,
#: ``(name, value, fold)``, where ``fold`` says to match without regard to case.
_Index: TypeAlias = Mapping[str, tuple[tuple[str, str, bool], ...]]


def _index(folded: Mapping[str, str], exact: Mapping[str, str]) -> _Index:
    index: dict[str, list[tuple[str, str, bool]]] = {}
    for names, fold in ((folded, True), (exact, False)):
        for name, value in names.items():
            if name:
                index.setdefault(name[0].lower(), []).append((name, value, fold))
    return MappingProxyType({first: tuple(entries) for first, entries in index.items()})


@functools.cache
def _currency_names(locale: Locale, currency: str | None) -> _Index:
    """The currency symbols, codes and words of ``locale`` -> ISO code.

    Symbols and codes are matched as written, words without regard to case.
    """
    exact: dict[str, str] = {}
    for source in (Locale.parse("en"), locale):
        for code, symbol in source.currency_symbols.items():
            exact[symbol] = code
    folded = {
        word.lower(): code
        for word, code in (_words(locale) or {}).get("currency_words", {}).items()
    }
    if currency is not None:  # the expected currency's own names win
        for source in (locale, Locale.parse("en")):
            exact[babel_numbers.get_currency_symbol(currency, source)] = currency
        folded[currency.lower()] = currency
    return _index(folded, exact)


@functools.cache
def _magnitudes(locale: Locale) -> _Index:
    words = (_words(locale) or {}).get("magnitudes", {})
    return _index({word.lower(): str(exp) for word, exp in words.items()}, {})


class _NumberError(EgovplanError):
    """A number not written in the locale's way (caught here and turned into a ParseError)."""

    def __init__(self, problem: str, offset: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.offset = offset


def _read_number(chunk: str, syntax: _Syntax) -> Decimal:
    """Read digits written strictly in ``syntax``; raise _NumberError otherwise."""
    group, decimal = syntax.group, syntax.decimal
    integer, mark, fraction = chunk.partition(decimal)
    bad = next((i for i, c in enumerate(fraction) if not "0" <= c <= "9"), None)
    if bad is not None:
        raise _NumberError(
            f"{fraction[bad]!r} after the decimal mark {decimal!r}", len(integer) + 1 + bad
        )
    separators = {c for c in integer if not "0" <= c <= "9"}
    spaces = separators & set(_SPACES)
    if separators - spaces - {group}:
        wrong = next(c for c in integer if c in separators - spaces - {group})
        raise _NumberError(
            f"{group!r} separates groups of {syntax.primary} digits and {decimal!r} marks"
            f" decimals here (e.g. {_example(syntax)})",
            integer.index(wrong),
        )
    if spaces and group in separators and group not in _SPACES:
        raise _NumberError(f"digits grouped with both {group!r} and spaces")
    groups = re.split(f"[{re.escape(''.join(separators))}]", integer) if separators else [integer]
    sizes = [len(g) for g in groups]
    if len(groups) > 1 and not any(
        sizes[-1] == primary
        and all(s == secondary for s in sizes[1:-1])
        and 1 <= sizes[0] <= secondary
        for primary, secondary in ((syntax.primary, syntax.secondary), *syntax.others)
    ):
        raise _NumberError(
            f"{group!r} separates groups of {syntax.primary} digits and {decimal!r} marks"
            f" decimals here (e.g. {_example(syntax)})"
        )
    digits = "".join(groups)
    if len(digits) > 1 and digits.startswith("0"):
        raise _NumberError("a number does not start with 0")
    return Decimal(digits + ("." + fraction if mark else ""))


def _example(syntax: _Syntax) -> str:
    return f"1{syntax.group}234{syntax.group}567{syntax.decimal}5"


class _Match(NamedTuple):
    end: int
    value: str  # an ISO code, or a magnitude word


def _word_at(text: str, start: int, index: _Index) -> _Match | None:
    """The longest name of ``index`` at ``start`` that ends at a word boundary."""
    best: _Match | None = None
    for name, value, fold in index.get(text[start : start + 1].lower(), ()):
        end = start + len(name)
        written = text[start:end]
        if (written.lower() if fold else written) != name:
            continue
        if name[-1].isalpha() and end < len(text) and text[end].isalnum():
            continue
        if best is None or end > best.end:
            best = _Match(end, value)
    return best


_CODE: Final = re.compile(r"[A-Z]{3}(?![^\W\d_])")


class _AmountReader:
    """Reads one amount text in one locale."""

    def __init__(self, text: str, locale: Locale, tag: str, currency: str | None) -> None:
        self.text = text
        self.locale = locale
        self.tag = tag
        self.currency = currency
        self.position = 0
        self.syntax = _syntax(locale)
        words = _words(locale) or {}
        self.magnitudes: Mapping[str, str] = {
            word.lower(): str(exp) for word, exp in words.get("magnitudes", {}).items()
        }

    def error(
        self, problem: str, position: int | None = None, suggestions: tuple[str, ...] = ()
    ) -> ParseError:
        at = self.position if position is None else position
        message = (
            f"cannot read {shown(self.text)} as an amount in locale {self.tag!r}: {problem}"
            f" at position {at}"
        )
        if suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        return ParseError(message, text=self.text, position=at, suggestions=suggestions)

    def skip_spaces(self) -> None:
        text = self.text
        while self.position < len(text) and (
            text[self.position].isspace() or text[self.position] in _BIDI_MARKS
        ):
            self.position += 1

    def sign(self) -> bool:
        symbol = babel_numbers.get_minus_sign_symbol(self.locale)
        minus = _MINUS + "".join(c for c in symbol if c not in _BIDI_MARKS)
        if self.position < len(self.text) and self.text[self.position] in minus:
            self.position += 1
            self.skip_spaces()
            return True
        return False

    def currency_here(self) -> str | None:
        """Read a currency sign, code or word at the position, if there is one."""
        found = _word_at(self.text, self.position, _currency_names(self.locale, self.currency))
        code = _CODE.match(self.text, self.position)
        if (
            code
            and babel_numbers.is_currency(code.group())
            and (found is None or code.end() > found.end)
        ):
            found = _Match(code.end(), code.group())
        if found is None:
            return None
        if self.currency is not None and found.value != self.currency:
            raise self.error(
                f"{self.text[self.position : found.end]!r} names {found.value},"
                f" but the amount is in {self.currency}"
            )
        self.position = found.end
        self.skip_spaces()
        return found.value

    def number(self) -> Decimal:
        syntax = self.syntax
        chars = re.escape("".join({".", ",", "'", "’", syntax.group, syntax.decimal}) + _SPACES)
        chunk = re.compile(f"[0-9](?:[0-9{chars}]*[0-9])?").match(self.text, self.position)
        if chunk is None:
            raise self.error("expected a number")
        try:
            value = _read_number(chunk.group(), syntax)
        except _NumberError as problem:
            raise self.error(
                problem.problem,
                chunk.start() + problem.offset,
                self.number_suggestions(chunk.group(), chunk.start()),
            ) from None
        self.position = chunk.end()
        self.skip_spaces()
        return value

    def number_suggestions(self, chunk: str, start: int) -> tuple[str, ...]:
        readings: list[Decimal] = []
        swapped = chunk.translate(str.maketrans(".,", ",."))
        for candidate in (swapped, re.sub("[^0-9]", "", chunk)):
            try:
                readings.append(_read_number(candidate, self.syntax))
            except (_NumberError, InvalidOperation):
                continue
        texts: list[str] = []
        for reading in readings:
            if len(reading.as_tuple().digits) > MAX_AMOUNT_DIGITS:
                continue  # no amount: suggesting it would only lead to the next error
            written = _number(_plain(reading), self.locale, 0)
            text = self.text[:start] + written + self.text[start + len(chunk) :]
            if text not in texts and text != self.text:
                texts.append(text)
        return tuple(texts)

    def magnitude(self) -> int:
        exponent = 0
        index = _magnitudes(self.locale)
        while (found := _word_at(self.text, self.position, index)) is not None:
            exponent += int(found.value)
            self.position = found.end
            self.skip_spaces()
        return exponent

    def leftover(self, prefix: str | None) -> ParseError:
        import difflib  # (imported for a suggestion only)

        start = self.position
        if prefix is not None and self.currency_here() is not None:
            return self.error("the currency is named twice", start)
        rest = self.text[self.position :]
        word = re.match(r"\S+", rest)
        shown = word.group() if word else rest
        words = _words(self.locale) or {}
        vocabulary = [*self.magnitudes, *(w.lower() for w in words.get("currency_words", {}))]
        plain = {strip_accents(w): w for w in vocabulary}
        guesses = difflib.get_close_matches(shown.lower(), vocabulary, n=3, cutoff=0.6)
        same = plain.get(strip_accents(shown.lower()))
        if same is not None and same not in guesses:
            guesses.insert(0, same)
        end = self.position + len(shown)
        suggestions = tuple(self.text[: self.position] + g + self.text[end:] for g in guesses)
        known = ", ".join(self.magnitudes) or "none"
        return self.error(
            f"unexpected {shown!r} (magnitude words here: {known})",
            suggestions=tuple(s for s in suggestions if s != self.text),
        )

    def read(self) -> Money:
        self.skip_spaces()
        negative = self.sign()
        prefix = self.currency_here()
        if not negative:
            negative = self.sign()
        value = self.number()
        if len(value.as_tuple().digits) > MAX_AMOUNT_DIGITS:
            raise self.error(f"more than {MAX_AMOUNT_DIGITS} digits", 0)
        exponent = self.magnitude()
        suffix = self.currency_here() if prefix is None else None
        if not negative and self.syntax.minus_after:
            negative = self.sign()
        if self.position < len(self.text):
            raise self.leftover(prefix)
        currency = prefix or suffix or self.currency
        if currency is None:
            raise self.error("no currency: the text names none, and no currency= was given", 0)
        if value and value.adjusted() + exponent > _MONEY_EXPONENT:  # "9 tỷ tỷ tỷ tỷ tỷ tỷ tỷ"
            raise self.error(
                f"the amount is about 1E+{value.adjusted() + exponent}, out of range"
                f" (at most 1E+{_MONEY_EXPONENT})",
                0,
            )
        amount = value.scaleb(exponent, context=_CONTEXT)
        if _decimals(amount) < 0:
            amount = amount.quantize(Decimal(1), context=_CONTEXT)
        try:
            return Money(amount.copy_negate() if negative else amount, currency)
        except ValueError as error:
            raise self.error(str(error), 0) from None


@in_own_context
def parse_amount(text: str, locale: str | Locale = "vi", currency: str | None = None) -> Money:
    """Read an amount of money as documents write it, exactly and strictly.

    Reads a number written with the locale's symbols (``901.000.000.000`` in Vietnamese,
    ``901,000,000,000`` in English; spaces of any kind may group the digits too: a
    no-break, narrow no-break, thin or figure space), optionally followed by magnitude
    words (``tỷ``, ``1,5 triệu``, ``nghìn tỷ``, ``billion``) and preceded or followed by
    a currency sign, code or word (``₫``, ``VND``, ``đồng``, ``$``), with an optional
    minus sign (before the amount, or after it where the locale writes it there). Text is
    read in Unicode NFC form, a leading byte order mark (U+FEFF) is ignored, and case does
    not matter in words. The bidi marks babel writes in right-to-left locales (U+200E,
    U+200F, U+061C) are read as spaces between the parts, never as a sign. Another
    invisible character (a zero-width space, say) is an error at its position, not a
    separator. What :func:`format_money` writes reads back, in every locale babel has.

    Strict: a number the locale would not write (``1.5`` in Vietnamese, where ``.``
    groups thousands: is it 1,5 or 15?), a malformed one, or a currency other than
    ``currency`` is an error, never a guess. No currency is assumed either: the text
    names it (``đồng``, ``€``, ``USD``) or ``currency`` gives it, else the text is not
    read (``"1.234"`` in English is no amount of VND, or of anything).

    Args:
        text: the amount.
        locale: a locale tag (``"vi"``, ``"en"``) or a babel ``Locale``: its symbols say
            how numbers are written, and its words (``data/amounts.toml``) which
            magnitude and currency words are read.
        currency: the ISO 4217 code of the amount; a currency named in ``text`` must
            agree. ``None`` (the default) takes the currency from the text, which must
            then name one.

    Returns:
        The exact amount (``1,5 triệu`` is exactly 1 500 000).

    Raises:
        ParseError: the text is not an amount in ``locale``; its ``position`` points at
            the trouble in ``error.text`` (``text`` in NFC, without a leading byte order
            mark) and ``suggestions`` holds readings the text may have meant.
        UnknownLocaleError: babel does not know ``locale``.
        FieldTypeError: ``text`` is not a str.
        MoneyError: ``currency`` is not an ISO 4217 code.

    >>> parse_amount("1,5 triệu đồng")
    Money('1500000', 'VND')
    >>> parse_amount("₫901,000,000,000", "en"), parse_amount("901 billion VND", "en")
    (Money('901000000000', 'VND'), Money('901000000000', 'VND'))
    >>> parse_amount("-$1,234.50", "en")
    Money('-1234.50', 'USD')
    >>> parse_amount("1 250 000,50 €", "fr"), parse_amount("1.234", "en", currency="USD")
    (Money('1250000.50', 'EUR'), Money('1.234', 'USD'))
    >>> parse_amount("1.234", "en")
    Traceback (most recent call last):
    ...
    egovplan.errors.ParseError: cannot read '1.234' as an amount in locale 'en':
    no currency: the text names none, and no currency= was given at position 0
    >>> parse_amount("901 tỷ USD", currency="VND")
    Traceback (most recent call last):
    ...
    egovplan.errors.ParseError: cannot read '901 tỷ USD' as an amount in locale 'vi':
    'USD' names USD, but the amount is in VND at position 7
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"text must be str, not {type(text).__name__}")
    babel_locale = to_babel_locale(locale)
    if currency is not None:
        Money.zero(currency)  # checks the code
    normalized = nfc(text)
    tag = locale if isinstance(locale, str) else str(locale)
    reader = _AmountReader(normalized, babel_locale, tag, currency)
    if len(normalized) > _MAX_TEXT:
        raise reader.error(f"text is longer than {_MAX_TEXT} characters", 0)
    return reader.read()

"""Reading and writing dates the way plans write them.

Vietnamese documents write dates day first: ``ngày 29 tháng 6 năm 2006``, ``01/06/2009``,
``29.10.2010``, ``21/7/2011``. :func:`parse_date` reads all of these (and ISO 8601, and
English ``21 July 2011``); :func:`format_date` writes the formal form of a locale.

>>> parse_date("ngày 29 tháng 6 năm 2006")
datetime.date(2006, 6, 29)
>>> parse_date("01/06/2009"), parse_date("29.10.2010")
(datetime.date(2009, 6, 1), datetime.date(2010, 10, 29))
>>> format_date(parse_date("21/7/2011"), locale="vi")
'ngày 21 tháng 7 năm 2011'
>>> format_date(parse_date("2011-07-21"), locale="en")
'21 July 2011'

The words of spelled-out dates and the formal patterns live in ``data/dates.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from egovplan._data import language_of, load_data, locale_tag
from egovplan._text import alternatives, compiled, normalize, shown
from egovplan.errors import FieldTypeError, FieldValueError, ParseError

__all__ = ["date_at", "format_date", "locale_date", "month_names", "parse_date"]

#: The earliest and latest years a date may have (the same bounds as periods).
_MIN_YEAR: Final = 1900
_MAX_YEAR: Final = 2200


class _Grammar(NamedTuple):
    formats: Mapping[str, str]
    numeric: re.Pattern[str]
    spelled: re.Pattern[str]
    named: re.Pattern[str] | None
    named_first: re.Pattern[str] | None
    months: Mapping[str, int]


def _words(table: Mapping[str, Any], key: str) -> list[str]:
    return [w for words in table.values() for w in words.get(key, [])]


@functools.cache
def _grammar() -> _Grammar:
    data = load_data("dates.toml")
    words = data.get("words", {})
    day, month, year = (alternatives(_words(words, k)) for k in ("day", "month", "year"))
    spelled = re.compile(
        rf"(?:(?:{day})\s*)?(?P<d>\d{{1,2}})\s*(?:{month})\s*(?P<m>\d{{1,2}})\s*,?\s*"
        rf"(?:{year})\s*(?P<y>\d{{4}})",
        re.IGNORECASE,
    )
    numeric = re.compile(
        r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
        r"|(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    )
    months: dict[str, int] = {}
    locales = data.get("month_names", {}).get("locales", [])
    if locales:
        from babel.dates import get_month_names

        for locale in locales:
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, locale=locale).items():
                    months.setdefault(name.casefold(), number)
    named = named_first = None
    if months:
        names = alternatives(list(months))
        named = re.compile(
            rf"(?P<d>\d{{1,2}})\s*(?P<name>{names})\.?\s*,?\s*(?P<y>\d{{4}})", re.IGNORECASE
        )
        named_first = re.compile(
            rf"(?P<name>{names})\.?\s*(?P<d>\d{{1,2}})\s*,?\s*(?P<y>\d{{4}})", re.IGNORECASE
        )
    return _Grammar(
        formats=dict(data.get("formats", {})),
        numeric=numeric,
        spelled=spelled,
        named=named,
        named_first=named_first,
        months=months,
    )


def _build(text: str, year: int, month: int, day: int) -> dt.date:
    """The date, or a ParseError naming ``text`` and saying what is wrong."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ParseError(
            f"cannot read {shown(text)} as a date: year {year} is outside {_MIN_YEAR}..{_MAX_YEAR}",
            text=text,
        )
    if not 1 <= month <= 12:
        hint, suggestions = "", tuple[str, ...]()
        if 1 <= day <= 12:
            swapped = f"{month}/{day}/{year}"
            hint, suggestions = f"; dates are read day first: did you mean {swapped}?", (swapped,)
        raise ParseError(
            f"cannot read {shown(text)} as a date: there is no month {month} (months are 1 to 12)"
            + hint,
            text=text,
            suggestions=suggestions,
        )
    import calendar  # (any year: not needed to load a plan)

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ParseError(
            f"cannot read {shown(text)} as a date: month {month} of {year} has days 1 to {days},"
            f" not {day}",
            text=text,
        )
    return dt.date(year, month, day)


def _match_date(match: re.Match[str], text: str) -> dt.date:
    """The date a match of one of the date patterns names."""
    groups = match.groupdict()
    if groups.get("iso"):
        return _build(text, int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    if groups.get("name"):
        month = _grammar().months[groups["name"].casefold()]
        return _build(text, int(groups["y"]), month, int(groups["d"]))
    return _build(text, int(groups["y"]), int(groups["m"]), int(groups["d"]))


def _date_patterns() -> tuple[re.Pattern[str], ...]:
    g = _grammar()
    return tuple(p for p in (g.spelled, g.numeric, g.named, g.named_first) if p is not None)


def _search_date(text: str, pos: int = 0) -> tuple[dt.date, re.Match[str]] | None:
    """The first date written in ``text`` at or after ``pos``, with its match (private).

    ``text`` must be normalised already. Used by :mod:`egovplan.document` to read the date
    of a citation.
    """
    best: re.Match[str] | None = None
    for pattern in _date_patterns():
        match = pattern.search(text, pos)
        if match and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return None
    return _match_date(best, text), best


def date_at(text: str, pos: int = 0) -> tuple[dt.date, int] | None:
    """The date written at ``pos`` of ``text`` and where it ends, or ``None`` if none starts there.

    For parsers that read a date inside longer text (a document reference's
    ``ngày 29 tháng 6 năm 2006``); of several readings the longest wins. ``text`` must be
    normalised as :func:`parse_date` normalises it.

    >>> date_at("Quyết định ngày 29 tháng 6 năm 2006 của Chính phủ", 11)
    (datetime.date(2006, 6, 29), 35)
    >>> date_at("Quyết định số 1", 11) is None
    True

    Raises:
        ParseError: the text there is a date no calendar has (``31/02/2020``).
        FieldTypeError: ``text`` is not a ``str`` or ``pos`` not an ``int``.
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"date_at() needs text as a str, not {type(text).__name__}")
    if not isinstance(pos, int) or isinstance(pos, bool):
        raise FieldTypeError(f"date_at() needs pos as an int, not {type(pos).__name__}")
    best: re.Match[str] | None = None
    for pattern in _date_patterns():
        match = pattern.match(text, pos)
        if match and (best is None or match.end() > best.end()):
            best = match
    if best is None:
        return None
    return _match_date(best, best.group()), best.end()


def parse_date(text: str, locale: str | None = None) -> dt.date:
    """Read a date written the way documents write it.

    Reads ``ngày 29 tháng 6 năm 2006`` (with or without ``ngày``), numeric dates with
    ``/``, ``.`` or ``-`` (always day first, as in Vietnamese: ``01/06/2009`` is 1 June),
    ISO 8601 (``2011-07-21``) and English ``21 July 2011`` / ``July 21, 2011``. Unicode
    in any normal form, a leading byte order mark, extra spaces and no-break spaces are
    fine.

    With ``locale``, it also reads the dates that locale writes with words, in any case,
    by babel's (CLDR) patterns and month names: Italian ``7 marzo 2005``, German
    ``7. März 2005``, Spanish ``7 de marzo de 2005``, Russian ``7 марта 2005 г.``
    (genitive and nominative month names alike), with or without the weekday.

    >>> parse_date("7 marzo 2005", "it"), parse_date("7. März 2005", "de")
    (datetime.date(2005, 3, 7), datetime.date(2005, 3, 7))

    Args:
        text: the date as written.
        locale: a locale babel knows (``"it"``, ``"pt-BR"``) whose written dates are
            read too.

    Returns:
        The date.

    Raises:
        ParseError: ``text`` is not a date, or names a day that does not exist.
        FieldTypeError: ``text`` is not a str.
        UnknownLocaleError: babel does not know ``locale``.

    >>> parse_date("29 tháng 6 năm 2006"), parse_date(" 21 / 7 / 2011 ")
    (datetime.date(2006, 6, 29), datetime.date(2011, 7, 21))
    >>> parse_date("31/02/2011")
    Traceback (most recent call last):
    ...
    egovplan.errors.ParseError: cannot read '31/02/2011' as a date: month 2 of 2011 has days 1 to 28, not 31
    """  # noqa: E501
    if not isinstance(text, str):
        raise FieldTypeError(f"parse_date() needs str, not {type(text).__name__}")
    clean = normalize(text)
    for pattern in _date_patterns():
        match = pattern.fullmatch(clean)
        if match:
            return _match_date(match, text)
    if locale is not None:
        found = locale_date(clean, locale, _DATE_KINDS)
        if found is not None and found[0] is not None:
            return _build(text, found[2], found[1], found[0])
    raise ParseError(
        f"cannot read {shown(text)} as a date: expected a form such as 'ngày 29 tháng 6 năm 2006',"
        " '29/6/2006', '29.6.2006', '2006-06-29' or '29 June 2006'",
        text=text,
    )


def format_date(date: dt.date, locale: str = "vi", *, pattern: str | None = None) -> str:
    """Write ``date`` the way formal documents of ``locale`` do.

    Vietnamese gives ``ngày 21 tháng 7 năm 2011``, English ``21 July 2011`` (the patterns
    are in ``data/dates.toml``); other locales use babel's long format. ``pattern`` is a
    babel date pattern that overrides the locale's.

    Args:
        date: the date.
        locale: a locale such as ``"vi"``, ``"en"`` or ``"fr_FR"``.
        pattern: a babel (CLDR) date pattern, such as ``"dd/MM/y"``.

    Returns:
        The date as text.

    Raises:
        FieldTypeError: ``date`` is not a ``datetime.date`` (or is a ``datetime``), or
            ``locale`` or ``pattern`` is not a str.
        FieldValueError: ``pattern`` asks for a field a date does not have (a time zone).
        UnknownLocaleError: babel does not know ``locale``.

    >>> import datetime
    >>> format_date(datetime.date(2009, 6, 1), "vi", pattern="dd/MM/y")
    '01/06/2009'
    """
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise FieldTypeError(f"format_date() needs datetime.date, not {type(date).__name__}")
    locale_tag(locale)
    if pattern is not None and not isinstance(pattern, str):
        raise FieldTypeError(f"pattern must be a str or None, not {type(pattern).__name__}")
    from babel.dates import format_date as babel_format_date

    babel_locale = _babel_locale(locale)
    if pattern is None:
        formats = _grammar().formats
        pattern = formats.get(locale, formats.get(language_of(locale), "long"))
    try:
        return str(babel_format_date(date, pattern, locale=babel_locale))
    except (ValueError, KeyError, AttributeError) as error:  # fields a date does not have
        raise FieldValueError(
            f"format_date() cannot write a date with pattern {pattern!r}: {error}"
        ) from None


# ---------------------------------------------------------------------------------------
# Any locale babel knows: its month names (every width and context, so genitive and
# stand-alone forms alike) and its date patterns, turned into regular expressions.


def _babel_locale(locale: str) -> Any:
    """The babel ``Locale`` for ``locale`` (``"it"``, ``"pt-BR"``), or UnknownLocaleError."""
    from egovplan.amounts import to_babel_locale

    return to_babel_locale(locale)


@functools.cache
def month_names(locale: str) -> Mapping[str, int]:
    """Every name ``locale`` gives a month, case-folded, with the month's number.

    The names are babel's (CLDR): wide and abbreviated, in the format context (which
    is the genitive in languages that have one: Russian "марта", Polish "marca") and
    stand-alone (nominative: "март", "marzec"); an abbreviation is also known without its
    final dot.

    >>> month_names("it")["dicembre"], month_names("pl")["marca"], month_names("pl")["marzec"]
    (12, 3, 3)
    """
    babel_locale = _babel_locale(locale)
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in babel_locale.months[context][width].items():
                folded = normalize(str(name)).casefold()
                names.setdefault(folded, number)
                names.setdefault(folded.rstrip("."), number)
    return names


#: A CLDR pattern's fields: a run of one letter, a quoted literal, or anything else
#: (compiled on first use).
_PATTERN_TOKEN: Final = r"'(?:[^']|'')*'|([A-Za-z])\1*|\s+|[^A-Za-z'\s]+"


def _pattern_regex(pattern: str, names: str, weekdays: str) -> str | None:
    """A regular expression reading what CLDR ``pattern`` writes, or None if it cannot.

    Days, months and years are named groups ``d``, ``m`` (a number), ``name`` (a month's
    name) and ``y``; a weekday (one of ``weekdays``) or an era is skipped; literal text is
    optional.
    """
    out: list[str] = []
    for match in compiled(_PATTERN_TOKEN).finditer(pattern):
        token = match.group(0)
        letter = match.group(1)
        if letter is None:
            if token.isspace():
                out.append(r"\s*")
                continue
            literal = token[1:-1].replace("''", "'") if token.startswith("'") else token
            literal = normalize(literal).casefold()
            if literal.strip():
                out.append(rf"(?:{re.escape(literal.strip())})?\s*")
            continue
        if letter == "d":
            out.append(r"(?P<d>\d{1,2})")
        elif letter in "ML" and len(token) <= 2:
            out.append(r"(?P<m>\d{1,2})")
        elif letter in "ML":
            out.append(rf"(?P<name>{names})\.?")
        elif letter == "y":
            out.append(r"(?P<y>\d{4})")
        elif letter in "Ec":
            out.append(rf"(?:(?:{weekdays})\.?)?")
        elif letter == "G":
            out.append(r"(?:\S+)?")
        else:
            return None
    return "".join(out)


@functools.cache
def _locale_patterns(locale: str, kinds: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """``locale``'s patterns for ``kinds`` (``"long"``, or a skeleton such as ``"yMMMM"``).

    A kind the locale lacks, or whose pattern this cannot read, is left out.
    """
    babel_locale = _babel_locale(locale)
    names = alternatives(list(month_names(locale)))
    weekdays = alternatives(
        [
            normalize(str(name))
            for context in ("format", "stand-alone")
            for width in ("wide", "abbreviated", "short")
            for name in babel_locale.days[context][width].values()
        ]
    )
    out: list[re.Pattern[str]] = []
    for kind in kinds:
        if kind in ("full", "long", "medium", "short"):
            pattern = babel_locale.date_formats[kind].pattern
        else:
            skeleton = babel_locale.datetime_skeletons.get(kind)
            if skeleton is None:
                continue
            pattern = skeleton.pattern
        regex = _pattern_regex(pattern, names, weekdays)
        if regex is not None:
            compiled = re.compile(regex.strip().removesuffix(r"\s*"), re.IGNORECASE)
            if compiled not in out:
                out.append(compiled)
    return tuple(out)


def locale_date(
    text: str, locale: str, kinds: tuple[str, ...]
) -> tuple[int | None, int, int] | None:
    """``(day, month, year)`` of ``text`` read by one of ``locale``'s ``kinds`` of pattern.

    ``kinds`` are babel's (CLDR) date formats (``"long"``, ``"medium"``) or skeletons
    (``"yMMMM"``: a month and a year). ``text`` is normalised already (as
    :func:`parse_date` normalises it); the day is None for a pattern without one, and
    the result None when no pattern reads the whole text.

    >>> locale_date("dicembre 2023", "it", ("yMMMM",)), locale_date("7 marzo 2005", "it", ("long",))
    ((None, 12, 2023), (7, 3, 2005))

    Raises:
        UnknownLocaleError: babel does not know ``locale``.
        FieldTypeError: ``text`` is not a ``str``, or ``kinds`` not a tuple of ``str``.
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"locale_date() needs text as a str, not {type(text).__name__}")
    if not isinstance(kinds, tuple) or not all(isinstance(kind, str) for kind in kinds):
        raise FieldTypeError(
            f"locale_date() needs kinds as a tuple of str, not {type(kinds).__name__}"
        )
    folded = text.casefold()
    for pattern in _locale_patterns(locale, kinds):
        match = pattern.fullmatch(folded)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("name"):
            month = month_names(locale)[groups["name"].casefold()]
        else:
            month = int(groups["m"])
        day = int(groups["d"]) if groups.get("d") else None
        return day, month, int(groups["y"])
    return None


#: The patterns of a date a locale writes with its month's name (or numbers, for some).
_DATE_KINDS: Final = ("full", "long", "medium")

"""Months and days as plans write them: what `period` and `when` both read and write.

A :class:`~egovplan.when.When` is a year, a quarter, a month or a day; a
:class:`~egovplan.period.Period` may start or end on a month or a day. Both read a time
from text and write a month or a day the same way, so that reading and writing live
here, below both, on plain numbers: :func:`read_time` finds the year, quarter, month and
day a text names (without judging them: ``when`` builds a ``When`` of them, ``period`` a
first and a last day), :func:`format_month` and :func:`format_day` write them. A year or
a quarter written in words (``Quý III/2024``) is read and written by ``period``.

The words and the written forms live in ``data/when.toml``; month names and the ways a
locale writes a month or a day come from babel's locale data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

import attrs

from egovplan._data import language_of, load_data
from egovplan._text import alternatives_in, normalize
from egovplan.errors import ParseError

__all__ = [
    "COMPACT",
    "Days",
    "Grammar",
    "days_in_month",
    "format_day",
    "format_month",
    "forms",
    "grammar",
    "read_time",
]

#: The compact form of a time: ``2024``, ``2024-q3``, ``2024-06``, ``2024-06-30``, each
#: perhaps after ``by`` (matched against casefolded text).
COMPACT: Final = re.compile(
    r"(?:(?P<by>by)\s+)?(?P<y>\d{4})(?:-q(?P<q>\d)|-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
)


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1 to 12) of ``year``, for a time already checked.

    What ``calendar.monthrange(year, month)[1]`` gives, without importing :mod:`calendar`
    (and :mod:`locale` with it) to load a plan.

    >>> [days_in_month(2024, 2), days_in_month(2023, 2), days_in_month(2024, 4)]
    [29, 28, 30]
    >>> days_in_month(2024, 12)
    31
    """
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


class Days(Protocol):
    """A span of days known by its first and last (a :class:`~egovplan.when.When`).

    ``period`` takes a time by these two days rather than by its class, because
    ``when`` builds on ``period``.
    """

    @property
    def first_day(self) -> dt.date:
        """The first day of the span."""

    @property
    def last_day(self) -> dt.date:
        """The last day of the span."""


@attrs.frozen
class Grammar:
    """The words of ``data/when.toml``, compiled: the forms by locale, and the leads."""

    formats: Mapping[str, Mapping[str, str]]
    by: re.Pattern[str]
    in_: re.Pattern[str]
    month: re.Pattern[str]


@functools.cache
def grammar() -> Grammar:
    """The grammar of times, built once, on first use."""
    data = load_data("when.toml")
    tables: Mapping[str, Mapping[str, Sequence[str]]] = data["words"]

    words = functools.partial(alternatives_in, tables)

    def lead(*keys: str) -> re.Pattern[str]:
        either = "|".join(words(key) for key in keys)
        return re.compile(rf"(?:{either})(?:\s+|(?=\d))", re.IGNORECASE)

    month_words = words("month")
    month_lead = rf"(?:(?:{month_words})\s*)?" if month_words else ""
    return Grammar(
        formats=data["formats"],
        by=lead("by"),
        in_=lead("from", "in"),
        month=re.compile(
            rf"{month_lead}(?P<m>\d{{1,2}})\s*(?:[/.\-]|\s(?:{words('in')})\s)\s*(?P<y>\d{{4}})",
            re.IGNORECASE,
        ),
    )


def forms(locale: str) -> Mapping[str, str]:
    """How ``locale`` (or its language) writes times; empty for a locale not listed."""
    formats = grammar().formats
    return formats.get(locale) or formats.get(language_of(locale)) or {}


def _default_locales() -> tuple[str, ...]:
    return tuple(grammar().formats)


def _compact(match: re.Match[str], *, by: bool) -> dict[str, Any]:
    return {
        "year": int(match["y"]),
        "quarter": None if match["q"] is None else int(match["q"]),
        "month": None if match["m"] is None else int(match["m"]),
        "day": None if match["d"] is None else int(match["d"]),
        "by": by,
    }


def read_time(text: str, locale: str | None) -> tuple[dict[str, Any] | None, str, bool]:
    """The time ``text`` names in its compact form or as a month or a day.

    Returns the fields of a :class:`~egovplan.when.When` (``year``, ``quarter``,
    ``month``, ``day``, ``by``) as read, not checked (a month may be 13), or None when
    the text is none of those forms; then the text after a word of a deadline or a time
    (``trước``, ``in``), and whether that word was one of a deadline.

    Raises:
        UnknownLocaleError: babel does not know ``locale``.
    """
    clean = normalize(text)
    compact = COMPACT.fullmatch(clean.casefold())
    if compact is not None:
        by = compact["by"] is not None
        return _compact(compact, by=by), clean, by
    g = grammar()
    by = False
    rest = clean
    match = g.by.match(rest)
    if match is not None:
        by, rest = True, rest[match.end() :]
    else:
        match = g.in_.match(rest)
        if match is not None:
            rest = rest[match.end() :]
    rest = rest.strip().rstrip(".,;")
    compact = COMPACT.fullmatch(rest.casefold())
    if compact is not None and compact["by"] is None:
        return _compact(compact, by=by), rest, by
    month = g.month.fullmatch(rest)
    if month is not None:
        fields = {"year": int(month["y"]), "quarter": None, "month": int(month["m"])}
        return {**fields, "day": None, "by": by}, rest, by
    locales = _default_locales() + (() if locale is None else (locale,))
    from egovplan.dates import locale_date, parse_date

    for each in locales:
        found = locale_date(rest, each, ("yMMMM", "yMMM"))
        if found is not None:
            fields = {"year": found[2], "quarter": None, "month": found[1]}
            return {**fields, "day": None, "by": by}, rest, by
    try:
        day = parse_date(rest, locale)
    except ParseError:
        return None, rest, by
    fields = {"year": day.year, "quarter": None, "month": day.month}
    return {**fields, "day": day.day, "by": by}, rest, by


def format_month(year: int, month: int, locale: str) -> str:
    """A month as ``locale`` writes it: ``tháng 6/2024`` (vi), ``June 2024`` (en).

    Raises:
        UnknownLocaleError: babel does not know ``locale``.
    """
    from egovplan.amounts import to_babel_locale

    babel_locale = to_babel_locale(locale)
    written = forms(locale)
    if "month" in written:
        return written["month"].format(month=month, year=year)
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=babel_locale)


def format_day(day: dt.date, locale: str) -> str:
    """A day as ``locale`` writes it: ``ngày 30 tháng 6 năm 2024`` (vi), ``30 June 2024``.

    Raises:
        UnknownLocaleError: babel does not know ``locale``.
    """
    from egovplan.amounts import to_babel_locale
    from egovplan.dates import format_date

    to_babel_locale(locale)
    return format_date(day, locale)

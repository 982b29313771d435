"""Periods of time that plans are written in: years, ranges of years, quarters.

A :class:`Period` is a closed range of :class:`Quarter` values. A year is the range from
its first to its fourth quarter; ``giai đoạn 2021–2025`` is 2021 Q1 to 2025 Q4.

>>> p = Period.years(2021, 2025)
>>> p.contains(Period.year(2023)), p.contains(Period.year(2026))
(True, False)
>>> str(Period.quarters(Quarter(2018, 1), Quarter(2018, 2)))
'Q1-Q2 2018'

:meth:`Period.parse` reads the Vietnamese and English forms plans use, and
:meth:`Period.format` writes them:

>>> Period.parse("giai đoạn 2021–2025") == Period.years(2021, 2025)
True
>>> str(Period.parse("Quý I-II/2018")), Period.parse("Q3 2018 - Q2 2019").format("vi")
('Q1-Q2 2018', 'Quý III/2018–Quý II/2019')

The words and the written forms live in ``data/period.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import attrs

from egovplan._calendar import Days, days_in_month, format_day, format_month, read_time
from egovplan._data import language_of, load_data, locale_tag
from egovplan._text import alternatives, alternatives_in, compiled, normalize, shown
from egovplan.errors import FieldTypeError, FieldValueError, ParseError

__all__ = ["MAX_YEAR", "MIN_YEAR", "Period", "Quarter"]

#: The earliest and latest years a period may name.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2200


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _check_year(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(
            f"{_where(instance, attribute)} must be int, not {type(value).__name__}"
        )
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise FieldValueError(
            f"{_where(instance, attribute)} {value} is outside {MIN_YEAR}..{MAX_YEAR}"
        )


def _check_quarter_number(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(
            f"{_where(instance, attribute)} must be int, not {type(value).__name__}"
        )
    if not 1 <= value <= 4:
        raise FieldValueError(
            f"{_where(instance, attribute)} {value} is not a quarter; quarters are 1 to 4"
        )


def _check_quarter(instance: object, attribute: attrs.Attribute[Quarter], value: Quarter) -> None:
    if not isinstance(value, Quarter):
        raise FieldTypeError(
            f"{_where(instance, attribute)} must be Quarter, not {type(value).__name__}"
        )


@attrs.frozen(order=True)
class Quarter:
    """One quarter of one year.

    >>> Quarter(2018, 2)
    Quarter(year=2018, number=2)
    >>> Quarter(2018, 2).first_day, Quarter(2018, 2).last_day
    (datetime.date(2018, 4, 1), datetime.date(2018, 6, 30))
    >>> Quarter(2018, 5)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: Quarter.number 5 is not a quarter; quarters are 1 to 4
    """

    year: int = attrs.field(validator=_check_year)
    number: int = attrs.field(validator=_check_quarter_number)

    @property
    def first_day(self) -> dt.date:
        """The first day of the quarter."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the quarter."""
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def index(self) -> int:
        """A running number: consecutive quarters have consecutive indexes."""
        return self.year * 4 + self.number - 1

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        """The quarter ``day`` falls in.

        >>> Quarter.containing(dt.date(2018, 8, 15))
        Quarter(year=2018, number=3)
        """
        if not isinstance(day, dt.date):
            raise FieldTypeError(
                f"Quarter.containing() needs a datetime.date, not {type(day).__name__}"
            )
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str, *, year: int | None = None) -> Quarter:
        """Read one quarter: ``Quý II/2018``, ``quý 2 năm 2018``, ``Q2 2018``, ``2018-Q2``.

        Args:
            text: the quarter as written (Roman or Arabic number, any dash, any case).
            year: the year, for text that names a quarter without one (``Quý II``).

        Returns:
            The quarter.

        Raises:
            ParseError: ``text`` is not one quarter.

        >>> Quarter.parse("Quý II/2018"), Quarter.parse("2018Q3")
        (Quarter(year=2018, number=2), Quarter(year=2018, number=3))
        >>> Quarter.parse("Quý I-II/2018")
        Traceback (most recent call last):
        ...
        egovplan.errors.ParseError: cannot read 'Quý I-II/2018' as a quarter: it names Q1-Q2 2018
        """
        period = Period.parse(text, year=year)
        if period.start != period.end or period.is_exact:
            raise ParseError(
                f"cannot read {shown(text)} as a quarter: it names {period}", text=text
            )
        return period.start

    def format(self, locale: str = "vi") -> str:
        """The quarter as ``locale`` writes it: ``Quý II/2018`` (vi), ``Q2 2018`` (en).

        >>> Quarter(2018, 2).format("vi"), Quarter(2018, 2).format("en")
        ('Quý II/2018', 'Q2 2018')
        """
        return Period(self, self).format(locale)

    def __str__(self) -> str:
        return f"Q{self.number} {self.year}"


def _check_bound(instance: Period, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if type(value) is not dt.date:
        raise FieldTypeError(
            f"{_where(instance, attribute)} must be datetime.date or None,"
            f" not {type(value).__name__}"
        )
    quarter = instance.start if attribute.name == "start_day" else instance.end
    if Quarter.containing(value) != quarter:
        raise FieldValueError(
            f"{_where(instance, attribute)} {value.isoformat()} is not in"
            f" {attribute.name.removesuffix('_day')} quarter {quarter}"
        )


@functools.total_ordering
@attrs.frozen(order=False, repr=False)
class Period:
    """A closed range of quarters, months or days: years, quarters, or from a month or a day.

    A period is a year, several years, a quarter or several quarters, or runs from a month
    or a day to another.

    ``start`` and ``end`` are the quarters the period starts and ends in; a period that
    starts or ends inside a quarter (``tháng 3/2024 – tháng 6/2026``, ``from 15 March
    2024``) also holds its exact first or last day in ``start_day`` / ``end_day``, which
    must lie in ``start`` / ``end``. A bound that falls on its quarter's first (last) day
    is not held: ``Period.between(date(2024, 1, 1), date(2024, 12, 31))`` is the year
    2024. Construct with :meth:`year`, :meth:`years`, :meth:`quarter`, :meth:`quarters`,
    :meth:`between` or :meth:`parse`. Periods order by first day, then last day.

    >>> Period.year(2018) == Period.quarters(Quarter(2018, 1), Quarter(2018, 4))
    True
    >>> Period.years(2021, 2025).overlaps(Period.years(2025, 2030))
    True

    A period that ends before it starts is well formed: it is built (and read from a
    file) as written, holds no quarter, and validation reports it (EGP501).

    >>> Period.years(2025, 2021).year_list
    ()
    """

    start: Quarter = attrs.field(validator=_check_quarter)
    end: Quarter = attrs.field(validator=_check_quarter)
    start_day: dt.date | None = attrs.field(default=None, validator=_check_bound, kw_only=True)
    end_day: dt.date | None = attrs.field(default=None, validator=_check_bound, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.start_day is not None and self.start_day == self.start.first_day:
            object.__setattr__(self, "start_day", None)
        if self.end_day is not None and self.end_day == self.end.last_day:
            object.__setattr__(self, "end_day", None)

    def __repr__(self) -> str:
        bounds = "".join(
            f", {name}={getattr(self, name)!r}"
            for name in ("start_day", "end_day")
            if getattr(self, name) is not None
        )
        return f"Period(start={self.start!r}, end={self.end!r}{bounds})"

    def _key(self) -> tuple[dt.date, dt.date]:
        return (self.first_day, self.last_day)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @classmethod
    def between(cls, first: dt.date | Days, last: dt.date | Days) -> Period:
        """The days from ``first`` to ``last``, both included.

        A :class:`~egovplan.when.When` stands for its first day at the start and its last
        day at the end.

        >>> from egovplan.when import When
        >>> str(Period.between(When(2024, month=3), When(2026, month=6)))
        '2024-03..2026-06'
        >>> str(Period.between(dt.date(2024, 3, 15), dt.date(2026, 12, 31)))
        '2024-03-15..2026-12-31'
        >>> Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31)).format("en")
        '2021–2025'
        """
        days: list[dt.date] = []
        for name, value in (("first", first), ("last", last)):
            # A time (``when`` builds on this module) is known by its first and last day.
            day = getattr(value, "first_day" if name == "first" else "last_day", None)
            if type(value) is dt.date:
                days.append(value)
            elif type(day) is dt.date and not isinstance(value, Period | Quarter):
                days.append(day)
            else:
                raise FieldTypeError(
                    f"Period.between() {name} must be a datetime.date or a When,"
                    f" not {type(value).__name__}"
                )
        return cls(
            Quarter.containing(days[0]),
            Quarter.containing(days[1]),
            start_day=days[0],
            end_day=days[1],
        )

    @property
    def is_exact(self) -> bool:
        """Whether the period starts or ends inside a quarter (on a month or a day)."""
        return self.start_day is not None or self.end_day is not None

    @property
    def is_months(self) -> bool:
        """Whether the period starts on a first and ends on a last day of a month."""
        last = self.last_day
        return self.first_day.day == 1 and (last + dt.timedelta(days=1)).day == 1

    @classmethod
    def year(cls, year: int) -> Period:
        """The whole of ``year``."""
        return cls(Quarter(year, 1), Quarter(year, 4))

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        """The years ``first`` to ``last``, both included."""
        return cls(Quarter(first, 1), Quarter(last, 4))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """One quarter."""
        q = Quarter(year, number)
        return cls(q, q)

    @classmethod
    def quarters(cls, first: Quarter, last: Quarter) -> Period:
        """The quarters ``first`` to ``last``, both included."""
        return cls(first, last)

    @property
    def is_whole_years(self) -> bool:
        """Whether the period starts on 1 January and ends on 31 December."""
        return self.start.number == 1 and self.end.number == 4 and not self.is_exact

    @property
    def first_year(self) -> int:
        """The year the period starts in."""
        return self.start.year

    @property
    def last_year(self) -> int:
        """The year the period ends in."""
        return self.end.year

    @property
    def is_reversed(self) -> bool:
        """Whether the period ends before it starts (it then holds no day)."""
        return self.last_day < self.first_day

    @property
    def year_list(self) -> tuple[int, ...]:
        """Every year the period touches, in order (none for a reversed period).

        >>> Period.years(2021, 2023).year_list
        (2021, 2022, 2023)
        """
        if self.is_reversed:
            return ()
        return tuple(range(self.start.year, self.end.year + 1))

    @property
    def quarter_list(self) -> tuple[Quarter, ...]:
        """Every quarter the period touches, in order (none for a reversed period)."""
        if self.is_reversed:
            return ()
        return tuple(
            Quarter(i // 4, i % 4 + 1) for i in range(self.start.index, self.end.index + 1)
        )

    @property
    def first_day(self) -> dt.date:
        """The first day of the period."""
        return self.start.first_day if self.start_day is None else self.start_day

    @property
    def last_day(self) -> dt.date:
        """The last day of the period."""
        return self.end.last_day if self.end_day is None else self.end_day

    def contains(self, other: Period | Quarter | int | dt.date | Days) -> bool:
        """Whether ``other`` (a period, quarter, year, day or time) lies wholly inside this period.

        A time (:class:`~egovplan.when.When`), or anything else with a ``first_day`` and
        a ``last_day``, lies inside when both its days do. (``when`` builds on this
        module, so a time is known by those two days, not by its class.)

        >>> Period.years(2021, 2025).contains(2025), Period.year(2018).contains(Quarter(2019, 1))
        (True, False)
        >>> from egovplan.when import When
        >>> Period.year(2018).contains(When(2018, month=3, day=30, by=True))
        True
        """
        if isinstance(other, Period | Quarter):
            return self.first_day <= other.first_day and other.last_day <= self.last_day
        if isinstance(other, dt.date):
            return self.first_day <= other <= self.last_day
        if isinstance(other, int) and not isinstance(other, bool):
            return self.start.year <= other <= self.end.year and self.is_whole_years_of(other)
        first, last = getattr(other, "first_day", None), getattr(other, "last_day", None)
        if isinstance(first, dt.date) and isinstance(last, dt.date):  # a When
            return self.first_day <= first and last <= self.last_day
        raise FieldTypeError(
            f"Period.contains() takes a Period, Quarter, int year, date or When, not"
            f" {type(other).__name__}"
        )

    def is_whole_years_of(self, year: int) -> bool:
        """Whether every day of ``year`` is inside this period."""
        return self.first_day <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= self.last_day

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        if not isinstance(other, Period):
            raise FieldTypeError(f"Period.overlaps() needs a Period, not {type(other).__name__}")
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    @classmethod
    def parse(cls, text: str, *, year: int | None = None, locale: str | None = None) -> Period:
        """Read a period written in Vietnamese or English (or, with ``locale``, another language).

        Reads a year (``2018``, ``năm 2018``), a range of years (``2021–2025``,
        ``giai đoạn 2021-2025``, ``2016 to 2020``), a quarter (``Quý II/2018``, ``Quý 2/2018``,
        ``quý II năm 2018``, ``Q2 2018``, ``Q2/2018``, ``2018-Q2``, ``2018Q2``) and a range
        of quarters (``Quý I–Quý IV 2018``, ``Quý I-II/2018``, ``Quý I, II/2018``,
        ``Q1-Q2 2018``, ``Q3 2018-Q2 2019``). Quarter numbers may be Roman or Arabic; any
        dash, any case, any Unicode normal form and extra spaces are fine. It also reads
        periods from a month or a day to another: the compact ``2024-03..2026-06`` and
        ``2024-03-15..2026-12-31``, and two times :meth:`When.parse
        <egovplan.when.When.parse>` reads joined by a dash or a word such as ``đến`` or
        ``to`` (``tháng 3/2024 - tháng 6/2026``, ``từ ngày 15/3/2024 đến ngày 31/12/2026``,
        ``March 2024 – June 2026``, ``Q2 2024 – August 2024``); one month or day alone
        (``tháng 3/2024``) is a period too. ``str(period)`` and :meth:`format` give text
        this reads back.

        Args:
            text: the period as written.
            year: the year of quarters written without one (``Quý I-II``); without it such
                text is an error. Text that names its own year keeps it.
            locale: a locale babel knows whose written months and days are read too
                (``marzo 2024 – giugno 2026`` with ``"it"``); Vietnamese and English are
                always read.

        Returns:
            The period.

        Raises:
            ParseError: the text is not a period, names a quarter that does not exist
                (``Quý V``), a year outside the supported range, or quarters without a
                year when ``year`` is not given. A range that ends before it starts
                (``2025-2021``) is read as written; validation reports it (EGP501).
            UnknownLocaleError: babel does not know ``locale``.

        >>> Period.parse("Quý I–Quý IV", year=2018) == Period.year(2018)
        True
        >>> str(Period.parse("tháng 3/2024 - tháng 6/2026"))
        '2024-03..2026-06'
        >>> str(Period.parse("từ ngày 15/3/2024 đến ngày 31/12/2026"))
        '2024-03-15..2026-12-31'
        >>> Period.parse("marzo 2024 – giugno 2026", locale="it") == Period.parse("2024-03..2026-06")
        True
        >>> Period.parse("Quý I-II")
        Traceback (most recent call last):
        ...
        egovplan.errors.ParseError: cannot read 'Quý I-II' as a period: it names quarters but no year; pass year= to say which
        """  # noqa: E501
        if not isinstance(text, str):
            raise FieldTypeError(f"Period.parse() needs str, not {type(text).__name__}")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise FieldTypeError(
                f"Period.parse() year must be int or None, not {type(year).__name__}"
            )
        if locale is not None and not isinstance(locale, str):
            raise FieldTypeError(
                f"Period.parse() locale must be a str or None, not {type(locale).__name__}"
            )
        return _parse_period(text, year, locale)

    def format(self, locale: str = "vi") -> str:
        """The period as ``locale`` writes it.

        Vietnamese: ``năm 2018``, ``giai đoạn 2021–2025``, ``Quý II/2018``,
        ``Quý I–II/2018``, ``Quý III/2018–Quý II/2019``; English: ``2018``, ``2021–2025``,
        ``Q2 2018``, ``Q1–Q2 2018``, ``Q3 2018–Q2 2019``. Other locales fall back to their
        language, then to English (the forms are in ``data/period.toml``).
        :meth:`parse` reads every form back.

        >>> Period.years(2021, 2025).format("vi"), Period.years(2021, 2025).format("en")
        ('giai đoạn 2021–2025', '2021–2025')
        >>> Period.quarters(Quarter(2018, 1), Quarter(2018, 2)).format("vi")
        'Quý I–II/2018'

        A period from a month or a day to another writes its ends as :meth:`When.format
        <egovplan.when.When.format>` does, in any locale babel knows:

        >>> Period.parse("2024-03..2026-06").format("vi")
        'tháng 3/2024–tháng 6/2026'
        >>> Period.parse("2024-03-15..2026-12-31").format("en")
        '15 March 2024–31 December 2026'
        >>> Period.parse("2024-03-15..2026-12-31").format("vi")
        'từ ngày 15 tháng 3 năm 2024 đến ngày 31 tháng 12 năm 2026'
        """
        forms = _forms(locale)
        if self.is_exact:
            return self._format_exact(locale, forms)
        roman = forms.get("numerals") == "roman"

        def num(q: Quarter) -> str:
            return _grammar().numerals[q.number - 1] if roman else str(q.number)

        start, end = self.start, self.end
        if self.is_whole_years:
            if start.year == end.year:
                return str(forms["year"]).format(year=start.year)
            return str(forms["years"]).format(first=start.year, last=end.year)
        if start == end:
            return str(forms["quarter"]).format(q=num(start), year=start.year)
        if start.year == end.year:
            return str(forms["quarters"]).format(q1=num(start), q2=num(end), year=start.year)
        return str(forms["quarters_across"]).format(
            q1=num(start), year1=start.year, q2=num(end), year2=end.year
        )

    def _format_exact(self, locale: str, forms: Mapping[str, str]) -> str:
        first, last = self.first_day, self.last_day
        if self.is_months:
            if (first.year, first.month) == (last.year, last.month):
                return format_month(first.year, first.month, locale)
            ends = [format_month(d.year, d.month, locale) for d in (first, last)]
            form = forms.get("months") or _grammar().formats["en"]["months"]
        else:
            if first == last:
                return format_day(first, locale)
            ends = [format_day(d, locale) for d in (first, last)]
            form = forms.get("days") or _grammar().formats["en"]["days"]
        return form.format(first=ends[0], last=ends[1])

    def __str__(self) -> str:
        if self.is_exact:
            if self.is_months:
                first, last = (f"{d:%Y-%m}" for d in (self.first_day, self.last_day))
            else:
                first, last = self.first_day.isoformat(), self.last_day.isoformat()
            return f"{first}..{last}"
        if self.is_whole_years:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}-{self.end.year}"
        if self.start == self.end:
            return str(self.start)
        if self.start.year == self.end.year:
            return f"Q{self.start.number}-Q{self.end.number} {self.start.year}"
        return f"{self.start}-{self.end}"


# ---------------------------------------------------------------------------------------
# Parsing. The words come from data/period.toml; the grammar is built once, on first use.

_N: Final = r"\d{1,2}|[ivxlc]{1,4}"


class _Grammar(NamedTuple):
    """The words of periods, and the regexes reading them.

    The regexes are kept as text: each is compiled when a period first needs it, through
    :func:`~egovplan._text.compiled`.
    """

    numerals: tuple[str, ...]
    formats: Mapping[str, Mapping[str, str]]
    lead: str
    from_: str
    listed: str
    patterns: tuple[tuple[str, str], ...]
    split: str


@functools.cache
def _grammar() -> _Grammar:
    data = load_data("period.toml")
    tables: Mapping[str, Mapping[str, list[str]]] = data["words"]

    words = functools.partial(alternatives_in, tables)

    qw, yw, of, to, and_ = (words(k) for k in ("quarter", "year", "of", "to", "and"))

    def qn(name: str) -> str:
        return rf"(?:{qw})\s?(?P<{name}>{_N})"

    def qn2(name: str) -> str:
        return rf"(?:(?:{qw})\s?)?(?P<{name}>{_N})"

    def y(name: str) -> str:
        return rf"(?:(?:{yw})\s)?(?P<{name}>\d{{4}})"

    j1 = rf"(?:/|-|,?\s(?:(?:{of})\s)?)"
    j2 = r"(?:-|\s)?"
    rng = rf"(?:-|\s(?:{to})\s)"
    lst = rf"(?:,|\s(?:{and_})\s)"
    patterns = {
        "year": y("y1"),
        "years": rf"{y('y1')}{rng}{y('y2')}",
        "quarters": rf"{qn('n1')}(?:{rng}{qn2('n2')})?(?:{j1}{y('y1')})?",
        "list": rf"{qn('n1')}(?P<more>(?:{lst}(?:(?:{qw})\s?)?(?:{_N}))+)(?:{j1}{y('y1')})?",
        "year_first": rf"{y('y1')}{j2}{qn('n1')}(?:{rng}{qn2('n2')})?",
        "across": (
            rf"(?:{qn('n1')}{j1}{y('y1')}|{y('y1b')}{j2}{qn('n1b')})"
            rf"{rng}(?:{qn('n2')}{j1}{y('y2')}|{y('y2b')}{j2}{qn('n2b')})"
        ),
    }
    from_words = [w for t in tables.values() for w in t.get("from", [])]
    lead_words = [w for t in tables.values() for w in t.get("lead", [])] + from_words
    return _Grammar(
        numerals=tuple(str(n) for n in data["quarter_numerals"]),
        formats=data["formats"],
        lead=rf"(?:{alternatives(lead_words)})\s",
        from_=rf"(?:{alternatives(from_words)})\s" if from_words else "$^",
        listed=rf"{lst}(?:(?:{qw})\s?)?({_N})",
        patterns=tuple(patterns.items()),
        split=rf"\s*-\s*|\s+(?:{to})\s+",
    )


def _forms(locale: str) -> Mapping[str, str]:
    formats = _grammar().formats
    return formats.get(locale_tag(locale)) or formats.get(language_of(locale)) or formats["en"]


def _quarter_number(text: str, numeral: str) -> int:
    """The number a quarter numeral (Roman or Arabic) stands for, checked to be 1 to 4."""
    if numeral.isdigit():
        number = int(numeral)
    else:
        roman = [n.casefold() for n in _grammar().numerals]
        extra = {"v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
        number = roman.index(numeral) + 1 if numeral in roman else extra.get(numeral, 0)
        if number == 0:
            raise ParseError(
                f"cannot read {shown(text)} as a period:"
                f" {numeral.upper()!r} is not a quarter number",
                text=text,
            )
    if not 1 <= number <= 4:
        raise ParseError(
            f"cannot read {shown(text)} as a period: there is no quarter {numeral.upper()}"
            " (quarters are I to IV, or 1 to 4)",
            text=text,
        )
    return number


_COMPACT: Final = re.compile(
    r"(?P<y1>\d{4})-(?P<m1>\d{2})(?:-(?P<d1>\d{2}))?\.\.(?P<y2>\d{4})-(?P<m2>\d{2})(?:-(?P<d2>\d{2}))?"
)


def _parse_period(text: str, year: int | None, locale: str | None = None) -> Period:
    compact = _COMPACT.fullmatch(normalize(text).strip())
    if compact is not None:
        return _from_compact(text, compact)
    found = _parse_quarters(text, year)
    if found is not None:
        return found
    found = _parse_exact(text, locale)
    if found is not None:
        return found
    raise ParseError(
        f"cannot read {shown(text)} as a period: expected a year ('2018'), a range of years"
        " ('2021-2025'), a quarter ('Quý II/2018', 'Q2 2018'), a range of quarters"
        " ('Quý I-II/2018', 'Q3 2018-Q2 2019') or of months or days ('2024-03..2026-06',"
        " 'tháng 3/2024 - tháng 6/2026', '15 March 2024 - 31 December 2026')",
        text=text,
    )


def _from_compact(text: str, match: re.Match[str]) -> Period:
    def day(n: str, last: bool) -> dt.date:
        y, m, d = match[f"y{n}"], int(match[f"m{n}"]), match[f"d{n}"]
        if d is not None:
            return dt.date(int(y), m, int(d))
        return dt.date(int(y), m, days_in_month(int(y), m) if last else 1)

    try:
        return Period.between(day("1", False), day("2", True))
    except ValueError as error:
        raise ParseError(f"cannot read {shown(text)} as a period: {error}", text=text) from None


def _parse_quarters(text: str, year: int | None) -> Period | None:
    """The period of years or quarters ``text`` names; None if it is not one of those forms."""
    g = _grammar()
    clean = normalize(text).casefold()
    clean = re.sub(r"\s*([-/,])\s*", r"\1", clean)
    is_from = False
    lead = compiled(g.lead).match(clean)
    if lead:
        is_from = bool(compiled(g.from_).fullmatch(lead.group()))
        clean = clean[lead.end() :]
    for name, pattern in g.patterns:
        match = compiled(pattern).fullmatch(clean)
        if match is None:
            continue
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        if is_from and name not in ("years", "across") and "n2" not in groups:
            raise ParseError(
                f"cannot read {shown(text)} as a period: it names only where the period starts",
                text=text,
            )
        try:
            return _build_period(text, name, groups, year)
        except ParseError:
            raise
        except ValueError as error:
            raise ParseError(f"cannot read {shown(text)} as a period: {error}", text=text) from None
    return None


def _time_days(fields: Mapping[str, Any] | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the time of ``fields`` (as ``read_time`` gives them).

    None when they name no time (a month 13, a year outside the calendar): what a
    :class:`~egovplan.when.When` of them would refuse.
    """
    if fields is None:
        return None
    year, quarter, month, day = (fields[k] for k in ("year", "quarter", "month", "day"))
    try:
        if quarter is not None:
            period = Period.quarter(year, quarter)
        elif month is None:
            period = Period.year(year)
        else:
            first = dt.date(year, month, 1 if day is None else day)
            end = days_in_month(year, month) if day is None else day
            period = Period.between(first, dt.date(year, month, end))
    except ValueError:
        return None
    return period.first_day, period.last_day


def _bound(text: str, locale: str | None, *, start: bool) -> dt.date | None:
    """The first (``start``) or last day of the one time ``text`` names; None if none."""
    fields = read_time(text, locale)[0]
    days = _time_days(fields)
    if fields is not None and days is not None:
        if fields["by"]:
            return None
        return days[0] if start else days[1]
    try:
        period = _parse_quarters(text, None)
    except ParseError:
        return None
    if period is None or not (
        period.start == period.end
        or (period.is_whole_years and period.first_year == period.last_year)
    ):
        return None  # one end is one time: a year or a quarter, not a range
    return period.first_day if start else period.last_day


def _parse_exact(text: str, locale: str | None) -> Period | None:
    """The period from one month or day (or quarter or year) to another ``text`` names."""
    g = _grammar()
    clean = normalize(text).strip()
    lead = compiled(g.lead).match(clean.casefold())
    is_from = False
    if lead and not compiled(g.from_).fullmatch(lead.group()):
        clean = clean[lead.end() :]
    elif lead:
        is_from = True
    for split in compiled(g.split, re.IGNORECASE).finditer(clean):
        left, right = clean[: split.start()].strip(), clean[split.end() :].strip()
        if not left or not right:
            continue
        first = _bound(left, locale, start=True)
        last = _bound(right, locale, start=False) if first is not None else None
        if first is not None and last is not None:
            return Period.between(first, last)
    fields = read_time(clean, locale)[0]
    days = _time_days(fields)
    if fields is None or days is None or fields["by"] or fields["month"] is None:
        return None
    if is_from:
        raise ParseError(
            f"cannot read {shown(text)} as a period: it names only where the period starts",
            text=text,
        )
    return Period.between(*days)


def _build_period(text: str, name: str, groups: dict[str, str], year: int | None) -> Period:
    g = _grammar()
    if name == "year":
        return Period.year(int(groups["y1"]))
    if name == "years":
        return Period.years(int(groups["y1"]), int(groups["y2"]))
    if name == "across":
        first = Quarter(
            int(groups.get("y1") or groups["y1b"]),
            _quarter_number(text, groups.get("n1") or groups["n1b"]),
        )
        last = Quarter(
            int(groups.get("y2") or groups["y2b"]),
            _quarter_number(text, groups.get("n2") or groups["n2b"]),
        )
        return Period(first, last)
    numbers = [_quarter_number(text, groups["n1"])]
    if "n2" in groups:
        numbers.append(_quarter_number(text, groups["n2"]))
    if "more" in groups:
        numbers += [_quarter_number(text, n) for n in compiled(g.listed).findall(groups["more"])]
        if any(b != a + 1 for a, b in itertools.pairwise(numbers)):
            listed = ", ".join(f"Q{n}" for n in numbers)
            raise ParseError(
                f"cannot read {shown(text)} as a period: the quarters listed ({listed})"
                " are not consecutive",
                text=text,
            )
    if "y1" in groups:
        the_year = int(groups["y1"])
    elif year is not None:
        the_year = year
    else:
        raise ParseError(
            f"cannot read {shown(text)} as a period: it names quarters but no year;"
            " pass year= to say which",
            text=text,
        )
    return Period(Quarter(the_year, numbers[0]), Quarter(the_year, numbers[-1]))

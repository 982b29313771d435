"""Points in time that plans name: a year, a quarter, a month or a day, "in" or "by".

A target is due "by 2015" (*trước năm 2015*), "in Q3 2024" (*Quý III/2024*), "by June
2024" (*tháng 6/2024*) or on a day; a task starts "from January 2024". A :class:`When` is
one of these: a year, and within it a quarter, or a month and perhaps a day, and whether
it is a deadline (``by``: at any time up to its end) or the time itself (``in``).

>>> When.parse("Quý III/2024"), When.parse("trước năm 2015")
(When(year=2024, quarter=3, month=None, day=None, by=False), When(year=2015, quarter=None, month=None, day=None, by=True))
>>> str(When.parse("tháng 6/2024")), str(When.parse("by 30 June 2024"))
('2024-06', 'by 2024-06-30')

Files hold the compact form ``str()`` gives: ``2024``, ``2024-Q3``, ``2024-06``,
``2024-06-30``, each with ``by`` in front for a deadline (``by 2015``); a plain year is
written as the number ``2024``, as a year-only deadline always was. :meth:`When.format`
writes a time as a locale does, and :meth:`When.parse` reads it back:

>>> When(2024, quarter=3).format("vi"), When(2025, by=True).format("vi")
('Quý III/2024', 'đến năm 2025')
>>> When(2023, month=12).format("it"), When.parse("Dicembre 2023", locale="it")
('dicembre 2023', When(year=2023, quarter=None, month=12, day=None, by=False))

The words and the written forms live in ``data/when.toml``; month names and the ways a
locale writes a month or a day come from babel's locale data.
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs

from egovplan import _fields as f
from egovplan._calendar import days_in_month, format_day, format_month, forms, grammar, read_time
from egovplan._text import shown
from egovplan.errors import FieldTypeError, ParseError
from egovplan.period import MAX_YEAR, MIN_YEAR, Period, Quarter

__all__ = ["GRANULARITIES", "When", "optional_when", "parse_time", "to_when"]

#: The granularities of a :class:`When`, coarsest first.
GRANULARITIES: Final = ("year", "quarter", "month", "day")


def _small(low: int, high: int, what: str) -> f.Validator:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if type(value) is not int:
            raise f.field_type_error(inst, attribute, value, "int or None")
        if not low <= value <= high:
            raise f.field_value_error(inst, attribute, f"{value} is not a {what} ({low} to {high})")

    return check


def _check_day(inst: When, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if type(value) is not int:
        raise f.field_type_error(inst, attribute, value, "int or None")
    if inst.month is None:
        raise f.field_value_error(inst, attribute, f"{value} needs a month")
    days = days_in_month(inst.year, inst.month)
    if not 1 <= value <= days:
        raise f.field_value_error(
            inst, attribute, f"{value} is not a day of {inst.year}-{inst.month:02d} (1 to {days})"
        )


_check_month_number: Final = _small(1, 12, "month")


def _check_month(inst: When, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_month_number(inst, attribute, value)
    if value is not None and inst.quarter is not None:
        raise f.field_value_error(
            inst, attribute, f"{value} is given with a quarter; give one of them"
        )


@attrs.frozen
class When:
    """A year, a quarter, a month or a day, as a time (``in``) or a deadline (``by``).

    Attributes:
        year: the year (1900..2200).
        quarter: the quarter (1 to 4) of a quarter; None otherwise.
        month: the month (1 to 12) of a month or a day; None otherwise (never with a
            quarter).
        day: the day of the month, for a day; it needs a month and must exist.
        by: whether this is a deadline, met at any time up to its end ("by 2015",
            *trước năm 2015*), rather than the time itself ("in 2015").

    A constructor refuses a shape that names no time (a month 13, a day without a month,
    30 February, a quarter and a month together); whether a time fits the plan is for
    validation (EGP504, EGP505, EGP506).

    >>> When(2024, month=2, day=30)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: When.day 30 is not a day of 2024-02 (1 to 29)
    >>> int(When(2024, quarter=3)), When(2024, quarter=3).last_day
    (2024, datetime.date(2024, 9, 30))
    """

    year: int = attrs.field(validator=f.check_year)
    quarter: int | None = attrs.field(default=None, validator=_small(1, 4, "quarter"))
    month: int | None = attrs.field(default=None, validator=_check_month)
    day: int | None = attrs.field(default=None, validator=_check_day)
    by: bool = attrs.field(default=False, validator=f.instance(bool))

    @classmethod
    def of(cls, value: When | int | dt.date) -> When:
        """A :class:`When` from a year (``2015``) or a day (``datetime.date``); a When as is.

        >>> When.of(2015), str(When.of(dt.date(2018, 3, 30)))
        (When(year=2015, quarter=None, month=None, day=None, by=False), '2018-03-30')
        """
        if isinstance(value, When):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return cls(value.year, month=value.month, day=value.day)
        if type(value) is int:
            return cls(value)
        raise FieldTypeError(
            f"When.of() takes a When, an int year or a datetime.date, not {type(value).__name__}"
        )

    @property
    def granularity(self) -> str:
        """``"year"``, ``"quarter"``, ``"month"`` or ``"day"``."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year" if self.quarter is None else "quarter"

    @property
    def first_day(self) -> dt.date:
        """The first day of the time."""
        if self.quarter is not None:
            return Quarter(self.year, self.quarter).first_day
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the time: a deadline's last day to be met."""
        if self.quarter is not None:
            return Quarter(self.year, self.quarter).last_day
        if self.month is None:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month, self.day or days_in_month(self.year, self.month))

    @property
    def period(self) -> Period:
        """The quarters the time lies in: its year, its quarter, or the quarter of its month.

        >>> str(When(2024, month=6).period), str(When(2015, by=True).period)
        ('Q2 2024', '2015')
        """
        if self.quarter is not None:
            return Period.quarter(self.year, self.quarter)
        if self.month is None:
            return Period.year(self.year)
        return Period.quarter(self.year, (self.month - 1) // 3 + 1)

    def __int__(self) -> int:
        """The year the time falls in (a year-only column of a table holds it)."""
        return self.year

    def __str__(self) -> str:
        text = str(self.year)
        if self.quarter is not None:
            text += f"-Q{self.quarter}"
        elif self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return f"by {text}" if self.by else text

    def format(self, locale: str = "vi") -> str:
        """The time as ``locale`` writes it.

        Vietnamese: ``năm 2015``, ``Quý III/2024``, ``tháng 6/2024``,
        ``ngày 30 tháng 6 năm 2024``, a deadline with ``đến`` (``đến năm 2025``), a day's
        with ``trước`` (``trước ngày 30 tháng 6 năm 2024``);
        English: ``2015``, ``Q3 2024``, ``June 2024``, ``30 June 2024``, ``by 2015``. Any
        other locale babel knows writes months and days with its own month names
        (``dicembre 2023``, ``7 marzo 2005``) and the rest as English does. :meth:`parse`
        (given the same locale) reads every form back.

        >>> When(2024, month=6, day=30, by=True).format("en")
        'by 30 June 2024'
        """
        from egovplan.amounts import to_babel_locale

        to_babel_locale(locale)  # an unknown locale is refused, whatever the time
        if self.day is not None:
            text = format_day(self.first_day, locale)
        elif self.month is not None:
            text = format_month(self.year, self.month, locale)
        else:
            text = self.period.format(locale)
        if self.by:
            written = forms(locale)
            form = written.get("by_day") if self.day is not None else None
            form = form or written.get("by") or grammar().formats["en"]["by"]
            text = form.format(when=text)
        return text

    @classmethod
    def parse(cls, text: str, *, locale: str | None = None) -> When:
        """Read a time as plans write it.

        Reads the compact form (``2024``, ``2024-Q3``, ``2024-06``, ``2024-06-30``,
        ``by 2015``), a year or a quarter as :meth:`Period.parse
        <egovplan.period.Period.parse>` reads it (``năm 2015``, ``Quý III/2024``,
        ``Q3 2024``), a month (``tháng 6/2024``, ``tháng 6 năm 2024``, ``06/2024``,
        ``June 2024``) and a day as :func:`~egovplan.dates.parse_date` reads it, each
        perhaps after a word of a deadline (``by``, ``before``, ``trước``, ``đến``,
        ``chậm nhất``), of a time (``in``, ``trong``, ``vào``) or of a start (``from``,
        ``từ``: the time itself, which a schedule's ``start`` holds). With ``locale``, also
        the months and days that locale writes with its month names (Italian
        ``Dicembre 2023``, ``7 marzo 2005``).

        Args:
            text: the time as written.
            locale: a locale babel knows whose written months and days are read too
                (Vietnamese and English are always read).

        Returns:
            The time.

        Raises:
            ParseError: the text is no time, or names a range (``2021–2025``) rather
                than one time.
            UnknownLocaleError: babel does not know ``locale``.

        >>> When.parse("2024-Q3") == When.parse("Q3 2024") == When(2024, quarter=3)
        True
        >>> When.parse("đến năm 2025").by, When.parse("in 2025").by
        (True, False)
        >>> When.parse("2021-2025")
        Traceback (most recent call last):
        ...
        egovplan.errors.ParseError: cannot read '2021-2025' as a time: it names the period 2021-2025, not one year, quarter, month or day
        """  # noqa: E501
        if not isinstance(text, str):
            raise FieldTypeError(f"When.parse() needs str, not {type(text).__name__}")
        if locale is not None and not isinstance(locale, str):
            raise FieldTypeError(
                f"When.parse() locale must be a str or None, not {type(locale).__name__}"
            )
        return _parse(text, locale)


def to_when(value: Any) -> Any:
    """A year (``int``) or a day (``datetime.date``) as a :class:`When`; anything else as is.

    The converter of a field holding a :class:`When` (``Target.deadline``,
    ``Schedule.deadline``): ``Target(deadline=2025)`` and ``Schedule(deadline=date(…))``
    keep working. A year outside the calendar is left for the validator to refuse.

    >>> to_when(2025), to_when(None)
    (When(year=2025, quarter=None, month=None, day=None, by=False), None)
    """
    if type(value) is int and MIN_YEAR <= value <= MAX_YEAR:
        return When(value)
    if type(value) is dt.date:
        return When(value.year, month=value.month, day=value.day)
    return value


def optional_when(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a :class:`When` or ``None`` (after :func:`to_when`)."""
    if value is None or type(value) is When:
        return
    if type(value) is int:
        raise f.field_value_error(inst, attribute, f"{value} is outside {MIN_YEAR}..{MAX_YEAR}")
    raise f.field_type_error(inst, attribute, value, "When, an int year, a datetime.date or None")


f.declare(optional_when, inline=lambda v, n: f"({v} is None or type({v}) is {n(When)})")


# ---------------------------------------------------------------------------------------
# Parsing. The compact form, months and days are read by `_calendar` (which `period`
# shares); years and quarters written in words by `period`.


def _error(text: str, why: str) -> ParseError:
    return ParseError(f"cannot read {shown(text)} as a time: {why}", text=text)


def _built(text: str, **fields: Any) -> When:
    try:
        return When(**fields)
    except ValueError as error:
        raise _error(text, str(error)) from None


def parse_time(text: str, locale: str | None = None, *, periods: bool = True) -> When:
    """One time read from ``text``, as :meth:`When.parse` reads it.

    With ``periods=False``, a text that names a range (two quarters, a span of years) is
    refused instead of read as the time it ends in: :meth:`egovplan.period.Period.parse`
    reads each end of a month or day period this way.

    >>> str(parse_time("tháng 6/2024")), str(parse_time("Dicembre 2023", "it"))
    ('2024-06', '2023-12')

    Raises:
        ParseError: ``text`` names no time.
    """
    return _parse(text, locale, periods=periods)


def _parse(text: str, locale: str | None, *, periods: bool = True) -> When:
    fields, rest, by = read_time(text, locale)
    if fields is not None:
        return _built(text, **fields)
    try:
        if not periods:
            raise _error(text, "not one month or day")
        period = Period.parse(rest)
    except ParseError as error:
        raise _error(
            text,
            "expected a year, quarter, month or day such as '2024', '2024-Q3', 'Quý III/2024',"
            " 'tháng 6/2024', 'June 2024' or '30/6/2024', perhaps after 'by' or 'trước'",
        ) from error
    if period.start == period.end and not period.is_exact:
        return When(period.start.year, quarter=period.start.number, by=by)
    if period.is_whole_years and period.first_year == period.last_year:
        return When(period.first_year, by=by)
    raise _error(text, f"it names the period {period}, not one year, quarter, month or day")

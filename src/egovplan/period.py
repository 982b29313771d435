"""Periods of time that plans are written in: years, ranges of years, quarters.

A :class:`Period` is a closed range of :class:`Quarter` values. A year is the range from
its first to its fourth quarter; ``giai đoạn 2021–2025`` is 2021 Q1 to 2025 Q4.

>>> p = Period.years(2021, 2025)
>>> p.contains(Period.year(2023)), p.contains(Period.year(2026))
(True, False)
>>> str(Period.quarters(Quarter(2018, 1), Quarter(2018, 2)))
'Q1-Q2 2018'
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

__all__ = ["MAX_YEAR", "MIN_YEAR", "Period", "Quarter"]

#: The earliest and latest years a period may name.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2200


def _check_year(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be int, not {type(value).__name__}")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"{attribute.name} {value} is outside {MIN_YEAR}..{MAX_YEAR}")


def _check_quarter_number(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be int, not {type(value).__name__}")
    if not 1 <= value <= 4:
        raise ValueError(f"{attribute.name} {value} is not a quarter; quarters are 1 to 4")


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
    ValueError: number 5 is not a quarter; quarters are 1 to 4
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
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"Q{self.number} {self.year}"


def _check_order(instance: Period, _: attrs.Attribute[Quarter], end: Quarter) -> None:
    if end < instance.start:
        raise ValueError(f"period ends ({end}) before it starts ({instance.start})")


@attrs.frozen(order=True)
class Period:
    """A closed range of quarters: a year, several years, a quarter or several quarters.

    Construct with :meth:`year`, :meth:`years`, :meth:`quarter`, :meth:`quarters` or
    :meth:`parse`. Periods order by start, then end.

    >>> Period.year(2018) == Period.quarters(Quarter(2018, 1), Quarter(2018, 4))
    True
    >>> Period.years(2021, 2025).overlaps(Period.years(2025, 2030))
    True
    >>> Period.years(2025, 2021)
    Traceback (most recent call last):
    ...
    ValueError: period ends (Q4 2021) before it starts (Q1 2025)
    """

    start: Quarter = attrs.field(validator=attrs.validators.instance_of(Quarter))
    end: Quarter = attrs.field(validator=[attrs.validators.instance_of(Quarter), _check_order])

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
        """Whether the period starts in a Q1 and ends in a Q4."""
        return self.start.number == 1 and self.end.number == 4

    @property
    def first_year(self) -> int:
        """The year the period starts in."""
        return self.start.year

    @property
    def last_year(self) -> int:
        """The year the period ends in."""
        return self.end.year

    @property
    def year_list(self) -> tuple[int, ...]:
        """Every year the period touches, in order.

        >>> Period.years(2021, 2023).year_list
        (2021, 2022, 2023)
        """
        return tuple(range(self.start.year, self.end.year + 1))

    @property
    def quarter_list(self) -> tuple[Quarter, ...]:
        """Every quarter in the period, in order."""
        return tuple(
            Quarter(i // 4, i % 4 + 1) for i in range(self.start.index, self.end.index + 1)
        )

    @property
    def first_day(self) -> dt.date:
        """The first day of the period."""
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        """The last day of the period."""
        return self.end.last_day

    def contains(self, other: Period | Quarter | int | dt.date) -> bool:
        """Whether ``other`` (a period, quarter, year or day) lies wholly inside this period.

        >>> Period.years(2021, 2025).contains(2025), Period.year(2018).contains(Quarter(2019, 1))
        (True, False)
        """
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        if isinstance(other, Quarter):
            return self.start <= other <= self.end
        if isinstance(other, dt.date):
            return self.first_day <= other <= self.last_day
        if isinstance(other, int) and not isinstance(other, bool):
            return self.start.year <= other <= self.end.year and self.is_whole_years_of(other)
        raise TypeError(f"cannot test whether a period contains {type(other).__name__}")

    def is_whole_years_of(self, year: int) -> bool:
        """Whether every quarter of ``year`` is inside this period."""
        return self.start <= Quarter(year, 1) and Quarter(year, 4) <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one quarter."""
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        if self.is_whole_years:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}-{self.end.year}"
        if self.start == self.end:
            return str(self.start)
        if self.start.year == self.end.year:
            return f"Q{self.start.number}-Q{self.end.number} {self.start.year}"
        return f"{self.start}-{self.end}"

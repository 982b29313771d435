"""How often something recurs: yearly (*hàng năm*), every six months (*6 tháng một lần*).

A task done "hàng năm" or a report due "hàng quý" recurs: a :class:`Recurrence` holds
how often, as an interval and a unit whose code comes from ``data/recurrence.toml``
(``year``, ``quarter``, ``month``, ``week``, ``day``), with the words each language writes
it in.

>>> Recurrence.parse("hàng năm"), Recurrence.parse("6 tháng một lần")
(Recurrence(interval=1, unit='year'), Recurrence(interval=6, unit='month'))
>>> Recurrence(interval=6, unit="month").format("en"), Recurrence(unit="quarter").format("vi")
('every 6 months', 'hàng quý')

In a file a recurrence is a mapping: ``recurrence: {interval: 6, unit: month}``
(``interval`` 1 may be left out). An interval below 1 or a unit the data file does not
know loads, and validation reports it (EGP507, EGP508).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from egovplan import _fields as f
from egovplan._data import language_of, load_data, locale_tag
from egovplan._text import alternatives, normalize, shown
from egovplan.errors import FieldTypeError, ParseError

__all__ = ["Recurrence", "recurrence_units"]


def _check_interval(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int:
        raise f.field_type_error(inst, attribute, value, "int")
    if not -(10**6) <= value <= 10**6:
        raise f.field_value_error(inst, attribute, f"{value} is outside -1000000..1000000")


f.declare(
    _check_interval,
    inline=lambda v, n: f"(type({v}) is int and -1000000 <= {v} <= 1000000)",
    share=True,
    schema={"minimum": -(10**6), "maximum": 10**6},
    exact=True,
)


@attrs.frozen(kw_only=True)
class Recurrence:
    """How often something recurs: every ``interval`` ``unit``.

    Attributes:
        interval: how many units lie between two occurrences (1 for "yearly").
        unit: a unit code of ``data/recurrence.toml``: ``year``, ``quarter``, ``month``,
            ``week`` or ``day``.

    >>> Recurrence(interval=2, unit="year").months
    24
    """

    interval: int = attrs.field(default=1, validator=_check_interval)
    unit: str = attrs.field(validator=f.check_id)

    @property
    def months(self) -> int | None:
        """The months between two occurrences, for a unit with a length in months."""
        months = _units().get(self.unit, {}).get("months")
        return None if months is None else int(months) * self.interval

    @property
    def days(self) -> int | None:
        """The days between two occurrences, for a week or a day unit."""
        per = {"week": 7, "day": 1}.get(self.unit)
        return None if per is None else per * self.interval

    def format(self, locale: str = "vi") -> str:
        """The recurrence as ``locale`` writes it: ``hàng năm``, ``every 6 months``.

        A locale not in the data file writes as English does; a unit it does not know
        is written by its code (``every 2 fortnight``).

        >>> Recurrence(unit="year").format("en"), Recurrence(interval=3, unit="year").format("vi")
        ('yearly', '3 năm một lần')
        """
        locale_tag(locale)
        unit = _units().get(self.unit)
        language = language_of(locale)
        if unit is None:
            forms = _data()["every"]
            form = (forms.get(locale) or forms.get(language) or forms["en"])[0]
            return str(form).format(n=self.interval, unit=self.unit)
        key = "once" if self.interval == 1 else "many"
        words = unit[key]
        form = (words.get(locale) or words.get(language) or words["en"])[0]
        return str(form).format(n=self.interval)

    def __str__(self) -> str:
        return self.format("en")

    @classmethod
    def parse(cls, text: str) -> Recurrence:
        """Read a recurrence written in Vietnamese or English.

        Reads ``hàng năm``, ``hằng quý``, ``yearly``, ``quarterly``, ``every 6 months``,
        ``6 tháng một lần``, ``định kỳ 6 tháng``, ``half-yearly`` and the other words of
        ``data/recurrence.toml``, in any case.

        Raises:
            ParseError: the text says no recurrence.

        >>> Recurrence.parse("Every 2 years"), Recurrence.parse("semi-annually").months
        (Recurrence(interval=2, unit='year'), 6)
        >>> Recurrence.parse("thường xuyên")
        Traceback (most recent call last):
        ...
        egovplan.errors.ParseError: cannot read 'thường xuyên' as a recurrence: expected a form such as 'hàng năm', '6 tháng một lần', 'yearly' or 'every 6 months'
        """  # noqa: E501
        if not isinstance(text, str):
            raise FieldTypeError(f"Recurrence.parse() needs str, not {type(text).__name__}")
        clean = normalize(text).casefold().rstrip(".;,")
        for pattern, interval, unit in _patterns():
            match = pattern.fullmatch(clean)
            if match is not None:
                n = match.groupdict().get("n")
                return cls(interval=int(n) if n else interval, unit=unit)
        raise ParseError(
            f"cannot read {shown(text)} as a recurrence: expected a form such as 'hàng năm',"
            " '6 tháng một lần', 'yearly' or 'every 6 months'",
            text=text,
        )


def recurrence_units() -> tuple[str, ...]:
    """The unit codes a :class:`Recurrence` may have, from ``data/recurrence.toml``.

    >>> recurrence_units()
    ('year', 'quarter', 'month', 'week', 'day')
    """
    return tuple(_units())


def _data() -> Mapping[str, Any]:
    return load_data("recurrence.toml")


def _units() -> Mapping[str, Mapping[str, Any]]:
    units: Mapping[str, Mapping[str, Any]] = _data()["units"]
    return units


_N: Final = r"(?P<n>\d{1,4})"


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], int, str], ...]:
    """Every form of the data file as a regular expression, with what it reads as."""
    out: list[tuple[re.Pattern[str], int, str]] = []
    data = _data()

    def form(text: str, unit_names: str) -> re.Pattern[str]:
        pieces = re.split(r"(\{n\}|\{unit\})", normalize(text).casefold())
        regex = ""
        for piece in pieces:
            if piece == "{n}":
                regex += _N
            elif piece == "{unit}":
                regex += rf"(?:{unit_names})"
            else:
                regex += alternatives([piece]) if piece.strip() else r"\s*"
        return re.compile(regex.replace(r"\s+", r"\s*"))

    for fixed in data.get("fixed", []):
        for words in fixed.values():
            if isinstance(words, tuple):
                for word in words:
                    out.append((form(word, ""), int(fixed["interval"]), str(fixed["unit"])))
    for code, unit in _units().items():
        names = alternatives([n for names in unit.get("names", {}).values() for n in names])
        for words in unit.get("once", {}).values():
            out += [(form(word, names), 1, code) for word in words]
        for words in unit.get("many", {}).values():
            out += [(form(word, names), 1, code) for word in words]
        for words in data["every"].values():
            out += [(form(word, names), 1, code) for word in words]
    return tuple(out)
